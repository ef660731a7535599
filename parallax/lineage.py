"""Who took each statement from whom: for every occurrence of a shared statement or passage,
its most likely parent occurrence, the evidence, and the edit it made.

An occurrence is compared with every occurrence published before it, and, where a claim covers
the statement, with the speaker's own words in the version it is closest to. Its parent is the
earlier occurrence it is closest to (the words it shares with it, in order, first), unless:

- the speaker's words (or a wire's, where the claim gives them) hold as much of its wording:
  it took them from the source, as the earlier article did, and is a root;
- another earlier occurrence is as close: a tie, said, with both named;
- an occurrence whose order against it is unknown (published the same day, with no time given)
  is as close: unknown order, said;
- none of them holds half its words, in order: it is in its own words, and a root.

A parent is never published after its child, so there are no cycles. Publication order is by
date, or by time where both articles give one (`published: 2023-10-27T14:05+03:00`).
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Indel

from .match.spans import covered_length
from .model import Article, Claim, Occurrence, SharedStatement, Story

# A wording of which at least this share of words stand in what it is compared with, in order,
# substitutes words; one with fewer says the same in other words.
SUBSTITUTION_SHARE = 0.5
# Closeness is compared to two decimals: nearer than that, two candidates are a tie.
PRECISION = 2
LISTED_CANDIDATES = 4  # candidates named where the parent is unsure; the rest are counted

EDITS = ("verbatim", "cut", "addition", "substitution", "retranslation", "paraphrase")


@dataclass(frozen=True, slots=True)  # one per occurrence: thousands in a large story
class Descent:
    """Where one occurrence comes from."""

    occurrence: Occurrence
    id: str  # "<statement id>/<article id>", and "/2", "/3" where the article carries it again
    parent: str | None  # the id of its parent occurrence; None for a root, or where unsure
    # Why: "copied" (from its parent), "source" (the speaker's own words are at least as close
    # as any earlier article), "first" (nothing earlier to take it from), "tie" (several
    # earlier occurrences are as close), "unknown order" (as close to one published the same
    # day, with no time to say which came first), "own words" (what came before shares too
    # little of its words to be where it comes from).
    basis: str
    edit: str | None  # one of EDITS, against its parent, the source or the closest candidate; None if first
    shared_words: int  # the words it shares, in order, with what it is compared with
    words: int  # its own words
    version: str | None  # the id of the claim's version it is closest to
    candidates: tuple[str, ...]  # where unsure, the occurrences that could be its parent
    more_candidates: int  # and how many more there are

    def __reduce__(self):
        # Pickled as its fields, read back through __init__: the dataclass's own way, for a class
        # with slots, looks its fields up again for each one, a third of reading a kept story.
        return Descent, tuple(getattr(self, field.name) for field in DESCENT_FIELDS)


DESCENT_FIELDS = dataclasses.fields(Descent)


@dataclass(frozen=True)
class Lineage:
    """A statement's occurrences in publication order, each with where it comes from."""

    statement: str
    descents: tuple[Descent, ...]  # in publication order
    in_place: tuple[Descent, ...]  # the same, in the order of the statement's occurrences

    @functools.cached_property
    def by_occurrence(self) -> dict[Occurrence, Descent]:
        return {descent.occurrence: descent for descent in self.descents}

    @functools.cached_property
    def by_id(self) -> dict[str, Descent]:
        return {descent.id: descent for descent in self.descents}


def earlier(a: Article, b: Article) -> bool | None:
    """Whether `a` was published before `b`: True, False, or None where the order is unknown."""
    if a.published_at and b.published_at:
        if a.published_at == b.published_at:
            return None
        return a.published_at < b.published_at
    if a.published == b.published:
        return None
    return a.published < b.published


def publication_key(article: Article) -> tuple:
    """Sorts articles by publication: by date, and within a day by time where one is given."""
    moment = article.published_at.timestamp() if article.published_at else float("inf")
    return (article.published, moment)


NOT_IN_A_WORD = re.compile(r"[^\w\s]|_")  # what drops out of a word: "1,400" is "1400", "U.S." is "us"


def word_keys(text: str) -> tuple[str, ...]:
    """The words that count: letters and digits, in lower case (one pass over the whole text)."""
    return tuple(NOT_IN_A_WORD.sub("", text.lower()).split())


@dataclass(frozen=True, slots=True)
class Closeness:
    """How close a wording is to another: the share of its words found there in order, then
    the similarity of the two wordings; `key` compares them, to PRECISION."""

    shared_words: int
    found: float
    similarity: float
    key: tuple[float, float]


