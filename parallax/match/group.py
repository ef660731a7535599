"""Links joined into groups, one per statement; each group's occurrences chosen and settled."""

from __future__ import annotations

import bisect
import itertools
from collections import defaultdict

from ..model import Occurrence, Part
from .links import Node, best_window, order_key, same_place
from .spans import QUOTED, SENTENCE, Place, clusters, covered_length, fold, inside, overlaps
from .thresholds import REPEATED_SHARE, SAME_MIN_SCORE


def span(place: Place) -> tuple[int, int, int]:
    return place.start, place.end, place.rank


class Groups:
    """Places joined by links, strongest first.

    A group is one statement, so a link is refused where it would give a group two claim parts
    (two statements, however alike), or two places of one article where one holds the other without
    being the same place (a sentence and a statement inside it are not the same statement).
    """

    def __init__(self):
        self.parent: dict[Node, Node] = {}
        self.part: dict[Node, Part | None] = {}
        # root -> article -> its places, sorted by start; and the longest of them, to search them
        self.places: dict[Node, dict[str, list[Place]]] = {}
        self.longest: dict[Node, dict[str, int]] = {}
        self.size: dict[Node, int] = {}  # root -> how many places
        self.scores: dict[Place, float] = defaultdict(float)  # each place's best link

    def find(self, node: Node) -> Node:
        if node not in self.parent:
            self.parent[node] = node
            if isinstance(node, Part):
                self.part[node] = node
                self.places[node], self.longest[node], self.size[node] = {}, {}, 0
            else:
                self.places[node], self.longest[node] = {node.article: [node]}, {node.article: node.end - node.start}
                self.size[node] = 1
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def join(self, a: Node, b: Place, score: float, same: bool = False) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if not same:
            for node in (a, b):
                if isinstance(node, Place):
                    self.scores[node] = max(self.scores[node], score)
        if root_a == root_b:
            return
        if self.part.get(root_a) and self.part.get(root_b):
            return
        if not same and self.nested(root_a, root_b):
            return
        if self.size[root_a] < self.size[root_b]:
            root_a, root_b = root_b, root_a
        self.parent[root_b] = root_a
        self.size[root_a] += self.size.pop(root_b)
        self.part[root_a] = self.part.get(root_a) or self.part.get(root_b)
        longest = self.longest.pop(root_b)
        for article, places in self.places.pop(root_b).items():
            merged = self.places[root_a].setdefault(article, [])
            for place in places:  # the smaller group's, each put in its place
                bisect.insort(merged, place, key=span)
            self.longest[root_a][article] = max(self.longest[root_a].get(article, 0), longest[article])

    def nested(self, root_a: Node, root_b: Node) -> bool:
        """Whether a place of one group overlaps one of the other's without being the same place.

        An article may repeat a sentence thousands of times: each place of the smaller side is
        looked up among the sorted places of the larger, not compared with each of them."""
        for article in self.places[root_a].keys() & self.places[root_b].keys():
            (few, _), (many, longest) = sorted(
                ((self.places[root][article], self.longest[root][article]) for root in (root_a, root_b)),
                key=lambda side: len(side[0]),
            )
            for p in few:
                # Only a place that starts less than `longest` before p ends can reach into it.
                first = bisect.bisect_right(many, p.start - longest, key=lambda place: place.start)
                for index in range(first, len(many)):  # by index: a slice would copy the rest
                    q = many[index]
                    if q.start >= p.end:
                        break
                    if overlaps(p, q) and not same_place(p, q):
                        return True
        return False

    def groups(self) -> list[tuple[Part | None, list[Place]]]:
        return [
            (self.part.get(root), [place for places in by_article.values() for place in places])
            for root, by_article in self.places.items()
            if any(by_article.values())
        ]


