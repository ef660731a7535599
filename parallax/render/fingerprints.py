"""What a page shows, as a fingerprint: a page whose fingerprint is the one recorded at the last
build is not rendered again, its old file is kept.

A fingerprint must change whenever the page would: a missed input leaves a page stale without a
word. So the inputs are taken with the very functions the templates call (which wordings a
note shows, where a link leads, how a speaker is named), not worked out again, and each
fingerprint starts with the code that makes the page (`PageCode`): the rendering's and the code it
runs (not the command line's, nor serve's or search's), and the templates it draws on.
`tests/test_incremental.py` checks, over random edits, that a rebuild gives what a clean build
gives.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import jinja2
import jinja2.meta

from ..cache import fingerprint, imported_modules
from ..compare import Carried
from ..load.files import read_bytes, text_of
from ..model import Occurrence, SharedStatement
from .addresses import claim_page, statement_page
from .environment import FAVICON, carrying_articles
from .showcase import wordings
from .words import rough_count, said_by

if TYPE_CHECKING:
    from ..across import Across
    from .site import StoryPages

# The code that makes pages from what the build found: the rendering's, and all it runs.
RENDERING = imported_modules(*sorted(Path(__file__).parent.glob("*.py")))


class StoryRecord(NamedTuple):
    fingerprint: str  # of all the story's pages show (story_inputs)
    pages: list[str]  # the paths of the files it made


@dataclasses.dataclass(frozen=True)
class PageRecord:
    """What the last build's pages were made from, kept with the site for the next build: each
    story's fingerprint and the pages it made; the fingerprint of all a page shows, for article
    pages and pages across stories; of what search indexes, for the pages of articles, claims,
    outlets and speakers; in how many
    articles each claim and part was found, which the next build warns of where it finds fewer;
    where each story's part of the large data files lies, which the next copies where kept; and
    the code each kind of a story's pages was made with, the same for every story."""

    stories: dict[str, StoryRecord]  # by story id
    pages: dict[str, str]  # by the page's path
    searched: dict[str, str]  # by the page's path
    carried_by: dict[str, int]  # by claim and part id (a claim of one part has the part's)
    exported: dict[str, dict[str, list[int]]]  # where each story's part of the large data files lies (export.Exported)
    story_code: dict[str, str]  # by kind of a story's files (render.site.STORY_PARTS), those made with templates

    @classmethod
    def read(cls, data: bytes | None) -> PageRecord:
        """The record as written by `dumped`; an empty one if there is none, or another kind."""
        try:
            record = json.loads(data or b"{}")
            stories, *others = (dict(record.get(name, {})) for name in RECORD_KEYS)
            return cls({story: StoryRecord(*made) for story, made in stories.items()}, *others)
        except (ValueError, AttributeError, TypeError):
            return cls({}, {}, {}, {}, {}, {})

    def dumped(self) -> bytes:
        # Its fields as they are (a StoryRecord is written as a list): `dataclasses.asdict` would
        # copy every entry first, a large archive's hundred thousand.
        return json.dumps({name: getattr(self, name) for name in RECORD_KEYS}, sort_keys=True).encode("utf-8")


RECORD_KEYS = [field.name for field in dataclasses.fields(PageRecord)]


