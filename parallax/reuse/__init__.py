"""Stage 4: copy that articles reuse from each other, found even where it is rewritten.

1. Each article is indexed by runs of words; each is aligned with the few earlier articles it
   shares most runs with (`sources`), by worker processes, while another matches statements.
2. Each pair is aligned word by word (`align`): passages that may start and end inside a
   sentence, bridging words swapped, added or dropped.
3. The passages are grouped across articles (`group`): one shared entry of kind "passage" per
   stretch of copy, however many articles carry it.
4. Each article gets, for each source, how much of it comes from there and a label: wholly,
   partially or not derived.

Sentence-level matching (`match`) still finds quotations and claims; a sentence it found shared
that stands inside a passage is that passage, and is left to it (`outside_passages`).
"""

from __future__ import annotations

import base64
import dataclasses
import functools
from array import array
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from ..cache import Cache, digest
from ..match.group import unique_id
from ..match.spans import WORD, covered_length, fold
from ..model import ArticleReuse, Derivation, Occurrence, Reuse, SharedStatement, Story
from ..parallel import map_numbers
from .align import Passage, Tokens, Vocabulary, align, derivation, words_of
from .group import Stretch, occurrences, passage_groups
from .sources import source_candidates


@dataclass(frozen=True)
class Alignments:
    """Every article aligned with its sources, before the passages are grouped."""

    tokens: dict[str, Tokens]  # article id -> its words
    sources: list[tuple[int, ...]]  # for each article, the numbers of the articles it was aligned with
    passages: list[list[str]]  # for each article, for each of its sources, its passages as text (passages_text)


def aligned_articles(story: Story, cache: Cache, jobs: int) -> Alignments:
    """Each article aligned with its sources, by `jobs` processes. An article's words, its
    sources and its alignment with each, found at an earlier build from the same texts, are
    taken from `cache`."""
    texts = [digest(article.text) for article in story.articles]
    vocabulary = Vocabulary()
    tokens = {
        article.id: vocabulary.numbered(
            *words_of_row(cache.remember("words", (text,), functools.partial(words_row, article.text)))
        )
        for article, text in zip(story.articles, texts)
    }
    keys = [tokens[article.id].words for article in story.articles]
    sources = source_candidates(keys, texts, cache)
    task = functools.partial(aligned_with_sources, keys, sources, texts, cache)
    aligned = map_numbers(task, len(keys), jobs)
    for number, pairs in enumerate(aligned):
        for source, (text, fresh) in zip(sources[number], pairs):
            # A worker's cache is its own: what it aligned is kept here, and what it found counted as used.
            if fresh:
                cache.keep("alignment", (texts[source], texts[number]), text)
            else:
                cache.used_again("alignment", (texts[source], texts[number]))
    passages = [[text for text, _ in pairs] for pairs in aligned]
    return Alignments(tokens, sources, passages)


def words_row(text: str) -> list:
    """A text's words as words_of gives them, made JSON for the cache: its arrays as text."""
    *arrays, keys = words_of(text)
    return [*map(array_text, arrays), keys]


def words_of_row(row: list) -> tuple[array, array, array, list[str]]:
    *encoded, keys = row
    arrays = [text_array(text) for text in encoded]
    return arrays[0], arrays[1], arrays[2], keys


def array_text(numbers: array) -> str:
    """An array of numbers as the cache keeps it, base64 text: read back many times faster than
    JSON's lists of numbers, and handed from a worker process as one string."""
    return base64.b64encode(numbers.tobytes()).decode("ascii")


def text_array(text: str) -> array:
    return array("I", base64.b64decode(text))


class ReusedCopy(NamedTuple):
    """Copy that articles reuse from each other, before its passages are named (see `named`)."""

    passages: list[tuple[Occurrence, ...]]  # each passage's occurrences, in story order
    articles: dict[str, ArticleReuse]  # by article id


def reused_copy(story: Story, alignments: Alignments) -> ReusedCopy:
    """The passages articles reuse from each other, grouped, and what each article reuses."""
    articles, spans = story.articles, alignments.tokens
    stretches: list[tuple[Stretch, Stretch]] = []
    derivations: dict[str, list[Derivation]] = defaultdict(list)
    distinct = {article.id: set(spans[article.id].words) for article in articles}  # each article's different words
    for number, article in enumerate(articles):
        for source, text in zip(alignments.sources[number], alignments.passages[number]):
            origin = articles[source]
            passages = passages_of_text(text)
            # Published the same day, either may have taken from the other: both are said.
            same_day = origin.published == article.published
            for passage in passages:
                derived = stretch(article.id, passage, spans, origin.id)
                stretches.append(
                    (derived, stretch(origin.id, passage.flipped(), spans, article.id if same_day else None))
                )
            words, source_words = len(spans[article.id].words), len(spans[origin.id].words)
            vocabulary, source_vocabulary = distinct[article.id], distinct[origin.id]
            derivations[article.id].append(derivation(origin.id, words, vocabulary, source_vocabulary, passages))
            if same_day:
                flipped = [p.flipped() for p in passages]
                derivations[origin.id].append(
                    derivation(article.id, source_words, source_vocabulary, vocabulary, flipped)
                )
    return ReusedCopy(passage_places(stretches, story, spans), article_reuse(story, stretches, derivations, spans))


