"""Measure text-reuse detection at document level on COUNTER, the corpus of Urdu news text reuse.

    .venv/bin/python bench/reuse.py [--counter PATH] [--folds 5] [--detectors NAME[,NAME...]] [--limit N] [--write]

COUNTER (Muhammad, Nawab and Rayson 2016, CC BY-NC-SA 4.0, research use only) holds 600 pairs of
an agency story and a newspaper story, each pair labelled by people as wholly derived (WD),
partially derived (PD) or not derived (ND): the setting of Clough et al. 2002. The corpus is read
at run time from ../shared/reuse-dev/COUNTER (see ../shared/reuse-dev/README.md) and nothing of
its text is printed or written: only aggregate figures.

Each detector turns a pair (source text, derived text) into named features in [0, 1]:

- trigram_containment: the share of the derived text's word n-grams (1, 2, 3) found in the source;
- parallax: what a build of the pair as two articles says: the share of the derived text in
  statements both carry (sentence matching alone, as Parallax measured before it aligned
  passages), and the derived article's reuse of the source: its words reused (verbatim or
  rewritten), verbatim, its distinct words the source has, and the score its label is given by.

Each feature classifies pairs by thresholds: one for two-way (WD or PD against ND), two for
three-way (ND below the lower, WD at or above the higher, PD between). Thresholds are chosen on
the training folds of a stratified k-fold cross-validation to maximise macro F1; the macro F1 of
the held-out predictions, pooled, is reported, with the thresholds chosen on the whole set for
reference. --write also writes bench/reuse-results.md.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import importlib
import random
import re
import sys
import time
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

LABELS = ("WD", "PD", "ND")
TWO_WAY = ("derived", "ND")
SEED = 2002  # folds are the same from run to run, so that runs can be compared
SOURCE_NAME = re.compile(r"(\d{4})\.xml")


@dataclass(frozen=True)
class Pair:
    source: str
    derived: str
    label: str


class Skipped(Exception):
    """A detector that cannot run in this checkout; the message says why, in one line."""


# -- reading COUNTER --------------------------------------------------------------------------


def document(path: Path) -> tuple[str, str]:
    """A file's text (headline, blank line, body), NFC (the corpus is not consistently), and label."""
    root = ET.parse(path).getroot()
    headline = (root.findtext("headline") or "").strip()
    body = (root.findtext("body") or "").strip()
    return unicodedata.normalize("NFC", f"{headline}\n\n{body}"), root.get("classification", "")


def read_pairs(folder: Path, limit: int | None) -> list[Pair]:
    # Names are matched without case: pair 0032's derived file is 0032P.xml.
    by_name = {path.name.lower(): path for path in folder.iterdir() if path.name.lower().endswith(".xml")}
    numbers = sorted(match.group(1) for name in by_name if (match := SOURCE_NAME.fullmatch(name)))
    pairs = []
    for number in numbers[:limit]:
        source, source_label = document(by_name[f"{number}.xml"])
        derived, label = document(by_name[f"{number}p.xml"])
        if label not in LABELS or source_label != label:
            raise SystemExit(f"pair {number}: labels {source_label!r} and {label!r}, expected one of {LABELS}")
        pairs.append(Pair(source, derived, label))
    return pairs


# -- detectors --------------------------------------------------------------------------------


def tokens(text: str) -> list[str]:
    """Whitespace-separated words, without the punctuation and symbols at their ends, case-folded."""
    found = []
    for word in text.split():
        start, end = 0, len(word)
        while start < end and unicodedata.category(word[start])[0] in "PS":
            start += 1
        while end > start and unicodedata.category(word[end - 1])[0] in "PS":
            end -= 1
        if start < end:
            found.append(unicodedata.normalize("NFC", word[start:end].casefold()))
    return found


def ngrams(words: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[index : index + n]) for index in range(len(words) - n + 1)}


def containment(source: set, derived: set) -> float:
    return len(derived & source) / len(derived) if derived else 0.0


def trigram_containment(source_text: str, derived_text: str) -> dict[str, float]:
    """The share of the derived text's distinct word n-grams that the source also has
    (Broder's containment, as in Clough et al. 2002); trigrams are the classic feature."""
    source, derived = tokens(source_text), tokens(derived_text)
    return {f"{n}-gram": containment(ngrams(source, n), ngrams(derived, n)) for n in (3, 1, 2)}


def parallax(module: str):
    """A Parallax module, imported only when a detector needs it, so that the others still run
    where Parallax cannot be imported."""
    try:
        return importlib.import_module(f"parallax.{module}")
    except ImportError as error:
        raise Skipped(f"parallax.{module} cannot be imported ({error})") from None


