"""Every file of the site, rendered from the templates in the archive's `templates/`.

Links between pages are relative, so the site works from any host, under any sub-path, and
straight from disk; the few addresses a standard wants absolute (canonical, share cards, sitemap,
feed) come from the archive's `url`. A story's own pages are rendered with its comparison; the
pages across stories (the front page, lists, outlets, speakers: see lists.py) with what `across` makes.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import jinja2
from markupsafe import Markup

from ..across import Across, Said, across
from ..cache import LOADING, LOADING_LIBRARIES, matching_code
from ..compare import ArticleSummary, ClaimCoverage, Comparison
from ..load.articles import PAGE_SUFFIXES
from ..model import Archive
from ..parallel import map_numbers_meanwhile
from ..write import Staging, made_by_build
from .addresses import (
    ARTICLES_PER_PAGE,
    CARD_IMAGE,
    FEED_ENTRIES,
    PAGES_FILE,
    SEARCH_PAGE,
    TEMPLATES_FILE,
    Places,
    article_list_page,
    article_page,
    capture_file,
    claim_page,
    part_page,
    story_page,
)
from .body import body_rows
from .environment import (
    COMPILED,
    STATIC_FOLDER,
    STYLESHEET,
    generated_templates,
    linked_from,
    make_environment,
    saved_templates,
)
from .export import DataFiles, put_data_files, story_json
from .fingerprints import (
    ArticleFingerprint,
    ArticleFingerprints,
    PageCode,
    PageRecord,
    StoryRecord,
    claims_searched,
    fingerprint,
    story_inputs,
)
from .lineage import described, lineage_diagram, timeline, version_carriers
from .lists import ARTICLES_FOLDER, AcrossPages, list_pages
from .maps import coverage_map, similarity_map
from .sharing import CARD_DRAWN_BY, card_image, card_of, claim_json_ld
from .showcase import RENDERINGS_TEMPLATE, Showcase, not_carrying
from .words import short

# What a story's own pages are rendered with: its overview, its articles' and claims' pages, and
# the pages at a claim's former addresses.
STORY_TEMPLATE, ARTICLE_TEMPLATE, CLAIM_TEMPLATE, REDIRECT_TEMPLATE = (
    "story.html",
    "article.html",
    "claim.html",
    "redirect.html",
)
# A story's own files by kind, and the templates each is rendered with (its data file, with none):
# a kind is kept where neither the story nor its templates have changed.
STORY_PARTS = {
    "overview": (STORY_TEMPLATE,),
    "articles": (ARTICLE_TEMPLATE,),
    "claims": (CLAIM_TEMPLATE, REDIRECT_TEMPLATE),
    "data": (),
}
SAID_TEMPLATE = "_said.html"  # a claim's wordings, on its speaker's page
# The partials the code renders into pages whose templates do not name them: each page's
# fingerprint counts them.
FRAGMENTS = (RENDERINGS_TEMPLATE, SAID_TEMPLATE)


class Pages:
    """The site's templates, each rendered for the path it is written at; and the code that
    makes each kind of page, as a fingerprint (`codes`)."""

    def __init__(self, templates: Path, archive: Archive, found: Across, site: Path):
        self.environment = make_environment(templates, archive, found)
        self.codes = PageCode(templates, self.environment, FRAGMENTS, made_by_build(site.resolve()))

    def render(self, path: str, template: str, root: str | None = None, **context) -> bytes:
        """`root` leads from the page back to the site's root: relative unless given.

        A page that draws on a template its fingerprint does not count (see PageCode) would be
        left stale when that one is edited: it fails the build, a fault of this code."""
        root = "../" * path.count("/") if root is None else root
        environment = self.environment
        if environment.drawn_on is not None:  # a partial rendered into a page, which is checked
            return self.rendered(path, template, root, context)
        counted = self.codes.closure(template)  # read here first: a template not UTF-8 is named
        drawn_on: set[str] = set()
        environment.drawn_on = drawn_on
        try:
            html = self.rendered(path, template, root, context)
        finally:
            environment.drawn_on = None
        if uncounted := drawn_on - counted:
            raise RuntimeError(f"{path} draws on {', '.join(sorted(uncounted))}, which its fingerprint does not count")
        return html

    def rendered(self, path: str, template: str, root: str, context: dict) -> bytes:
        page = self.environment.get_template(template)
        return page.render(root=root, url=linked_from(root), path=path, **context).encode("utf-8")


class StoryPages:
    """A story's own pages (its overview, articles and claims), rendered with what only they
    need besides the archive's: its comparison, and where each of its occurrences stands."""

    def __init__(self, pages: Pages, archive: Archive, comparison: Comparison):
        self.pages = pages
        self.archive = archive
        self.comparison = comparison

    # What rendering its pages needs is made when first asked for: in a rebuild most stories'
    # pages are kept, and nothing of theirs is rendered.
    @functools.cached_property
    def places(self) -> Places:
        return Places(self.comparison.statements_and_passages)

    @functools.cached_property
    def showcase(self) -> Showcase:
        """What a note shows of a statement, rendered with the story's context, which in turn names it."""
        story, comparison, places = self.comparison.story, self.comparison, self.places
        context: dict = {
            "story": story,
            "comparison": comparison,
            "occurrence_link": places.link,
            "anchor": places.anchor,
            "timeline": functools.partial(timeline, story, comparison),
            "lineage_diagram": lambda statement: lineage_diagram(
                story, statement, comparison.lineage[statement.id], places
            ),
            "describe": lambda statement, descent, named=True: described(
                story, statement, comparison.lineage[statement.id], descent, named
            ),
            "version_carriers": functools.partial(version_carriers, story, comparison),
            "not_carrying": functools.partial(not_carrying, story),
        }
        showcase = Showcase(self.pages.environment, context)
        context.update(
            renderings=showcase.renderings, other_carriers=showcase.carriers, source_occurrence=showcase.source
        )
        return showcase

    @property
    def context(self) -> dict:
        """What the story's templates are rendered with."""
        return self.showcase.context

    def render(self, path: str, template: str, **context) -> bytes:
        return self.pages.render(path, template, **self.context, **context)

    @functools.cached_property
    def claim_places(self) -> Places:
        """Where the occurrences of its claims' statements stand. An occurrence's place depends
        on its statement's other occurrences only: these are the places `places` gives them,
        found without reading the rest of a comparison kept (see compare.LazyComparison)."""
        return Places(tuple(row.statement for row in self.comparison.coverage if row.statement))

    def said(self, path: str, coverage: ClaimCoverage) -> Markup:
        """How the outlets rendered one of its claims, as HTML for a speaker's page (at `path`)."""
        html = self.pages.render(
            path,
            SAID_TEMPLATE,
            comparison=self.comparison,
            occurrence_link=self.claim_places.link,
            coverage=coverage,
        )
        return Markup(html.decode("utf-8"))

    @property
    def page(self) -> str:
        """Its overview's address: the site's front page, in an archive of one story."""
        return story_page(self.comparison.story.id) if self.archive.many else "index.html"

    def article_paths(self) -> list[str]:
        """Its articles' pages, in story order."""
        return [article_page(summary.article.id) for summary in self.comparison.summaries]

    def parts(self) -> dict[str, list[str]]:
        """The paths of its files, made or kept, by kind (as STORY_PARTS): its overview, its
        articles' and its claims' pages (at every address), and its data file."""
        claims = [claim_page(c.claim.id) for c in self.comparison.claims]
        former = [claim_page(name) for c in self.comparison.claims for name, _ in former_addresses(c)]
        return {
            "overview": [self.page],
            "articles": self.article_paths(),
            "claims": claims + former,
            "data": [story_json(self.comparison.story.id)],
        }

    def paths(self) -> list[str]:
        return sorted(path for paths in self.parts().values() for path in paths)

    def own_files(self, kept: set[str]) -> dict[str, bytes]:
        """Its overview and its claims' pages, where not `kept` (its articles' are made apart,
        by several processes)."""
        files = {} if "overview" in kept else {self.page: self.overview(self.page)}
        return files if "claims" in kept else files | claim_pages(self)

    def overview(self, path: str) -> bytes:
        comparison = self.comparison
        return self.render(
            path,
            STORY_TEMPLATE,
            coverage_map=coverage_map(comparison.story, comparison, self.places),
            similarity_map=similarity_map(comparison),
            summaries=comparison.summaries[:ARTICLES_PER_PAGE],
            # the list's second page, where the story has more (in an archive of one, the story's own)
            more_articles=article_list_page(2) if len(comparison.summaries) > ARTICLES_PER_PAGE else None,
        )