class PageCode:
    """What makes each kind of page from its inputs, as a fingerprint: the code that renders, and
    the files of the templates folder a page draws on: its template, the templates that one
    extends, includes or imports, theirs in turn (every file, where one names another by a value
    known only as it renders), the partials the code renders into any page (`fragments`), and
    the icon, which every page carries. An edited template renders again only the pages drawing
    on it; the stylesheet and the scripts, which no page carries, none (the 404 page, which
    carries the stylesheet, is made at every build). `Pages.render` checks, as it renders a
    page, that it drew on no other template.

    A template is read when a page draws on it: one that is not UTF-8 text is named here, before
    Jinja reads it. The site, or a folder a build makes beside it, may lie in the templates folder
    (`made_by_build`): none of its files is a template."""

    def __init__(
        self,
        templates: Path,
        environment: jinja2.Environment,
        fragments: tuple[str, ...],
        made_by_build: Callable[[str], bool],
    ):
        code = b"\x00".join(path.read_bytes() for path in RENDERING)
        self.package = hashlib.blake2b(code, digest_size=16).hexdigest()  # a story's fingerprint starts with it
        self.folder, self.environment, self.fragments = templates, environment, fragments
        self.files = template_files(templates, made_by_build)
        self.sources: dict[str, bytes] = {}
        # The templates each names, None for one named by a value; most as the last build kept them (render_site).
        self.named: dict[str, list[str | None]] = {}
        self.closures: dict[tuple[str, ...], set[str]] = {}
        self.codes: dict[tuple[str, ...], str] = {}

    def closure(self, *templates: str) -> set[str]:
        """The files of the templates folder pages rendered with these templates draw on."""
        if templates in self.closures:
            return self.closures[templates]
        drawn_on: set[str] = set()
        waiting: list[str | None] = [*templates, *self.fragments]
        while waiting:
            name = waiting.pop()
            if name is None:
                drawn_on = set(self.files)
                break
            if name in drawn_on or name not in self.files:
                continue  # a template named but missing fails its page as it renders
            drawn_on.add(name)
            waiting += self.names(name)
        self.closures[templates] = drawn_on
        return drawn_on

    def source(self, name: str) -> bytes:
        if name not in self.sources:
            self.sources[name] = read_bytes(self.folder / name)
        return self.sources[name]

    def names(self, template: str) -> list[str | None]:
        if template not in self.named:
            path = self.folder / template
            parsed = self.environment.parse(text_of(self.source(template), path), template, str(path))
            self.named[template] = list(jinja2.meta.find_referenced_templates(parsed))
        return self.named[template]

    def of(self, *templates: str) -> str:
        """The fingerprint of what makes pages rendered with these templates."""
        if templates not in self.codes:
            drawn_on = sorted(self.closure(*templates) | ({FAVICON} & self.files))
            parts = [self.package.encode(), *(f"{name}\x00".encode() + self.source(name) for name in drawn_on)]
            self.codes[templates] = hashlib.blake2b(b"\x00".join(parts), digest_size=16).hexdigest()
        return self.codes[templates]


def template_files(templates: Path, made_by_build: Callable[[str], bool]) -> set[str]:
    """The files of the templates folder, by their names in it (as Jinja names them), but those
    of the site and of the folders a build makes beside it: `made_by_build` tells them, by their
    paths resolved."""
    top = os.fspath(templates.resolve())
    found: set[str] = set()
    for folder, subfolders, files in os.walk(top):
        subfolders[:] = [name for name in subfolders if not made_by_build(os.path.join(folder, name))]
        found.update(os.path.relpath(os.path.join(folder, name), top).replace(os.sep, "/") for name in files)
    return found


