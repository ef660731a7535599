"""Which wordings and articles a page names, so that pages stay short when many outlets carry a
statement: the claim page and the export have them all."""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import jinja2
from markupsafe import Markup

from ..compare import ClaimCoverage, Variant
from ..lineage import word_keys
from ..model import Article, Occurrence, SharedStatement, Story

RENDERINGS_TEMPLATE = "_renderings.html"  # a statement's other wordings, in a note or on a claim page
OTHERS_SHOWN = 6  # other outlets' wordings shown beside a paragraph; the claim page has them all


class Showcase:
    """Which other articles' wordings a page shows beside a statement: one of each wording
    first, at most OTHERS_SHOWN, and how many more there are.

    Most pages carrying a statement show the same wordings: each list is rendered once."""

    def __init__(self, environment: jinja2.Environment, context: dict):
        self.environment = environment
        self.context = context  # what the story's templates are rendered with
        self.chosen: dict[str, tuple[tuple[Occurrence, ...], Counter]] = {}
        self.rendered: dict[tuple, Markup] = {}
        self.first_in: dict[str, dict[str, Occurrence]] = {}  # statement id -> article id -> its first occurrence

    def others(self, statement: SharedStatement, article_id: str | None) -> tuple[list[Occurrence], int]:
        if statement.id not in self.chosen:
            self.chosen[statement.id] = (showcase(statement), Counter(statement.article_ids))
        chosen, per_article = self.chosen[statement.id]
        shown = [o for o in chosen if o.article != article_id][:OTHERS_SHOWN]
        rest = len(statement.occurrences) - per_article[article_id]
        return shown, rest - len(shown)

    def first_occurrences(self, statement: SharedStatement) -> dict[str, Occurrence]:
        """Article id -> a statement's first occurrence there, in story order."""
        if statement.id not in self.first_in:
            first: dict[str, Occurrence] = {}
            for other in statement.occurrences:
                first.setdefault(other.article, other)
            self.first_in[statement.id] = first
        return self.first_in[statement.id]

    def source(self, statement: SharedStatement, occurrence: Occurrence) -> Occurrence | None:
        """Where a reused passage's source carries it; None where this occurrence is the source."""
        return self.first_occurrences(statement).get(occurrence.source) if occurrence.source else None

    def carriers(self, statement: SharedStatement, occurrence: Occurrence) -> tuple[list[Occurrence], int]:
        """A passage's first occurrences in other articles than this occurrence's and its source's:
        at most OTHERS_SHOWN, and how many more articles carry it."""
        everyone = self.first_occurrences(statement)
        shown = []
        for other in everyone.values():
            if other.article not in (occurrence.article, occurrence.source):
                shown.append(other)
                if len(shown) == OTHERS_SHOWN:
                    break
        others = len(everyone) - 1 - (occurrence.source is not None)
        return shown, others - len(shown)

    @jinja2.pass_context
    def renderings(self, context, statement: SharedStatement, article_id: str | None = None) -> Markup:
        """The list of other wordings, as HTML (the template RENDERINGS_TEMPLATE)."""
        shown, more = self.others(statement, article_id)
        key = (context["root"], statement.id, tuple(map(id, shown)), more)
        if key not in self.rendered:
            template = self.environment.get_template(RENDERINGS_TEMPLATE)
            html = template.render(
                **self.context, root=context["root"], url=context["url"], statement=statement, shown=shown, more=more
            )
            self.rendered[key] = Markup(html)
        return self.rendered[key]


def showcase(statement: SharedStatement) -> tuple[Occurrence, ...]:
    """A statement's occurrences, one of each wording first, fragments (a word or two of it)
    after whole wordings: enough to show beside any article."""
    wordings = distinct_wordings(statement.occurrences)
    first = sorted(wordings, key=lambda occurrence: occurrence.fragment)[: OTHERS_SHOWN + 1]  # a stable sort
    chosen = set(map(id, first))
    return tuple(first + [o for o in statement.occurrences if id(o) not in chosen][: OTHERS_SHOWN + 1])


@functools.cache
def wording_key(text: str) -> tuple[str, ...]:
    return word_keys(text)


LISTED_PER_OUTLET = 10  # articles named per outlet in a claim page's lists; the export has them all
LISTED_AT_MOST = 50  # articles named under one wording on a claim page
LISTED_SOURCES = 5  # sources named in an article's header; the export has them all
UNCOVERED_SHOWN = 100  # statements without a claim on the overview; the export has them all


@dataclass(frozen=True)
class OutletList:
    """Some of one outlet's articles, named, and how many more there are."""

    outlet: str
    articles: tuple[Article, ...]
    more: int


def by_outlet(articles) -> list[OutletList]:
    grouped: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        grouped[article.outlet].append(article)
    return [
        OutletList(outlet, tuple(found[:LISTED_PER_OUTLET]), max(0, len(found) - LISTED_PER_OUTLET))
        for outlet, found in grouped.items()
    ]


def not_carrying(story: Story, coverage: ClaimCoverage) -> list[OutletList]:
    """The articles that carry no part of a claim, in no version, by outlet."""
    return by_outlet(article for article, cells in zip(story.articles, coverage.cells) if not cells)


def distinct_wordings(occurrences) -> list[Occurrence]:
    """The first occurrence of each wording, in order."""
    first: dict[tuple[str, ...], Occurrence] = {}
    for occurrence in occurrences:
        first.setdefault(wording_key(occurrence.text), occurrence)
    return list(first.values())


def wordings(variants: Iterable[Variant]) -> list[tuple[Variant, list[Occurrence]]]:
    """Variants grouped by wording: one per distinct wording, with every occurrence that has it."""
    groups: dict[tuple[str, ...], tuple[Variant, list[Occurrence]]] = {}
    for variant in variants:
        groups.setdefault(wording_key(variant.occurrence.text), (variant, []))[1].append(variant.occurrence)
    return list(groups.values())