@functools.cache
def converter():
    return parallax("load").BodyConverter()


def article(text: str, article_id: str, published: datetime.date):
    """An Urdu article made from the text as if it were the body of a Markdown file."""
    model = parallax("model")
    # The body is Markdown, where "<" would be refused as HTML.
    converted = converter().convert(text.replace("<", "&lt;"), 1, Path(f"{article_id}.md"), [])
    if converted is None:
        raise Skipped(f"{article_id}: Parallax made no text of it")
    body, blocks = converted
    return model.Article(
        id=article_id,
        path=Path(f"{article_id}.md"),
        outlet=article_id,
        published=published,
        language="ur",
        title=None,
        author=None,
        url=None,
        translated_from=None,
        via=None,
        capture=None,
        edits=(),
        notes=None,
        text=body,
        blocks=blocks,
    )


def articles(source_text: str, derived_text: str):
    """The pair as two articles, the agency's a day before the newspaper's, as it was printed."""
    day = datetime.date(2014, 7, 1)
    return article(source_text, "source", day), article(derived_text, "derived", day + datetime.timedelta(days=1))


def parallax_build(source_text: str, derived_text: str) -> dict[str, float]:
    """What a build says of the pair as two articles: the share of the derived text in statements
    both carry (what sentence matching alone found), and its reuse of the source: the share of its
    words reused (verbatim or rewritten), verbatim, its vocabulary, and the score its label is given by."""
    model, pipeline = parallax("model"), parallax("pipeline")
    source, derived = articles(source_text, derived_text)
    comparison = pipeline.compared(model.Archive(model.Story("x", None, None), (source, derived), ()))
    summary = comparison.summaries[1]
    (reuse,) = summary.reuse.sources or [None]
    return {
        "statements": summary.shared_share,
        "score": reuse.score if reuse else 0.0,
        "reused": summary.reuse.share,
        "verbatim": summary.reuse.verbatim_share,
        "vocabulary": reuse.vocabulary if reuse else 0.0,
    }


DETECTORS: dict[str, Callable[[str, str], dict[str, float]]] = {
    "trigram_containment": trigram_containment,
    "parallax": parallax_build,
}


def run(detector: Callable[[str, str], dict[str, float]], pairs: list[Pair]) -> tuple[dict[str, list[float]], float]:
    """Each feature's value for every pair, and the seconds it took."""
    started = time.perf_counter()
    values: dict[str, list[float]] = {}
    for pair in pairs:
        for name, value in detector(pair.source, pair.derived).items():
            values.setdefault(name, []).append(value)
    return values, time.perf_counter() - started


# -- thresholds, scored by cross-validation ---------------------------------------------------


def two_way(label: str) -> str:
    return "ND" if label == "ND" else "derived"


def macro_f1(gold: list[str], predicted: list[str], classes: tuple[str, ...]) -> float:
    return macro_f1_of(confusion(gold, predicted, classes), classes)


def confusion(gold: list[str], predicted: list[str], classes: tuple[str, ...]) -> dict[tuple[str, str], int]:
    """How many pairs of each gold class were given each class: {(gold, predicted): count}."""
    counts = {(g, p): 0 for g in classes for p in classes}
    for pair in zip(gold, predicted):
        counts[pair] += 1
    return counts


def macro_f1_of(counts: dict[tuple[str, str], int], classes: tuple[str, ...]) -> float:
    total = 0.0
    for label in classes:
        hits = counts[label, label]
        given = sum(counts[other, label] for other in classes)
        actual = sum(counts[label, other] for other in classes)
        total += 2 * hits / (given + actual) if given + actual else 0.0
    return total / len(classes)


def below_counts(values: list[float], gold: list[str], classes: tuple[str, ...]) -> tuple[list[float], list[dict]]:
    """The distinct values, sorted, and for each how many pairs of each class lie below it (and,
    last, in all): with them a threshold's confusion matrix costs a few additions, which makes
    trying every pair of thresholds affordable."""
    candidates = sorted(set(values))
    position = {value: index for index, value in enumerate(candidates)}
    at = [dict.fromkeys(classes, 0) for _ in candidates]
    for value, label in zip(values, gold):
        at[position[value]][label] += 1
    below, running = [], dict.fromkeys(classes, 0)
    for counts in at:
        below.append(dict(running))
        running = {label: running[label] + counts[label] for label in classes}
    return candidates, [*below, running]


