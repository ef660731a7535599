"""Stage 5: from the shared statements and reused passages, what each article carries, who
carries what, and how each outlet's wording differs from the statement's."""

from __future__ import annotations

import copyreg
import dataclasses
import difflib
import functools
import io
import pickle
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from rapidfuzz import fuzz

from .lineage import Lineage, closeness, copy_lineages, trace
from .match.spans import covered_length, fold
from .model import Article, ArticleReuse, Claim, Occurrence, Part, Reuse, SharedStatement, Story


@dataclass(frozen=True)
class Carried:
    """One shared statement as one article carries it."""

    statement: SharedStatement
    occurrence: Occurrence


@dataclass(frozen=True)
class ArticleSummary:
    """What one article carries. Every count of it on every page, feed and export comes from here."""

    article: Article
    carried: tuple[Carried, ...]  # in the order they appear in the article; claims found only here too
    shared_statements: int  # how many statements it shares with other articles (each counted once)
    shared_share: float  # the part of the article's text that is shared with other articles, 0-1
    passages: tuple[Carried, ...]  # the reused passages it carries, in the order they appear
    reuse: ArticleReuse  # how much of it is reused copy, and from where


NOT_REUSED = ArticleReuse(0.0, 0.0, ())  # where reuse was not looked for


@dataclass(frozen=True)
class CoverageRow:
    """One part of a claim (a claim of one sentence is one part), and where each article carries it."""

    claim: Claim
    part: Part
    statement: SharedStatement | None  # where it is found; None if nowhere
    cells: tuple[Occurrence | None, ...]  # one per article, in story order
    # one per outlet, in Comparison.outlets order: where each of its articles carries the claim
    by_outlet: tuple[tuple[Occurrence, ...], ...]

    @property
    def carried_by(self) -> int:
        return sum(cell is not None for cell in self.cells)


@dataclass(frozen=True)
class ClaimCoverage:
    """A claim, whole: the coverage of each of its parts."""

    claim: Claim
    rows: tuple[CoverageRow, ...]  # one per part, in order

    @functools.cached_property
    def cells(self) -> tuple[tuple[Occurrence, ...], ...]:
        """One per article, in story order: where it carries any part of the claim."""
        return tuple(tuple(cell for row in self.rows if (cell := row.cells[n])) for n in range(len(self.rows[0].cells)))

    @property
    def carried_by(self) -> int:
        """How many articles carry the claim, or a part of it, in any version."""
        return sum(bool(cell) for cell in self.cells)


@dataclass(frozen=True)
class Difference:
    """A run of words: the same in both wordings, or added, dropped or changed in this one."""

    kind: str  # "same", "added", "dropped" or "changed"
    reference: str  # the words of the reference wording ("" where added)
    words: str  # the words of this wording ("" where dropped)


@dataclass(frozen=True)
class Variant:
    """One occurrence's wording compared word by word with its statement's reference wording:
    for a claim, the words of the version it is closest to."""

    occurrence: Occurrence
    differences: tuple[Difference, ...]
    version: str | None = None  # the id of that version; None where no claim covers the statement

    @property
    def changed_words(self) -> int:
        return sum(len(d.reference.split()) + len(d.words.split()) for d in self.differences if d.kind != "same")


