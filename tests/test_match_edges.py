"""Matching, at the edges: the kind and id a statement is given, scores that stay scores, words
in another order, fragments that come first, letters whose lower case is longer, and how much
of a text several spans cover.

Found by mutation testing (see "Mutation testing" in README.md): each test states a behaviour
that a changed line in parallax/match/ would break without any other test noticing.
"""

import pytest

from parallax.match import shared_statements
from parallax.match.group import unique_id
from parallax.match.spans import covered_length, fold
from parallax.model import Occurrence

from conftest import MINISTRY


@pytest.mark.parametrize(
    "kind, statement_kind", [("quote", "quote"), ("passage", "passage"), ("paraphrase", "passage")]
)
def test_a_claims_statement_is_a_quote_only_if_the_claim_is_one(small, kind, statement_kind):
    claims_yaml = (small.root / "claims.yaml").read_text(encoding="utf-8")
    (small.root / "claims.yaml").write_text(claims_yaml.replace("kind: quote", f"kind: {kind}"), encoding="utf-8")
    (statement,) = shared_statements(small.load())
    assert statement.claim.id == "ministry-rejects-blame" and statement.kind == statement_kind


def test_a_claim_found_in_one_article_keeps_no_old_id(small):
    small.article("herald-two", "The Herald", "Geneva talks end", 2, "Negotiators left the city.")
    (statement,) = shared_statements(small.load())
    assert statement.article_ids == ("daily-one",) and statement.aliases == ()


def test_a_statement_without_a_claim_is_named_by_its_kind_and_the_first_six_words_of_its_first_place(small):
    small.claims("[]")
    small.article(
        "daily-one",
        "The Daily",
        "Talks collapse",
        1,
        f"The ministry said: “{MINISTRY.replace('We will not', 'We won’t')}.”",
    )
    (statement,) = shared_statements(small.load())
    assert statement.article_ids == ("daily-one", "herald-two")
    assert statement.id == "quote-we-won-t-accept-any-attempt"


def test_every_occurrence_scores_between_the_lowest_match_and_100(statements):
    scores = [occurrence.score for statement in statements for occurrence in statement.occurrences]
    assert min(scores) >= 75 and max(scores) <= 100


def test_a_fragment_found_inside_a_quotation_scores_how_well_it_matches(small):
    small.claims("[]")
    small.article(
        "daily-one", "The Daily", "Talks", 1, "The minister said: “We will not accept any attempt to blame us.”"
    )
    small.article(
        "herald-two",
        "The Herald",
        "Talks",
        2,
        "A spokesman said: “The delegation left Geneva early, and we will not accept any attempt to blame us "
        "for the failure of these talks, which others ended.”",
    )
    (statement,) = shared_statements(small.load())
    assert statement.article_ids == ("daily-one", "herald-two")
    assert [o.text for o in statement.occurrences][1].startswith("we will not accept any attempt to blame us")
    assert all(90 <= o.score <= 100 for o in statement.occurrences)


def test_the_same_words_in_another_order_are_one_statement(small):
    small.claims("[]")
    small.article(
        "herald-two",
        "The Herald",
        "Geneva talks end",
        2,
        "“For the failure of the talks in Geneva, any attempt to blame us we will not accept,” a spokesman said.",
    )
    (statement,) = shared_statements(small.load())
    assert statement.article_ids == ("daily-one", "herald-two")


def two_articles(small, daily: str, herald: str) -> list:
    small.claims("[]")
    small.article("daily-one", "The Daily", "Talks", 1, daily)
    small.article("herald-two", "The Herald", "Talks", 2, herald)
    return shared_statements(small.load())


def test_quotations_seven_and_ten_words_long_are_one_statement_when_alike_as_wholes(small):
    """Seven words are 70% of ten: close enough in length to be compared whole, and these two
    are alike enough as wholes, though neither stands inside the other."""
    found = two_articles(
        small,
        "The minister said: “We will not accept attempts to blame.”",
        "“We will never ever accept attempts to blame us here,” the envoy said.",
    )
    assert [s.article_ids for s in found] == [("daily-one", "herald-two")]


def test_a_fragment_of_fifteen_words_joins_a_longer_text_at_a_lower_score_than_a_shorter_one_needs(small):
    """A shorter fragment must match at 90 or more; one of 15 words or more, where chance matches
    are rarer, at 85: this one matches at about 89."""
    found = two_articles(
        small,
        "The minister said: “We will not accept any attempt to blame us for the failure of the talks.”",
        "The foreign ministry said on Friday evening in a statement that we shall not tolerate any attempt to "
        "blame us for the failure of the talks and it called on all sides to return to Geneva.",
    )
    assert [s.article_ids for s in found] == [("daily-one", "herald-two")]
    scores = [o.score for o in found[0].occurrences]
    assert 85 <= min(scores) < 90
    assert all(round(score, 1) == score != round(score) for score in scores)  # written to one decimal


def test_fold_lowers_every_letter_but_those_whose_lower_case_is_longer():
    assert fold("İSTANBUL TALKS") == "İstanbul talks"


@pytest.mark.parametrize(
    "spans, within, covered",
    [
        ([], None, 0),
        ([(0, 10)], None, 10),
        ([(0, 10), (5, 15)], None, 15),  # overlaps counted once
        ([(20, 25), (0, 10), (5, 15)], None, 20),  # in any order
        ([(0, 10), (10, 10), (12, 14)], None, 12),  # an empty span adds nothing
        ([(0, 10), (5, 15)], (8, 12), 4),  # inside a stretch only
    ],
)
def test_spans_cover_each_character_once(spans, within, covered):
    stretch = Occurrence("a", within[0], within[1], "", 100.0) if within else None
    assert covered_length(spans, stretch) == covered


def test_an_id_already_taken_gets_the_next_free_number():
    taken = {"quote-we-will-not-accept-any-attempt"}
    assert [unique_id("quote-we-will-not-accept-any-attempt", taken) for _ in range(2)] == [
        "quote-we-will-not-accept-any-attempt-2",
        "quote-we-will-not-accept-any-attempt-3",
    ]
    assert taken == {f"quote-we-will-not-accept-any-attempt{suffix}" for suffix in ("", "-2", "-3")}
