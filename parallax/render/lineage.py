"""What a claim page shows of where each wording comes from: a timeline of the articles that
carry the claim, and for each part a lineage diagram drawn at build time (SVG, no script)."""

from __future__ import annotations

import string
from dataclasses import dataclass

from ..compare import ClaimCoverage, Comparison
from ..lineage import Descent, Lineage, publication_key
from ..model import Article, Claim, Occurrence, SharedStatement, Story
from .addresses import Places
from .words import long_date, short, short_date

DIAGRAM_OCCURRENCES = 24  # occurrences drawn in one diagram, the earliest; the export has them all
TIMELINE_ARTICLES = 50  # articles in a claim's timeline, the earliest; the export has them all

# The diagram's grid, in pixels: a column per publication date (the sources' first), a row per node.
COLUMN_WIDTH = 190
NODE_WIDTH = 150
NODE_HEIGHT = 36
ROW_HEIGHT = 44
TOP = 30  # room for the dates above the columns
MARGIN = 24  # room on the left for the brackets joining boxes of one column
BRACKET = 14  # how far left of its column such a bracket runs
LANE = 7  # pixels between the lines of two sources running down one gap
LABEL_LENGTH = 21  # characters of an outlet's name that fit in a node


def version_letter(claim: Claim, version_id: str | None) -> str:
    """A claim's versions are named A, B, C... on its page (with their origin in a legend)."""
    if version_id is None or len(claim.versions) < 2:
        return ""
    ids = [version.id for version in claim.versions]
    return string.ascii_uppercase[ids.index(version_id) % 26]


@dataclass(frozen=True)
class TimelineRow:
    """One article carrying a claim, and where it carries each of its parts."""

    article: Article
    cells: tuple[tuple[Occurrence, Descent] | None, ...]  # one per part: its first occurrence there


@dataclass(frozen=True)
class Timeline:
    rows: tuple[TimelineRow, ...]  # by publication, the earliest first
    more: int  # articles left out


def timeline(story: Story, comparison: Comparison, coverage: ClaimCoverage) -> Timeline:
    carrying = sorted(
        (n for n, cells in enumerate(coverage.cells) if cells),
        key=lambda n: (publication_key(story.articles[n]), story.articles[n].id),
    )
    rows = []
    for n in carrying[:TIMELINE_ARTICLES]:
        cells: list[tuple[Occurrence, Descent] | None] = []
        for row in coverage.rows:
            occurrence = row.cells[n]
            cells.append(
                (occurrence, comparison.lineage[row.part.id].by_occurrence[occurrence]) if occurrence else None
            )
        rows.append(TimelineRow(story.articles[n], tuple(cells)))
    return Timeline(tuple(rows), len(carrying) - len(rows))


EDIT_WORDS = {
    "verbatim": "word for word",
    "cut": "cut",
    "addition": "with words added",
    "substitution": "with words changed",
    "retranslation": "retranslated",
    "paraphrase": "in other words",
}


def described(story: Story, statement: SharedStatement, lineage: Lineage, descent: Descent, named: bool = True) -> str:
    """Where one occurrence comes from, in a sentence; `named`: beginning with the article's
    outlet and date, else (beside them) with a capital."""
    if not named:
        said = described(story, statement, lineage, descent, named=True).split(": ", 1)[1]
        return said[0].upper() + said[1:]
    article = story.article(descent.occurrence.article)
    who = f"{article.outlet} ({long_date(article.published)})"
    words = f"{descent.shared_words} of its {descent.words} words found there in order"
    edit = EDIT_WORDS.get(descent.edit or "", "")
    if descent.basis == "source":
        claim = statement.claim
        letter = version_letter(claim, descent.version) if claim else ""
        version = f", version {letter}" if letter else ""
        return f"{who}: from the speaker's own words{version}, {edit}: {words}."
    if descent.basis == "first":
        return f"{who}: the first to carry it."
    if descent.basis == "own words":
        return f"{who}: in its own words; nothing published before it, or the same day, holds half of them."
    if descent.basis == "copied" and descent.parent:
        parent = story.article(lineage.by_id[descent.parent].occurrence.article)
        return f"{who}: most likely from {parent.outlet} ({long_date(parent.published)}), {edit}: {words}."
    others = [story.article(lineage.by_id[c].occurrence.article).outlet for c in descent.candidates]
    listed = ", ".join(others) + (f" and {descent.more_candidates} more" if descent.more_candidates else "")
    if descent.basis == "tie":
        return f"{who}: as close to {listed}, all published earlier: which it was taken from is not known."
    return f"{who}: as close to {listed}, published the same day with no time given: which came first is not known."


@dataclass(frozen=True)
class Node:
    x: int
    y: int
    label: str  # what fits in the node
    detail: str  # its second line: the edit, or the version's language
    title: str  # the whole of it, for a tooltip and a screen reader
    href: str | None
    kind: str  # "version" or "occurrence"


@dataclass(frozen=True)
class Edge:
    path: str  # SVG path data: elbows through the gaps between columns, never across a box
    kind: str  # "copied", "source", "unsure" or "translated"


@dataclass(frozen=True)
class Diagram:
    id: str  # for the ids of its title and description
    width: int
    height: int
    columns: tuple[tuple[str, int], ...]  # each date's label and the x of its column's middle
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    description: tuple[str, ...]  # the diagram in sentences: one per occurrence
    drawn: int  # occurrences drawn
    total: int  # occurrences in all
    node_width: int = NODE_WIDTH
    node_height: int = NODE_HEIGHT


