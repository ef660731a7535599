"""Passages aligned word by word: each editing move journalists make to wire copy, in English and
in Urdu. The wire story and its rewrites are written for these tests."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parallax.reuse.align import Vocabulary, compare_texts, positions, runs_of, runs_without, word_key

WIRE = (
    "A court in London on Tuesday ordered the newspaper to pay 50,000 pounds in damages to the former "
    "minister, who had sued over an article published last year. The judge said the article was false "
    "and defamatory."
)


def marked(derived: str) -> list[str]:
    """The derived text's passages, each word written as it is, [rewritten] or (its own)."""
    _, found = compare_texts(WIRE, derived)
    spans = Vocabulary().tokens(derived)
    passages = []
    for passage in found:
        shown = []
        for position in range(*passage.derived):
            word = derived[spans.starts[position] : spans.ends[position]]
            if position in positions(passage.rewritten):
                word = f"[{word}]"
            elif position not in positions(passage.verbatim):
                word = f"({word})"
            shown.append(word)
        passages.append(" ".join(shown))
    return passages


def test_a_copy_word_for_word_is_one_verbatim_passage_and_wholly_derived():
    found, passages = compare_texts(WIRE, WIRE)
    assert found.share == found.verbatim_share == 1.0 and found.label == "wholly"
    assert len(passages) == 1


def test_swapped_words_are_rewritten_and_the_passage_goes_on_past_them():
    swapped = WIRE.replace("on Tuesday ordered the newspaper to pay", "yesterday fined the newspaper")
    (passage,) = marked(swapped)
    assert passage.startswith("A court in London [yesterday] [fined] the newspaper 50,000 pounds in damages")
    assert passage.endswith("the article was false and defamatory")
    assert compare_texts(WIRE, swapped)[0].label == "wholly"


def test_a_clause_lifted_into_a_sentence_of_its_own_is_the_passage_and_nothing_else():
    lifted = "The former minister, who had sued over an article published last year, said he was delighted."
    assert marked(lifted) == ["The former minister who had sued over an article published last year"]


def test_a_sentence_cut_in_two_is_aligned_on_both_sides_of_the_cut():
    split = (
        "A court in London on Tuesday ordered the newspaper to pay 50,000 pounds in damages. "
        "The damages go to the former minister, who had sued over an article published last year."
    )
    (passage,) = marked(split)
    assert "in damages (The) (damages) (go) to the former minister" in passage


def test_two_sentences_merged_into_one_are_one_passage():
    merged = (
        "A court in London on Tuesday ordered the newspaper to pay 50,000 pounds in damages to the former minister, "
        "who had sued over an article published last year, after the judge said the article was false and defamatory."
    )
    (passage,) = marked(merged)
    assert "published last year (after) the judge said the article was false and defamatory" in passage


def test_paragraphs_in_another_order_are_each_found():
    reordered = (
        "The judge said the article was false and defamatory.\n\n"
        "A court in London on Tuesday ordered the newspaper to pay 50,000 pounds in damages to the former minister."
    )
    assert marked(reordered) == [
        "The judge said the article was false and defamatory",
        "A court in London on Tuesday ordered the newspaper to pay 50,000 pounds in damages to the former minister",
    ]


def test_a_quotation_trimmed_keeps_the_words_it_keeps():
    trimmed = "The newspaper must pay damages. The judge said the article was false, the court heard."
    assert marked(trimmed) == ["The judge said the article was false"]


def test_a_story_written_independently_on_the_same_event_is_not_derived():
    own = (
        "The former minister's lawsuit ended this week with a ruling against the paper, which said it "
        "would appeal to a higher court."
    )
    found, passages = compare_texts(WIRE, own)
    assert passages == [] and found.label == "not"


def test_a_story_that_rewrites_the_wire_in_its_own_order_is_partially_derived():
    rewritten = (
        "Damages of 50,000 pounds must be paid by the paper, a London judge ruled on Tuesday, finding that "
        "last year's story about the former minister was untrue. The minister had sued over the article, "
        "and said he was pleased."
    )
    assert compare_texts(WIRE, rewritten)[0].label == "partially"


# Urdu: "The prime minister chaired the cabinet meeting in Islamabad on Tuesday, in which 12 decisions were approved."
URDU = "وزیر اعظم نے منگل کو اسلام آباد میں کابینہ کے اجلاس کی صدارت کی، جس میں 12 فیصلوں کی منظوری دی گئی۔"


def test_any_script_aligns_the_same_way():
    # Vowel signs written in, other digits, another full stop: the same words.
    marked_up = URDU.replace("اجلاس", "اِجلاس").replace("12", "١٢").replace("۔", ".")
    found, _ = compare_texts(URDU, marked_up)
    assert found.verbatim_share == 1.0 and found.label == "wholly"
    trimmed = "ذرائع کے مطابق وزیر اعظم نے منگل کو اسلام آباد میں کابینہ کے اجلاس کی صدارت کی۔"
    (passage,) = compare_texts(URDU, trimmed)[1]
    assert len(positions(passage.verbatim)) == 14  # all but the two words the paper added ("according to sources")


def test_chinese_written_without_spaces_is_aligned_a_character_at_a_time():
    # "The court on Tuesday ordered the newspaper to pay the former minister 50,000 pounds in damages."
    wire = "法院周二判决该报社向前部长赔偿五万英镑损害赔偿金。"
    # "It is reported that ..." added; "Tuesday" swapped for "Wednesday"; the last words cut.
    paper = "据报道，法院周三判决该报社向前部长赔偿五万英镑。"
    found, (passage,) = compare_texts(wire, paper)
    spans = Vocabulary().tokens(paper)
    rewritten = "".join(paper[spans.starts[n] : spans.ends[n]] for n in sorted(positions(passage.rewritten)))
    assert rewritten == "三" and found.label == "wholly"
    assert paper[spans.starts[passage.derived[0]] :].startswith("法院")  # "it is reported" is its own


@pytest.mark.parametrize(
    "one, other",
    [("1,400", "1400"), ("Moscow", "MOSCOW"), ("“Hamas”", "Hamas"), ("اِجلاس", "اجلاس"), ("١٢", "12"), ("ﬁne", "fine")],
)
def test_words_are_compared_by_their_letters_and_digits(one, other):
    assert word_key(one) == word_key(other)


ranges = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=8)


@given(ranges, ranges)
def test_runs_of_word_positions_hold_the_very_positions_the_sets_do(kept, taken):
    runs, taken_runs = runs_of(kept), runs_of(taken)
    assert [p for first, last in runs for p in range(first, last)] == sorted(positions(kept))
    # Maximal runs: none touches the next, so each is one span of the page.
    assert all(earlier[1] < later[0] for earlier, later in itertools.pairwise(runs))
    left = runs_without(runs, taken_runs)
    assert [p for first, last in left for p in range(first, last)] == sorted(positions(kept) - positions(taken))
    assert all(first < last for first, last in left)
