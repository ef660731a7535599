"""`claims.yaml`: the story, and the claims made in it, each checked.

A claim is one statement, whole: one sentence, or several (`parts`), each in one or more
`versions` (the speaker's own words, another translation, a retranslation). Ids of claims and of
parts, and the former ids they keep as `aliases`, are one set of addresses: none is used twice.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any, NamedTuple

from ..cache import Cache
from ..model import AS_CURATED, ArchiveError, Claim, Part, Version
from .fields import (
    Schema,
    claim_kind,
    describe,
    future_dates,
    identifier,
    identifiers,
    iso_date,
    language,
    read_fields,
    site_address,
    text,
    text_list,
)
from .files import kept_or_read, read_bytes, text_of
from .yaml_lines import Mapping, parse_yaml

STORY_SCHEMA: Schema = {
    "title": (text, True),
    "summary": (text, False),
    "url": (site_address, False),
    "licence": (text, False),
}


def entries(value: Any) -> list:
    if not isinstance(value, list):
        raise ValueError(f"must be a list, not {describe(value)}")
    return value


def wordings_by_version(value: Any) -> Mapping:
    if not isinstance(value, Mapping) or not all(isinstance(key, str) for key in value):
        raise ValueError(f"must map version ids to their words, not {describe(value)}")
    return value


CLAIM_SCHEMA: Schema = {
    "id": (identifier, True),
    "statement": (text, False),  # required unless the claim has parts
    "speaker": (text, True),
    "channel": (text, True),
    "kind": (claim_kind, True),
    "date": (iso_date, False),
    "versions": (entries, False),
    "parts": (entries, False),
    "renderings": (text_list, False),
    "aliases": (identifiers, False),
    "articles": (identifiers, False),
    "notes": (text, False),
}

VERSION_SCHEMA: Schema = {
    "id": (identifier, True),
    "origin": (text, True),
    "language": (language, False),
    "from": (identifier, False),
    "statement": (text, False),  # its words, in a claim without parts
}

PART_SCHEMA: Schema = {
    "id": (identifier, True),
    "statement": (text, True),
    "versions": (wordings_by_version, False),
    "renderings": (text_list, False),
    "aliases": (identifiers, False),
}


class Heading(NamedTuple):
    """A story's own fields: the `story:` of its claims.yaml."""

    title: str
    summary: str | None
    url: str | None  # the site's address, where the story is the whole archive
    licence: str | None


def load_claims(
    path: Path, errors: list[ArchiveError], warnings: list[str], addresses: Addresses, cache: Cache
) -> tuple[Heading, tuple[Claim, ...]]:
    """The story's heading and its claims; `addresses`, the ids the archive's other stories took.

    A file read without an error or a warning at the last build is taken from `cache` if it is
    unchanged and its ids are still free; else read again, which tells what is wrong."""
    try:
        key, signed, kept, data = kept_or_read(path, cache, cache.kept_claims)
        if kept:
            heading, claims, names = pickle.loads(kept)
            if all(addresses.free(claim_names) for claim_names in names):
                for claim, claim_names in zip(claims, names, strict=True):
                    addresses.take(claim.id, claim_names, path)
                # For the next build too, if its story's file is made anew.
                cache.keep_claims(path.parent, key, kept)
                cache.keep_read(path.parent, signed, key)
                return heading, claims
        data = data or read_bytes(path)
    except ArchiveError as error:
        errors.append(error)
        return UNTITLED, ()
    found = len(errors), len(warnings)
    heading, claims, names = read_claims(path, data, errors, warnings, addresses)
    if (len(errors), len(warnings)) == found:
        cache.keep_claims(path.parent, key, pickle.dumps((heading, claims, names), protocol=pickle.HIGHEST_PROTOCOL))
        cache.keep_read(path.parent, signed, key)
    return heading, claims


UNTITLED = Heading(title="Untitled story", summary=None, url=None, licence=None)
Names = list[tuple[str, int]]  # the ids and aliases a claim takes, each with its line


