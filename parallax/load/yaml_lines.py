"""YAML that remembers the line of each key and refuses duplicate keys; its errors in plain
words."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from ..model import ArchiveError


class Mapping(dict):
    """A YAML mapping that remembers the line of each key, for error messages."""

    line: int = 0
    key_lines: dict[Any, int]


# libyaml's parser where it is installed: the same documents, several times faster.
try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader  # type: ignore[assignment]


class LineLoader(SafeLoader):
    """`yaml.safe_load` that records lines and refuses duplicate keys."""

    first_line = 1  # the file line the YAML text starts on


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> Mapping:
    mapping = Mapping()
    mapping.line = node.start_mark.line + loader.first_line
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, (list, dict)):
            raise yaml.constructor.ConstructorError(
                None, None, "a field's name must be a word, not a list or mapping", key_node.start_mark
            )
        if key in mapping.key_lines:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key '{key}'", key_node.start_mark)
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
        problem, line = explain(error, text)
        raise ArchiveError(path, f"invalid YAML: {problem}", None if line is None else line + first_line) from None
    except yaml.reader.ReaderError as error:  # a character YAML does not allow, at a place in the text
        line = text[: error.position].count("\n") + first_line
        character = f"U+{error.character:04X}" if isinstance(error.character, int) else repr(error.character)
        raise ArchiveError(path, f"a control character ({character}) is not allowed: remove it", line) from None
    except yaml.YAMLError as error:
        raise ArchiveError(path, f"invalid YAML: {error}", first_line) from None
    except ValueError as error:  # a value with an explicit type it cannot have: `!!int x`
        raise ArchiveError(path, f"invalid YAML: {error}", first_line) from None
    finally:
        loader.dispose()


# -- YAML errors in plain words --------------------------------------------------------------
# PyYAML says what its grammar expected, at the place where it gave up: often lines below the
# mistake. Each explainer recognises one kind of mistake and names the line to look at
# (counted from 0), or returns None; PyYAML's own words are the last resort.

QUOTE_NEVER_CLOSED = "a quotation mark opened here is never closed"
NOT_LINED_UP = (
    "this line is not indented like the lines around it: fields of one entry, and items of one list, must line up"
)
ITEM_FOR_FIELD = (
    "a list item ('- ') where a field ('name: value') was expected: is it indented like the list it belongs to?"
)
FIELD_FOR_ITEM = (
    "a field ('name: value') where a list item ('- ') was expected: is it indented like the entry it belongs to?"
)
COLON_IN_VALUE = "a value with ': ' in it must be put in quotes"
CUT_BY_COMMENT = "' #' starts a comment and cuts this value short: put the value in quotes"
TEXT_AFTER_QUOTE = (
    "text follows the closing quotation mark: put the whole value in quotes (write '' for ' inside '...')"
)
BAD_ESCAPE = "a backslash inside double quotes starts an escape such as \\n: write \\\\ for one, or use single quotes"
TAB = "a tab character: indent and separate with spaces, not tabs"
# A line that starts a field or a list item, and its indentation.
FIELD_OR_ITEM = re.compile(r"^( *)(?:- |[\w-]+:(?: |$))")
# A plain value with ' #' in it: YAML reads the rest of the line as a comment.
COMMENTED_VALUE = re.compile(r"^\s*(?:- )?(?:[\w-]+:\s+)?[^\s'\"#\[{|>][^#]*\s#")
# Characters that mean something to YAML at the start of a value.
INDICATORS = "@`%&*!"


Explained = tuple[str, int] | None


def explain(error: yaml.MarkedYAMLError, text: str) -> tuple[str, int | None]:
    """PyYAML's error as a mistake a person can fix, with the line to look at (from 0)."""
    mark = error.problem_mark or error.context_mark
    if mark is None:
        return pyyaml_words(error), None
    lines = text.split("\n")
    # An open quotation mark first: it makes whatever follows it look wrong.
    for explainer in (
        unclosed_quote,
        tab,
        bad_escape,
        colon,
        block,
        bracket,
        stray_text,
        indicator,
        text_after_brackets,
    ):
        explained = explainer(error, mark, lines)
        if explained:
            return explained
    return pyyaml_words(error), mark.line


def pyyaml_words(error: yaml.MarkedYAMLError) -> str:
    return " ".join(filter(None, [error.context, error.problem]))


def unclosed_quote(error: yaml.MarkedYAMLError, mark: yaml.Mark, lines: list[str]) -> Explained:
    """A quotation mark left open runs on to the end, or to the next quotation mark, and PyYAML
    fails far below: find quoted text that runs to the end of the file, or over lines that look
    like fields or list items of their own."""
    loader = SafeLoader("\n".join(lines))
    try:
        while (token := loader.get_token()) is not None:
            start, end = token.start_mark.line, token.end_mark.line
            if start > mark.line:
                return None
            if getattr(token, "style", None) in ("'", '"') and swallows(lines, start, end):
                return QUOTE_NEVER_CLOSED, start
    except yaml.MarkedYAMLError as scanning:
        opened = scanning.context_mark
        if opened and "quoted scalar" in (scanning.context or "") and "end of stream" in (scanning.problem or ""):
            return QUOTE_NEVER_CLOSED, opened.line
    finally:
        loader.dispose()
    return None


