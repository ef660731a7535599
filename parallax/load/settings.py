"""`archive.yaml`: what holds for the whole archive (its title, description, address, licence).

Optional: an archive of one story takes them from its story's fields in claims.yaml, as before.
"""

from __future__ import annotations

from pathlib import Path

from ..model import ArchiveError, Settings
from .claims import Heading
from .fields import Schema, read_fields, site_address, text
from .files import read_text
from .yaml_lines import parse_yaml

SETTINGS_SCHEMA: Schema = {
    "title": (text, True),
    "description": (text, False),
    "url": (site_address, False),
    "licence": (text, False),
}


def load_settings(path: Path, stories: list[Heading], errors: list[ArchiveError]) -> Settings:
    """The archive's settings from `path`; where there is no such file, from its only story, or
    a plain title for many."""
    if not path.is_file():
        if len(stories) == 1:
            story = stories[0]
            return Settings(title=story.title, description=story.summary, url=story.url, licence=story.licence)
        return Settings(title="News coverage, compared", description=None, url=None)
    try:
        fields = read_fields(parse_yaml(read_text(path), path), SETTINGS_SCHEMA, path, errors, "archive.yaml")
    except ArchiveError as error:
        errors.append(error)
        fields = None
    if fields is None:
        return Settings(title="Untitled archive", description=None, url=None)
    return Settings(
        title=fields["title"],
        description=fields.get("description"),
        url=fields.get("url"),
        licence=fields.get("licence"),
    )
