"""Stage 5: turn the archive and its comparison into the site's files, in memory.

Every page is rendered from a template in the archive's `templates/` folder. Links between pages
are relative, so the site works from any host, under any sub-path, and straight from disk; the
few addresses a standard wants absolute (canonical, share cards, sitemap, feed) come from the
story's `url`.
"""

from __future__ import annotations

import base64
import datetime
import functools
import hashlib
import io
import json
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import jinja2
import langcodes
from markupsafe import Markup
from PIL import Image, ImageDraw, ImageFont

from .compare import ArticleSummary, Carried, Comparison, word_key
from .model import Archive, Article, Occurrence, SharedStatement
from .parallel import map_numbers

MONTHS = (
    "January February March April May June July August September October November December"
).split()
ARCHIVE_JSON = "data/archive.json"
CARD_IMAGE = "card.png"


# One function per kind of page gives its path in the site, which is also its address
# relative to the site's root: links and files can never disagree.
def article_page(article_id: str) -> str:
    return f"articles/{article_id}.html"


def claim_page(claim_id: str) -> str:
    return f"claims/{claim_id}.html"


def capture_file(article_id: str) -> str:
    return f"captures/{article_id}.txt"


def article_list_page(number: int) -> str:
    """The list of articles is cut into pages: articles.html, articles-2.html, ..."""
    return "articles.html" if number == 1 else f"articles-{number}.html"


ARTICLES_PER_PAGE = 100
FEED_ENTRIES = 50  # the latest articles; a feed reader wants news, not the whole archive


@dataclass(frozen=True)
class Pager:
    """Where one page of the article list stands among the others."""

    number: int  # from 1
    pages: int
    first: int  # the number, from 1, of the first article on this page
    last: int

    link = staticmethod(article_list_page)

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


