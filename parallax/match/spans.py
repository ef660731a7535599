"""Text as matching reads it (folded), and spans of an article: overlaps, containment, coverage."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple, Protocol, TypeVar

from ..model import Occurrence

WORD = re.compile(r"\w+")


# Which span shows a statement best where several overlap in one article: lowest first.
QUOTED, ALIGNED, SENTENCE = range(3)


class Place(NamedTuple):  # a tuple: hashed in C, and grouping hashes places millions of times
    """A span of an article that takes part in a link."""

    article: str
    start: int
    end: int
    rank: int  # QUOTED, ALIGNED (the part of a unit that matches a shorter one) or SENTENCE


NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]")  # \w is exactly str.isalnum(), and "_"


def fold(text: str) -> str:
    """Lower case, with every other character than a letter or digit as a space; same length."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter whose lower case is two characters ("İ"): keep it as it is
        lowered = "".join(lower if len(lower := character.lower()) == 1 else character for character in text)
    return NOT_LETTER_OR_DIGIT.sub(" ", lowered)


def inside(item: Occurrence, other: Occurrence) -> bool:
    return item.article == other.article and other.start <= item.start and item.end <= other.end


def overlaps(a: Place | Occurrence, b: Place | Occurrence) -> bool:
    return a.article == b.article and a.start < b.end and b.start < a.end


def covered_length(spans: Iterable[tuple[int, int]], within: Occurrence | None = None) -> int:
    """How many characters the spans cover together (inside `within`, if given), overlaps once."""
    if within is not None:  # those outside it cover none of it: not clipped, nor sorted
        low, high = within.start, within.end
        spans = [(max(start, low), min(end, high)) for start, end in spans if start < high and low < end]
    total, reached = 0, 0
    for start, end in sorted(spans):
        start = max(start, reached)
        if end > start:
            total += end - start
            reached = end
    return total


class Spanning(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


Spanned = TypeVar("Spanned", bound=Spanning)


def clusters(spans: list[Spanned]) -> list[list[Spanned]]:
    """Spans of one article, sorted by start, in runs that overlap: each run one cluster."""
    found: list[list[Spanned]] = []
    reach = 0  # where the last cluster ends
    for span in spans:
        if found and span.start < reach:
            found[-1].append(span)
            reach = max(reach, span.end)
        else:
            found.append([span])
            reach = span.end
    return found
