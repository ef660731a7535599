"""The data that flows between the stages: plain frozen dataclasses, nothing else.

load -> Archive (Settings, Speaker, Story), Article, Claim
extract -> Quotation
match -> Occurrence, SharedStatement
reuse -> Reuse (passages as SharedStatement, Derivation)
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
from dataclasses import dataclass
from pathlib import Path

from .cache import fingerprint


class ArchiveError(Exception):
    """Bad input: what is wrong and where, printable as one line."""

    def __init__(self, path: Path | str, message: str, line: int | None = None):
        super().__init__(message)
        self.path = Path(path)
        self.line = line
        self.message = message

    def __reduce__(self):  # so that an error found by a worker process comes back whole
        return ArchiveError, (self.path, self.message, self.line)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        return f"{where}: {self.message}"

    def sort_key(self) -> tuple[str, int]:
        return (str(self.path), self.line or 0)


class ArchiveErrors(Exception):
    """Every error found in one pass, so the curator can fix them all at once."""

    def __init__(self, errors: list[ArchiveError]):
        self.errors = sorted(errors, key=ArchiveError.sort_key)
        super().__init__("\n".join(str(error) for error in self.errors))


@dataclass(frozen=True)
class Settings:
    """What holds for the whole archive: from `archive.yaml`, or, in an archive of one story,
    from its story's own fields."""

    title: str
    description: str | None
    url: str | None  # where the site is published, for addresses that must be absolute
    licence: str | None = None  # the terms on which the archive's data may be used


@dataclass(frozen=True)
class Role:
    """A role a speaker held, over the dates known: a spokesman, a minister."""

    title: str
    since: datetime.date | None
    until: datetime.date | None  # None: still held, as far as the curator knows

    def held_on(self, day: datetime.date) -> bool:
        return (self.since is None or self.since <= day) and (self.until is None or day <= self.until)


@dataclass(frozen=True)
class Speaker:
    """Who makes statements, across stories: declared in `speakers.yaml`, or known only by the
    name a claim gives (then its id is that name's slug, and it has no roles)."""

    id: str
    name: str
    names: tuple[str, ...]  # other names claims call it by
    roles: tuple[Role, ...]
    line: int | None  # where it is declared in speakers.yaml

    def roles_on(self, day: datetime.date | None) -> tuple[Role, ...]:
        """The roles held on that day; every role where the day is unknown."""
        return self.roles if day is None else tuple(role for role in self.roles if role.held_on(day))


@dataclass(frozen=True)
class Block:
    """A paragraph or heading of an article body, as a slice of `Article.text`."""

    kind: str  # "p", or "h2" .. "h6" for subheads
    start: int
    end: int
    line: int  # where it starts in the Markdown file


@dataclass(frozen=True)
class Article:
    id: str
    path: Path
    outlet: str
    published: datetime.date
    language: str
    title: str | None
    author: str | None
    url: str | None
    translated_from: str | None
    via: str | None
    capture: Path | None
    edits: tuple[str, ...]
    notes: str | None
    text: str  # the body as plain text, blocks separated by a blank line
    blocks: tuple[Block, ...]
    # The time of publication with its offset from UTC, where the front matter gives one.
    published_at: datetime.datetime | None = None
    # A digest of the capture's bytes, where it has one: the text the site publishes of it is
    # made again only where this changed (a saved page's takes milliseconds to read out).
    capture_digest: str = ""

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        return f"Untitled article ({self.author})" if self.author else "Untitled article"


@dataclass(frozen=True)
class Version:
    """One rendering of a whole statement: the speaker's own words, a translation, a retranslation."""

    id: str  # unique within its claim
    origin: str | None  # where it comes from, in the curator's words: "the ministry's English statement"
    language: str | None
    translated_from: str | None  # the id of the version it was translated from, if it is in the claim


