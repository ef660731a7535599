"""`speakers.yaml`: who makes the statements the archive tracks, across its stories.

A claim names its speaker by a declared speaker's id, name or one of its other names; a claim
that names one nobody declared still has a speaker, known by that name alone, whose id is its
slug. So claims written before speakers were declared keep working, and are gathered on one
speaker's page as soon as they are declared.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..model import ArchiveError, Claim, Role, Speaker
from .fields import Schema, identifier, iso_date, read_fields, slugify, text, text_list
from .files import read_text
from .yaml_lines import Mapping, parse_yaml

SPEAKER_SCHEMA: Schema = {
    "id": (identifier, True),
    "name": (text, True),
    "names": (text_list, False),  # other names claims call it by: a spelling, a short form
    "roles": (lambda value: value, False),
}

ROLE_SCHEMA: Schema = {
    "role": (text, True),
    "from": (iso_date, False),
    "until": (iso_date, False),
}


def load_speakers(path: Path, errors: list[ArchiveError]) -> tuple[Speaker, ...]:
    """The declared speakers; none if the file is not there."""
    if not path.is_file():
        return ()
    try:
        document = parse_yaml(read_text(path), path)
    except ArchiveError as error:
        errors.append(error)
        return ()
    top = read_fields(document, {"speakers": (lambda value: value, True)}, path, errors, "speakers.yaml")
    if top is None:
        return ()
    if not isinstance(top["speakers"], list):
        errors.append(ArchiveError(path, "'speakers' must be a list of speakers", document.key_lines["speakers"]))
        return ()
    speakers: list[Speaker] = []
    lines: dict[str, int] = {}  # each id and name, with the line of the speaker that took it
    for entry in top["speakers"]:
        speaker = speaker_from(entry, path, errors)
        if speaker is None:
            continue
        for name in (speaker.id, speaker.name, *speaker.names):
            if name in lines and lines[name] != speaker.line:
                errors.append(
                    ArchiveError(path, f"'{name}' names two speakers (first on line {lines[name]})", speaker.line)
                )
            lines.setdefault(name, speaker.line or 0)
        speakers.append(speaker)
    return tuple(speakers)


def speaker_from(entry: Any, path: Path, errors: list[ArchiveError]) -> Speaker | None:
    fields = read_fields(entry, SPEAKER_SCHEMA, path, errors, "speaker")
    if fields is None:
        return None
    roles: list[Role] = []
    entries = fields.get("roles", [])
    if not isinstance(entries, list):
        errors.append(ArchiveError(path, "'roles' must be a list of roles", entry.key_lines["roles"]))
        return None
    for role_entry in entries:
        role = read_fields(role_entry, ROLE_SCHEMA, path, errors, "role")
        if role is None:
            return None
        since, until = role.get("from"), role.get("until")
        if since and until and until < since:
            errors.append(ArchiveError(path, f"a role held until {until}, before it began ({since})", role_entry.line))
            return None
        roles.append(Role(title=role["role"], since=since, until=until))
    return Speaker(
        id=fields["id"],
        name=fields["name"],
        names=fields.get("names", ()),
        roles=tuple(roles),
        line=entry.line if isinstance(entry, Mapping) else None,
    )


def speakers_of(claims: list[Claim], declared: tuple[Speaker, ...]) -> tuple[tuple[Speaker, ...], dict[str, Speaker]]:
    """Every speaker (the declared ones, then those known only by a claim's name, by id), and
    each claim's speaker, by claim id. A name is taken to be a declared speaker's if it is its
    id, its name or another of its names, or if its slug is the speaker's id."""
    by_name = {name: speaker for speaker in declared for name in (speaker.id, speaker.name, *speaker.names)}
    found: dict[str, Speaker] = {}
    undeclared: dict[str, Speaker] = {}
    for claim in claims:
        slug = slugify(claim.speaker) or "unnamed"
        speaker = by_name.get(claim.speaker) or by_name.get(slug)
        if speaker is None:
            speaker = undeclared.setdefault(slug, Speaker(slug, claim.speaker, (), (), None))
        found[claim.id] = speaker
    return (*declared, *sorted(undeclared.values(), key=lambda speaker: speaker.id)), found
