"""Stage 3: find the statements that articles share, and where each claim stands.

1. Every article is cut into units: sentences, and the quotations within them (`extract`).
2. An index of word pairs (shingles) proposes candidate pairs of units from different
   articles; only units that share rare word pairs are ever compared, so the work grows with
   the number of units, not with its square.
3. Each candidate pair is scored with rapidfuzz. Units of similar length are compared whole;
   a shorter unit is looked for inside a longer one, so that a quoted fragment joins the
   quotation it comes from. Each claim is located in each article the same way.
4. Links join places into groups, strongest first; a group never takes two claims, so two
   similar statements that are both curated stay apart.

Scores are similarities from 0 to 100 on folded text: lower case, and every character that is
not a letter or digit read as a space, so quote marks, punctuation and number formats
("1,400" / "1400") weigh little.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from rapidfuzz import fuzz

from .cache import Cache
from .extract import Unit, units
from .model import Archive, Article, Claim, Occurrence, SharedStatement
from .parallel import map_numbers

# Thresholds, all in one place.
UNIT_MIN_WORDS = 5  # shorter quotations ("soon", "position") are too common to be shared on their own
SENTENCE_MIN_WORDS = 8  # a shorter sentence ("The talks ended on Friday.") shared is no evidence of reused
# copy: it is matched with claims only
SHINGLE_WORDS = 2  # candidate pairs share word sequences of this length...
MIN_SHARED_SHINGLES = 2  # ... at least this many of them
BANAL_UNITS = 10  # a word pair found in more units than this, and than BANAL_SHARE of all units,
BANAL_SHARE = 0.02  # ... is too common ("of the", "the foreign ministry") to propose a pair
COMPARABLE_LENGTH = 0.7  # units whose word counts are at least this close are compared whole:
SAME_MIN_SCORE = 75  # ... at this score or more they are one statement (another translation, say)
FRAGMENT_MIN_SCORE = 90  # a shorter unit must match part of a longer one at least this well,
LONG_FRAGMENT_WORDS = 15  # ... or, if it has this many words or more (chance matches are rarer),
LONG_FRAGMENT_MIN_SCORE = 85  # ... this well
SAME_PLACE_SHARE = 0.6  # two spans of one article overlapping this much of their union are one place
REPEATED_SHARE = 0.8  # a group each of whose places is this much made of other groups' adds nothing
FRAGMENT_DISCOUNT = 10  # a fragment's match counts this much less than a whole one when grouping
SNAP_WORDS = 4  # how many words a located span's edges may move to fit the wording best
FIT_SLACK = 10  # how far below a cutoff a rough alignment may score and still be fitted

WORD = re.compile(r"\w+")
NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]")  # \w is exactly str.isalnum(), and "_"

# Which span shows a statement best where several overlap in one article: lowest first.
QUOTED, ALIGNED, SENTENCE = range(3)


class Place(NamedTuple):  # a tuple: hashed in C, and grouping hashes places millions of times
    """A span of an article that takes part in a link."""

    article: str
    start: int
    end: int
    rank: int  # QUOTED, ALIGNED (the part of a unit that matches a shorter one) or SENTENCE


Node = Place | Claim  # what links join


@dataclass(frozen=True)
class Link:
    score: float
    a: Node  # a Place, or the Claim it locates
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


def shared_statements(
    archive: Archive, cache: Cache | None = None, progress=no_progress, jobs: int = 1
) -> list[SharedStatement]:
    """Every statement found in two or more articles, curated claims first, then the rest.

    A claim found in only one article is kept too, so that the site can show the curator where.
    `cache` keeps the expensive results between builds (see cache.py); `progress` wraps the
    longest loop, to show a progress bar; `jobs` is how many processes may cut articles into units.
    """
    cache = cache or Cache()
    texts = {article.id: article.text for article in archive.articles}
    items: list[Unit | Wording] = [
        unit for article_units in all_units(archive.articles, cache, jobs) for unit in article_units
    ]
    items += [Wording(claim, wording) for claim in archive.claims for wording in claim.wordings]
    links = item_links(items, cache, progress)
    places = {place for link in links for place in (link.a, link.b) if isinstance(place, Place)}
    links += same_place_links(places)
    groups = Groups()
    for link in sorted(
        links, key=lambda link: (not link.same_place, -link.strength, order_key(link.a), order_key(link.b))
    ):
        groups.join(link.a, link.b, link.score, same=link.same_place)
    order = {article.id: index for index, article in enumerate(archive.articles)}
    ranks: dict[Occurrence, int] = {}
    claimed, found = [], []
    for claim, members in groups.groups():
        occurrences = representatives(members, groups.scores, texts, ranks)
        if claim is not None:
            claimed.append((claim, occurrences))
        elif is_shared(occurrences):
            found.append(occurrences)
    found = settle(found, [occurrences for _, occurrences in claimed])
    for group in found + [occurrences for _, occurrences in claimed]:
        group.sort(key=lambda item: (order[item.article], item.start))
    by_claim = dict(claimed)
    taken = {claim.id for claim in archive.claims}
    found.sort(key=lambda group: [(order[item.article], item.start) for item in group])
    uncovered = [
        SharedStatement(
            id=discovered_id(group, ranks, taken),
            claim=None,
            kind=discovered_kind(group, ranks),
            occurrences=tuple(group),
        )
        for group in found
    ]
    # A claim's group keeps, as an alias, the id it had before the claim covered it, so that the
    # addresses given out then go on working.
    claimed_statements = [
        SharedStatement(
            id=claim.id,
            claim=claim,
            kind="quote" if claim.kind == "quote" else "passage",
            occurrences=tuple(by_claim[claim]),
            aliases=(discovered_id(by_claim[claim], ranks, taken),) if is_shared(by_claim[claim]) else (),
        )
        for claim in archive.claims
        if claim in by_claim
    ]
    return claimed_statements + uncovered


def is_shared(group: list[Occurrence]) -> bool:
    return len({o.article for o in group}) >= 2


def discovered_kind(group: list[Occurrence], ranks: dict[Occurrence, int]) -> str:
    return "quote" if any(ranks[item] == QUOTED for item in group) else "passage"


def discovered_id(group: list[Occurrence], ranks: dict[Occurrence, int], taken: set[str]) -> str:
    """A statement's id when no claim covers it: its kind and the first words of its first occurrence."""
    first_words = WORD.findall(fold(group[0].text))[:6]
    return unique_id(f"{discovered_kind(group, ranks)}-" + "-".join(first_words), taken)


