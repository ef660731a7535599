"""Matching: shared statements found in every form, precisely, and only where they are."""

import dataclasses

import pytest

from parallax.cache import Cache
from parallax.match import fold, links, shared_statements
from parallax.match.index import all_units
from parallax.parallel import WORTH_FORKING

from conftest import MINISTRY, article_from

# Who carries each part of each curated claim (in any version), read by hand from the five articles.
OUTLETS_BY_PART = {
    "israel-obscene-step": {"jns", "forumdaily", "jpost", "mixedtimes", "reuters"},
    "hamas-worse-than-isis": {"jns", "jpost", "mixedtimes"},
    "hamas-hands-stained-with-blood": {"jns", "forumdaily", "jpost", "mixedtimes"},
    "hamas-responsible-for-kidnapping": {"jns", "forumdaily", "jpost", "mixedtimes"},
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


def outlets(statement) -> set[str]:
    return {article_id.split("-")[0] for article_id in statement.article_ids}


def texts_by_outlet(statement) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for occurrence in statement.occurrences:
        found.setdefault(occurrence.article.split("-")[0], []).append(occurrence.text)
    return found


def test_every_claim_is_found_in_the_articles_that_carry_it_and_no_other(archive, statements):
    by_part = {s.part.id: s for s in statements if s.part}
    assert set(by_part) == {part.id for claim in archive.claims for part in claim.parts} == set(OUTLETS_BY_PART)
    for part_id, expected in OUTLETS_BY_PART.items():
        assert outlets(by_part[part_id]) == expected, part_id


def test_every_version_of_a_statement_is_one_claim(statements):
    """The ministry's two English renderings and the retranslation from Russian are one part of
    one claim, each occurrence set beside the version it is closest to."""
    invitation = next(s for s in statements if s.id == "israel-obscene-step")
    assert invitation.claim.id == "israel-foreign-ministry-statement"
    assert "israel-condemns-invitation" in invitation.aliases  # its former id keeps working
    texts = texts_by_outlet(invitation)
    assert any(text.startswith("Israel condemns the invitation") for text in texts["jns"])
    assert any(text.startswith("Israel sees the invitation") for text in texts["mixedtimes"])


def test_a_word_or_two_quoted_from_a_statement_is_a_fragment_of_it(statements):
    invitation = next(s for s in statements if s.id == "israel-obscene-step")
    fragments = {(o.article.split("-")[0], o.text) for o in invitation.occurrences if o.fragment}
    # "The Israeli Foreign Ministry denounced Russia for its “obscene” meeting ...", and
    # "... calling it an "undignified step," ...": words of two versions, the ministry named.
    assert fragments == {("mixedtimes", "obscene"), ("reuters", "undignified step")}
    assert not any(o.fragment for s in statements if s.id != "israel-obscene-step" for o in s.occurrences)


def cuts_a_word(text: str, start: int, end: int) -> bool:
    def inside(position: int) -> bool:
        return 0 < position < len(text) and text[position - 1].isalnum() and text[position].isalnum()

    return inside(start) or inside(end)


def test_an_occurrence_never_cuts_a_word_in_two(archive, statements):
    for statement in statements:
        for occurrence in statement.occurrences:
            text = archive.article(occurrence.article).text
            assert not cuts_a_word(text, occurrence.start, occurrence.end), occurrence
            assert occurrence.text == occurrence.text.strip()


def test_spans_start_and_end_at_the_statement(statements):
    peskov = next(s for s in statements if s.id == "peskov-contacts-with-all-parties")
    assert texts_by_outlet(peskov)["jpost"] == [
        "We consider it necessary to continue our contacts with all parties and, of course, "
        "we will continue our dialog with Israel"
    ]
    expel = next(s for s in statements if s.id == "israel-calls-for-expulsion")
    # Carried without quotation marks, before "- said in a statement": the span stops at the words.
    assert texts_by_outlet(expel)["reuters"] == [
        "We call on the Russian government to immediately expel Hamas terrorists"
    ]


def test_a_retranslation_without_quote_marks_joins_the_quotation(statements):
    obscene = next(s for s in statements if s.id == "israel-obscene-step")
    assert any(
        text.startswith("Israel views inviting Hamas leaders to Moscow as an undignified step")
        for text in texts_by_outlet(obscene)["reuters"]
    )


def test_a_fragment_joins_the_statement_it_comes_from(statements):
    invitation = next(s for s in statements if s.id == "israel-obscene-step")
    assert "an act of support of terrorism" in texts_by_outlet(invitation)["jns"]
    methods = next(s for s in statements if s.id == "embassy-condemns-terrorist-methods")
    assert sorted(texts_by_outlet(methods)["mixedtimes"]) == [
        "condemns the use of terrorist methods, including the killing of civilians",
        "taking hostage women, the elderly, and children",
    ]


def test_one_sentence_carrying_two_statements_is_split_where_others_carry_them_apart(statements):
    """Mixed Times runs 'stained with blood ...' and 'responsible for the kidnapping ...' together."""
    blood = next(s for s in statements if s.id == "hamas-hands-stained-with-blood")
    kidnapping = next(s for s in statements if s.id == "hamas-responsible-for-kidnapping")
    assert texts_by_outlet(blood)["mixedtimes"][0].endswith("slaughtered, murdered, executed and burned")
    assert texts_by_outlet(kidnapping)["mixedtimes"][0].startswith("they are responsible for the kidnapping")
    assert texts_by_outlet(kidnapping)["forumdaily"][0].startswith("they are responsible for the abduction")


def test_reused_wire_copy_is_a_shared_passage(archive, statements):
    without_claims = shared_statements(dataclasses.replace(archive, claims=()))
    passages = [s for s in without_claims if s.kind == "passage"]
    assert any(s.occurrences[0].text.startswith("Russia has ties to all key players") for s in passages)


def test_fold_keeps_every_offset():
    text = "“1,400 Israelis” — İstanbul, ﬁne."
    assert len(fold(text)) == len(text)
    assert fold("“Hamas,” he said.") == " hamas   he said "


# -- small archives --------------------------------------------------------------------------


def test_a_shared_quotation_without_a_claim_is_found(small):
    small.claims("[]")
    (statement,) = shared_statements(small.load())
    assert statement.claim is None and statement.kind == "quote"
    assert statement.id.startswith("quote-we-will-not-accept")
    assert statement.article_ids == ("daily-one", "herald-two")


def test_a_claim_takes_the_whole_quotation_it_matches(small):
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
        ("We shall not accept any attempts to blame us for the failure of negotiations in Geneva", True),
        ("We will do everything to make the next round of talks in Geneva a success", False),
    ],
)
def test_quotations_in_other_words_join_only_when_close(small, other_wording, shared):
    small.claims("[]")
    small.article("herald-two", "The Herald", "Geneva talks end", 2, f"“{other_wording},” a spokesman said.")
    assert bool(shared_statements(small.load())) is shared


