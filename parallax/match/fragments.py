"""Fragments: a word or two of a statement quoted in a lede or headline ("calling the Hamas
invitation an “obscene step”"), too short to be matched as a unit.

A quotation shorter than a unit is an occurrence of a statement (marked as a fragment) when:
- its words are the statement's own, in order: those of a claim's part, in any version or
  rendering, or of an occurrence of a statement no claim covers;
- its sentence points to the statement: it names the speaker (a word of the speaker's name), or
  shares two words with the statement besides the quoted ones;
- it is not a common phrase: one of its words is rare in the articles that do not carry the
  statement ("the Gaza Strip", in a story about Gaza, is everywhere).
Where several statements qualify, the one its sentence points to most takes it.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict

from ..extract import quotations, sentences
from ..model import Article, Occurrence, Quotation, SharedStatement, Story
from .spans import WORD, fold
from .thresholds import COMMON_WORD_SHARE, FRAGMENT_CONTEXT_WORDS, NAME_PREFIX, UNIT_MIN_WORDS


def words_of(text: str) -> list[str]:
    return WORD.findall(fold(text))


def with_fragments(story: Story, statements: list[SharedStatement]) -> list[SharedStatement]:
    """The statements, each with the fragments of it that articles quote.

    The cheap tests first: words of some statement, in its order, and not all common; the
    sentence, which takes segmenting, is read only for the quotations that pass."""
    wordings = statement_wordings(statements)
    by_word: dict[str, set[int]] = defaultdict(set)  # a word -> the statements whose words have it
    for number, texts in enumerate(wordings):
        for text in texts:
            for word in text:
                by_word[word].add(number)
    holding: list[tuple[Article, Quotation, list[str], list[int]]] = []
    for article in story.articles:
        for quotation in quotations(article):
            words = words_of(quotation.text)
            if not 0 < len(words) < UNIT_MIN_WORDS or any(word not in by_word for word in words):
                continue
            candidates = sorted(set.intersection(*(by_word[word] for word in words)))
            found = [n for n in candidates if any(in_order(words, text) for text in wordings[n])]
            if found:
                holding.append((article, quotation, words, found))
    if not holding:
        return statements
    counts = WordCounts(story, statements, {word for _, _, words, _ in holding for word in words})
    added: dict[int, list[Occurrence]] = defaultdict(list)
    for article, quotation, words, found in holding:
        rare = [n for n in found if not counts.common(words, n, article)]
        chosen = best_statement(article, quotation, words, rare, statements, wordings) if rare else None
        if chosen is None or counts.carried_at(chosen, article, quotation.start):
            continue
        added[chosen].append(
            Occurrence(article.id, quotation.start, quotation.end, quotation.text, score=100.0, fragment=True)
        )
    order = {article.id: index for index, article in enumerate(story.articles)}
    return [
        dataclasses.replace(
            statement,
            occurrences=tuple(
                sorted((*statement.occurrences, *added[number]), key=lambda o: (order[o.article], o.start))
            ),
        )
        if number in added
        else statement
        for number, statement in enumerate(statements)
    ]


def statement_wordings(statements: list[SharedStatement]) -> list[list[tuple[str, ...]]]:
    """Each statement's own words: its claim part's wordings, else, for a quotation no claim
    covers, its occurrences' (each once). A passage no claim covers is no one's words to quote."""
    found = []
    for statement in statements:
        if statement.part:
            texts = statement.part.wordings
        elif statement.kind == "quote":
            texts = tuple(dict.fromkeys(o.text for o in statement.occurrences))
        else:
            texts = ()
        found.append(list(dict.fromkeys(tuple(words_of(text)) for text in texts)))
    return found


def best_statement(
    article: Article,
    quotation: Quotation,
    words: list[str],
    holding: list[int],
    statements: list[SharedStatement],
    wordings: list[list[tuple[str, ...]]],
) -> int | None:
    """Of the statements whose words these are, the one the sentence points to most, if any."""
    around = sentence_words(article, quotation) - set(words)
    best, best_evidence = None, 0
    for number in holding:
        evidence = pointing(around, statements[number], wordings[number])
        if evidence > best_evidence:
            best, best_evidence = number, evidence
    return best


def in_order(words: list[str], text: tuple[str, ...]) -> bool:
    """Whether `words` stand in `text` one after the other."""
    size = len(words)
    return any(list(text[start : start + size]) == words for start in range(len(text) - size + 1))


def sentence_words(article: Article, quotation: Quotation) -> set[str]:
    """The words of the sentence the quotation stands in."""
    block = next(b for b in article.blocks if b.start <= quotation.start < b.end)
    for start, end in sentences(article, block.start, block.end):
        if start <= quotation.start < end:
            return set(words_of(article.text[start:end]))
    return set(words_of(article.text[block.start : block.end]))


def pointing(around: set[str], statement: SharedStatement, wordings: list[tuple[str, ...]]) -> int:
    """How strongly a sentence points to a statement: 0 for not at all. Naming the speaker is
    enough ("Israel's foreign ministry ... called it ..."); else two words of the statement."""
    speaker = statement.claim.speaker if statement.claim else ""
    names = {word[:NAME_PREFIX] for word in words_of(speaker) if len(word) >= NAME_PREFIX}
    named = sum(1 for word in around if word[:NAME_PREFIX] in names)
    shared = len(around & {word for text in wordings for word in text if len(word) >= NAME_PREFIX})
    if named:
        return FRAGMENT_CONTEXT_WORDS + named + shared
    return shared if shared >= FRAGMENT_CONTEXT_WORDS else 0


class WordCounts:
    """In how many articles the words of fragments stand, outside the statements they may be
    fragments of; and where those statements stand already. Counted once for each."""

    def __init__(self, story: Story, statements: list[SharedStatement], words: set[str]):
        self.statements, self.articles = statements, len(story.articles)
        # One pass over the story, by a pattern of these words alone: folding every article's
        # text would cost more than all the rest.
        pattern = re.compile(
            r"(?<!\w)(?:" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + r")(?!\w)"
        )
        self.having: dict[str, set[str]] = defaultdict(set)  # a word -> the articles that have it
        for article in story.articles:
            for word in set(pattern.findall(article.text.lower())):
                self.having[word].add(article.id)
        self.outside: dict[tuple[int, str], int] = {}  # (statement, word) -> articles outside it having the word
        self.carrying: dict[int, frozenset[str]] = {}
        self.placed: dict[int, dict[str, list[tuple[int, int]]]] = {}

    def carriers(self, number: int) -> frozenset[str]:
        if number not in self.carrying:
            self.carrying[number] = frozenset(self.statements[number].article_ids)
        return self.carrying[number]

    def common(self, words: list[str], number: int, article: Article) -> bool:
        """Whether every word of a fragment is common in the articles that carry neither the
        statement nor the fragment."""
        carriers = self.carriers(number)
        mine = article.id not in carriers  # the fragment's own article, which has its words
        others = max(1, self.articles - len(carriers) - mine)
        for word in words:
            if (number, word) not in self.outside:
                self.outside[number, word] = len(self.having[word] - carriers)
        return all(self.outside[number, word] - mine > COMMON_WORD_SHARE * others for word in words)

    def carried_at(self, number: int, article: Article, position: int) -> bool:
        """Whether the statement already has an occurrence at this place of the article."""
        if number not in self.placed:
            self.placed[number] = defaultdict(list)
            for occurrence in self.statements[number].occurrences:
                self.placed[number][occurrence.article].append((occurrence.start, occurrence.end))
        return any(start <= position < end for start, end in self.placed[number].get(article.id, ()))
