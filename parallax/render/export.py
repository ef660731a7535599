"""The data researchers download: `data/archive.json`, everything in one document;
`data/stories/<id>.json`, the same document for one story; and `data/occurrences.jsonl`, one
occurrence a line, for loading in one line of pandas.

Both are described by JSON Schemas shipped beside them (`data/*.schema.json`); the README
documents every field. Spans count Unicode code points in the article's `text`.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import orjson

from ..compare import ArticleSummary, ClaimCoverage, Comparison
from ..lineage import Descent
from ..model import Archive, Article, Derivation, Occurrence, SharedStatement, Speaker
from ..write import Piece, Staging
from .addresses import ARCHIVE_JSON, OCCURRENCES_JSONL, article_page, capture_file, claim_page, part_page

FORMAT_VERSION = 3  # raised when a field is removed or changes meaning; new fields keep it
SCHEMAS = Path(__file__).with_name("schemas")
ARCHIVE_SCHEMA = "data/archive.schema.json"
OCCURRENCE_SCHEMA = "data/occurrence.schema.json"
OFFSETS = "start and end count Unicode code points (not bytes, not UTF-16 units) in the article's text"


def story_json(story_id: str) -> str:
    return f"data/stories/{story_id}.json"


class DataFiles(NamedTuple):
    written: dict[str, bool]  # each data file and schema by path: whether it was written anew (else kept)
    places: Exported  # where each story's part of the two large files lies


def put_data_files(
    archive: Archive, comparisons: tuple[Comparison, ...], staging: Staging, kept: set[str], before: Exported
) -> DataFiles:
    """Put the data files and their schemas in the new site, each made when the one before is
    written and let go: the two largest files of a large archive are never held together. Each
    story's entry is made once, for its own file and the archive's; and where its pages are
    kept (`kept`, by story id: they show all its entry holds), its entry and its lines of
    occurrences are copied from the last build's files, at the places `before` says."""
    reused = {story for story in kept if recorded(story, before, staging)}
    written = {}
    entries: list[Piece] = []
    for comparison in comparisons:
        story_id = comparison.story.id
        if story_id in reused:
            entries.append(range(*before[ARCHIVE_JSON][story_id]))
            continue
        paragraphs = Paragraphs(comparison.story.articles)
        entry = one_line_json(story_entry(archive, comparison, paragraphs))[:-1]  # its newline cut
        speakers = dict.fromkeys(archive.speaker(claim) for claim in comparison.story.claims)
        written[story_json(story_id)] = staging.put_pieces(story_json(story_id), document(archive, speakers, [entry]))
        entries.append(entry)
    pieces = document(archive, archive.speakers, entries)
    entries.clear()
    written[ARCHIVE_JSON] = staging.put_pieces(ARCHIVE_JSON, pieces)
    places = {ARCHIVE_JSON: story_places(comparisons, pieces, range(1, 2 * len(comparisons), 2))}
    pieces = [
        range(*before[OCCURRENCES_JSONL][c.story.id])
        if c.story.id in reused
        else occurrence_lines(c, Paragraphs(c.story.articles))
        for c in comparisons
    ]
    written[OCCURRENCES_JSONL] = staging.put_pieces(OCCURRENCES_JSONL, pieces)
    places[OCCURRENCES_JSONL] = story_places(comparisons, pieces, range(len(comparisons)))
    for path, schema in ((ARCHIVE_SCHEMA, "archive.schema.json"), (OCCURRENCE_SCHEMA, "occurrence.schema.json")):
        written[path] = staging.put(path, (SCHEMAS / schema).read_bytes())
    return DataFiles(written, places)


# Where each story's part of the archive's two large data files lies, by file and story id: its
# entry in archive.json, its lines in occurrences.jsonl; as [start, end) in bytes.
Exported = dict[str, dict[str, list[int]]]


def story_places(comparisons: tuple[Comparison, ...], pieces: list[Piece], numbers: range) -> dict[str, list[int]]:
    """Where each story's piece lies in the file made of `pieces`: the piece at its number in `numbers`."""
    starts = list(itertools.accumulate((len(piece) for piece in pieces), initial=0))
    return {c.story.id: [starts[n], starts[n + 1]] for c, n in zip(comparisons, numbers, strict=True)}