@dataclass(frozen=True)
class Comparison:
    story: Story
    statements: tuple[SharedStatement, ...]
    summaries: tuple[ArticleSummary, ...]  # in story order
    coverage: tuple[CoverageRow, ...]  # one per part of each claim, in claims.yaml order
    variants: dict[str, tuple[Variant, ...]]  # statement id -> one per occurrence
    outlets: tuple[str, ...]  # in the order they first appear in the story
    articles_per_outlet: tuple[int, ...]  # in the same order
    # similarity[i][j]: the share of outlet i's text in statements and passages it shares with outlet j
    similarity: tuple[tuple[float, ...], ...]
    passages: tuple[SharedStatement, ...] = ()  # reused copy, aligned word by word
    lineage: dict[str, Lineage] = dataclasses.field(default_factory=dict)  # statement or passage id -> its lineage

    @functools.cached_property
    def reused_per_outlet(self) -> tuple[float, ...]:
        """For each outlet, in `outlets` order, the part of its articles' words that is reused copy."""
        words: dict[str, float] = defaultdict(float)
        reused: dict[str, float] = defaultdict(float)
        for summary in self.summaries:
            length = len(summary.article.text)  # articles weigh by their length
            words[summary.article.outlet] += length
            reused[summary.article.outlet] += summary.reuse.share * length
        return tuple(reused[outlet] / max(1.0, words[outlet]) for outlet in self.outlets)

    @functools.cached_property
    def shared_text(self) -> float:
        """The part of the story's text that its articles share with each other, articles weighed by length."""
        return weighed(self.summaries, lambda summary: summary.shared_share)

    @functools.cached_property
    def reused_text(self) -> float:
        """The part of the story's text that is copy reused from an earlier article."""
        return weighed(self.summaries, lambda summary: summary.reuse.share)

    @functools.cached_property
    def claims(self) -> tuple[ClaimCoverage, ...]:
        """The coverage rows of each claim, in claims.yaml order."""
        rows: dict[str, list[CoverageRow]] = defaultdict(list)
        for row in self.coverage:
            rows[row.claim.id].append(row)
        return tuple(ClaimCoverage(found[0].claim, tuple(found)) for found in rows.values())

    @functools.cached_property
    def shared(self) -> tuple[SharedStatement, ...]:
        """The statements two or more articles carry: what "shared" means everywhere."""
        return tuple(s for s in self.statements if s.is_shared)

    @functools.cached_property
    def statements_and_passages(self) -> tuple[SharedStatement, ...]:
        return (*self.statements, *self.passages)

    @functools.cached_property
    def uncovered(self) -> tuple[SharedStatement, ...]:
        """Shared statements no claim covers."""
        return tuple(s for s in self.statements if s.claim is None)

    @functools.cached_property
    def claim_variants(self) -> dict[str, tuple[Variant, ...]]:
        """The variants of the statements its claims are found as: what a speaker's page shows."""
        return {row.statement.id: self.variants[row.statement.id] for row in self.coverage if row.statement}

    @functools.cached_property
    def tally(self) -> Tally:
        return Tally(len(self.shared), len(self.uncovered), len(self.passages))


class Tally(NamedTuple):
    """What a build's summary counts of a story."""

    shared: int  # shared statements
    uncovered: int  # of those, the ones no claim covers
    passages: int  # reused passages


def weighed(summaries: tuple[ArticleSummary, ...], share: Callable[[ArticleSummary], float]) -> float:
    """A share over several articles: each article's share, weighed by its length."""
    length = sum(len(summary.article.text) for summary in summaries)
    return sum(share(summary) * len(summary.article.text) for summary in summaries) / max(1, length)