def named(copy: ReusedCopy, taken: set[str]) -> Reuse:
    """The reused copy, each passage a shared entry named by its first words, unlike the ids
    already given (`taken`: claims', statements') and the passages' named before it."""
    return Reuse(
        tuple(
            SharedStatement(
                id=unique_id("passage-" + "-".join(WORD.findall(fold(places[0].text))[:6]), taken),
                claim=None,
                part=None,
                kind="passage",
                occurrences=places,
            )
            for places in copy.passages
        ),
        copy.articles,
    )


def aligned_with_sources(
    keys: list[array], sources: list[tuple[int, ...]], texts: list[str], cache: Cache, number: int
) -> list[tuple[str, bool]]:
    """Article `number` aligned with each of its sources: the passages of each pair, as text
    (see passages_text), and whether they were aligned afresh. An alignment depends on the two
    texts only, which key it in the cache."""
    found = []
    for source in sources[number]:
        text = cache.get("alignment", (texts[source], texts[number]))
        fresh = text is None
        if fresh:
            text = passages_text(align(keys[source], keys[number]))
        found.append((text, fresh))
    return found


def passage_places(
    stretches: list[tuple[Stretch, Stretch]], story: Story, spans: dict[str, Tokens]
) -> list[tuple[Occurrence, ...]]:
    """The occurrences of each passage, one per group, in story order."""
    order = {article.id: number for number, article in enumerate(story.articles)}
    texts = {article.id: article.text for article in story.articles}
    return [
        tuple(sorted(occurrences(group, texts, spans), key=lambda o: (order[o.article], o.start)))
        for group in passage_groups(stretches, order)
    ]


def stretch(article: str, passage: Passage, spans: dict[str, Tokens], source: str | None) -> Stretch:
    """One side of a passage (its derived side, as `passage` is turned) in characters; its marks
    only where the article took it from `source`."""
    start, end = spans[article].starts[passage.derived[0]], spans[article].ends[passage.derived[1] - 1]
    if source is None:
        return Stretch(article, start, end)
    return Stretch(article, start, end, passage.verbatim, passage.rewritten, source)


def article_reuse(
    story: Story,
    stretches: list[tuple[Stretch, Stretch]],
    derivations: dict[str, list[Derivation]],
    spans: dict[str, Tokens],
) -> dict[str, ArticleReuse]:
    """Each article's reused share over all its sources, and its sources, strongest first."""
    sides: dict[str, list[Stretch]] = defaultdict(list)
    for pair in stretches:
        for side in pair:
            if side.source is not None:
                sides[side.article].append(side)
    found = {}
    for article in story.articles:
        total = max(1, len(spans[article.id].words))
        verbatim = [run for side in sides[article.id] for run in side.verbatim]
        reused = verbatim + [run for side in sides[article.id] for run in side.rewritten]
        found[article.id] = ArticleReuse(
            share=covered_length(reused) / total,
            verbatim_share=covered_length(verbatim) / total,
            sources=tuple(sorted(derivations[article.id], key=lambda d: (-d.score, -d.share, d.source))),
        )
    return found


def passages_text(passages: list[Passage]) -> str:
    """An alignment's passages as the cache keeps them and a worker hands them over: their
    numbers as an array_text (a story of 10,000 articles has 40,000 alignments). Each passage:
    its ranges in the source and in the derived text, then each kind of run (see Passage),
    counted."""
    numbers = array("I")
    for passage in passages:
        numbers.extend((*passage.source, *passage.derived))
        for runs in (passage.verbatim, passage.rewritten, passage.source_verbatim, passage.source_rewritten):
            numbers.append(len(runs))
            for run in runs:
                numbers.extend(run)
    return array_text(numbers)


def passages_of_text(text: str) -> list[Passage]:
    """The passages passages_text gave."""
    numbers = text_array(text).tolist()
    found, at = [], 0
    while at < len(numbers):
        source, derived, at = (numbers[at], numbers[at + 1]), (numbers[at + 2], numbers[at + 3]), at + 4
        kinds = []
        for _ in range(4):
            runs, at = numbers[at], at + 1
            flat, at = numbers[at : at + 2 * runs], at + 2 * runs
            kinds.append(tuple(zip(flat[::2], flat[1::2])))
        found.append(Passage(source, derived, *kinds))
    return found


def outside_passages(statements: list[SharedStatement], reuse: Reuse) -> tuple[list[SharedStatement], Reuse]:
    """The statements, without the shared sentences no claim covers that stand inside reused
    passages in every article: found again, whole, as the passage. The passage holding such a
    sentence's first occurrence answers to its id as well, so that links given out still work."""
    inside: dict[str, list[tuple[int, int, int]]] = defaultdict(list)  # article -> (start, end, passage)
    for number, passage in enumerate(reuse.passages):
        for occurrence in passage.occurrences:
            inside[occurrence.article].append((occurrence.start, occurrence.end, number))
    kept = []
    aliases: dict[int, list[str]] = defaultdict(list)
    for statement in statements:
        holders = [holder(o, inside) for o in statement.occurrences]
        if statement.claim is not None or statement.kind != "passage" or None in holders:
            kept.append(statement)
        else:
            aliases[holders[0]].append(statement.id)  # type: ignore[index]
    passages = tuple(
        dataclasses.replace(p, aliases=(*p.aliases, *aliases[number])) if number in aliases else p
        for number, p in enumerate(reuse.passages)
    )
    return kept, dataclasses.replace(reuse, passages=passages)


def holder(occurrence: Occurrence, inside: dict[str, list[tuple[int, int, int]]]) -> int | None:
    """The first passage whose occurrence holds this one, if any."""
    return next(
        (n for start, end, n in inside[occurrence.article] if start <= occurrence.start and occurrence.end <= end), None
    )
