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
import functools
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz.distance import Indel

from .model import Archive, Article, Claim, Occurrence, SharedStatement

# A wording of which at least this share of words stand in what it is compared with, in order,
# substitutes words; one with fewer says the same in other words.
SUBSTITUTION_SHARE = 0.5
# Closeness is compared to two decimals: nearer than that, two candidates are a tie.
PRECISION = 2
LISTED_CANDIDATES = 4  # candidates named where the parent is unsure; the rest are counted

EDITS = ("verbatim", "cut", "addition", "substitution", "retranslation", "paraphrase")


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Lineage:
    """A statement's occurrences in publication order, each with where it comes from."""

    statement: str
    descents: tuple[Descent, ...]

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


@functools.lru_cache(maxsize=65536)
def word_keys(text: str) -> tuple[str, ...]:
    """The words that count: letters and digits, in lower case."""
    return tuple(key for word in text.split() if (key := "".join(c for c in word.lower() if c.isalnum())))


@dataclass(frozen=True)
class Closeness:
    """How close a wording is to another: the share of its words found there in order, then
    the similarity of the two wordings."""

    shared_words: int
    found: float
    similarity: float

    @property
    def key(self) -> tuple[float, float]:
        return (round(self.found, PRECISION), round(self.similarity, PRECISION))


@functools.lru_cache(maxsize=65536)
def closeness(wording: tuple[str, ...], other: tuple[str, ...]) -> Closeness:
    shared = (len(wording) + len(other) - Indel.distance(wording, other)) // 2
    return Closeness(shared, shared / max(1, len(wording)), Indel.normalized_similarity(wording, other))


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


def occurrence_ids(statement: SharedStatement) -> list[str]:
    seen: dict[str, int] = defaultdict(int)
    ids = []
    for occurrence in statement.occurrences:
        seen[occurrence.article] += 1
        number = seen[occurrence.article]
        ids.append(f"{statement.id}/{occurrence.article}" + (f"/{number}" if number > 1 else ""))
    return ids


class Carriers:
    """The occurrences of a statement that read alike (one wording), sorted by publication, so
    that those published before an article, or the same day, are found by bisection: a wire
    sentence in a thousand articles is a handful of wordings, not a million pairs."""

    def __init__(self, words: tuple[str, ...], members: list[tuple[Article, Occurrence]]):
        self.words = words
        self.by_article: dict[str, int] = defaultdict(int)
        for article, _ in members:
            self.by_article[article.id] += 1
        ordered = sorted(members, key=lambda member: (publication_key(member[0]), member[0].id, member[1].start))
        # Every member by date; and apart, those with a time (by instant) and those without (by date).
        self.all = ordered
        self.all_dates = [article.published for article, _ in ordered]
        self.timed = [m for m in ordered if m[0].published_at]
        self.timed_instants = [article.published_at for article, _ in self.timed if article.published_at]
        self.untimed = [m for m in ordered if not m[0].published_at]
        self.untimed_dates = [article.published for article, _ in self.untimed]

    def around(self, article: Article) -> tuple[list[Occurrence], list[Occurrence]]:
        """(Those published before the article, those whose order against it is unknown), the
        article's own left out. See `earlier`."""
        if article.published_at is None:
            low = bisect.bisect_left(self.all_dates, article.published)
            high = bisect.bisect_right(self.all_dates, article.published)
            before = [occurrence for _, occurrence in self.all[:low]]
            same = [occurrence for other, occurrence in self.all[low:high] if other.id != article.id]
            return before, same
        low = bisect.bisect_left(self.timed_instants, article.published_at)
        high = bisect.bisect_right(self.timed_instants, article.published_at)
        day_low = bisect.bisect_left(self.untimed_dates, article.published)
        day_high = bisect.bisect_right(self.untimed_dates, article.published)
        before = [o for _, o in self.timed[:low]] + [o for _, o in self.untimed[:day_low]]
        same = [o for other, o in self.timed[low:high] + self.untimed[day_low:day_high] if other.id != article.id]
        return before, same


def trace(archive: Archive, statement: SharedStatement, versions: dict[Occurrence, str | None]) -> Lineage:
    """The lineage of one statement; `versions`: the claim version each occurrence is closest to."""
    ids = dict(zip(statement.occurrences, occurrence_ids(statement)))
    articles = {o.article: archive.article(o.article) for o in statement.occurrences}
    alike: dict[tuple[str, ...], list[tuple[Article, Occurrence]]] = defaultdict(list)
    for occurrence in statement.occurrences:
        alike[word_keys(occurrence.text)].append((articles[occurrence.article], occurrence))
    wordings = [Carriers(words, members) for words, members in alike.items()]
    in_order = sorted(
        statement.occurrences, key=lambda o: (publication_key(articles[o.article]), ids[o].count("/"), ids[o])
    )
    descents = [descent(o, ids, wordings, articles[o.article], statement, versions) for o in in_order]
    return Lineage(statement.id, tuple(descents))


