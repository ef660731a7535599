"""Stage 1: read `articles/*.md` and `claims.yaml`, validate them, and return an `Archive`.

Every problem is collected with its file and line, so that one run reports all of them.
"""

from __future__ import annotations

import datetime
import html.parser
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import langcodes
import markdown
import yaml

from .model import (
    CLAIM_KINDS,
    Archive,
    ArchiveError,
    ArchiveErrors,
    Article,
    Block,
    Claim,
    Story,
)
from .parallel import map_numbers

# Ids become file names and addresses: keep them portable and readable.
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Names Windows keeps for devices: a file so named cannot be written or copied there.
RESERVED_IDS = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))}
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
# A tag-like `<...>` in an article body: the body is text, never markup.
HTML_TAG = re.compile(r"<(?:[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?|/[A-Za-z][A-Za-z0-9-]*\s*|!--.*?)>")


def load_archive(root: Path, jobs: int = 1) -> Archive:
    """Load and validate the archive in `root`; raise `ArchiveErrors` listing every problem.

    `jobs`: how many processes may read the articles."""
    errors: list[ArchiveError] = []
    articles = load_articles(root / "articles", errors, jobs)
    story, claims = load_claims(root / "claims.yaml", errors)
    known = {path.stem for path in (root / "articles").glob("*.md")}  # loaded or not
    for claim in claims:
        for article_id in claim.articles:
            if article_id not in known:
                errors.append(ArchiveError(root / "claims.yaml", f"claim '{claim.id}' names an unknown article '{article_id}'", claim.line))
    if errors:
        raise ArchiveErrors(errors)
    return Archive(story=story, articles=articles, claims=claims)


# -- reading files -------------------------------------------------------------------------


