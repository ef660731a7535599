"""Stage 3: find where each claim stands in each article, and the quotations that articles
share but no claim covers yet.

Scores are rapidfuzz similarities from 0 to 100 on folded text: lower case, and every character
that is not a letter or digit read as a space, so punctuation, quote marks and number formats
("1,400" / "1400") weigh little.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from rapidfuzz import fuzz

from .extract import quotations
from .model import Archive, Article, Claim, Occurrence, Quotation, SharedStatement

# Thresholds, all in one place.
CLAIM_MIN_SCORE = 85  # a claim's wording must match a stretch of an article at least this well
SHORT_WORDING_WORDS = 12  # a wording shorter than this matches unrelated text more easily, so:
SHORT_WORDING_MIN_SCORE = 92  # ... it must match at least this well
QUOTE_MIN_WORDS = 6  # shorter quotations ("soon", "position") are too common to be shared on their own
QUOTE_MIN_SCORE = 85  # two quotations at least this similar are the same statement
COVERED_SHARE = 0.5  # a quotation at least this much inside a claim's occurrence belongs to the claim
WHOLE_QUOTATION_SHARE = 0.6  # a claim found on this much of a quotation takes the whole quotation
SNAP_WORDS = 4  # how many words a located span's edges may move to fit the wording best


def shared_statements(archive: Archive) -> list[SharedStatement]:
    """Every statement found in two or more articles, curated claims first, then the rest.

    A claim found in only one article is kept too, so that the site can show the curator where.
    """
    folded = {article.id: fold(article.text) for article in archive.articles}
    quoted = {article.id: quotations(article) for article in archive.articles}
    located = [
        (
            claim,
            [
                o
                for article in archive.articles
                if (o := locate_claim(claim, article, folded[article.id]))
            ],
        )
        for claim in archive.claims
    ]
    located = widen_to_quotations(one_claim_per_stretch(located), quoted, archive)
    statements = [
        SharedStatement(
            id=claim.id,
            claim=claim,
            kind="quote" if claim.kind == "quote" else "passage",
            occurrences=tuple(occurrences),
        )
        for claim, occurrences in located
        if occurrences
    ]
    claimed = [o for _, occurrences in located for o in occurrences]
    taken_ids = {claim.id for claim in archive.claims}
    statements.extend(uncovered_quotations(archive, quoted, claimed, taken_ids))
    return statements


def fold(text: str) -> str:
    """Lower case, with every other character than a letter or digit as a space; same length."""
    return "".join(
        (lower if len(lower := character.lower()) == 1 else character) if character.isalnum() else " "
        for character in text
    )


def locate_claim(claim: Claim, article: Article, folded_text: str) -> Occurrence | None:
    """The stretch of the article that best matches any of the claim's wordings, if close enough."""
    best: tuple[float, int, int] | None = None
    for wording in claim.wordings:
        target = fold(wording)
        short = len(target.split()) < SHORT_WORDING_WORDS
        cutoff = SHORT_WORDING_MIN_SCORE if short else CLAIM_MIN_SCORE
        alignment = fuzz.partial_ratio_alignment(target, folded_text, score_cutoff=cutoff)
        if alignment is None:
            continue
        start, end = fit_span(target, folded_text, alignment.dest_start, alignment.dest_end)
        score = fuzz.ratio(target, folded_text[start:end])
        score = max(score, alignment.score)
        if best is None or score > best[0]:
            best = (score, start, end)
    if best is None:
        return None
    score, start, end = best
    return Occurrence(article=article.id, start=start, end=end, text=article.text[start:end], score=round(score, 1))


def one_claim_per_stretch(located: list[tuple[Claim, list[Occurrence]]]):
    """Where two claims were found on the same stretch of an article, keep the closer match.

    Two different statements in similar words (a ministry's statement and its spokesman's post)
    would otherwise both claim the one that an article carries.
    """
    everything = [(o, claim.id) for claim, occurrences in located for o in occurrences]
    beaten = {
        (o.article, o.start, claim_id)
        for o, claim_id in everything
        for other, other_id in everything
        if other_id != claim_id and other.article == o.article and overlap(o, other) and
        (other.score, other_id) > (o.score, claim_id)
    }
    return [
        (claim, [o for o in occurrences if (o.article, o.start, claim.id) not in beaten])
        for claim, occurrences in located
    ]


def widen_to_quotations(
    located: list[tuple[Claim, list[Occurrence]]], quoted: dict[str, list[Quotation]], archive: Archive
):
    """A claim found on most of a quotation takes the whole of it, unless another claim is in it.

    The curated wording may be shorter than what an outlet quotes ("... the talks" / "... the
    talks in Geneva"); the statement as the outlet carries it is the whole quotation.
    """
    everything = [o for _, occurrences in located for o in occurrences]

    def widened(o: Occurrence) -> Occurrence:
        for quotation in quoted[o.article]:
            inside = min(o.end, quotation.end) - max(o.start, quotation.start)
            others = [
                other for other in everything
                if other is not o and other.article == o.article
                and min(other.end, quotation.end) > max(other.start, quotation.start)
            ]
            length = quotation.end - quotation.start
            if inside >= 0.9 * (o.end - o.start) and inside >= WHOLE_QUOTATION_SHARE * length and not others:
                text = archive.article(o.article).text
                return replace(o, start=quotation.start, end=quotation.end, text=text[quotation.start : quotation.end])
        return o

    return [(claim, [widened(o) for o in occurrences]) for claim, occurrences in located]


