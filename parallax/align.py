"""Passages one text reuses from another, aligned word by word.

Wire copy is rarely reused whole: a paper lifts a clause into a sentence of its own, cuts or merges
sentences, swaps a word. Matching whole sentences (match/) misses that. Here, as passim and
TextPAIR do, runs of SEED_WORDS words that both texts share propose where they meet; seeds close
to each other on both sides are chained into a region; the region is aligned word by word. In the
derived text, a word of the source's is *verbatim*; a word that stands where the source had other
words, between verbatim runs, is *rewritten*; a word it adds is its own.

Any script that puts spaces between words works: a word is what stands between spaces, without
the punctuation and symbols at its edges, and is compared by its letters and digits only (case
folded, compatibility forms unified, marks such as Urdu's or Arabic's vowel signs dropped, digits
of every script read as the same digits).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

# Thresholds, all in one place.
SEED_WORDS = 2  # words in a run both texts share that proposes an alignment
COMMON_SEED = 8  # a run found more often than this in the source proposes nothing: too common
GAP_WORDS = 12  # seeds further apart than this, on either side, are not one passage
MIN_VERBATIM_WORDS = 4  # a passage has at least this many verbatim words...
MIN_VERBATIM_SHARE = 0.25  # ...making at least this part of its words
# A derived text is wholly derived from its source at this score or more (see Derivation),
# partially from PARTIALLY_SCORE. Chosen by cross-validation on COUNTER (bench/reuse.py).
WHOLLY_SCORE = 0.60
PARTIALLY_SCORE = 0.24

SPACED = re.compile(r"\S+")


@dataclass(frozen=True)
class Word:
    start: int  # its characters in the text, punctuation at its edges left out
    end: int
    key: str  # what is compared


def word_key(token: str) -> str:
    """A word as compared: its letters and digits, case folded, marks dropped, digits unified."""
    characters = []
    for character in unicodedata.normalize("NFKD", token).casefold():
        category = unicodedata.category(character)
        if category == "Nd":
            characters.append(str(unicodedata.digit(character)))
        elif category[0] in "LN":
            characters.append(character)
    return "".join(characters)


def words(text: str) -> list[Word]:
    """The words of a text, each with its span: what stands between spaces, edges' punctuation off."""
    found = []
    for match in SPACED.finditer(text):
        start, end = match.span()
        while start < end and unicodedata.category(text[start])[0] in "PS":
            start += 1
        while end > start and unicodedata.category(text[end - 1])[0] in "PS":
            end -= 1
        key = word_key(text[start:end])
        if key:
            found.append(Word(start, end, key))
    return found


@dataclass(frozen=True)
class Passage:
    """A stretch of the derived text that reuses a stretch of the source, in word positions."""

    source: tuple[int, int]  # words [first, last) of the source
    derived: tuple[int, int]  # words [first, last) of the derived text
    verbatim: tuple[int, ...]  # positions of the derived text's words that are the source's own
    rewritten: tuple[int, ...]  # positions of its words that stand for other words of the source


def seeds(source: list[str], derived: list[str]) -> list[tuple[int, int]]:
    """Where runs of SEED_WORDS words stand in both: (source position, derived position)."""
    at: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i in range(len(source) - SEED_WORDS + 1):
        at[tuple(source[i : i + SEED_WORDS])].append(i)
    found: list[tuple[int, int]] = []
    for j in range(len(derived) - SEED_WORDS + 1):
        places = at.get(tuple(derived[j : j + SEED_WORDS]), ())
        if len(places) <= COMMON_SEED:
            found.extend((i, j) for i in places)
    return found


def chains(found: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Seeds chained in the derived text's order: each seed joins the chain it continues most
    nearly on the same diagonal, if one ends close enough before it on both sides."""
    chained: list[list[tuple[int, int]]] = []
    active: list[list[tuple[int, int]]] = []  # the chains a seed this far on may still continue
    for i, j in sorted(found, key=lambda seed: (seed[1], seed[0])):
        active = [chain for chain in active if chain[-1][1] >= j - GAP_WORDS]
        best, drift = None, None
        for chain in active:
            last_i, last_j = chain[-1]
            if last_i < i <= last_i + GAP_WORDS and last_j < j <= last_j + GAP_WORDS:
                shift = abs((i - last_i) - (j - last_j))
                if drift is None or shift < drift:
                    best, drift = chain, shift
        if best is None:
            chained.append([(i, j)])
            active.append(chained[-1])
        else:
            best.append((i, j))
    return chained


def passage_of(chain: list[tuple[int, int]], source: list[str], derived: list[str]) -> Passage | None:
    """The chain's region aligned word by word; None if too little of it is verbatim."""
    first_i, first_j = min(i for i, _ in chain), chain[0][1]
    last_i, last_j = max(i for i, _ in chain) + SEED_WORDS, chain[-1][1] + SEED_WORDS
    matcher = difflib.SequenceMatcher(None, source[first_i:last_i], derived[first_j:last_j], autojunk=False)
    verbatim: list[int] = []
    rewritten: list[int] = []
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            verbatim.extend(range(first_j + j1, first_j + j2))
        elif operation == "replace" and max(i2 - i1, j2 - j1) <= GAP_WORDS:
            rewritten.extend(range(first_j + j1, first_j + j2))
    if len(verbatim) < MIN_VERBATIM_WORDS or len(verbatim) < MIN_VERBATIM_SHARE * (last_j - first_j):
        return None
    return Passage((first_i, last_i), (first_j, last_j), tuple(verbatim), tuple(rewritten))


def align(source: list[str], derived: list[str]) -> list[Passage]:
    """The passages of `derived` (word keys) that reuse `source`, in the derived text's order;
    where two would overlap in the derived text, the one with more verbatim words."""
    candidates = [p for chain in chains(seeds(source, derived)) if (p := passage_of(chain, source, derived))]
    kept: list[Passage] = []
    taken: set[int] = set()
    for passage in sorted(candidates, key=lambda p: (-len(p.verbatim), p.derived)):
        span = set(range(*passage.derived))
        if len(span & taken) * 2 <= len(span):
            kept.append(passage)
            taken |= span
    return sorted(kept, key=lambda p: p.derived)


@dataclass(frozen=True)
class Derivation:
    """How much of a derived text comes from a source, and what that makes it.

    Two figures, for two ways of reusing: the words aligned in passages (copy kept in its
    order, words swapped here and there), and the vocabulary (copy rewritten so much that only
    its words remain). Their mean, the score, sets the label."""

    share: float  # of its words, those reused in passages: verbatim or rewritten
    verbatim_share: float  # of its words, those verbatim
    vocabulary: float  # of its distinct words, those the source has too
    passages: tuple[Passage, ...]

    @property
    def score(self) -> float:
        return (self.share + self.vocabulary) / 2

    @property
    def label(self) -> str:
        """Wholly, partially or not derived."""
        if self.score >= WHOLLY_SCORE:
            return "wholly"
        return "partially" if self.score >= PARTIALLY_SCORE else "not"


def derivation(source: str, derived: str) -> Derivation:
    """Align `derived` with `source` and say how much of it is reused."""
    source_keys, derived_keys = [w.key for w in words(source)], [w.key for w in words(derived)]
    passages = tuple(align(source_keys, derived_keys))
    verbatim = {position for p in passages for position in p.verbatim}
    reused = verbatim | {position for p in passages for position in p.rewritten}
    total = max(1, len(derived_keys))
    vocabulary = len(set(derived_keys) & set(source_keys)) / max(1, len(set(derived_keys)))
    return Derivation(len(reused) / total, len(verbatim) / total, vocabulary, passages)
