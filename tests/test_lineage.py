"""One statement, whole: its versions and parts in claims.yaml, the fragments that quote a word or
two of it, and who took it from whom (lineage), on the first story and on small archives."""

import datetime

import pytest

from parallax.cli import main
from parallax.lineage import EDITS, earlier, edit_of, word_keys
from parallax.model import ArchiveErrors
from parallax.pipeline import compared

from conftest import MINISTRY, exported_story

STATEMENT = "We will not accept any attempt to blame us for the failure of the talks."
OTHER_RENDERING = "We reject every attempt to put the blame for the collapse of the talks on us."
EXPEL = "We call on the hosts to send the delegation home without delay."


def article(small, slug: str, outlet: str, published: str, body: str, translated: str = "") -> None:
    extra = f"translated_from: {translated}\n" if translated else ""
    (small.root / "articles" / f"{slug}.md").write_text(
        f"---\noutlet: {outlet}\ntitle: {slug}\npublished: {published}\nlanguage: en\n{extra}---\n\n{body}\n",
        encoding="utf-8",
    )


def errors_of(small) -> list[str]:
    with pytest.raises(ArchiveErrors) as caught:
        small.load()
    return [str(error).removeprefix(f"{small.root}/") for error in caught.value.errors]


STATEMENT_WITH_VERSIONS = f"""\
- id: ministry-statement
  speaker: Ministry of Foreign Affairs
  channel: statement
  date: 2024-03-01
  kind: quote
  versions:
    - id: english
      origin: the ministry's own English
      language: en
    - id: other-english
      origin: the spokesman's English
      language: en
  parts:
    - id: ministry-rejects-blame
      aliases: [ministry-blame]
      statement: "{STATEMENT}"
      versions:
        other-english: "{OTHER_RENDERING}"
    - id: ministry-calls-delegation-home
      statement: "{EXPEL}"
"""


# -- the claim format ------------------------------------------------------------------------


def test_a_claim_of_one_sentence_is_one_part_in_one_version(small):
    (claim,) = small.load().claims
    (part,) = claim.parts
    assert (part.id, part.claim, part.statement, claim.statement) == (claim.id, claim.id, STATEMENT, STATEMENT)
    assert [version.id for version in claim.versions] == ["statement"] and not claim.has_parts


def test_a_claim_has_parts_each_in_its_versions(small):
    small.claims(STATEMENT_WITH_VERSIONS)
    (claim,) = small.load().claims
    assert claim.has_parts and claim.statement == f"{STATEMENT} {EXPEL}"
    first, second = claim.parts
    assert first.versions == (("english", STATEMENT), ("other-english", OTHER_RENDERING))
    assert first.aliases == ("ministry-blame",) and second.versions == (("english", EXPEL),)
    assert claim.names == (
        "ministry-statement",
        "ministry-rejects-blame",
        "ministry-blame",
        "ministry-calls-delegation-home",
    )


def test_a_claim_without_parts_gives_other_versions_words_in_their_entries(small):
    small.claims(
        f"""\
        - id: ministry-rejects-blame
          statement: "{STATEMENT}"
          speaker: Ministry
          channel: statement
          kind: quote
          versions:
            - id: ours
              origin: our translation
            - id: theirs
              origin: the agency's translation
              from: original
              statement: "{OTHER_RENDERING}"
            - id: original
              origin: the original, in French
              language: fr
        """
    )
    (claim,) = small.load().claims
    assert claim.parts[0].versions == (("ours", STATEMENT), ("theirs", OTHER_RENDERING))
    assert claim.version("theirs").translated_from == "original" and claim.version("original").language == "fr"


