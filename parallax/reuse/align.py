"""Passages one text reuses from another, aligned word by word.

Wire copy is rarely reused whole: a paper lifts a clause into a sentence of its own, cuts or merges
sentences, swaps a word. As passim and TextPAIR do, runs of SEED_WORDS words that both texts share
propose where they meet; seeds close to each other on both sides are chained into a region; the
region is aligned word by word. In each text, a word the other has in the same place is
*verbatim*; a word that stands where the other had other words, between verbatim runs, is
*rewritten*; a word only one text has, where the other has nothing, is that text's own.

Any script that puts spaces between words works: a word is what stands between spaces, without
the punctuation and symbols at its edges, and is compared by its letters and digits only (case
folded, compatibility forms unified, marks such as Urdu's or Arabic's vowel signs dropped, digits
of every script read as the same digits). Chinese and Japanese, written without spaces, are
read a character at a time: each Han character and each kana is a word.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from rapidfuzz.distance import Indel

from ..match.spans import covered_length
from ..model import Derivation
from .thresholds import (
    COMMON_SEED,
    GAP_WORDS,
    MIN_VERBATIM_SHARE,
    MIN_VERBATIM_WORDS,
    PARTIALLY_SCORE,
    SEED_WORDS,
    WHOLLY_SCORE,
)

UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # kana and Han characters
# A Han character or kana alone; else from a letter or digit to the last one before a space.
WORD = re.compile(f"[{UNSPACED}]|[^\\W{UNSPACED}](?:[^\\s{UNSPACED}]*[^\\W{UNSPACED}])?")


def word_key(token: str) -> str:
    """A word as compared: its letters and digits, case folded, marks dropped, digits unified."""
    if token.isascii():  # most words of most archives: the same result, twenty times faster
        return "".join(filter(str.isalnum, token.lower()))
    characters = []
    for character in unicodedata.normalize("NFKD", token).casefold():
        category = unicodedata.category(character)
        if category == "Nd":
            characters.append(str(unicodedata.digit(character)))
        elif category[0] in "LN":
            characters.append(character)
    return "".join(characters)


Range = tuple[int, int]  # word positions [first, last)


def positions(ranges: Iterable[Range]) -> set[int]:
    """The word positions in some ranges."""
    return {position for first, last in ranges for position in range(first, last)}


def runs_of(ranges: Iterable[Range]) -> list[Range]:
    """The word positions in some ranges as runs of consecutive positions, in order: what
    `positions` gives, a run at a time rather than a word at a time (a story has millions)."""
    found: list[list[int]] = []
    for first, last in sorted(ranges):
        if first >= last:
            continue
        if found and first <= found[-1][1]:
            found[-1][1] = max(found[-1][1], last)
        else:
            found.append([first, last])
    return [(first, last) for first, last in found]


def runs_without(kept: list[Range], taken: list[Range]) -> list[Range]:
    """The positions of the runs `kept` outside the runs `taken` (both as `runs_of` gives them), as runs."""
    found: list[Range] = []
    index = 0
    for first, last in kept:
        while index < len(taken) and taken[index][1] <= first:
            index += 1
        start, probe = first, index
        while probe < len(taken) and taken[probe][0] < last:
            if taken[probe][0] > start:
                found.append((start, taken[probe][0]))
            start, probe = max(start, taken[probe][1]), probe + 1
        if start < last:
            found.append((start, last))
    return found


@dataclass(frozen=True)
class Passage:
    """A stretch of one text (`derived`) that reuses a stretch of another (`source`), in word
    positions; each side with its verbatim and rewritten words."""

    source: Range  # its words in the source
    derived: Range  # its words in the derived text
    verbatim: tuple[Range, ...]  # runs of the derived text's words that are the source's own
    rewritten: tuple[Range, ...]  # runs of its words that stand for other words of the source
    source_verbatim: tuple[Range, ...]  # the same, on the source's side
    source_rewritten: tuple[Range, ...]

    def flipped(self) -> Passage:
        """The same passage seen from the other text."""
        return Passage(
            self.derived, self.source, self.source_verbatim, self.source_rewritten, self.verbatim, self.rewritten
        )


class Vocabulary:
    """Words as numbers, the same number for the same word: quicker to hash and compare.

    A text's words are numbered all at once, at C speed (a story has millions): each word not yet
    numbered takes the next of a count that moves on at every word looked up. The numbers are
    distinct, not consecutive; only whether two are equal counts."""

    def __init__(self):
        self.numbers: dict[str, int] = {}
        self.count = itertools.count()

    def tokens(self, text: str) -> Tokens:
        """The words of a text (see words_of), numbered in this vocabulary."""
        return self.numbered(*words_of(text))

    def numbered(self, starts: array, ends: array, words: array, keys: list[str]) -> Tokens:
        """A text's words, as words_of gives them, numbered in this vocabulary."""
        numbers = list(map(self.numbers.setdefault, keys, self.count))
        return Tokens(starts, ends, array("I", map(numbers.__getitem__, words)))