class Written(NamedTuple):
    files: int  # how many files the site has
    written: int  # how many of them were written anew


class ArticleAt(NamedTuple):
    """Where an article's page is made from: its story's pages, its place in the story, and
    what takes its fingerprint."""

    story: StoryPages
    position: int  # in the story's comparison's summaries
    fingerprints: ArticleFingerprints


class ArticlePage(NamedTuple):
    """An article's page as the build found it: made again, or kept as it was."""

    path: str
    fingerprint: ArticleFingerprint
    made: bool
    written: bool  # made, and different from the old site's


def render_site(
    archive: Archive,
    comparisons: tuple[Comparison, ...],
    templates: Path,
    staging: Staging,
    jobs: int = 1,
    alongside: Callable[[], Written] | None = None,
) -> Written:
    """Every file of the site, each handed to `staging.put` with its path relative to the site
    root, which writes it and says whether it was written anew (see write.Staging).

    A story's own pages (its overview, articles and claims) are not made again where nothing
    they show has changed since the last build: the old site's files are kept; nor, in a story
    that changed, is an article's page whose fingerprint has not (see fingerprints.py).

    `jobs`: how many processes may render the article pages, each handing its pages to `put` as
    it makes them, so that no process holds them all; this one renders the rest meanwhile, after
    `alongside` (other files to put: the cache's), whose files are counted with the site's."""
    put = staging.put
    found = across(archive, comparisons)
    pages = Pages(templates, archive, found, staging.output)
    # Before the workers are forked, so that they have them too.
    COMPILED.generated = generated_templates(
        pages.environment, templates, pages.codes.files, staging.old(TEMPLATES_FILE)
    )
    pages.codes.named.update((name, made.names) for name, made in COMPILED.generated.items())
    stories = [StoryPages(pages, archive, comparison) for comparison in comparisons]
    by_id = {story.comparison.story.id: story for story in stories}

    @jinja2.pass_context
    def said_wordings(context, said: Said) -> Markup:
        """How the outlets rendered a claim, on a speaker's page: rendered with its story's claims' places."""
        return by_id[said.comparison.story.id].said(context["path"], said.coverage)

    pages.environment.globals["said_wordings"] = said_wordings
    before = PageRecord.read(staging.old(PAGES_FILE))
    inputs = {story.comparison.story.id: story_inputs(story, pages.codes.package, found) for story in stories}
    made_by = {kind: pages.codes.of(*names) for kind, names in STORY_PARTS.items() if names}
    listed = AcrossPages(pages, archive, staging, inputs, before.pages)
    kept = {story.comparison.story.id: kept_parts(story, inputs, made_by, before, staging) for story in stories}
    # An article page's fingerprint: carried over where its story's article pages were all kept;
    # else taken afresh (by the processes that make the pages), the page made again where it changed.
    kept_paths = [
        path for story in stories if "articles" in kept[story.comparison.story.id] for path in story.article_paths()
    ]
    fingerprints = {path: before.pages[path] for path in kept_paths if path in before.pages}
    # Likewise what search indexes of an article's or a claim's page (see search.Searched).
    searched = {
        path: before.searched[path]
        for story in stories
        for kind in ("articles", "claims")
        if kind in kept[story.comparison.story.id]
        for path in story.parts()[kind]
        if path in before.searched
    }
    for story in stories:
        if "claims" not in kept[story.comparison.story.id]:
            searched.update(claims_searched(story, made_by["claims"]))
    articles = [
        ArticleAt(story, position, taker)
        for story in stories
        if "articles" not in kept[story.comparison.story.id]
        for taker in [ArticleFingerprints(story, made_by["articles"])]
        for position in range(len(story.comparison.summaries))
    ]
    kept_ids = {story_id for story_id, parts in kept.items() if "data" in parts}
    data_files = functools.partial(put_data_files, archive, comparisons, staging, kept_ids, before.exported)
    article_page = functools.partial(put_article_page, articles, before.pages, staging)

    def made(number: int) -> DataFiles | ArticlePage:
        """The data files first, each written as soon as it is made: the longest task, begun
        first, by one worker while the others take the article pages; then each article page."""
        return data_files() if number == 0 else article_page(number - 1)

    def meanwhile() -> tuple[Written, dict[str, bytes]]:
        """The files put alongside, then the other pages."""
        put_alongside = alongside() if alongside else Written(0, 0)
        files = other_files(pages, archive, stories, found, templates, listed)
        for story in stories:
            files.update(story.own_files(kept[story.comparison.story.id]))
        return put_alongside, files

    results, (put_alongside, files) = map_numbers_meanwhile(made, len(articles) + 1, jobs, meanwhile)
    (data,) = [result for result in results if isinstance(result, DataFiles)]
    article_pages = [result for result in results if isinstance(result, ArticlePage)]
    # What the workers kept, each noted in its own: their files are this build's too.
    staging.kept.update(page.path for page in article_pages if not page.written)
    staging.kept.update(path for path, written in data.written.items() if not written)
    fingerprints.update((page.path, page.fingerprint.shown) for page in article_pages)
    fingerprints.update(listed.fingerprints)
    searched.update((page.path, page.fingerprint.searched) for page in article_pages)
    searched.update(listed.searched)
    own = {
        story.comparison.story.id: StoryRecord(inputs[story.comparison.story.id], story.paths()) for story in stories
    }
    if archive.settings.url:
        unlisted = UNLISTED | {
            claim_page(name) for s in stories for c in s.comparison.claims for name, _ in former_addresses(c)
        }
        every = [*files, *listed.kept, *(path for record in own.values() for path in record.pages)]
        listed_pages = sorted({path for path in every if path.endswith(".html") and path not in unlisted})
        files["sitemap.xml"] = pages.render("sitemap.xml", "sitemap.xml", pages=listed_pages)
        files["feed.xml"] = pages.render("feed.xml", "feed.xml", summaries=newest_summaries(stories))
    files[TEMPLATES_FILE] = saved_templates(COMPILED.generated)
    files[PAGES_FILE] = PageRecord(own, fingerprints, searched, carried_by(comparisons), data.places, made_by).dumped()
    # The stories' files kept by kind, every article page of the others (made or kept), and the rest.
    kept_files = len(listed.kept) + sum(
        len(paths)
        for story in stories
        for kind, paths in story.parts().items()
        if kind in kept[story.comparison.story.id]
    )
    written = sum(page.written for page in article_pages) + sum(data.written.values()) + put_alongside.written
    written += sum(put(path, content) for path, content in sorted(files.items()))
    return Written(kept_files + len(article_pages) + len(data.written) + len(files) + put_alongside.files, written)


