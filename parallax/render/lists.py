"""The pages across stories: the article list, the front page (many stories), the claim list,
and the outlets' and speakers' lists and pages. Each is made again only where what it shows has
changed (see AcrossPages), else kept from the old site."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..across import Across, Outlet, OutletStory
from ..compare import ArticleSummary, ClaimCoverage
from ..model import Archive, Story
from ..write import Staging
from .addresses import (
    ARTICLES_PER_PAGE,
    OUTLET_LIST,
    SPEAKER_LIST,
    STATEMENTS_PER_PAGE,
    STORIES_PER_PAGE,
    Pager,
    article_list_page,
    claim_list_page,
    front_page,
    outlet_page,
    pagers,
    speaker_page,
)
from .fingerprints import fingerprint
from .words import percent, said_by

if TYPE_CHECKING:
    from .site import Pages, StoryPages

ARTICLES_FOLDER = "articles/index.html"  # leads to the list of articles, for readers who look for it at articles/


def list_pages(listed: AcrossPages, archive: Archive, stories: list[StoryPages], found: Across) -> None:
    """The pages across stories, each handed to `listed`: the article list, the front page and
    its later pages (many stories), the claim list, the outlets' and the speakers' lists and pages."""
    summaries = sorted(
        (summary for story in stories for summary in story.comparison.summaries),
        key=lambda summary: (summary.article.published, summary.article.id),
    )
    story_of = {
        summary.article.id: story.comparison.story for story in stories for summary in story.comparison.summaries
    }
    listing = pagers(len(summaries), ARTICLES_PER_PAGE)
    for pager in listing:
        shown = summaries[pager.first - 1 : pager.last]
        listed.render(
            article_list_page(pager.number),
            "articles.html",
            drawn_from=[],
            # Only the first page counts every article: an article added last changes the last page
            # and the first, not the hundred between.
            counts=(listed_count(len(summaries), pager), *pager_place(pager), listed_rows(shown, story_of)),
            summaries=shown,
            pager=pager,
        )
    # The first page of the list again at articles/, where readers look for it; its canonical address is the list's.
    first = summaries[: listing[0].last]
    listed.render(
        ARTICLES_FOLDER,
        "articles.html",
        drawn_from=[],
        counts=(listed_count(len(summaries), listing[0]), *pager_place(listing[0]), listed_rows(first, story_of)),
        summaries=first,
        pager=listing[0],
        canonical=article_list_page(1),
    )
    if archive.many:
        totals = (len(stories), len(summaries), len(found.outlets), len(archive.claims), len(found.speakers))
        for pager in pagers(len(stories), STORIES_PER_PAGE, front_page):
            newest = [story.comparison for story in stories[pager.first - 1 : pager.last]]
            listed.render(
                front_page(pager.number),
                "index.html",
                drawn_from=[comparison.story.id for comparison in newest],
                counts=(totals, *pager_place(pager)),
                comparisons=newest,
                pager=pager,
            )
    # Lists that grow with the archive are cut into pages, so that no page does.
    claimed = [s.comparison for s in stories if s.comparison.claims]
    for pager in pagers(len(claimed), STORIES_PER_PAGE, claim_list_page):
        shown_stories = claimed[pager.first - 1 : pager.last]
        listed.render(
            claim_list_page(pager.number),
            "claims.html",
            drawn_from=[comparison.story.id for comparison in shown_stories],
            counts=(len(archive.claims), *pager_place(pager)),
            comparisons=shown_stories,
            pager=pager,
        )
    # An outlet's or speaker's figures across stories are given as shown, not as every story
    # they draw on: a page of an outlet's stories changes with those stories only; and of each
    # story, with what it shows of the outlet's record there (see outlet_story_shown).
    # Once a claim: outlets' pages name each claim of their stories (at 1,000 stories, 100,000 times).
    named = {claim.id: (claim.id, claim.statement, said_by(archive, claim)) for claim in archive.claims}
    listed.render(
        OUTLET_LIST, "outlets.html", drawn_from=[], counts=[outlet_figures(outlet) for outlet in found.outlets]
    )
    for outlet in found.outlets:
        # its figures, and its stories' titles (search's filters), as every page of it shows them
        titles = [story.comparison.story.title for story in outlet.stories]
        figures = (outlet_figures(outlet), titles)
        for pager in pagers(len(outlet.stories), STORIES_PER_PAGE, functools.partial(outlet_page, outlet.slug)):
            covered = outlet.stories[pager.first - 1 : pager.last]
            listed.render(
                outlet_page(outlet.slug, pager.number),
                "outlet.html",
                drawn_from=[],
                counts=(figures, *pager_place(pager), [outlet_story_shown(record, named) for record in covered]),
                # its first page's header: its name, and its stories' titles (filters)
                searched=(pager.number == 1, outlet.name, titles),
                outlet=outlet,
                shown=covered,
                pager=pager,
            )
    listed.render(
        SPEAKER_LIST,
        "speakers.html",
        drawn_from=[],
        counts=[(record.speaker, len(record.said), record.said[0].coverage.claim) for record in found.speakers],
    )
    for record in found.speakers:
        about = (record.speaker, len(record.said), record.story_count, record.story_titles)
        for pager in pagers(len(record.said), STATEMENTS_PER_PAGE, functools.partial(speaker_page, record.speaker.id)):
            shown_said = record.said[pager.first - 1 : pager.last]
            listed.render(
                speaker_page(record.speaker.id, pager.number),
                "speaker.html",
                drawn_from=[said.comparison.story.id for said in shown_said],
                counts=(about, [said.coverage.claim.id for said in shown_said], *pager_place(pager)),
                searched=(pager.number == 1, about),  # its first page's header
                record=record,
                shown=shown_said,
                pager=pager,
            )


class AcrossPages:
    """The pages across stories (lists, outlets, speakers), the card image and the captures'
    text, each made again only where what it shows has changed, else kept from the old site.
    What a page shows is taken as the fingerprints of the stories it draws on (each covers all
    that story's pages show), and what it shows of the archive besides: counts, names, the order
    of its items, its place in its list (the article list and an outlet's pages take the rows
    they show instead: see listed_rows and outlet_story_shown). Of an outlet's or a speaker's
    page, what search indexes of it is taken apart (`searched`): their lists of articles and
    statements, which change often, are not indexed."""

    def __init__(
        self,
        pages: Pages,
        archive: Archive,
        staging: Staging,
        stories: dict[str, str],
        before: dict[str, str],
    ):
        self.pages, self.archive, self.staging = pages, archive, staging
        self.stories = stories  # each story's fingerprint, by id
        self.before = before  # each page's fingerprint at the last build, by path
        self.files: dict[str, bytes] = {}  # the pages made
        self.kept: list[str] = []  # the pages kept
        self.fingerprints: dict[str, str] = {}  # every page's, by path
        self.searched: dict[str, str] = {}  # of what search indexes, by path, for the pages it indexes

    def render(
        self, path: str, template: str, drawn_from: list[str], counts: object, searched: object = None, **context
    ) -> None:
        """`searched`: what search indexes of the page, where it indexes any of it."""
        code = self.pages.codes.of(template)
        shown = (self.archive.settings, self.archive.many, counts, [self.stories[story] for story in drawn_from])
        if searched is not None:
            self.searched[path] = fingerprint(code, (self.archive.settings, self.archive.many, searched))
        self.kept_or_made(path, fingerprint(code, shown), lambda: self.pages.render(path, template, **context))

    def kept_or_made(self, path: str, key: str, make: Callable[[], bytes]) -> None:
        """The file at `path` kept from the old site if `key`, the fingerprint of all it shows, is
        the one it had there; else made."""
        self.fingerprints[path] = key
        if self.before.get(path) == key and self.staging.keep([path]):
            self.kept.append(path)
        else:
            self.files[path] = make()


def listed_rows(summaries: list[ArticleSummary], story_of: dict[str, Story]) -> list[tuple]:
    """What a page of the article list shows of each of its articles (_articles.html), as its
    fingerprint takes it: the article's fields a row shows (not its text, long to fingerprint on
    every build), its story's address and title, and its figures. Not all its story's pages
    show, so that correcting an article makes again only the page listing it."""
    return [
        (
            (article.id, article.outlet, article.language, article.display_title, article.author),
            (article.published, article.translated_from, article.via),
            (story.id, story.title),
            (summary.shared_statements, summary.shared_share, summary.reuse.share, summary.reuse.label),
        )
        for summary in summaries
        for article, story in [(summary.article, story_of[summary.article.id])]
    ]


def outlet_story_shown(record: OutletStory, named: dict[str, tuple[str, str, str]]) -> tuple:
    """What an outlet's page shows of its record in one story (outlet.html), as its fingerprint
    takes it: the story's address, title and date, the outlet's articles there as their rows show
    them, its reused copy and its sources, and the story's claims it carries and leaves out.
    Not all the story's pages show: an article of another outlet corrected, or a sentence
    matched anew, leaves the page as it was. `named`: each claim's id, words and who made it, as
    pages name them, by id."""
    story = record.comparison.story
    articles = [
        (article.id, article.language, article.display_title, article.published, summary.reuse.share)
        for summary in record.articles
        for article in [summary.article]
    ]

    def claims(coverages: tuple[ClaimCoverage, ...]) -> list[tuple]:
        return [named[c.claim.id] for c in coverages]

    return (
        (story.id, story.title, story.date),
        articles,
        (record.reused, record.sources),
        (claims(record.carried), claims(record.left_out), len(record.comparison.claims)),
    )


def outlet_figures(outlet: Outlet) -> tuple:
    """What the pages naming an outlet show of it across its stories, as they show it."""
    sources = [(source, percent(share)) for source, share in outlet.sources]
    return outlet.name, outlet.slug, len(outlet.stories), outlet.articles, percent(outlet.reused), sources


def listed_count(count: int, pager: Pager) -> int | None:
    """How many articles a page of the article list says there are: the first page says."""
    return count if pager.number == 1 else None


def pager_place(pager: Pager) -> tuple[int, int, int, int]:
    """Where a page stands in its list, as its fingerprint takes it."""
    return pager.number, pager.pages, pager.first, pager.last