def words_of(text: str) -> tuple[array, array, array, list[str]]:
    """The words of a text: what stands between spaces, from its first letter or digit to its
    last (the punctuation at its edges left out), where each starts and ends, and its number
    among the text's own words; and those words as compared, in that order. Numbered in the
    text, not in a story, so that they can be kept between builds. Kept compactly: a story has millions."""
    starts, ends, words = array("I"), array("I"), array("I")
    keys: dict[str, int] = {}
    for match in WORD.finditer(text):
        token = match.group()
        key = token.lower() if token.isascii() and token.isalnum() else word_key(token)
        if key:
            starts.append(match.start())
            ends.append(match.end())
            words.append(keys.setdefault(key, len(keys)))
    return starts, ends, words, list(keys)


class Tokens(NamedTuple):
    """A text's words: where each starts and ends, and its number in the build's Vocabulary."""

    starts: array
    ends: array
    words: array


def runs(words: Sequence[int]) -> list[int]:
    """Each run of SEED_WORDS words as one number, its words the digits in base 2**32 (exact:
    words are numbered below it, in an array of unsigned 32-bit integers)."""
    found = list(words[: len(words) - SEED_WORDS + 1])
    for k in range(1, SEED_WORDS):
        found = [run << 32 | later for run, later in zip(found, words[k:])]
    return found


def seeds(source: Sequence[int], derived: Sequence[int]) -> list[tuple[int, int]]:
    """Where runs of SEED_WORDS words stand in both: (source position, derived position), in the
    derived text's order. A run found more than COMMON_SEED times in either text proposes
    nothing: it is too common there."""
    source_runs, derived_runs = runs(source), runs(derived)
    common = set(source_runs).intersection(derived_runs)
    at: dict[int, list[int]] = defaultdict(list)
    for i, run in enumerate(source_runs):
        if run in common:
            at[run].append(i)
    in_derived = Counter(run for run in derived_runs if run in common)
    found: list[tuple[int, int]] = []
    for j, run in enumerate(derived_runs):
        if run in common and in_derived[run] <= COMMON_SEED:
            places = at[run]
            if len(places) == 1:  # most runs: no list to make
                found.append((places[0], j))
            elif len(places) <= COMMON_SEED:
                found.extend([(i, j) for i in places])
    return found