def kept_parts(
    story: StoryPages, inputs: dict[str, str], made_by: dict[str, str], before: PageRecord, staging: Staging
) -> set[str]:
    """The kinds of the story's files (as STORY_PARTS) kept from the old site: none if its
    fingerprint is not the one it had there; else each whose templates are those it was made
    with (its data file, made with none, with the story), where the old site has all its files."""
    record = before.stories.get(story.comparison.story.id)
    if record is None or record.fingerprint != inputs[story.comparison.story.id]:
        return set()
    return {
        kind
        for kind, paths in story.parts().items()
        if before.story_code.get(kind) == made_by.get(kind) and staging.keep(paths)
    }


def carried_by(comparisons: tuple[Comparison, ...]) -> dict[str, int]:
    """In how many articles each claim, and each of its parts, was found."""
    found = {}
    for comparison in comparisons:
        for coverage in comparison.claims:
            found[coverage.claim.id] = coverage.carried_by
            found.update((row.part.id, row.carried_by) for row in coverage.rows)
    return found


def newest_summaries(stories: list[StoryPages]) -> list[ArticleSummary]:
    """The latest articles across stories, oldest first, for the feed."""
    summaries = sorted(
        (summary for story in stories for summary in story.comparison.summaries),
        key=lambda summary: (summary.article.published, summary.article.id),
    )
    return summaries[-FEED_ENTRIES:]