def fold(text: str) -> str:
    """Lower case, with every other character than a letter or digit as a space; same length."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter whose lower case is two characters ("İ"): keep it as it is
        lowered = "".join(lower if len(lower := character.lower()) == 1 else character for character in text)
    return NOT_LETTER_OR_DIGIT.sub(" ", lowered)


# -- candidate pairs from the shingle index ------------------------------------------------


def shingles(folded: str) -> set[tuple[str, ...]]:
    words = folded.split()
    return set(zip(*(words[i:] for i in range(SHINGLE_WORDS))))


@dataclass(frozen=True)
class Wording:
    """A claim's statement or one of its renderings: matched against units like a unit itself."""

    claim: Claim
    text: str


def owner(item: Unit | Wording) -> str:
    return item.article if isinstance(item, Unit) else f"claim {item.claim.id}"


def candidate_pairs(
    items: list[Unit | Wording], folded: list[str], owners: Sequence[Hashable] | None = None
) -> list[tuple[int, int]]:
    """Pairs of items from different articles (or an article and a claim) that share enough
    rare shingles. Items with the same owner are never paired; by default an item's owner is
    its article (or claim)."""
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for number, text in enumerate(folded):
        for shingle in shingles(text):
            index[shingle].append(number)
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
        if len(postings) < 2 or len(postings) > banal:  # most word pairs are in one unit only
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

    def cut(number: int) -> list[list]:
        article = articles[number]
        return cache.remember(
            "units",
            keys[number],
            lambda: [[u.start, u.end, u.text, u.quoted, u.exact] for u in units(article, UNIT_MIN_WORDS)],
        )

    rows = map_numbers(cut, len(articles), jobs)
    for key, found in zip(keys, rows):
        cache.keep("units", key, found)  # a worker's cache is its own: what it cut is kept here
    return [[Unit(article.id, *row) for row in found] for article, found in zip(articles, rows)]


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
    for item in items:
        alike[fold(item.text), isinstance(item, Wording)].append(item)
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
    """What a link joins: a claim, a whole unit, or the part of a unit between start and end."""
    if isinstance(item, Wording):
        return item.claim
    if start is None or end is None or not item.exact:  # an inexact unit has no place inside it to point to
        return Place(item.article, item.start, item.end, QUOTED if item.quoted else SENTENCE)
    return Place(item.article, item.start + start, item.start + end, ALIGNED)


