"""Which articles to align with which: each article with the earlier ones it shares most runs of
words with. An index of word runs proposes them, so the work grows with the number of articles,
not with its square, even where a wire story is carried by thousands."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from .align import runs
from .thresholds import MAX_SOURCES, SOURCE_CARRIERS, SOURCE_GRAM_WORDS


def source_candidates(keys: Sequence[Sequence[int]]) -> list[tuple[int, ...]]:
    """For each article, in archive order, the earlier ones it is to be aligned with: those it
    shares most runs of SOURCE_GRAM_WORDS words with, at most MAX_SOURCES.

    A run is looked up only among the first SOURCE_CARRIERS articles that carry it: those that
    had it first, where a source is to be found; and the index stays small."""
    # Most runs are in one article only: its number stands for the list, which would take more room.
    carriers: dict[int, int | list[int]] = {}
    found = []
    for number, article_keys in enumerate(keys):
        grams = set(runs(article_keys, SOURCE_GRAM_WORDS))
        counts: Counter[int] = Counter()
        for gram in grams:
            having = carriers.get(gram)
            if having is None:
                carriers[gram] = number
            elif isinstance(having, int):
                counts[having] += 1
                carriers[gram] = [having, number]
            else:
                counts.update(having)
                if len(having) < SOURCE_CARRIERS:
                    having.append(number)
        strongest = sorted((-count, other) for other, count in counts.items())
        found.append(tuple(sorted(other for _, other in strongest[:MAX_SOURCES])))
    return found
