"""Reused copy in the build: passages aligned word by word, grouped across articles, exported with
their alignment, each article's sources and label, and shown on the article page. The wire story
and the papers' rewrites are written for these tests."""

import dataclasses
import datetime
import re
from pathlib import Path

import pytest

from parallax.cache import Cache
from parallax.cli import main
from parallax.evaluate import evaluate_reuse, load_reuse_labels
from parallax.pipeline import compared
from parallax.reuse import aligned_articles, named, reused_copy
from parallax.reuse.align import Vocabulary
from parallax.reuse.thresholds import MAX_SOURCES

from conftest import MINISTRY, article_from, exported_story, story_of

REPO = Path(__file__).resolve().parent.parent

WIRE = (
    "A court in London on Tuesday ordered the newspaper to pay 50,000 pounds in damages to the former "
    "minister, who had sued over an article published last year.\n\n"
    "The judge said the article was false and defamatory, and that the paper had refused to correct it."
)
# A paper that swaps a few words and adds a sentence of its own.
REWRITE = (
    "A court in London yesterday fined the newspaper 50,000 pounds in damages to the former minister, "
    "who had sued over an article published last year.\n\n"
    "Our reporter was in court. The judge said the article was false and defamatory, and that the paper "
    "had refused to correct it."
)
# A paper that wrote its own story on the same ruling.
OWN = (
    "The former minister's lawsuit ended this week with a ruling against the paper, which said it would "
    "appeal to a higher court. Lawyers for both sides declined to comment outside the building."
)


def three_papers(small):
    small.claims("[]")
    small.article("wire-one", "The Wire", "Minister wins damages", 3, WIRE)
    small.article("paper-two", "The Paper", "Paper must pay", 4, REWRITE)
    small.article("own-three", "The Gazette", "Ruling against paper", 4, OWN)
    return small


def built(small, tmp_path) -> Path:
    output = tmp_path / "site"
    assert main(["build", "--source", str(small.root), "--output", str(output)]) == 0
    return output


def test_the_labelled_wire_overlap_of_the_first_story_is_found_word_by_word(archive):
    """The Jerusalem Post's undeclared Reuters copy, labelled by hand (tests/labelled/reuse.yaml)."""
    report = evaluate_reuse(load_reuse_labels(REPO / "tests" / "labelled" / "reuse.yaml", archive), archive)
    # Floors at what the alignment reaches today (0.97, 0.81, 0.50), so that a change that loses
    # ground fails. Precision is low here because the Post and the reposting site both quote the
    # Israeli ministry's statement: shared words, but not copied from each other.
    assert report.verbatim_recall >= 0.95
    assert report.recall >= 0.80
    assert report.precision >= 0.45
    assert any("They spoke out after" in run for run in report.missed)  # the paper's own words stay its own


def test_a_rewritten_wire_story_is_one_passage_with_verbatim_and_rewritten_words(small, tmp_path):
    site = built(three_papers(small), tmp_path)
    export = exported_story(site)
    passages = [s for s in export["shared"] if s["aligned"]]
    assert passages, "the rewrite of the wire is found"
    text = {a["id"]: a["text"] for a in export["articles"]}
    derived = [o for p in passages for o in p["occurrences"] if o["article"] == "paper-two"]
    assert derived and all(o["source"] == "wire-one" for o in derived)
    verbatim = " ".join(text["paper-two"][s:e] for o in derived for s, e in o["verbatim"])
    rewritten = " ".join(text["paper-two"][s:e] for o in derived for s, e in o["rewritten"])
    assert "yesterday fined" in rewritten and "A court in London" in verbatim
    assert "Our reporter was in court" not in verbatim + rewritten  # its own words
    for o in derived:
        assert text["paper-two"][o["start"] : o["end"]] == o["text"]
        assert all(o["start"] <= s < e <= o["end"] for s, e in o["verbatim"] + o["rewritten"])
    # The wire, published first, is the source: its occurrences have none, and no marks.
    assert all(
        o["source"] is None and o["verbatim"] == []
        for p in passages
        for o in p["occurrences"]
        if o["article"] == "wire-one"
    )
    assert not any(o["article"] == "own-three" for p in passages for o in p["occurrences"])


