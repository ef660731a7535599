"""The overview's two heat maps, laid out at build time and drawn as SVG by `_heat_map.svg`.

The same rows and cells are written as a list on narrow screens (`_map_list.html`), where a grid
of squares would be too small to read or touch.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..compare import Comparison, Variant
from ..model import Story
from .addresses import Places, article_page, part_page
from .words import percent, short


@dataclass(frozen=True)
class Cell:
    shade: float  # 0-1: how strongly to fill it
    label: str  # what it says when pointed at, and to a screen reader
    value: str  # in a few words: written in the cell where the map has room, and in the list
    href: str | None = None


@dataclass(frozen=True)
class Line:
    """A row or column of a heat map: its name, shortened to fit beside the grid, and a link."""

    name: str
    shown: str
    href: str | None = None


@dataclass(frozen=True)
class MapRow:
    line: Line
    cells: tuple[Cell | None, ...]  # one per column; None where there is nothing to show


# The layout, in SVG units (pixels at full size).
CHARACTER_WIDTH = 6.6  # of a label's 12px text, on average: enough to leave room for it
LABEL_GAP = 16  # between a label and the grid, and around the whole map
SLANT = 0.71  # column labels are turned 45 degrees: they rise sin(45°) of their length
ROW_LABEL = 48  # characters of a row label beside the grid
COLUMN_LABEL = 24  # characters of a column label above it


@dataclass(frozen=True)
class HeatMap:
    """A grid: rows and columns with labels, cells shaded by a value."""

    columns: tuple[Line, ...]
    rows: tuple[MapRow, ...]
    size: int  # a cell's side
    values_written: bool  # whether each cell's value is written in it

    @property
    def left(self) -> int:
        """Where the grid starts: room for the longest row label."""
        return round(CHARACTER_WIDTH * max((len(row.line.shown) for row in self.rows), default=0)) + LABEL_GAP

    @property
    def slant(self) -> int:
        """How high the longest column label rises, and how far it leans past the last column."""
        return (
            round(CHARACTER_WIDTH * max((len(column.shown) for column in self.columns), default=0) * SLANT) + LABEL_GAP
        )

    @property
    def top(self) -> int:
        return self.slant + 4

    @property
    def width(self) -> int:
        return self.left + len(self.columns) * self.size + self.slant

    @property
    def height(self) -> int:
        return self.top + len(self.rows) * self.size + 8

    def listed(self, row: MapRow) -> list[tuple[Line, Cell]]:
        """A row's filled cells with their columns, strongest first: the row as a list."""
        filled = [(column, cell) for column, cell in zip(self.columns, row.cells) if cell and cell.shade > 0]
        return sorted(filled, key=lambda pair: -pair[1].shade)


def line(name: str, length: int, href: str | None = None) -> Line:
    return Line(name, short(name, length), href)


# How a carried claim is shaded: even one in quite other words stays visible.
FAINTEST = 0.25


def coverage_map(story: Story, comparison: Comparison, places: Places) -> HeatMap:
    """Claims by outlets: a filled cell where the outlet carries the claim, darker the closer
    its wording is to the claim's. An outlet with many articles is one column: the label says
    in how many of them, and the cell leads to the first."""
    rows = []
    for row in comparison.coverage:
        variant_of = {v.occurrence: v for v in comparison.variants[row.statement.id]} if row.statement else {}
        cells: list[Cell | None] = []
        for outlet, total, found in zip(comparison.outlets, comparison.articles_per_outlet, row.by_outlet):
            if not found:
                cells.append(None)
                continue
            close = sum(closeness(variant_of[o]) for o in found) / len(found)
            where = f" in {len(found)} of its {total} articles" if total > 1 else ""
            label = f"{outlet} carries “{short(row.part.statement, 60)}”{where}: {describe_closeness(close)}"
            value = describe_closeness(close) + (f", {len(found)} of {total} articles" if total > 1 else "")
            href = places.link(row.statement, found[0]) if row.statement else None
            cells.append(Cell(FAINTEST + (1 - FAINTEST) * close, label, value, href))
        rows.append(MapRow(line(row.part.statement, ROW_LABEL, part_page(row.claim, row.part)), tuple(cells)))
    single = {a.outlet: a for a in story.articles}
    columns = tuple(
        line(outlet, COLUMN_LABEL, article_page(single[outlet].id) if total == 1 else None)
        for outlet, total in zip(comparison.outlets, comparison.articles_per_outlet)
    )
    return HeatMap(columns, tuple(rows), size=30, values_written=False)


def closeness(variant: Variant) -> float:
    """1 for the claim's own words, falling to 0 as the words changed (on both sides) reach the
    wording's length twice over."""
    return max(0.0, 1 - variant.changed_words / (2 * max(1, len(variant.occurrence.text.split()))))


def describe_closeness(closeness: float) -> str:
    if closeness >= 0.95:
        return "the same words"
    return "nearly the same words" if closeness >= 0.8 else "in other words"


MAPPED_OUTLETS = 40  # outlets on the similarity map, the ones with the most articles: it grows as their square
FULL_SHARE = 1 / 3  # an outlet sharing this much of its text with another is shaded darkest


def mapped_outlets(comparison: Comparison) -> list[int]:
    """Which outlets (their indexes, in story order) the similarity map shows."""
    busiest = sorted(range(len(comparison.outlets)), key=lambda i: -comparison.articles_per_outlet[i])
    return sorted(busiest[:MAPPED_OUTLETS])


def similarity_map(comparison: Comparison) -> HeatMap:
    """Outlets by outlets: how much of the row's text it shares with the column's."""
    shown = mapped_outlets(comparison)
    rows = []
    for i in shown:
        cells: list[Cell | None] = []
        for j in shown:
            share = comparison.similarity[i][j]
            if i == j:
                cells.append(None)
                continue
            label = f"{percent(share)} of {comparison.outlets[i]}'s text is shared with {comparison.outlets[j]}"
            cells.append(Cell(min(1.0, share / FULL_SHARE), label, percent(share)))
        rows.append(MapRow(line(comparison.outlets[i], COLUMN_LABEL), tuple(cells)))
    columns = tuple(line(comparison.outlets[i], COLUMN_LABEL) for i in shown)
    return HeatMap(columns, tuple(rows), size=52, values_written=True)
