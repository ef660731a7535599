"""Where everything stands on the site.

One function per kind of page gives its path in the site, which is also its address relative to
the site's root: links and files can never disagree.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ..model import Claim, Occurrence, Part, SharedStatement

ARCHIVE_JSON = "data/archive.json"
OCCURRENCES_JSONL = "data/occurrences.jsonl"
CARD_IMAGE = "card.png"
CLAIM_LIST = "claims/index.html"  # a host serves it at claims/, where readers look for it
PAGES_FILE = ".parallax-cache/pages.json"  # which pages each story's were made from, for the next build
TEMPLATES_FILE = ".parallax-cache/templates.json"  # the templates made Python, for the next build
OUTLET_LIST = "outlets/index.html"
SPEAKER_LIST = "speakers/index.html"
SEARCH_PAGE = "search.html"


def article_page(article_id: str) -> str:
    return f"articles/{article_id}.html"


def claim_page(claim_id: str) -> str:
    return f"claims/{claim_id}.html"


def part_page(claim: Claim, part: Part) -> str:
    """Where a part of a claim stands: the claim's page, at the part where it has several."""
    return claim_page(claim.id) + (f"#{part.id}" if claim.has_parts else "")


def statement_page(statement: SharedStatement) -> str:
    """Where a statement covered by a claim is shown whole: its part on the claim's page."""
    assert statement.claim and statement.part, "only a claim's statements have a page"
    return part_page(statement.claim, statement.part)


def story_page(story_id: str) -> str:
    """A story's overview, in an archive of many; in an archive of one, the overview is index.html."""
    return f"stories/{story_id}.html"


# A section's list and its later pages, by file name: index.html, index--2.html, ... (see numbered)
SECTION_LIST = re.compile(r"index(--[0-9]+)?\.html")


def numbered(path: str, number: int) -> str:
    """A page of a list cut into pages: the first at `path`, the others at `<path>--<number>`, an
    address no id can take (ids never hold two hyphens running)."""
    return path if number == 1 else path.replace(".html", f"--{number}.html")


def claim_list_page(number: int) -> str:
    return numbered(CLAIM_LIST, number)


def outlet_page(slug: str, number: int = 1) -> str:
    return numbered(f"outlets/{slug}.html", number)


def speaker_page(speaker_id: str, number: int = 1) -> str:
    return numbered(f"speakers/{speaker_id}.html", number)


def front_page(number: int) -> str:
    """The list of stories is cut into pages: index.html, stories-2.html, ..."""
    return "index.html" if number == 1 else f"stories-{number}.html"


def capture_file(article_id: str) -> str:
    return f"captures/{article_id}.txt"


def article_list_page(number: int) -> str:
    """The list of articles is cut into pages: articles.html, articles-2.html, ..."""
    return "articles.html" if number == 1 else f"articles-{number}.html"


def section_of(path: str) -> str | None:
    """Which part of the site a page belongs to, for the navigation."""
    if path == "index.html" or path.startswith(("stories/", "stories-")):
        return "stories"
    if path == SEARCH_PAGE:
        return "search"
    if path.startswith(("articles/", "articles.html", "articles-")):
        return "articles"
    return path.split("/")[0] if path.startswith(("claims/", "outlets/", "speakers/")) else None


ARTICLES_PER_PAGE = 100
STORIES_PER_PAGE = 25  # on the front page, the list of claims, and an outlet's page
STATEMENTS_PER_PAGE = 25  # on a speaker's page
FEED_ENTRIES = 50  # the latest articles; a feed reader wants news, not the whole archive


@dataclass(frozen=True)
class Pager:
    """Where one page of the article list stands among the others."""

    number: int  # from 1
    pages: int
    first: int  # the number, from 1, of the first item on this page
    last: int
    link: Callable[[int], str]  # the address of a page by its number

    @property
    def nearby(self) -> list[int | None]:
        """The pages to link: the first, the last and those near this one; None for a gap."""
        shown = sorted({1, self.pages, *range(max(1, self.number - 2), min(self.pages, self.number + 2) + 1)})
        with_gaps: list[int | None] = []
        for number in shown:
            if with_gaps and number - with_gaps[-1] > 1:
                with_gaps.append(None)
            with_gaps.append(number)
        return with_gaps


def pagers(count: int, per_page: int = ARTICLES_PER_PAGE, link=article_list_page) -> list[Pager]:
    pages = max(1, -(-count // per_page))
    return [
        Pager(number, pages, (number - 1) * per_page + 1, min(count, number * per_page), link)
        for number in range(1, pages + 1)
    ]


class Places:
    """Where each occurrence stands on the site: its id in its article's page (s-<statement>,
    then s-<statement>-2, ... where an article carries it more than once), and a link to it.

    An occurrence also answers to the same ids made from the statement's aliases, so that a link
    given out before a claim covered the statement still finds it."""

    def __init__(self, statements: tuple[SharedStatement, ...]):
        # Keyed by where the occurrence stands: cheaper to hash than the occurrence itself.
        self.anchors: dict[tuple[str, str, int, int], tuple[str, ...]] = {}
        for statement in statements:
            seen: dict[str, int] = defaultdict(int)
            for occurrence in statement.occurrences:
                seen[occurrence.article] += 1
                suffix = f"-{seen[occurrence.article]}" if seen[occurrence.article] > 1 else ""
                # The statement's own id last, right before the text it marks.
                names = (*statement.aliases, statement.id)
                self.anchors[statement.id, occurrence.article, occurrence.start, occurrence.end] = tuple(
                    f"s-{name}{suffix}" for name in names
                )

    def anchor(self, statement: SharedStatement, occurrence: Occurrence) -> str:
        return self.anchors[statement.id, occurrence.article, occurrence.start, occurrence.end][-1]

    def all_anchors(self, statement: SharedStatement, occurrence: Occurrence) -> tuple[str, ...]:
        """The ids it answers to from earlier builds, then its own."""
        return self.anchors[statement.id, occurrence.article, occurrence.start, occurrence.end]

    def link(self, statement: SharedStatement, occurrence: Occurrence) -> str:
        return f"{article_page(occurrence.article)}#{self.anchor(statement, occurrence)}"
