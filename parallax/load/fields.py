"""Field checks: each takes a YAML value and returns it checked, or raises ValueError; ids and
slugs; and `read_fields`, which checks a mapping against a schema of them."""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import langcodes
from anyascii import anyascii

from ..model import CLAIM_KINDS, ArchiveError
from .yaml_lines import Mapping

# Ids become file names and addresses: keep them portable and readable.
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Names Windows keeps for devices: a file so named cannot be written or copied there.
# And "index": claims/index.html and articles/index.html are the site's lists.
RESERVED_IDS = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10)), "index"}
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


def text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"must be text, not {describe(value)} (put it in quotes)")
    return " ".join(value.split())


def identifier(value: Any) -> str:
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        suggested = suggested_id(value) if isinstance(value, str) else None
        example = f", e.g. {suggested}" if suggested else ""
        raise ValueError(f"must be lower-case letters and digits joined by hyphens, not {describe(value)}{example}")
    if value in RESERVED_IDS:
        raise ValueError(f"cannot be '{value}', a name kept for the site's lists or, on some systems, for a device")
    return value


def slugify(text: str, most_words: int | None = None) -> str:
    """Lower-case ASCII words joined by hyphens, any script transliterated:
    'Le Monde: « Paix »' -> 'le-monde-paix', 'РИА Новости' -> 'ria-novosti'."""
    return "-".join(re.findall(r"[a-z0-9]+", anyascii(text).lower())[:most_words])


def suggested_id(name: str) -> str | None:
    """An id to suggest in place of a name that is not one; None if it has no usable words."""
    slug = slugify(name)
    return slug if slug and slug not in RESERVED_IDS else None


def identifiers(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ValueError(f"must be a list of ids, not {describe(value)}")
    return tuple(identifier(item) for item in value)


def iso_date(value: Any) -> datetime.date:
    """A date written YYYY-MM-DD. The loader leaves dates as text (see yaml_lines), so that a
    bad one is reported here, with its line."""
    shape = DATE_SHAPE.match(value.strip()) if isinstance(value, str) else None
    if shape is None:
        raise ValueError(f"must be a date written YYYY-MM-DD, not {describe(value)}")
    try:
        return datetime.date.fromisoformat(shape.group())
    except ValueError:
        year, month, day = (int(part) for part in shape.groups())
        raise ValueError(f"is {shape.group()}, not a real date: {why_not_a_date(year, month, day)}") from None


DATE_SHAPE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
TIME_SHAPE = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(Z|[+-]\d{2}:?\d{2})?$")


def date_or_time(value: Any) -> datetime.date | datetime.datetime:
    """A date (YYYY-MM-DD), or a date and time with its offset from UTC (2023-10-27T14:05+03:00):
    a time without an offset could be any of 26 hours, and would order articles wrongly."""
    shape = TIME_SHAPE.match(value.strip()) if isinstance(value, str) else None
    if shape is None:
        return iso_date(value)
    day, clock, offset = shape.groups()
    iso_date(day)  # a date no calendar has is named as such
    if offset is None:
        raise ValueError(
            f"gives a time without its offset from UTC: write {day}T{clock}+00:00 (or the offset it was published at)"
        )
    try:
        return datetime.datetime.fromisoformat(f"{day}T{clock}{offset}")
    except ValueError:
        raise ValueError(f"is {shape.group()}, not a real time of day") from None


def why_not_a_date(year: int, month: int, day: int) -> str:
    """What is wrong with a date written in the right shape that no calendar has."""
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    if year < datetime.MINYEAR:
        return f"there is no year {year}"
    if day < 1:
        return f"there is no day {day}"
    days = calendar.monthrange(year, month)[1]
    name = MONTHS[month - 1]
    # February's length depends on the year; the other months' never do.
    return f"{name} {year} has {days} days" if month == 2 else f"{name} has {days} days"


# In English whatever the locale, as every message is (calendar.month_name follows the locale).
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def language(value: Any) -> str:
    if not isinstance(value, str) or not langcodes.tag_is_valid(value) or not LANGUAGE_PATTERN.match(value):
        raise ValueError(f"must be a language code such as 'en' or 'ru', not {describe(value)}")
    return value


def web_address(value: Any) -> str:
    address = text(value)
    if not re.match(r"^https?://[^\s/]+", address):
        raise ValueError(f"must be an http:// or https:// address, not {describe(value)}")
    return address


def site_address(value: Any) -> str:
    """Where a site is published: pages' addresses are joined to it, so it ends with a slash."""
    address = web_address(value)
    return address if address.endswith("/") else address + "/"


def text_list(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (text(value),)
    if not isinstance(value, list):
        raise ValueError(f"must be a list of texts, not {describe(value)}")
    return tuple(text(item) for item in value)


def claim_kind(value: Any) -> str:
    if value not in CLAIM_KINDS:
        raise ValueError(f"must be one of {', '.join(CLAIM_KINDS)}, not {describe(value)}")
    return value


def describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, (dict, list)):
        return "a " + ("mapping" if isinstance(value, dict) else "list")
    shown = repr(value) if isinstance(value, str) else str(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


Schema = dict[str, tuple[Callable[[Any], Any], bool]]  # field -> (check, required)


def read_fields(mapping: Any, schema: Schema, path: Path, errors: list[ArchiveError], what: str):
    """Check `mapping` against `schema`; return the checked values, or None if any is wrong."""
    if not isinstance(mapping, Mapping):
        errors.append(ArchiveError(path, f"{what} must be a mapping of fields, not {describe(mapping)}"))
        return None
    values: dict[str, Any] = {}
    ok = True
    for key in mapping:
        if key not in schema:
            known = ", ".join(schema)
            errors.append(
                ArchiveError(path, f"unknown field '{key}' in {what} (fields: {known})", mapping.key_lines[key])
            )
            ok = False
    for field, (check, required) in schema.items():
        if mapping.get(field) is None:
            if required:
                errors.append(ArchiveError(path, f"{what} has no '{field}'", mapping.line))
                ok = False
            continue
        try:
            values[field] = check(mapping[field])
        except ValueError as problem:
            errors.append(ArchiveError(path, f"'{field}' {problem}", mapping.key_lines[field]))
            ok = False
    return values if ok else None


def as_date(value: datetime.date) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def future_dates(fields: dict[str, Any], mapping: Mapping, path: Path) -> list[str]:
    """Warnings for dates later than today: likely a slip of the keyboard, but not always wrong."""
    today = datetime.date.today()
    return [
        str(ArchiveError(path, f"'{field}' is {value}, later than today", mapping.key_lines[field]))
        for field, value in fields.items()
        if isinstance(value, datetime.date) and as_date(value) > today
    ]
