"""Stage 3: find the statements that articles share, and where each claim stands.

1. Every article is cut into units: sentences, and the quotations within them (`extract`).
2. An index of word pairs (shingles) proposes candidate pairs of units from different
   articles; only units that share rare word pairs are ever compared, so the work grows with
   the number of units, not with its square.
3. Each candidate pair is scored with rapidfuzz. Units of similar length are compared whole;
   a shorter unit is looked for inside a longer one, so that a quoted fragment joins the
   quotation it comes from. Each claim is located in each article the same way.
4. Links join places into groups, strongest first; a group never takes two claims, so two
   similar statements that are both curated stay apart.

Scores are similarities from 0 to 100 on folded text: lower case, and every character that is
not a letter or digit read as a space, so quote marks, punctuation and number formats
("1,400" / "1400") weigh little.

Modules: thresholds, spans (folded text and spans), index (units and candidate pairs),
links (scores and the links they give), group (groups and their occurrences).
"""

from __future__ import annotations

from ..cache import Cache
from ..extract import Unit
from ..model import Occurrence, SharedStatement, Story
from .fragments import with_fragments
from .group import Groups, representatives, settle, unique_id
from .index import Wording, all_units
from .links import item_links, no_progress, order_key, same_place_links
from .spans import QUOTED, WORD, Place, fold


def shared_statements(
    story: Story, cache: Cache | None = None, progress=no_progress, jobs: int = 1
) -> list[SharedStatement]:
    """Every statement found in two or more articles, curated claims first, then the rest.

    A claim found in only one article is kept too, so that the site can show the curator where.
    `cache` keeps the expensive results between builds (see cache.py); `progress` wraps the
    longest loop, to show a progress bar; `jobs` is how many processes may cut articles into units.
    """
    cache = cache or Cache()
    texts = {article.id: article.text for article in story.articles}
    items: list[Unit | Wording] = [
        unit for article_units in all_units(story.articles, cache, jobs) for unit in article_units
    ]
    items += [Wording(part, wording) for claim in story.claims for part in claim.parts for wording in part.wordings]
    links = item_links(items, cache, progress)
    places = {place for link in links for place in (link.a, link.b) if isinstance(place, Place)}
    links += same_place_links(places)
    groups = Groups()
    for link in sorted(
        links, key=lambda link: (not link.same_place, -link.strength, order_key(link.a), order_key(link.b))
    ):
        groups.join(link.a, link.b, link.score, same=link.same_place)
    order = {article.id: index for index, article in enumerate(story.articles)}
    ranks: dict[Occurrence, int] = {}
    claimed, found = [], []
    for part, members in groups.groups():
        occurrences = representatives(members, groups.scores, texts, ranks)
        if part is not None:
            claimed.append((part, occurrences))
        elif is_shared(occurrences):
            found.append(occurrences)
    found = settle(found, [occurrences for _, occurrences in claimed])
    for group in found + [occurrences for _, occurrences in claimed]:
        group.sort(key=lambda item: (order[item.article], item.start))
    by_part = dict(claimed)
    taken = {name for claim in story.claims for name in claim.names}
    found.sort(key=lambda group: [(order[item.article], item.start) for item in group])
    uncovered = [
        SharedStatement(
            id=discovered_id(group, ranks, taken),
            claim=None,
            part=None,
            kind=discovered_kind(group, ranks),
            occurrences=tuple(group),
        )
        for group in found
    ]
    # A part keeps, as aliases, its former ids and the id its group had before a claim covered
    # it, so that the addresses given out then go on working.
    claimed_statements = [
        SharedStatement(
            id=part.id,
            claim=claim,
            part=part,
            kind="quote" if claim.kind == "quote" else "passage",
            occurrences=tuple(by_part[part]),
            aliases=(
                *part.aliases,
                *((discovered_id(by_part[part], ranks, taken),) if is_shared(by_part[part]) else ()),
            ),
        )
        for claim in story.claims
        for part in claim.parts
        if part in by_part
    ]
    return with_fragments(story, claimed_statements + uncovered)


def is_shared(group: list[Occurrence]) -> bool:
    return len({o.article for o in group}) >= 2


def discovered_kind(group: list[Occurrence], ranks: dict[Occurrence, int]) -> str:
    return "quote" if any(ranks[item] == QUOTED for item in group) else "passage"


def discovered_id(group: list[Occurrence], ranks: dict[Occurrence, int], taken: set[str]) -> str:
    """A statement's id when no claim covers it: its kind and the first words of its first occurrence."""
    first_words = WORD.findall(fold(group[0].text))[:6]
    return unique_id(f"{discovered_kind(group, ranks)}-" + "-".join(first_words), taken)