@functools.lru_cache(maxsize=65536)
def closeness(wording: tuple[str, ...], other: tuple[str, ...]) -> Closeness:
    shared = (len(wording) + len(other) - Indel.distance(wording, other)) // 2
    found, similarity = shared / max(1, len(wording)), Indel.normalized_similarity(wording, other)
    return Closeness(shared, found, similarity, (round(found, PRECISION), round(similarity, PRECISION)))


def edit_of(wording: tuple[str, ...], reference: tuple[str, ...], retranslated: bool) -> str:
    """The edit that makes `wording` of `reference`."""
    if wording == reference:
        return "verbatim"
    if retranslated:
        return "retranslation"
    shared = closeness(wording, reference).shared_words
    if shared == len(wording):
        return "cut"
    if shared == len(reference):
        return "addition"
    return "substitution" if shared >= SUBSTITUTION_SHARE * len(wording) else "paraphrase"


def in_publication_order(descents: list[Descent], articles: list[Article]) -> tuple[Descent, ...]:
    """A statement's descents, each beside its occurrence's article, earliest first; within one
    time, in the statement's order (the story's, an article's places in turn)."""
    order = sorted(range(len(descents)), key=lambda n: publication_key(articles[n]))
    return tuple(descents[n] for n in order)


def occurrence_ids(statement: SharedStatement) -> list[str]:
    seen: dict[str, int] = defaultdict(int)
    ids = []
    for occurrence in statement.occurrences:
        seen[occurrence.article] += 1
        number = seen[occurrence.article]
        ids.append(f"{statement.id}/{occurrence.article}" + (f"/{number}" if number > 1 else ""))
    return ids


class Carriers:
    """The occurrences of a statement that read alike (one wording), by their numbers in the
    statement, sorted by publication: those published before an article, or the same day, are
    found by bisection. A wire sentence in a thousand articles is a handful of wordings, not a
    million pairs, and nothing is listed that is only counted."""

    def __init__(self, words: tuple[str, ...], members: list[int], articles: list[Article]):
        self.words = words
        self.articles = articles  # of every occurrence of the statement, by number
        self.per_article: dict[str, int] = defaultdict(int)
        for number in members:
            self.per_article[articles[number].id] += 1
        ordered = sorted(members, key=lambda number: (publication_key(articles[number]), number))
        # Every member by date; and apart, those with a time (by instant) and those without (by date).
        self.all, self.all_dates = ordered, [articles[n].published for n in ordered]
        self.timed = sorted(
            (n for n in ordered if articles[n].published_at), key=lambda n: (articles[n].published_at, n)
        )
        self.timed_instants = [a.published_at for n in self.timed if (a := articles[n]).published_at]
        self.untimed = [n for n in ordered if not articles[n].published_at]
        self.untimed_dates = [articles[n].published for n in self.untimed]

    def around(self, article: Article) -> tuple[Selection, Selection]:
        """(Those published before the article, those whose order against it is unknown), the
        article's own left out. See `earlier`."""
        if article.published_at is None:
            low = bisect.bisect_left(self.all_dates, article.published)
            high = bisect.bisect_right(self.all_dates, article.published)
            return Selection.of([(self.all, 0, low)]), self.same(article, [(self.all, low, high)])
        low = bisect.bisect_left(self.timed_instants, article.published_at)
        high = bisect.bisect_right(self.timed_instants, article.published_at)
        day_low = bisect.bisect_left(self.untimed_dates, article.published)
        day_high = bisect.bisect_right(self.untimed_dates, article.published)
        before = Selection.of([(self.timed, 0, low), (self.untimed, 0, day_low)])
        return before, self.same(article, [(self.timed, low, high), (self.untimed, day_low, day_high)])

    def same(self, article: Article, ranges: list[tuple[list[int], int, int]]) -> Selection:
        return Selection.of(ranges, article.id, self.per_article.get(article.id, 0), self.articles)


class Selection:
    """Some occurrences of a statement, as ranges of sorted lists of their numbers, less those of
    one article: counted without being listed, and listed only as far as needed."""

    def __init__(self, ranges, count: int, left_out: str | None = None, articles=()):
        self.ranges, self.count = ranges, count
        self.left_out, self.articles = left_out, articles  # an article whose occurrences do not count

    @classmethod
    def of(cls, ranges, left_out: str | None = None, left_out_count: int = 0, articles=()) -> Selection:
        return cls(ranges, sum(high - low for _, low, high in ranges) - left_out_count, left_out, articles)

    def first(self, most: int) -> list[int]:
        found: list[int] = []
        for numbers, low, high in self.ranges:
            for index in range(low, high):
                if len(found) == most:
                    return found
                if self.left_out is None or self.articles[numbers[index]].id != self.left_out:
                    found.append(numbers[index])
        return found