def best_two_way(values: list[float], gold: list[str]) -> tuple[float]:
    """The threshold at or above which pairs are called derived that maximises macro F1."""
    candidates, below = below_counts(values, gold, TWO_WAY)
    total = below[-1]
    best, chosen = -1.0, (candidates[0],)
    for index, threshold in enumerate(candidates):
        under = below[index]
        counts = {}
        for label in TWO_WAY:
            counts[label, "ND"] = under[label]
            counts[label, "derived"] = total[label] - under[label]
        score = macro_f1_of(counts, TWO_WAY)
        if score > best:
            best, chosen = score, (threshold,)
    return chosen


def best_three_way(values: list[float], gold: list[str]) -> tuple[float, float]:
    """The thresholds t_nd < t_wd (ND below t_nd, WD at or above t_wd) that maximise macro F1."""
    candidates, below = below_counts(values, gold, LABELS)
    total = below[-1]
    if len(candidates) < 2:
        return candidates[0], candidates[0]
    best, chosen = -1.0, (candidates[0], candidates[1])
    for low, t_nd in enumerate(candidates):
        under = below[low]
        for high in range(low + 1, len(candidates)):
            middle = below[high]
            counts = {}
            for label in LABELS:
                counts[label, "ND"] = under[label]
                counts[label, "PD"] = middle[label] - under[label]
                counts[label, "WD"] = total[label] - middle[label]
            score = macro_f1_of(counts, LABELS)
            if score > best:
                best, chosen = score, (t_nd, candidates[high])
    return chosen


def predict_two_way(value: float, thresholds: tuple[float]) -> str:
    return "derived" if value >= thresholds[0] else "ND"


def predict_three_way(value: float, thresholds: tuple[float, float]) -> str:
    t_nd, t_wd = thresholds
    return "ND" if value < t_nd else "WD" if value >= t_wd else "PD"


def folds(labels: list[str], count: int) -> list[int]:
    """Each pair's fold: every label dealt in turn over the folds after a seeded shuffle, so
    each fold has about the same share of WD, PD and ND."""
    chance = random.Random(SEED)
    fold_of = [0] * len(labels)
    dealt = 0
    for label in LABELS:
        members = [index for index, gold in enumerate(labels) if gold == label]
        chance.shuffle(members)
        for index in members:
            fold_of[index] = dealt % count
            dealt += 1
    return fold_of


def cross_validated(
    values: list[float], gold: list[str], fold_of: list[int], choose: Callable, predict: Callable
) -> list[str]:
    """Every pair's prediction by thresholds chosen on the folds it is not in."""
    predicted = [""] * len(values)
    for fold in sorted(set(fold_of)):
        training = [index for index, f in enumerate(fold_of) if f != fold]
        thresholds = choose([values[i] for i in training], [gold[i] for i in training])
        for index, f in enumerate(fold_of):
            if f == fold:
                predicted[index] = predict(values[index], thresholds)
    return predicted


@dataclass
class Result:
    detector: str
    feature: str
    two_way: float  # macro F1 of the held-out predictions, pooled
    three_way: float
    two_way_threshold: tuple[float]  # chosen on all pairs
    three_way_thresholds: tuple[float, float]
    two_way_predicted: list[str]
    three_way_predicted: list[str]


def evaluate(detector: str, feature: str, values: list[float], labels: list[str], fold_of: list[int]) -> Result:
    binary = [two_way(label) for label in labels]
    two = cross_validated(values, binary, fold_of, best_two_way, predict_two_way)
    three = cross_validated(values, labels, fold_of, best_three_way, predict_three_way)
    return Result(
        detector,
        feature,
        macro_f1(binary, two, TWO_WAY),
        macro_f1(labels, three, LABELS),
        best_two_way(values, binary),
        best_three_way(values, labels),
        two,
        three,
    )


# -- report -----------------------------------------------------------------------------------


