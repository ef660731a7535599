"""Loading, at the edges: every field's message with the value it names, dates at the ends of
the calendar, captures that are missing or unreadable, and Markdown bodies with subheads, lists
and markup inside words.

Found by mutation testing (see "Mutation testing" in README.md): each test states a behaviour
that a changed line in parallax/load/ would break without any other test noticing. The
catalogue in test_bad_input.py names some of the same mistakes, but through a subprocess,
which mutation testing cannot see.
"""

from pathlib import Path

import pytest

from parallax.load import BodyConverter, load_archive
from parallax.model import ArchiveErrors

FRONT = "---\noutlet: The Daily\npublished: 2024-03-05\nlanguage: en\n---\n\n"  # the body starts on line 7


def errors_of(small) -> list[str]:
    with pytest.raises(ArchiveErrors) as caught:
        small.load()
    return [str(error).removeprefix(f"{small.root}/") for error in caught.value.errors]


def article(small, front: str = FRONT, body: str = "The talks ended on Friday.\n") -> None:
    (small.root / "articles" / "courier-three.md").write_text(front + body, encoding="utf-8")


def claim(extra: str, claim_id: str = "talks-ended") -> str:
    return f"- id: {claim_id}\n  statement: The talks ended.\n  speaker: P\n  channel: C\n  kind: quote\n{extra}"


# -- fields ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, message",
    [
        ("123", "'id' must be lower-case letters and digits joined by hyphens, not 123"),
        (
            "Talks Ended",
            "'id' must be lower-case letters and digits joined by hyphens, not 'Talks Ended', e.g. talks-ended",
        ),
        ("con", "'id' cannot be 'con', a name kept for the site's lists or, on some systems, for a device"),
    ],
)
def test_a_claim_id_that_is_no_id_is_named_with_its_value(small, written, message):
    small.claims(claim("", claim_id=written))
    assert errors_of(small) == [f"claims.yaml:4: {message}"]


def test_a_claim_lists_the_articles_it_was_seen_in(small):
    small.claims(claim("  articles: [daily-one, herald-two]\n"))
    assert small.load().claims[0].articles == ("daily-one", "herald-two")


@pytest.mark.parametrize(
    "articles, message",
    [
        ("  articles: daily-one\n", "claims.yaml:9: 'articles' must be a list of ids, not 'daily-one'"),
        (
            "  articles: [Daily One]\n",
            "claims.yaml:9: 'articles' must be lower-case letters and digits joined by hyphens, not 'Daily One', e.g. daily-one",
        ),
        ("  articles: [daily-one, nowhere]\n", "claims.yaml:4: claim 'talks-ended' names an unknown article 'nowhere'"),
    ],
)
def test_a_claims_articles_must_be_a_list_of_known_articles(small, articles, message):
    small.claims(claim(articles))
    assert errors_of(small) == [message]


@pytest.mark.parametrize(
    "written, why",
    [
        ("2024-01-32", "January has 31 days"),
        ("2023-12-32", "December has 31 days"),
        ("2024-13-01", "there is no month 13"),
        ("2024-00-10", "there is no month 0"),
        ("0001-02-29", "February 1 has 28 days"),
        ("0000-01-01", "there is no year 0"),
        ("2024-03-00", "there is no day 0"),
    ],
)
def test_a_date_no_calendar_has_says_why_at_either_end_of_the_calendar(small, written, why):
    article(small, FRONT.replace("2024-03-05", written))
    assert errors_of(small) == [f"articles/courier-three.md:3: 'published' is {written}, not a real date: {why}"]


@pytest.mark.parametrize(
    "line, message",
    [
        ("url: javascript:alert(1)", "'url' must be an http:// or https:// address, not 'javascript:alert(1)'"),
        ("edits: {line 3: a caption}", "'edits' must be a list of texts, not a mapping"),
        ("edits: [a caption, ~]", "'edits' must be text, not nothing (put it in quotes)"),
        ("author: [A, B]", "'author' must be text, not a list (put it in quotes)"),
        ("author: {name: A}", "'author' must be text, not a mapping (put it in quotes)"),
        (
            "translated_from: " + "x" * 38,
            f"'translated_from' must be a language code such as 'en' or 'ru', not '{'x' * 38}'",
        ),
        (
            "translated_from: " + "x" * 39,
            f"'translated_from' must be a language code such as 'en' or 'ru', not '{'x' * 36}...",
        ),
        (
            "translated_from: " + "x" * 60,
            f"'translated_from' must be a language code such as 'en' or 'ru', not '{'x' * 36}...",
        ),
    ],
)
def test_a_wrong_field_is_named_with_its_value_cut_to_forty_characters(small, line, message):
    article(small, FRONT.replace("language: en", f"language: en\n{line}"))
    assert errors_of(small) == [f"articles/courier-three.md:5: {message}"]


def test_edits_written_as_one_text_are_a_list_of_one(small):
    article(small, FRONT.replace("language: en", "language: en\nedits: Left out a caption."))
    assert small.load().article("courier-three").edits == ("Left out a caption.",)


