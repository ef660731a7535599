"""What a page shows, as a fingerprint: a page whose fingerprint is the one recorded at the last
build is not rendered again, its old file is kept.

A fingerprint must change whenever the page would: a missed input leaves a page stale without a
word. So the inputs are taken with the very functions the templates call (which wordings a
note shows, where a link leads, how a speaker is named), not worked out again, and each
fingerprint starts with `page_code`, which changes with any of the code or templates.
`tests/test_incremental.py` checks, over random edits, that a rebuild gives what a clean build
gives.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..compare import Carried
from ..model import Occurrence, SharedStatement
from .addresses import statement_page
from .words import rough_count, said_by

if TYPE_CHECKING:
    from ..across import Across
    from .site import StoryPages


@dataclass(frozen=True)
class PageRecord:
    """What the last build's pages were made from, kept with the site for the next build: each
    story's fingerprint and the pages it made, and each article page's fingerprint."""

    stories: dict[str, list[str]]
    articles: dict[str, str]  # by the page's path

    @classmethod
    def read(cls, data: bytes | None) -> PageRecord:
        """The record as written by `dumped`; an empty one if there is none, or another kind."""
        try:
            record = json.loads(data or b"{}")
            return cls(dict(record.get("stories", {})), dict(record.get("articles", {})))
        except (ValueError, AttributeError, TypeError):
            return cls({}, {})

    def dumped(self) -> bytes:
        return json.dumps({"stories": self.stories, "articles": self.articles}, sort_keys=True).encode("utf-8")


def page_code(templates: Path) -> str:
    """A fingerprint of what makes pages from their inputs: this package's code and the templates."""
    package = Path(__file__).parent.parent
    parts = [path.read_bytes() for path in sorted(package.rglob("*.py"))]
    parts += [path.read_bytes() for path in sorted(templates.rglob("*")) if path.is_file()]
    return hashlib.blake2b(b"\x00".join(parts), digest_size=16).hexdigest()


def fingerprint(code: str, shown: object) -> str:
    return hashlib.blake2b(f"{code}\x1f{shown!r}".encode(), digest_size=16).hexdigest()


def story_inputs(story: StoryPages, code: str, found: Across) -> str:
    """Everything a story's pages show: the story, the archive's settings, its claims' speakers
    and their words in other stories (with those stories' titles and those claims' speakers,
    which its claims' pages name)."""
    archive, comparison = story.archive, story.comparison
    return fingerprint(
        code,
        (
            comparison.story,
            archive.settings,
            archive.many,
            [archive.speaker(claim) for claim in comparison.story.claims],
            [
                [
                    (recurrence, archive.story(recurrence.story).title, archive.speaker(recurrence.claim))
                    for recurrence in found.recurrences.get(claim.id, ())
                ]
                for claim in comparison.story.claims
            ],
        ),
    )


def article_inputs(story: StoryPages, position: int, code: str) -> str:
    """Everything the page of the article at this position in its story shows: the archive's
    settings, its story's title, the article, its counts and sources, and each statement and
    passage it carries as its notes show them (where each links, which other wordings and
    outlets are named, and how many more)."""
    archive, places, showcase = story.archive, story.places, story.showcase
    summary = story.comparison.summaries[position]
    article = summary.article

    def named(article_id: str) -> tuple:
        other = archive.article(article_id)
        return (other.id, other.outlet, other.published, other.language)

    def at(statement: SharedStatement, occurrence: Occurrence | None) -> tuple | None:
        """An occurrence as a note names it: its link, its words and its article."""
        if occurrence is None:
            return None
        return (places.link(statement, occurrence), occurrence.text, named(occurrence.article))

    def statement_shown(carried: Carried) -> tuple:
        statement = carried.statement
        claim = statement.claim
        shown, more = showcase.others(statement, article.id)
        return (
            carried.occurrence,
            places.all_anchors(statement, carried.occurrence),
            statement.id,
            statement.kind,
            statement.is_shared,
            (statement_page(statement), statement.part.statement, said_by(archive, claim))
            if claim and statement.part
            else None,
            [at(statement, other) for other in shown],
            rough_count(more),
        )

    def passage_shown(carried: Carried) -> tuple:
        statement, occurrence = carried.statement, carried.occurrence
        others, more = showcase.carriers(statement, occurrence)
        return (
            occurrence,
            places.all_anchors(statement, occurrence),
            at(statement, showcase.source(statement, occurrence)),
            [at(statement, other) for other in others],
            rough_count(more),
        )

    return fingerprint(
        code,
        (
            archive.settings,
            archive.many,
            story.comparison.story.id,
            story.comparison.story.title,
            article,
            summary.shared_statements,
            summary.shared_share,
            summary.reuse,
            [named(source.source) for source in summary.reuse.sources],
            [statement_shown(carried) for carried in summary.carried],
            [passage_shown(carried) for carried in summary.passages],
        ),
    )