def results_table(results: list[Result]) -> list[str]:
    lines = [
        "| detector | feature | two-way macro F1 | three-way macro F1 | two-way threshold | three-way t_nd / t_wd |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        t_nd, t_wd = r.three_way_thresholds
        lines.append(
            f"| {r.detector} | {r.feature} | {r.two_way:.3f} | {r.three_way:.3f} "
            f"| {r.two_way_threshold[0]:.3f} | {t_nd:.3f} / {t_wd:.3f} |"
        )
    return lines


def per_label(gold: list[str], predicted: list[str], classes: tuple[str, ...]) -> str:
    """Precision and recall of each class, as "WD P 0.80 R 0.70"."""
    counts = confusion(gold, predicted, classes)
    parts = []
    for label in classes:
        given = sum(counts[other, label] for other in classes)
        actual = sum(counts[label, other] for other in classes)
        precision = counts[label, label] / given if given else 0.0
        recall = counts[label, label] / actual if actual else 0.0
        parts.append(f"{label} P {precision:.2f} R {recall:.2f}")
    return ", ".join(parts)


def best_feature_lines(results: list[Result], labels: list[str]) -> list[str]:
    """For each detector's best feature (by three-way macro F1): precision and recall per label
    and the three-way confusion matrix, from the held-out predictions."""
    binary = [two_way(label) for label in labels]
    lines = []
    for detector in dict.fromkeys(r.detector for r in results):
        best = max((r for r in results if r.detector == detector), key=lambda r: (r.three_way, r.two_way))
        counts = confusion(labels, best.three_way_predicted, LABELS)
        lines += [
            f"{detector}, {best.feature}:",
            "",
            f"- two-way: {per_label(binary, best.two_way_predicted, TWO_WAY)}",
            f"- three-way: {per_label(labels, best.three_way_predicted, LABELS)}",
            "",
            "| gold \\ predicted | WD | PD | ND |",
            "| --- | ---: | ---: | ---: |",
        ]
        lines += [f"| {g} | " + " | ".join(str(counts[g, p]) for p in LABELS) + " |" for g in LABELS]
        lines.append("")
    return lines


def own_labels(scores: list[float], gold: list[str]) -> str:
    """How the labels the build gives (fixed thresholds on the score, in parallax/reuse/thresholds.py) score."""
    thresholds = parallax("reuse.thresholds")
    three = [predict_three_way(score, (thresholds.PARTIALLY_SCORE, thresholds.WHOLLY_SCORE)) for score in scores]
    two = [two_way(label) for label in three]
    return (
        f"The build's own labels (score thresholds {thresholds.PARTIALLY_SCORE} / {thresholds.WHOLLY_SCORE}): "
        f"two-way macro F1 {macro_f1([two_way(g) for g in gold], two, ('derived', 'ND')):.3f}, "
        f"three-way {macro_f1(gold, three, ('WD', 'PD', 'ND')):.3f}"
    )


def report(
    pairs: list[Pair],
    results: list[Result],
    seconds: dict[str, float],
    notes: list[str],
    folds_count: int,
    command: str,
) -> str:
    labels = [pair.label for pair in pairs]
    lines = [
        f"COUNTER, {len(pairs)} pairs (WD {labels.count('WD')}, PD {labels.count('PD')}, ND {labels.count('ND')}); "
        f"macro F1 of held-out predictions, {folds_count}-fold stratified cross-validation; thresholds on all pairs.",
        "",
        *results_table(results),
        "",
        *best_feature_lines(results, labels),
        "Time for the pairs: " + ", ".join(f"{name} {s:.1f} s" for name, s in seconds.items()),
    ]
    lines += notes
    lines += ["", f"`{command}`, {datetime.date.today().isoformat()}"]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--counter", type=Path, default=REPO.parent / "shared" / "reuse-dev" / "COUNTER")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--detectors", default=",".join(DETECTORS), help="comma-separated, of: " + ", ".join(DETECTORS))
    parser.add_argument("--limit", type=int, help="only the first N pairs, for a quick run")
    parser.add_argument("--write", action="store_true", help="also write bench/reuse-results.md")
    arguments = parser.parse_args()
    if not arguments.counter.is_dir():
        parser.error(f"no COUNTER folder at {arguments.counter} (see ../shared/reuse-dev/README.md)")
    chosen = [name.strip() for name in arguments.detectors.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in DETECTORS]
    if unknown:
        parser.error(f"unknown detector {', '.join(unknown)}; known: {', '.join(DETECTORS)}")
    pairs = read_pairs(arguments.counter, arguments.limit)
    if not 2 <= arguments.folds <= len(pairs):
        parser.error(f"--folds must be at least 2 and at most the number of pairs ({len(pairs)})")
    labels = [pair.label for pair in pairs]
    fold_of = folds(labels, arguments.folds)
    results, seconds, notes = [], {}, []
    for name in chosen:
        try:
            values, seconds[name] = run(DETECTORS[name], pairs)
        except Skipped as why:
            notes.append(f"Skipped: {name}: {why}")
            continue
        results += [evaluate(name, feature, found, labels, fold_of) for feature, found in values.items()]
        if name == "parallax":
            notes.append(own_labels(values["score"], labels))
    command = " ".join([".venv/bin/python", "bench/reuse.py", *sys.argv[1:]])
    text = report(pairs, results, seconds, notes, arguments.folds, command)
    print(text)
    if arguments.write:
        (REPO / "bench" / "reuse-results.md").write_text(text + "\n")


if __name__ == "__main__":
    main()