@pytest.mark.parametrize(
    "change, message",
    [
        (
            ("other-english:", "elsewhere:"),
            "claims.yaml:21: unknown version 'elsewhere' (this claim's versions: other-english)",
        ),
        (("      origin: the spokesman's English\n", ""), "claims.yaml:13: version has no 'origin'"),
        (
            ("    - id: other-english", "    - id: english"),
            "claims.yaml:13: version id 'english' is used twice in this claim",
        ),
        (
            ("      language: en\n  parts", "      from: nowhere\n  parts"),
            "claims.yaml:15: version 'other-english' is 'from' 'nowhere', which is not another version of this claim",
        ),
        (
            ("- id: ministry-calls-delegation-home", "- id: ministry-blame"),
            "claims.yaml:22: id 'ministry-blame' is used twice (first on line 17)",
        ),
        (
            ("  kind: quote\n", "  kind: quote\n  statement: Whole.\n"),
            "claims.yaml:9: a claim with parts has no 'statement' of its own: give each part its own",
        ),
        (
            ("  parts:", "  sentences:"),
            "claims.yaml:16: unknown field 'sentences' in claim (fields: id, statement, speaker, channel, kind, date, versions, parts, renderings, aliases, articles, notes)",
        ),
    ],
)
def test_a_mistake_in_versions_or_parts_is_named_at_its_line(small, change, message):
    small.claims(STATEMENT_WITH_VERSIONS.replace(*change))
    assert message in errors_of(small)


def test_a_part_id_may_not_be_another_claims_id(small):
    small.claims(
        STATEMENT_WITH_VERSIONS
        + "- id: ministry-rejects-blame\n  statement: Elsewhere.\n  speaker: P\n  channel: C\n  kind: quote\n"
    )
    assert errors_of(small) == ["claims.yaml:24: claim id 'ministry-rejects-blame' is used twice (first on line 17)"]


def test_a_claim_with_neither_statement_nor_parts_says_what_it_needs(small):
    small.claims("- id: empty\n  speaker: P\n  channel: C\n  kind: quote\n")
    assert errors_of(small) == [
        "claims.yaml:4: claim has no 'statement' (or 'parts', for a statement of several sentences)"
    ]


# -- publication times -----------------------------------------------------------------------


def test_an_article_may_give_its_time_of_publication_with_its_offset(small):
    article(small, "courier-three", "The Courier", "2024-03-02T14:05+03:00", f"“{STATEMENT}”")
    courier = small.load().by_id["courier-three"]
    assert courier.published == datetime.date(2024, 3, 2)
    assert courier.published_at == datetime.datetime(2024, 3, 2, 11, 5, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    "written, message",
    [
        ("2024-03-02T14:05", "'published' gives a time without its offset from UTC: write 2024-03-02T14:05+00:00"),
        ("2024-03-02T25:05+01:00", "'published' is 2024-03-02T25:05+01:00, not a real time of day"),
        ("2024-02-30T10:00Z", "'published' is 2024-02-30, not a real date: February 2024 has 29 days"),
    ],
)
def test_a_time_without_offset_or_out_of_the_clock_is_an_error(small, written, message):
    article(small, "courier-three", "The Courier", written, f"“{STATEMENT}”")
    (error,) = errors_of(small)
    assert error.startswith("articles/courier-three.md:4: ") and message in error


def test_order_is_known_by_date_or_by_time_and_unknown_within_a_day_without_one(small):
    article(small, "early", "A", "2024-03-02T08:00+00:00", "x")
    article(small, "late", "B", "2024-03-02T10:00+03:00", "x")  # 07:00 UTC: before the other
    article(small, "undated", "C", "2024-03-02", "x")
    found = small.load().by_id
    assert earlier(found["late"], found["early"]) is True and earlier(found["early"], found["late"]) is False
    assert earlier(found["undated"], found["early"]) is None
    assert earlier(found["daily-one"], found["undated"]) is True  # 1 March, before 2 March


# -- edits -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "wording, reference, retranslated, edit",
    [
        ("We will stay.", "we will STAY", False, "verbatim"),
        ("will stay", "We will stay until the end", False, "cut"),
        ("We will stay until the very end", "We will stay until the end", False, "addition"),
        ("We shall stay until the end", "We will stay until the end", False, "substitution"),
        ("Leaving is not on our minds at all", "We will stay until the end", False, "paraphrase"),
        ("We shall remain until the end", "We will stay until the end", True, "retranslation"),
    ],
)
def test_each_edit_is_named_by_what_it_changed(wording, reference, retranslated, edit):
    assert edit in EDITS
    assert edit_of(word_keys(wording), word_keys(reference), retranslated) == edit


# -- fragments -------------------------------------------------------------------------------


def test_a_word_or_two_quoted_where_the_speaker_is_named_is_a_fragment(small):
    article(
        small,
        "courier-three",
        "The Courier",
        "2024-03-03",
        "The ministry said it would not accept “any attempt to blame” it.",
    )
    (statement,) = compared(small.load()).statements
    (fragment,) = [o for o in statement.occurrences if o.fragment]
    assert (fragment.article, fragment.text) == ("courier-three", "any attempt to blame")