def representatives(
    members: list[Place], scores: dict[Place, float], texts: dict[str, str], ranks: dict[Occurrence, int]
) -> list[Occurrence]:
    """One occurrence per stretch of an article in the group: its most precise span.

    `ranks` receives the rank of the place each occurrence comes from.
    """
    found = []
    by_article: dict[str, list[Place]] = defaultdict(list)
    for place in members:
        by_article[place.article].append(place)
    for article, places in by_article.items():
        places.sort(key=order_key)
        for cluster in clusters(places):
            best = min(cluster, key=lambda p: (p.rank, -(p.end - p.start), p.start))
            occurrence = Occurrence(
                article=article,
                start=best.start,
                end=best.end,
                text=texts[article][best.start : best.end],
                score=round(max(scores[p] for p in cluster), 1),
            )
            ranks[occurrence] = best.rank
            found.append(occurrence)
    return trim_sentences(found, texts, ranks)


def trim_sentences(found: list[Occurrence], texts: dict[str, str], ranks: dict[Occurrence, int]) -> list[Occurrence]:
    """A sentence carrying a statement that others quote keeps only the statement.

    A sentence such as "We call on ... terrorists - said in a statement." is a place of the
    statement because it matches a quotation elsewhere; its span is cut to the part that matches.
    """
    quoted: dict[str, Occurrence] = {}  # one of each quoted wording, best first
    for occurrence in sorted(found, key=lambda o: (-o.score, o.text, o.article, o.start)):
        if ranks[occurrence] == QUOTED:
            quoted.setdefault(occurrence.text, occurrence)
    trimmed = []
    for item in found:
        window = None
        if ranks[item] == SENTENCE:
            candidates = (o for o in quoted.values() if o.article != item.article and len(o.text) < len(item.text))
            for other in itertools.islice(candidates, 3):  # a generator: stop at the third
                if window := best_window(fold(other.text), fold(item.text), SAME_MIN_SCORE):
                    break
        if window:
            start, end = item.start + window[1], item.start + window[2]
            item = Occurrence(item.article, start, end, texts[item.article][start:end], item.score)
            ranks[item] = SENTENCE
        trimmed.append(item)
    return trimmed


def settle(found: list[list[Occurrence]], claimed: list[list[Occurrence]]) -> list[list[Occurrence]]:
    """Fold fragments into the statements they come from, and leave out groups that repeat others.

    A group (without a claim) that stands inside another group's occurrence somewhere is a
    fragment of that statement: its other occurrences join it. A group whose every occurrence
    is mostly made of other groups' occurrences (a sentence joining two statements that other
    articles carry apart) adds nothing.
    """
    groups = found + claimed
    here: dict[str, list[tuple[int, Occurrence]]] = defaultdict(list)  # article -> (group, occurrence)
    for number, group in enumerate(groups):
        for item in group:
            here[item.article].append((number, item))
    alive = {
        number for number in range(len(groups)) if number >= len(found) or not repeats_others(number, groups, here)
    }
    # Where each group's occurrences now belong: to itself, or to the container it was folded into.
    belongs_to = {number: number for number in alive}
    for number in sorted(
        alive - set(range(len(found), len(groups))), key=lambda n: (sum(len(i.text) for i in groups[n]), n)
    ):
        container = next(
            (
                belongs_to[n]
                for item in groups[number]
                for n, o in here[item.article]
                if n in belongs_to and belongs_to[n] != number and belongs_to[n] in alive and inside(item, o)
            ),
            None,
        )
        if container is None:
            continue
        for item in groups[number]:
            if not any(belongs_to.get(n) == container and overlaps(item, o) for n, o in here[item.article]):
                groups[container].append(item)
        for n in belongs_to:
            if belongs_to[n] == number:
                belongs_to[n] = container
        alive.discard(number)
    return [groups[number] for number in range(len(found)) if number in alive]


def repeats_others(number: int, groups: list[list[Occurrence]], here: dict[str, list[tuple[int, Occurrence]]]) -> bool:
    """Whether every occurrence of group `number` is mostly made of other groups' occurrences."""
    return all(
        covered_length([(o.start, o.end) for n, o in here[item.article] if n != number and overlaps(item, o)], item)
        >= REPEATED_SHARE * len(item.text)
        for item in groups[number]
    )


def unique_id(base: str, taken: set[str]) -> str:
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    taken.add(candidate)
    return candidate
