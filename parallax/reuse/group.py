"""Aligned passages grouped across articles: a wire paragraph carried by six papers is one group,
with one occurrence in each, and each occurrence's verbatim and rewritten words."""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass

from ..match.spans import clusters, covered_length
from ..model import Occurrence
from .align import Range, Tokens, runs_of, runs_without
from .thresholds import SAME_PASSAGE_SHARE


@dataclass(frozen=True)
class Stretch:
    """One side of an aligned passage: where it stands in its article, in characters, and, where
    the article took it from the other side's (`source`), its verbatim and rewritten words."""

    article: str
    start: int
    end: int
    verbatim: tuple[Range, ...] = ()  # runs of word positions in the article
    rewritten: tuple[Range, ...] = ()
    source: str | None = None


Place = tuple[str, int, int]  # article, start, end


class Joined:
    """Places joined into groups (union-find); each group answers to its least place."""

    def __init__(self):
        self.parent: dict[Place, Place] = {}

    def root(self, place: Place) -> Place:
        parent = self.parent
        above = parent.setdefault(place, place)
        while above != place:  # halving the path: each place on it pointed to its grandparent
            grandparent = parent[above]
            parent[place] = grandparent
            place, above = grandparent, parent[grandparent]
        return place

    def join(self, one: Place, other: Place) -> None:
        first, second = self.root(one), self.root(other)
        if second < first:
            first, second = second, first
        self.parent[second] = first


def passage_groups(stretches: list[tuple[Stretch, Stretch]], order: dict[str, int]) -> list[list[Stretch]]:
    """Stretches joined: the two sides of each passage, and stretches of one article that are one
    place (overlapping SAME_PASSAGE_SHARE of their union). In story order of their first stretch."""
    joined = Joined()
    by_place: dict[Place, list[Stretch]] = defaultdict(list)
    for one, other in stretches:
        for stretch in (one, other):
            by_place[stretch.article, stretch.start, stretch.end].append(stretch)
        joined.join((one.article, one.start, one.end), (other.article, other.start, other.end))
    by_article: dict[str, list[Place]] = defaultdict(list)
    for place in by_place:
        by_article[place[0]].append(place)
    for places in by_article.values():
        places.sort()
        for number, (_, start, end) in enumerate(places):
            for index in range(number + 1, len(places)):  # by index: a slice would copy the rest
                later = places[index]
                if later[1] >= end:
                    break
                union = max(end, later[2]) - start
                if min(end, later[2]) - later[1] >= SAME_PASSAGE_SHARE * union:
                    joined.join(places[number], later)
    grouped: dict[Place, list[Stretch]] = defaultdict(list)
    for place, found in sorted(by_place.items(), key=lambda item: (order[item[0][0]], item[0][1:])):
        grouped[joined.root(place)].extend(found)
    return sorted(grouped.values(), key=lambda group: (order[group[0].article], group[0].start))


def occurrences(group: list[Stretch], texts: dict[str, str], words: dict[str, Tokens]) -> list[Occurrence]:
    """A group's stretches as occurrences: overlapping stretches of one article are one, with
    the verbatim words of all, and as rewritten the words rewritten in some and verbatim in none."""
    by_article: dict[str, list[Stretch]] = defaultdict(list)
    for stretch in group:
        by_article[stretch.article].append(stretch)
    found = []
    for article, stretches in by_article.items():
        stretches.sort(key=lambda s: (s.start, s.end))
        for cluster in clusters(stretches):
            found.append(occurrence(article, cluster, texts[article], words[article]))
    return found


def occurrence(article: str, cluster: list[Stretch], text: str, words: Tokens) -> Occurrence:
    start, end = min(s.start for s in cluster), max(s.end for s in cluster)
    verbatim = runs_of(run for s in cluster for run in s.verbatim)
    rewritten = runs_without(runs_of(run for s in cluster for run in s.rewritten), verbatim)
    derived = [s for s in cluster if s.source is not None]
    # Its source: the one it takes most words from verbatim; of equals, the first named.
    source = min(derived, key=lambda s: (-covered_length(s.verbatim), s.source)).source if derived else None
    inside = bisect.bisect_right(words.ends, end) - bisect.bisect_left(words.starts, start)
    return Occurrence(
        article=article,
        start=start,
        end=end,
        text=text[start:end],
        # How much of it is the source's own words: 100 where it is the source.
        score=round(100 * sum(last - first for first, last in verbatim) / max(1, inside), 1) if derived else 100.0,
        verbatim=character_spans(verbatim, words),
        rewritten=character_spans(rewritten, words),
        source=source,
    )


def character_spans(runs: list[Range], words: Tokens) -> tuple[tuple[int, int], ...]:
    """Runs of consecutive words as spans of characters, spaces between their words in."""
    return tuple((words.starts[first], words.ends[last - 1]) for first, last in runs)
