"""An article page's text: each block cut at the edges of the statements and reused passages it
carries, and at the edges of its verbatim and rewritten words, with notes."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from ..compare import ArticleSummary, Carried
from .addresses import Places


@dataclass(frozen=True)
class Piece:
    """A run of a paragraph's text that is either inside shared statements or outside them all,
    and either reused copy (verbatim or rewritten) or not."""

    text: str
    marked: bool
    reuse: str | None  # "verbatim", "rewritten", or None: not reused from another article
    starts: tuple[str, ...]  # anchors of the occurrences that begin here, their aliases' too
    ends: tuple[tuple[int, str], ...]  # (number, note id) of the occurrences that end here


@dataclass(frozen=True)
class Note:
    """A statement or passage the article shares, shown beside the paragraph where it first appears."""

    number: int
    carried: Carried
    id: str  # the note's id in the page
    passage: bool  # reused copy, aligned word by word


@dataclass(frozen=True)
class Row:
    kind: str  # "p" or "h2".."h6"
    pieces: tuple[Piece, ...]
    notes: tuple[Note, ...]
    phrases: tuple[Carried, ...] = ()  # short reused passages that start here: listed in one line, not numbered


# A reused passage shorter than this (in words) is a phrase ("in the Middle East"): it is underlined
# and listed under the paragraph's notes, but gets no numbered note of its own.
NOTED_PASSAGE_WORDS = 12


@dataclass(frozen=True)
class Shown:
    """A statement or passage the article carries, with its note's id."""

    carried: Carried
    note: str
    passage: bool


def body_rows(summary: ArticleSummary, places: Places) -> list[Row]:
    """The article's blocks, each cut at every edge of a shared statement, passage and reused
    word run, with its notes. Statements and passages are numbered in the order they appear."""
    article = summary.article
    shown = sorted(
        [Shown(c, "note-" + c.statement.id, False) for c in summary.carried]
        # A passage may recur in an article: a note for each occurrence.
        + [
            Shown(c, "note-" + places.anchor(c.statement, c.occurrence), True)
            for c in summary.passages
            if len(c.occurrence.text.split()) >= NOTED_PASSAGE_WORDS
        ],
        key=lambda s: (s.carried.occurrence.start, s.carried.occurrence.end),
    )
    numbers: dict[str, int] = {}
    for item in shown:
        numbers.setdefault(item.note, len(numbers) + 1)
    runs = [
        (start, end, kind)
        for c in summary.passages
        for kind in ("verbatim", "rewritten")
        for start, end in getattr(c.occurrence, kind)
    ]
    noted: set[str] = set()
    rows = []
    for block in article.blocks:
        inside = [s for s in shown if s.carried.occurrence.start < block.end and s.carried.occurrence.end > block.start]
        # Every occurrence has its anchor, a phrase's too: other pages link to it. A statement's
        # come last, right before the mark they lead to.
        anchored = [c for c in (*summary.passages, *summary.carried) if block.start <= c.occurrence.start < block.end]
        marks = [run for run in runs if run[0] < block.end and run[1] > block.start]
        edges = {edge for s in inside for edge in (s.carried.occurrence.start, s.carried.occurrence.end)}
        edges |= {c.occurrence.start for c in anchored}
        edges |= {edge for start, end, _ in marks for edge in (start, end)}
        cuts = sorted({block.start, block.end} | {min(max(edge, block.start), block.end) for edge in edges})
        pieces = tuple(
            Piece(
                text=article.text[start:end],
                marked=any(
                    s.carried.occurrence.start <= start and s.carried.occurrence.end >= end
                    for s in inside
                    if not s.passage
                ),
                reuse=reuse_at(start, end, marks),
                starts=tuple(
                    name
                    for c in anchored
                    if c.occurrence.start == start
                    for name in places.all_anchors(c.statement, c.occurrence)
                ),
                ends=tuple((numbers[s.note], s.note) for s in inside if s.carried.occurrence.end == end),
            )
            for start, end in itertools.pairwise(cuts)
        )
        notes = []
        for item in inside:
            if item.note not in noted and item.carried.occurrence.start >= block.start:
                noted.add(item.note)
                notes.append(Note(numbers[item.note], item.carried, item.note, item.passage))
        phrases = tuple(
            c
            for c in summary.passages
            if block.start <= c.occurrence.start < block.end
            and len(c.occurrence.text.split()) < NOTED_PASSAGE_WORDS
            and c.occurrence.source
        )
        rows.append(Row(block.kind, pieces, tuple(notes), phrases))
    return rows


def reuse_at(start: int, end: int, marks: list[tuple[int, int, str]]) -> str | None:
    """Whether the text from start to end is reused verbatim, rewritten, or not at all."""
    kinds = {kind for s, e, kind in marks if s <= start and e >= end}
    return "verbatim" if "verbatim" in kinds else "rewritten" if kinds else None
