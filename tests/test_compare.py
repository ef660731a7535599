"""Comparison: who carries what, and each wording set beside the statement word by word."""

import dataclasses

from parallax.compare import (
    Comparison,
    Difference,
    pickled,
    pickled_overview,
    unpickled,
    unpickled_overview,
    word_differences,
)
from parallax.load import load_archive

from conftest import REPO


def test_word_differences_mark_added_dropped_and_changed_words():
    assert word_differences(
        "We consider it necessary to continue our contacts with all parties.",
        "We believe it is necessary to continue contacts with all sides",
    ) == (
        Difference("same", "We", "We"),
        Difference("changed", "consider", "believe"),
        Difference("same", "it", "it"),
        Difference("added", "", "is"),
        Difference("same", "necessary to continue", "necessary to continue"),
        Difference("dropped", "our", ""),
        Difference("same", "contacts with all", "contacts with all"),
        Difference("changed", "parties.", "sides"),
    )


def test_punctuation_case_and_number_format_are_not_differences():
    (only,) = word_differences("The blood of over 1,400 Israelis.", "the blood of over 1400 Israelis")
    assert only.kind == "same"


def test_every_occurrence_has_its_variant(comparison):
    for statement in comparison.statements:
        variants = comparison.variants[statement.id]
        assert [v.occurrence for v in variants] == list(statement.occurrences)
    peskov = {v.occurrence.article.split("-")[0]: v for v in comparison.variants["peskov-contacts-with-all-parties"]}
    # Each wording is set beside the version it is closest to: two translations of Peskov's words.
    assert (peskov["mixedtimes"].version, peskov["mixedtimes"].changed_words) == ("english-believe", 0)
    assert (peskov["jpost"].version, peskov["jpost"].changed_words) == ("english-consider", 2)  # dialog / dialogue


def test_a_comparison_is_kept_without_its_storys_texts_and_comes_back_with_the_story_loaded(archive, comparison):
    kept = pickled(comparison)
    assert not any(article.text.encode() in kept for article in archive.articles)
    (loaded,) = load_archive(REPO).stories  # as the next build loads it
    back = unpickled(kept, loaded)
    assert back == comparison
    assert back.story is loaded
    assert all(summary.article is article for summary, article in zip(back.summaries, loaded.articles, strict=True))


def test_a_kept_comparison_is_read_whole_only_when_more_than_its_overview_is_asked_for(comparison):
    (loaded,) = load_archive(REPO).stories
    reads: list[bytes] = []

    def read_whole() -> bytes:
        reads.append(pickled(comparison))
        return reads[-1]

    kept = unpickled_overview(pickled_overview(comparison), loaded, read_whole)
    assert len(pickled_overview(comparison)) < len(pickled(comparison)) / 2
    # What pages across stories read of it, and a build's summary and warnings.
    assert kept.story is loaded
    assert (kept.outlets, kept.articles_per_outlet, kept.similarity, kept.coverage, kept.claims) == (
        comparison.outlets,
        comparison.articles_per_outlet,
        comparison.similarity,
        comparison.coverage,
        comparison.claims,
    )
    assert (kept.tally, kept.shared_text, kept.reused_text, kept.reused_per_outlet) == (
        comparison.tally,
        comparison.shared_text,
        comparison.reused_text,
        comparison.reused_per_outlet,
    )
    overview_fields = ("article", "shared_statements", "shared_share", "reuse")
    assert [[getattr(summary, name) for name in overview_fields] for summary in kept.summaries] == [
        [getattr(summary, name) for name in overview_fields] for summary in comparison.summaries
    ]
    assert all(summary.article is article for summary, article in zip(kept.summaries, loaded.articles, strict=True))
    assert reads == []
    # The rest, read once, as the whole holds it.
    assert [(summary.carried, summary.passages) for summary in kept.summaries] == [
        (summary.carried, summary.passages) for summary in comparison.summaries
    ]
    assert len(reads) == 1
    for field in dataclasses.fields(Comparison):
        if field.name != "summaries":  # compared field by field above: they are the overview's
            assert getattr(kept, field.name) == getattr(comparison, field.name), field.name
    assert (kept.shared, kept.uncovered, kept.statements_and_passages) == (
        comparison.shared,
        comparison.uncovered,
        comparison.statements_and_passages,
    )
    assert len(reads) == 1


def test_coverage_has_a_row_per_claim_and_a_cell_per_article(archive, comparison):
    assert [row.part.id for row in comparison.coverage] == [p.id for claim in archive.claims for p in claim.parts]
    assert [coverage.claim.id for coverage in comparison.claims] == [claim.id for claim in archive.claims]
    for row in comparison.coverage:
        assert len(row.cells) == len(archive.articles)
        assert row.carried_by >= 2