def recorded(story_id: str, before: Exported, staging: Staging) -> bool:
    """Whether the last build's record says where the story's entry and lines lie in its data
    files, and they do begin there as a story's entry and its lines begin."""
    begins = {
        ARCHIVE_JSON: b'{"id":' + orjson.dumps(story_id),
        OCCURRENCES_JSONL: b'{"story":' + orjson.dumps(story_id),
    }
    for path, beginning in begins.items():
        place = before.get(path, {}).get(story_id)
        if not (isinstance(place, list) and len(place) == 2 and 0 <= place[0] <= place[1]):
            return False
        if place[0] < place[1] and staging.old_bytes(path, range(place[0], place[0] + len(beginning))) != beginning:
            return False
        if place[1] > staging.old_size(path):
            return False
    return True


class Paragraphs:
    """Which paragraph (or subhead) of its article an occurrence starts in, numbered from 1."""

    def __init__(self, articles: tuple[Article, ...]):
        self.starts = {article.id: [block.start for block in article.blocks] for article in articles}

    def of(self, occurrence: Occurrence) -> int:
        return bisect.bisect_right(self.starts[occurrence.article], occurrence.start)


def occurrence_entry(occurrence: Occurrence, paragraphs: Paragraphs, descent: Descent, aligned: bool = False) -> dict:
    entry = {
        "id": descent.id,
        "article": occurrence.article,
        "paragraph": paragraphs.of(occurrence),
        "start": occurrence.start,
        "end": occurrence.end,
        "text": occurrence.text,
        "score": occurrence.score,
        "fragment": occurrence.fragment,
        "version": descent.version,
        "parent": descent.parent,
        "edit": descent.edit,
        "basis": descent.basis,
        "shared_words": descent.shared_words,
        "words": descent.words,
        "candidates": list(descent.candidates),
        "more_candidates": descent.more_candidates,
    }
    if aligned:  # a passage of reused copy, aligned word by word
        entry.update(
            source=occurrence.source,
            verbatim=[list(span) for span in occurrence.verbatim],
            rewritten=[list(span) for span in occurrence.rewritten],
        )
    return entry


def occurrence_entries(
    statement: SharedStatement | None, comparison: Comparison, paragraphs: Paragraphs, aligned: bool = False
) -> list[dict]:
    """A statement's occurrences, in archive order, each with where it comes from."""
    if statement is None:
        return []
    descents = comparison.lineage[statement.id].in_place
    return [occurrence_entry(o, paragraphs, descent, aligned) for o, descent in zip(statement.occurrences, descents)]


def claim_entry(archive: Archive, coverage: ClaimCoverage, comparison: Comparison, paragraphs: Paragraphs) -> dict:
    claim = coverage.claim
    return {
        "id": claim.id,
        "statement": claim.statement,
        "speaker": claim.speaker,
        "speaker_id": archive.speaker(claim).id,
        "channel": claim.channel,
        "date": claim.date.isoformat() if claim.date else None,
        "kind": claim.kind,
        "renderings": [rendering for part in claim.parts for rendering in part.renderings],
        "notes": claim.notes,
        "page": claim_page(claim.id),
        "aliases": list(claim.aliases),
        "versions": [
            {"id": v.id, "origin": v.origin, "language": v.language, "from": v.translated_from} for v in claim.versions
        ],
        "parts": [
            {
                "id": row.part.id,
                "statement": row.part.statement,
                "aliases": list(row.part.aliases),
                "versions": dict(row.part.versions),
                "renderings": list(row.part.renderings),
                "page": part_page(claim, row.part),
                "carried_by": row.carried_by,
            }
            for row in coverage.rows
        ],
        "carried_by": coverage.carried_by,
        "occurrences": [
            {"part": row.part.id, **entry}
            for row in coverage.rows
            for entry in occurrence_entries(row.statement, comparison, paragraphs)
        ],
    }


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
        "published": published(article),
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