def put_article_page(articles: list[ArticleAt], before: dict[str, str], staging: Staging, number: int) -> ArticlePage:
    """The article page at this number: kept from the old site if its fingerprint is the one
    it had there (`before`), else rendered and handed to `staging`."""
    story, position, fingerprints = articles[number]
    summary = story.comparison.summaries[position]
    path = article_page(summary.article.id)
    fingerprint = fingerprints.of(position)
    if before.get(path) == fingerprint.shown and staging.keep([path]):
        return ArticlePage(path, fingerprint, made=False, written=False)
    html = story.render(
        path, ARTICLE_TEMPLATE, summary=summary, article=summary.article, rows=body_rows(summary, story.places)
    )
    return ArticlePage(path, fingerprint, made=True, written=staging.put(path, html))


# Pages a search engine has no use for, with the former addresses; the search page shows nothing
# until someone types in it.
UNLISTED = {"404.html", ARTICLES_FOLDER, SEARCH_PAGE}


def published_capture(capture: Path) -> bytes:
    """What the site shows of a capture: a text capture as it is; of a saved page or a WARC file,
    the text it holds (what the body was checked against), never its markup or scripts."""
    data = capture.read_bytes()
    if not capture.name.lower().endswith(PAGE_SUFFIXES):
        return data
    from ..capture import capture_text  # only then: reading pages needs trafilatura, slow to import

    return (capture_text(data, capture.name) or "").encode("utf-8")


