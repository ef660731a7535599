"""Stage 2: find the quotations in each article's text.

News prints a quotation in many ways; this stage knows the marks and how a quotation runs over
paragraphs, and returns the words between the marks as spans of `Article.text`.
"""

from __future__ import annotations

from .model import Article, Quotation

# Each opening mark and the marks that may close it.
CLOSERS = {
    "“": "”\"",
    '"': '"”',
    "«": "»",
    "„": "“”",
}
# After one of these, a straight quote mark opens a quotation; elsewhere it closes one.
OPENS_AFTER = " \t\n([{—–-/"
TRIM_AT_END = " ,;:."  # a quotation's closing punctuation belongs to the sentence around it


def quotations(article: Article) -> list[Quotation]:
    """Every quotation in the article, in order of appearance.

    A quotation left open at the end of a paragraph goes on if the next paragraph opens with a
    quote mark (the newspaper convention for a quotation of several paragraphs); otherwise it
    ends with its paragraph, so that a stray mark never swallows the rest of the article.
    """
    text = article.text
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    closers = ""
    for block in article.blocks:
        position = block.start
        if open_at is not None:
            if text[block.start] in CLOSERS:
                position += 1  # the mark that reopens the quotation in the new paragraph
            else:
                spans.append((open_at, previous_end))
                open_at = None
        for index in range(position, block.end):
            mark = text[index]
            if open_at is None:
                if mark in CLOSERS and (mark != '"' or index == block.start or text[index - 1] in OPENS_AFTER):
                    open_at, closers = index + 1, CLOSERS[mark]
            elif mark in closers and not (mark == '"' and text[index - 1] in OPENS_AFTER):
                spans.append((open_at, index))
                open_at = None
        previous_end = block.end
    if open_at is not None:
        spans.append((open_at, previous_end))
    return [quotation for start, end in spans if (quotation := trimmed(article, start, end))]


def trimmed(article: Article, start: int, end: int) -> Quotation | None:
    """The quotation without the spaces and trailing commas that stand inside its marks."""
    text = article.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1] in TRIM_AT_END or text[end - 1].isspace()):
        end -= 1
    if start == end:
        return None
    return Quotation(article=article.id, start=start, end=end, text=text[start:end])