def joined(selections: list[Selection]) -> Selection:
    """Several selections as one. They leave out the same article, if any: the one whose
    occurrence is traced (an article is never published before itself)."""
    left_out = next((s for s in selections if s.left_out is not None), None)
    return Selection(
        [found for selection in selections for found in selection.ranges],
        sum(selection.count for selection in selections),
        left_out.left_out if left_out else None,
        left_out.articles if left_out else (),
    )


def trace(story: Story, statement: SharedStatement, versions: Sequence[str | None]) -> Lineage:
    """The lineage of one statement; `versions`: the claim version each occurrence is closest
    to, in the order of its occurrences."""
    ids = occurrence_ids(statement)
    articles = [story.article(o.article) for o in statement.occurrences]
    keys = {text: word_keys(text) for text in {o.text for o in statement.occurrences}}  # many read the same
    wordings = [keys[o.text] for o in statement.occurrences]
    alike: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for number, words in enumerate(wordings):
        alike[words].append(number)
    carriers = [Carriers(words, members, articles) for words, members in alike.items()]
    tracing = Tracing(statement, ids, articles, wordings, versions, carriers)
    in_place = [tracing.descent(number) for number in range(len(ids))]
    return Lineage(statement.id, in_publication_order(in_place, articles), tuple(in_place))


@dataclass
class Tracing:
    """What tracing one statement's occurrences needs, each by its number in the statement."""

    statement: SharedStatement
    ids: list[str]
    articles: list[Article]
    wordings: list[tuple[str, ...]]
    versions: Sequence[str | None]
    carriers: list[Carriers]
    source_words: dict[str | None, tuple[str, ...] | None] = dataclasses.field(default_factory=dict)  # by version
    # By wording: the carriers of every wording, closest first, each with its closeness key.
    ranked: dict[tuple[str, ...], list[tuple[tuple[float, float], Carriers]]] = dataclasses.field(default_factory=dict)

    def descent(self, number: int) -> Descent:
        version, article, wording = self.versions[number], self.articles[number], self.wordings[number]
        if version not in self.source_words:
            self.source_words[version] = source_wording(self.statement, version)
        source_words = self.source_words[version]
        from_source = closeness(wording, source_words) if source_words else None

        def made(
            basis: str, reference: int | None, parent: int | None = None, candidates: Selection | None = None
        ) -> Descent:
            """`reference`: the number of the occurrence it is compared with; the source where None."""
            listed = candidates.first(LISTED_CANDIDATES) if candidates else []
            # Words that went through another language on the way: the outlet's own translation,
            # or a version translated from another than the one it is compared with.
            retranslated = bool(article.translated_from) or (
                translated_version(self.statement.claim, version)
                and reference is not None
                and self.versions[reference] != version
            )
            words = source_words if reference is None else self.wordings[reference]
            return Descent(
                occurrence=self.statement.occurrences[number],
                id=self.ids[number],
                parent=None if parent is None else self.ids[parent],
                basis=basis,
                edit=None if words is None else edit_of(wording, words, retranslated),
                shared_words=0 if words is None else closeness(wording, words).shared_words,
                words=len(wording),
                version=version,
                candidates=tuple(self.ids[n] for n in listed),
                more_candidates=max(0, (candidates.count if candidates else 0) - len(listed)),
            )

        # Nothing can hold more of its words than the source when the source holds them all.
        if from_source and from_source.found == 1:
            return made("source", None)
        # The wordings closest to its own first: only those down to the closest that has an
        # earlier or same-day carrier (and any as close) need their carriers looked up.
        if wording not in self.ranked:
            keyed = [(closeness(wording, carriers.words).key, carriers) for carriers in self.carriers]
            self.ranked[wording] = sorted(keyed, key=lambda pair: pair[0], reverse=True)
        before: list[Selection] = []
        unordered: list[Selection] = []
        closest = None
        for key, carriers in self.ranked[wording]:
            if closest is not None and key < closest:
                break
            earlier_ones, same_time = carriers.around(article)
            if earlier_ones.count or same_time.count:
                closest = key
                before.append(earlier_ones)
                unordered.append(same_time)
        # The source is preferred wherever it holds as much of the wording: how close an
        # article's wording is besides (a shorter cut of the same words) is no evidence of copying.
        if from_source and (closest is None or from_source.key[0] >= closest[0]):
            return made("source", None)
        if closest is None:
            return made("first", None)
        if closest[0] < SUBSTITUTION_SHARE:
            return made("own words", None)
        if any(selection.count for selection in unordered):
            tied = joined(unordered + before)
            return made("unknown order", tied.first(1)[0], candidates=tied)
        tied = joined(before)
        if tied.count > 1:
            return made("tie", tied.first(1)[0], candidates=tied)
        (parent,) = tied.first(1)
        return made("copied", parent, parent=parent)


