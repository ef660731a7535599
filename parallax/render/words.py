"""How the site writes dates, numbers, languages and long labels: the same on every machine."""

from __future__ import annotations

import datetime

import langcodes

from ..model import Archive, Claim

MONTHS = ("January February March April May June July August September October November December").split()


def long_date(value: datetime.date | None) -> str:
    # Month names written out here, not by the locale, so output is the same on every machine.
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}" if value else ""


def short_date(value: datetime.date) -> str:
    """'26 Oct 2023': a date where room is short, as in a diagram's columns."""
    return f"{value.day} {MONTHS[value.month - 1][:3]} {value.year}"


def clock_time(value: datetime.datetime | None) -> str:
    """'14:05 UTC+03:00': a time of publication with the offset it was given with."""
    if value is None:
        return ""
    offset = value.strftime("%z")
    return f"{value:%H:%M} UTC{offset[:3]}:{offset[3:]}" if offset else f"{value:%H:%M}"


def language_name(code: str) -> str:
    """'ru' -> 'Russian': names in English, like the rest of the site's own words."""
    return langcodes.Language.get(code).display_name("en")


def count(value: int) -> str:
    """12345 -> '12,345'."""
    return f"{value:,}"


ROUGH_FROM = 100  # counts from here on are given by rough_count as "at least" a step of 1, 2, 5, 10, 20, 50...


def rough_count(value: int) -> str:
    """87 -> '87', 953 -> 'at least 500', 12,345 -> 'at least 10,000': how many more articles
    carry a statement, beside a paragraph. Exact, the count would change on every page carrying
    the statement each time one more article does; so it changes only when it passes a step.
    The statement's own page gives it exactly."""
    if value < ROUGH_FROM:
        return count(value)
    step = 10 ** (len(str(value)) - 1)
    return f"at least {count(max(multiple * step for multiple in (1, 2, 5) if multiple * step <= value))}"


def plural(value: int, noun: str, nouns: str | None = None) -> str:
    """(1, 'statement') -> '1 statement'; (1200, 'statement') -> '1,200 statements'; `nouns`
    where the plural is not the noun and an s: (2, 'story', 'stories') -> '2 stories'."""
    return f"{count(value)} {noun if value == 1 else nouns or noun + 's'}"


def percent(value: float) -> str:
    return f"{round(value * 100)}%"


def short(label: str, length: int) -> str:
    """A label cut to `length` characters, with an ellipsis where it was cut."""
    return label if len(label) <= length else label[: length - 1].rstrip() + "…"


def said_by(archive: Archive, claim: Claim) -> str:
    """Who made a claim, as pages name them: as the claim words it, or the speaker's name where it gives an id."""
    speaker = archive.speaker(claim)
    return speaker.name if claim.speaker == speaker.id else claim.speaker