def other_files(
    pages: Pages, archive: Archive, stories: list[StoryPages], found: Across, templates: Path, listed: AcrossPages
) -> dict[str, bytes]:
    """Every file but the article pages and the data files: the pages across stories, the card
    and the captures handed to `listed`, which makes them where they changed; the rest here."""
    files: dict[str, bytes] = {}
    list_pages(listed, archive, stories, found)
    files[SEARCH_PAGE] = pages.render(SEARCH_PAGE, "search.html")
    # Hosts serve the 404 page at any missing address, however deep: it links from the site's
    # address (or the host's root, if none is set) and carries its styles, allowed by their hash.
    style = (templates / STYLESHEET).read_text(encoding="utf-8")
    files["404.html"] = pages.render(
        "404.html",
        "404.html",
        root=archive.settings.url or "/",
        inline_style=style,
        style_source=f"'sha256-{base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()}'",
    )
    static = templates / STATIC_FOLDER
    for asset in sorted(static.rglob("*")) if static.is_dir() else ():
        if asset.is_file():
            files[asset.relative_to(static).as_posix()] = asset.read_bytes()
    # Drawn and encoded, the card took a fifth of a small story's rebuild under `serve`.
    card = card_of(archive)
    listed.kept_or_made(
        CARD_IMAGE, fingerprint(pages.codes.package, (CARD_DRAWN_BY, card)), functools.partial(card_image, card)
    )
    # Read out of a saved page, a capture's text took milliseconds an article at every build: it
    # is made again only where its bytes changed, or the code that reads them.
    readers = matching_code(LOADING, LOADING_LIBRARIES)
    for article in archive.articles:
        if article.capture:
            listed.kept_or_made(
                capture_file(article.id),
                fingerprint(pages.codes.package, (readers, article.capture.name, article.capture_digest)),
                functools.partial(published_capture, article.capture),
            )
    return files | listed.files


def claim_pages(story: StoryPages) -> dict[str, bytes]:
    """A page per claim of the story, and one at each address it had before, leading to it."""
    files = {}
    for coverage in story.comparison.claims:
        claim = coverage.claim
        path = claim_page(claim.id)
        files[path] = story.render(
            path,
            CLAIM_TEMPLATE,
            coverage=coverage,
            claim=claim,
            structured_data=claim_json_ld(story.archive.settings.url, story.comparison.story, coverage),
        )
        # The addresses it had before (a claim merged into this one as a part) lead to it.
        for name, target in former_addresses(coverage):
            files[claim_page(name)] = story.render(
                claim_page(name), REDIRECT_TEMPLATE, target=target, title=short(claim.statement, 90)
            )
    return files


def former_addresses(coverage: ClaimCoverage) -> list[tuple[str, str]]:
    """(id, where it leads) for each id of a claim that has no page of its own: the claim's
    aliases, and its parts' ids and aliases where it has several parts."""
    claim = coverage.claim
    found = [(alias, claim_page(claim.id)) for alias in claim.aliases]
    if claim.has_parts:
        found += [(name, part_page(claim, part)) for part in claim.parts for name in (part.id, *part.aliases)]
    return found