def story_inputs(story: StoryPages, code: str, found: Across) -> str:
    """Everything a story's pages show: the story, the archive's settings, its claims' speakers
    and their words in other stories (with those stories' titles and those claims' speakers,
    which its claims' pages name)."""
    archive, comparison = story.archive, story.comparison
    return fingerprint(
        code,
        (
            comparison.story.digest,
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


class ArticleFingerprint(NamedTuple):
    shown: str  # of everything the page shows
    searched: str  # of what search indexes of it


class ArticleFingerprints:
    """The fingerprints of a story's article pages.

    Most pages carrying a statement name the same other wordings beside it: each such list is
    taken once, and stands in its pages' fingerprints as a fingerprint of its own."""

    def __init__(self, story: StoryPages, code: str):
        self.story, self.code = story, code
        # Made here, before the processes that take the fingerprints are forked, not by each of them.
        self.places = story.places
        self.lists: dict[tuple, str] = {}

    def of(self, position: int) -> ArticleFingerprint:
        """The fingerprints of the page of the article at this position in its story."""
        return ArticleFingerprint(self.shown(position), self.searched(position))

    def searched(self, position: int) -> str:
        """What search indexes of the page (article.html's element marked `data-pagefind-body`,
        but what it marks `data-pagefind-ignore`): its story, the article, and where each
        statement and passage it carries stands, marked and anchored; not its notes."""
        story = self.story
        summary = story.comparison.summaries[position]
        carried = [*summary.carried, *summary.passages]
        return fingerprint(
            self.code,
            (
                story.archive.many,
                story.comparison.story.id,
                story.comparison.story.title,
                summary.article,
                [(c.occurrence, self.places.all_anchors(c.statement, c.occurrence)) for c in carried],
            ),
        )

    def shown(self, position: int) -> str:
        """Everything the page shows: the archive's settings, its story, the article, its counts
        and sources, and each statement and passage it carries as its notes show them (where
        each links, which other wordings and outlets are named, and how many more)."""
        story = self.story
        archive, places, showcase = story.archive, self.places, story.showcase
        summary = story.comparison.summaries[position]
        article = summary.article

        def statement_shown(carried: Carried) -> tuple:
            statement = carried.statement
            claim = statement.claim
            return (
                carried.occurrence,
                places.all_anchors(statement, carried.occurrence),
                statement.id,
                statement.kind,
                statement.is_shared,
                (statement_page(statement), statement.part.statement, said_by(archive, claim))
                if claim and statement.part
                else None,
                self.named_list(statement, *showcase.others(statement, article.id)),
            )

        def passage_shown(carried: Carried) -> tuple:
            statement, occurrence = carried.statement, carried.occurrence
            source = showcase.source(statement, occurrence)
            return (
                occurrence,
                places.all_anchors(statement, occurrence),
                self.named_list(statement, [source] if source else [], 0),
                self.named_list(statement, *showcase.carriers(statement, occurrence)),
            )

        return fingerprint(
            self.code,
            (
                archive.settings,
                archive.many,
                story.comparison.story.id,
                story.comparison.story.title,
                article,
                summary.shared_statements,
                summary.shared_share,
                summary.reuse,
                [self.named(source.source) for source in summary.reuse.sources],
                [statement_shown(carried) for carried in summary.carried],
                [passage_shown(carried) for carried in summary.passages],
            ),
        )

    def named_list(self, statement: SharedStatement, shown: list[Occurrence], more: int) -> str:
        """Other articles' occurrences as a note names them (each its link, its words and its
        article), and how many more, as a fingerprint."""
        key = (statement.id, tuple((o.article, o.start, o.end) for o in shown), rough_count(more))
        if key not in self.lists:
            places = self.places
            named = [(places.link(statement, o), o.text, self.named(o.article)) for o in shown]
            self.lists[key] = fingerprint(self.code, (named, key[-1]))
        return self.lists[key]

    def named(self, article_id: str) -> tuple:
        other = self.story.archive.article(article_id)
        return (other.id, other.outlet, other.published, other.language)


def claims_searched(story: StoryPages, code: str) -> dict[str, str]:
    """What search indexes of each of the story's claims' pages (claim.html's element marked
    `data-pagefind-body`, but what it marks `data-pagefind-ignore`), as a fingerprint, by path:
    the archive's settings, the story's title, the claim and its speaker, the outlets and
    languages of the articles carrying it (search's filters), and each part's wordings as the
    page shows them. Not the articles' titles, dates and lineage in its lists, which change with
    every article corrected or added."""
    archive, comparison = story.archive, story.comparison
    found = {}
    for coverage in comparison.claims:
        claim = coverage.claim
        shown = [
            [
                (variant.differences, archive.article(variant.occurrence.article).language)
                for variant, _ in wordings(comparison.variants[row.statement.id])
            ]
            if row.statement
            else None
            for row in coverage.rows
        ]
        carrying = [(article.outlet, article.language) for article in carrying_articles(archive, coverage)]
        about = (archive.settings, comparison.story.title, claim, archive.speaker(claim), said_by(archive, claim))
        found[claim_page(claim.id)] = fingerprint(code, (about, carrying, shown))
    return found