def source_wording(statement: SharedStatement, version: str | None) -> tuple[str, ...] | None:
    """The speaker's own words in the version the occurrence is closest to: for a quotation of a
    claim, and for a claim of wire copy ("passage"); a paraphrase has no words of the source."""
    if statement.part is None or statement.claim is None or statement.claim.kind == "paraphrase":
        return None
    return word_keys(dict(statement.part.versions).get(version or "", statement.part.statement))


def translated_version(claim: Claim | None, version: str | None) -> bool:
    """Whether a version is a translation of another version of the claim."""
    return bool(claim and version and claim.version(version).translated_from)


def copy_lineages(story: Story, statements, passages) -> dict[str, Lineage]:
    """The lineage of each passage of reused copy, by its id; `statements`: where their claims'
    quotations stand."""
    quoted: dict[str, list[tuple[int, int]]] = defaultdict(list)  # article -> where it quotes a claim
    for statement in statements:
        if statement.claim and statement.kind == "quote":
            for occurrence in statement.occurrences:
                quoted[occurrence.article].append((occurrence.start, occurrence.end))
    return {passage.id: traced_copy(story, passage, quoted) for passage in passages}


def traced_copy(story: Story, passage: SharedStatement, quoted: dict[str, list[tuple[int, int]]]) -> Lineage:
    """A passage of reused copy, aligned word by word: each article's place comes from its place
    in the article the alignment took as its source (the one it shares most with, of those
    published no later); the same day, the order is said to be unknown. The edit is read off
    the alignment, which marks the words kept and those reworded.

    Where the passage is mostly a quotation of a claim (`quoted`: where each article quotes
    one), it is the speaker's words, as for the quotation itself: two outlets quoting the
    ministry alike took it from the ministry."""
    ids = occurrence_ids(passage)
    articles = [story.article(o.article) for o in passage.occurrences]
    first_in: dict[str, int] = {}
    for number, occurrence in enumerate(passage.occurrences):
        first_in.setdefault(occurrence.article, number)
    in_place = []
    for number, occurrence in enumerate(passage.occurrences):
        article = articles[number]
        words = len(occurrence.text.split())
        source = first_in.get(occurrence.source) if occurrence.source else None
        order = earlier(articles[source], article) if source is not None else False
        if covered_length(quoted.get(occurrence.article, []), occurrence) * 2 >= len(occurrence.text):
            descent = Descent(occurrence, ids[number], None, "source", None, 0, words, None, (), 0)
        elif source is None or order is False:  # the alignment's source itself: nothing before it
            descent = Descent(occurrence, ids[number], None, "first", None, 0, words, None, (), 0)
        else:
            kept = words_in(occurrence, occurrence.verbatim)
            edit = aligned_edit(kept, words_in(occurrence, occurrence.rewritten), words, bool(article.translated_from))
            parent, candidates = (ids[source], ()) if order else (None, (ids[source],))
            basis = "copied" if order else "unknown order"
            descent = Descent(occurrence, ids[number], parent, basis, edit, kept, words, None, candidates, 0)
        in_place.append(descent)
    return Lineage(passage.id, in_publication_order(in_place, articles), tuple(in_place))


def words_in(occurrence: Occurrence, spans: tuple[tuple[int, int], ...]) -> int:
    """How many words of the occurrence stand in these spans of its article."""
    return sum(len(occurrence.text[start - occurrence.start : end - occurrence.start].split()) for start, end in spans)


def aligned_edit(kept: int, reworded: int, words: int, retranslated: bool) -> str:
    """The edit of a passage, from how many of its words the alignment kept and reworded."""
    if kept == words:
        return "verbatim"
    if retranslated:
        return "retranslation"
    if reworded == 0:  # the source's words, and words of its own besides
        return "addition"
    return "substitution" if kept >= SUBSTITUTION_SHARE * words else "paraphrase"