def test_a_quotation_interrupted_by_its_attribution_is_one_statement(small):
    small.claims("[]")
    small.article(
        "herald-two",
        "The Herald",
        "Geneva",
        2,
        "“We will not accept any attempt to blame us,” the minister said, “for the failure of the talks in Geneva.”",
    )
    (statement,) = shared_statements(small.load())
    assert [o.article for o in statement.occurrences] == ["daily-one", "herald-two"]


def test_short_common_quotations_are_not_shared_statements(small):
    small.claims("[]")
    small.article("daily-one", "The Daily", "Soon", 1, "The visit will happen “soon,” he said.")
    small.article("herald-two", "The Herald", "Soon", 2, "A visit is planned “soon.”")
    assert shared_statements(small.load()) == []


def test_two_officials_calling_for_the_same_thing_stay_apart_when_both_are_claims(small):
    first = "We call for the immediate release of all hostages held in the Gaza Strip"
    second = "We call for the immediate and unconditional release of all hostages held in Gaza"
    small.article("daily-one", "The Daily", "Calls", 1, f"The ministry said: “{first}.”\n\nThe envoy said: “{second}.”")
    small.article("herald-two", "The Herald", "Calls", 2, f"“{first},” the ministry said.")
    small.article("post-three", "The Post", "Calls", 3, f"“{second},” the envoy said.")
    small.claims(
        f"""\
        - id: ministry-calls-for-release
          statement: "{first}."
          speaker: Ministry
          channel: statement
          kind: quote
        - id: envoy-calls-for-release
          statement: "{second}."
          speaker: Envoy
          channel: remarks
          kind: quote
        """
    )
    by_claim = {s.claim.id: s.article_ids for s in shared_statements(small.load())}
    assert by_claim == {
        "ministry-calls-for-release": ("daily-one", "herald-two"),
        "envoy-calls-for-release": ("daily-one", "post-three"),
    }


def test_only_units_that_share_rare_word_pairs_are_ever_compared(small, monkeypatch):
    """Candidate pairs come from the shingle index, not from comparing everything."""
    small.claims("[]")
    unrelated = [
        "Rain fell over the northern hills and valleys all night long.",
        "The museum reopened its west wing after a long restoration of the frescoes.",
        "Farmers expect a record harvest of apples and pears this autumn.",
        "A new bridge across the river will carry trams from next spring.",
    ]
    for day, text in enumerate(unrelated, start=3):
        small.article(f"other-{day}", "Other", "News", day, text)
    small.article("herald-two", "The Herald", "Geneva", 2, f"“{MINISTRY.replace('We will not', 'We won’t')},” he said.")
    compared = []
    original = links.compare_texts
    monkeypatch.setattr(links, "compare_texts", lambda *args: compared.append(args) or original(*args))
    shared_statements(small.load())
    assert compared
    assert all("geneva" in a and "geneva" in b for a, b in compared)


def test_units_cut_or_found_by_worker_processes_are_kept_and_counted_as_used():
    """Each worker process has a cache of its own: the units it cuts are kept in the build's,
    and those it finds there are counted as used, so that the site's file keeps them all."""
    articles = tuple(
        article_from(f"The talks in Geneva ended on day {n}, the ministry said in statement {n}.", f"a{n}")
        for n in range(WORTH_FORKING)
    )
    cache = Cache()
    cut = all_units(articles, cache, jobs=2)
    assert len(cache.used) == len(articles)  # one result for each article, cut by the workers
    again = Cache(cache.saved())
    assert all_units(articles, again, jobs=2) == cut
    assert len(again.used) == len(articles) and again.results == cache.results


def test_a_paraphrase_is_matched_and_grouped_as_a_passage(small):
    reported = "The ministry rejected any blame for the failure of the talks in Geneva."
    small.article("herald-two", "The Herald", "Geneva", 2, f"{reported} Negotiators left the city.")
    small.claims(
        f"""\
        - id: ministry-rejects-blame
          statement: "{MINISTRY}"
          speaker: Ministry of Foreign Affairs
          channel: statement
          kind: paraphrase
          renderings: ["{reported}"]
        """
    )
    (statement,) = shared_statements(small.load())
    assert statement.claim.kind == "paraphrase" and statement.kind == "passage"
    assert [o.article for o in statement.occurrences] == ["daily-one", "herald-two"]
