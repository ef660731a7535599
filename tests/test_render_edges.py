"""Rendering, at the edges: an article's text cut at its statements and numbered, the other
wordings a page names and how many more, the articles that do not carry a claim, and the
schema.org data of a claim page.

Found by mutation testing (see "Mutation testing" in README.md): each test states a behaviour
that a changed line in parallax/render/ would break without any other test noticing.
"""

import dataclasses
import json

from parallax.load import load_archive
from parallax.model import Occurrence, SharedStatement
from parallax.pipeline import compared
from parallax.render.addresses import Places
from parallax.render.body import body_rows
from parallax.render.sharing import claim_json_ld
from parallax.render.showcase import Showcase, by_outlet, not_carrying, showcase, wordings

from conftest import MINISTRY

OTHER = "The delegation will come back to Geneva in the spring to finish the work"


def rendered(small):
    archive = small.load()
    return archive, compared(archive)


def rows_of(small, article_id: str):
    _, comparison = rendered(small)
    summary = next(s for s in comparison.summaries if s.article.id == article_id)
    return body_rows(summary, Places(comparison.statements_and_passages))


def test_an_articles_text_is_cut_at_its_statements_numbered_in_order_with_a_note_where_each_first_stands(small):
    small.article(
        "daily-one",
        "The Daily",
        "Talks collapse",
        1,
        f"Negotiators left.\n\nThe ministry said: “{MINISTRY}.” An aide said: “{OTHER}.”\n\nThe aide added: “{OTHER}.”",
    )
    small.article(
        "herald-two",
        "The Herald",
        "Geneva talks end",
        2,
        f"“{MINISTRY},” a spokesman said.\n\n“{OTHER},” an aide said.",
    )
    first, second, third = rows_of(small, "daily-one")
    assert [(p.text, p.marked) for p in first.pieces] == [("Negotiators left.", False)] and first.notes == ()
    assert [(p.text, p.marked) for p in second.pieces] == [
        ("The ministry said: “", False),
        (MINISTRY, True),
        (".” An aide said: “", False),
        (OTHER, True),
        (".”", False),
    ]
    ministry, other = second.pieces[1], second.pieces[3]
    assert ministry.starts[-1] == "s-ministry-rejects-blame" and ministry.ends == ((1, "note-ministry-rejects-blame"),)
    # The Herald reuses both sentences as one passage: it starts with the first statement, is
    # numbered after it, and ends with the second.
    (passage,) = [note for note in second.notes if note.passage]
    assert passage.number == 2 and passage.carried.statement.kind == "passage"
    assert other.starts[-1].startswith("s-quote-the-delegation") and other.ends == (
        (2, passage.id),
        (3, "note-" + other.starts[-1].removeprefix("s-")),
    )
    assert second.pieces[0].starts == second.pieces[0].ends == ()
    assert [(note.number, note.id) for note in second.notes] == [
        (1, "note-ministry-rejects-blame"),
        (2, passage.id),
        (3, other.ends[1][1]),
    ]
    # Carried again further on: marked, anchored anew, but noted only where it first stands.
    assert [(p.text, p.marked) for p in third.pieces] == [("The aide added: “", False), (OTHER, True), (".”", False)]
    assert third.pieces[1].starts[-1] == other.starts[-1] + "-2" and third.notes == ()


def test_beside_a_statement_a_page_names_the_other_articles_wordings_and_how_many_more(small):
    for number, outlet in enumerate(["The Courier", "The Post", "The Times"], start=3):
        small.article(
            f"{outlet.lower().replace(' ', '-')}-{number}", outlet, "Talks", number, f"“{MINISTRY},” it said."
        )
    _, comparison = rendered(small)
    (statement,) = comparison.statements
    assert len(statement.occurrences) == 5
    chosen = Showcase(None, {})
    shown, more = chosen.others(statement, "daily-one")
    assert "daily-one" not in {o.article for o in shown} and len(shown) + more == 4 and more >= 0
    assert len(showcase(statement)) == 5


def test_a_claim_page_lists_the_articles_that_do_not_carry_it_by_outlet(small):
    small.article("herald-three", "The Herald", "More", 3, "Nothing was said about the talks.")
    archive, comparison = rendered(small)
    (coverage,) = comparison.claims
    lists = not_carrying(archive, coverage)
    assert [(o.outlet, [a.id for a in o.articles], o.more) for o in lists] == [("The Herald", ["herald-three"], 0)]


def test_an_outlet_with_many_articles_lists_ten_and_says_how_many_more(small):
    archive = small.load()
    many = [archive.articles[0]] * 13
    (listed,) = by_outlet(many)
    assert (listed.outlet, len(listed.articles), listed.more) == ("The Daily", 10, 3)


def structured_data(small, kind: str = "quote") -> dict:
    claims_yaml = (small.root / "claims.yaml").read_text(encoding="utf-8")
    claims_yaml = claims_yaml.replace("story:\n", "story:\n  url: https://archive.example/geneva/\n", 1)
    (small.root / "claims.yaml").write_text(claims_yaml.replace("kind: quote", f"kind: {kind}"), encoding="utf-8")
    archive, comparison = rendered(small)
    (coverage,) = comparison.claims
    return json.loads(claim_json_ld(load_archive(small.root).settings.url, archive, coverage))


