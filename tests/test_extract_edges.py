"""Cutting articles into units, at the edges: nested and empty quotation marks, attributions of
every length, quotations over paragraphs, and sentences that repeat or are half quoted.

Found by mutation testing (see "Mutation testing" in README.md): each test states a behaviour
that a changed line in parallax/extract.py would break without any other test noticing.
"""

import pytest

from parallax.extract import quotations, units

from conftest import article_from


def quoted(body: str) -> list[str]:
    found = quotations(article_from(body))
    assert all(q.article == "test" for q in found)
    return [q.text for q in found]


def unit_texts(body: str, quoted: bool | None = None) -> list[str]:
    """The units of a body, checked to be spans of its text; only the quoted or unquoted ones if asked."""
    article = article_from(body)
    found = units(article, 5)
    for unit in found:
        assert unit.article == "test"
        if unit.exact:
            assert article.text[unit.start : unit.end] == unit.text
    return [u.text for u in found if quoted is None or u.quoted is quoted]


# -- quotations ------------------------------------------------------------------------------


def test_a_quotation_may_hold_a_quotation_in_other_marks():
    assert quoted("“He told me ‘we will stay’ and left,” she said.") == ["He told me ‘we will stay’ and left"]


@pytest.mark.parametrize("empty", ["“ ”", "“...”", '" "'])
def test_empty_quotation_marks_are_no_quotation_and_later_ones_are_still_found(empty):
    assert quoted(f"The sign read {empty} and the minister said “we will stay”.") == ["we will stay"]


def test_a_quotation_ending_in_a_one_letter_word_keeps_it():
    assert quoted("He said: “Russia always keeps a plan B.”") == ["Russia always keeps a plan B"]
    assert unit_texts("He said: “Russia always keeps a plan B.”", quoted=True) == ["Russia always keeps a plan B"]


@pytest.mark.parametrize(
    "attribution, one",
    [
        ("Zakharova:", True),  # one word
        ("the Russian foreign ministry spokeswoman said,", True),  # six words
        ("the spokeswoman of the Russian foreign ministry said,", False),  # seven: a sentence of its own
    ],
)
def test_an_attribution_of_one_to_six_words_does_not_cut_a_quotation(attribution, one):
    found = quoted(f"“We will stay,” {attribution} “until the end.”")
    assert found == (
        ["We will stay,” " + attribution + " “until the end"] if one else ["We will stay", "until the end"]
    )


def test_quotations_separated_by_a_comma_alone_are_two():
    assert quoted("Protesters chanted “Free the hostages,” “Ceasefire now.”") == ["Free the hostages", "Ceasefire now"]


def test_a_quotation_never_goes_on_around_an_attribution_in_the_next_paragraph():
    body = "“We will stay,” he said.\n\nThen, “we will leave the talks for good,” he added."
    assert quoted(body) == ["We will stay", "we will leave the talks for good"]


# -- units -----------------------------------------------------------------------------------


def test_an_interrupted_quotation_is_one_unit_of_its_words_without_the_attribution():
    body = (
        "“We will not accept any attempt to blame us,” the minister said, “for the failure of the talks.”\n\n"
        "He added: “We will return to Geneva when the time is right.”"
    )
    article = article_from(body)
    found = units(article, 5)
    assert [(u.text, u.quoted, u.exact) for u in found] == [
        ("We will not accept any attempt to blame us for the failure of the talks", True, False),
        ("We will return to Geneva when the time is right", True, True),
    ]
    assert found[0].article == "test"
    assert article.text[found[0].start : found[0].end].startswith("We will not accept")
    assert article.text[found[0].start : found[0].end].endswith("of the talks")


def test_each_sentence_of_a_quotation_is_a_unit_without_its_closing_punctuation():
    body = "The minister said: “We will stay until the end. We will not leave the talks early.”"
    assert unit_texts(body, quoted=True) == ["We will stay until the end", "We will not leave the talks early"]


def test_a_quoted_sentence_ending_in_a_nested_quotation_ends_before_its_marks():
    body = "She said: “I told them ‘we will stay until the end of the talks.’ Then we left the room together.”"
    assert unit_texts(body, quoted=True) == [
        "I told them ‘we will stay until the end of the talks",
        "Then we left the room together",
    ]


def test_a_quotation_over_paragraphs_gives_units_without_the_marks_that_reopen_it():
    body = (
        "The ministry said: “We will stay in Geneva until the talks end.\n\n"
        "“Our delegation will not leave before an agreement.”"
    )
    assert unit_texts(body, quoted=True) == [
        "We will stay in Geneva until the talks end",
        "Our delegation will not leave before an agreement",
    ]


def test_a_sentence_repeated_later_in_the_article_is_a_unit_in_each_place():
    sentence = "The talks ended on Friday without any agreement at all."
    body = f"Officials met in Geneva. {sentence}\n\nOfficials met again. {sentence}\n\n{sentence}"
    article = article_from(body)
    found = [u for u in units(article, 5) if u.text == sentence]
    places = [index for index in range(len(article.text)) if article.text.startswith(sentence, index)]
    assert [u.start for u in found] == places and len(places) == 3
    assert [u.quoted for u in found] == [False, False, False]


def test_the_first_sentence_of_an_article_is_a_unit_from_its_first_letter():
    article = article_from("The talks ended on Friday without any agreement at all. Nobody spoke.")
    assert units(article, 5)[0].start == 0
    assert units(article, 5)[0].text.startswith("The talks")


def test_a_sentence_half_in_its_own_words_is_a_unit_beside_its_quotation():
    body = "The minister said on Friday “talks will resume very soon”."
    assert unit_texts(body) == [body, "talks will resume very soon"]
    # Mostly quotation: the sentence is left to its quotation.
    assert unit_texts("He said “talks will resume very soon”.") == ["talks will resume very soon"]