def pagers(count: int) -> list[Pager]:
    pages = max(1, -(-count // ARTICLES_PER_PAGE))
    return [
        Pager(number, pages, (number - 1) * ARTICLES_PER_PAGE + 1, min(count, number * ARTICLES_PER_PAGE))
        for number in range(1, pages + 1)
    ]


class Places:
    """Where each occurrence stands on the site: its id in its article's page (s-<statement>,
    then s-<statement>-2, ... where an article carries it more than once), and a link to it."""

    def __init__(self, statements: tuple[SharedStatement, ...]):
        self.anchors: dict[tuple[str, Occurrence], str] = {}
        for statement in statements:
            seen: dict[str, int] = defaultdict(int)
            for occurrence in statement.occurrences:
                seen[occurrence.article] += 1
                number = seen[occurrence.article]
                self.anchors[statement.id, occurrence] = f"s-{statement.id}" + (f"-{number}" if number > 1 else "")

    def anchor(self, statement: SharedStatement, occurrence: Occurrence) -> str:
        return self.anchors[statement.id, occurrence]

    def link(self, statement: SharedStatement, occurrence: Occurrence) -> str:
        return f"{article_page(occurrence.article)}#{self.anchor(statement, occurrence)}"


def render_site(archive: Archive, comparison: Comparison, templates: Path, jobs: int = 1) -> dict[str, bytes]:
    """Every file of the site: its path relative to the site root, and its bytes.

    `jobs`: how many processes may render the article pages."""
    places = Places(comparison.statements)
    environment = make_environment(templates, archive, comparison, places)
    files: dict[str, bytes] = {}

    def rendered(path: str, template: str, root: str | None = None, **context) -> bytes:
        root = "../" * path.count("/") if root is None else root
        return environment.get_template(template).render(root=root, path=path, **context).encode("utf-8")

    def page(path: str, template: str, root: str | None = None, **context) -> None:
        files[path] = rendered(path, template, root, **context)

    def article(position: int) -> bytes:
        summary = comparison.summaries[position]
        return rendered(
            article_page(summary.article.id), "article.html", summary=summary, article=summary.article,
            rows=body_rows(summary, places), listed_on=article_list_page(position // ARTICLES_PER_PAGE + 1),
        )

    statements = {s.claim.id: s for s in comparison.statements if s.claim}

    def other_files() -> None:
        """Every file but the article pages, made here while the workers render those."""
        listing = pagers(len(comparison.summaries))
        for pager in listing:
            summaries = comparison.summaries[pager.first - 1 : pager.last]
            page(article_list_page(pager.number), "articles.html", summaries=summaries, pager=pager)
        page(
            "index.html",
            "index.html",
            coverage_map=coverage_map(archive, comparison, places),
            similarity_map=similarity_map(comparison),
            statement_of=statements,
            summaries=comparison.summaries[:ARTICLES_PER_PAGE],
            pager=listing[0],
        )
        for row in comparison.coverage:
            statement = statements.get(row.claim.id)
            page(
                claim_page(row.claim.id), "claim.html", row=row, claim=row.claim, statement=statement,
                structured_data=claim_json_ld(archive, row.claim, statement),
            )
        # Hosts serve the 404 page at any missing address, however deep: it links absolutely and
        # carries its styles, allowed by their hash.
        style = (templates / "static" / "style.css").read_text(encoding="utf-8")
        page(
            "404.html", "404.html", root=archive.story.url or "", inline_style=style,
            style_source=f"'sha256-{base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()}'",
        )
        static = templates / "static"
        for asset in sorted(static.rglob("*")) if static.is_dir() else ():
            if asset.is_file():
                files[asset.relative_to(static).as_posix()] = asset.read_bytes()
        files[CARD_IMAGE] = card_image(archive)
        files[ARCHIVE_JSON] = export(archive, comparison)

    articles = map_numbers(article, len(comparison.summaries), jobs, meanwhile=other_files)
    for summary, html in zip(comparison.summaries, articles):
        files[article_page(summary.article.id)] = html
        if summary.article.capture:
            files[capture_file(summary.article.id)] = summary.article.capture.read_bytes()
    if archive.story.url:
        page("sitemap.xml", "sitemap.xml", pages=sorted(p for p in files if p.endswith(".html") and p != "404.html"))
        page("feed.xml", "feed.xml", summaries=comparison.summaries[-FEED_ENTRIES:])
    return files


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
        claim_page=claim_page,
        capture_file=capture_file,
        occurrence_link=places.link,
        wordings=wordings,
        not_carrying=functools.partial(not_carrying, archive),
        listed_at_most=LISTED_AT_MOST,
        uncovered_shown=UNCOVERED_SHOWN,
        mapped_outlets=MAPPED_OUTLETS,
        anchor=places.anchor,
        archive_json=ARCHIVE_JSON,
        card_image=CARD_IMAGE,
        favicon=favicon(templates),
        latest=max(article.published for article in archive.articles),
    )
    environment.globals["renderings"] = Showcase(environment).renderings
    environment.filters.update(long_date=long_date, percent=percent, language_name=language_name, count=count)
    return environment


def favicon(templates: Path) -> str:
    """The icon as a data: address, so that no page (not even the 404 page) asks for a file."""
    icon = templates / "static" / "favicon.svg"
    return "data:image/svg+xml," + urllib.parse.quote(icon.read_text(encoding="utf-8").strip()) if icon.is_file() else ""


@jinja2.pass_context
def url(context, path: str) -> str:
    """The address of `path` relative to the page being rendered."""
    return context["root"] + path


@jinja2.pass_context
def absolute(context, path: str) -> str:
    """The absolute address of `path` on the published site."""
    return context["archive"].story.url + ("" if path == "index.html" else path)


def long_date(value: datetime.date | None) -> str:
    # Month names written out here, not by the locale, so output is the same on every machine.
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}" if value else ""


def language_name(code: str) -> str:
    """'ru' -> 'Russian': names in English, like the rest of the site's own words."""
    return langcodes.Language.get(code).display_name("en")


def count(value: int) -> str:
    """12345 -> '12,345'."""
    return f"{value:,}"


def percent(value: float) -> str:
    return f"{round(value * 100)}%"


# -- grouping wordings, so that pages stay short when many outlets carry a statement -------

OTHERS_SHOWN = 6  # other outlets' wordings shown beside a paragraph; the claim page has them all


class Showcase:
    """Which other articles' wordings a page shows beside a statement: one of each wording
    first, at most OTHERS_SHOWN, and how many more there are.

    Most pages carrying a statement show the same wordings: each list is rendered once."""

    def __init__(self, environment: jinja2.Environment):
        self.environment = environment
        self.chosen: dict[str, tuple[tuple[Occurrence, ...], Counter]] = {}
        self.rendered: dict[tuple, Markup] = {}

    def others(self, statement: SharedStatement, article_id: str | None) -> tuple[list[Occurrence], int]:
        if statement.id not in self.chosen:
            self.chosen[statement.id] = (showcase(statement), Counter(statement.article_ids))
        chosen, per_article = self.chosen[statement.id]
        shown = [o for o in chosen if o.article != article_id][:OTHERS_SHOWN]
        rest = len(statement.occurrences) - per_article[article_id]
        return shown, rest - len(shown)

    @jinja2.pass_context
    def renderings(self, context, statement: SharedStatement, article_id: str | None = None) -> Markup:
        """The list of other wordings, as HTML (the template `_renderings.html`)."""
        shown, more = self.others(statement, article_id)
        key = (context["root"], statement.id, tuple(map(id, shown)), more)
        if key not in self.rendered:
            template = self.environment.get_template("_renderings.html")
            html = template.render(root=context["root"], statement=statement, shown=shown, more=more)
            self.rendered[key] = Markup(html)
        return self.rendered[key]


def showcase(statement: SharedStatement) -> tuple[Occurrence, ...]:
    """A statement's occurrences, one of each wording first: enough to show beside any article."""
    first = distinct_wordings(statement.occurrences)[: OTHERS_SHOWN + 1]
    chosen = set(map(id, first))
    return tuple(first + [o for o in statement.occurrences if id(o) not in chosen][: OTHERS_SHOWN + 1])


@functools.lru_cache(maxsize=None)
def wording_key(text: str) -> tuple[str, ...]:
    return tuple(key for word in text.split() if (key := word_key(word)))


LISTED_PER_OUTLET = 10  # articles named per outlet in a claim page's lists; the export has them all
LISTED_AT_MOST = 50  # articles named under one wording on a claim page
UNCOVERED_SHOWN = 100  # statements without a claim on the overview; `suggest` lists them all


@dataclass(frozen=True)
class OutletList:
    """Some of one outlet's articles, named, and how many more there are."""

    outlet: str
    articles: tuple[Article, ...]
    more: int


def by_outlet(articles) -> list[OutletList]:
    grouped: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        grouped[article.outlet].append(article)
    return [
        OutletList(outlet, tuple(found[:LISTED_PER_OUTLET]), max(0, len(found) - LISTED_PER_OUTLET))
        for outlet, found in grouped.items()
    ]


def not_carrying(archive: Archive, statement: SharedStatement | None) -> list[OutletList]:
    """The articles that do not carry a statement, by outlet."""
    carrying = set(statement.article_ids) if statement else set()
    return by_outlet(a for a in archive.articles if a.id not in carrying)


def distinct_wordings(occurrences) -> list[Occurrence]:
    """The first occurrence of each wording, in order."""
    first: dict[tuple[str, ...], Occurrence] = {}
    for occurrence in occurrences:
        first.setdefault(wording_key(occurrence.text), occurrence)
    return list(first.values())


def wordings(variants) -> list[tuple[object, list[Occurrence]]]:
    """Variants grouped by wording: one per distinct wording, with every occurrence that has it."""
    groups: dict[tuple[str, ...], tuple[object, list[Occurrence]]] = {}
    for variant in variants:
        groups.setdefault(wording_key(variant.occurrence.text), (variant, []))[1].append(variant.occurrence)
    return list(groups.values())


# -- article pages -------------------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """A run of a paragraph's text that is either inside shared statements or outside them all."""

    text: str
    marked: bool
    starts: tuple[str, ...]  # anchors of the occurrences that begin here
    ends: tuple[tuple[int, str], ...]  # (number, statement id) of the occurrences that end here


@dataclass(frozen=True)
class Note:
    """A statement the article shares, shown beside the paragraph where it first appears."""

    number: int
    carried: Carried


@dataclass(frozen=True)
class Row:
    kind: str  # "p" or "h2".."h6"
    pieces: tuple[Piece, ...]
    notes: tuple[Note, ...]


def body_rows(summary: ArticleSummary, places: Places) -> list[Row]:
    """The article's blocks, each cut at every edge of a shared statement, with its notes."""
    article = summary.article
    numbers: dict[str, int] = {}
    for carried in summary.carried:
        numbers.setdefault(carried.statement.id, len(numbers) + 1)
    noted: set[str] = set()
    rows = []
    for block in article.blocks:
        inside = [c for c in summary.carried if c.occurrence.start < block.end and c.occurrence.end > block.start]
        cuts = sorted(
            {block.start, block.end}
            | {min(max(edge, block.start), block.end) for c in inside for edge in (c.occurrence.start, c.occurrence.end)}
        )
        pieces = tuple(
            Piece(
                text=article.text[start:end],
                marked=any(c.occurrence.start <= start and c.occurrence.end >= end for c in inside),
                starts=tuple(places.anchor(c.statement, c.occurrence) for c in inside if c.occurrence.start == start),
                ends=tuple((numbers[c.statement.id], c.statement.id) for c in inside if c.occurrence.end == end),
            )
            for start, end in zip(cuts, cuts[1:])
        )
        notes = []
        for carried in inside:
            if carried.statement.id not in noted and carried.occurrence.start >= block.start:
                noted.add(carried.statement.id)
                notes.append(Note(numbers[carried.statement.id], carried))
        rows.append(Row(block.kind, pieces, tuple(notes)))
    return rows


# -- pictures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    x: int
    y: int
    shade: float  # 0-1: how strongly to fill it
    label: str  # what it says when pointed at, and to a screen reader
    href: str | None
    text: str = ""  # written in the cell


@dataclass(frozen=True)
class HeatMap:
    """A grid drawn as SVG: rows and columns with labels, cells shaded by a value."""

    width: int
    height: int
    left: int  # where the grid starts
    top: int
    size: int  # a cell's side
    columns: tuple[tuple[str, str | None], ...]  # label, link
    rows: tuple[tuple[str, str | None], ...]
    cells: tuple[Cell, ...]


SHORT_LABEL = 48  # characters of a row or column label on a heat map
CHARACTER_WIDTH = 6.6  # of a label's 12px text, on average: enough to leave room for it


def short(label: str, length: int = SHORT_LABEL) -> str:
    return label if len(label) <= length else label[: length - 1].rstrip() + "…"


def heat_map(columns, rows, values, size: int) -> HeatMap:
    """Lay out a heat map; `values[r][c]` is (shade, label, link, text) or None for an empty cell.

    Row labels stand on the left, column labels slanted above; the margins fit the longest.
    """
    left = round(CHARACTER_WIDTH * max((len(label) for label, _ in rows), default=0)) + 16
    slant = round(CHARACTER_WIDTH * max((len(label) for label, _ in columns), default=0) * 0.71) + 16
    top = slant + 4
    cells = tuple(
        Cell(x=left + c * size, y=top + r * size, shade=value[0], label=value[1], href=value[2], text=value[3])
        for r, row in enumerate(values)
        for c, value in enumerate(row)
        if value is not None
    )
    return HeatMap(
        width=left + len(columns) * size + slant,
        height=top + len(rows) * size + 8,
        left=left,
        top=top,
        size=size,
        columns=tuple(columns),
        rows=tuple(rows),
        cells=cells,
    )


def coverage_map(archive: Archive, comparison: Comparison, places: Places) -> HeatMap:
    """Claims by outlets: a filled cell where the outlet carries the claim, darker the closer
    its wording is to the claim's. An outlet with many articles is one column: the label says
    in how many of them, and the cell leads to the first."""
    statements = {s.claim.id: s for s in comparison.statements if s.claim}
    changed = {
        (s.claim.id, v.occurrence): v.changed_words for s in statements.values() for v in comparison.variants[s.id]
    }
    values = []
    for row in comparison.coverage:
        cells = []
        for outlet, total, found in zip(comparison.outlets, comparison.articles_per_outlet, row.by_outlet):
            if not found:
                cells.append(None)
                continue
            closeness = sum(
                max(0.0, 1 - changed[row.claim.id, o] / (2 * max(1, len(o.text.split())))) for o in found
            ) / len(found)
            where = f" in {len(found)} of its {total} articles" if total > 1 else ""
            label = f"{outlet} carries “{short(row.claim.statement, 60)}”{where}: {describe_closeness(closeness)}"
            cells.append((0.25 + 0.75 * closeness, label, places.link(statements[row.claim.id], found[0]), ""))
        values.append(cells)
    single = {a.outlet: a for a in archive.articles}
    return heat_map(
        columns=[
            (short(outlet, 24), article_page(single[outlet].id) if total == 1 else None)
            for outlet, total in zip(comparison.outlets, comparison.articles_per_outlet)
        ],
        rows=[(short(row.claim.statement), claim_page(row.claim.id)) for row in comparison.coverage],
        values=values,
        size=30,
    )


def describe_closeness(closeness: float) -> str:
    if closeness >= 0.95:
        return "the same words"
    return "nearly the same words" if closeness >= 0.8 else "in other words"


MAPPED_OUTLETS = 40  # outlets on the similarity map, the ones with the most articles: it grows as their square


def mapped_outlets(comparison: Comparison) -> list[int]:
    """Which outlets (their indexes, in archive order) the similarity map shows."""
    busiest = sorted(range(len(comparison.outlets)), key=lambda i: -comparison.articles_per_outlet[i])
    return sorted(busiest[:MAPPED_OUTLETS])


def similarity_map(comparison: Comparison) -> HeatMap:
    """Outlets by outlets: how much of the row's text it shares with the column's."""
    shown = mapped_outlets(comparison)
    values = []
    for i in shown:
        cells = []
        for j in shown:
            if i == j:
                cells.append(None)
                continue
            share = comparison.similarity[i][j]
            label = f"{percent(share)} of {comparison.outlets[i]}'s text is shared with {comparison.outlets[j]}"
            cells.append((min(1.0, share * 3), label, None, percent(share)))
        values.append(cells)
    labels = [(short(comparison.outlets[i], 24), None) for i in shown]
    return heat_map(columns=labels, rows=labels, values=values, size=52)


# -- structured data and the card image ----------------------------------------------------


def claim_json_ld(archive: Archive, claim, statement: SharedStatement | None) -> str:
    """schema.org data for a claim page: a Claim and where it appears; Quotations where quoted.

    Not a ClaimReview: the archive compares renderings, it does not rate them.
    """
    site = archive.story.url
    occurrences = statement.occurrences if statement else ()
    by_article = {}
    for occurrence in occurrences:
        by_article.setdefault(occurrence.article, occurrence)
    # Search engines need a few appearances, not thousands: the export lists them all.
    appearances = [news_article(archive.article(article_id), site) for article_id in list(by_article)[:LISTED_AT_MOST]]
    graph = {
        "@type": "Claim",
        "text": claim.statement,
        "author": {"name": claim.speaker},
        "appearance": appearances,
    }
    if claim.date:
        graph["dateCreated"] = claim.date.isoformat()
    if site:
        graph["url"] = site + claim_page(claim.id)
    if appearances:
        first = min(by_article, key=lambda article_id: (archive.article(article_id).published, article_id))
        graph["firstAppearance"] = news_article(archive.article(first), site)
    items = [graph]
    if claim.kind == "quote":
        items += [
            {
                "@type": "Quotation",
                "text": occurrence.text,
                "spokenByCharacter": {"name": claim.speaker},
                "isPartOf": news_article(archive.article(occurrence.article), site),
            }
            for occurrence in distinct_wordings(occurrences)[:LISTED_AT_MOST]
        ]
    data = {"@context": "https://schema.org", "@graph": items}
    # Inside <script>, "</script" would end the element: no "<" is written as such.
    return json.dumps(data, ensure_ascii=False, indent=1).replace("<", "\\u003c")


def news_article(article: Article, site: str | None) -> dict:
    data = {
        "@type": "NewsArticle",
        "headline": article.display_title,
        "datePublished": article.published.isoformat(),
        "inLanguage": article.language,
        "publisher": {"@type": "Organization", "name": article.outlet},
    }
    if article.url:
        data["url"] = article.url
    elif site:
        data["url"] = site + article_page(article.id)
    if article.author:
        data["author"] = {"name": article.author}
    return data


def card_image(archive: Archive) -> bytes:
    """The picture a shared link shows: the site's name and the story's title, 1200 x 630."""
    image = Image.new("RGB", (1200, 630), "#fdfcf9")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 1200, 14), fill="#8a3b12")
    # The favicon's half-filled circle, drawn: the bundled font has no such glyph.
    draw.ellipse((80, 92, 128, 140), fill="#fdfcf9", outline="#8a3b12", width=5)
    draw.pieslice((80, 92, 128, 140), start=-90, end=90, fill="#8a3b12")
    draw.text((146, 88), "Parallax", fill="#8a3b12", font=ImageFont.load_default(size=44))
    title_font = ImageFont.load_default(size=64)
    lines, line = [], ""
    for word in archive.story.title.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=title_font) > 1040 and line:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    for number, text in enumerate(lines[:4]):
        draw.text((80, 200 + number * 84), text, fill="#1d1f23", font=title_font)
    caption = f"{len(archive.articles)} articles, {len(archive.claims)} claims, compared statement by statement"
    draw.text((80, 540), caption, fill="#5b6170", font=ImageFont.load_default(size=30))
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()


