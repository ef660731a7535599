"""Scoring candidate pairs with rapidfuzz, and the links they give between places of articles
(and the claims they locate). Units of similar length are compared whole; a shorter unit is
looked for inside a longer one, so that a quoted fragment joins the quotation it comes from."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import NamedTuple

from rapidfuzz import fuzz

from ..cache import Cache
from ..extract import Unit
from ..model import Part
from .index import Wording, candidate_pairs, owner
from .spans import ALIGNED, QUOTED, SENTENCE, WORD, Place, fold
from .thresholds import (
    COMPARABLE_LENGTH,
    FIT_SLACK,
    FRAGMENT_DISCOUNT,
    FRAGMENT_MIN_SCORE,
    LONG_FRAGMENT_MIN_SCORE,
    LONG_FRAGMENT_WORDS,
    SAME_MIN_SCORE,
    SAME_PLACE_SHARE,
    SNAP_WORDS,
)

Node = Place | Part  # what links join


@dataclass(frozen=True)
class Link:
    score: float
    a: Node  # a Place, or the claim Part it locates
    b: Place
    whole: bool = True  # both sides compared whole; False where one was found inside the other
    # Two spans of one article that are one place (a quotation and its sentence): not a match,
    # so no score counts; these are joined before all others.
    same_place: bool = False

    @property
    def strength(self) -> float:
        """Links are applied strongest first; a match inside a longer text is weaker evidence."""
        return self.score if self.whole else self.score - FRAGMENT_DISCOUNT


def no_progress(iterable, total: int, description: str):
    return iterable


class Text(NamedTuple):
    """One folded text and every item that reads so: the first is compared, for all of them."""

    folded: str
    items: list[Unit | Wording]
    owner: Hashable  # the article or claim all its items are from; several, if more than one


class TextMatch(NamedTuple):
    """Two texts that carry the same statement, as `compare_texts` finds them."""

    score: float
    whole: bool  # compared whole; else the shorter was found inside the longer...
    first_is_shorter: bool
    start: int  # ...between these offsets of the longer
    end: int


def item_links(items: list[Unit | Wording], cache: Cache, progress=no_progress) -> list[Link]:
    """Links between items that carry the same statement.

    Units that read the same once folded (the same wire sentence in a hundred articles) are
    compared once, through one of them: the others are linked to it, and a match found inside it
    is found inside each of them.
    """
    alike: dict[tuple[str, bool], list[Unit | Wording]] = defaultdict(list)
    folded_of: dict[str, str] = {}  # a sentence found word for word in many articles is folded once
    for item in items:
        if item.text not in folded_of:
            folded_of[item.text] = fold(item.text)
        alike[folded_of[item.text], isinstance(item, Wording)].append(item)
    texts = [
        Text(folded, copies, common_owner(copies, number)) for number, ((folded, _), copies) in enumerate(alike.items())
    ]
    links = [
        link(100.0, node(text.items[0]), node(copy), whole=True)
        for text in texts
        if isinstance(text.items[0], Unit)
        for copy in text.items[1:]
    ]
    pairs = candidate_pairs([t.items[0] for t in texts], [t.folded for t in texts], [t.owner for t in texts])
    for i, j in progress(pairs, len(pairs), "Matching"):
        first, second = texts[i], texts[j]
        found = cache.remember(
            "pair", (first.folded, second.folded), functools.partial(compare_texts, first.folded, second.folded)
        )
        if not found:
            continue
        match = TextMatch(*found)  # kept as a list in the cache
        if match.whole:
            links.append(link(match.score, node(first.items[0]), node(second.items[0]), whole=True))
            continue
        short, long = (first, second) if match.first_is_shorter else (second, first)
        links += [
            link(match.score, node(short.items[0]), node(copy, match.start, match.end), whole=False)
            for copy in long.items
        ]
    return links


def common_owner(copies: list[Unit | Wording], number: int) -> Hashable:
    """The article (or claim) the copies of a text are from; if several, one of its own: a text
    found in several articles may pair with one from any of them, even its first's."""
    owners = {owner(copy) for copy in copies}
    return owners.pop() if len(owners) == 1 else ("several", number)


