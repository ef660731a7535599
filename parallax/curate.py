"""The curator's tools: add an article from its capture, and suggest claims for what is shared.

Neither ever changes a file the curator wrote: `add` only creates new files, `suggest` only prints.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import itertools
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .load import ARTICLE_SCHEMA, ID_PATTERN, Mapping, read_fields, read_text, slugify
from .model import ArchiveError, ArchiveErrors, Article, SharedStatement

SLUG_WORDS = 8
SLUG_LENGTH = 60  # characters


class AddressError(ArchiveError):
    """What is wrong with an address given to `add`: named as it was written, not as a file."""

    def __init__(self, address: str, message: str):
        super().__init__(Path("."), message)
        self.address = address

    def __str__(self) -> str:
        return f"{self.address}: {self.message}"


def problem(where: Path | str, message: str) -> ArchiveError:
    """An error about a file given to `add`, or about an address."""
    return AddressError(where, message) if isinstance(where, str) else ArchiveError(where, message)


@dataclass(frozen=True)
class Source:
    """One article to import: the bytes kept as its capture, the kept file's suffix, its body,
    and the fields its page gives (none for a text capture)."""

    data: bytes
    suffix: str
    body: str
    found: dict = field(default_factory=dict)


# What each field is called in a message when neither the page nor an option gives it.
MISSING = {
    "outlet": ("no outlet found in the page", "--outlet NAME"),
    "published": ("no publication date found in the page", "--published YYYY-MM-DD"),
}


def add_article(source: Path, capture: Path, fields: dict, slug: str | None = None) -> Path:
    """Keep a text or Markdown capture and write an article from it; return the article's path."""
    return add_articles(source, capture, text_sources(capture), fields, slug)[0][0]


def add_articles(
    source: Path, capture: Path | str, sources: list[Source], options: dict, slug: str | None = None
) -> list[tuple[Path, list[str], list[str]]]:
    """Keep each source's capture and write an article from it: each article's path, the fields
    taken from its page and those from the options. Every article is checked before any file is
    written, and nothing is ever overwritten.

    A text capture's body is its text: paragraphs separated by blank lines (or, in a capture with
    no blank line, one paragraph a line), with what Markdown would read as markup escaped.
    """
    if slug and len(sources) > 1:
        raise problem(capture, f"holds {len(sources)} pages: --slug names one article; choose one with --url")
    given = {key: value for key, value in options.items() if value is not None}
    articles = source / "articles"
    planned: list[tuple[Path, Path, dict, Source, list[str], list[str]]] = []
    problems: list[ArchiveError] = []
    for item in sources:
        fields = {**{k: v for k, v in item.found.items() if v is not None}, **given}
        if "language" not in fields:
            fields["language"] = "en"
        for name, (missing, option) in MISSING.items():
            if name not in fields:
                what = missing if item.found else f"no {name}"
                raise problem(capture, f"{what}: give one with {option}")
        stem = capture.stem if isinstance(capture, Path) else "page"
        # Scripts written without spaces transliterate into one long word: ids are cut to a file name's length.
        name = slug or slugify(f"{fields['outlet']} {fields.get('title') or stem}", SLUG_WORDS)[:SLUG_LENGTH].strip("-")
        if not ID_PATTERN.match(name):
            raise problem(capture, f"cannot make an id from '{name}': give one with --slug")
        if not slug and len(sources) > 1:
            # A WARC's records, which --slug cannot name one by one, give way to ids taken (an
            # outlet's untitled pages would collide); one capture added twice is refused.
            name = free_name(name, articles, item.suffix, planned)
        article_path = articles / f"{name}.md"
        kept = articles / "captures" / f"{name}{item.suffix}"
        for path in (article_path, kept):
            if path.exists() or any(path in (p[0], p[1]) for p in planned):
                raise ArchiveError(path, "already exists, and is never overwritten: choose another id with --slug")
        fields["capture"] = kept.relative_to(articles).as_posix()
        fields["capture_sha256"] = hashlib.sha256(item.data).hexdigest()
        checked = read_fields(mapping_of(fields), ARTICLE_SCHEMA, article_path, problems, "front matter")
        if checked is None:
            continue
        for key in ("published", "captured_at"):  # written as given: date, time and offset
            if isinstance(checked.get(key), datetime.datetime):
                checked[key] = checked[key].isoformat(timespec="minutes" if key == "published" else "seconds")
        from_page = [k for k, v in item.found.items() if v is not None and k not in given and k in checked]
        from_options = [k for k in given if k in checked]
        planned.append((article_path, kept, checked, item, from_page, from_options))
    if problems:
        raise ArchiveErrors(problems)
    written = []
    for article_path, kept, checked, item, from_page, from_options in planned:
        kept.parent.mkdir(parents=True, exist_ok=True)
        with open(kept, "xb") as copy:
            copy.write(item.data)
        with open(article_path, "x", encoding="utf-8") as article:
            article.write("---\n" + yaml.safe_dump(checked, allow_unicode=True, sort_keys=False, width=100) + "---\n\n")
            article.write(item.body.strip() + "\n")
        written.append((article_path, from_page, from_options))
    return written


def text_sources(capture: Path) -> list[Source]:
    """A text or Markdown capture, imported as it is."""
    text = read_text(capture)
    body = text if capture.suffix.lower() in (".md", ".markdown") else plain_text_body(text)
    return [Source(capture.read_bytes(), capture.suffix or ".txt", body)]


