"""What the curator reads: suggestions that paste as printed, YAML mistakes in plain words at the
line to fix, dates no calendar has or still to come, and a usable id offered for a bad one."""

import datetime

import pytest

from parallax.cli import main
from parallax.load import load_archive
from parallax.model import ArchiveErrors

from conftest import CLAIM_IN_ONE_ARTICLE, MINISTRY


def errors_of(small) -> list[str]:
    with pytest.raises(ArchiveErrors) as caught:
        small.load()
    return [str(error).removeprefix(f"{small.root}/") for error in caught.value.errors]


def write_claims_yaml(small, text: str) -> None:
    (small.root / "claims.yaml").write_text(text, encoding="utf-8")


# -- suggest -------------------------------------------------------------------------------

RETURN = "The delegation will come back to Geneva in the spring to finish the work"


def test_suggestions_pasted_as_printed_below_the_claims_become_claims(small, capsys):
    small.claims(CLAIM_IN_ONE_ARTICLE)  # the ministry's statement is left without a claim
    small.article("courier-three", "The Courier", "Envoys leave", 3, f"An aide said: “{RETURN}.”")
    small.article("post-four", "The Post", "Back in spring", 4, f"“{RETURN},” an aide told reporters.")
    assert main(["suggest", "--source", str(small.root)]) == 0
    printed = capsys.readouterr().out
    claims_yaml = small.root / "claims.yaml"
    claims_yaml.write_text(claims_yaml.read_text(encoding="utf-8") + printed, encoding="utf-8")
    claims = small.load().claims
    assert claims[0].id == "talks-ended-friday"
    assert sorted(claim.statement.rstrip(".") for claim in claims[1:]) == sorted([MINISTRY, RETURN])
    assert "  # Speaker and channel are guesses" in printed


# -- YAML mistakes -------------------------------------------------------------------------

STORY = "story:\n  title: Talks in Geneva\nclaims:\n"  # lines 1 to 3


def claim(number: int, statement: str = "The talks ended on Friday.", speaker: str = "The Daily") -> str:
    """A claims.yaml entry of five lines: id, statement, speaker, channel, kind."""
    return (
        f"  - id: claim-{number}\n    statement: {statement}\n    speaker: {speaker}\n"
        "    channel: report\n    kind: passage\n"
    )


@pytest.mark.parametrize("later_statements", ["The talks ended on Friday.", '"The talks ended on Friday."'])
def test_a_quote_never_closed_is_named_where_it_opens_not_where_yaml_gives_up(small, later_statements):
    # Claim 2's statement opens a quote on line 10; 140 lines of good claims follow, either
    # without quotes (YAML reads on to the end) or with them (the next quote closes it).
    entries = [
        claim(1),
        claim(2, '"We will not accept any attempt to blame us'),
        *(claim(n, later_statements) for n in range(3, 31)),
    ]
    write_claims_yaml(small, STORY + "".join(entries))
    assert errors_of(small) == ["claims.yaml:10: invalid YAML: a quotation mark opened here is never closed"]


NOT_LINED_UP = "invalid YAML: this line is not indented like the lines around it"
YAML_MISTAKES = {
    "a field indented less than the others of its entry": (
        STORY + claim(1).replace("    speaker", "   speaker"),
        f"claims.yaml:6: {NOT_LINED_UP}",
    ),
    "a field indented more than the others of its entry": (
        STORY + claim(1).replace("    speaker", "      speaker"),
        f"claims.yaml:6: {NOT_LINED_UP}",
    ),
    "a story field out of line": (
        "story:\n  title: Talks\n summary: Long talks\nclaims: []\n",
        f"claims.yaml:3: {NOT_LINED_UP}",
    ),
    "an entry pasted at the left edge below indented ones": (
        STORY + claim(1) + claim(2).replace("\n  ", "\n").removeprefix("  "),
        "claims.yaml:9: invalid YAML: a list item ('- ') where a field ('name: value') was expected",
    ),
    "a field where a list item was expected": (
        STORY + claim(1) + "  notes: Said twice.\n",
        "claims.yaml:9: invalid YAML: a field ('name: value') where a list item ('- ') was expected",
    ),
    "a tab for indentation": (
        STORY + claim(1).replace("    speaker", "\tspeaker"),
        "claims.yaml:6: invalid YAML: a tab character: indent and separate with spaces",
    ),
    "': ' in a value": (
        STORY + claim(1, "He said: no more talks."),
        "claims.yaml:5: invalid YAML: a value with ': ' in it must be put in quotes",
    ),
    "' #' cutting a value short": (
        STORY + claim(1, "We are #1 in\n      the region, he said."),
        "claims.yaml:5: invalid YAML: ' #' starts a comment and cuts this value short",
    ),
    "a line of text where a field was expected": (
        STORY + claim(1) + "The talks ended on Friday.\n",
        "claims.yaml:9: invalid YAML: this line is not a field ('name: value')",
    ),
    "a '[' never closed": (
        STORY + claim(1) + "    articles: [daily-one, herald-two\n" + claim(2),
        "claims.yaml:9: invalid YAML: a '[' opened here is never closed",
    ),
    "a '{' never closed": (
        "story: {title: Talks\nclaims: []\n",
        "claims.yaml:1: invalid YAML: a '{' opened here is never closed",
    ),
    "text after the closing quote": (
        STORY + claim(1, '"We will not accept" any attempt to blame us.'),
        "claims.yaml:5: invalid YAML: text follows the closing quotation mark",
    ),
    "an apostrophe inside single quotes": (
        STORY + claim(1, speaker="'People's Front'"),
        "claims.yaml:6: invalid YAML: text follows the closing quotation mark",
    ),
    "a value starting with '@'": (
        STORY + claim(1, speaker="@IsraelMFA on X"),
        "claims.yaml:6: invalid YAML: a value starting with '@' must be put in quotes",
    ),
    "a backslash in double quotes": (
        STORY + claim(1, statement='"Files in C:\\data were lost."'),
        "claims.yaml:5: invalid YAML: a backslash inside double quotes starts an escape",
    ),
}


