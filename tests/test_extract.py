"""Quotations: the marks news uses, quotations over several paragraphs, and stray marks."""

import pytest

from parallax.extract import quotations

from conftest import article_from


def quoted(body: str) -> list[str]:
    return [q.text for q in quotations(article_from(body))]


@pytest.mark.parametrize(
    "body, expected",
    [
        ("He said “we will stay” and left.", ["we will stay"]),
        ('He said "we will stay" and left.', ["we will stay"]),
        ("Il a dit « nous resterons » hier.", ["nous resterons"]),
        ("Er sagte „wir bleiben“ gestern.", ["wir bleiben"]),
        ("“We will stay,” he said, “until the end.”", ["We will stay,” he said, “until the end"]),
        ("“We will stay,” he said. “Until the end.”", ["We will stay,” he said. “Until the end"]),
        ("Peskov said ‘we will stay’ and left.", ["we will stay"]),
        ("Peskov said 'we will stay' and left Russia's capital.", ["we will stay"]),
        (
            "“Release the hostages,” and “open the crossings,” they said.",
            ["Release the hostages", "open the crossings"],
        ),
        (
            'The "crimes of Israel that are supported by the West", RIA said.',
            ["crimes of Israel that are supported by the West"],
        ),
        ("Il a dit ‹ nous resterons › hier.", ["nous resterons"]),
        ("He said 'Russia's position is clear' and left.", ["Russia's position is clear"]),
        ("He said ‘Russia’s position is clear’ and left.", ["Russia’s position is clear"]),
        # Two quotations with a sentence of narrative between them are two, not one.
        ('"We will stay." The minister then left. "Until the end."', ["We will stay", "Until the end"]),
        ("“We will stay.” The minister then left. “Until the end.”", ["We will stay", "Until the end"]),
    ],
)
def test_quotation_marks_of_every_kind(body, expected):
    assert quoted(body) == expected


def test_a_quotation_runs_on_where_the_next_paragraph_reopens_it():
    body = "The ministry said: “First part.\n\n“Second part.\n\n“Third part,” it added.\n\nAfter."
    assert quoted(body) == ["First part.\n\n“Second part.\n\n“Third part"]


def test_an_unclosed_mark_ends_with_its_paragraph():
    body = "He said “this never closes.\n\nThe next paragraph is not quoted, nor “this one”."
    assert quoted(body) == ["this never closes", "this one"]


def test_the_real_multi_paragraph_quotation(archive):
    jpost = archive.article("jpost-russia-rejects-terror-accusation")
    texts = [q.text for q in quotations(jpost)]
    assert any(t.startswith("Hamas is a terror organization") and t.endswith("women and the elderly") for t in texts)