def test_a_common_phrase_quoted_is_no_fragment(small):
    # "the talks" stands in every other article too: common, whoever is named beside it.
    article(small, "courier-three", "The Courier", "2024-03-03", "The ministry spoke of “the talks” again.")
    article(small, "post-four", "The Post", "2024-03-04", "Nobody came to the talks. The talks were short.")
    article(small, "wire-five", "Wire", "2024-03-04", "Diplomats say the talks went on late.")
    (statement,) = compared(small.load()).statements
    assert not any(o.fragment for o in statement.occurrences)


def test_a_quoted_word_of_the_statement_with_nothing_pointing_to_it_is_no_fragment(small):
    article(small, "courier-three", "The Courier", "2024-03-03", "Fans booed the “failure” of the home side.")
    (statement,) = compared(small.load()).statements
    assert not any(o.fragment for o in statement.occurrences)


# -- lineage ---------------------------------------------------------------------------------


def lineage_of(small, statement_id: str):
    comparison = compared(small.load())
    lineage = comparison.lineage[statement_id]
    return {descent.occurrence.article: descent for descent in lineage.descents}


def test_a_copy_closer_to_an_earlier_article_than_to_the_speaker_is_that_articles_child(small):
    # The Herald (2 March) quotes the statement; The Courier (3 March) repeats its words with
    # "of the talks" cut and one word changed, as The Herald had changed it.
    herald = STATEMENT.replace("failure", "collapse")
    (small.root / "articles" / "herald-two.md").unlink()
    article(small, "herald-two", "The Herald", "2024-03-02", f"“{herald}” a spokesman said.")
    article(small, "courier-three", "The Courier", "2024-03-03", f"“{herald.removesuffix(' of the talks.')},” it said.")
    found = lineage_of(small, "ministry-rejects-blame")
    # The Daily adds "in Geneva" to the ministry's words, as curated.
    assert (found["daily-one"].basis, found["daily-one"].parent, found["daily-one"].edit) == (
        "source",
        None,
        "addition",
    )
    assert (found["herald-two"].basis, found["herald-two"].edit) == ("source", "substitution")
    courier = found["courier-three"]
    assert (courier.basis, courier.parent, courier.edit) == ("copied", "ministry-rejects-blame/herald-two", "cut")


def test_two_copies_of_the_speakers_words_are_both_from_the_source(small):
    small.claims(
        f'- id: ministry-rejects-blame\n  statement: "{MINISTRY}"\n  speaker: Ministry\n  channel: C\n  kind: quote\n'
    )
    found = lineage_of(small, "ministry-rejects-blame")
    assert {article: d.basis for article, d in found.items()} == {"daily-one": "source", "herald-two": "source"}


def test_words_two_articles_add_alike_make_the_later_the_earlier_ones_child(small):
    # Both add "in Geneva" to the words as curated: the later took them from the earlier.
    found = lineage_of(small, "ministry-rejects-blame")
    assert (found["herald-two"].basis, found["herald-two"].parent) == ("copied", "ministry-rejects-blame/daily-one")
    assert found["herald-two"].edit == "verbatim" and found["herald-two"].shared_words == 17


def test_as_close_to_an_article_of_the_same_day_the_order_is_unknown_and_said(small):
    small.claims("- id: talks-over\n  statement: The talks are over.\n  speaker: P\n  channel: C\n  kind: paraphrase\n")
    wire = "Negotiators in Geneva packed up on Friday after a week without progress on any point."
    for slug, outlet in (("daily-one", "The Daily"), ("herald-two", "The Herald")):
        article(small, slug, outlet, "2024-03-05", wire)
    comparison = compared(small.load())
    lineage = comparison.lineage
    statement_id = comparison.passages[0].id  # the copy aligned word by word
    found = {d.occurrence.article: d for d in lineage[statement_id].descents}
    assert found["daily-one"].basis == found["herald-two"].basis == "unknown order"
    assert found["daily-one"].candidates == (f"{statement_id}/herald-two",)
    assert found["daily-one"].parent is None and found["daily-one"].edit == "verbatim"


