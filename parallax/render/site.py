"""Every file of the site, rendered from the templates in the archive's `templates/`.

Links between pages are relative, so the site works from any host, under any sub-path, and
straight from disk; the few addresses a standard wants absolute (canonical, share cards, sitemap,
feed) come from the story's `url`.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import jinja2

from ..compare import ClaimCoverage, Comparison
from ..model import Archive, Article
from ..parallel import map_numbers_meanwhile
from .addresses import (
    ARCHIVE_JSON,
    ARTICLES_PER_PAGE,
    CARD_IMAGE,
    CLAIM_LIST,
    FEED_ENTRIES,
    OCCURRENCES_JSONL,
    SEARCH_PAGE,
    Places,
    article_list_page,
    article_page,
    capture_file,
    claim_page,
    pagers,
    part_page,
    section_of,
    statement_page,
)
from .body import body_rows
from .export import put_data_files
from .lineage import described, lineage_diagram, timeline, version_carriers, version_letter
from .maps import MAPPED_OUTLETS, coverage_map, similarity_map
from .sharing import card_image, claim_json_ld
from .showcase import (
    LISTED_AT_MOST,
    LISTED_SOURCES,
    UNCOVERED_SHOWN,
    Showcase,
    not_carrying,
    wordings,
)
from .words import clock_time, count, language_name, long_date, percent, plural, short


class Pages:
    """The site's templates, each rendered for the path it is written at."""

    def __init__(self, templates: Path, archive: Archive, comparison: Comparison, places: Places):
        self.environment = make_environment(templates, archive, comparison, places)

    def render(self, path: str, template: str, root: str | None = None, **context) -> bytes:
        """`root` leads from the page back to the site's root: relative unless given."""
        root = "../" * path.count("/") if root is None else root
        return self.environment.get_template(template).render(root=root, path=path, **context).encode("utf-8")


class Written(NamedTuple):
    files: int  # how many files the site has
    written: int  # how many of them were written anew


def render_site(
    archive: Archive,
    comparison: Comparison,
    templates: Path,
    put: Callable[[str, bytes | bytearray], bool],
    jobs: int = 1,
) -> Written:
    """Every file of the site, each handed to `put` with its path relative to the site root;
    `put` writes it, and says whether it was written anew (see write.Staging).

    `jobs`: how many processes may render the article pages, each handing its pages to `put` as
    it makes them, so that no process holds them all; this one renders the rest meanwhile."""
    places = Places(comparison.statements_and_passages)
    pages = Pages(templates, archive, comparison, places)
    task = functools.partial(put_article_page, pages, comparison, places, put)

    def meanwhile() -> tuple[dict[str, bytes], list[bool]]:
        """The other pages; and the data files, each written as soon as it is made."""
        return other_files(pages, archive, comparison, places, templates), put_data_files(archive, comparison, put)

    articles_written, (files, exported) = map_numbers_meanwhile(task, len(comparison.summaries), jobs, meanwhile)
    for summary in comparison.summaries:
        if summary.article.capture:
            files[capture_file(summary.article.id)] = summary.article.capture.read_bytes()
    if archive.story.url:
        article_pages = [article_page(summary.article.id) for summary in comparison.summaries]
        unlisted = UNLISTED | {claim_page(name) for c in comparison.claims for name, _ in former_addresses(c)}
        listed = sorted([*article_pages, *(path for path in files if path.endswith(".html") and path not in unlisted)])
        files["sitemap.xml"] = pages.render("sitemap.xml", "sitemap.xml", pages=listed)
        files["feed.xml"] = pages.render("feed.xml", "feed.xml", summaries=comparison.summaries[-FEED_ENTRIES:])
    written = sum(articles_written) + sum(exported) + sum(put(path, content) for path, content in sorted(files.items()))
    return Written(len(articles_written) + len(exported) + len(files), written)