def read_claims(
    path: Path, data: bytes, errors: list[ArchiveError], warnings: list[str], addresses: Addresses
) -> tuple[Heading, tuple[Claim, ...], list[Names]]:
    """The story's heading, its claims, and the names each claim took."""
    story = UNTITLED
    try:
        document = parse_yaml(text_of(data, path), path)
    except ArchiveError as error:
        errors.append(error)
        return story, (), []
    top = read_fields(
        document, {"story": (lambda v: v, True), "claims": (lambda v: v, True)}, path, errors, "claims.yaml"
    )
    if top is None:
        return story, (), []
    story_fields = read_fields(top["story"], STORY_SCHEMA, path, errors, "story")
    if story_fields:
        story = Heading(
            title=story_fields["title"],
            summary=story_fields.get("summary"),
            url=story_fields.get("url"),
            licence=story_fields.get("licence"),
        )
    if not isinstance(top["claims"], list):
        errors.append(ArchiveError(path, "'claims' must be a list of claims", document.key_lines["claims"]))
        return story, (), []
    claims: list[Claim] = []
    names: list[Names] = []
    for entry in top["claims"]:
        fields = read_fields(entry, CLAIM_SCHEMA, path, errors, "claim")
        claim = fields and claim_from(fields, entry, ClaimReader(path, errors, entry))
        taken = claim_names(claim, entry) if claim else []
        if claim and addresses.take(claim.id, taken, path):
            warnings.extend(future_dates(fields, entry, path))
            claims.append(claim)
            names.append(taken)
    return story, tuple(claims), names


def claim_names(claim: Claim, entry: Mapping) -> Names:
    """The addresses a claim takes: its id, its aliases, and its parts' ids and aliases."""
    names = [(claim.id, claim.line), *((alias, entry.key_lines["aliases"]) for alias in claim.aliases)]
    if claim.has_parts:
        names += [(name, part.line) for part in claim.parts for name in (part.id, *part.aliases)]
    return names


class Addresses:
    """The ids and aliases taken so far across the archive, each with the file and line that
    took it: none is taken twice, for each is a page's address."""

    def __init__(self, errors: list[ArchiveError]):
        self.errors = errors
        self.taken: dict[str, tuple[Path, int]] = {}

    def free(self, names: Names) -> bool:
        return not any(name in self.taken for name, _ in names)

    def take(self, claim_id: str, names: Names, path: Path) -> bool:
        new: dict[str, tuple[Path, int]] = {}
        for name, line in names:
            first = self.taken.get(name, new.get(name))
            if first is not None:
                what = "claim id" if name == claim_id else "id"
                where = f"line {first[1]}" if first[0] == path else f"{first[0]}:{first[1]}"
                self.errors.append(ArchiveError(path, f"{what} '{name}' is used twice (first on {where})", line))
                return False
            new[name] = (path, line)
        self.taken.update(new)
        return True


class ClaimReader:
    """Errors found in one claim entry, at their lines."""

    def __init__(self, path: Path, errors: list[ArchiveError], entry: Mapping):
        self.path, self.errors, self.entry = path, errors, entry

    def error(self, message: str, line: int | None = None) -> None:
        self.errors.append(ArchiveError(self.path, message, line or self.entry.line))

    def fields(self, entry: Any, schema: Schema, what: str) -> dict | None:
        return read_fields(entry, schema, self.path, self.errors, what)


def claim_from(fields: dict, entry: Mapping, reader: ClaimReader) -> Claim | None:
    found = len(reader.errors)
    versions = read_versions(fields, entry, reader)
    if "parts" in fields and ("statement" in fields or "renderings" in fields):
        field = "statement" if "statement" in fields else "renderings"
        reader.error(f"a claim with parts has no '{field}' of its own: give each part its own", entry.key_lines[field])
    elif "parts" not in fields and "statement" not in fields:
        reader.error("claim has no 'statement' (or 'parts', for a statement of several sentences)")
    if len(reader.errors) > found:
        return None
    if "parts" in fields:
        parts = read_parts(fields, entry, versions, reader)
    else:
        words = version_words(fields, reader)
        worded = ((versions[0].id, fields["statement"]), *((v.id, words[v.id]) for v in versions[1:] if v.id in words))
        parts = (
            Part(
                id=fields["id"],
                claim=fields["id"],
                statement=fields["statement"],
                versions=worded,
                renderings=fields.get("renderings", ()),
                aliases=fields.get("aliases", ()),
                line=entry.line,
            ),
        )
    if len(reader.errors) > found:
        return None
    return Claim(
        id=fields["id"],
        speaker=fields["speaker"],
        channel=fields["channel"],
        kind=fields["kind"],
        date=fields.get("date"),
        parts=parts,
        versions=versions,
        aliases=fields.get("aliases", ()),
        articles=fields.get("articles", ()),
        notes=fields.get("notes"),
        line=entry.line,
    )


