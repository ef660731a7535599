"""The data researchers download: `data/archive.json`, everything in one document, and
`data/occurrences.jsonl`, one occurrence a line, for loading in one line of pandas.

Both are described by JSON Schemas shipped beside them (`data/*.schema.json`); the README
documents every field. Spans count Unicode code points in the article's `text`.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterator
from pathlib import Path

from ..compare import ArticleSummary, Comparison
from ..model import Archive, Derivation, Occurrence, SharedStatement
from .addresses import ARCHIVE_JSON, OCCURRENCES_JSONL, article_page, capture_file, claim_page

FORMAT_VERSION = 2  # raised when a field is removed or changes meaning; new fields keep it
SCHEMAS = Path(__file__).with_name("schemas")
ARCHIVE_SCHEMA = "data/archive.schema.json"
OCCURRENCE_SCHEMA = "data/occurrence.schema.json"
OFFSETS = "start and end count Unicode code points (not bytes, not UTF-16 units) in the article's text"


def export_files(archive: Archive, comparison: Comparison) -> dict[str, bytes]:
    """The data files and their schemas."""
    paragraphs = Paragraphs(archive)
    return {
        ARCHIVE_JSON: archive_json(archive, comparison, paragraphs),
        OCCURRENCES_JSONL: occurrence_lines(archive, comparison, paragraphs),
        ARCHIVE_SCHEMA: (SCHEMAS / "archive.schema.json").read_bytes(),
        OCCURRENCE_SCHEMA: (SCHEMAS / "occurrence.schema.json").read_bytes(),
    }


class Paragraphs:
    """Which paragraph (or subhead) of its article an occurrence starts in, numbered from 1."""

    def __init__(self, archive: Archive):
        self.starts = {article.id: [block.start for block in article.blocks] for article in archive.articles}

    def of(self, occurrence: Occurrence) -> int:
        return bisect.bisect_right(self.starts[occurrence.article], occurrence.start)


def occurrence_entry(occurrence: Occurrence, paragraphs: Paragraphs, aligned: bool = False) -> dict:
    entry = {
        "article": occurrence.article,
        "paragraph": paragraphs.of(occurrence),
        "start": occurrence.start,
        "end": occurrence.end,
        "text": occurrence.text,
        "score": occurrence.score,
    }
    if aligned:  # a passage of reused copy, aligned word by word
        entry.update(
            source=occurrence.source,
            verbatim=[list(span) for span in occurrence.verbatim],
            rewritten=[list(span) for span in occurrence.rewritten],
        )
    return entry


def derivation_entry(derivation: Derivation) -> dict:
    return {
        "source": derivation.source,
        "label": derivation.label,
        "score": round(derivation.score, 4),
        "share": round(derivation.share, 4),
        "verbatim_share": round(derivation.verbatim_share, 4),
        "vocabulary": round(derivation.vocabulary, 4),
    }


def article_entry(summary: ArticleSummary) -> dict:
    article = summary.article
    return {
        "id": article.id,
        "outlet": article.outlet,
        "title": article.title,
        "published": article.published.isoformat(),
        "author": article.author,
        "url": article.url,
        "language": article.language,
        "translated_from": article.translated_from,
        "via": article.via,
        "notes": article.notes,
        "edits": list(article.edits),
        "capture": capture_file(article.id) if article.capture else None,
        "page": article_page(article.id),
        "shared_statements": summary.shared_statements,
        "shared_share": round(summary.shared_share, 4),
        "reuse": {
            "label": summary.reuse.label,
            "share": round(summary.reuse.share, 4),
            "verbatim_share": round(summary.reuse.verbatim_share, 4),
            "sources": [derivation_entry(d) for d in summary.reuse.sources],
        },
        "paragraphs": [{"kind": block.kind, "start": block.start, "end": block.end} for block in article.blocks],
        "text": article.text,
    }


def archive_json(archive: Archive, comparison: Comparison, paragraphs: Paragraphs) -> bytes:
    data = {
        "format": "parallax-archive",
        "version": FORMAT_VERSION,
        "schema": ARCHIVE_SCHEMA.removeprefix("data/"),
        "offsets": OFFSETS,
        "story": {
            "title": archive.story.title,
            "summary": archive.story.summary,
            "url": archive.story.url,
            "licence": archive.story.licence,
        },
        "articles": (article_entry(summary) for summary in comparison.summaries),
        "claims": (
            {
                "id": row.claim.id,
                "statement": row.claim.statement,
                "speaker": row.claim.speaker,
                "channel": row.claim.channel,
                "date": row.claim.date.isoformat() if row.claim.date else None,
                "kind": row.claim.kind,
                "renderings": list(row.claim.renderings),
                "notes": row.claim.notes,
                "page": claim_page(row.claim.id),
                "carried_by": row.carried_by,
                "occurrences": [
                    occurrence_entry(o, paragraphs) for o in (row.statement.occurrences if row.statement else ())
                ],
            }
            for row in comparison.coverage
        ),
        "shared": (
            {
                "id": s.id,
                "aliases": list(s.aliases),
                "claim": s.claim.id if s.claim else None,
                "kind": s.kind,
                "aligned": aligned,
                "occurrences": [occurrence_entry(o, paragraphs, aligned) for o in s.occurrences],
            }
            for aligned, statements in ((False, comparison.shared), (True, comparison.passages))
            for s in statements
        ),
    }
    return one_line_json(data)


def one_line_json(document: dict) -> bytes:
    """Exactly json.dumps(document) and a newline, as UTF-8, made one entry at a time of each list
    given as a generator: a large archive's export is never held whole as objects and as text.
    One line: pretty-printing is done in Python, and takes ten times as long on a large archive."""
    fields = []
    for key, value in document.items():
        if isinstance(value, Iterator):
            entries = b", ".join(json.dumps(entry, ensure_ascii=False).encode("utf-8") for entry in value)
            fields.append(json.dumps(key).encode("utf-8") + b": [" + entries + b"]")
        else:
            fields.append(json.dumps({key: value}, ensure_ascii=False).encode("utf-8")[1:-1])
    return b"{" + b", ".join(fields) + b"}\n"


def occurrence_lines(archive: Archive, comparison: Comparison, paragraphs: Paragraphs) -> bytes:
    """Every occurrence of every statement, claims found in one article only included, a line each."""
    return b"".join(
        json.dumps(occurrence_line(statement, occurrence, archive, paragraphs, aligned), ensure_ascii=False).encode()
        + b"\n"
        for aligned, statements in ((False, comparison.statements), (True, comparison.passages))
        for statement in statements
        for occurrence in statement.occurrences
    )


def occurrence_line(
    statement: SharedStatement, occurrence: Occurrence, archive: Archive, paragraphs: Paragraphs, aligned: bool
) -> dict:
    article = archive.article(occurrence.article)
    return {
        "statement": statement.id,
        "claim": statement.claim.id if statement.claim else None,
        "kind": statement.kind,
        "shared": statement.is_shared,
        "article": article.id,
        "outlet": article.outlet,
        "published": article.published.isoformat(),
        "language": article.language,
        **{key: value for key, value in occurrence_entry(occurrence, paragraphs, aligned).items() if key != "article"},
    }