def test_each_article_has_its_sources_and_a_label_with_the_figures_behind_it(small, tmp_path):
    site = built(three_papers(small), tmp_path)
    articles = {a["id"]: a for a in exported_story(site)["articles"]}
    paper = articles["paper-two"]["reuse"]
    assert paper["label"] == "wholly"
    (wire,) = [s for s in paper["sources"] if s["source"] == "wire-one"]
    assert wire["label"] == "wholly" and wire["share"] > 0.8 and wire["verbatim_share"] > 0.7
    assert wire["score"] == pytest.approx((wire["share"] + wire["vocabulary"]) / 2, abs=1e-3)
    # The wire came first: nothing of it is reused from the later paper.
    assert articles["wire-one"]["reuse"] == {"label": "not", "share": 0, "verbatim_share": 0, "sources": []}
    assert articles["own-three"]["reuse"]["share"] == 0


def test_articles_of_the_same_day_are_each_the_others_possible_source(small, tmp_path):
    small.claims("[]")
    small.article("first-one", "The Wire", "Damages", 3, WIRE)
    small.article("second-two", "The Paper", "Damages", 3, REWRITE)
    comparison = compared(small.load())
    sources = {
        s.article.id: [d.source for d in s.reuse.sources]
        for s in comparison.summaries
        if s.article.id in ("first-one", "second-two")
    }
    assert sources == {"first-one": ["second-two"], "second-two": ["first-one"]}


def test_a_paragraph_carried_by_many_papers_is_one_group_with_an_occurrence_in_each(small):
    small.claims("[]")
    small.article("wire-zero", "The Wire", "Damages", 1, WIRE)
    for day in range(2, 9):
        opening = f"From our correspondent, day {day}."
        small.article(f"paper-{day}", f"Paper {day}", "Damages", day, f"{opening}\n\n{WIRE}")
    archive = small.load()
    reuse = named(reused_copy(archive, aligned_articles(archive, Cache(), 1)), set())
    carrying = [p for p in reuse.passages if any("ordered the newspaper to pay" in o.text for o in p.occurrences)]
    assert len(carrying) == 1
    assert {o.article for o in carrying[0].occurrences} == {"wire-zero", *(f"paper-{d}" for d in range(2, 9))}
    # Each paper is aligned with a few earlier ones only, however many carry the paragraph.
    assert all(len(r.sources) <= MAX_SOURCES for r in reuse.articles.values())
    assert reuse.articles["paper-8"].label == "wholly"


def test_a_paper_made_of_two_wire_stories_is_aligned_with_both_however_many_carry_the_first(small):
    small.claims("[]")
    small.article("wire-a", "Wire A", "Damages", 1, WIRE)
    small.article("wire-b", "Wire B", "Talks", 1, f"{MINISTRY}, a spokesman said on Saturday evening in Geneva.")
    for day in range(2, 6):  # the first wire story again and again: it outweighs the second
        small.article(f"copy-{day}", f"Paper {day}", "Damages", day, WIRE)
    small.article("merged-9", "The Merger", "Two stories", 9, f"{WIRE}\n\n{MINISTRY}, a spokesman said on Saturday.")
    archive = small.load()
    reuse = named(reused_copy(archive, aligned_articles(archive, Cache(), 1)), set())
    sources = {d.source for d in reuse.articles["merged-9"].sources}
    assert "wire-b" in sources and sources & {"wire-a", "copy-2", "copy-3", "copy-4", "copy-5"}
    assert len(sources) <= MAX_SOURCES
    assert reuse.articles["merged-9"].share > 0.9  # both stories' words are found reused


