"""Measure matching against a hand-labelled set of shared statements.

The labelled set (YAML) lists every statement the articles share, each with its renderings: a
rendering maps the articles that word the statement (nearly) alike to its exact text there.
Pairs of articles are scored, per tier:

- same wording: both articles in one rendering;
- different rendering: in different renderings (another translation, other words, a fragment);
- paraphrase: a statement marked `paraphrase`, which outlets report in their own words.

A found pair is a shared statement with occurrences in both articles that overlap the labelled
texts; a predicted pair that overlaps no labelled statement in both articles is wrong.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from .load import parse_yaml, read_text
from .model import ArchiveError, Article, SharedStatement, Story
from .reuse.align import Tokens, Vocabulary, compare_texts, positions

TIERS = ("same wording", "different rendering", "paraphrase")
Span = tuple[int, int]


@dataclass(frozen=True)
class Labelled:
    id: str
    spans: dict[str, list[Span]]  # article id -> where the statement stands
    tiers: dict[tuple[str, str], str]  # (article, article), sorted -> tier


@dataclass
class Report:
    expected: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TIERS, 0))
    found: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TIERS, 0))
    predicted: int = 0
    correct: int = 0
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    span_overlap: list[float] = field(default_factory=list)

    def recall(self, tier: str) -> float:
        return self.found[tier] / self.expected[tier] if self.expected[tier] else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    def lines(self) -> list[str]:
        rows = [f"{'tier':<20} {'pairs':>5} {'found':>5} {'recall':>6}"]
        rows += [
            f"{tier:<20} {self.expected[tier]:>5} {self.found[tier]:>5} {self.recall(tier):>6.2f}" for tier in TIERS
        ]
        rows.append(f"predicted pairs: {self.predicted}, correct: {self.correct}, precision: {self.precision:.2f}")
        if self.span_overlap:
            mean = sum(self.span_overlap) / len(self.span_overlap)
            rows.append(f"span agreement (mean overlap / union of found spans with labelled ones): {mean:.2f}")
        rows += [f"missed: {line}" for line in self.missed]
        rows += [f"wrong: {line}" for line in self.wrong]
        return rows


def articles_by_name(story: Story) -> dict[str, Article]:
    """Each article by its id, and by its id's first word where that names one article first."""
    by_name: dict[str, Article] = {}
    for article in story.articles:
        by_name[article.id] = article
        by_name.setdefault(article.id.split("-")[0], article)
    return by_name


def load_labels(path: Path, story: Story) -> list[Labelled]:
    """Read a labelled set; articles are named by their id or its first word."""
    by_name = articles_by_name(story)
    labels = []
    for entry in parse_yaml(read_text(path), path):
        spans: dict[str, list[Span]] = defaultdict(list)
        rendering_of: dict[str, set[int]] = defaultdict(set)
        for number, rendering in enumerate(entry["renderings"]):
            for name, texts in rendering.items():
                named = by_name.get(name)
                if named is None:
                    raise ArchiveError(path, f"no article named '{name}'", rendering.key_lines[name])
                for text in [texts] if isinstance(texts, str) else texts:
                    start = named.text.find(text)
                    if start < 0:
                        raise ArchiveError(path, f'not in {named.id}: "{text[:50]}"', rendering.key_lines[name])
                    spans[named.id].append((start, start + len(text)))
                    rendering_of[named.id].add(number)
        tiers = {}
        for first, second in combinations(sorted(spans), 2):
            if entry.get("paraphrase"):
                tiers[first, second] = "paraphrase"
            elif rendering_of[first] & rendering_of[second]:
                tiers[first, second] = "same wording"
            else:
                tiers[first, second] = "different rendering"
        labels.append(Labelled(id=entry["id"], spans=dict(spans), tiers=tiers))
    return labels


def overlap(a: Span, b: Span) -> float:
    """How much two spans overlap, as a share of the shorter one."""
    inside = min(a[1], b[1]) - max(a[0], b[0])
    return max(0, inside) / min(a[1] - a[0], b[1] - b[0])


def agree(occurrences: list[Span], labelled: list[Span]) -> bool:
    return any(overlap(o, label) >= 0.5 for o in occurrences for label in labelled)


def evaluate(statements: list[SharedStatement], labels: list[Labelled]) -> Report:
    report = Report()
    groups = []
    for statement in statements:
        spans: dict[str, list[Span]] = defaultdict(list)
        for occurrence in statement.occurrences:
            spans[occurrence.article].append((occurrence.start, occurrence.end))
        if len(spans) >= 2:
            groups.append((statement.id, spans))
    for statement_id, spans in groups:
        for first, second in combinations(sorted(spans), 2):
            report.predicted += 1
            if any(
                first in label.spans
                and second in label.spans
                and agree(spans[first], label.spans[first])
                and agree(spans[second], label.spans[second])
                for label in labels
            ):
                report.correct += 1
            else:
                report.wrong.append(f"{statement_id}: {first} ~ {second}")
    for label in labels:
        for (first, second), tier in sorted(label.tiers.items()):
            report.expected[tier] += 1
            matching = [
                spans
                for _, spans in groups
                if first in spans
                and second in spans
                and agree(spans[first], label.spans[first])
                and agree(spans[second], label.spans[second])
            ]
            if matching:
                report.found[tier] += 1
                for article in (first, second):
                    report.span_overlap.append(
                        max(jaccard(o, s) for spans in matching for o in spans[article] for s in label.spans[article])
                    )
            else:
                report.missed.append(f"{label.id} ({tier}): {first} ~ {second}")
    return report


