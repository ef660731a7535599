"""Real captures read: a saved web page, or the HTML responses of a WARC file.

An article's body must be the text as published, and its capture the page as it was saved, so
both come from here: the page's own bytes, decoded as the page says they are, and the article's
text taken from them by trafilatura without a word changed. Nothing here fetches anything or
runs anything a page carries (scripts are dropped with the rest of the page's furniture).
"""

from __future__ import annotations

import codecs
import gzip
import io
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import trafilatura
from charset_normalizer import from_bytes
from lxml import etree, html
from trafilatura.settings import Document
from trafilatura.utils import load_html

# What trafilatura is asked for, as measured on 40 labelled pages (bench/extraction.py).
FAVOR = "precision"  # "precision", "recall" or "balanced" (neither): precision measured best
FAVORS = ("precision", "recall", "balanced")
TABLES = True  # no difference measured; a table in an article is part of its text

GZIP_MAGIC = b"\x1f\x8b"
# A news page is rarely more than a few megabytes; a small file that unpacks to more is a gzip bomb.
MAX_PAGE = 64 * 2**20
BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# A page declares its encoding in its first 1024 bytes (the HTML standard's prescan); some declare it later.
PRESCAN = 4096
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w.:]+)""", re.IGNORECASE)
# Labels the HTML standard reads as another encoding: a page saying latin-1 is decoded as windows-1252.
ENCODING_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "latin5": "cp1254",
    "iso-8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-sjis": "shift_jis",
}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


@dataclass(frozen=True)
class Page:
    """What a saved page gives an article: its body, and the metadata the page declares.

    `blocks` is the body as (kind, text): kind "p" for a paragraph (list items and quotations
    included) and "h2" to "h6" for a subhead; `text` is the same blocks separated by blank lines.
    A field the page does not declare is None: an article leaves out what is not known.
    """

    text: str
    blocks: list[tuple[str, str]]
    title: str | None
    author: str | None
    date: str | None
    outlet: str | None
    language: str | None
    url: str | None


def read_page(
    data: bytes,
    address: str | None = None,
    *,
    charset: str | None = None,
    favor: str = FAVOR,
    tables: bool = TABLES,
) -> Page:
    """The article in a saved page's bytes, gzip-compressed or not.

    `address` is where the page was found, used only to judge its links and metadata; nothing is
    fetched. `charset` is an encoding declared outside the page (an HTTP header), which overrides
    the page's own declaration, as browsers do (see `decode` for the order). Unreadable gzip is a
    ValueError; bytes that are no page give an empty Page.
    """
    if favor not in FAVORS:
        raise ValueError(f"favor must be one of {', '.join(FAVORS)}, not {favor!r}")
    text = decode(decompress(data), charset)
    tree = parse(text)
    if tree is None:
        return Page("", [], None, None, None, None, None, None)
    language = page_language(tree)
    has_title = bool(tree.xpath(TITLE_SOURCES))
    has_url = bool(tree.xpath(URL_SOURCES))
    has_site_name = bool(tree.xpath(SITE_NAME_SOURCES))
    document = trafilatura.bare_extraction(
        tree,
        url=address,
        favor_precision=favor == "precision",
        favor_recall=favor == "recall",
        include_comments=False,
        include_tables=tables,
        include_images=False,
        include_links=False,
        with_metadata=True,
    )
    if not isinstance(document, Document):
        return Page("", [], None, None, None, None, language, None)
    blocks = body_blocks(document.body)
    outlet = site_name(clean(document.sitename), address, has_site_name)
    return Page(
        text="\n\n".join(block for _, block in blocks),
        blocks=blocks,
        title=without_outlet(clean(document.title), outlet) if has_title else None,
        author=clean(document.author),
        date=clean(document.date),
        outlet=outlet,
        language=language,
        url=clean(document.url) if has_url else None,
    )


def page_text(data: bytes, charset: str | None = None) -> str:
    """All the text a saved page holds, decoded as `read_page` decodes it, entities resolved and
    tags dropped, without scripts and styles: what a body taken from the page must stand in.

    Elements are joined with a newline; the archive compares texts ignoring whitespace.
    """
    tree = parse(decode(decompress(data), charset))
    if tree is None:
        return ""
    etree.strip_elements(tree, "script", "style", "noscript", "template", etree.Comment, with_tail=False)
    return "\n".join(text for text in tree.itertext() if text.strip())


def decompress(data: bytes) -> bytes:
    """The bytes themselves, whether or not they were saved gzip-compressed (as many archives keep pages)."""
    while data[:2] == GZIP_MAGIC:
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as file:
                data = file.read(MAX_PAGE + 1)
        except (OSError, EOFError) as error:
            raise ValueError(f"a gzip-compressed page that cannot be read: {error}") from error
        if len(data) > MAX_PAGE:
            raise ValueError(f"a gzip-compressed page of more than {MAX_PAGE // 2**20} MB uncompressed")
    return data


def decode(data: bytes, charset: str | None = None) -> str:
    """The page's text: in the encoding of its byte order mark; else as UTF-8 if it is UTF-8 and
    not plain ASCII; else in the encoding declared outside the page, then by its `<meta>`; else
    in the encoding detected.

    Valid UTF-8 wins over a declaration because a page saved from a browser is usually written
    out as UTF-8 with its original `<meta charset>` kept, and text in another encoding with
    letters beyond ASCII is almost never valid UTF-8 by chance.
    """
    for bom, bom_encoding in BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(bom_encoding, errors="replace")
    if not data.isascii():
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    for declared in (charset, declared_charset(data)):
        encoding = known_encoding(declared)
        if encoding:
            return data.decode(encoding, errors="replace")
    if data.isascii():
        return data.decode("ascii")
    best = from_bytes(data).best()
    detected = known_encoding(best.encoding) if best else None
    return data.decode(detected or "cp1252", errors="replace")


def declared_charset(data: bytes) -> str | None:
    """The charset of `<meta charset>` or `<meta http-equiv="content-type" content="...; charset=...">`."""
    match = META_CHARSET.search(data[:PRESCAN])
    return match.group(1).decode("ascii", errors="replace") if match else None


def known_encoding(label: str | None) -> str | None:
    """Python's name for an encoding label, or None for a label it does not know (or a UTF-16 label
    in an ASCII-compatible declaration, which the HTML standard reads as UTF-8)."""
    if not label:
        return None
    label = label.strip().lower()
    label = ENCODING_ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "utf-8" if name.startswith(("utf-16", "utf-32")) else name


def parse(text: str) -> html.HtmlElement | None:
    """The page's tree, parsed as trafilatura parses a page (its parser's options change what it finds).

    An XML declaration is dropped first: the text is already decoded, and its encoding would be read again.
    """
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    if not text.strip():
        return None
    return load_html(text)


def page_language(tree: html.HtmlElement) -> str | None:
    """The language the page declares: `<html lang>`, else a content-language or og:locale meta."""
    root = tree.getroottree().getroot()
    candidates = [root.get("lang"), root.get("xml:lang"), root.get("{http://www.w3.org/XML/1998/namespace}lang")]
    for meta in root.iter("meta"):
        key = (meta.get("http-equiv") or meta.get("property") or meta.get("name") or "").lower()
        if key in ("content-language", "og:locale", "language", "dc.language"):
            candidates.append(meta.get("content"))
    for candidate in candidates:
        tag = language_tag(candidate)
        if tag:
            return tag
    return None


LANGUAGE_TAG = re.compile(r"^([a-zA-Z]{2,3})(?:[-_]([a-zA-Z]{4}))?(?:[-_]([a-zA-Z]{2}|\d{3}))?$")


def language_tag(value: str | None) -> str | None:
    """A language tag written as the archive writes it: `en`, `en-US`, `zh-Hant-TW` (from `en_us`, `EN-us`)."""
    if not value:
        return None
    value = value.split(",")[0].strip()
    match = LANGUAGE_TAG.match(value)
    if not match:
        return None
    language, script, region = match.groups()
    parts = [language.lower()]
    if script:
        parts.append(script.title())
    if region:
        parts.append(region.upper())
    return "-".join(parts)


def body_blocks(body: etree._Element | None) -> list[tuple[str, str]]:
    """The body's paragraphs and subheads, in order, each with its whitespace made single spaces.

    trafilatura marks a subhead `<head rend="h2">`; a heading level below 2 is kept as h2, as the
    archive's bodies have only `##` to `######`. Each list item, quotation and table row is a paragraph.
    """
    if body is None:
        return []
    blocks: list[tuple[str, str]] = []
    for element in body.iter("head", "p", "item", "quote", "row", "code"):
        if any(ancestor.tag in ("p", "item", "quote", "row", "code", "head") for ancestor in element.iterancestors()):
            continue  # its text is its container's
        if element.tag == "row":
            text = " ".join(" ".join(cell.itertext()).strip() for cell in element.iter("cell"))
        else:
            text = "".join(element.itertext())
        text = " ".join(text.split())
        if not text:
            continue
        kind = "p"
        if element.tag == "head":
            rend = (element.get("rend") or "h2").lower()
            kind = rend if rend in HEADINGS and rend != "h1" else "h2"
        blocks.append((kind, text))
    return blocks


# Where a headline is declared. Without any of them trafilatura takes the first <h2>, a subhead: a guess.
TITLE_SOURCES = (
    "//title | //h1 | //meta[@property='og:title' or @name='title' or @name='twitter:title' or @property='twitter:title']"
    " | //script[@type='application/ld+json']"
)
# Where a page declares its address. Without them trafilatura gives back the address it was given.
URL_SOURCES = "//link[@rel='canonical'] | //meta[@property='og:url' or @name='twitter:url']"
# Where a page names its site. Without them trafilatura takes the address's host, or a copyright line.
SITE_NAME_SOURCES = (
    "//meta[@property='og:site_name' or @name='application-name' or @name='publisher' or @name='copyright']"
    " | //script[@type='application/ld+json']"
)
COPYRIGHT = re.compile(r"copyright|©|\(c\)|版权|all rights reserved", re.IGNORECASE)
TITLE_SEPARATOR = r"\s*[-|–—:：·•»]\s*"


def site_name(name: str | None, address: str | None, declared: bool) -> str | None:
    """The site's name as the page gives it: not a copyright line, nor the host of the address it was found at."""
    if not name or COPYRIGHT.search(name):
        return None
    host = urlsplit(address).hostname if address else None
    if not declared and host and name.lower() in (host, host.removeprefix("www.")):
        return None
    return name