def compare_texts(folded_a: str, folded_b: str) -> TextMatch | None:
    """Whether two folded texts carry the same statement, and how."""
    words_a, words_b = len(folded_a.split()), len(folded_b.split())
    if min(words_a, words_b) >= COMPARABLE_LENGTH * max(words_a, words_b):
        score = similarity(folded_a, folded_b)
        return TextMatch(score, True, False, 0, 0) if score >= SAME_MIN_SCORE else None
    a_is_shorter = words_a < words_b
    short, long = (folded_a, folded_b) if a_is_shorter else (folded_b, folded_a)
    cutoff = LONG_FRAGMENT_MIN_SCORE if min(words_a, words_b) >= LONG_FRAGMENT_WORDS else FRAGMENT_MIN_SCORE
    found = best_window(short, long, cutoff)
    return None if found is None else TextMatch(found[0], False, a_is_shorter, found[1], found[2])


def similarity(a: str, b: str) -> float:
    """Character similarity, or word similarity whatever the word order, whichever is higher."""
    return max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b))


def node(item: Unit | Wording, start: int | None = None, end: int | None = None) -> Node:
    """What a link joins: a claim's part, a whole unit, or the stretch of a unit between start and end."""
    if isinstance(item, Wording):
        return item.part
    if start is None or end is None or not item.exact:  # an inexact unit has no place inside it to point to
        return Place(item.article, item.start, item.end, QUOTED if item.quoted else SENTENCE)
    return Place(item.article, item.start + start, item.start + end, ALIGNED)


def link(score: float, a: Node, b: Node, whole: bool) -> Link:
    """A link with its place second: a claim's part only ever stands first."""
    if isinstance(b, Part):
        a, b = b, a
    assert isinstance(b, Place), "two claims' parts are never compared"
    return Link(score, a, b, whole)


def best_window(target: str, folded_text: str, cutoff: float) -> tuple[float, int, int] | None:
    """Where `target` matches best inside `folded_text`: (score, start, end) at whole words."""
    # The alignment is only as long as the target; fitting it to whole words (which may lengthen
    # it) can raise the score, so a rough match somewhat below the cutoff is worth fitting.
    alignment = fuzz.partial_ratio_alignment(target, folded_text, score_cutoff=cutoff - FIT_SLACK)
    if alignment is None:
        return None
    start, end = fit_span(target, folded_text, alignment.dest_start, alignment.dest_end)
    score = max(alignment.score, similarity(target, folded_text[start:end]))
    return (score, start, end) if score >= cutoff else None


def fit_span(target: str, folded_text: str, start: int, end: int) -> tuple[int, int]:
    """Move a rough match's edges to the word boundaries where it matches `target` best.

    The alignment is as long as the target, so it may cut a longer rendering short or begin
    inside a word; trying the nearby word boundaries fixes both.
    """
    words = [(m.start(), m.end()) for m in WORD.finditer(folded_text, max(0, start - 200), end + 200)]
    if not words:
        return start, end
    first = min(range(len(words)), key=lambda i: abs(words[i][0] - start))
    last = min(range(len(words)), key=lambda i: abs(words[i][1] - end))
    starts = [words[i][0] for i in range(max(0, first - SNAP_WORDS), min(len(words), first + SNAP_WORDS + 1))]
    ends = [words[i][1] for i in range(max(0, last - SNAP_WORDS), min(len(words), last + SNAP_WORDS + 1))]
    candidates = [(s, e) for s in starts for e in ends if s < e]
    # The closest match; of equally close ones, the tightest.
    return max(candidates, key=lambda span: (similarity(target, folded_text[span[0] : span[1]]), span[0], -span[1]))


def same_place_links(places: set[Place]) -> list[Link]:
    """Links between spans of one article that are the same place: a quotation and its sentence."""
    links = []
    by_article: dict[str, list[Place]] = defaultdict(list)
    for place in places:
        by_article[place.article].append(place)
    for spans in by_article.values():
        spans.sort(key=order_key)
        for i, first in enumerate(spans):
            for j in range(i + 1, len(spans)):  # by index: a slice would copy the rest of the list
                second = spans[j]
                if second.start >= first.end:
                    break
                if same_place(first, second):
                    links.append(Link(100.0, first, second, same_place=True))
    return links


def order_key(node: Node) -> tuple:
    if isinstance(node, Place):
        return (0, node.article, node.start, node.end, node.rank)
    return (1, node.id, 0, 0, 0)


def same_place(a: Place, b: Place) -> bool:
    union = max(a.end, b.end) - min(a.start, b.start)
    inside = min(a.end, b.end) - max(a.start, b.start)
    return a.article == b.article and inside >= SAME_PLACE_SHARE * union
