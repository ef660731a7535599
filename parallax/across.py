"""Across stories: each outlet's record, each speaker's statements, and the statements that recur
in another story. Made from every story's comparison: no article is compared with another
story's here (matching never crosses stories), only claims' own words with each other.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz

from .compare import ArticleSummary, ClaimCoverage, Comparison, weighed
from .load import slugify
from .match.index import shingles
from .match.spans import fold
from .match.thresholds import BANAL_SHARE, BANAL_UNITS, MIN_SHARED_SHINGLES, SAME_MIN_SCORE
from .model import Archive, Claim, Part, Speaker


@dataclass(frozen=True)
class OutletStory:
    """What one outlet published on one story."""

    comparison: Comparison
    articles: tuple[ArticleSummary, ...]
    carried: tuple[ClaimCoverage, ...]  # the story's claims it carries, in part or whole
    left_out: tuple[ClaimCoverage, ...]  # those none of its articles carries
    words: int  # how long its articles are, in characters
    reused: float  # of those, the share that is copy reused from earlier articles
    sources: tuple[tuple[str, float], ...]  # (outlet, share of its text found in that outlet's earlier copy)


@dataclass(frozen=True)
class Outlet:
    """One outlet across the archive: every story it covered."""

    name: str
    slug: str  # its page's name: outlets/<slug>.html
    stories: tuple[OutletStory, ...]  # newest story first

    @property
    def articles(self) -> int:
        return sum(len(story.articles) for story in self.stories)

    @property
    def reused(self) -> float:
        """The share of all its text that is reused copy."""
        words = sum(story.words for story in self.stories)
        return sum(story.reused * story.words for story in self.stories) / max(1, words)

    @property
    def sources(self) -> tuple[tuple[str, float], ...]:
        """The outlets its reused copy comes from, across stories, most first."""
        return weighted_sources(self.stories)


@dataclass(frozen=True)
class Said:
    """One claim of a speaker's, in its story."""

    comparison: Comparison
    coverage: ClaimCoverage


@dataclass(frozen=True)
class SpeakerRecord:
    speaker: Speaker
    said: tuple[Said, ...]  # newest first; claims without a date by their story's date

    @functools.cached_property
    def story_titles(self) -> list[str]:
        """The titles of the stories of its statements, newest first, each once (titles that
        differ only in case as one). Taken once: each of a speaker's pages names them."""
        titles: dict[str, str] = {}
        for said in self.said:
            titles.setdefault(said.comparison.story.title.lower(), said.comparison.story.title)
        return list(titles.values())

    @functools.cached_property
    def story_count(self) -> int:
        return len({said.comparison.story.id for said in self.said})


@dataclass(frozen=True)
class Recurrence:
    """A part of a claim whose words recur in another story's claim."""

    part: Part  # the part here
    claim: Claim  # the other story's claim
    other: Part  # its part that has the same words
    story: str  # the other story's id
    score: float


@dataclass(frozen=True)
class Across:
    outlets: tuple[Outlet, ...]  # by name
    speakers: tuple[SpeakerRecord, ...]  # those with a claim, in the archive's order of speakers
    recurrences: dict[str, tuple[Recurrence, ...]]  # claim id -> its parts' recurrences elsewhere


def outlet_slug(name: str) -> str:
    """Lower-case ASCII words joined by hyphens, any script transliterated: 'РИА Новости' ->
    'ria-novosti'. A name that would take a list's address, or has no letters, is set apart."""
    words = slugify(name)
    return words if words and words != "index" else f"outlet-{words or 'unnamed'}"


def across(archive: Archive, comparisons: tuple[Comparison, ...]) -> Across:
    return Across(outlets(comparisons), speakers(archive, comparisons), recurrences(comparisons))


def outlets(comparisons: tuple[Comparison, ...]) -> tuple[Outlet, ...]:
    """Every outlet, by slug: names that differ only in case or punctuation are one outlet."""
    found: dict[str, list[OutletStory]] = defaultdict(list)
    names: dict[str, str] = {}
    for comparison in comparisons:
        by_outlet: dict[str, list[ArticleSummary]] = defaultdict(list)
        for summary in comparison.summaries:
            by_outlet[outlet_slug(summary.article.outlet)].append(summary)
            names.setdefault(outlet_slug(summary.article.outlet), summary.article.outlet)
        carriers = claim_carriers(comparison)
        for slug, summaries in by_outlet.items():
            found[slug].append(outlet_story(comparison, summaries, carriers))
    return tuple(
        Outlet(names[slug], slug, tuple(found[slug])) for slug in sorted(found, key=lambda s: (names[s].lower(), s))
    )


def claim_carriers(comparison: Comparison) -> list[set[str]]:
    """For each of a story's claims, the articles that carry it: taken once for all its outlets."""
    return [
        {summary.article.id for summary, cells in zip(comparison.summaries, coverage.cells) if cells}
        for coverage in comparison.claims
    ]