def link(score: float, a: Node, b: Node, whole: bool) -> Link:
    """A link with its place second: a claim only ever stands first."""
    if isinstance(b, Claim):
        a, b = b, a
    assert isinstance(b, Place), "two claims are never compared"
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


# -- groups --------------------------------------------------------------------------------


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


def span(place: Place) -> tuple[int, int, int]:
    return place.start, place.end, place.rank


class Groups:
    """Places joined by links, strongest first.

    A group is one statement, so a link is refused where it would give a group two claims (two
    statements, however alike), or two places of one article where one holds the other without
    being the same place (a sentence and a statement inside it are not the same statement).
    """

    def __init__(self):
        self.parent: dict[Node, Node] = {}
        self.claim: dict[Node, Claim | None] = {}
        # root -> article -> its places, sorted by start; and the longest of them, to search them
        self.places: dict[Node, dict[str, list[Place]]] = {}
        self.longest: dict[Node, dict[str, int]] = {}
        self.size: dict[Node, int] = {}  # root -> how many places
        self.scores: dict[Place, float] = defaultdict(float)  # each place's best link

    def find(self, node: Node) -> Node:
        if node not in self.parent:
            self.parent[node] = node
            if isinstance(node, Claim):
                self.claim[node] = node
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
        if self.claim.get(root_a) and self.claim.get(root_b):
            return
        if not same and self.nested(root_a, root_b):
            return
        if self.size[root_a] < self.size[root_b]:
            root_a, root_b = root_b, root_a
        self.parent[root_b] = root_a
        self.size[root_a] += self.size.pop(root_b)
        self.claim[root_a] = self.claim.get(root_a) or self.claim.get(root_b)
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

    def groups(self) -> list[tuple[Claim | None, list[Place]]]:
        return [
            (self.claim.get(root), [place for places in by_article.values() for place in places])
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
        clusters: list[list[Place]] = []
        reach = 0  # where the last cluster ends
        for place in places:
            if clusters and place.start < reach:
                clusters[-1].append(place)
                reach = max(reach, place.end)
            else:
                clusters.append([place])
                reach = place.end
        for cluster in clusters:
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


def inside(item: Occurrence, other: Occurrence) -> bool:
    return item.article == other.article and other.start <= item.start and item.end <= other.end


def overlaps(a: Place | Occurrence, b: Place | Occurrence) -> bool:
    return a.article == b.article and a.start < b.end and b.start < a.end


def covered_length(spans: list[tuple[int, int]], within: Occurrence | None = None) -> int:
    """How many characters the spans cover together (inside `within`, if given), overlaps once."""
    if within is not None:
        spans = [(max(start, within.start), min(end, within.end)) for start, end in spans]
    total, reached = 0, 0
    for start, end in sorted(spans):
        start = max(start, reached)
        if end > start:
            total += end - start
            reached = end
    return total


def unique_id(base: str, taken: set[str]) -> str:
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    taken.add(candidate)
    return candidate
