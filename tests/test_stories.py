"""An archive of many stories: its layout, ids across stories, matching per story, the pages
across stories (front page, outlets, speakers) and the export."""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
import textwrap
from pathlib import Path

import jsonschema
import pytest

from parallax import cache as cache_module
from parallax import pipeline
from parallax.cache import Cache
from parallax.cli import main
from parallax.load import articles as articles_module
from parallax.render import export
from parallax.render.site import Pages, StoryPages
from parallax.serve import Server

from conftest import MINISTRY, REPO, site_differences

FRONT = """\
---
outlet: {outlet}
title: {title}
published: {published}
language: en
---

{body}
"""

GENEVA_CLAIMS = """\
story:
  title: Talks in Geneva
  summary: The talks collapse, and the ministry rejects the blame.
claims:
  - id: ministry-rejects-blame
    statement: "We will not accept any attempt to blame us for the failure of the talks in Geneva."
    speaker: Ministry of Foreign Affairs
    channel: statement
    date: 2024-03-01
    kind: quote
  - id: talks-ended-friday
    statement: The delegations flew home on Friday after the talks ended.
    speaker: The Daily
    channel: report
    kind: passage
"""

VIENNA_CLAIMS = """\
story:
  title: Talks in Vienna
claims:
  - id: ministry-rejects-blame-again
    statement: "We will not accept any attempt to blame us for the failure of the talks in Geneva."
    speaker: foreign-ministry
    channel: briefing
    date: 2024-09-10
    kind: quote
"""

SPEAKERS = """\
speakers:
  - id: foreign-ministry
    name: Ministry of Foreign Affairs
    names: [the foreign ministry]
    roles:
      - role: the government's voice abroad
        from: 2020-01-01
"""


class Stories:
    """An archive of two stories in a temporary folder, with the repository's templates."""

    def __init__(self, root: Path):
        self.root = root
        shutil.copytree(REPO / "templates", root / "templates")
        (root / "archive.yaml").write_text("title: Talks, compared\ndescription: Two rounds of talks.\n")
        (root / "speakers.yaml").write_text(SPEAKERS)
        self.story("geneva", GENEVA_CLAIMS)
        self.article(
            "geneva",
            "daily-geneva",
            "The Daily",
            "Talks collapse",
            "2024-03-01",
            f"The ministry said: “{MINISTRY}.”\n\nThe delegations flew home on Friday after the talks ended.",
        )
        self.article(
            "geneva",
            "herald-geneva",
            "The Herald",
            "Geneva talks end",
            "2024-03-02",
            f"“{MINISTRY},” a spokesman said.\n\nNegotiators left the city.",
        )
        self.story("vienna", VIENNA_CLAIMS)
        self.article(
            "vienna",
            "daily-vienna",
            "The Daily",
            "Talks fail again",
            "2024-09-10",
            f"Months later the ministry repeated: “{MINISTRY}.”",
        )
        self.article(
            "vienna",
            "courier-vienna",
            "The Courier",
            "Vienna round ends",
            "2024-09-11",
            f"“{MINISTRY},” the ministry said once more.\n\nThe delegations flew home on Friday after the talks ended.",
        )

    def story(self, story_id: str, claims: str) -> None:
        (self.root / "stories" / story_id / "articles").mkdir(parents=True)
        (self.root / "stories" / story_id / "claims.yaml").write_text(claims)

    def article(self, story_id: str, slug: str, outlet: str, title: str, published: str, body: str) -> Path:
        path = self.root / "stories" / story_id / "articles" / f"{slug}.md"
        path.write_text(FRONT.format(outlet=outlet, title=title, published=published, body=body), encoding="utf-8")
        return path

    def build(self, capsys=None) -> int:
        return main(["build", "--source", str(self.root), "--output", str(self.site)])

    @property
    def site(self) -> Path:
        return self.root / "site"

    def page(self, path: str) -> str:
        return (self.site / path).read_text(encoding="utf-8")


@pytest.fixture
def stories(tmp_path) -> Stories:
    return Stories(tmp_path / "archive")


@pytest.fixture
def built(stories) -> Stories:
    assert stories.build() == 0
    return stories


