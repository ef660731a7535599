"""Which articles to align with which: each article with the earlier ones it shares most runs of
words with. An index of word runs proposes them, so the work grows with the number of articles,
not with its square, even where a wire story is carried by thousands."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from ..cache import Cache, digest
from .align import runs
from .thresholds import CONSIDERED_SOURCES, MAX_SOURCES, SOURCE_CARRIERS, SOURCE_GRAM_WORDS


def source_candidates(keys: Sequence[Sequence[int]], texts: Sequence[str], cache: Cache) -> list[tuple[int, ...]]:
    """For each article, in story order, the earlier ones it is to be aligned with: at most
    MAX_SOURCES, chosen one by one as the article that shares most of the runs of
    SOURCE_GRAM_WORDS words the ones chosen before do not (so a paper made of two wire stories
    is aligned with both, not twice with the longer).

    A run is looked up only among the first SOURCE_CARRIERS articles that carry it: those that
    had it first, where a source is to be found; and the index stays small.

    An article's sources depend on it and every article before it: they are kept in `cache`
    keyed by all their texts (`texts`: their digests), so an article is chosen its sources
    afresh only where it or one before it has changed; the index is made whole all the same."""
    # Most runs are in one article only: its number stands for the list, which would take more room.
    carriers: dict[int, int | list[int]] = {}
    found = []
    before = ""  # the digest of the texts so far
    for number, article_keys in enumerate(keys):
        before = digest(before + texts[number])
        kept = cache.get("sources", (before,))
        shares: dict[int, set[int]] = defaultdict(set)  # earlier article -> the runs it shares
        for gram in set(runs(article_keys, SOURCE_GRAM_WORDS)):
            having = carriers.get(gram)
            if having is None:
                carriers[gram] = number
                continue
            if kept is None:
                for other in [having] if isinstance(having, int) else having:
                    shares[other].add(gram)
            if isinstance(having, int):
                carriers[gram] = [having, number]
            elif len(having) < SOURCE_CARRIERS:
                having.append(number)
        if kept is None:
            kept = covering(shares)
            cache.keep("sources", (before,), kept)
        found.append(tuple(kept))
    return found


def covering(shares: dict[int, set[int]]) -> tuple[int, ...]:
    """The articles that together share most runs, one by one, each the one that adds most
    (of equals, the earliest); among the CONSIDERED that share most on their own."""
    considered = sorted(shares, key=lambda other: (-len(shares[other]), other))[:CONSIDERED_SOURCES]
    chosen: list[int] = []
    covered: set[int] = set()
    while considered and len(chosen) < MAX_SOURCES:
        gains = [(len(shares[other] - covered), -other) for other in considered]
        gain, best = max(gains)
        if gain == 0:
            break
        chosen.append(-best)
        covered |= shares[-best]
        considered.remove(-best)
    return tuple(sorted(chosen))
