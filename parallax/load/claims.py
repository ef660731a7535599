"""`claims.yaml`: the story, and the claims made in it, each checked."""

from __future__ import annotations

from pathlib import Path

from ..model import ArchiveError, Claim, Story
from .fields import (
    Schema,
    claim_kind,
    future_dates,
    identifier,
    identifiers,
    iso_date,
    read_fields,
    text,
    text_list,
    web_address,
)
from .files import read_text
from .yaml_lines import parse_yaml

STORY_SCHEMA: Schema = {
    "title": (text, True),
    "summary": (text, False),
    "url": (web_address, False),
    "licence": (text, False),
}

CLAIM_SCHEMA: Schema = {
    "id": (identifier, True),
    "statement": (text, True),
    "speaker": (text, True),
    "channel": (text, True),
    "kind": (claim_kind, True),
    "date": (iso_date, False),
    "renderings": (text_list, False),
    "articles": (identifiers, False),
    "notes": (text, False),
}


def load_claims(path: Path, errors: list[ArchiveError], warnings: list[str]) -> tuple[Story, tuple[Claim, ...]]:
    story = Story(title="Untitled story", summary=None, url=None)
    try:
        document = parse_yaml(read_text(path), path)
    except ArchiveError as error:
        errors.append(error)
        return story, ()
    top = read_fields(
        document, {"story": (lambda v: v, True), "claims": (lambda v: v, True)}, path, errors, "claims.yaml"
    )
    if top is None:
        return story, ()
    story_fields = read_fields(top["story"], STORY_SCHEMA, path, errors, "story")
    if story_fields:
        url = story_fields.get("url")
        story = Story(
            title=story_fields["title"],
            summary=story_fields.get("summary"),
            url=url if url is None or url.endswith("/") else url + "/",
            licence=story_fields.get("licence"),
        )
    if not isinstance(top["claims"], list):
        errors.append(ArchiveError(path, "'claims' must be a list of claims", document.key_lines["claims"]))
        return story, ()
    claims: list[Claim] = []
    lines_by_id: dict[str, int] = {}
    for entry in top["claims"]:
        fields = read_fields(entry, CLAIM_SCHEMA, path, errors, "claim")
        if fields is None:
            continue
        line = entry.line
        if fields["id"] in lines_by_id:
            errors.append(
                ArchiveError(
                    path, f"claim id '{fields['id']}' is used twice (first on line {lines_by_id[fields['id']]})", line
                )
            )
            continue
        lines_by_id[fields["id"]] = line
        warnings.extend(future_dates(fields, entry, path))
        claims.append(
            Claim(
                id=fields["id"],
                statement=fields["statement"],
                speaker=fields["speaker"],
                channel=fields["channel"],
                kind=fields["kind"],
                date=fields.get("date"),
                renderings=fields.get("renderings", ()),
                articles=fields.get("articles", ()),
                notes=fields.get("notes"),
                line=line,
            )
        )
    return story, tuple(claims)
