"""YAML mistakes in plain words, at the line to fix: the kinds of mistake the catalogue in
test_messages.py does not already name, and the same kinds written a little differently.

Found by mutation testing (see "Mutation testing" in README.md): each case is a message that a
changed line in parallax/load/yaml_lines.py would get wrong without any other test noticing.
"""

from pathlib import Path

import pytest

from parallax.load import parse_yaml
from parallax.model import ArchiveError

TAB = "a tab character: indent and separate with spaces, not tabs"
NEVER_CLOSED = "a quotation mark opened here is never closed"
NOT_LINED_UP = (
    "this line is not indented like the lines around it: fields of one entry, and items of one list, must line up"
)
CUT_BY_COMMENT = "' #' starts a comment and cuts this value short: put the value in quotes"
ITEM_FOR_FIELD = (
    "a list item ('- ') where a field ('name: value') was expected: is it indented like the list it belongs to?"
)
FIELD_FOR_ITEM = (
    "a field ('name: value') where a list item ('- ') was expected: is it indented like the entry it belongs to?"
)
CANNOT_BE_READ = "here cannot be read: put items with ', ', ': ' or ' #' in quotes"

MISTAKES = {
    "a tab before a field": ("story:\n\ttitle: Talks\n", 2, TAB),
    "a tab inside a line's indentation": ("story:\n  title: Talks\n \t summary: Long\n", 3, TAB),
    "a tab after a list item's dash": ("claims:\n  -\tid: talks\n", 2, TAB),
    "a quote never closed, then a field as deep": (
        'story:\n  title: "Talks in Geneva\n  summary: Long talks\nclaims: []\n',
        2,
        NEVER_CLOSED,
    ),
    "a quote never closed, closed by the next line's": (
        'story:\n  title: "Talks\n  summary: "Long talks"\n',
        2,
        NEVER_CLOSED,
    ),
    "a single quote never closed": (
        "story:\n  title: 'Talks in Geneva\n  summary: Long talks\nclaims: []\n",
        2,
        NEVER_CLOSED,
    ),
    "a single quote never closed, closed by the next line's": (
        "story:\n  title: 'Talks\n  summary: 'Long talks'\n",
        2,
        NEVER_CLOSED,
    ),
    "a quoted value over two lines, then a tab": (
        'story:\n  title: "We will stay\n    until the end"\n\tsummary: x\n',
        4,
        TAB,
    ),
    "a value cut by a comment, then its next line": (
        "story:\n  title: Talks #1 in Geneva, the\n    second round\n",
        2,
        CUT_BY_COMMENT,
    ),
    "a value cut by a comment, a blank line, then its next line": (
        "story:\n  title: Talks #1 in Geneva, the\n\n    second round\n",
        2,
        CUT_BY_COMMENT,
    ),
    "a value cut by a comment, then a line of text": (
        "story:\n  title: Talks #1 in Geneva\n  second round\n",
        2,
        CUT_BY_COMMENT,
    ),
    "a value cut by a comment on the first line": (
        "title: Talks #1 in Geneva, the\n    second round\n",
        1,
        CUT_BY_COMMENT,
    ),
    "a field out of line below a value with a comment": (
        "story:\n  title: Talks #1 in Geneva\n   summary: x\n",
        3,
        NOT_LINED_UP,
    ),
    "a list item among an entry's fields": (
        "claims:\n  - id: a\n    statement: S\n    - speaker: P\n",
        4,
        ITEM_FOR_FIELD,
    ),
    "a field among a list's items": ("claims:\n  - id: a\n  speaker: P\n", 3, FIELD_FOR_ITEM),
    "a '{' never closed": (
        "story:\n  title: {a: 1\n  summary: x\n",
        2,
        "a '{' opened here is never closed: end it with '}'",
    ),
    "a '[' that cannot be read": ("story:\n  title: [a, b: c: d]\n", 2, f"the '[...]' {CANNOT_BE_READ}"),
    "a '{' that cannot be read": ("story:\n  title: {a: b: c}\n", 2, f"the '{{...}}' {CANNOT_BE_READ}"),
    "a second document": (
        "story:\n  title: T\n---\nclaims: []\n",
        3,
        "expected a single document in the stream but found another document",
    ),
}


@pytest.mark.parametrize("case", list(MISTAKES))
def test_a_yaml_mistake_is_named_in_plain_words_at_its_line(case):
    text, line, message = MISTAKES[case]
    with pytest.raises(ArchiveError) as caught:
        parse_yaml(text, Path("claims.yaml"))
    assert str(caught.value) == f"claims.yaml:{line}: invalid YAML: {message}"


def test_text_after_a_closing_bracket_is_not_called_text_after_a_quotation_mark():
    with pytest.raises(ArchiveError) as caught:
        parse_yaml("story:\n  title: Talks\n  summary: [Geneva] talks\n", Path("claims.yaml"))
    assert caught.value.line == 3 and "quotation mark" not in caught.value.message
    assert (
        caught.value.message
        == "invalid YAML: a value starting with '[' is read as a list: put the whole value in quotes"
    )


def test_a_list_as_a_fields_name_is_a_mistake_at_its_line_not_a_crash():
    with pytest.raises(ArchiveError) as caught:
        parse_yaml("story:\n  title: T\nclaims:\n  - id: x\n    [a, b]: y\n", Path("claims.yaml"))
    assert str(caught.value) == "claims.yaml:5: invalid YAML: a field's name must be a word, not a list or mapping"


def test_a_control_character_is_named_in_one_line_at_its_line():
    with pytest.raises(ArchiveError) as caught:
        parse_yaml('story:\n  title: "T\x01"\nclaims: []\n', Path("claims.yaml"))
    assert str(caught.value) == "claims.yaml:2: a control character (U+0001) is not allowed: remove it"