def read_versions(fields: dict, entry: Mapping, reader: ClaimReader) -> tuple[Version, ...]:
    """The claim's versions, each checked; one, as curated, if it declares none."""
    if "versions" not in fields:
        return (AS_CURATED,)
    versions: list[Version] = []
    for item in fields["versions"]:
        checked = reader.fields(item, VERSION_SCHEMA, "version")
        if checked is None:
            continue
        if any(version.id == checked["id"] for version in versions):
            reader.error(f"version id '{checked['id']}' is used twice in this claim", item.line)
            continue
        versions.append(Version(checked["id"], checked["origin"], checked.get("language"), checked.get("from")))
    ids = {version.id for version in versions}
    for item, version in zip(fields["versions"], versions):
        if version.translated_from is not None and (
            version.translated_from not in ids or version.translated_from == version.id
        ):
            reader.error(
                f"version '{version.id}' is 'from' '{version.translated_from}', which is not another version of this claim",
                item.key_lines["from"],
            )
    if not versions and not reader.errors:
        reader.error("'versions' is empty: leave it out, or list each version", entry.key_lines["versions"])
    return tuple(versions) or (AS_CURATED,)


def version_words(fields: dict, reader: ClaimReader) -> dict[str, str]:
    """In a claim without parts: each version's words, given in its entry (the first's are the statement)."""
    words: dict[str, str] = {}
    for number, item in enumerate(fields.get("versions", ())):
        if not isinstance(item, Mapping) or "statement" not in item:
            continue
        if number == 0:
            reader.error(
                "the first version's words are the claim's 'statement': give the others' in their entries",
                item.key_lines["statement"],
            )
        else:
            words[item["id"]] = text(item["statement"])
    return words


def read_parts(fields: dict, entry: Mapping, versions: tuple[Version, ...], reader: ClaimReader) -> tuple[Part, ...]:
    if not fields["parts"]:
        reader.error("'parts' is empty: list each sentence of the statement", entry.key_lines["parts"])
        return ()
    for item in fields.get("versions", ()):
        if isinstance(item, Mapping) and "statement" in item:
            reader.error(
                "in a claim with parts, each part gives its words in each version: move this 'statement' there",
                item.key_lines["statement"],
            )
    first, *others = versions
    known = {version.id for version in others}
    parts = []
    for item in fields["parts"]:
        checked = reader.fields(item, PART_SCHEMA, "part")
        if checked is None:
            continue
        worded = [(first.id, checked["statement"])]
        for version_id, words in checked.get("versions", {}).items():
            line = checked["versions"].key_lines[version_id]
            if version_id == first.id:
                reader.error(f"'{version_id}' is the first version: its words are the part's 'statement'", line)
            elif version_id not in known:
                listed = ", ".join(sorted(known)) or "none but the first"
                reader.error(f"unknown version '{version_id}' (this claim's versions: {listed})", line)
            else:
                try:
                    worded.append((version_id, text(words)))
                except ValueError as problem:
                    reader.error(f"version '{version_id}' {problem}", line)
        parts.append(
            Part(
                id=checked["id"],
                claim=fields["id"],
                statement=checked["statement"],
                versions=tuple(worded),
                renderings=checked.get("renderings", ()),
                aliases=checked.get("aliases", ()),
                line=item.line,
            )
        )
    return tuple(parts)