def document(archive: Archive, speakers, stories: list[Piece]) -> list[Piece]:
    """The export's document, as pieces: the archive's settings, these speakers, then these
    stories' entries (each made, or a range of the last build's file) with commas between."""
    settings = archive.settings
    head = {
        "format": "parallax-archive",
        "version": FORMAT_VERSION,
        "schema": ARCHIVE_SCHEMA.removeprefix("data/"),
        "offsets": OFFSETS,
        "archive": {
            "title": settings.title,
            "description": settings.description,
            "url": settings.url,
            "licence": settings.licence,
        },
        "speakers": [speaker_entry(speaker) for speaker in speakers],
    }
    pieces: list[Piece] = [bytes(one_line_json(head)[:-2]) + b',"stories":[']  # its closing brace and newline cut
    for number, entry in enumerate(stories):
        pieces += [b",", entry] if number else [entry]
    pieces.append(b"]}\n")
    return pieces


def speaker_entry(speaker: Speaker) -> dict:
    return {
        "id": speaker.id,
        "name": speaker.name,
        "names": list(speaker.names),
        "roles": [
            {
                "role": role.title,
                "from": role.since.isoformat() if role.since else None,
                "until": role.until.isoformat() if role.until else None,
            }
            for role in speaker.roles
        ],
        "declared": speaker.line is not None,
    }


def story_entry(archive: Archive, comparison: Comparison, paragraphs: Paragraphs) -> dict:
    story = comparison.story
    return {
        "id": story.id,
        "title": story.title,
        "summary": story.summary,
        "date": story.date.isoformat(),
        "articles": (article_entry(summary) for summary in comparison.summaries),
        "claims": (claim_entry(archive, coverage, comparison, paragraphs) for coverage in comparison.claims),
        "shared": (
            {
                "id": s.id,
                "aliases": list(s.aliases),
                "claim": s.claim.id if s.claim else None,
                "kind": s.kind,
                "aligned": aligned,
                "occurrences": occurrence_entries(s, comparison, paragraphs, aligned),
            }
            for aligned, statements in ((False, comparison.shared), (True, comparison.passages))
            for s in statements
        ),
    }


def one_line_json(document: dict) -> bytearray:
    """Exactly orjson.dumps(document) and a newline, made one entry at a time of each list given
    as a generator, into one growing buffer: a large archive's export is never held whole as
    objects, nor as text twice. orjson writes compact UTF-8 JSON several times faster than the
    standard library, which took a third of the export of a large story."""
    out = bytearray(b"{")
    for number, (key, value) in enumerate(document.items()):
        out += b"," if number else b""
        if isinstance(value, Iterator):
            out += orjson.dumps(key) + b":["
            for position, entry in enumerate(value):
                out += b"," if position else b""
                out += orjson.dumps(entry)
            out += b"]"
        else:
            out += orjson.dumps({key: value})[1:-1]
    out += b"}\n"
    return out


def occurrence_lines(comparison: Comparison, paragraphs: Paragraphs) -> bytearray:
    """Every occurrence of every statement of a story, claims found in one article only included,
    a line each: what its statement and its article are, then the occurrence's entry."""
    story = comparison.story
    articles = {
        article.id: {
            "article": article.id,
            "outlet": article.outlet,
            "published": published(article),
            "language": article.language,
        }
        for article in story.articles
    }
    out = bytearray()
    for aligned, statements in ((False, comparison.statements), (True, comparison.passages)):
        for statement in statements:
            about = {
                "story": story.id,
                "statement": statement.id,
                "claim": statement.claim.id if statement.claim else None,
                "kind": statement.kind,
                "shared": statement.is_shared,
            }
            for entry in occurrence_entries(statement, comparison, paragraphs, aligned):
                # The entry's "article" is the article's own: it stays where the article's fields put it.
                line = {**about, **articles[entry["article"]], **entry}
                out += orjson.dumps(line, option=orjson.OPT_APPEND_NEWLINE)
    return out


def published(article: Article) -> str:
    """The date, or the time with its offset where the front matter gives one."""
    return article.published_at.isoformat() if article.published_at else article.published.isoformat()
