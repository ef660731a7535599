"""Matching: each claim is found where the outlets carry it, precisely, and nowhere else."""

import pytest

from parallax.match import fold, shared_statements

# Who carries each curated claim, read by hand from the five articles.
OUTLETS_BY_CLAIM = {
    "israel-obscene-step": {"forumdaily", "mixedtimes", "reuters"},
    "hamas-worse-than-isis": {"jns", "jpost", "mixedtimes"},
    "hamas-hands-stained-with-blood": {"jns", "forumdaily", "jpost", "mixedtimes"},
    "hamas-responsible-for-kidnapping": {"jns", "forumdaily", "jpost", "mixedtimes"},
    "israel-condemns-invitation": {"jns", "jpost"},
    "israel-calls-for-expulsion": {"jns", "jpost", "reuters"},
    "russia-release-of-foreign-hostages": {"jns", "mixedtimes", "reuters"},
    "russia-evacuation-of-foreign-citizens": {"jns", "mixedtimes", "reuters"},
    "abu-marzouk-led-delegation": {"jns", "reuters"},
    "peskov-contacts-with-all-parties": {"forumdaily", "jpost", "mixedtimes"},
    "peskov-no-meeting-with-putin": {"forumdaily", "jpost"},
    "embassy-accusations-unacceptable": {"jpost", "mixedtimes"},
    "embassy-condemns-terrorist-methods": {"jpost", "mixedtimes"},
    "embassy-violence-unacceptable": {"jpost", "mixedtimes"},
    "hamas-praises-putin-efforts": {"jpost", "reuters"},
    "hamas-commends-putins-position": {"forumdaily", "mixedtimes"},
    "russia-ties-to-all-key-players": {"jpost", "reuters"},
    "bogdanov-met-hamas-in-qatar": {"jns", "reuters"},
    "abu-marzouk-met-bagheri-kani": {"forumdaily", "jpost"},
    "putin-palestinian-state": {"forumdaily", "jns"},
}


def test_every_claim_is_found_in_the_articles_that_carry_it_and_no_other(archive, statements):
    by_claim = {s.claim.id: s for s in statements if s.claim}
    assert set(by_claim) == {claim.id for claim in archive.claims} == set(OUTLETS_BY_CLAIM)
    for claim_id, outlets in OUTLETS_BY_CLAIM.items():
        found = {article_id.split("-")[0] for article_id in by_claim[claim_id].article_ids}
        assert found == outlets, claim_id


def test_an_occurrence_is_exactly_its_slice_of_the_article(archive, statements):
    for statement in statements:
        for occurrence in statement.occurrences:
            assert archive.article(occurrence.article).text[occurrence.start : occurrence.end] == occurrence.text


def test_spans_start_and_end_at_the_statement(statements):
    peskov = next(s for s in statements if s.id == "peskov-contacts-with-all-parties")
    by_outlet = {o.article.split("-")[0]: o.text for o in peskov.occurrences}
    assert by_outlet["jpost"] == (
        "We consider it necessary to continue our contacts with all parties and, of course, "
        "we will continue our dialog with Israel"
    )
    assert by_outlet["mixedtimes"].startswith("We believe it is necessary")


def test_similar_statements_by_different_speakers_stay_apart(statements):
    """The ministry's 'obscene step' and its spokesman's 'act of support' share most words."""
    by_claim = {s.claim.id: set(s.article_ids) for s in statements if s.claim}
    assert not by_claim["israel-obscene-step"] & by_claim["israel-condemns-invitation"]


def test_fold_keeps_every_offset():
    text = "“1,400 Israelis” — İstanbul, ﬁne."
    assert len(fold(text)) == len(text)
    assert fold("“Hamas,” he said.") == " hamas   he said "


def test_a_shared_quotation_without_a_claim_is_found(small):
    small.claims("[]")
    (statement,) = shared_statements(small.load())
    assert statement.claim is None and statement.kind == "quote"
    assert statement.id.startswith("quote-we-will-not-accept")
    assert statement.article_ids == ("daily-one", "herald-two")


def test_a_claim_takes_the_quotation_it_matches(small):
    (statement,) = shared_statements(small.load())
    assert statement.claim.id == "ministry-rejects-blame"
    assert [o.text for o in statement.occurrences] == [
        "We will not accept any attempt to blame us for the failure of the talks in Geneva",
    ] * 2


@pytest.mark.parametrize(
    "other_wording, shared",
    [
        ("We won't accept any attempt to blame us for the failure of the talks in Geneva", True),
        ("we will not accept any attempt to blame us for the failure of the talks at Geneva!", True),
        ("We will do everything to make the next round of talks in Geneva a success", False),
    ],
)
def test_quotations_in_other_words_join_only_when_close(small, other_wording, shared):
    small.claims("[]")
    small.article("herald-two", "The Herald", "Geneva talks end", 2, f"“{other_wording},” a spokesman said.")
    assert bool(shared_statements(small.load())) is shared


def test_short_common_quotations_are_not_shared_statements(small):
    small.claims("[]")
    small.article("daily-one", "The Daily", "Soon", 1, "The visit will happen “soon,” he said.")
    small.article("herald-two", "The Herald", "Soon", 2, "A visit is planned “soon.”")
    assert shared_statements(small.load()) == []
