"""Which articles to align with which: each article with the earlier ones it shares most runs of
words with. An index of word runs proposes them, so the work grows with the number of articles,
not with its square, even where a wire story is carried by thousands."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from .align import runs
from .thresholds import CONSIDERED_SOURCES, MAX_SOURCES, SOURCE_CARRIERS, SOURCE_GRAM_WORDS


def source_candidates(keys: Sequence[Sequence[int]]) -> list[tuple[int, ...]]:
    """For each article, in story order, the earlier ones it is to be aligned with: at most
    MAX_SOURCES, chosen one by one as the article that shares most of the runs of
    SOURCE_GRAM_WORDS words the ones chosen before do not (so a paper made of two wire stories
    is aligned with both, not twice with the longer).

    A run is looked up only among the first SOURCE_CARRIERS articles that carry it: those that
    had it first, where a source is to be found; and the index stays small."""
    # Most runs are in one article only: its number stands for the list, which would take more room.
    carriers: dict[int, int | list[int]] = {}
    found = []
    for number, article_keys in enumerate(keys):
        shares: dict[int, set[int]] = defaultdict(set)  # earlier article -> the runs it shares
        for gram in set(runs(article_keys, SOURCE_GRAM_WORDS)):
            having = carriers.get(gram)
            if having is None:
                carriers[gram] = number
            elif isinstance(having, int):
                shares[having].add(gram)
                carriers[gram] = [having, number]
            else:
                for other in having:
                    shares[other].add(gram)
                if len(having) < SOURCE_CARRIERS:
                    having.append(number)
        found.append(covering(shares))
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
