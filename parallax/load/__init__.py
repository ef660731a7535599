"""Stage 1: read the archive (its stories' `articles/*.md` and `claims.yaml`, and the optional
`archive.yaml` and `speakers.yaml`), validate it, and return an `Archive`.

Every problem is collected with its file and line, so that one run reports all of them.

An archive is one story (`articles/` and `claims.yaml` at the top) or many, each in a folder of
`stories/` shaped like an archive of one story, so that a story moves in or out by moving its
folder. Article ids and claim ids are unique across the archive: they are pages' addresses.

files: a file's text, and an article's front matter cut from its body; yaml_lines: YAML that
remembers its lines, and its errors in plain words; fields: the checks each field passes;
articles: one Markdown file per article, its body made text and blocks; claims: a story's heading
and claims, from `claims.yaml`; settings: `archive.yaml`; speakers: `speakers.yaml`.
"""

from __future__ import annotations

from pathlib import Path

from ..cache import Cache
from ..model import Archive, ArchiveError, ArchiveErrors, Claim, Story
from .articles import ARTICLE_SCHEMA, BodyConverter, article_files, html_blocks, load_articles
from .claims import Addresses, load_claims
from .fields import ID_PATTERN, RESERVED_IDS, read_fields, slugify
from .files import read_text
from .settings import load_settings
from .speakers import load_speakers, speakers_of
from .yaml_lines import Mapping, parse_yaml

__all__ = [
    "ARTICLE_SCHEMA",
    "ID_PATTERN",
    "STORIES",
    "BodyConverter",
    "Mapping",
    "html_blocks",
    "load_archive",
    "parse_yaml",
    "read_fields",
    "read_text",
    "slugify",
    "story_folders",
]

STORIES = "stories"


def story_folders(root: Path) -> list[Path]:
    """The folder of each story: `stories/*/` in an archive of many, else the archive's own."""
    if not (root / STORIES).is_dir():
        return [root]
    return sorted(path for path in (root / STORIES).iterdir() if path.is_dir() and not path.name.startswith("."))


def load_archive(root: Path, jobs: int = 1, cache: Cache | None = None) -> Archive:
    """Load and validate the archive in `root`; raise `ArchiveErrors` listing every problem.

    `jobs`: how many processes may read the articles; `cache`: the articles and claims read at the last build."""
    errors: list[ArchiveError] = []
    warnings: list[str] = []
    cache = cache or Cache()
    many = (root / STORIES).is_dir()
    folders = story_folders(root)
    if many:
        check_layout(root, folders, errors)
    article_folders = [folder / "articles" for folder in folders]
    # Each folder listed once: a large archive's thousands of files are slow to list.
    listed = [article_files(folder) if folder.is_dir() else [] for folder in article_folders]
    articles = load_articles(article_folders, listed, errors, warnings, jobs, cache)
    addresses = Addresses(errors)
    headings, claims = [], []
    for folder in folders:
        heading, story_claims = load_claims(folder / "claims.yaml", errors, warnings, addresses, cache)
        headings.append(heading)
        claims.append(story_claims)
    settings = load_settings(root / "archive.yaml", headings if not many else [], errors)
    check_article_ids(listed, errors)
    stories = []
    for folder, files, heading, story_articles, story_claims in zip(
        folders, listed, headings, articles, claims, strict=True
    ):
        check_claimed_articles(folder, files, story_claims, errors)
        if many and (heading.url or heading.licence):
            warnings.append(
                f"{folder / 'claims.yaml'}: a story's url and licence are the archive's: set them in archive.yaml"
            )
        story_id = folder.name if many else slugify(heading.title, 8) or "story"
        stories.append(Story(story_id, heading.title, heading.summary, folder, story_articles, story_claims))
    declared = load_speakers(root / "speakers.yaml", errors)
    if errors:
        raise ArchiveErrors(errors)
    speakers, speaker_of = speakers_of([c for story in stories for c in story.claims], declared)
    newest_first = sorted(stories, key=lambda story: story.id)
    newest_first.sort(key=lambda story: story.date, reverse=True)
    return Archive(settings, tuple(newest_first), speakers, many, tuple(warnings), speaker_of)


def check_layout(root: Path, folders: list[Path], errors: list[ArchiveError]) -> None:
    """An archive of many stories keeps every article in a story's folder, each named as its address will be."""
    for stray in ("articles", "claims.yaml"):
        if (root / stray).exists():
            errors.append(
                ArchiveError(
                    root / stray, f"an archive with {STORIES}/ keeps its stories there: move this into a story's folder"
                )
            )
    if not folders:
        errors.append(
            ArchiveError(root / STORIES, "no stories: add a folder per story, with articles/ and claims.yaml")
        )
    for folder in folders:
        if not ID_PATTERN.match(folder.name) or folder.name in RESERVED_IDS:
            errors.append(
                ArchiveError(
                    folder,
                    f"a story's folder is its address: name it in lower-case letters and digits joined by hyphens, e.g. {slugify(folder.name) or 'the-story'}",
                )
            )


def check_article_ids(listed: list[list[Path]], errors: list[ArchiveError]) -> None:
    """An article's id is its page's address: two stories cannot both have one (`listed`: each
    story's article files)."""
    first: dict[str, Path] = {}
    for files in listed:
        for path in files:
            if path.stem in first:
                errors.append(
                    ArchiveError(path, f"article id '{path.stem}' is taken by {first[path.stem]}: rename one of them")
                )
            first.setdefault(path.stem, path)


def check_claimed_articles(
    folder: Path, files: list[Path], claims: tuple[Claim, ...], errors: list[ArchiveError]
) -> None:
    """The articles a claim lists are its story's own (`files`: its article files, loaded or not)."""
    known = {path.stem for path in files}
    for claim in claims:
        for article_id in claim.articles:
            if article_id not in known:
                errors.append(
                    ArchiveError(
                        folder / "claims.yaml",
                        f"claim '{claim.id}' names an unknown article '{article_id}'",
                        claim.line,
                    )
                )
