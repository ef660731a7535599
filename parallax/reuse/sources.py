"""Which articles to align with which: each article with the earlier ones it shares most runs of
words with. An index of word runs proposes them, so the work grows with the number of articles,
not with its square, even where a wire story is carried by thousands.

An article's choice is kept between builds, keyed by what it depends on: its text, and those of
its peers (the earlier articles among the first carriers of one of its runs), in order. A change
early in a long story chooses afresh only the articles whose runs it reaches."""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from collections.abc import Collection, Iterator, Sequence
from itertools import repeat

from ..cache import Cache
from .thresholds import CONSIDERED_SOURCES, MAX_SOURCES, SOURCE_CARRIERS, SOURCE_GRAM_WORDS

# An article's runs that earlier articles carry, in groups with the same first carriers: for
# each, those carriers (the first SOURCE_CARRIERS, in story order) and how many of its runs.
Shared = list[tuple[tuple[int, ...], int]]


def source_candidates(keys: Sequence[Sequence[int]], texts: Sequence[str], cache: Cache) -> list[tuple[int, ...]]:
    """For each article, in story order, the earlier ones it is to be aligned with: at most
    MAX_SOURCES, chosen one by one as the article that shares most of the runs of
    SOURCE_GRAM_WORDS words the ones chosen before do not (so a paper made of two wire stories
    is aligned with both, not twice with the longer).

    A run is looked up only among the first SOURCE_CARRIERS articles that carry it: those that
    had it first, where a source is to be found; and the index stays small.

    The choices are kept in `cache` (`texts`: the articles' digests; see chosen_among_peers)."""
    return [
        tuple(chosen_among_peers(shared, texts[number], texts, cache))
        for number, shared in enumerate(shared_runs(keys))
    ]


def chosen_among_peers(shared: Shared, text: str, texts: Sequence[str], cache: Cache) -> list[int]:
    """The sources covering chooses from `shared`, kept in `cache` keyed by all they depend on:
    the article's text, and its peers' in story order (the earlier articles among the first
    carriers of one of its runs). Those give `shared` but for the articles' numbers: a run's first
    carriers are its first SOURCE_CARRIERS peers that carry it, since every one of them is a peer;
    and covering only compares the numbers. Kept as places among the peers, so that they hold
    where articles are added or removed before."""
    peers = sorted(set().union(*[carriers for carriers, _ in shared]))
    inputs = (text, *map(texts.__getitem__, peers))
    places = cache.get("sources among peers", inputs)
    if places is None:
        places = [peers.index(source) for source in covering(shared)]
        cache.keep("sources among peers", inputs, places)
    return [peers[place] for place in places]


def shared_runs(keys: Sequence[Sequence[int]]) -> Iterator[Shared]:
    """For each article, in story order, its runs that earlier ones carry (see Shared).

    The runs with the same first carriers are one group, and an article's runs are looked up
    all at once: the index is made at C speed, and covering weighs a few dozen groups rather
    than hundreds of runs."""
    group_of: dict[bytes, int] = {}  # run -> its group
    carriers: list[tuple[int, ...]] = []  # group -> its first carriers
    sizes: list[int] = []  # group -> how many runs it has
    for number, article_keys in enumerate(keys):
        article_runs = word_runs(article_keys)
        fresh = len(carriers)  # the group of its runs no earlier article carries
        counts = Counter(map(group_of.setdefault, article_runs, repeat(fresh)))
        yield [(carriers[group], count) for group, count in counts.items() if group != fresh]
        if fresh in counts:
            carriers.append((number,))
            sizes.append(counts[fresh])
        moved = {}  # group -> the group its runs this article carries leave it for
        for group, count in counts.items():
            if group == fresh or len(carriers[group]) == SOURCE_CARRIERS:
                continue
            if count == sizes[group]:  # it carries all the group's runs: the group stays whole
                carriers[group] += (number,)
            else:
                moved[group] = len(carriers)
                carriers.append((*carriers[group], number))
                sizes.append(count)
                sizes[group] -= count
        if moved:
            group_of.update([(run, moved[group]) for run in article_runs if (group := group_of[run]) in moved])


def word_runs(words: Sequence[int]) -> set[bytes]:
    """Each run of SOURCE_GRAM_WORDS words, as the bytes of their numbers: slices of one string,
    made and hashed at C speed (a fifth of a 10,000-article story's choosing, against numbers
    made of the words)."""
    numbers = words if isinstance(words, array) else array("I", words)
    data, size = numbers.tobytes(), numbers.itemsize
    span = size * SOURCE_GRAM_WORDS
    return {data[at : at + span] for at in range(0, len(data) - span + 1, size)}


def covering(shared: Shared) -> tuple[int, ...]:
    """The articles that together share most runs, one by one, each the one that adds most
    (of equals, the earliest); among the CONSIDERED that share most on their own. An article
    shares all of a group's runs or none: the runs are counted by group."""
    carried: dict[int, list[int]] = defaultdict(list)  # earlier article -> the groups it carries
    for group, (carriers, _) in enumerate(shared):
        for other in carriers:
            carried[other].append(group)
    counts = [count for _, count in shared]

    def gain(other: int, covered: Collection[int]) -> int:
        return sum(counts[group] for group in carried[other] if group not in covered)

    considered = sorted(carried, key=lambda other: (-gain(other, ()), other))[:CONSIDERED_SOURCES]
    chosen: list[int] = []
    covered: set[int] = set()
    while considered and len(chosen) < MAX_SOURCES:
        most, best = max((gain(other, covered), -other) for other in considered)
        if most == 0:
            break
        chosen.append(-best)
        covered.update(carried[-best])
        considered.remove(-best)
    return tuple(sorted(chosen))
