"""The curator's tools: add an article from its capture, and suggest claims for what is shared.

Neither ever changes a file the curator wrote: `add` only creates new files, `suggest` only prints.
"""

from __future__ import annotations

import datetime
import re
import shutil
import textwrap
from pathlib import Path

import yaml

from .load import ARTICLE_SCHEMA, ID_PATTERN, Mapping, read_fields, read_text, slugify
from .model import ArchiveError, ArchiveErrors, Article, SharedStatement

SLUG_WORDS = 8


def add_article(source: Path, capture: Path, fields: dict, slug: str | None = None) -> Path:
    """Keep the capture and write an article from it; return the article's path.

    The body is the capture's text: paragraphs separated by blank lines (or, in a capture with
    no blank line, one paragraph a line), with what Markdown would read as markup escaped.
    """
    text = read_text(capture)
    slug = slug or slugify(f"{fields['outlet']} {fields.get('title') or capture.stem}", SLUG_WORDS)
    if not ID_PATTERN.match(slug):
        raise ArchiveError(capture, f"cannot make an id from '{slug}': give one with --slug")
    articles = source / "articles"
    article_path = articles / f"{slug}.md"
    kept = articles / "captures" / f"{slug}{capture.suffix or '.txt'}"
    for path in (article_path, kept):
        if path.exists():
            raise ArchiveError(path, "already exists, and is never overwritten: choose another id with --slug")
    fields = {key: value for key, value in fields.items() if value is not None}
    fields["capture"] = kept.relative_to(articles).as_posix()
    problems: list[ArchiveError] = []
    checked = read_fields(mapping_of(fields), ARTICLE_SCHEMA, article_path, problems, "front matter")
    if problems:
        raise ArchiveErrors(problems)
    if isinstance(checked["published"], datetime.datetime):  # written as given: date, time and offset
        checked["published"] = checked["published"].isoformat(timespec="minutes")
    body = text if capture.suffix.lower() in (".md", ".markdown") else plain_text_body(text)
    kept.parent.mkdir(parents=True, exist_ok=True)
    with open(kept, "xb") as copy, open(capture, "rb") as original:
        shutil.copyfileobj(original, copy)
    with open(article_path, "x", encoding="utf-8") as article:
        article.write("---\n" + yaml.safe_dump(checked, allow_unicode=True, sort_keys=False, width=100) + "---\n\n")
        article.write(body.strip() + "\n")
    return article_path


def mapping_of(fields: dict) -> Mapping:
    """The fields as the loader's checks expect them: a mapping that knows its lines."""
    mapping = Mapping(fields)
    mapping.line = 1
    mapping.key_lines = dict.fromkeys(fields, 1)
    return mapping


def plain_text_body(text: str) -> str:
    blocks = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text.strip()) else text.split("\n")
    paragraphs = [" ".join(block.split()) for block in blocks]
    return "\n\n".join(escape_markdown(p) for p in paragraphs if p)


MARKUP = re.compile(r"([\\`*_\[\]])")
BLOCK_START = re.compile(r"^(#|>|[-+*=]|\d+[.)])")


def escape_markdown(paragraph: str) -> str:
    """Text that Markdown shows as it is: no emphasis, link, code, HTML or list is read into it."""
    escaped = MARKUP.sub(r"\\\1", paragraph)
    escaped = re.sub(r"&(#?\w+;)", r"&amp;\1", escaped).replace("<", "&lt;")
    match = BLOCK_START.match(escaped)
    if match:
        marker = match.group(1)
        escaped = (marker[:-1] + "\\" + marker[-1]) + escaped[len(marker) :]
    return escaped


def shares_of(article_id: str, statements: list[SharedStatement]) -> list[SharedStatement]:
    return [s for s in statements if article_id in s.article_ids and s.is_shared]


# -- suggested claims ----------------------------------------------------------------------

SAYING = r"(?:said|says|added|stated|told|tweeted|posted|wrote|declared|noted|insisted|announced)"
NAME = r"(?P<who>(?:[A-Z][\w’'.-]*)(?:\s+(?:of\s+|the\s+)?[A-Z][\w’'.-]*){0,6})"
CLOSING = r"^[\s,”\"’'»]*"
NAME_SAID = re.compile(CLOSING + NAME + r"\s+" + SAYING)
SAID_NAME = re.compile(CLOSING + SAYING + r"\s+" + NAME)
BEFORE = re.compile(NAME + r"\s+" + SAYING + r"[^.“\"]{0,40}[:,]?\s*[“\"«„]?$")
ACCORDING = re.compile(r"according to\s+" + NAME)


def guess_speaker(article: Article, start: int, end: int) -> str | None:
    """Who the article says the words are from: "..., X said", "X said: ...", "according to X"."""
    after = article.text[end : end + 120]
    before = article.text[max(0, start - 160) : start]
    for found in (NAME_SAID.match(after), SAID_NAME.match(after), BEFORE.search(before), ACCORDING.search(after)):
        if found and found.group("who"):
            return found.group("who")
    return None


CHANNELS = (
    ("tweet", "post on X"),
    ("posted", "post"),
    ("told reporters", "remarks to reporters"),
    ("briefing", "briefing"),
    ("statement", "statement"),
    ("news agency", "news agency"),
)


def guess_channel(article: Article, start: int, end: int) -> str:
    around = article.text[max(0, start - 160) : end + 160].lower()
    return next((channel for word, channel in CHANNELS if word in around), "unknown")


# How far claims.yaml indents its entries under `claims:` (see README.md).
CLAIM_INDENT = "  "


def suggestion(statement: SharedStatement, articles: dict[str, Article], taken: set[str]) -> str:
    """A claims.yaml entry for a shared statement, with a comment: indented as the entries under
    `claims:` are, so that it can be pasted below them as it is."""
    first = statement.occurrences[0]
    guesses = [guess_speaker(articles[o.article], o.start, o.end) for o in statement.occurrences]
    speaker = next((guess for guess in guesses if guess), "unknown")
    outlets = sorted({articles[o.article].outlet for o in statement.occurrences})
    entry = {
        "id": short_id if (short_id := statement.id.split("-", 1)[-1]) not in taken else statement.id,
        "statement": max((o.text for o in statement.occurrences), key=len),
        "speaker": speaker,
        "channel": guess_channel(articles[first.article], first.start, first.end),
        "kind": statement.kind,
        "notes": f"Carried by {', '.join(outlets)}.",
    }
    text = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=100)
    return textwrap.indent(f"# Speaker and channel are guesses from the articles: check them.\n{text}", CLAIM_INDENT)