def read_text(path: Path) -> str:
    """A file's text: UTF-8, a byte-order mark and CRLF line ends tolerated."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ArchiveError(path, f"cannot read: {error.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ArchiveError(
            path, f"not UTF-8 text (byte 0x{data[error.start]:02x}); save the file as UTF-8", line
        ) from None
    if "\x00" in text:
        raise ArchiveError(path, "a binary file, not text", text[: text.index("\x00")].count("\n") + 1)
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


class Mapping(dict):
    """A YAML mapping that remembers the line of each key, for error messages."""

    line: int = 0
    key_lines: dict[Any, int]


# libyaml's parser where it is installed: the same documents, several times faster.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineLoader(SafeLoader):
    """`yaml.safe_load` that records lines and refuses duplicate keys."""

    first_line = 1  # the file line the YAML text starts on


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> Mapping:
    mapping = Mapping()
    mapping.line = node.start_mark.line + loader.first_line
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping.key_lines:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}'", key_node.start_mark
            )
        mapping.key_lines[key] = key_node.start_mark.line + loader.first_line
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Dates stay text until a field check reads them, so that a bad one is reported with its line.
LineLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_yaml(text: str, path: Path, first_line: int = 1) -> Any:
    """Parse YAML; `first_line` is the file line the text starts on."""
    loader = LineLoader(text)
    loader.first_line = first_line
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + first_line if mark else None
        problem = " ".join(filter(None, [error.context, error.problem]))
        raise ArchiveError(path, f"invalid YAML: {problem}", line) from None
    except yaml.YAMLError as error:
        raise ArchiveError(path, f"invalid YAML: {error}", first_line) from None
    finally:
        loader.dispose()


# -- field checks: each takes a YAML value and returns it checked, or raises ValueError ------


def text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"must be text, not {describe(value)} (put it in quotes)")
    return " ".join(value.split())


def identifier(value: Any) -> str:
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise ValueError(f"must be lower-case letters and digits joined by hyphens, not {describe(value)}")
    if value in RESERVED_IDS:
        raise ValueError(f"cannot be '{value}', a name some systems keep for a device")
    return value


def identifiers(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ValueError(f"must be a list of ids, not {describe(value)}")
    return tuple(identifier(item) for item in value)


def iso_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"must be a date written YYYY-MM-DD, not {describe(value)}")


def language(value: Any) -> str:
    if not isinstance(value, str) or not langcodes.tag_is_valid(value) or not LANGUAGE_PATTERN.match(value):
        raise ValueError(f"must be a language code such as 'en' or 'ru', not {describe(value)}")
    return value


def web_address(value: Any) -> str:
    address = text(value)
    if not re.match(r"^https?://[^\s/]+", address):
        raise ValueError(f"must be an http:// or https:// address, not {describe(value)}")
    return address


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


# -- articles ------------------------------------------------------------------------------

ARTICLE_SCHEMA: Schema = {
    "outlet": (text, True),
    "title": (text, False),
    "published": (iso_date, True),
    "author": (text, False),
    "url": (web_address, False),
    "language": (language, True),
    "translated_from": (language, False),
    "via": (text, False),
    "capture": (text, False),
    "edits": (text_list, False),
    "notes": (text, False),
}


def load_articles(folder: Path, errors: list[ArchiveError], jobs: int = 1) -> tuple[Article, ...]:
    if not folder.is_dir():
        errors.append(ArchiveError(folder, "no articles folder: put one Markdown file per article there"))
        return ()
    paths = sorted(folder.glob("*.md"))
    converter = BodyConverter()

    def load(number: int) -> tuple[Article | None, list[ArchiveError]]:
        found: list[ArchiveError] = []
        try:
            return load_article(paths[number], folder, converter, found), found
        except ArchiveError as error:
            return None, [*found, error]

    articles = []
    for article, found in map_numbers(load, len(paths), jobs):
        articles.append(article)
        errors.extend(found)
    if not articles and not errors:
        errors.append(ArchiveError(folder, "no articles: add one Markdown file (.md) per article"))
    return tuple(sorted((a for a in articles if a), key=lambda a: (a.published, a.id)))


def split_front_matter(source: str, path: Path) -> tuple[str, str, int]:
    """Return (front matter, body, line the body starts on)."""
    lines = source.split("\n")
    if not lines or lines[0].strip() != "---":
        raise ArchiveError(path, "no front matter: the file must start with '---', the fields, then '---'", 1)
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == "---":
            return "\n".join(lines[1 : number - 1]), "\n".join(lines[number:]), number + 1
    raise ArchiveError(path, "front matter is never closed: add a line '---' after the fields", 1)


def load_article(path: Path, folder: Path, converter: BodyConverter, errors: list[ArchiveError]):
    article_id = path.stem
    if not ID_PATTERN.match(article_id) or article_id in RESERVED_IDS:
        suggested = "-".join(re.findall(r"[a-z0-9]+", article_id.lower())) or "outlet-headline"
        raise ArchiveError(
            path, f"file name must be lower-case letters and digits joined by hyphens: rename it, e.g. {suggested}.md"
        )
    if not path.resolve().is_relative_to(folder.parent.resolve()):
        raise ArchiveError(path, "a link to a file outside the archive: copy the file into articles/ instead")
    front, body, body_line = split_front_matter(read_text(path), path)
    fields = read_fields(parse_yaml(front, path, first_line=2), ARTICLE_SCHEMA, path, errors, "front matter")
    found = len(errors)
    capture = fields and fields.get("capture") and capture_path(folder, fields, path, errors)
    blocks_text = converter.convert(body, body_line, path, errors)
    if fields is None or len(errors) > found:
        return None
    text, blocks = blocks_text
    if capture:
        check_against_capture(text, blocks, capture, path, errors)
    return Article(
        id=article_id,
        path=path,
        outlet=fields["outlet"],
        published=fields["published"],
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
    )


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


def check_against_capture(text: str, blocks, capture: Path, path: Path, errors: list[ArchiveError]) -> None:
    """Every paragraph of the body must stand in the original capture: nothing reworded."""
    try:
        original = squeeze(read_text(capture))
    except ArchiveError as error:
        errors.append(error)
        return
    for block in blocks:
        words = text[block.start : block.end]
        if squeeze(words) not in original:
            shown = words if len(words) <= 60 else words[:57] + "..."
            errors.append(ArchiveError(path, f"paragraph not found in its capture {capture.name}: \"{shown}\"", block.line))


class BodyConverter:
    """Markdown body -> plain text and blocks, with the line each block starts on."""

    def __init__(self):
        self.markdown = markdown.Markdown()
        # The body is text: raw HTML is refused before conversion and never passed through.
        self.markdown.preprocessors.deregister("html_block")
        self.markdown.inlinePatterns.deregister("html")

    def convert(self, body: str, first_line: int, path: Path, errors: list[ArchiveError]):
        lines = body.split("\n")
        for number, line in enumerate(lines, start=first_line):
            tag = HTML_TAG.search(line)
            if tag:
                errors.append(
                    ArchiveError(path, f"HTML is not allowed in an article ({tag.group()}); write '<' as '&lt;'", number)
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
# syntax (headings, lists, quotes, rules, code) at the start of a line.
MARKDOWN_SYNTAX = re.compile(r"[\\`*_\[\]<>&!|~]|^\s*(?:[-+=>#]|\d+[.)])|^(?: {4}|\t)", re.MULTILINE)


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


# -- claims --------------------------------------------------------------------------------

STORY_SCHEMA: Schema = {"title": (text, True), "summary": (text, False), "url": (web_address, False)}

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


def load_claims(path: Path, errors: list[ArchiveError]) -> tuple[Story, tuple[Claim, ...]]:
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
                ArchiveError(path, f"claim id '{fields['id']}' is used twice (first on line {lines_by_id[fields['id']]})", line)
            )
            continue
        lines_by_id[fields["id"]] = line
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
