"""Articles: one Markdown file each, front matter and body, checked against its capture if
it has one; the body made plain text and blocks."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import html.parser
import os
import pickle
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import markdown

from ..cache import Cache
from ..model import ArchiveError, Article, Block
from ..parallel import map_numbers
from .fields import (
    ID_PATTERN,
    RESERVED_IDS,
    Schema,
    as_date,
    date_or_time,
    future_dates,
    language,
    read_fields,
    suggested_id,
    text,
    text_list,
    web_address,
)
from .files import kept_or_read, read_bytes, read_text, split_front_matter, text_of
from .yaml_lines import parse_yaml

SHA256 = re.compile(r"^[0-9a-f]{64}$")


def sha256(value: Any) -> str:
    """A SHA-256 digest, as 64 lower-case hexadecimal digits."""
    if not isinstance(value, str) or not SHA256.match(value.strip().lower()):
        raise ValueError("must be a SHA-256 digest: 64 hexadecimal digits (put it in quotes)")
    return value.strip().lower()


# A tag-like `<...>` in an article body: the body is text, never markup.
HTML_TAG = re.compile(r"<(?:[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?|/[A-Za-z][A-Za-z0-9-]*\s*|!--.*?)>")

ARTICLE_SCHEMA: Schema = {
    "outlet": (text, True),
    "title": (text, False),
    "published": (date_or_time, True),
    "author": (text, False),
    "url": (web_address, False),
    "language": (language, True),
    "translated_from": (language, False),
    "via": (text, False),
    "capture": (text, False),
    "capture_sha256": (sha256, False),
    "captured_from": (web_address, False),
    "captured_at": (date_or_time, False),
    "edits": (text_list, False),
    "notes": (text, False),
}


def article_files(folder: Path) -> list[Path]:
    """The articles' files, by name (Paths of one folder sort so, slowly). A hidden one is no
    article: an editor's lock (.#x.md) or temporary copy."""
    return sorted((path for path in folder.glob("*.md") if not path.name.startswith(".")), key=lambda path: path.name)


def load_articles(
    folders: list[Path],
    listed: list[list[Path]],
    errors: list[ArchiveError],
    warnings: list[str],
    jobs: int = 1,
    cache: Cache | None = None,
) -> list[tuple[Article, ...]]:
    """Each folder's articles (`listed`: its article_files), sorted by publication date, then
    id: every story's at once, so that the work is shared over `jobs` processes however the
    archive is cut into stories.

    An article read at the last build from the same file, checked against the same capture, is
    taken from `cache`: only one read without an error or a warning is kept, so that those are
    told at every build."""
    paths: list[tuple[int, Path]] = []  # (the number of its folder, the file)
    for number, (folder, files) in enumerate(zip(folders, listed, strict=True)):
        if not folder.is_dir():
            errors.append(ArchiveError(folder, "no articles folder: put one Markdown file per article there"))
            continue
        if not files:
            errors.append(ArchiveError(folder, "no articles: add one Markdown file (.md) per article"))
        paths += [(number, path) for path in files]
    converter = BodyConverter()
    cache = cache or Cache()
    # Once a folder, not once a file: each costs a system call (and pathlib's) for thousands of files.
    linked = [folder.is_symlink() for folder in folders]
    stories = [folder.parent for folder in folders]

    def load(number: int) -> Read:
        story, path = paths[number]
        return read_article(path, folders[story], linked[story], converter, cache)

    loaded: list[list[Article]] = [[] for _ in folders]
    for (story, path), read in zip(paths, map_numbers(load, len(paths), jobs), strict=True):
        article = kept_here(read.kept, path, cache.carried_articles.get(read.key)) if read.kept else read.article
        if article:
            loaded[story].append(article)
            if not read.warnings and read.capture is not None:
                kept = read.kept or pickle.dumps(article, protocol=pickle.HIGHEST_PROTOCOL)
                cache.keep_article(stories[story], read.key, read.capture.state, article, kept)
                cache.keep_read(stories[story], read.signed, read.key)
                cache.keep_read(stories[story], read.capture.signed, read.capture.digest)
        errors.extend(read.errors)
        warnings.extend(read.warnings)
    return [tuple(sorted(articles, key=lambda a: (a.published, a.id))) for articles in loaded]