def without_outlet(title: str | None, outlet: str | None) -> str | None:
    """The headline without the outlet's name that a page's `<title>` often ends with ("... | CBC News")."""
    if not title or not outlet:
        return title
    names = {outlet, outlet.removeprefix("www.")}
    for name in names:
        match = re.match(rf"^(.+?){TITLE_SEPARATOR}{re.escape(name)}$", title, re.IGNORECASE)
        if match:
            return match.group(1)
    return title


def clean(value: str | None) -> str | None:
    value = " ".join(value.split()) if value else None
    return value or None


@dataclass(frozen=True)
class WarcPage:
    """One HTML response of a WARC file: its target URI, its WARC-Date, the record as stored in
    the file (its gzip member, in a compressed WARC), the page itself, and the charset its HTTP
    Content-Type declares (None if none)."""

    uri: str
    date: str
    record: bytes
    payload: bytes
    charset: str | None


def warc_responses(data: bytes) -> list[WarcPage]:
    """Every HTML response of a WARC file, gzip-compressed or not, in the file's order.

    The stored record is the record's own bytes in the file, to be kept byte for byte; the payload
    is the page itself, with any chunked or content encoding undone. Bytes that are no WARC are a ValueError.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    pages = []
    try:
        records = ArchiveIterator(io.BytesIO(data))
        for record in records:
            if record.rec_type != "response" or not is_html(record):
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI") or ""
            date = record.rec_headers.get_header("WARC-Date") or ""
            payload = record.content_stream().read()
            content_type = record.http_headers.get_header("Content-Type") or ""
            records.read_to_end(record)
            start, length = records.get_record_offset(), records.get_record_length()
            pages.append(WarcPage(uri, date, data[start : start + length], payload, header_charset(content_type)))
    except ArchiveLoadFailed as error:
        raise ValueError(f"not a WARC file that can be read: {' '.join(str(error).split())}") from error
    return pages


def warc_pages(data: bytes) -> list[tuple[str, str, bytes, bytes]]:
    """Every HTML response of a WARC file as (target URI, WARC-Date, the record as stored, the payload)."""
    return [(page.uri, page.date, page.record, page.payload) for page in warc_responses(data)]


def header_charset(content_type: str) -> str | None:
    """The charset an HTTP Content-Type header declares: `text/html; charset=utf-8` gives utf-8."""
    match = re.search(r"charset\s*=\s*[\"']?([-\w.:]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else None


def is_warc(name: str) -> bool:
    return name.lower().endswith((".warc", ".warc.gz"))


def is_page(name: str) -> bool:
    return name.lower().endswith((".html", ".htm", ".html.gz", ".htm.gz"))


def capture_text(data: bytes, name: str) -> str | None:
    """The text a capture named `name` holds, for checking a body against it: a saved page's
    `page_text`, every HTML response's in a WARC file; None for a capture that is text itself."""
    if is_warc(name):
        return "\n".join(page_text(page.payload, page.charset) for page in warc_responses(data))
    if is_page(name):
        return page_text(data)
    return None


def is_html(record) -> bool:
    """An HTTP response whose content type is HTML (or XHTML)."""
    if record.http_headers is None:
        return False
    content_type = (record.http_headers.get_header("Content-Type") or "").lower()
    return "html" in content_type.split(";")[0]