def pickled(comparison: Comparison) -> bytes:
    """A comparison as the cache keeps it: without its story, which a build reading it back has
    loaded already (it is kept under a fingerprint of the whole story: cache.story_key). Its
    articles' texts, a quarter of it, are neither written again nor read back."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    # Pickle looks up every object's type in a table like this one: these two entries cost nothing more.
    pickler.dispatch_table = {
        **copyreg.dispatch_table,
        Story: lambda _: (kept_story, ()),
        Article: lambda article: (kept_article, (article.id,)),
    }
    pickler.dump(comparison)
    return buffer.getvalue()


def unpickled(data: bytes, story: Story) -> Comparison:
    """The comparison `pickled` gave, made from `story`: with it and its articles put back."""
    return StoryUnpickler(data, story).load()


class StoryUnpickler(pickle.Unpickler):
    """Puts back the story a comparison was pickled without, where `kept_story` and
    `kept_article` stand."""

    def __init__(self, data: bytes, story: Story):
        super().__init__(io.BytesIO(data))
        articles = {article.id: article for article in story.articles}
        self.put_back: dict[str, Callable] = {"kept_story": lambda: story, "kept_article": articles.__getitem__}

    def find_class(self, module: str, name: str):
        if module == __name__ and name in self.put_back:
            return self.put_back[name]
        return super().find_class(module, name)


# What only a comparison read whole holds: its statements and passages, with their variants and
# lineages, and what each article carries. The rest, its overview, is all that pages across
# stories, a build's summary and its warnings read: a rebuild reads only that of the stories
# that did not change (see LazyComparison). At 100 stories of 100, unpickling every one whole took
# 1.4 s of a rebuild; their overviews, a fifth of the bytes, 0.2 s.
WHOLE_ONLY = ("statements", "variants", "passages", "lineage")
CARRIED_ONLY = ("carried", "passages")  # an ArticleSummary's fields only read whole


def pickled_overview(comparison: Comparison) -> bytes:
    """A comparison's overview, as the cache keeps it beside the whole (`pickled`): a
    LazyComparison without WHOLE_ONLY, its summaries without CARRIED_ONLY, and its tally and
    claims' variants."""
    overview = object.__new__(LazyComparison)
    summaries = []
    for position, summary in enumerate(comparison.summaries):
        lazy = object.__new__(LazySummary)
        fields = {field.name: getattr(summary, field.name) for field in dataclasses.fields(ArticleSummary)}
        lazy.__dict__.update(
            {name: value for name, value in fields.items() if name not in CARRIED_ONLY},
            comparison=overview,
            position=position,
        )
        summaries.append(lazy)
    fields = {field.name: getattr(comparison, field.name) for field in dataclasses.fields(Comparison)}
    overview.__dict__.update(
        {name: value for name, value in fields.items() if name not in WHOLE_ONLY},
        summaries=tuple(summaries),
        tally=comparison.tally,
        claim_variants=comparison.claim_variants,
    )
    return pickled(overview)


def unpickled_overview(data: bytes, story: Story, read_whole: Callable[[], bytes]) -> Comparison:
    """The comparison whose overview `pickled_overview` gave, made from `story`: the rest is
    unpickled from what `read_whole` gives (the whole, as `pickled` gave it) once asked for."""
    overview = unpickled(data, story)
    overview.__dict__["read_whole"] = read_whole
    return overview


def read_on_demand(name: str) -> property:
    """A field of a LazyComparison that only the whole holds."""

    def value(comparison: LazyComparison):
        comparison.read()
        return comparison.__dict__[name]

    return property(value, doc=f"The comparison's {name}, read with the whole.")


class LazyComparison(Comparison):
    """A comparison read back from the cache in two steps: its overview at once, the rest
    (WHOLE_ONLY, and what each article carries) from `read_whole` when first asked for. It
    answers as the whole would. Its summaries and coverage stay the overview's, equal to the
    whole's, so that what one page took of them is what the next takes."""

    statements = read_on_demand("statements")
    variants = read_on_demand("variants")
    passages = read_on_demand("passages")
    lineage = read_on_demand("lineage")

    def read(self) -> None:
        # Read once; two threads reading at once would each read the same.
        if "statements" not in self.__dict__:
            whole = unpickled(self.__dict__["read_whole"](), self.story)
            self.__dict__["whole_summaries"] = whole.summaries
            self.__dict__.update({name: whole.__dict__[name] for name in WHOLE_ONLY})

    @property
    def whole_summaries(self) -> tuple[ArticleSummary, ...]:
        self.read()
        return self.__dict__["whole_summaries"]


class LazySummary(ArticleSummary):
    """An article's summary in a LazyComparison's overview: what it carries is read with the whole."""

    @property
    def whole(self) -> ArticleSummary:
        return self.__dict__["comparison"].whole_summaries[self.__dict__["position"]]

    carried = property(lambda summary: summary.whole.carried, doc="Read with the whole comparison.")
    passages = property(lambda summary: summary.whole.passages, doc="Read with the whole comparison.")


# What a kept comparison names where its story and articles stood: found by name, as pickle
# finds a class, and put back by StoryUnpickler; never called.
def kept_story() -> Story:
    raise TypeError("a comparison's story is put back by `unpickled`")