def test_a_sentence_found_shared_inside_a_passage_is_the_passage_and_its_address_still_works(site):
    export = exported_story(site)
    ids = {s["id"] for s in export["shared"]}
    aliases = {alias for s in export["shared"] if s["aligned"] for alias in s["aliases"]}
    assert "passage-baghiri-kani-tehran-s-chief-nuclear" in aliases - ids
    page = (site / "articles" / "jpost-russia-rejects-terror-accusation.html").read_text()
    assert 'id="s-passage-baghiri-kani-tehran-s-chief-nuclear"' in page


def test_the_article_page_tells_verbatim_from_rewritten_words_and_links_each_passage_to_its_source(small, tmp_path):
    site = built(three_papers(small), tmp_path)
    page = (site / "articles" / "paper-two.html").read_text()
    assert '<span class="rewritten">yesterday fined</span>' in page
    assert re.search(r'<span class="verbatim">A court in London</span>', page)
    assert "Our reporter was in court." in page and '<span class="verbatim">Our reporter' not in page
    links = re.findall(r'From <a href="\.\./articles/(wire-one\.html#s-passage-[a-z0-9-]+)">The Wire</a>', page)
    assert links
    wire = (site / "articles" / "wire-one.html").read_text()
    for link in links:
        assert f'id="{link.split("#")[1]}"' in wire  # each link finds its passage on the source's page
    assert "Reused copy" in page and "wholly derived" in page


def test_the_article_list_and_the_overview_say_how_much_of_each_is_reused_copy(small, tmp_path):
    site = built(three_papers(small), tmp_path)
    listing = (site / "articles.html").read_text()
    row = listing.split('href="articles/paper-two.html"')[1].split("</tr>")[0]
    assert re.search(r'data-label="Reused copy">\d+%<br><span class="muted">wholly derived', row)
    overview = (site / "index.html").read_text()
    table = overview.split('id="reused-copy"')[1].split("</table>")[0]
    assert re.search(r"The Paper</th><td[^>]*>1</td><td[^>]*>\d+%", table)
    assert re.search(r"The Gazette</th><td[^>]*>1</td><td[^>]*>0%", table)


def test_reuse_is_found_in_any_script():
    # Urdu: a wire report and a paper's version with two words swapped and a clause added.
    wire = "وزیر اعظم نے منگل کو اسلام آباد میں کابینہ کے اجلاس کی صدارت کی، جس میں 12 فیصلوں کی منظوری دی گئی۔"
    paper = "ذرائع کے مطابق وزیر اعظم نے بدھ کو اسلام آباد میں کابینہ کے اجلاس کی صدارت کی، جس میں ١٢ فیصلوں کی منظوری دی گئی۔"
    first = dataclasses.replace(article_from(wire, "wire"), language="ur")
    second = dataclasses.replace(article_from(paper, "paper"), language="ur", published=datetime.date(2024, 1, 2))
    story = story_of((first, second))
    reuse = named(reused_copy(story, aligned_articles(story, Cache(), 1)), set())
    (passage,) = reuse.passages
    occurrence = next(o for o in passage.occurrences if o.article == "paper")
    assert [paper[s:e] for s, e in occurrence.rewritten] == ["بدھ"]
    assert reuse.articles["paper"].label == "wholly"
    assert (
        len(Vocabulary().tokens(paper).words) - len(Vocabulary().tokens(occurrence.text).words) == 3
    )  # "according to sources" is its own


def test_alignments_taken_from_the_cache_after_an_edit_are_those_made_afresh():
    """Words, sources and alignments are kept by the texts they come from: after one article is
    edited, or one added before the others, what is kept is used only where it still holds."""
    papers = [article_from(WIRE, "wire"), article_from(REWRITE, "rewrite"), article_from(OWN, "own")]
    cache = Cache()
    aligned_articles(story_of(papers), cache, 1)
    edited = article_from(REWRITE.replace("Our reporter was in court. ", ""), "rewrite")
    for changed in ([papers[0], edited, papers[2]], [article_from(WIRE, "first"), *papers]):
        kept = Cache(cache.saved())
        story = story_of(changed)
        assert aligned_articles(story, kept, 1) == aligned_articles(story, Cache(), 1)
        assert kept.hits and kept.misses