def outlet_story(comparison: Comparison, summaries: list[ArticleSummary], carriers: list[set[str]]) -> OutletStory:
    """An outlet's articles in one story; `carriers`: each claim's articles, as claim_carriers gives them."""
    theirs = {summary.article.id for summary in summaries}
    carried: list[ClaimCoverage] = []
    left_out: list[ClaimCoverage] = []
    for coverage, carrying in zip(comparison.claims, carriers, strict=True):
        (carried if not theirs.isdisjoint(carrying) else left_out).append(coverage)
    words = sum(len(summary.article.text) for summary in summaries)
    reused = weighed(tuple(summaries), lambda summary: summary.reuse.share)
    from_outlet: dict[str, float] = defaultdict(float)
    for summary in summaries:
        for derivation in summary.reuse.sources:
            source = comparison.story.article(derivation.source).outlet
            from_outlet[source] += derivation.share * len(summary.article.text) / max(1, words)
    sources = tuple(sorted(from_outlet.items(), key=lambda item: (-item[1], item[0])))
    return OutletStory(comparison, tuple(summaries), tuple(carried), tuple(left_out), words, reused, sources)


def weighted_sources(stories: tuple[OutletStory, ...]) -> tuple[tuple[str, float], ...]:
    words = sum(story.words for story in stories)
    total: dict[str, float] = defaultdict(float)
    for story in stories:
        for outlet, share in story.sources:
            total[outlet] += share * story.words / max(1, words)
    return tuple(sorted(total.items(), key=lambda item: (-item[1], item[0])))


def speakers(archive: Archive, comparisons: tuple[Comparison, ...]) -> tuple[SpeakerRecord, ...]:
    said: dict[str, list[Said]] = defaultdict(list)
    for comparison in comparisons:
        for coverage in comparison.claims:
            said[archive.speaker(coverage.claim).id].append(Said(comparison, coverage))
    for found in said.values():
        found.sort(key=lambda s: (s.coverage.claim.date or s.comparison.story.date, s.coverage.claim.id))
        found.reverse()
    return tuple(SpeakerRecord(speaker, tuple(said[speaker.id])) for speaker in archive.speakers if speaker.id in said)


def recurrences(comparisons: tuple[Comparison, ...]) -> dict[str, tuple[Recurrence, ...]]:
    """For each claim, its parts whose words (in any version or rendering) are, at matching's
    SAME_MIN_SCORE or more, those of a part of another story's claim. Candidates are found as
    matching finds them, by shared word pairs, so that a large archive is not compared pair by pair."""
    wordings: list[tuple[str, Claim, Part, str]] = []  # (story id, claim, part, folded wording)
    holders: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for comparison in comparisons:
        for claim in comparison.story.claims:
            for part in claim.parts:
                for wording in part.wordings:
                    folded, its_shingles = folded_wording(wording)
                    for shingle in its_shingles:
                        holders[shingle].append(len(wordings))
                    wordings.append((comparison.story.id, claim, part, folded))
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for numbers in holders.values():
        if len(numbers) > max(BANAL_UNITS, BANAL_SHARE * len(wordings)):
            continue  # too common a pair of words to propose a pair: "of the"
        for position, a in enumerate(numbers):
            for b in numbers[position + 1 :]:
                if wordings[a][0] != wordings[b][0]:
                    shared[a, b] += 1
    best: dict[tuple[str, str], Recurrence] = {}  # (part here, part there) -> the best score
    for (a, b), count in shared.items():
        if count < MIN_SHARED_SHINGLES:
            continue
        score = max(fuzz.ratio(wordings[a][3], wordings[b][3]), fuzz.token_sort_ratio(wordings[a][3], wordings[b][3]))
        if score < SAME_MIN_SCORE:
            continue
        for here, there in ((a, b), (b, a)):
            _, claim, part, _ = wordings[here]
            story, other_claim, other, _ = wordings[there]
            key = (part.id, other.id)
            if key not in best or best[key].score < score:
                best[key] = Recurrence(part, other_claim, other, story, score)
    found: dict[str, list[Recurrence]] = defaultdict(list)
    for recurrence in best.values():
        found[recurrence.part.claim].append(recurrence)
    return {claim_id: tuple(sorted(items, key=lambda r: (r.story, r.other.id))) for claim_id, items in found.items()}


@functools.cache
def folded_wording(wording: str) -> tuple[str, tuple[tuple[str, ...], ...]]:
    """A wording folded, its spaces made one, and its word pairs, in order. Once a process:
    `serve` builds on every save, and the claims of a large archive have tens of thousands of
    wordings (a second of each build, at 1,000 stories, was folding them again)."""
    folded = " ".join(fold(wording).split())
    return folded, tuple(sorted(shingles(folded)))
