"""Stage 2: cut each article into the units that matching compares.

A unit is a sentence, or the words a sentence puts between quotation marks. This stage knows the
marks news uses and how a quotation runs over paragraphs or around an attribution; it returns
spans of `Article.text`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sentencex import segment

from .model import Article, Quotation

# Each opening mark and the marks that may close it.
CLOSERS = {
    "“": '”"',
    '"': '"”',
    "«": "»",
    "„": "“”",
    "‘": "’",
    "'": "'’",
    "‹": "›",
}
MARKS = "".join(sorted(set("".join(CLOSERS) + "".join(CLOSERS.values()))))
# After one of these, a straight mark (" or ') opens a quotation; elsewhere it closes one.
OPENS_AFTER = " \t\n([{—–-/"
MARK = re.compile(f"[{re.escape(MARKS)}]")
STRAIGHT = "\"'"
TRIM_AT_END = " ,;:."  # a quotation's closing punctuation belongs to the sentence around it
# "“We will stay,” he said, “until the end.”": at most this many words between the two parts.
ATTRIBUTION_WORDS = 6
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Unit:
    """A stretch of an article that may be shared: a sentence, or a quotation within one."""

    article: str
    start: int
    end: int
    text: str  # what is compared: see `exact`
    quoted: bool
    # Whether `text` is the article's text from start to end; an interrupted quotation's text is
    # its parts, joined.
    exact: bool = True


def quotations(article: Article) -> list[Quotation]:
    """Every quotation in the article, in order of appearance.

    A quotation left open at the end of a paragraph goes on if the next paragraph opens with a
    quote mark (the newspaper convention for a quotation of several paragraphs); otherwise it
    ends with its paragraph, so that a stray mark never swallows the rest of the article. A
    quotation interrupted by a short attribution ("...,” he said, “...") is one quotation.
    """
    spans = quotation_spans(article)
    found: list[Quotation] = []
    for start, end in spans:
        quotation = trimmed(article, start, end)
        if quotation is None:
            continue
        previous = found[-1] if found else None
        if previous and continues(article, previous, start):
            found[-1] = Quotation(
                article=article.id,
                start=previous.start,
                end=quotation.end,
                text=article.text[previous.start : quotation.end],
                parts=(*previous.parts, (quotation.start, quotation.end)),
            )
        else:
            found.append(quotation)
    return found


def quotation_spans(article: Article) -> list[tuple[int, int]]:
    """The raw spans between opening and closing marks."""
    text = article.text
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    closers = ""
    previous_end = 0
    for block in article.blocks:
        position = block.start
        if open_at is not None:
            if text[block.start] in CLOSERS:
                position += 1  # the mark that reopens the quotation in the new paragraph
            else:
                spans.append((open_at, previous_end))
                open_at = None
        for found in MARK.finditer(text, position, block.end):  # only the marks matter
            index, mark = found.start(), found.group()
            before = text[index - 1] if index > block.start else " "
            after = text[index + 1] if index + 1 < block.end else " "
            if open_at is None:
                if mark in CLOSERS and (mark not in STRAIGHT or (before in OPENS_AFTER and not after.isspace())):
                    open_at, closers = index + 1, CLOSERS[mark]
            elif mark in closers and not (mark in STRAIGHT and before in OPENS_AFTER):
                if mark == "'" and after.isalpha():
                    continue  # an apostrophe inside a word: "Russia's"
                if mark == "’" and before.isalpha() and after.isalpha():
                    continue
                spans.append((open_at, index))
                open_at = None
        previous_end = block.end
    if open_at is not None:
        spans.append((open_at, previous_end))
    return spans


def continues(article: Article, previous: Quotation, start: int) -> bool:
    """Whether a quotation starting at `start` goes on from `previous` around an attribution."""
    between = article.text[previous.end : start]
    attribution = between.strip(MARKS + " ,")
    return (
        "\n" not in between
        and between.startswith(",")  # "...,” he said": the quoted sentence is not over
        and 0 < len(WORD.findall(attribution)) <= ATTRIBUTION_WORDS
        # An attribution is set off by punctuation ("he said," / "he said."); "and" is not one.
        and between.rstrip(MARKS + " ")[-1:] in ",.:;"
    )


def trimmed(article: Article, start: int, end: int) -> Quotation | None:
    """The quotation without the spaces and punctuation that stand inside its marks at its ends."""
    text = article.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1] in TRIM_AT_END or text[end - 1].isspace()):
        end -= 1
    if start == end:
        return None
    return Quotation(article=article.id, start=start, end=end, text=text[start:end], parts=((start, end),))


def sentences(article: Article, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of the sentences in a stretch of the article; none runs over a paragraph."""
    spans = []
    for paragraph in re.finditer(r"[^\n]+", article.text[start:end]):
        position = start + paragraph.start()
        for sentence in segment(article.language, paragraph.group()):
            words = sentence.strip()
            if words:
                position = article.text.index(words, position)
                spans.append((position, position + len(words)))
                position += len(words)
    return spans


def units(article: Article, min_words: int) -> list[Unit]:
    """The sentences and quotations of an article that are long enough to be shared.

    A quotation of several sentences gives one unit per sentence, so that each statement in it
    can be matched on its own; an interrupted quotation gives one unit, its parts joined.
    """
    text = article.text
    found = []
    quoted = quotations(article)
    for quotation in quoted:
        if len(quotation.parts) > 1:
            words = " ".join(text[s:e] for s, e in quotation.parts)
            found.append(Unit(article.id, quotation.start, quotation.end, words, quoted=True, exact=False))
            continue
        # Segmented on their own: a segmenter does not cut inside quotation marks.
        for start, end in sentences(article, quotation.start, quotation.end):
            piece = inner_span(text, start, end)
            if piece:
                found.append(Unit(article.id, *piece, text[slice(*piece)], quoted=True))
    # "“...,” the ministry said." is its quotation: a sentence that is mostly quotation is left
    # to its quotation, so that two sentences quoting the same words with different attributions
    # are not taken for one passage. A sentence mostly in its own words (a reused passage that
    # quotes a few words) is a unit too.
    for start, end in sentences(article, 0, len(text)):
        quoted_words = sum(
            len(WORD.findall(text[max(s, start) : min(e, end)]))
            for q in quoted
            for s, e in q.parts
            if s < end and e > start
        )
        if quoted_words * 2 <= len(WORD.findall(text[start:end])):
            found.append(Unit(article.id, start, end, text[start:end], quoted=False))
    return sorted(
        {u for u in found if len(WORD.findall(u.text)) >= min_words},
        key=lambda u: (u.start, u.end, u.quoted),
    )


def inner_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A quoted sentence without spaces, closing punctuation, and the marks that reopen it."""
    while start < end and (text[start] in CLOSERS or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in TRIM_AT_END or text[end - 1] in MARKS or text[end - 1].isspace()):
        end -= 1
    return (start, end) if start < end else None