def test_each_story_and_page_across_stories_is_written(built):
    for path in (
        "index.html",
        "stories/geneva.html",
        "stories/vienna.html",
        "articles/daily-geneva.html",
        "articles/courier-vienna.html",
        "claims/ministry-rejects-blame.html",
        "claims/ministry-rejects-blame-again.html",
        "outlets/index.html",
        "outlets/the-daily.html",
        "speakers/index.html",
        "speakers/foreign-ministry.html",
        "data/stories/geneva.json",
        "data/stories/vienna.json",
    ):
        assert (built.site / path).is_file(), path


def test_the_front_page_lists_stories_newest_first_with_totals(built):
    front = built.page("index.html")
    assert "<h1>Talks, compared</h1>" in front
    assert front.index("Talks in Vienna") < front.index("Talks in Geneva")
    assert 'href="stories/vienna.html"' in front
    assert "<dt>Stories</dt><dd>2</dd>" in front
    assert '<dt>Articles</dt><dd><a href="articles.html">4</a></dd>' in front
    assert "The Courier" in front.split("Talks in Geneva")[0]  # the Vienna story names its outlets


def test_lists_that_grow_with_the_archive_are_cut_into_pages(stories, capsys):
    """The front page, the list of claims, an outlet's page and a speaker's: 25 stories or
    statements a page, each page linked to the next and the one before."""
    for number in range(26):
        story_id = f"round-{number:02d}"
        claim = (
            f"  - id: pledge-{number}\n    statement: We pledge to meet again, in round {number}, whatever is said.\n"
            f"    speaker: foreign-ministry\n    channel: statement\n    date: 2023-01-{number + 1:02d}\n    kind: quote\n"
        )
        stories.story(story_id, f"story:\n  title: Round {number}\nclaims:\n{claim}")
        stories.article(
            story_id,
            f"note-{number:02d}",
            "The Daily",
            f"Round {number}",
            f"2023-01-{number + 1:02d}",
            "A meeting was held.",
        )
    assert stories.build() == 0
    capsys.readouterr()
    first, second = stories.page("index.html"), stories.page("stories-2.html")
    assert 'rel="next" href="stories-2.html"' in first
    assert "Round 0</a>" not in first and "Round 0</a>" in second  # the oldest story is on the last page
    assert 'rel="prev" href="index.html"' in second
    for pages in (
        ["claims/index.html", "claims/index--2.html"],
        ["outlets/the-daily.html", "outlets/the-daily--2.html"],
        ["speakers/foreign-ministry.html", "speakers/foreign-ministry--2.html"],
    ):
        one, two = (stories.page(path) for path in pages)
        assert f'rel="next" href="../{pages[1]}"' in one and f'rel="prev" href="../{pages[0]}"' in two, pages
    # Statements newest first: the oldest on the second page of the speaker's.
    assert "pledge-0.html" in stories.page("speakers/foreign-ministry--2.html")
    assert "pledge-0.html" not in stories.page("speakers/foreign-ministry.html")


def test_articles_of_different_stories_are_never_compared(built):
    """The same quotation in both stories: each story's page of it names only its own articles."""
    export = json.loads((built.site / "data" / "archive.json").read_text(encoding="utf-8"))
    for story in export["stories"]:
        own = {article["id"] for article in story["articles"]}
        for shared in story["shared"]:
            assert {o["article"] for o in shared["occurrences"]} <= own
    geneva = built.page("claims/ministry-rejects-blame.html")
    assert "articles/daily-geneva.html" in geneva and "articles/daily-vienna.html" not in geneva


def test_a_statement_that_recurs_in_another_story_is_linked_from_both_claim_pages(built):
    geneva = built.page("claims/ministry-rejects-blame.html")
    vienna = built.page("claims/ministry-rejects-blame-again.html")
    assert "The same words in other stories" in geneva and "The same words in other stories" in vienna
    assert 'href="../claims/ministry-rejects-blame-again.html"' in geneva
    assert 'href="../claims/ministry-rejects-blame.html"' in vienna
    assert 'href="../stories/vienna.html">Talks in Vienna</a>' in geneva


def test_an_outlet_page_shows_every_story_it_covered_and_the_claims_it_left_out(built):
    daily = built.page("outlets/the-daily.html")
    assert "Talks in Geneva" in daily and "Talks in Vienna" in daily
    assert 'href="../articles/daily-geneva.html"' in daily and 'href="../articles/daily-vienna.html"' in daily
    herald = built.page("outlets/the-herald.html")
    carried, left_out = herald.split("<h3>Left out")
    assert "ministry-rejects-blame.html" in carried  # the Herald quotes the ministry
    assert "talks-ended-friday.html" in left_out  # but not the Daily's report
    assert "Talks in Vienna" not in herald