def overlap(a: Occurrence, b: Occurrence) -> bool:
    """More than half of the shorter span lies inside the other."""
    inside = min(a.end, b.end) - max(a.start, b.start)
    return inside > 0.5 * min(a.end - a.start, b.end - b.start)


WORD = re.compile(r"\w+")


def fit_span(target: str, folded_text: str, start: int, end: int) -> tuple[int, int]:
    """Move a rough match's edges to the word boundaries where it matches `target` best.

    The alignment is as long as the wording, so it may cut a longer rendering short or begin
    inside a word; trying the nearby word boundaries fixes both.
    """
    words = [(m.start(), m.end()) for m in WORD.finditer(folded_text, max(0, start - 200), end + 200)]
    if not words:
        return start, end
    first = min(range(len(words)), key=lambda i: abs(words[i][0] - start))
    last = min(range(len(words)), key=lambda i: abs(words[i][1] - end))
    starts = [words[i][0] for i in range(max(0, first - SNAP_WORDS), min(len(words), first + SNAP_WORDS + 1))]
    ends = [words[i][1] for i in range(max(0, last - SNAP_WORDS), min(len(words), last + SNAP_WORDS + 1))]
    candidates = [(s, e) for s in starts for e in ends if s < e]
    return max(candidates, key=lambda span: (fuzz.ratio(target, folded_text[span[0] : span[1]]), -span[0], span[1]))


def uncovered_quotations(
    archive: Archive, quoted: dict[str, list[Quotation]], claimed: list[Occurrence], taken_ids: set[str]
) -> list[SharedStatement]:
    """Quotations carried by two or more articles that no located claim covers."""
    candidates = [
        quotation
        for article in archive.articles
        for quotation in quoted[article.id]
        if len(quotation.text.split()) >= QUOTE_MIN_WORDS and not is_covered(quotation, claimed)
    ]
    folded = [fold(quotation.text) for quotation in candidates]
    groups = UnionFind(len(candidates))
    scores = [0.0] * len(candidates)
    for i, j in pairs_from_different_articles(candidates):
        score = quotation_similarity(folded[i], folded[j])
        if score >= QUOTE_MIN_SCORE:
            groups.join(i, j)
            scores[i], scores[j] = max(scores[i], score), max(scores[j], score)
    statements = []
    order = {article.id: index for index, article in enumerate(archive.articles)}
    for members in groups.groups():
        if len({candidates[i].article for i in members}) < 2:
            continue
        members.sort(key=lambda i: (order[candidates[i].article], candidates[i].start))
        first = candidates[members[0]]
        statement_id = unique_id("quote-" + "-".join(WORD.findall(fold(first.text))[:6]), taken_ids)
        statements.append(
            SharedStatement(
                id=statement_id,
                claim=None,
                kind="quote",
                occurrences=tuple(
                    Occurrence(
                        article=q.article, start=q.start, end=q.end, text=q.text, score=round(scores[i], 1)
                    )
                    for i in members
                    for q in [candidates[i]]
                ),
            )
        )
    return statements


def is_covered(quotation: Quotation, claimed: list[Occurrence]) -> bool:
    inside = sum(
        max(0, min(quotation.end, o.end) - max(quotation.start, o.start))
        for o in claimed
        if o.article == quotation.article
    )
    return inside >= COVERED_SHARE * (quotation.end - quotation.start)


def pairs_from_different_articles(candidates: list[Quotation]) -> Iterable[tuple[int, int]]:
    for i in range(len(candidates)):
        for j in range(i + 1, len(candidates)):
            if candidates[i].article != candidates[j].article:
                yield i, j


def quotation_similarity(a: str, b: str) -> float:
    """Whole-quotation similarity; a shorter quotation inside a longer one counts too."""
    return max(fuzz.ratio(a, b), fuzz.partial_ratio(a, b) if min(len(a), len(b)) >= 40 else 0)


def unique_id(base: str, taken: set[str]) -> str:
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    taken.add(candidate)
    return candidate


class UnionFind:
    """Groups of indices joined pairwise: one group per statement, however many articles carry it."""

    def __init__(self, size: int):
        self.parent = list(range(size))

    def find(self, index: int) -> int:
        while self.parent[index] != index:
            self.parent[index] = self.parent[self.parent[index]]
            index = self.parent[index]
        return index

    def join(self, a: int, b: int) -> None:
        self.parent[max(self.find(a), self.find(b))] = min(self.find(a), self.find(b))

    def groups(self) -> list[list[int]]:
        members: dict[int, list[int]] = {}
        for index in range(len(self.parent)):
            members.setdefault(self.find(index), []).append(index)
        return list(members.values())