@dataclass(frozen=True)
class Part:
    """One sentence of a claim, in each version the curator has found: what matching looks for.

    A claim of one sentence is one part, with the claim's id."""

    id: str  # unique across the archive, like a claim's id: articles mark its places with it
    claim: str  # the id of the claim it belongs to
    statement: str  # its words in the claim's first version
    versions: tuple[tuple[str, str], ...]  # (version id, its words), the first version's first
    renderings: tuple[str, ...]  # other wordings outlets use, in no particular version
    aliases: tuple[str, ...]  # ids it had before (a claim of its own, merged into this one): they keep working
    line: int  # where it starts in claims.yaml

    @property
    def wordings(self) -> tuple[str, ...]:
        return (*(words for _, words in self.versions), *self.renderings)


@dataclass(frozen=True)
class Claim:
    """A statement worth tracking, whole: one or more parts, in one or more versions."""

    id: str
    speaker: str
    channel: str
    kind: str  # one of CLAIM_KINDS
    date: datetime.date | None
    parts: tuple[Part, ...]
    versions: tuple[Version, ...]  # at least one; the first is the one `statement` is in
    aliases: tuple[str, ...]  # ids the claim had before: their pages lead to this one
    articles: tuple[str, ...]  # the articles the curator has seen it in, to be checked
    notes: str | None
    line: int  # where it starts in claims.yaml

    @property
    def statement(self) -> str:
        """The whole statement in its first version."""
        return " ".join(part.statement for part in self.parts)

    @property
    def names(self) -> tuple[str, ...]:
        """Every id it answers to: its own and its parts', and their former ids."""
        return (self.id, *self.aliases, *(name for part in self.parts for name in (part.id, *part.aliases)))

    @property
    def has_parts(self) -> bool:
        return len(self.parts) > 1

    def version(self, version_id: str) -> Version:
        return next(version for version in self.versions if version.id == version_id)


# The one version of a claim that declares none: its statement, as curated.
AS_CURATED = Version(id="statement", origin=None, language=None, translated_from=None)


# A paraphrase is matched and grouped as a passage is; only its name differs, on its page and in the export.
CLAIM_KINDS = ("quote", "passage", "paraphrase")


@dataclass(frozen=True)
class Story:
    """One event and its coverage: the articles on it and the claims made in it, matched on
    their own (articles of different stories are never compared)."""

    id: str  # its folder's name in stories/; in an archive of one story, its title's slug
    title: str
    summary: str | None
    folder: Path  # where its articles/ and claims.yaml are
    articles: tuple[Article, ...]  # sorted by publication date, then id
    claims: tuple[Claim, ...]  # in the order of claims.yaml

    def article(self, article_id: str) -> Article:
        return self.by_id[article_id]

    @functools.cached_property
    def by_id(self) -> dict[str, Article]:
        return {article.id: article for article in self.articles}

    @functools.cached_property
    def digest(self) -> str:
        """A fingerprint of the whole story, taken once a build: its comparison is kept under
        it (cache.story_key) and its pages' fingerprint starts from it (render.fingerprints).
        Of its fields only: the values cached on it as a build reads them (`by_id`) would be
        written too, and the fingerprint change with what was read first."""
        return fingerprint("story", [getattr(self, field.name) for field in dataclasses.fields(self)])

    @property
    def date(self) -> datetime.date:
        """When it happened, as far as its coverage tells: its first article's day."""
        return self.articles[0].published

    @property
    def claims_file(self) -> Path:
        return self.folder / "claims.yaml"


