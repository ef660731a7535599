"""Stage 4: from the shared statements, what each article carries and who carries what."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Archive, Article, Claim, Occurrence, SharedStatement


@dataclass(frozen=True)
class Carried:
    """One shared statement as one article carries it."""

    statement: SharedStatement
    occurrence: Occurrence

    @property
    def others(self) -> tuple[Occurrence, ...]:
        return tuple(o for o in self.statement.occurrences if o.article != self.occurrence.article)


@dataclass(frozen=True)
class ArticleSummary:
    article: Article
    carried: tuple[Carried, ...]  # in the order they appear in the article
    shared_share: float  # the part of the article's text that is shared with others, 0-1


@dataclass(frozen=True)
class CoverageRow:
    claim: Claim
    cells: tuple[Occurrence | None, ...]  # one per article, in archive order

    @property
    def carried_by(self) -> int:
        return sum(cell is not None for cell in self.cells)


@dataclass(frozen=True)
class Comparison:
    statements: tuple[SharedStatement, ...]
    summaries: tuple[ArticleSummary, ...]  # in archive order
    coverage: tuple[CoverageRow, ...]  # one per claim, in claims.yaml order

    def summary(self, article_id: str) -> ArticleSummary:
        return next(s for s in self.summaries if s.article.id == article_id)

    @property
    def uncovered(self) -> tuple[SharedStatement, ...]:
        return tuple(s for s in self.statements if s.claim is None)


def compare(archive: Archive, statements: list[SharedStatement]) -> Comparison:
    summaries = []
    for article in archive.articles:
        carried = sorted(
            (
                Carried(statement, occurrence)
                for statement in statements
                for occurrence in statement.occurrences
                if occurrence.article == article.id
            ),
            key=lambda c: (c.occurrence.start, c.occurrence.end, c.statement.id),
        )
        spans = [(c.occurrence.start, c.occurrence.end) for c in carried]
        summaries.append(
            ArticleSummary(article=article, carried=tuple(carried), shared_share=covered_length(spans) / len(article.text))
        )
    by_claim = {s.claim.id: s for s in statements if s.claim}
    coverage = []
    for claim in archive.claims:
        found = {o.article: o for o in by_claim[claim.id].occurrences} if claim.id in by_claim else {}
        coverage.append(CoverageRow(claim=claim, cells=tuple(found.get(a.id) for a in archive.articles)))
    return Comparison(statements=tuple(statements), summaries=tuple(summaries), coverage=tuple(coverage))


def covered_length(spans: list[tuple[int, int]]) -> int:
    """How many characters the spans cover together, overlaps counted once."""
    total, reached = 0, 0
    for start, end in sorted(spans):
        start = max(start, reached)
        if end > start:
            total += end - start
            reached = end
    return total