# -- the export ----------------------------------------------------------------------------


def export(archive: Archive, comparison: Comparison) -> bytes:
    """The data researchers download: articles, claims and shared statements with their spans."""
    data = {
        "articles": [
            {
                "id": a.id,
                "outlet": a.outlet,
                "title": a.title,
                "published": a.published.isoformat(),
                "author": a.author,
                "url": a.url,
                "language": a.language,
                "translated_from": a.translated_from,
                "via": a.via,
                "page": article_page(a.id),
                "text": a.text,
            }
            for a in archive.articles
        ],
        "claims": [
            {
                "id": c.id,
                "statement": c.statement,
                "speaker": c.speaker,
                "channel": c.channel,
                "date": c.date.isoformat() if c.date else None,
                "kind": c.kind,
                "page": claim_page(c.id),
            }
            for c in archive.claims
        ],
        "shared": [
            {
                "id": s.id,
                "claim": s.claim.id if s.claim else None,
                "kind": s.kind,
                "occurrences": [
                    {"article": o.article, "start": o.start, "end": o.end, "text": o.text, "score": o.score}
                    for o in s.occurrences
                ],
            }
            for s in comparison.statements
            if s.is_shared
        ],
    }
    # One line: pretty-printing is done in Python, and takes ten times as long on a large archive.
    return (json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8")