def kept_here(kept: bytes, path: Path, carried: Article | None = None) -> Article:
    """An article kept at the last build (the very object, where that build ran in this process
    and hands it on: `carried`), with its file as this build names it: the archive may have been
    named otherwise then (`.`, or its full path)."""
    article = carried if carried is not None else pickle.loads(kept)
    return article if article.path == path else dataclasses.replace(article, path=path)


@dataclass(frozen=True)
class Read:
    """An article's file as a worker read it: the article, or its pickle kept at the last build
    (which crosses from a worker quicker); and the key and capture it is kept under."""

    article: Article | None
    kept: bytes | None
    key: str
    signed: str | None  # what its key is kept under by the file's signature (Cache.signed_key)
    capture: Capture | None  # None if it could not be read
    errors: list[ArchiveError]
    warnings: list[str]


def read_article(path: Path, folder: Path, folder_linked: bool, converter: BodyConverter, cache: Cache) -> Read:
    """The article in `path`, in `folder` (a link, if `folder_linked`), as kept at the last build
    if its file and capture are unchanged: the file not even read where its signature is the one
    it had then."""
    errors: list[ArchiveError] = []
    warnings: list[str] = []
    try:
        check_file(path, folder, folder_linked)  # not kept: it depends on where the file lies, not on its bytes
        key, signed, kept, data = kept_or_read(path, cache, cache.kept_article)
        if kept and (capture := capture_unchanged(kept[0], folder, cache)):
            return Read(None, kept[1], key, signed, capture, [], [])
        data = data or read_bytes(path)
    except ArchiveError as error:
        return Read(None, None, "", None, None, [error], [])
    article = load_article(path, folder, data, converter, errors, warnings)
    if article is None:
        return Read(None, None, key, signed, None, errors, warnings)
    capture = capture_of(article.capture, cache)
    if capture is not None:
        article = dataclasses.replace(article, capture_digest=capture.digest)
    return Read(article, None, key, signed, capture, errors, warnings)


class Capture(NamedTuple):
    """What an article's check against its capture depends on, `state`: the capture's file and a
    digest of its bytes, "" for an article without one. The digest is kept under the capture's
    signature (`signed`: see Cache.signed_key), so that an unchanged capture is not read again:
    a saved page or a WARC file may weigh megabytes."""

    state: str
    digest: str = ""
    signed: str | None = None


NO_CAPTURE = Capture("")


def capture_of(capture: Path | None, cache: Cache) -> Capture | None:
    """An article's capture, as its check depends on it; None if it cannot be read."""
    if capture is None:
        return NO_CAPTURE
    signed = cache.signed_key(capture)
    if (digest := cache.unchanged_key(signed)) is None:
        try:
            digest = hashlib.blake2b(capture.read_bytes(), digest_size=16).hexdigest()
        except OSError:
            return None
    return Capture(f"{capture}\x00{digest}", digest, signed)


def capture_unchanged(state: str, folder: Path, cache: Cache) -> Capture | None:
    """An article's capture as it was when the article was kept (`state`): the same file, still
    inside the articles folder, with the same bytes; None if it is not."""
    if not state:
        return NO_CAPTURE
    capture = Path(state.split("\x00")[0])
    if not capture.is_relative_to(cache.real_folder(folder)):
        return None
    now = capture_of(capture, cache)
    return now if now is not None and now.state == state else None