def put_article_page(
    pages: Pages, comparison: Comparison, places: Places, put: Callable[[str, bytes | bytearray], bool], position: int
) -> bool:
    """Render the article page at this position in the archive, and hand it to `put`."""
    summary = comparison.summaries[position]
    html = pages.render(
        article_page(summary.article.id),
        "article.html",
        summary=summary,
        article=summary.article,
        rows=body_rows(summary, places),
        listed_on=article_list_page(position // ARTICLES_PER_PAGE + 1),
    )
    return put(article_page(summary.article.id), html)


ARTICLES_FOLDER = "articles/index.html"  # leads to the list of articles, for readers who look for it at articles/
# Pages a search engine has no use for, with the former addresses; the search page shows nothing
# until someone types in it.
UNLISTED = {"404.html", ARTICLES_FOLDER, SEARCH_PAGE}


def other_files(
    pages: Pages, archive: Archive, comparison: Comparison, places: Places, templates: Path
) -> dict[str, bytes]:
    """Every file but the article pages, the captures and the data files."""
    files: dict[str, bytes] = {}
    listing = pagers(len(comparison.summaries))
    for pager in listing:
        summaries = comparison.summaries[pager.first - 1 : pager.last]
        path = article_list_page(pager.number)
        files[path] = pages.render(path, "articles.html", summaries=summaries, pager=pager)
    # The first page of the list again at articles/, where readers look for it; its canonical address is the list's.
    files[ARTICLES_FOLDER] = pages.render(
        ARTICLES_FOLDER,
        "articles.html",
        summaries=comparison.summaries[: listing[0].last],
        pager=listing[0],
        canonical=article_list_page(1),
    )
    files["index.html"] = pages.render(
        "index.html",
        "index.html",
        coverage_map=coverage_map(archive, comparison, places),
        similarity_map=similarity_map(comparison),
        summaries=comparison.summaries[:ARTICLES_PER_PAGE],
        pager=listing[0],
    )
    files[CLAIM_LIST] = pages.render(CLAIM_LIST, "claims.html")
    files[SEARCH_PAGE] = pages.render(SEARCH_PAGE, "search.html")
    for coverage in comparison.claims:
        claim = coverage.claim
        path = claim_page(claim.id)
        files[path] = pages.render(
            path,
            "claim.html",
            coverage=coverage,
            claim=claim,
            structured_data=claim_json_ld(archive, coverage),
        )
        # The addresses it had before (a claim merged into this one as a part) lead to it.
        for name, target in former_addresses(coverage):
            files[claim_page(name)] = pages.render(
                claim_page(name), "redirect.html", target=target, title=short(claim.statement, 90)
            )
    # Hosts serve the 404 page at any missing address, however deep: it links from the site's
    # address (or the host's root, if none is set) and carries its styles, allowed by their hash.
    style = (templates / "static" / "style.css").read_text(encoding="utf-8")
    files["404.html"] = pages.render(
        "404.html",
        "404.html",
        root=archive.story.url or "/",
        inline_style=style,
        style_source=f"'sha256-{base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()}'",
    )
    static = templates / "static"
    for asset in sorted(static.rglob("*")) if static.is_dir() else ():
        if asset.is_file():
            files[asset.relative_to(static).as_posix()] = asset.read_bytes()
    files[CARD_IMAGE] = card_image(archive)
    return files


def former_addresses(coverage: ClaimCoverage) -> list[tuple[str, str]]:
    """(id, where it leads) for each id of a claim that has no page of its own: the claim's
    aliases, and its parts' ids and aliases where it has several parts."""
    claim = coverage.claim
    found = [(alias, claim_page(claim.id)) for alias in claim.aliases]
    if claim.has_parts:
        found += [(name, part_page(claim, part)) for part in claim.parts for name in (part.id, *part.aliases)]
    return found


def carrying_articles(archive: Archive, coverage: ClaimCoverage) -> list[Article]:
    """The articles that carry the claim, or a part of it, in archive order."""
    return [archive.article(cells[0].article) for cells in coverage.cells if cells]


def make_environment(templates: Path, archive: Archive, comparison: Comparison, places: Places) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=jinja2.select_autoescape(("html", "xml", "svg"), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates do not change during a build: no need to look at them again
    )
    environment.globals.update(
        archive=archive,
        comparison=comparison,
        url=url,
        absolute=absolute,
        article_page=article_page,
        article_list=article_list_page(1),
        claim_page=claim_page,
        statement_page=statement_page,
        part_page=part_page,
        version_letter=version_letter,
        timeline=functools.partial(timeline, archive, comparison),
        lineage_diagram=lambda statement: lineage_diagram(archive, statement, comparison.lineage[statement.id], places),
        describe=lambda statement, descent, named=True: described(
            archive, statement, comparison.lineage[statement.id], descent, named
        ),
        version_carriers=functools.partial(version_carriers, archive, comparison),
        carrying_articles=functools.partial(carrying_articles, archive),
        claim_list=CLAIM_LIST,
        search_page=SEARCH_PAGE,
        section_of=section_of,
        capture_file=capture_file,
        occurrence_link=places.link,
        wordings=wordings,
        not_carrying=functools.partial(not_carrying, archive),
        listed_at_most=LISTED_AT_MOST,
        listed_sources=LISTED_SOURCES,
        uncovered_shown=UNCOVERED_SHOWN,
        mapped_outlets=MAPPED_OUTLETS,
        anchor=places.anchor,
        archive_json=ARCHIVE_JSON,
        occurrences_jsonl=OCCURRENCES_JSONL,
        card_image=CARD_IMAGE,
        favicon=favicon(templates),
        latest=max(article.published for article in archive.articles),
    )
    showcase = Showcase(environment)
    environment.globals.update(
        renderings=showcase.renderings, other_carriers=showcase.carriers, source_occurrence=showcase.source
    )
    environment.filters.update(
        long_date=long_date,
        percent=percent,
        language_name=language_name,
        count=count,
        plural=plural,
        clock_time=clock_time,
    )
    return environment


def favicon(templates: Path) -> str:
    """The icon as a data: address, so that no page (not even the 404 page) asks for a file."""
    icon = templates / "static" / "favicon.svg"
    return (
        "data:image/svg+xml," + urllib.parse.quote(icon.read_text(encoding="utf-8").strip()) if icon.is_file() else ""
    )


@jinja2.pass_context
def url(context, path: str) -> str:
    """The address of `path` relative to the page being rendered."""
    return context["root"] + path


@jinja2.pass_context
def absolute(context, path: str) -> str:
    """The absolute address of `path` on the published site."""
    return context["archive"].story.url + ("" if path == "index.html" else path)