def swallows(lines: list[str], start: int, end: int) -> bool:
    """Whether text quoted from line `start` to `end` takes in a line that looks like a field or
    list item no deeper than the line the quotation opens on."""
    opening = indentation(lines[start])
    return any(
        (found := FIELD_OR_ITEM.match(line)) is not None and len(found.group(1)) <= opening
        for line in lines[start + 1 : end + 1]
    )


def tab(error: yaml.MarkedYAMLError, mark: yaml.Mark, lines: list[str]) -> Explained:
    line = line_at(lines, mark.line)
    if "\t" in line[: indentation(line)] or line[mark.column : mark.column + 1] == "\t":
        return TAB, mark.line
    return None


def bad_escape(error: yaml.MarkedYAMLError, mark: yaml.Mark, lines: list[str]) -> Explained:
    return (BAD_ESCAPE, mark.line) if "unknown escape character" in (error.problem or "") else None


def colon(error: yaml.MarkedYAMLError, mark: yaml.Mark, lines: list[str]) -> Explained:
    """': ' where YAML cannot take a new field: inside a value, or after a name indented too deep."""
    if "mapping values are not allowed" not in (error.problem or ""):
        return None
    before = re.sub(r"^\s*(?:-\s+)*", "", line_at(lines, mark.line)[: mark.column])
    if re.fullmatch(r"[\w-]+", before):  # a name alone: a field deeper than its neighbours
        return NOT_LINED_UP, mark.line
    return COLON_IN_VALUE, mark.line


def block(error: yaml.MarkedYAMLError, mark: yaml.Mark, lines: list[str]) -> Explained:
    """A line that does not fit the block mapping or list it stands in."""
    context = error.context or ""
    if "block mapping" not in context and "block collection" not in context:
        return None
    line = line_at(lines, mark.line)
    if mark.column > indentation(line):
        ended_quote = line[: mark.column].rstrip().endswith(("'", '"'))
        return (TEXT_AFTER_QUOTE, mark.line) if ended_quote else None
    cut = None if FIELD_OR_ITEM.match(line) else cut_by_comment(lines, mark.line)
    if cut is not None:
        return CUT_BY_COMMENT, cut
    if error.context_mark and indentation(line) == error.context_mark.column:
        item = line.lstrip().startswith("-")
        if item and "block mapping" in context:
            return ITEM_FOR_FIELD, mark.line
        if not item and "block collection" in context:
            return FIELD_FOR_ITEM, mark.line
    return NOT_LINED_UP, mark.line


def bracket(error: yaml.MarkedYAMLError, mark: yaml.Mark, lines: list[str]) -> Explained:
    """A '[' or '{' list never closed, or one whose items need quotes."""
    if "flow sequence" not in (error.context or "") and "flow mapping" not in (error.context or ""):
        return None
    opened = error.context_mark
    if opened is None:
        return None
    opening = line_at(lines, opened.line)[opened.column :]
    closing = "]" if opening.startswith("[") else "}"
    if closing not in opening:
        return f"a '{opening[:1]}' opened here is never closed: end it with '{closing}'", opened.line
    return (
        f"the '{opening[:1]}...{closing}' here cannot be read: put items with ', ', ': ' or ' #' in quotes",
        opened.line,
    )


def stray_text(error: yaml.MarkedYAMLError, mark: yaml.Mark, lines: list[str]) -> Explained:
    """A line of text where a field was expected."""
    if "could not find expected ':'" not in (error.problem or "") or error.context_mark is None:
        return None
    line = error.context_mark.line
    cut = cut_by_comment(lines, line)
    if cut is not None:
        return CUT_BY_COMMENT, cut
    return "this line is not a field ('name: value'): if it goes on from the line above, indent it more", line


def indicator(error: yaml.MarkedYAMLError, mark: yaml.Mark, lines: list[str]) -> Explained:
    """A value starting with a character YAML reserves: '@', '`', '*', '&', '!', '%'."""
    for place in filter(None, (error.problem_mark, error.context_mark)):
        character = line_at(lines, place.line)[place.column : place.column + 1]
        if character and character in INDICATORS:
            return f"a value starting with '{character}' must be put in quotes", place.line
    return None


# A field's or list item's value that starts with '[' or '{' and goes on after it closes.
FLOW_THEN_TEXT = re.compile(r"^\s*(?:- |(?:- )?[\w-]+:\s+)([\[{])[^\]}]*[\]}]\s*[^\s#]")


def text_after_brackets(error: yaml.MarkedYAMLError, mark: yaml.Mark, lines: list[str]) -> Explained:
    """A value that starts with '[' or '{' and goes on after it closes: `summary: [Geneva] talks`."""
    found = FLOW_THEN_TEXT.match(line_at(lines, mark.line))
    if found is None:
        return None
    kind = "list" if found.group(1) == "[" else "mapping"
    return f"a value starting with '{found.group(1)}' is read as a {kind}: put the whole value in quotes", mark.line


def cut_by_comment(lines: list[str], number: int) -> int | None:
    """The line above `number` (skipping blank ones), if a ' #' cut its value short."""
    above = next((n for n in range(number - 1, -1, -1) if lines[n].strip()), None)
    return above if above is not None and COMMENTED_VALUE.match(lines[above]) else None


def line_at(lines: list[str], number: int) -> str:
    return lines[number] if number < len(lines) else ""


def indentation(line: str) -> int:
    return len(line) - len(line.lstrip())