def kept_article(article_id: str) -> Article:
    raise TypeError("a comparison's articles are put back by `unpickled`")


def compare(story: Story, statements: list[SharedStatement], reuse: Reuse | None = None) -> Comparison:
    """What each article carries and who carries what."""
    carried_by = carried_in(statements)
    passages = reuse.passages if reuse else ()
    passages_in = carried_in(passages)
    summaries = []
    for article in story.articles:
        carried = carried_by[article.id]
        shared = [c for c in carried if c.statement.is_shared]
        summaries.append(
            ArticleSummary(
                article=article,
                carried=tuple(carried),
                shared_statements=len({c.statement.id for c in shared}),
                shared_share=covered_length([(c.occurrence.start, c.occurrence.end) for c in shared])
                / len(article.text),
                passages=tuple(passages_in[article.id]),
                reuse=reuse.articles[article.id] if reuse else NOT_REUSED,
            )
        )
    outlets = tuple(dict.fromkeys(article.outlet for article in story.articles))
    by_part = {s.part.id: s for s in statements if s.part}
    coverage = []
    for claim in story.claims:
        for part in claim.parts:
            found: dict[str, Occurrence] = {}
            found_as = by_part.get(part.id)
            for occurrence in found_as.occurrences if found_as else ():
                found.setdefault(occurrence.article, occurrence)
            cells = tuple(found.get(a.id) for a in story.articles)
            per_outlet: dict[str, list[Occurrence]] = defaultdict(list)
            for article, cell in zip(story.articles, cells):
                if cell:
                    per_outlet[article.outlet].append(cell)
            coverage.append(
                CoverageRow(claim, part, found_as, cells, by_outlet=tuple(tuple(per_outlet[o]) for o in outlets))
            )
    made = traced(story, statements)
    articles_per_outlet = Counter(article.outlet for article in story.articles)
    return Comparison(
        story=story,
        statements=tuple(statements),
        summaries=tuple(summaries),
        coverage=tuple(coverage),
        variants={statement.id: made[statement.id].variants for statement in statements},
        outlets=outlets,
        articles_per_outlet=tuple(articles_per_outlet[o] for o in outlets),
        similarity=outlet_similarity(story, [*statements, *passages], outlets),
        passages=tuple(passages),
        lineage={
            **{statement.id: made[statement.id].lineage for statement in statements},
            **copy_lineages(story, statements, passages),
        },
    )


class Traced(NamedTuple):
    """A statement's variants and lineage."""

    variants: tuple[Variant, ...]  # one per occurrence
    lineage: Lineage


def traced(story: Story, statements: Sequence[SharedStatement]) -> dict[str, Traced]:
    """Each statement's variants (each occurrence against the version of its claim it is
    closest to) and lineage, by its id. Made where they are compared, not by the worker that
    found the statements: handing them over took longer than making them."""
    differences = functools.lru_cache(maxsize=None)(word_differences)  # many wordings recur word for word
    found = {}
    for statement in statements:
        # Compared once per wording: a wire sentence recurs word for word in thousands of articles.
        by_wording: dict[str, Variant] = {}
        variants = []
        for occurrence in statement.occurrences:
            if occurrence.text not in by_wording:
                by_wording[occurrence.text] = variant(statement, occurrence, differences)
            alike = by_wording[occurrence.text]
            variants.append(Variant(occurrence, alike.differences, alike.version))
        found[statement.id] = Traced(tuple(variants), trace(story, statement, [v.version for v in variants]))
    closeness.cache_clear()  # its wordings are not needed past here
    return found


def carried_in(statements) -> dict[str, list[Carried]]:
    """Article id -> the occurrences of these statements it carries, in the order they appear."""
    found: dict[str, list[Carried]] = defaultdict(list)
    for statement in statements:
        for occurrence in statement.occurrences:
            found[occurrence.article].append(Carried(statement, occurrence))
    for carried in found.values():
        carried.sort(key=lambda c: (c.occurrence.start, c.occurrence.end, c.statement.id))
    return found