def jaccard(a: Span, b: Span) -> float:
    inside = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    return inside / (max(a[1], b[1]) - min(a[0], b[0]))


# Reused copy, measured word by word. A labelled set (YAML) lists pairs of articles, each with
# the passages the derived article reuses from the source, as they stand in the derived article,
# with the words it rewrote in [square brackets]; its other words are its own.


@dataclass(frozen=True)
class LabelledReuse:
    derived: str  # article ids
    source: str
    verbatim: frozenset[int]  # positions of the derived article's words
    rewritten: frozenset[int]


@dataclass
class WordReport:
    """Words of the derived articles: labelled reused (verbatim or rewritten), marked reused by
    the alignment, and both."""

    reused: int = 0
    verbatim: int = 0
    marked: int = 0
    reused_found: int = 0
    verbatim_found: int = 0
    missed: list[str] = field(default_factory=list)  # runs of labelled words not found
    wrong: list[str] = field(default_factory=list)  # runs of words marked but not labelled

    @property
    def recall(self) -> float:
        return self.reused_found / self.reused if self.reused else 1.0

    @property
    def verbatim_recall(self) -> float:
        return self.verbatim_found / self.verbatim if self.verbatim else 1.0

    @property
    def precision(self) -> float:
        return self.reused_found / self.marked if self.marked else 1.0

    def lines(self) -> list[str]:
        return [
            f"reused words found: {self.reused_found} of {self.reused} ({self.recall:.2f}), "
            f"at precision {self.precision:.2f} ({self.marked} marked)",
            f"verbatim words found: {self.verbatim_found} of {self.verbatim} ({self.verbatim_recall:.2f})",
            *(f"missed: {run}" for run in self.missed),
            *(f"wrong: {run}" for run in self.wrong),
        ]


BRACKETED = re.compile(r"\[([^\]]*)\]")


def load_reuse_labels(path: Path, story: Story) -> list[LabelledReuse]:
    """Read a labelled set of reused copy; articles are named by their id or its first word."""
    by_name = articles_by_name(story)
    labels = []
    for entry in parse_yaml(read_text(path), path):
        derived, source = (by_name.get(entry[key]) for key in ("derived", "source"))
        if derived is None or source is None:
            raise ArchiveError(path, f"no article named '{entry['derived']}' or '{entry['source']}'", entry.line)
        spans = Vocabulary().tokens(derived.text)
        verbatim: set[int] = set()
        rewritten: set[int] = set()
        for passage in entry["passages"]:
            plain = BRACKETED.sub(r"\1", passage)
            start = derived.text.find(plain)
            if start < 0:
                raise ArchiveError(path, f'not in {derived.id}: "{plain[:50]}"', entry.line)
            inside = [
                n for n, (s, e) in enumerate(zip(spans.starts, spans.ends)) if start <= s and e <= start + len(plain)
            ]
            changed: list[tuple[int, int]] = []
            removed = 0  # brackets taken out before this point
            for match in BRACKETED.finditer(passage):
                changed.append((start + match.start() - removed, start + match.end() - removed - 2))
                removed += 2
            for n in inside:
                is_rewritten = any(s <= spans.starts[n] and spans.ends[n] <= e for s, e in changed)
                (rewritten if is_rewritten else verbatim).add(n)
        labels.append(LabelledReuse(derived.id, source.id, frozenset(verbatim), frozenset(rewritten)))
    return labels


def evaluate_reuse(labels: list[LabelledReuse], story: Story) -> WordReport:
    """Align each labelled pair as the build does, and compare the words it marks with the labels."""
    report = WordReport()
    for label in labels:
        derived, source = story.article(label.derived), story.article(label.source)
        _, passages = compare_texts(source.text, derived.text)
        marked = positions(run for p in passages for run in (*p.verbatim, *p.rewritten))
        reused = label.verbatim | label.rewritten
        report.reused += len(reused)
        report.verbatim += len(label.verbatim)
        report.marked += len(marked)
        report.reused_found += len(marked & reused)
        report.verbatim_found += len(marked & label.verbatim)
        spans = Vocabulary().tokens(derived.text)
        report.missed += [f"{label.derived}: {run}" for run in word_runs(sorted(reused - marked), spans, derived.text)]
        report.wrong += [f"{label.derived}: {run}" for run in word_runs(sorted(marked - reused), spans, derived.text)]
    return report


def word_runs(positions: list[int], spans: Tokens, text: str) -> list[str]:
    """Consecutive word positions as the runs of text they make."""
    runs: list[list[int]] = []
    for position in positions:
        if runs and position == runs[-1][-1] + 1:
            runs[-1].append(position)
        else:
            runs.append([position])
    return [text[spans.starts[run[0]] : spans.ends[run[-1]]] for run in runs]