def chains(found: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Seeds (in the derived text's order, as `seeds` gives them) chained: each seed joins the
    chain it continues most nearly on the same diagonal, if one ends close enough before it on
    both sides."""
    chained: list[list[tuple[int, int]]] = []
    active: list[list[tuple[int, int]]] = []  # the chains a seed this far on may still continue
    pruned = 0  # where chains that can no longer be continued were last let go
    for i, j in found:
        if j - pruned > GAP_WORDS:
            active = [chain for chain in active if chain[-1][1] >= j - GAP_WORDS]
            pruned = j
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


def passage_of(chain: list[tuple[int, int]], source: Sequence[int], derived: Sequence[int]) -> Passage | None:
    """The chain's region aligned word by word; None if too little of it is verbatim."""
    first_i, first_j = min(i for i, _ in chain), chain[0][1]
    last_i, last_j = max(i for i, _ in chain) + SEED_WORDS, chain[-1][1] + SEED_WORDS
    verbatim: list[Range] = []
    source_verbatim: list[Range] = []
    rewritten: list[Range] = []
    source_rewritten: list[Range] = []
    reached_i, reached_j = first_i, first_j
    # The longest common subsequence of words; between two of its runs, words on both sides
    # (not too many) are one rewritten as the other, words on one side only are that side's own.
    blocks = Indel.opcodes(source[first_i:last_i], derived[first_j:last_j]).as_matching_blocks()
    for block in blocks:
        i, j = first_i + block.a, first_j + block.b
        if reached_i < i and reached_j < j and max(i - reached_i, j - reached_j) <= GAP_WORDS:
            source_rewritten.append((reached_i, i))
            rewritten.append((reached_j, j))
        if block.size:
            source_verbatim.append((i, i + block.size))
            verbatim.append((j, j + block.size))
        reached_i, reached_j = i + block.size, j + block.size
    longest = max(last_i - first_i, last_j - first_j)
    same = sum(last - first for first, last in verbatim)
    if same < MIN_VERBATIM_WORDS or same < MIN_VERBATIM_SHARE * longest:
        return None
    return Passage(
        (first_i, last_i),
        (first_j, last_j),
        tuple(verbatim),
        tuple(rewritten),
        tuple(source_verbatim),
        tuple(source_rewritten),
    )


def align(source: Sequence[int], derived: Sequence[int]) -> list[Passage]:
    """The passages of `derived` (word numbers, see Vocabulary) that reuse `source`, in the derived text's order;
    where two would overlap in the derived text, the one with more verbatim words."""
    candidates = []
    for chain in chains(seeds(source, derived)):
        # A chain whose seeds cover too few words cannot make a passage: not worth aligning.
        if chain[-1][1] + SEED_WORDS - chain[0][1] >= MIN_VERBATIM_WORDS and (
            passage := passage_of(chain, source, derived)
        ):
            candidates.append(passage)
    kept: list[Passage] = []
    taken: set[int] = set()
    for passage in sorted(candidates, key=lambda p: (-len(positions(p.verbatim)), p.derived, p.source)):
        span = set(range(*passage.derived))
        if len(span & taken) * 2 <= len(span):
            kept.append(passage)
            taken |= span
    return sorted(kept, key=lambda p: (p.derived, p.source))


def derivation(
    source: str, words: int, distinct: set[int], source_distinct: set[int], passages: list[Passage]
) -> Derivation:
    """How much of a text of `words` words, `distinct` of them different, its passages reuse
    from a source (whose different words are `source_distinct`), and what that makes it. The
    sets are the caller's: a text is compared with several sources, and a source with several texts.

    Two figures, for two ways of reusing: the words aligned in passages (copy kept in its order,
    words swapped here and there), and the vocabulary (copy rewritten so much that only its words
    remain). Their mean, the score, sets the label."""
    verbatim = [run for p in passages for run in p.verbatim]
    reused = covered_length(verbatim + [run for p in passages for run in p.rewritten])
    total = max(1, words)
    vocabulary = len(distinct & source_distinct) / max(1, len(distinct))
    share = reused / total
    score = (share + vocabulary) / 2
    label = "wholly" if score >= WHOLLY_SCORE else "partially" if score >= PARTIALLY_SCORE else "not"
    return Derivation(source, share, covered_length(verbatim) / total, vocabulary, score, label)


def compare_texts(source: str, derived: str) -> tuple[Derivation, list[Passage]]:
    """Align two texts: what `derived` reuses of `source`, and the passages (for measuring)."""
    vocabulary = Vocabulary()
    source_keys, derived_keys = vocabulary.tokens(source).words, vocabulary.tokens(derived).words
    passages = align(source_keys, derived_keys)
    return derivation("source", len(derived_keys), set(derived_keys), set(source_keys), passages), passages