@pytest.mark.parametrize("case", list(YAML_MISTAKES))
def test_a_yaml_mistake_is_named_in_plain_words_at_its_line(small, case):
    text, expected = YAML_MISTAKES[case]
    write_claims_yaml(small, text)
    (message,) = errors_of(small)
    assert message.startswith(expected), message


def test_a_yaml_mistake_in_front_matter_is_named_at_its_line_in_the_file(small):
    (small.root / "articles" / "bad.md").write_text(
        "---\noutlet: X\ntitle: Russia: we talk to all sides\npublished: 2024-03-05\nlanguage: en\n---\n\nText.\n",
        encoding="utf-8",
    )
    assert errors_of(small) == ["articles/bad.md:3: invalid YAML: a value with ': ' in it must be put in quotes"]


# -- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, why",
    [
        ("2023-10-32", "October has 31 days"),
        ("2023-04-31", "April has 30 days"),
        ("2023-02-29", "February 2023 has 28 days"),
        ("2023-13-01", "there is no month 13"),
        ("2023-10-00", "there is no day 0"),
    ],
)
def test_a_date_no_calendar_has_is_named_as_such(small, written, why):
    path = small.root / "articles" / "daily-one.md"
    path.write_text(path.read_text().replace("published: 2024-03-01", f"published: {written}"))
    assert errors_of(small) == [f"articles/daily-one.md:4: 'published' is {written}, not a real date: {why}"]


def test_a_claim_date_no_calendar_has_is_named_as_such(small):
    path = small.root / "claims.yaml"
    path.write_text(path.read_text().replace("date: 2024-03-01", "date: 2024-11-31"))
    assert errors_of(small) == ["claims.yaml:8: 'date' is 2024-11-31, not a real date: November has 30 days"]


def set_dates(small, day: datetime.date) -> None:
    """The first article's publication date and the claim's date."""
    for path in (small.root / "articles" / "daily-one.md", small.root / "claims.yaml"):
        path.write_text(path.read_text().replace("2024-03-01", day.isoformat()))


def test_a_date_later_than_today_is_a_warning_with_its_file_and_line(small):
    later = datetime.date.today() + datetime.timedelta(days=30)
    set_dates(small, later)
    assert load_archive(small.root).warnings == (
        f"{small.root}/articles/daily-one.md:4: 'published' is {later}, later than today",
        f"{small.root}/claims.yaml:8: 'date' is {later}, later than today",
    )


def test_check_and_build_print_the_warning_and_strict_fails_on_it(small, capsys):
    later = datetime.date.today() + datetime.timedelta(days=30)
    set_dates(small, later)
    assert main(["check", "--source", str(small.root), "--strict"]) == 1
    assert f"daily-one.md:4: 'published' is {later}, later than today" in capsys.readouterr().err
    assert main(["build", "--source", str(small.root)]) == 0
    assert f"warning: {small.root}/articles/daily-one.md:4: 'published'" in capsys.readouterr().err


def test_a_date_of_today_is_no_warning(small):
    set_dates(small, datetime.date.today())
    assert load_archive(small.root).warnings == ()


# -- ids -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, suggestion",
    [
        ("Peskov contacts", ", e.g. peskov-contacts"),
        ("Fête de la Paix", ", e.g. fete-de-la-paix"),
        ("Песков", ", e.g. peskov"),
    ],
)
def test_a_claim_id_that_is_no_id_comes_with_one_to_use(small, written, suggestion):
    small.claims(f"- id: {written}\n  statement: S\n  speaker: P\n  channel: C\n  kind: quote\n")
    assert errors_of(small) == [
        f"claims.yaml:4: 'id' must be lower-case letters and digits joined by hyphens, not '{written}'{suggestion}"
    ]


@pytest.mark.parametrize("name, suggested", [("Café Noir", "cafe-noir"), ("nul", "outlet-headline")])
def test_a_file_name_that_is_no_id_comes_with_one_to_use(small, name, suggested):
    (small.root / "articles" / f"{name}.md").write_text("---\noutlet: X\n---\n", encoding="utf-8")
    assert errors_of(small) == [
        f"articles/{name}.md: file name must be lower-case letters and digits joined by hyphens: rename it, e.g. {suggested}.md"
    ]
