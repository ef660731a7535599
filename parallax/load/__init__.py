"""Stage 1: read `articles/*.md` and `claims.yaml`, validate them, and return an `Archive`.

Every problem is collected with its file and line, so that one run reports all of them.

files: a file's text, and an article's front matter cut from its body; yaml_lines: YAML that
remembers its lines, and its errors in plain words; fields: the checks each field passes;
articles: one Markdown file per article, its body made text and blocks; claims: the story and
its claims, from `claims.yaml`.
"""

from __future__ import annotations

from pathlib import Path

from ..model import Archive, ArchiveError, ArchiveErrors
from .articles import ARTICLE_SCHEMA, BodyConverter, article_files, html_blocks, load_articles
from .claims import load_claims
from .fields import ID_PATTERN, read_fields, slugify
from .files import read_text
from .yaml_lines import Mapping, parse_yaml

__all__ = [
    "ARTICLE_SCHEMA",
    "ID_PATTERN",
    "BodyConverter",
    "Mapping",
    "html_blocks",
    "load_archive",
    "parse_yaml",
    "read_fields",
    "read_text",
    "slugify",
]


def load_archive(root: Path, jobs: int = 1) -> Archive:
    """Load and validate the archive in `root`; raise `ArchiveErrors` listing every problem.

    `jobs`: how many processes may read the articles."""
    errors: list[ArchiveError] = []
    warnings: list[str] = []
    articles = load_articles(root / "articles", errors, warnings, jobs)
    story, claims = load_claims(root / "claims.yaml", errors, warnings)
    known = {path.stem for path in article_files(root / "articles")}  # loaded or not
    for claim in claims:
        for article_id in claim.articles:
            if article_id not in known:
                errors.append(
                    ArchiveError(
                        root / "claims.yaml", f"claim '{claim.id}' names an unknown article '{article_id}'", claim.line
                    )
                )
    if errors:
        raise ArchiveErrors(errors)
    return Archive(story=story, articles=articles, claims=claims, warnings=tuple(warnings))