def load_article(
    path: Path, folder: Path, data: bytes, converter: BodyConverter, errors: list[ArchiveError], warnings: list[str]
) -> Article | None:
    """The article in `path`, whose bytes are `data`; None if it has problems, each added to
    `errors`: as many as can be found in one reading (a bad field and a bad paragraph both), so
    they are fixed in one go."""
    found = len(errors)
    parts = file_parts(path, data, errors)
    if parts is None:
        return None
    front_matter, body, body_line = parts
    fields = read_fields(front_matter, ARTICLE_SCHEMA, path, errors, "front matter")
    capture = fields and fields.get("capture") and capture_path(folder, fields, path, errors)
    blocks_text = converter.convert(body, body_line, path, errors)
    if fields is None or len(errors) > found:
        return None
    warnings.extend(future_dates(fields, front_matter, path))
    text, blocks = blocks_text
    if capture:
        digest = fields.get("capture_sha256")
        line = front_matter.key_lines.get("capture_sha256") if hasattr(front_matter, "key_lines") else None
        if digest and not check_digest(capture, digest, path, line, errors):
            return None
        check_against_capture(text, blocks, capture, path, errors)
        if len(errors) > found:
            return None
    return Article(
        id=path.stem,
        path=path,
        outlet=fields["outlet"],
        published=as_date(fields["published"]),
        language=fields["language"],
        title=fields.get("title"),
        author=fields.get("author"),
        url=fields.get("url"),
        translated_from=fields.get("translated_from"),
        via=fields.get("via"),
        capture=capture,
        edits=fields.get("edits", ()),
        notes=fields.get("notes"),
        text=text,
        blocks=blocks,
        published_at=fields["published"] if isinstance(fields["published"], datetime.datetime) else None,
    )


def file_parts(path: Path, data: bytes, errors: list[ArchiveError]) -> tuple[Any, str, int] | None:
    """The file's front matter, read, its body and the line the body starts on; None, with the
    error added, if the file cannot be read that far."""
    try:
        front, body, body_line = split_front_matter(text_of(data, path), path)
        return parse_yaml(front, path, first_line=2), body, body_line
    except ArchiveError as error:
        errors.append(error)
        return None


def check_file(path: Path, folder: Path, folder_linked: bool) -> None:
    """An article's file must be named as its address will be, and lie in the archive (`folder`:
    its articles folder, a link if `folder_linked`)."""
    stem = path.stem
    if not ID_PATTERN.match(stem) or stem in RESERVED_IDS:
        suggested = suggested_id(stem) or "outlet-headline"
        raise ArchiveError(
            path, f"file name must be lower-case letters and digits joined by hyphens: rename it, e.g. {suggested}.md"
        )
    # Only a link leads out, the file's or its folder's: above them, both sides resolve alike.
    # Resolving costs a system call for each folder of the path, for each of thousands of files.
    linked = folder_linked or os.path.islink(path)
    if linked and not path.resolve().is_relative_to(folder.parent.resolve()):
        raise ArchiveError(path, "a link to a file outside the archive: copy the file into articles/ instead")


def capture_path(folder: Path, fields: dict, path: Path, errors: list[ArchiveError]) -> Path | None:
    """The capture's file, which must be inside the articles folder."""
    capture = (folder / fields["capture"]).resolve()
    if not capture.is_relative_to(folder.resolve()):
        errors.append(ArchiveError(path, f"'capture' must be a file inside {folder}, not {fields['capture']}"))
    elif not capture.is_file():
        errors.append(ArchiveError(path, f"'capture' names a file that does not exist: {fields['capture']}"))
    else:
        return capture
    return None


def squeeze(value: str) -> str:
    """Text without any whitespace: captures break lines and spaces in arbitrary places."""
    return "".join(value.split())


# Captures read as web pages: saved pages and WARC files, gzip-compressed or not.
PAGE_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz", ".warc", ".warc.gz")


def check_digest(capture: Path, digest: str, path: Path, line: int | None, errors: list[ArchiveError]) -> bool:
    """The capture's bytes must still be those it was imported from: False, with the error added, if not."""
    if hashlib.sha256(capture.read_bytes()).hexdigest() == digest:
        return True
    errors.append(
        ArchiveError(
            path,
            f"the capture {capture.name} has changed since it was imported: its SHA-256 is no longer "
            "capture_sha256's; restore the capture as it was saved",
            line,
        )
    )
    return False