def outlet_similarity(
    story: Story, statements: list[SharedStatement], outlets: tuple[str, ...]
) -> tuple[tuple[float, ...], ...]:
    """For each pair of outlets, how much of the first one's text it shares with the second.

    Outlets that reuse the same wire copy share much; those that only quote the same people, little.
    """
    outlet_of = {article.id: article.outlet for article in story.articles}
    # Each article's shared spans, grouped by the outlets that carry their statement.
    spans: dict[str, dict[frozenset[str], list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for statement in statements:
        carriers = frozenset(outlet_of[o.article] for o in statement.occurrences)
        for occurrence in statement.occurrences:
            spans[occurrence.article][carriers].append((occurrence.start, occurrence.end))
    index = {outlet: number for number, outlet in enumerate(outlets)}
    shared = [[0] * len(outlets) for _ in outlets]
    length = [0] * len(outlets)
    # Once per set of groups: most articles carry the same statements, by the same outlets.
    groups_of: dict[tuple[frozenset[str], ...], dict[int, tuple[int, ...]]] = {}
    for article in story.articles:
        row = index[article.outlet]
        length[row] += len(article.text)
        groups = list(spans[article.id].values())
        carrier_sets = tuple(spans[article.id])
        if carrier_sets not in groups_of:
            groups_of[carrier_sets] = outlet_groups(carrier_sets, index)
        covered: dict[tuple[int, ...], int] = {}  # most outlets share the same groups: count them once
        shared_row = shared[row]
        for column, key in groups_of[carrier_sets].items():
            if column == row:
                continue
            if key not in covered:
                covered[key] = covered_length([span for number in key for span in groups[number]])
            shared_row[column] += covered[key]
    return tuple(tuple(value / length[row] for value in shared[row]) for row in range(len(outlets)))


def outlet_groups(carriers: tuple[frozenset[str], ...], index: dict[str, int]) -> dict[int, tuple[int, ...]]:
    """Of an article's groups, by their carriers: each outlet's number (`index`) -> the numbers of
    the groups it carries. The outlets of none are left out: they share nothing with the article."""
    numbers: dict[int, list[int]] = defaultdict(list)
    for number, outlets in enumerate(carriers):
        for outlet in outlets:
            numbers[index[outlet]].append(number)
    return {outlet: tuple(found) for outlet, found in numbers.items()}


def variant(statement: SharedStatement, occurrence: Occurrence, differences=None) -> Variant:
    """An occurrence compared with the words of its claim's version it is closest to, or, where
    no claim covers the statement, with its first occurrence."""
    differences = differences or word_differences
    if statement.part is None:
        return Variant(occurrence, differences(statement.occurrences[0].text, occurrence.text))
    version, words = closest_version(statement.part, occurrence.text)
    return Variant(occurrence, differences(words, occurrence.text), version)


def closest_version(part: Part, wording: str) -> tuple[str, str]:
    """The version of a part whose words are closest to this wording: (its id, its words)."""
    if len(part.versions) == 1:
        return part.versions[0]
    folded = fold(wording)
    return max(part.versions, key=lambda version: fuzz.ratio(fold(version[1]), folded))


TOKEN = re.compile(r"\S+")


def word_key(word: str) -> str:
    """What counts when comparing words: letters and digits, in lower case ("1,400" = "1400")."""
    return "".join(character for character in word.lower() if character.isalnum())


def word_differences(reference: str, wording: str) -> tuple[Difference, ...]:
    """Word-level differences, as in a collation: punctuation and case do not count."""
    before = [w for w in TOKEN.findall(reference) if word_key(w)]
    after = [w for w in TOKEN.findall(wording) if word_key(w)]
    matcher = difflib.SequenceMatcher(None, [word_key(w) for w in before], [word_key(w) for w in after], autojunk=False)
    kinds = {"equal": "same", "insert": "added", "delete": "dropped", "replace": "changed"}
    return tuple(
        Difference(kinds[operation], " ".join(before[i1:i2]), " ".join(after[j1:j2]))
        for operation, i1, i2, j1, j2 in matcher.get_opcodes()
    )
