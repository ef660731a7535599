"""Stage 5: turn the archive and its comparison into the site's files, in memory.

Every page is rendered from a template in the archive's `templates/` folder; links are relative,
so the site works from any host, under any sub-path, and straight from disk.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

import jinja2
import langcodes

from .compare import ArticleSummary, Comparison
from .model import Archive, Occurrence

MONTHS = (
    "January February March April May June July August September October November December"
).split()


# One function per kind of page gives its path in the site, which is also its address
# relative to the site's root: links and files can never disagree.
def article_page(article_id: str) -> str:
    return f"articles/{article_id}.html"


def claim_page(claim_id: str) -> str:
    return f"claims/{claim_id}.html"


def capture_file(article_id: str) -> str:
    return f"captures/{article_id}.txt"


def occurrence_link(occurrence: Occurrence, statement_id: str) -> str:
    return f"{article_page(occurrence.article)}#{anchor(statement_id)}"


def anchor(statement_id: str) -> str:
    return f"s-{statement_id}"


ARCHIVE_JSON = "data/archive.json"


def render_site(archive: Archive, comparison: Comparison, templates: Path) -> dict[str, bytes]:
    """Every file of the site: its path relative to the site root, and its bytes."""
    environment = make_environment(templates, archive, comparison)
    files: dict[str, bytes] = {}

    def page(path: str, template: str, **context) -> None:
        depth = path.count("/")
        html = environment.get_template(template).render(root="../" * depth, path=path, **context)
        files[path] = html.encode("utf-8")

    page("index.html", "index.html")
    for summary in comparison.summaries:
        article = summary.article
        page(article_page(article.id), "article.html", summary=summary, article=article, blocks=body(summary))
        if article.capture:
            files[capture_file(article.id)] = article.capture.read_bytes()
    statements = {s.claim.id: s for s in comparison.statements if s.claim}
    for row in comparison.coverage:
        page(claim_page(row.claim.id), "claim.html", row=row, claim=row.claim, statement=statements.get(row.claim.id))
    static = templates / "static"
    for asset in sorted(static.rglob("*")) if static.is_dir() else ():
        if asset.is_file():
            files[asset.relative_to(static).as_posix()] = asset.read_bytes()
    files[ARCHIVE_JSON] = export(archive, comparison)
    return files


def make_environment(templates: Path, archive: Archive, comparison: Comparison) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.globals.update(
        archive=archive,
        comparison=comparison,
        url=url,
        article_page=article_page,
        claim_page=claim_page,
        capture_file=capture_file,
        occurrence_link=occurrence_link,
        anchor=anchor,
        archive_json=ARCHIVE_JSON,
    )
    environment.filters.update(long_date=long_date, percent=percent, language_name=language_name)
    return environment


@jinja2.pass_context
def url(context, path: str) -> str:
    """The address of `path` relative to the page being rendered."""
    return context["root"] + path


def long_date(value: datetime.date | None) -> str:
    # Month names written out here, not by the locale, so output is the same on every machine.
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}" if value else ""


def language_name(code: str) -> str:
    """'ru' -> 'Russian': names in English, like the rest of the site's own words."""
    return langcodes.Language.get(code).display_name("en")


def percent(value: float) -> str:
    return f"{round(value * 100)}%"


@dataclass(frozen=True)
class Piece:
    """A run of a paragraph's text that is either inside shared statements or outside them all."""

    text: str
    marked: bool
    starts: tuple[str, ...]  # ids of the statements that begin here
    ends: tuple[tuple[int, str], ...]  # (number, id) of the statements that end here


def body(summary: ArticleSummary) -> list[tuple[str, list[Piece]]]:
    """The article's blocks, each cut into pieces at every edge of a shared statement."""
    article = summary.article
    numbers = {c.statement.id: n for n, c in enumerate(summary.carried, start=1)}
    blocks = []
    for block in article.blocks:
        inside = [c for c in summary.carried if c.occurrence.start < block.end and c.occurrence.end > block.start]
        cuts = sorted(
            {block.start, block.end}
            | {min(max(edge, block.start), block.end) for c in inside for edge in (c.occurrence.start, c.occurrence.end)}
        )
        pieces = [
            Piece(
                text=article.text[start:end],
                marked=any(c.occurrence.start <= start and c.occurrence.end >= end for c in inside),
                starts=tuple(c.statement.id for c in inside if c.occurrence.start == start),
                ends=tuple((numbers[c.statement.id], c.statement.id) for c in inside if c.occurrence.end == end),
            )
            for start, end in zip(cuts, cuts[1:])
        ]
        blocks.append((block.kind, pieces))
    return blocks


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
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