def check_against_capture(text: str, blocks, capture: Path, path: Path, errors: list[ArchiveError]) -> None:
    """Every paragraph of the body must stand in the original capture: nothing reworded. A saved
    page or a WARC file is compared by the text it holds (`page_text`: no tags, scripts or styles)."""
    try:
        page = None
        if capture.name.lower().endswith(PAGE_SUFFIXES):
            from ..capture import capture_text  # only then: reading pages needs trafilatura, slow to import

            page = capture_text(capture.read_bytes(), capture.name)
        original = squeeze(read_text(capture) if page is None else page)
    except ArchiveError as error:
        errors.append(error)
        return
    except (OSError, ValueError) as error:
        errors.append(ArchiveError(path, f"its capture {capture.name} cannot be read: {error}"))
        return
    for block in blocks:
        words = text[block.start : block.end]
        if squeeze(words) not in original:
            shown = words if len(words) <= 60 else words[:57] + "..."
            errors.append(
                ArchiveError(path, f'paragraph not found in its capture {capture.name}: "{shown}"', block.line)
            )


class BodyConverter:
    """Markdown body -> plain text and blocks, with the line each block starts on."""

    def __init__(self):
        self.markdown = markdown.Markdown()
        # The body is text: raw HTML is refused before conversion and never passed through.
        self.markdown.preprocessors.deregister("html_block")
        self.markdown.inlinePatterns.deregister("html")

    def convert(self, body: str, first_line: int, path: Path, errors: list[ArchiveError]):
        lines = body.split("\n")
        for number, written in enumerate(lines, start=first_line):
            tag = HTML_TAG.search(written)
            if tag:
                errors.append(
                    ArchiveError(
                        path, f"HTML is not allowed in an article ({tag.group()}); write '<' as '&lt;'", number
                    )
                )
                return None
        texts: list[tuple[str, str, int]] = []
        for chunk, line in chunks(lines, first_line):
            texts.extend((kind, words, line) for kind, words in self.blocks(chunk))
        text, blocks = "", []
        for kind, words, line in texts:
            if text:
                text += "\n\n"
            blocks.append(Block(kind=kind, start=len(text), end=len(text) + len(words), line=line))
            text += words
        if not blocks:
            errors.append(ArchiveError(path, "the article has no text after its front matter", first_line))
            return None
        return text, tuple(blocks)

    def blocks(self, chunk: str) -> list[tuple[str, str]]:
        """One chunk's blocks: (kind, text). Most paragraphs of news are plain prose, which
        Markdown would leave as it is, so they skip it: the same result, many times faster."""
        if not MARKDOWN_SYNTAX.search(chunk):
            words = " ".join(chunk.split())
            return [("p", words)] if words else []
        self.markdown.reset()
        return html_blocks(self.markdown.convert(chunk))


# What could make Markdown change a chunk's text: inline syntax or entities anywhere, block
# syntax (headings, lists, quotes, rules, code) at the start of a line. A line indented to the
# fourth column is code, whether by spaces or by a tab after up to three of them.
MARKDOWN_SYNTAX = re.compile(r"[\\`*_\[\]<>&!|~]|^\s*(?:[-+=>#]|\d+[.)])|^ {0,3}\t|^ {4}", re.MULTILINE)


def chunks(lines: list[str], first_line: int):
    """Runs of non-blank lines, each with the line it starts on."""
    start = None
    for index, line in enumerate([*lines, ""]):
        if line.strip() and start is None:
            start = index
        elif not line.strip() and start is not None:
            yield "\n".join(lines[start:index]), first_line + start
            start = None


BLOCK_TAGS = {"p", "li", "pre", "blockquote", "ul", "ol", "div", "dt", "dd", "td", "th", "hr", "table", "tr"}
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def html_blocks(html: str) -> list[tuple[str, str]]:
    """The text of each block element in Markdown's HTML output, whitespace folded."""
    parser = _BlockParser()
    parser.feed(html)
    parser.close()
    parser.flush()
    return parser.blocks


class _BlockParser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []
        self.words: list[str] = []
        self.kind = "p"

    def flush(self):
        folded = " ".join("".join(self.words).split())
        if folded:
            self.blocks.append((self.kind, folded))
        self.words = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS or tag in HEADING_TAGS:
            self.flush()
            # A document-level heading would compete with the page title: subheads start at h2.
            self.kind = "h2" if tag == "h1" else tag if tag in HEADING_TAGS else "p"
        elif tag == "br":
            self.words.append(" ")

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS or tag in HEADING_TAGS:
            self.flush()
            self.kind = "p"

    def handle_data(self, data):
        self.words.append(data)