def test_reused_copy_is_traced_within_its_story_only(built):
    """The Courier's last paragraph is the Daily's Geneva sentence word for word; but that is
    another story: the Courier's copy comes from the Daily's Vienna article, the quotation they share."""
    export = json.loads((built.site / "data" / "archive.json").read_text(encoding="utf-8"))
    (vienna,) = [story for story in export["stories"] if story["id"] == "vienna"]
    (courier,) = [article for article in vienna["articles"] if article["id"] == "courier-vienna"]
    assert [source["source"] for source in courier["reuse"]["sources"]] == ["daily-vienna"]
    assert courier["reuse"]["share"] < 0.6  # its last paragraph is its own, within its story
    page = built.page("outlets/the-courier.html")
    assert "from The Daily (53%)" in page


def test_a_speaker_page_gathers_its_statements_across_stories_with_their_roles(built):
    page = built.page("speakers/foreign-ministry.html")
    assert "<h1>Ministry of Foreign Affairs</h1>" in page
    assert page.index("ministry-rejects-blame-again.html") < page.index("ministry-rejects-blame.html")  # newest first
    assert "as the government&#39;s voice abroad" in page
    assert "The Herald" in page and "The Courier" in page  # how outlets rendered each
    # A claim naming a speaker nobody declared has one too, by its name's slug.
    assert "<h1>The Daily</h1>" in built.page("speakers/the-daily.html")
    claim = built.page("claims/ministry-rejects-blame.html")
    assert 'href="../speakers/foreign-ministry.html"' in claim