def test_a_claim_pages_structured_data_is_a_claim_with_its_appearances_and_quotations(small):
    data = structured_data(small)
    assert data["@context"] == "https://schema.org"
    claim, *quotations = data["@graph"]
    assert claim["@type"] == "Claim"
    assert claim["text"] == "We will not accept any attempt to blame us for the failure of the talks."
    assert claim["author"] == {"name": "Ministry of Foreign Affairs"}
    assert claim["dateCreated"] == "2024-03-01"
    assert claim["url"] == "https://archive.example/geneva/claims/ministry-rejects-blame.html"
    assert [(a["@type"], a["publisher"]["name"], a["url"]) for a in claim["appearance"]] == [
        ("NewsArticle", "The Daily", "https://archive.example/geneva/articles/daily-one.html"),
        ("NewsArticle", "The Herald", "https://archive.example/geneva/articles/herald-two.html"),
    ]
    assert claim["firstAppearance"]["url"] == "https://archive.example/geneva/articles/daily-one.html"
    assert [(q["@type"], q["text"], q["spokenByCharacter"]["name"]) for q in quotations] == [
        ("Quotation", MINISTRY, "Ministry of Foreign Affairs"),
    ]


def test_a_claim_that_is_no_quote_has_no_quotations_in_its_structured_data(small):
    assert [item["@type"] for item in structured_data(small, kind="passage")["@graph"]] == ["Claim"]


def test_a_claim_found_nowhere_has_no_appearances(small):
    small.claims(
        "- id: never-said\n  statement: Nobody wrote these words anywhere.\n  speaker: P\n  channel: C\n  kind: quote\n"
    )
    archive, comparison = rendered(small)
    coverage = next(c for c in comparison.claims if c.claim.id == "never-said")
    data = json.loads(claim_json_ld(load_archive(small.root).settings.url, archive, coverage))
    (claim,) = data["@graph"]
    assert claim["appearance"] == [] and "firstAppearance" not in claim


def statement_of(wordings: list[str]) -> SharedStatement:
    occurrences = tuple(
        Occurrence(f"article-{n}", 0, len(text), text, 100.0) for n, text in enumerate(wordings, start=1)
    )
    return SharedStatement("quote-we-will-stay", None, None, "quote", occurrences)


def test_beside_an_article_six_other_articles_are_named_and_the_rest_counted():
    statement = statement_of(["We will stay until the end"] * 10)
    shown, more = Showcase(None, {}).others(statement, "article-1")
    assert [o.article for o in shown] == [f"article-{n}" for n in range(2, 8)] and more == 3


def test_beside_an_article_six_different_wordings_come_first_where_there_are_that_many():
    wordings = ["We will stay until the end"] * 4 + [f"We will stay until the end of round {n}" for n in range(1, 9)]
    shown, more = Showcase(None, {}).others(statement_of(wordings), "article-1")
    assert len({o.text for o in shown}) == 6 and more == 5


def test_beside_an_article_whole_wordings_come_before_fragments():
    statement = statement_of(["stay", "We will stay until the end", "until the end", "We shall stay to the end"])
    statement = dataclasses.replace(
        statement,
        occurrences=tuple(dataclasses.replace(o, fragment=len(o.text.split()) < 5) for o in statement.occurrences),
    )
    shown, _ = Showcase(None, {}).others(statement, None)
    assert [o.text for o in shown] == [
        "We will stay until the end",
        "We shall stay to the end",
        "stay",
        "until the end",
    ]


def test_a_claim_page_groups_the_occurrences_that_share_a_wording(small):
    small.article("post-three", "The Post", "Talks", 3, f"“{MINISTRY},” it said.")
    small.article("times-four", "The Times", "Talks", 4, f"“{MINISTRY.replace('We will not', 'We won’t')},” it said.")
    _, comparison = rendered(small)
    (statement,) = comparison.statements
    groups = wordings(comparison.variants[statement.id])
    assert [[o.article for o in occurrences] for _, occurrences in groups] == [
        ["daily-one", "herald-two", "post-three"],
        ["times-four"],
    ]


def test_an_appearance_in_structured_data_is_a_news_article_with_its_own_address_and_author(small):
    daily = small.root / "articles" / "daily-one.md"
    daily.write_text(
        daily.read_text(encoding="utf-8").replace(
            "language: en", "language: en\nauthor: Ann Reporter\nurl: https://daily.example/talks"
        ),
        encoding="utf-8",
    )
    first, second = structured_data(small)["@graph"][0]["appearance"]
    assert first == {
        "@type": "NewsArticle",
        "headline": "Talks collapse",
        "datePublished": "2024-03-01",
        "inLanguage": "en",
        "publisher": {"@type": "Organization", "name": "The Daily"},
        "url": "https://daily.example/talks",
        "author": {"name": "Ann Reporter"},
    }
    assert "author" not in second and second["url"] == "https://archive.example/geneva/articles/herald-two.html"


def test_markup_in_a_title_is_text_in_the_feed(small, tmp_path):
    from xml.etree import ElementTree

    from parallax.cli import main

    claims_yaml = (small.root / "claims.yaml").read_text(encoding="utf-8")
    (small.root / "claims.yaml").write_text(
        claims_yaml.replace("story:\n", "story:\n  url: https://archive.example/geneva/\n", 1), encoding="utf-8"
    )
    small.article("post-three", "The Post", '"<b>Talks</b> & more"', 3, "Nothing was said.")
    output = tmp_path / "site"
    assert main(["build", "--source", str(small.root), "--output", str(output)]) == 0
    feed = ElementTree.parse(output / "feed.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    titles = [entry.find(f"{atom}title").text for entry in feed.findall(f"{atom}entry")]
    assert "The Post: <b>Talks</b> & more" in titles


def test_a_claims_statements_stand_where_they_stand_among_all_the_storys(comparison):
    """A speaker's page links to the places of its claims' statements, found from those alone
    (StoryPages.claim_places): the places the story's pages give them."""
    every = Places(comparison.statements_and_passages).anchors
    claimed = Places(tuple(row.statement for row in comparison.coverage if row.statement)).anchors
    assert len(claimed) > 10 and all(every[place] == anchors for place, anchors in claimed.items())