def test_an_empty_claims_yaml_is_named_in_plain_words(small):
    (small.root / "claims.yaml").write_text("", encoding="utf-8")
    assert errors_of(small) == ["claims.yaml: claims.yaml must be a mapping of fields, not nothing"]


# -- captures --------------------------------------------------------------------------------


def with_capture(small, body: str, capture: bytes | None) -> None:
    if capture is not None:
        (small.root / "articles" / "captures").mkdir()
        (small.root / "articles" / "captures" / "courier.txt").write_bytes(capture)
    article(small, FRONT.replace("language: en", "language: en\ncapture: captures/courier.txt"), body)


def test_a_capture_that_does_not_exist_is_named(small):
    with_capture(small, "The talks ended on Friday.\n", None)
    assert errors_of(small) == [
        "articles/courier-three.md: 'capture' names a file that does not exist: captures/courier.txt"
    ]


def test_a_capture_that_is_not_utf8_is_named_with_its_line(small):
    with_capture(small, "Café society.\n", "\nIntro.\nCafé society.\n".encode("latin-1"))
    assert errors_of(small) == ["articles/captures/courier.txt:3: not UTF-8 text (byte 0xe9); save the file as UTF-8"]


@pytest.mark.parametrize("length, shown", [(60, "A" * 59 + "."), (61, "A" * 57 + "..."), (200, "A" * 57 + "...")])
def test_a_paragraph_not_in_its_capture_is_shown_cut_to_sixty_characters(small, length, shown):
    with_capture(small, "A" * (length - 1) + ".\n", b"Something else was published.\n")
    assert errors_of(small) == [
        f'articles/courier-three.md:8: paragraph not found in its capture courier.txt: "{shown}"'
    ]


# -- Markdown bodies -------------------------------------------------------------------------


def blocks_of(body: str) -> list[tuple[str, str]]:
    errors = []
    text, blocks = BodyConverter().convert(body, 1, Path("a.md"), errors)
    assert not errors
    return [(block.kind, text[block.start : block.end]) for block in blocks]


def test_subheads_keep_their_level_and_a_document_heading_becomes_a_subhead():
    body = "# The talks\n\nThey ended.\n\n## In Geneva\n\nDelegates left.\n\n### On Friday\n\nNobody spoke."
    assert blocks_of(body) == [
        ("h2", "The talks"),
        ("p", "They ended."),
        ("h2", "In Geneva"),
        ("p", "Delegates left."),
        ("h3", "On Friday"),
        ("p", "Nobody spoke."),
    ]


def test_a_list_after_a_subhead_is_paragraphs_again():
    body = "## Who came\n- the minister\n- the envoy\n\nThen they left."
    assert blocks_of(body) == [("h2", "Who came"), ("p", "the minister"), ("p", "the envoy"), ("p", "Then they left.")]


def test_markup_inside_a_word_leaves_the_word_whole():
    assert blocks_of("A spirit of co*operation* and **Moscow**'s *good* offices.") == [
        ("p", "A spirit of cooperation and Moscow's good offices.")
    ]


# -- the story and the list of claims --------------------------------------------------------


def test_the_story_keeps_its_summary_and_licence_and_its_address_ends_with_a_slash(small):
    (small.root / "claims.yaml").write_text(
        "story:\n  title: Talks in Geneva\n  summary: Two days of talks.\n  url: https://archive.example/geneva\n"
        "  licence: CC BY 4.0\nclaims: []\n",
        encoding="utf-8",
    )
    settings = load_archive(small.root).settings  # an archive of one story takes its settings from it
    assert (settings.title, settings.description, settings.url, settings.licence) == (
        "Talks in Geneva",
        "Two days of talks.",
        "https://archive.example/geneva/",
        "CC BY 4.0",
    )


@pytest.mark.parametrize(
    "claims_yaml, message",
    [
        ("claims: []\n", "claims.yaml:1: claims.yaml has no 'story'"),
        ("story:\n  title: Talks\n", "claims.yaml:1: claims.yaml has no 'claims'"),
        ("story:\n  summary: Long talks\nclaims: []\n", "claims.yaml:2: story has no 'title'"),
        ("story:\n  title: Talks\nclaims: The talks ended.\n", "claims.yaml:3: 'claims' must be a list of claims"),
    ],
)
def test_a_claims_yaml_without_its_parts_is_named_at_its_line(small, claims_yaml, message):
    (small.root / "claims.yaml").write_text(claims_yaml, encoding="utf-8")
    assert errors_of(small) == [message]


def test_every_claim_is_checked_after_a_bad_one_and_after_a_duplicate(small):
    bad_kind = claim("", claim_id="rumoured").replace("kind: quote", "kind: rumour")
    no_speaker = claim("", claim_id="unsaid").replace("  speaker: P\n", "")
    small.claims(claim("") + bad_kind + claim("") + no_speaker)
    assert errors_of(small) == [
        "claims.yaml:13: 'kind' must be one of quote, passage, paraphrase, not 'rumour'",
        "claims.yaml:14: claim id 'talks-ended' is used twice (first on line 4)",
        "claims.yaml:19: claim has no 'speaker'",
    ]