def sources_of(capture: str, url: str | None = None) -> list[Source]:
    """What `add` imports from its argument: an address (fetched, kept as a WARC record), a saved
    page, each HTML response of a WARC file (or only the one at `url`), or a text capture."""
    from . import capture as pages

    if re.match(r"^https?://", capture, re.IGNORECASE):
        return [fetched(capture)]
    path = Path(capture)
    if pages.is_warc(path.name):
        return warc_sources(path, url)
    if pages.is_page(path.name):
        data = path.read_bytes()
        try:
            page = pages.read_page(data)
        except ValueError as error:
            raise ArchiveError(path, f"cannot read the page: {error}") from None
        suffix = ".html.gz" if path.name.lower().endswith(".gz") else path.suffix.lower()
        return [page_source(path, data, suffix, page)]
    return text_sources(path)


def warc_sources(path: Path, url: str | None) -> list[Source]:
    from . import capture as pages

    try:
        responses = pages.warc_responses(path.read_bytes())
    except ValueError as error:
        raise ArchiveError(path, str(error)) from None
    if url is not None:
        responses = [response for response in responses if response.uri == url]
    if not responses:
        which = f"no HTML response for {url}" if url else "no HTML response"
        raise ArchiveError(path, f"{which} in this WARC file")
    suffix = ".warc.gz" if path.name.lower().endswith(".gz") else ".warc"
    return [response_source(path, response.record, suffix, response) for response in responses]


def response_source(where: Path | str, record: bytes, suffix: str, response) -> Source:
    """The article of one HTML response in a WARC file, kept as `record`: its address (where the
    page does not declare its own) and the time it was captured go in the front matter."""
    from . import capture as pages

    web = response.uri if re.match(r"^https?://", response.uri, re.IGNORECASE) else None
    try:
        page = pages.read_page(response.payload, web, charset=response.charset)
    except ValueError as error:
        raise problem(where, f"cannot read the page at {response.uri or 'an unnamed address'}: {error}") from None
    source = page_source(where, record, suffix, page)
    if source.found["url"] is None:
        source.found["url"] = web
    source.found["captured_from"] = web
    # WARC 1.1 may give fractions of a second, which the front matter does not keep.
    source.found["captured_at"] = re.sub(r"\.\d+(?=Z|[+-]\d\d:?\d\d$)", "", response.date) or None
    return source


def page_source(path: Path | str, data: bytes, suffix: str, page) -> Source:
    """A saved page's article: its paragraphs and subheads, and the metadata it declares."""
    if not page.blocks:
        raise problem(path, "no article text found in the page")
    blocks = page.blocks
    if blocks[0][0] != "p" and page.title and " ".join(blocks[0][1].split()) == page.title and len(blocks) > 1:
        blocks = blocks[1:]  # the headline, which the front matter holds: a page's h1 is kept as a subhead
    parts = [
        escape_markdown(text) if kind == "p" else "#" * int(kind[1]) + " " + escape_markdown(text)
        for kind, text in blocks
    ]
    found = {
        "outlet": page.outlet,
        "title": page.title,
        "published": page.date,
        "author": page.author,
        "url": page.url,
        "language": page.language,
    }
    return Source(data, suffix, "\n\n".join(parts), found)


USER_AGENT = "Parallax/1 (compares how news outlets cover a story)"
FETCH_TIMEOUT = 20  # seconds


def fetched(address: str) -> Source:
    """The page at `address`, fetched and kept as a WARC response record (status line, headers,
    payload, WARC-Date), then read as a saved page."""
    import urllib.error
    import urllib.request

    from . import capture as pages

    request = urllib.request.Request(address, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:
            payload = response.read(pages.MAX_PAGE + 1)
            status, reason = response.status, response.reason
            target = response.geturl() or address  # where a redirect led: the address of what was kept
            headers = list(response.headers.items())
            when = datetime.datetime.now(datetime.UTC)
    except urllib.error.HTTPError as error:
        raise AddressError(address, f"could not fetch it: HTTP {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        raise AddressError(address, f"could not fetch it: {error.reason}") from None
    except (OSError, ValueError) as error:
        raise AddressError(address, f"could not fetch it: {error}") from None
    if len(payload) > pages.MAX_PAGE:
        raise AddressError(address, f"is more than {pages.MAX_PAGE // 2**20} MB, far more than a news page")
    record = warc_record(target, status, reason, headers, payload, when)
    responses = pages.warc_responses(record)
    if not responses:
        content_type = {k.lower(): v for k, v in headers}.get("content-type", "no Content-Type")
        raise AddressError(address, f"is not an HTML page ({content_type})")
    return response_source(address, record, ".warc", responses[0])


def warc_record(
    address: str, status: int, reason: str, headers: list, payload: bytes, when: datetime.datetime
) -> bytes:
    """A WARC file of one response record: the status line, the headers and the payload as received.

    urllib undoes chunked transfer encoding, so a Transfer-Encoding header is left out: the payload
    kept is the one it would describe as unchunked."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    kept = [(name, value) for name, value in headers if name.lower() != "transfer-encoding"]
    http_headers = StatusAndHeaders(f"{status} {reason}", kept, protocol="HTTP/1.1")
    date = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    record = writer.create_warc_record(
        address,
        "response",
        payload=io.BytesIO(payload),
        http_headers=http_headers,
        warc_headers_dict={"WARC-Date": date},
    )
    writer.write_record(record)
    return out.getvalue()


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


def free_name(name: str, articles: Path, suffix: str, planned: list) -> str:
    """`name`, or `name-2`, `name-3`, ...: the first whose article and capture are not taken."""
    taken = {path for paths in planned for path in paths[:2]}
    for number in itertools.count(1):
        candidate = name if number == 1 else f"{name}-{number}"
        paths = (articles / f"{candidate}.md", articles / "captures" / f"{candidate}{suffix}")
        if not any(path.exists() or path in taken for path in paths):
            return candidate
    raise AssertionError("unreachable")