@dataclass(frozen=True)
class Archive:
    """Every story, and what holds across them: the settings, and the speakers."""

    settings: Settings
    stories: tuple[Story, ...]  # newest first, then by id
    speakers: tuple[Speaker, ...]  # declared first, in the order of speakers.yaml; then by id
    many: bool  # stories in stories/<id>/; False: one story at the top, at today's addresses
    warnings: tuple[str, ...] = ()  # doubts about the input that do not stop a build: "FILE:LINE: ..."
    speaker_of: dict[str, Speaker] = dataclasses.field(default_factory=dict)  # each claim's, by claim id

    def speaker(self, claim: Claim) -> Speaker:
        return self.speaker_of[claim.id]

    @functools.cached_property
    def claims(self) -> tuple[Claim, ...]:
        """Every story's, in the archive's order: taken once, asked for often."""
        return tuple(claim for story in self.stories for claim in story.claims)

    @functools.cached_property
    def articles(self) -> tuple[Article, ...]:
        """Every story's, by publication date, then id."""
        return tuple(sorted((a for story in self.stories for a in story.articles), key=lambda a: (a.published, a.id)))

    def article(self, article_id: str) -> Article:
        return self.by_id[article_id]

    @functools.cached_property
    def by_id(self) -> dict[str, Article]:
        return {article.id: article for story in self.stories for article in story.articles}

    def story(self, story_id: str) -> Story:
        return next(story for story in self.stories if story.id == story_id)


@dataclass(frozen=True)
class Quotation:
    """Words an article puts between quotation marks (the marks themselves excluded)."""

    article: str
    start: int
    end: int
    text: str  # article.text[start:end], an interrupting attribution included
    parts: tuple[tuple[int, int], ...]  # the quoted stretches: more than one where interrupted


@dataclass(frozen=True)
class Occurrence:
    """Where one shared statement stands in one article."""

    article: str
    start: int
    end: int
    text: str  # exactly article.text[start:end]
    score: float  # 0-100: how closely it matches the statement
    # Reused copy only: the spans of its words that are its source's own, and of those that stand
    # for other words of the source; and the article it was aligned with as its source.
    verbatim: tuple[tuple[int, int], ...] = ()
    rewritten: tuple[tuple[int, int], ...] = ()
    source: str | None = None
    # A word or two of the statement quoted in a sentence that points to it ("calling it an
    # “obscene step”"): found after matching, and never the reason two statements are joined.
    fragment: bool = False


@dataclass(frozen=True)
class SharedStatement:
    """One statement and every article that carries it: two or more, unless it is a claim."""

    id: str
    claim: Claim | None  # None: shared, but no claim covers it yet
    part: Part | None  # the part of the claim it is; None where no claim covers it
    kind: str  # "quote" or "passage"
    occurrences: tuple[Occurrence, ...]  # sorted by article order in the archive
    # The ids it had before a claim covered it: its places keep answering to them.
    aliases: tuple[str, ...] = ()

    # Computed once: pages ask for these thousands of times in a large archive.
    @functools.cached_property
    def article_ids(self) -> tuple[str, ...]:
        return tuple(occurrence.article for occurrence in self.occurrences)

    @functools.cached_property
    def is_shared(self) -> bool:
        return len(set(self.article_ids)) >= 2


@dataclass(frozen=True)
class Derivation:
    """How much of one article comes from another one (`source`), published no later."""

    source: str
    share: float  # of its words, those in passages reused from the source: verbatim or rewritten
    verbatim_share: float  # of its words, those verbatim
    vocabulary: float  # of its distinct words, those the source has too
    score: float  # the mean of share and vocabulary, which sets the label
    label: str  # "wholly", "partially" or "not" derived


@dataclass(frozen=True)
class ArticleReuse:
    """How much of one article is copy reused from articles published no later."""

    share: float  # of its words, those reused from any of them: verbatim or rewritten
    verbatim_share: float  # of its words, those verbatim
    sources: tuple[Derivation, ...]  # one per article it was aligned with, strongest first

    @property
    def label(self) -> str:
        """Wholly, partially or not derived: from the source it takes most from."""
        return self.sources[0].label if self.sources else "not"


@dataclass(frozen=True)
class Reuse:
    """Copy that articles reuse from each other: the passages, and what each article reuses."""

    passages: tuple[SharedStatement, ...]  # kind "passage", in archive order of their first occurrence
    articles: dict[str, ArticleReuse]  # by article id