def test_a_claim_keeps_every_field_it_was_given(small):
    small.claims(claim("  date: 2024-03-01\n  renderings: [The talks are over.]\n  notes: Said twice.\n"))
    (found,) = small.load().claims
    assert (
        found.statement,
        found.speaker,
        found.channel,
        found.kind,
        str(found.date),
        found.parts[0].renderings,
        found.notes,
    ) == (
        "The talks ended.",
        "P",
        "C",
        "quote",
        "2024-03-01",
        ("The talks are over.",),
        "Said twice.",
    )


@pytest.mark.parametrize(
    "claims_yaml, message",
    [
        (
            "story: Talks in Geneva\nclaims: []\n",
            "claims.yaml: story must be a mapping of fields, not 'Talks in Geneva'",
        ),
        (
            "story:\n  title: Talks\n  section: World\nclaims: []\n",
            "claims.yaml:3: unknown field 'section' in story (fields: title, summary, url, licence)",
        ),
    ],
)
def test_a_story_that_is_not_one_is_named_with_what_it_is(small, claims_yaml, message):
    (small.root / "claims.yaml").write_text(claims_yaml, encoding="utf-8")
    assert errors_of(small) == [message]


# -- files -----------------------------------------------------------------------------------


def test_a_folder_named_like_an_article_cannot_be_read_and_is_named(small):
    (small.root / "articles" / "courier-three.md").mkdir()
    assert errors_of(small) == ["articles/courier-three.md: cannot read: Is a directory"]


def test_nul_bytes_are_named_at_the_line_of_the_first(small):
    article(small, body="The talks ended.\nOn Friday\x00.\n\x00\n")
    assert errors_of(small) == ["articles/courier-three.md:8: a binary file, not text"]


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_windows_and_old_mac_line_ends_read_as_line_ends(small, newline):
    body = "The talks ended\non Friday.\n\nNobody spoke.\n"
    article(small, FRONT.replace("\n", newline), body.replace("\n", newline))
    loaded = small.load().article("courier-three")
    assert loaded.text == "The talks ended on Friday.\n\nNobody spoke."
    assert loaded.outlet == "The Daily"


@pytest.mark.parametrize(
    "line, message",
    [
        ("language: EN", "'language' must be a language code such as 'en' or 'ru', not 'EN'"),
        ("language: 5", "'language' must be a language code such as 'en' or 'ru', not 5"),
    ],
)
def test_a_language_is_a_lower_case_code(small, line, message):
    article(small, FRONT.replace("language: en", line))
    assert errors_of(small) == [f"articles/courier-three.md:4: {message}"]


@pytest.mark.parametrize(
    "value, problem",
    [
        ("!!int x", "invalid YAML: invalid literal for int()"),
        ("X\x07Y", "a control character (U+0007) is not allowed: remove it"),
    ],
)
def test_a_value_yaml_cannot_take_is_named_with_its_file_and_line(small, value, problem):
    article(small, FRONT.replace("outlet: The Daily", f"outlet: {value}"))
    (error,) = errors_of(small)
    assert error.startswith(f"articles/courier-three.md:2: {problem}") and "\n" not in error


# -- articles --------------------------------------------------------------------------------


def test_an_article_keeps_every_field_of_its_front_matter(small):
    (small.root / "articles" / "captures").mkdir()
    (small.root / "articles" / "captures" / "courier.txt").write_text("The talks ended on Friday.\n", encoding="utf-8")
    fields = (
        "title: Talks end\nauthor: Ann Reporter\nurl: https://courier.example/talks\ntranslated_from: ru\n"
        "via: Reuters\ncapture: captures/courier.txt\nedits: [Left out a caption.]\nnotes: Date likely."
    )
    article(small, FRONT.replace("language: en", f"language: en\n{fields}"))
    found = small.load().article("courier-three")
    assert (found.title, found.author, found.url, found.translated_from, found.via, found.edits, found.notes) == (
        "Talks end",
        "Ann Reporter",
        "https://courier.example/talks",
        "ru",
        "Reuters",
        ("Left out a caption.",),
        "Date likely.",
    )
    assert found.capture == (small.root / "articles" / "captures" / "courier.txt").resolve()


def test_an_article_that_is_a_link_to_a_file_outside_the_archive_is_refused(small):
    outside = small.root.parent / "elsewhere.md"
    outside.write_text(FRONT + "The talks ended.\n", encoding="utf-8")
    (small.root / "articles" / "courier-three.md").symlink_to(outside)
    assert errors_of(small) == [
        "articles/courier-three.md: a link to a file outside the archive: copy the file into articles/ instead"
    ]


def test_an_archive_without_articles_is_named_in_plain_words(small):
    for path in (small.root / "articles").iterdir():
        path.unlink()
    assert errors_of(small) == ["articles: no articles: add one Markdown file (.md) per article"]
    (small.root / "articles").rmdir()
    assert errors_of(small) == ["articles: no articles folder: put one Markdown file per article there"]