def descent(
    occurrence: Occurrence,
    ids: dict[Occurrence, str],
    wordings: list[Carriers],
    article: Article,
    statement: SharedStatement,
    versions: dict[Occurrence, str | None],
) -> Descent:
    claim, version = statement.claim, versions.get(occurrence)
    wording = word_keys(occurrence.text)
    source_words = source_wording(statement, version)
    from_source = closeness(wording, source_words) if source_words else None

    def made(basis: str, reference: Occurrence | None, parent: str | None = None, candidates=()) -> Descent:
        """`reference`: what it is compared with, an occurrence, or the source where None."""
        listed = tuple(ids[o] for o in candidates[:LISTED_CANDIDATES])
        # Words that went through another language on the way: the outlet's own translation, or
        # a version translated from another than the one it is compared with.
        retranslated = bool(article.translated_from) or (
            translated_version(claim, version) and (reference is not None and versions.get(reference) != version)
        )
        words = source_words if reference is None else word_keys(reference.text)
        return Descent(
            occurrence=occurrence,
            id=ids[occurrence],
            parent=parent,
            basis=basis,
            edit=None if words is None else edit_of(wording, words, retranslated),
            shared_words=0 if words is None else closeness(wording, words).shared_words,
            words=len(wording),
            version=version,
            candidates=listed,
            more_candidates=max(0, len(candidates) - LISTED_CANDIDATES),
        )

    # Nothing can hold more of its words than the source when the source holds them all.
    if from_source and from_source.found == 1:
        return made("source", None)
    # The wordings closest to its own first: only those down to the closest that has an earlier
    # or same-day carrier (and any as close) need their carriers looked up.
    ranked = sorted(wordings, key=lambda carriers: closeness(wording, carriers.words).key, reverse=True)
    before: list[Occurrence] = []
    unordered: list[Occurrence] = []
    closest = None
    for carriers in ranked:
        key = closeness(wording, carriers.words).key
        if closest is not None and key < closest:
            break
        earlier_ones, same_time = carriers.around(article)
        if earlier_ones or same_time:
            closest = key
            before += earlier_ones
            unordered += same_time
    # The source is preferred wherever it holds as much of the wording: how close an article's
    # wording is besides (a shorter cut of the same words) is no evidence of copying.
    if from_source and (closest is None or from_source.key[0] >= closest[0]):
        return made("source", None)
    if closest is None:
        return made("first", None)
    if closest[0] < SUBSTITUTION_SHARE:
        return made("own words", None)
    if unordered:
        tied = unordered + before
        return made("unknown order", tied[0], candidates=tied)
    tied = before
    if len(tied) > 1:
        return made("tie", tied[0], candidates=tied)
    return made("copied", tied[0], parent=ids[tied[0]])


def source_wording(statement: SharedStatement, version: str | None) -> tuple[str, ...] | None:
    """The speaker's own words in the version the occurrence is closest to: for a quotation of a
    claim, and for a claim of wire copy ("passage"); a paraphrase has no words of the source."""
    if statement.part is None or statement.claim is None or statement.claim.kind == "paraphrase":
        return None
    words = dict(statement.part.versions)
    return word_keys(words.get(version or "", statement.part.statement))


def translated_version(claim: Claim | None, version: str | None) -> bool:
    """Whether a version is a translation of another version of the claim."""
    return bool(claim and version and claim.version(version).translated_from)


def lineages(archive: Archive, statements, passages, versions: dict[Occurrence, str | None]) -> dict[str, Lineage]:
    """The lineage of each statement and passage of reused copy, by its id."""
    found = {statement.id: trace(archive, statement, versions) for statement in statements}
    found.update((passage.id, traced_copy(archive, passage)) for passage in passages)
    return found


def traced_copy(archive: Archive, passage: SharedStatement) -> Lineage:
    """A passage of reused copy, aligned word by word: each article's place comes from its place
    in the article the alignment took as its source (the one it shares most with, of those
    published no later); the same day, the order is said to be unknown."""
    ids = dict(zip(passage.occurrences, occurrence_ids(passage)))
    articles = {o.article: archive.article(o.article) for o in passage.occurrences}
    first_in: dict[str, Occurrence] = {}
    for occurrence in passage.occurrences:
        first_in.setdefault(occurrence.article, occurrence)
    in_order = sorted(
        passage.occurrences, key=lambda o: (publication_key(articles[o.article]), ids[o].count("/"), ids[o])
    )
    descents = []
    for occurrence in in_order:
        candidates: tuple[str, ...]
        article = articles[occurrence.article]
        wording = word_keys(occurrence.text)
        source = first_in.get(occurrence.source) if occurrence.source else None
        order = earlier(articles[source.article], article) if source else False
        if source is None or order is False:
            basis, parent, candidates, words = "first", None, (), None
        else:
            basis = "copied" if order else "unknown order"
            parent = ids[source] if order else None
            candidates, words = (() if order else (ids[source],)), word_keys(source.text)
        descents.append(
            Descent(
                occurrence=occurrence,
                id=ids[occurrence],
                parent=parent,
                basis=basis,
                edit=None if words is None else edit_of(wording, words, bool(article.translated_from)),
                shared_words=0 if words is None else closeness(wording, words).shared_words,
                words=len(wording),
                version=None,
                candidates=candidates,
                more_candidates=0,
            )
        )
    return Lineage(passage.id, tuple(descents))