def lineage_diagram(story: Story, statement: SharedStatement, lineage: Lineage, places: Places) -> Diagram:
    """Sources on the left, then a column per publication date; a node per occurrence, joined to
    its parent (solid), to the source it was taken from (solid, from the left), or, where the
    parent is unsure, to each candidate (dashed)."""
    claim = statement.claim
    drawn = lineage.descents[:DIAGRAM_OCCURRENCES]
    days = sorted({story.article(d.occurrence.article).published for d in drawn})
    # The versions wordings were taken from, and those they were translated from, up the chain,
    # so that a retranslation shows where it comes from.
    shown: set[str] = set()
    for descent in drawn:
        version_id = descent.version if claim and descent.basis == "source" else None
        while version_id and version_id not in shown:
            shown.add(version_id)
            version_id = claim.version(version_id).translated_from if claim else None
    chain = [v for v in claim.versions if v.id in shown] if claim else []
    descriptions = [described(story, statement, lineage, descent) for descent in drawn]
    # A row for each box, the versions' first: an elbow runs along its target's row only, so
    # no line crosses a box. Columns are publication dates, the sources' first.
    first_column = 1 if chain else 0
    column_of = {day: first_column + number for number, day in enumerate(days)}
    nodes: list[Node] = []
    where: dict[str, tuple[int, int]] = {}  # version id or occurrence id -> its box's x, y
    for version in chain:
        x, y = MARGIN, TOP + len(nodes) * ROW_HEIGHT
        letter = version_letter(claim, version.id) if claim else ""
        label = f"Version {letter}" if letter else "The speaker's words"
        title = f"{label}: {version.origin or 'the words of the claim'}"
        nodes.append(Node(x, y, label, version.language or "", title, None, "version"))
        where["v:" + version.id] = (x, y)
    for descent, title in zip(drawn, descriptions):
        article = story.article(descent.occurrence.article)
        x, y = MARGIN + column_of[article.published] * COLUMN_WIDTH, TOP + len(nodes) * ROW_HEIGHT
        letter = version_letter(claim, descent.version) if claim and descent.basis == "source" else ""
        detail = (f"{letter}: " if letter else "") + (descent.edit or descent.basis)
        detail += ", fragment" if descent.occurrence.fragment else ""
        href = places.link(statement, descent.occurrence)
        nodes.append(Node(x, y, short(article.outlet, LABEL_LENGTH), detail, title, href, "occurrence"))
        where[descent.id] = (x, y)
    edges = []
    for version in chain:
        if version.translated_from and "v:" + version.translated_from in where:
            edges.append(elbow(where["v:" + version.translated_from], where["v:" + version.id], "translated"))
    for descent in drawn:
        end = where[descent.id]
        if descent.basis == "source" and "v:" + (descent.version or "") in where:
            lane = [v.id for v in chain].index(descent.version or "")
            edges.append(elbow(where["v:" + (descent.version or "")], end, "source", lane))
        elif descent.parent and descent.parent in where:
            edges.append(elbow(where[descent.parent], end, "copied"))
        for candidate in descent.candidates:
            if candidate in where:
                edges.append(elbow(where[candidate], end, "unsure"))
    columns = tuple(
        [("Source", MARGIN + NODE_WIDTH // 2)] * bool(chain)
        + [(short_date(day), MARGIN + column_of[day] * COLUMN_WIDTH + NODE_WIDTH // 2) for day in days]
    )
    return Diagram(
        id=statement.id,
        width=2 * MARGIN + (first_column + len(days) - 1) * COLUMN_WIDTH + NODE_WIDTH,
        height=TOP + len(nodes) * ROW_HEIGHT,
        columns=columns,
        nodes=tuple(nodes),
        edges=tuple(edges),
        description=tuple(descriptions),
        drawn=len(drawn),
        total=len(lineage.descents),
    )


def elbow(start: tuple[int, int], end: tuple[int, int], kind: str, lane: int | None = None) -> Edge:
    """A line from one box to another below it: out of the first's right side into the gap
    after its column, down to the second's row, and along it into the second's left side. Two
    boxes in one column (of one day) are joined on their left, through the margin before it.

    `lane`: where in the gap the line runs down, counted from the right; sources each have
    their own, the upper ones further right, so that no source's line crosses another's on its
    way out."""
    (x1, y1), (x2, y2) = start, end
    middle1, middle2 = y1 + NODE_HEIGHT // 2, y2 + NODE_HEIGHT // 2
    if x1 == x2:
        side = x1 - BRACKET
        return Edge(f"M{x1},{middle1} H{side} V{middle2} H{x2}", kind)
    gutter = COLUMN_WIDTH - NODE_WIDTH
    lanes = gutter // LANE - 1  # beyond that many sources, lines share lanes
    gap = x1 + NODE_WIDTH + (gutter // 2 if lane is None else gutter - LANE * (lane % lanes + 1))
    return Edge(f"M{x1 + NODE_WIDTH},{middle1} H{gap} V{middle2} H{x2}", kind)


def version_carriers(story: Story, comparison: Comparison, coverage: ClaimCoverage, version_id: str) -> list[str]:
    """The outlets that carry a claim (a part of it) in this version, in the order they first appear."""
    outlets: dict[str, None] = {}
    for row in coverage.rows:
        for variant in comparison.variants.get(row.part.id, ()):
            if variant.version == version_id:
                outlets[story.article(variant.occurrence.article).outlet] = None
    return list(outlets)
