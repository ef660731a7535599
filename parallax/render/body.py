"""An article page's text: each block cut at the edges of the statements it shares, with notes."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from ..compare import ArticleSummary, Carried
from .addresses import Places


@dataclass(frozen=True)
class Piece:
    """A run of a paragraph's text that is either inside shared statements or outside them all."""

    text: str
    marked: bool
    starts: tuple[str, ...]  # anchors of the occurrences that begin here, their aliases' too
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
            | {
                min(max(edge, block.start), block.end)
                for c in inside
                for edge in (c.occurrence.start, c.occurrence.end)
            }
        )
        pieces = tuple(
            Piece(
                text=article.text[start:end],
                marked=any(c.occurrence.start <= start and c.occurrence.end >= end for c in inside),
                starts=tuple(
                    name
                    for c in inside
                    if c.occurrence.start == start
                    for name in places.all_anchors(c.statement, c.occurrence)
                ),
                ends=tuple((numbers[c.statement.id], c.statement.id) for c in inside if c.occurrence.end == end),
            )
            for start, end in itertools.pairwise(cuts)
        )
        notes = []
        for carried in inside:
            if carried.statement.id not in noted and carried.occurrence.start >= block.start:
                noted.add(carried.statement.id)
                notes.append(Note(numbers[carried.statement.id], carried))
        rows.append(Row(block.kind, pieces, tuple(notes)))
    return rows
