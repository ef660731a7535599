"""Which articles to align with which: each article with the earlier ones it shares most runs of
words with. An index of word runs proposes them, so the work grows with the number of articles,
not with its square, even where a wire story is carried by thousands."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence

from .align import runs
from .thresholds import MAX_SOURCES, MIN_SHARED_GRAMS, SOURCE_CARRIERS, SOURCE_GRAM_WORDS


def sampled_grams(words: Sequence[int], lots: list[int]) -> set[int]:
    """The runs of SOURCE_GRAM_WORDS words an article is indexed by, each as one number: one in
    SOURCE_SAMPLE, those whose first word drew lot 0 (see Vocabulary), so that articles sample alike."""
    return {gram for gram, first in zip(runs(words, SOURCE_GRAM_WORDS), words) if lots[first] == 0}


def source_candidates(keys: Sequence[Sequence[int]], lots: list[int]) -> list[tuple[int, ...]]:
    """For each article, in archive order, the earlier ones it is to be aligned with.

    A run is looked up only among the first SOURCE_CARRIERS articles that carry it: those that
    had it first, where a source is to be found; and the index stays small."""
    carriers: dict[int, list[int]] = {}
    found = []
    for number, article_keys in enumerate(keys):
        grams = sampled_grams(article_keys, lots)
        counts = Counter(itertools.chain.from_iterable(carriers[gram] for gram in grams if gram in carriers))
        strongest = sorted((-count, other) for other, count in counts.items() if count >= MIN_SHARED_GRAMS)
        found.append(tuple(sorted(other for _, other in strongest[:MAX_SOURCES])))
        for gram in grams:
            having = carriers.setdefault(gram, [])
            if len(having) < SOURCE_CARRIERS:
                having.append(number)
    return found