def test_several_earlier_copies_as_close_are_a_tie_and_none_is_chosen(small):
    body = f"“{STATEMENT.replace('failure', 'collapse')}”"
    (small.root / "articles" / "herald-two.md").unlink()
    for slug, day in (("herald-two", 2), ("courier-three", 3), ("post-four", 4)):
        article(small, slug, slug.split("-")[0].title(), f"2024-03-0{day}", body)
    found = lineage_of(small, "ministry-rejects-blame")
    assert found["courier-three"].basis == "copied" and found["courier-three"].parent.endswith("/herald-two")
    post = found["post-four"]
    assert (post.basis, post.parent) == ("tie", None)
    assert post.candidates == ("ministry-rejects-blame/herald-two", "ministry-rejects-blame/courier-three")


def test_in_the_export_parents_are_never_later_and_there_are_no_cycles(site):
    export = exported_story(site)
    published = {article["id"]: article["published"] for article in export["articles"]}
    for entry in export["shared"]:
        by_id = {o["id"]: o for o in entry["occurrences"]}
        assert len(by_id) == len(entry["occurrences"])  # ids are unique
        for occurrence in entry["occurrences"]:
            seen, current = set(), occurrence
            while current["parent"] is not None:
                parent = by_id[current["parent"]]  # a parent is in the same entry
                assert published[parent["article"]] < published[current["article"]]
                assert current["id"] not in seen
                seen.add(current["id"])
                current = parent
            assert occurrence["edit"] in (*EDITS, None)
            assert all(candidate in by_id for candidate in occurrence["candidates"])


def test_the_first_storys_lineage_says_what_the_captures_show(comparison):
    """Every outlet took the ministry's words from the ministry, in its version; JNS, the only
    one a day earlier, is no outlet's source; where two outlets of the same day paraphrase the
    same report alike, the order is said to be unknown."""
    descents = comparison.lineage["israel-obscene-step"].descents
    assert {(d.occurrence.article.split("-")[0], d.basis, d.version) for d in descents} == {
        ("jns", "source", "english-haiat"),
        ("forumdaily", "source", "english"),
        ("jpost", "source", "english-haiat"),
        ("mixedtimes", "source", "english"),
        ("reuters", "source", "via-russian"),
    }
    forumdaily = next(d for d in descents if d.occurrence.article.startswith("forumdaily"))
    assert forumdaily.edit == "retranslation"  # a machine translation of a translation
    # Reused copy that is mostly a quotation of a claim is the speaker's words too, not copied
    # from the earlier article that quotes it alike.
    quoting = [
        d
        for passage in comparison.passages
        for d in comparison.lineage[passage.id].descents
        if "an obscene step" in d.occurrence.text
    ]
    assert quoting and all(d.basis == "source" and d.parent is None for d in quoting)
    peskov = {
        d.occurrence.article.split("-")[0]: d.basis for d in comparison.lineage["peskov-no-meeting-with-putin"].descents
    }
    assert peskov == {"forumdaily": "unknown order", "jpost": "unknown order"}


def test_times_of_publication_order_articles_of_one_day_and_show_on_the_claim_page(small, tmp_path):
    # Both on 2 March: with their times, The Herald (09:00 UTC) comes before The Courier (10:30
    # UTC, given as 12:30+02:00), which takes The Herald's changed words.
    herald = STATEMENT.replace("failure", "collapse")
    (small.root / "articles" / "herald-two.md").unlink()
    article(small, "herald-two", "The Herald", "2024-03-02T09:00+00:00", f"“{herald}” a spokesman said.")
    article(small, "courier-three", "The Courier", "2024-03-02T12:30+02:00", f"“{herald}” it said.")
    found = lineage_of(small, "ministry-rejects-blame")
    assert (found["courier-three"].basis, found["courier-three"].parent) == (
        "copied",
        "ministry-rejects-blame/herald-two",
    )
    site = tmp_path / "site"
    assert main(["build", "--source", str(small.root), "--output", str(site)]) == 0
    page = (site / "claims" / "ministry-rejects-blame.html").read_text(encoding="utf-8")
    assert '<time datetime="2024-03-02T12:30:00+02:00">2 March 2024, 12:30 UTC+02:00</time>' in page
    assert "Most likely from The Herald (2 March 2024), word for word" in page