def test_the_export_covers_every_story_and_one_file_each(built):
    export = json.loads((built.site / "data" / "archive.json").read_text(encoding="utf-8"))
    schema = json.loads((built.site / "data" / "archive.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(export, schema)
    assert [story["id"] for story in export["stories"]] == ["vienna", "geneva"]
    assert export["archive"]["title"] == "Talks, compared"
    assert [speaker["id"] for speaker in export["speakers"]] == ["foreign-ministry", "the-daily"]  # declared first
    vienna = json.loads((built.site / "data" / "stories" / "vienna.json").read_text(encoding="utf-8"))
    jsonschema.validate(vienna, schema)
    assert vienna["stories"] == [export["stories"][0]]
    claim = vienna["stories"][0]["claims"][0]
    assert claim["speaker_id"] == "foreign-ministry"
    lines = (built.site / "data" / "occurrences.jsonl").read_text(encoding="utf-8").splitlines()
    assert {json.loads(line)["story"] for line in lines} == {"geneva", "vienna"}


def test_a_story_moves_out_to_an_archive_of_its_own_and_back_keeping_its_addresses(built, tmp_path):
    alone = tmp_path / "alone"
    shutil.move(built.root / "stories" / "vienna", alone)
    shutil.copytree(REPO / "templates", alone / "templates")
    assert main(["build", "--source", str(alone), "--output", str(alone / "site")]) == 0
    for path in ("articles/daily-vienna.html", "claims/ministry-rejects-blame-again.html"):
        assert (alone / "site" / path).is_file()
    assert '<h1 dir="auto">Talks in Vienna</h1>' in (alone / "site" / "index.html").read_text(encoding="utf-8")
    # Without it, the other story builds on its own; and moved back, it is there again.
    assert built.build() == 0
    assert not (built.site / "stories" / "vienna.html").exists()
    shutil.rmtree(alone / "templates")
    shutil.rmtree(alone / "site")
    shutil.move(alone, built.root / "stories" / "vienna")
    assert built.build() == 0
    assert (built.site / "articles" / "daily-vienna.html").is_file()


def test_an_archive_of_one_story_moves_in_as_a_story(tmp_path):
    root = tmp_path / "archive"
    shutil.copytree(REPO / "templates", root / "templates")
    (root / "stories").mkdir()
    shutil.copytree(REPO / "articles", root / "stories" / "moscow-2023" / "articles")
    shutil.copy(REPO / "claims.yaml", root / "stories" / "moscow-2023" / "claims.yaml")
    assert main(["build", "--source", str(root), "--output", str(root / "site")]) == 0
    assert (root / "site" / "stories" / "moscow-2023.html").is_file()
    assert (root / "site" / "claims" / "israel-foreign-ministry-statement.html").is_file()


def errors_of(stories: Stories, capsys) -> list[str]:
    assert stories.build() != 0
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return [line.replace(str(stories.root) + "/", "") for line in err.splitlines() if line.startswith("error")]


def test_a_claims_file_kept_from_the_last_build_is_read_again_where_another_story_took_its_id(built, capsys):
    """Vienna's claims file is unchanged since the last build, but Geneva's, read first, now
    takes one of its ids: the error is the one a build without the cache gives."""
    geneva = built.root / "stories" / "geneva" / "claims.yaml"
    geneva.write_text(GENEVA_CLAIMS.replace("id: talks-ended-friday", "id: ministry-rejects-blame-again"))
    expected = [
        "error: stories/vienna/claims.yaml:4: claim id 'ministry-rejects-blame-again' is used twice "
        "(first on stories/geneva/claims.yaml:11)"
    ]
    assert errors_of(built, capsys) == expected
    assert main(["check", "--source", str(built.root), "--no-cache"]) != 0
    assert [line.replace(str(built.root) + "/", "") for line in capsys.readouterr().err.splitlines()] == expected


def test_an_article_id_used_in_two_stories_is_an_error_naming_both(stories, capsys):
    stories.article("vienna", "daily-geneva", "The Daily", "Same name", "2024-09-12", "Another text.")
    assert errors_of(stories, capsys) == [
        "error: stories/vienna/articles/daily-geneva.md: article id 'daily-geneva' is taken by "
        "stories/geneva/articles/daily-geneva.md: rename one of them"
    ]


def test_a_claim_id_used_in_two_stories_is_an_error_with_both_places(stories, capsys):
    (stories.root / "stories" / "vienna" / "claims.yaml").write_text(
        VIENNA_CLAIMS.replace("ministry-rejects-blame-again", "ministry-rejects-blame")
    )
    assert errors_of(stories, capsys) == [
        "error: stories/vienna/claims.yaml:4: claim id 'ministry-rejects-blame' is used twice "
        "(first on stories/geneva/claims.yaml:5)"
    ]


def test_a_story_folder_must_be_named_as_an_address(stories, capsys):
    shutil.move(stories.root / "stories" / "vienna", stories.root / "stories" / "Vienna Talks")
    (error,) = errors_of(stories, capsys)
    assert error.startswith("error: stories/Vienna Talks: a story's folder is its address")
    assert "e.g. vienna-talks" in error


def test_articles_beside_stories_are_an_error(stories, capsys):
    (stories.root / "articles").mkdir()
    (error,) = errors_of(stories, capsys)
    assert error.startswith("error: articles: an archive with stories/ keeps its stories there")


@pytest.mark.parametrize(
    ("speakers", "expected"),
    [
        ("speakers:\n  - id: x\n", "error: speakers.yaml:2: speaker has no 'name'"),
        (
            "speakers:\n  - id: x\n    name: X\n    roles:\n      - role: envoy\n        from: 2024-05-01\n        until: 2024-01-01\n",
            "error: speakers.yaml:5: a role held until 2024-01-01, before it began (2024-05-01)",
        ),
        (
            "speakers:\n  - id: x\n    name: X\n  - id: y\n    name: X\n",
            "error: speakers.yaml:4: 'X' names two speakers (first on line 2)",
        ),
        (
            "speakers:\n  - id: x\n    name: X\n    title: Dr\n",
            "error: speakers.yaml:4: unknown field 'title' in speaker (fields: id, name, names, roles)",
        ),
    ],
)
def test_mistakes_in_speakers_yaml_are_one_line_each(stories, capsys, speakers, expected):
    (stories.root / "speakers.yaml").write_text(speakers)
    assert errors_of(stories, capsys) == [expected]


def test_archive_yaml_sets_the_address_and_its_mistakes_are_errors(stories, capsys):
    (stories.root / "archive.yaml").write_text("title: Talks\nurl: https://talks.test/archive\n")
    assert stories.build() == 0
    assert '<link rel="canonical" href="https://talks.test/archive/stories/vienna.html">' in stories.page(
        "stories/vienna.html"
    )
    (stories.root / "archive.yaml").write_text("title: Talks\nadress: https://talks.test/\n")
    (error,) = errors_of(stories, capsys)
    assert error.startswith("error: archive.yaml:2: unknown field 'adress'")


def test_add_puts_an_article_in_the_story_named(stories, tmp_path, capsys):
    capture = tmp_path / "capture.txt"
    capture.write_text(f"“{MINISTRY},” the ministry said in Vienna.\n", encoding="utf-8")
    common = ["add", str(capture), "--source", str(stories.root), "--outlet", "The Post", "--published", "2024-09-12"]
    assert main(common) != 0
    assert "this archive has many stories: name one with --story (geneva, vienna)" in capsys.readouterr().err
    assert main([*common, "--story", "vienna"]) == 0
    assert "claim ministry-rejects-blame-again" in capsys.readouterr().out
    assert list((stories.root / "stories" / "vienna" / "articles").glob("the-post-*.md"))


def test_a_one_story_archive_keeps_its_addresses_and_has_outlet_and_speaker_pages(site):
    for path in ("index.html", "articles.html", "claims/index.html", "claims/israel-foreign-ministry-statement.html"):
        assert (site / path).is_file()
    assert not (site / "stories").exists()
    outlets = (site / "outlets" / "index.html").read_text(encoding="utf-8")
    assert 'href="../outlets/mixed-times.html"' in outlets
    speaker = (site / "speakers" / "israeli-ministry-of-foreign-affairs.html").read_text(encoding="utf-8")
    assert "claims/israel-foreign-ministry-statement.html" in speaker


def test_outlet_names_in_any_script_make_ascii_addresses():
    from parallax.across import outlet_slug

    assert outlet_slug("The Daily Telegraph") == "the-daily-telegraph"
    assert outlet_slug("РИА Новости") == "ria-novosti"
    assert outlet_slug("Le Monde: « Paix »") == "le-monde-paix"
    assert outlet_slug("Index") == "outlet-index"  # not the list's own address


def test_two_builds_of_many_stories_give_the_same_bytes(built, tmp_path):
    again = tmp_path / "again"
    assert main(["build", "--source", str(built.root), "--output", str(again), "--no-cache", "--jobs", "1"]) == 0
    first = {
        p.relative_to(built.site): p.read_bytes()
        for p in built.site.rglob("*")
        if p.is_file() and ".parallax-cache" not in p.parts
    }
    second = {
        p.relative_to(again): p.read_bytes()
        for p in again.rglob("*")
        if p.is_file() and ".parallax-cache" not in p.parts
    }
    assert first.keys() == second.keys()
    assert [path for path in first if first[path] != second[path]] == []


def test_settings_default_from_the_one_story(tmp_path):
    root = tmp_path / "archive"
    shutil.copytree(REPO / "articles", root / "articles")
    (root / "claims.yaml").write_text(
        textwrap.dedent(
            """\
            story:
              title: One story
              url: https://one.test/
            claims: []
            """
        )
    )
    shutil.copytree(REPO / "templates", root / "templates")
    assert main(["build", "--source", str(root), "--output", str(root / "site")]) == 0
    export = json.loads((root / "site" / "data" / "archive.json").read_text(encoding="utf-8"))
    assert export["archive"] == {"title": "One story", "description": None, "url": "https://one.test/", "licence": None}


def test_a_rebuild_keeps_unchanged_stories_pages_and_gives_what_a_clean_build_gives(built, tmp_path, capsys):
    """After each change, the site built on the last one is the site built afresh, file for file;
    and a change to one story leaves the other story's pages as they were."""
    root = built.root
    changes = [
        (
            "an article added to one story",
            lambda: built.article(
                "vienna",
                "post-vienna",
                "The Post",
                "Vienna again",
                "2024-09-12",
                "The delegations flew home on Friday after the talks ended.",
            ),
        ),
        (
            "a claim edited",
            lambda: (root / "stories" / "vienna" / "claims.yaml").write_text(
                VIENNA_CLAIMS.replace("channel: briefing", "channel: press briefing")
            ),
        ),
        (
            "a claim's words changed, so that it recurs no more",
            lambda: (root / "stories" / "vienna" / "claims.yaml").write_text(
                VIENNA_CLAIMS.replace("in Geneva.", "in Vienna, again.")
            ),
        ),
        (
            "a speaker's role changed",
            lambda: (root / "speakers.yaml").write_text(SPEAKERS.replace("voice abroad", "voice in the world")),
        ),
        (
            "a template changed",
            lambda: (root / "templates" / "_crumbs.html").write_text(
                (root / "templates" / "_crumbs.html").read_text() + "\n"
            ),
        ),
        (
            "the claim's words changed back, so that it recurs again",
            lambda: (root / "stories" / "vienna" / "claims.yaml").write_text(VIENNA_CLAIMS),
        ),
        (
            # Geneva's claim page names the story where its words recur, by its title.
            "the title of the story where a claim recurs changed",
            lambda: (root / "stories" / "vienna" / "claims.yaml").write_text(
                VIENNA_CLAIMS.replace("Talks in Vienna", "Vienna talks")
            ),
        ),
        ("an article removed", lambda: (root / "stories" / "vienna" / "articles" / "post-vienna.md").unlink()),
        ("the archive's title changed", lambda: (root / "archive.yaml").write_text("title: Talks\n")),
    ]
    for change, make in changes:
        geneva_before = (built.site / "articles" / "daily-geneva.html").stat().st_mtime_ns
        make()
        assert built.build() == 0, change
        clean = tmp_path / f"clean-{len(change)}"
        assert main(["build", "--source", str(root), "--output", str(clean), "--no-cache"]) == 0
        assert site_differences(built.site, clean) == [], change
        geneva_kept = (built.site / "articles" / "daily-geneva.html").stat().st_mtime_ns == geneva_before
        assert geneva_kept == (change not in ("a template changed", "the archive's title changed")), change
    capsys.readouterr()


def test_a_rebuild_makes_again_only_the_pages_and_data_of_the_story_that_changed(built, monkeypatch):
    made: list[str] = []
    overview = StoryPages.overview
    monkeypatch.setattr(StoryPages, "overview", lambda self, path: made.append(path) or overview(self, path))
    exported: list[str] = []
    story_entry = export.story_entry
    monkeypatch.setattr(
        export,
        "story_entry",
        lambda archive, c, paragraphs: exported.append(c.story.id) or story_entry(archive, c, paragraphs),
    )
    listed: list[str] = []
    occurrence_lines = export.occurrence_lines
    monkeypatch.setattr(
        export,
        "occurrence_lines",
        lambda c, paragraphs: listed.append(c.story.id) or occurrence_lines(c, paragraphs),
    )
    read_whole: list[str] = []  # the kept stories read whole, past their overview
    whole_comparison = cache_module.whole_comparison
    monkeypatch.setattr(
        cache_module,
        "whole_comparison",
        lambda path, key: read_whole.append(path.stem) or whole_comparison(path, key),
    )
    geneva_lines = [line for line in built.page("data/occurrences.jsonl").splitlines() if '"story":"geneva"' in line]
    built.article("vienna", "post-vienna", "The Post", "Vienna again", "2024-09-12", "Talks ended.")
    assert built.build() == 0
    assert made == ["stories/vienna.html"] and exported == ["vienna"] and listed == ["vienna"]
    # Not even for the foreign ministry's page, made again, which shows how the outlets of both
    # stories worded its statements, with links to them.
    assert read_whole == []
    assert (
        geneva_lines
        and [  # the kept story's lines, taken from the last build's file
            line for line in built.page("data/occurrences.jsonl").splitlines() if '"story":"geneva"' in line
        ]
        == geneva_lines
    )
    made.clear()
    exported.clear()
    listed.clear()
    read_whole.clear()
    assert built.build() == 0
    assert made == [] and exported == [] and listed == [] and read_whole == []


def test_an_archive_named_another_way_is_neither_read_nor_matched_nor_rendered_again(built, monkeypatch):
    # Built by its full path; then from the folder above, as `archive`: the same files.
    parsed: list[str] = []
    load_article = articles_module.load_article
    monkeypatch.setattr(
        articles_module, "load_article", lambda path, *more: parsed.append(path.stem) or load_article(path, *more)
    )
    matched: list[str] = []
    compared = pipeline.compared
    monkeypatch.setattr(pipeline, "compared", lambda story, *more: matched.append(story.id) or compared(story, *more))
    made: list[str] = []
    overview = StoryPages.overview
    monkeypatch.setattr(StoryPages, "overview", lambda self, path: made.append(path) or overview(self, path))
    monkeypatch.chdir(built.root.parent)
    assert main(["build", "--source", built.root.name]) == 0
    assert (parsed, matched, made) == ([], [], [])
    built.article("vienna", "post-vienna", "The Post", "Vienna again", "2024-09-12", "Talks ended.")
    assert main(["build", "--source", built.root.name]) == 0
    assert (parsed, matched, made) == (["post-vienna"], ["vienna"], ["stories/vienna.html"])


def test_a_story_changed_where_matching_or_comparing_does_not_read_is_not_done_again(built, monkeypatch, tmp_path):
    """A title corrected and an outlet renamed leave a story's statements and reused copy as
    they were: they are taken from its last comparison; a title, which comparing does not read
    either, leaves the whole comparison as it was. A word of a text changed is matched again.
    Either way the site is a clean build's."""
    matched: list[str] = []
    aligned = pipeline.aligned_articles  # in this process, whatever the jobs
    monkeypatch.setattr(
        pipeline, "aligned_articles", lambda story, *more: matched.append(story.id) or aligned(story, *more)
    )
    compared: list[str] = []
    compare = pipeline.compare
    monkeypatch.setattr(pipeline, "compare", lambda story, *more: compared.append(story.id) or compare(story, *more))
    clean = tmp_path / "clean"

    def done_in_rebuild() -> tuple[list[str], list[str]]:
        """The stories matched and compared again by a rebuild, whose site is, as it must be, a clean build's."""
        matched.clear()
        compared.clear()
        assert built.build() == 0
        again = list(matched), list(compared)
        assert main(["build", "--source", str(built.root), "--output", str(clean), "--no-cache", "--jobs", "1"]) == 0
        assert site_differences(built.site, clean) == []
        return again

    body = f"“{MINISTRY},” the ministry said once more.\n\nThe delegations flew home on Friday after the talks ended."
    built.article("vienna", "courier-vienna", "The Courier", "Vienna round ends, corrected", "2024-09-11", body)
    assert done_in_rebuild() == ([], [])
    assert "Vienna round ends, corrected" in built.page("articles/courier-vienna.html")
    built.article("vienna", "courier-vienna", "The Vienna Courier", "Vienna round ends, corrected", "2024-09-11", body)
    assert done_in_rebuild() == ([], ["vienna"])
    assert "The Vienna Courier" in built.page("stories/vienna.html")
    built.article(
        "vienna",
        "courier-vienna",
        "The Vienna Courier",
        "Vienna round ends",
        "2024-09-11",
        body.replace("Friday", "Saturday"),
    )
    assert done_in_rebuild() == (["vienna"], ["vienna"])


def test_serve_takes_unchanged_comparisons_and_articles_from_its_last_build_not_from_the_cache(
    built, monkeypatch, tmp_path
):
    server = Server(built.root, built.site, built.root / "templates", Cache.of_site(built.site), port=0)
    try:
        server.rebuild()  # each comparison and article read from the cache the command line's build left
        unpickled: list[str] = []
        real_unpickled = pipeline.unpickled
        monkeypatch.setattr(
            pipeline, "unpickled", lambda data, story: unpickled.append(story.id) or real_unpickled(data, story)
        )
        matched: list[str] = []
        compared = pipeline.compared
        monkeypatch.setattr(
            pipeline, "compared", lambda story, *more: matched.append(story.id) or compared(story, *more)
        )
        articles: list[bool] = []  # for each article read from the cache: whether it was carried over
        kept_here = articles_module.kept_here
        monkeypatch.setattr(
            articles_module,
            "kept_here",
            lambda kept, path, last=None: articles.append(last is not None) or kept_here(kept, path, last),
        )
        built.article("vienna", "post-vienna", "The Post", "Vienna again", "2024-09-12", "Talks ended.")
        server.rebuild()
        assert (server.error, unpickled, matched) == (None, [], ["vienna"])
        assert articles and all(articles)
        unchanged = len(articles)
        server.rebuild()
        assert (server.error, unpickled, matched) == (None, [], ["vienna"])
        assert len(articles) == 2 * unchanged + 1 and all(articles)  # the one added too
    finally:
        server.httpd.server_close()
    clean = tmp_path / "clean"
    assert main(["build", "--source", str(built.root), "--output", str(clean), "--no-cache", "--jobs", "1"]) == 0
    assert site_differences(built.site, clean) == []


def test_a_kept_storys_data_is_made_afresh_where_the_last_builds_files_do_not_hold_it_as_recorded(built, tmp_path):
    """A kept story's entry and lines are copied from the last build's data files, at the places
    its record gives; where those files are not as recorded, they are made again."""
    (built.site / "data" / "occurrences.jsonl").write_bytes(b'{"story":"vienna"}\n')
    archive = json.loads(built.page("data/archive.json"))
    (built.site / "data" / "archive.json").write_text(json.dumps(archive, indent=1))  # the same, spaced out
    built.article("vienna", "post-vienna", "The Post", "Vienna again", "2024-09-12", "Talks ended.")
    assert built.build() == 0
    clean = tmp_path / "clean"
    assert main(["build", "--source", str(built.root), "--output", str(clean), "--no-cache"]) == 0
    assert site_differences(built.site, clean) == []


def test_a_rebuild_rewrites_only_the_changed_storys_cache_and_only_with_what_it_used(built, tmp_path):
    """Each story's matching results are kept in a file of its own: a rebuild links the unchanged
    story's from the last build, and writes the changed one's with exactly the results a clean
    build keeps, so that those of texts since edited do not pile up."""
    kept = built.site / ".parallax-cache" / "stories"
    geneva = (kept / "geneva.sqlite").stat().st_ino
    article = built.root / "stories" / "vienna" / "articles" / "courier-vienna.md"
    article.write_text(article.read_text().replace("flew home on Friday", "went home on Saturday"))
    assert built.build() == 0
    assert (kept / "geneva.sqlite").stat().st_ino == geneva
    clean = tmp_path / "clean"
    assert main(["build", "--source", str(built.root), "--output", str(clean), "--no-cache"]) == 0
    rebuilt, afresh = (
        cache_tables(kept / "vienna.sqlite"),
        cache_tables(clean / ".parallax-cache/stories/vienna.sqlite"),
    )
    assert rebuilt == afresh and rebuilt["results"] and rebuilt["articles"]


def cache_tables(path: Path) -> dict[str, dict]:
    """A story's file of the cache: its results, and its articles (their keys and captures)."""
    with contextlib.closing(sqlite3.connect(path)) as database:
        return {
            "results": dict(database.execute("SELECT key, value FROM results")),
            "articles": dict(database.execute("SELECT key, capture FROM articles")),
        }


def test_a_rebuild_makes_again_only_the_outlet_and_speaker_pages_a_change_shows_on(built, monkeypatch):
    made: list[str] = []
    render = Pages.render
    monkeypatch.setattr(
        Pages, "render", lambda self, path, *args, **kw: made.append(path) or render(self, path, *args, **kw)
    )
    courier = built.root / "stories" / "vienna" / "articles" / "courier-vienna.md"
    courier.write_text(courier.read_text().replace("on Friday", "on Friday night"))
    assert built.build() == 0
    # The Courier's page shows the article changed; The Daily's shows the story too, but nothing of
    # it that changed (its own articles and what they carry); The Herald and the speaker The Daily
    # have nothing in the story.
    assert {"outlets/the-courier.html", "speakers/foreign-ministry.html"} <= set(made)
    assert not {"outlets/the-daily.html", "outlets/the-herald.html", "speakers/the-daily.html"} & set(made)
    made.clear()
    assert built.build() == 0
    assert not [path for path in made if path.startswith(("outlets/", "speakers/", "articles", "claims"))]


def test_an_article_page_leads_back_to_its_story(built):
    crumbs = built.page("articles/daily-vienna.html").split('<nav class="crumbs"')[1].split("</nav>")[0]
    assert '<a href="../stories/vienna.html">Talks in Vienna</a>' in crumbs
    assert "articles.html" not in crumbs  # the list of every article changes with every story


def test_mistakes_in_speakers_yaml_and_in_a_story_are_reported_together(stories, capsys):
    (stories.root / "speakers.yaml").write_text("speakers:\n  - id: x\n")
    (stories.root / "stories" / "vienna" / "claims.yaml").write_text(
        VIENNA_CLAIMS.replace("kind: quote", "kind: rumour")
    )
    errors = errors_of(stories, capsys)
    assert [error.split(":")[1].strip() for error in errors] == ["speakers.yaml", "stories/vienna/claims.yaml"]
