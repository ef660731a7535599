"""Units to compare, and the candidate pairs an index of rare word pairs proposes among them:
only units that share rare word pairs are ever compared, so the work grows with the number of
units, not with its square."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from ..cache import Cache
from ..extract import Unit, units
from ..model import Article, Part
from ..parallel import map_numbers
from .thresholds import BANAL_SHARE, BANAL_UNITS, MIN_SHARED_SHINGLES, SENTENCE_MIN_WORDS, SHINGLE_WORDS, UNIT_MIN_WORDS


def shingles(folded: str) -> set[tuple[str, ...]]:
    words = folded.split()
    return set(zip(*(words[i:] for i in range(SHINGLE_WORDS))))


@dataclass(frozen=True)
class Wording:
    """A claim part's words in one of its versions, or a rendering: matched against units like a unit itself."""

    part: Part
    text: str


def owner(item: Unit | Wording) -> str:
    return item.article if isinstance(item, Unit) else f"claim {item.part.claim}"


def candidate_pairs(
    items: list[Unit | Wording], folded: list[str], owners: Sequence[Hashable] | None = None
) -> list[tuple[int, int]]:
    """Pairs of items from different articles (or an article and a claim) that share enough
    rare shingles. Items with the same owner are never paired; by default an item's owner is
    its article (or claim)."""
    # Most word pairs are in one item only: each is noted with its first item, and given a list
    # of its items only when a second has it (a list for each of a million word pairs is slow).
    first_item: dict[tuple[str, ...], int] = {}
    index: dict[tuple[str, ...], list[int]] = {}
    for number, text in enumerate(folded):
        for shingle in shingles(text):
            if (found := first_item.setdefault(shingle, number)) != number:
                index.setdefault(shingle, [found]).append(number)
    banal = max(BANAL_UNITS, BANAL_SHARE * len(items))
    # A claim may be found in any unit; two units are compared only if each could be shared.
    shareable = [
        isinstance(item, Wording) or item.quoted or len(text.split()) >= SENTENCE_MIN_WORDS
        for item, text in zip(items, folded)
    ]
    owners = owners or [owner(item) for item in items]
    claims = [isinstance(item, Wording) for item in items]
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for postings in index.values():
        if len(postings) > banal:
            continue
        by_owner: dict[Hashable, list[int]] = defaultdict(list)
        for number in postings:
            by_owner[owners[number]].append(number)
        # Only pairs across articles count: a long article repeating itself costs nothing.
        for one, other in itertools.combinations(by_owner.values(), 2):
            for first in one:
                for second in other:
                    # A claim is compared with units only: two claims are never one statement.
                    if claims[first] != claims[second] or (
                        not claims[first] and shareable[first] and shareable[second]
                    ):
                        shared[min(first, second), max(first, second)] += 1
    return sorted(pair for pair, count in shared.items() if count >= MIN_SHARED_SHINGLES)


def all_units(articles: tuple[Article, ...], cache: Cache, jobs: int) -> list[list[Unit]]:
    """Each article's units, from the cache or cut afresh (by several processes if it pays)."""
    keys = [(article.language, UNIT_MIN_WORDS, article.text) for article in articles]

    def cut(number: int) -> tuple[list[list], bool]:
        """The article's units as rows, and whether they were cut afresh."""
        if (found := cache.get("units", keys[number])) is not None:
            return found, False
        return [[u.start, u.end, u.text, u.quoted, u.exact] for u in units(articles[number], UNIT_MIN_WORDS)], True

    rows = map_numbers(cut, len(articles), jobs)
    for key, (found, fresh) in zip(keys, rows):
        # A worker's cache is its own: what it cut is kept here, and what it found counted as used.
        if fresh:
            cache.keep("units", key, found)
        else:
            cache.used_again("units", key)
    return [[Unit(article.id, *row) for row in found] for article, (found, _) in zip(articles, rows)]
