"""The curator's workflow: add, check, suggest, and fast, safe rebuilds (serve: see test_serve.py)."""

import contextlib
import sqlite3
from pathlib import Path

import pytest
import yaml

from parallax import cache as cache_module
from parallax import write
from parallax.cache import Cache, KeptFile, story_file
from parallax.cli import main
from parallax.match import shared_statements

from conftest import CLAIM_IN_ONE_ARTICLE, MINISTRY

CAPTURE = f"""\
Talks in Geneva end without a deal

The talks ended in Geneva on Saturday. “{MINISTRY},” the foreign ministry said
in a statement.

1. This line is *not* emphasis, nor <b>markup</b>, nor [a link](http://example.org).
"""


@pytest.fixture
def capture(tmp_path) -> Path:
    path = tmp_path / "downloads" / "tribune.txt"
    path.parent.mkdir()
    path.write_text(CAPTURE, encoding="utf-8")
    return path


def add(small, capture, *more: str) -> int:
    return main(
        [
            "add",
            str(capture),
            "--source",
            str(small.root),
            "--outlet",
            "The Tribune",
            "--title",
            "Geneva talks end without a deal",
            "--published",
            "2024-03-04",
            *more,
        ]
    )


def build(small, *more: str) -> int:
    return main(["build", "--source", str(small.root), *more])


def test_add_keeps_the_capture_writes_the_article_and_tells_what_it_shares(small, capture, capsys):
    assert add(small, capture, "--url", "https://tribune.example/geneva") == 0
    article = small.root / "articles" / "the-tribune-geneva-talks-end-without-a-deal.md"
    kept = small.root / "articles" / "captures" / "the-tribune-geneva-talks-end-without-a-deal.txt"
    assert kept.read_bytes() == capture.read_bytes()
    front = yaml.safe_load(article.read_text().split("---")[1])
    assert front["outlet"] == "The Tribune" and front["url"] == "https://tribune.example/geneva"
    assert front["capture"] == "captures/the-tribune-geneva-talks-end-without-a-deal.txt"
    loaded = small.load().article(article.stem)
    assert loaded.text.split("\n\n")[2] == (
        "1. This line is *not* emphasis, nor <b>markup</b>, nor [a link](http://example.org)."
    )
    out = capsys.readouterr().out
    assert "It shares 1 statement with the archive:" in out
    assert "(claim ministry-rejects-blame), also in The Daily, The Herald" in out


def test_add_keeps_a_time_of_publication_as_given(small, capture):
    assert add(small, capture, "--published", "2024-03-04T09:30+01:00") == 0
    article = small.root / "articles" / "the-tribune-geneva-talks-end-without-a-deal.md"
    assert "published: 2024-03-04T09:30+01:00\n" in article.read_text(encoding="utf-8")
    loaded = small.load().article(article.stem)
    assert (str(loaded.published), loaded.published_at.isoformat()) == ("2024-03-04", "2024-03-04T09:30:00+01:00")


def test_add_never_overwrites(small, capture, capsys):
    assert add(small, capture) == 0
    article = next((small.root / "articles").glob("the-tribune-*.md"))
    before = article.read_bytes()
    capture.write_text("Something else entirely.\n")
    assert add(small, capture) == 1
    assert "already exists, and is never overwritten" in capsys.readouterr().err
    assert article.read_bytes() == before


def test_add_checks_its_fields_before_writing(small, capture, capsys):
    assert add(small, capture, "--language", "klingon") == 1
    assert "'language' must be a language code" in capsys.readouterr().err
    assert not list((small.root / "articles").glob("the-tribune-*"))


def test_check_reports_warnings_and_errors_without_writing(small, capsys):
    small.claims(CLAIM_IN_ONE_ARTICLE)
    assert main(["check", "--source", str(small.root)]) == 0
    assert "claim 'talks-ended-friday' is found in 1 article" in capsys.readouterr().err
    assert main(["check", "--source", str(small.root), "--strict"]) == 1
    assert not (small.root / "site").exists()
    (small.root / "claims.yaml").write_text("story: [\n")
    assert main(["check", "--source", str(small.root)]) == 1
    assert "claims.yaml:2: invalid YAML" in capsys.readouterr().err


def test_check_warns_when_a_claim_is_found_in_fewer_articles_than_before(small, capture, capsys):
    assert add(small, capture) == 0 and build(small) == 0
    herald = small.root / "articles" / "herald-two.md"
    herald.write_text(herald.read_text().replace(MINISTRY, "We will talk again"))
    assert main(["check", "--source", str(small.root)]) == 0
    assert "claim 'ministry-rejects-blame' is found in 2 articles, 3 at the last build" in capsys.readouterr().err


def test_a_suggested_claim_pasted_into_claims_yaml_builds_its_page(small, capsys):
    small.claims("[]")
    assert main(["suggest", "--source", str(small.root)]) == 0
    suggested = capsys.readouterr().out
    (entry,) = yaml.safe_load(suggested)
    assert entry["statement"] == MINISTRY and entry["kind"] == "quote"
    # "The ministry said", "a spokesman said": no article names who said it, so no name is made up.
    assert entry["speaker"] == "unknown" and entry["channel"] == "unknown"
    small.claims(suggested)
    assert build(small) == 0
    assert (small.root / "site" / "claims" / f"{entry['id']}.html").is_file()


def test_suggest_guesses_the_speaker_from_the_attribution(small, capsys):
    small.claims("[]")
    small.article("herald-two", "The Herald", "Geneva", 2, f"“{MINISTRY},” Foreign Minister Anna Berg said.")
    assert main(["suggest", "--source", str(small.root)]) == 0
    (entry,) = yaml.safe_load(capsys.readouterr().out)
    assert entry["speaker"] == "Foreign Minister Anna Berg"


def files_of(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*") if p.is_file()}


def test_a_rebuild_writes_only_what_changed(small, capture, capsys):
    assert build(small) == 0
    first = files_of(small.root / "site")
    assert build(small) == 0
    assert ", 0 of " in capsys.readouterr().out.splitlines()[-1]
    assert files_of(small.root / "site") == first  # the very same files, not rewritten

    assert add(small, capture) == 0 and build(small) == 0
    summary = capsys.readouterr().out.splitlines()[-1]
    written, total = (int(n) for n in summary.split(", ")[-1].split(" files")[0].split(" of "))
    assert 0 < written < total
    after = files_of(small.root / "site")
    assert after["articles/the-tribune-geneva-talks-end-without-a-deal.html"]
    assert after["style.css"] == first["style.css"]
    # Nothing is left beside the site: no staging folder, no copy of the site it replaced.
    assert sorted(p.name for p in small.root.iterdir()) == ["articles", "claims.yaml", "site", "templates"]


def test_the_published_site_can_be_read_by_the_web_server(small):
    """A web server runs as another user: the site must be readable, and its folders open, to all."""
    assert build(small) == 0
    assert build(small) == 0  # the site that replaced the first one too
    site = small.root / "site"
    for path in [site, *site.rglob("*")]:
        if path.name != ".parallax-cache" and ".parallax-cache" not in path.parts:
            needed = 0o005 if path.is_dir() else 0o004
            assert path.stat().st_mode & needed == needed, path


def test_matching_results_are_kept_with_the_site_between_builds(small):
    assert build(small) == 0
    story = small.load()
    assert (small.root / "site" / story_file(story.id)).is_file()
    again = Cache.of_site(small.root / "site")
    again.recall([story.id], [story.id])  # as a rebuild does for a story that changed
    assert shared_statements(story, again) == shared_statements(small.load())
    assert again.misses == 0 and again.hits > 0


def test_a_story_renamed_takes_its_results_from_the_file_kept_under_its_former_name(small):
    """An archive of one story is named by its title: retitled, it is a story the cache has no
    file for, and takes its results from those of stories no longer there."""
    assert build(small) == 0
    path = small.root / "claims.yaml"
    path.write_text(path.read_text().replace("title: Talks in Geneva", "title: Geneva talks"))
    story = small.load()
    again = Cache.of_site(small.root / "site")
    assert story.id not in again.files
    again.recall([story.id], [story.id])
    assert shared_statements(story, again) == shared_statements(small.load())
    assert again.misses == 0 and again.hits > 0


def test_a_storys_file_kept_before_comparisons_had_overviews_still_gives_its_results(small):
    """A site built by the version before lacks each comparison's overview (compare.LazyComparison):
    a story's comparison is made again, as after any upgrade of that code, from its file's results."""
    assert build(small) == 0
    story = small.load()
    kept = small.root / "site" / story_file(story.id)
    with contextlib.closing(sqlite3.connect(kept)) as database:
        database.execute("ALTER TABLE stories DROP COLUMN overview")
        database.commit()
    again = Cache.of_site(small.root / "site")
    again.recall([story.id], [story.id])
    assert shared_statements(story, again) == shared_statements(small.load())
    assert again.misses == 0 and again.hits > 0


def test_a_cache_file_damaged_after_it_was_opened_is_passed_over(small):
    """The comparison and results of a story's file are read when needed: if the file has been
    damaged since the cache opened it, the story is matched afresh, without an error."""
    assert build(small) == 0
    story = small.load()
    cache = Cache.of_site(small.root / "site")
    kept = small.root / "site" / story_file(story.id)
    kept.write_bytes(kept.read_bytes()[:100])
    assert cache.kept_story(story.id, cache.story_key(story)) is None and story.id not in cache.files
    cache.files[story.id] = KeptFile(kept, "", "", "")  # as opened before the damage
    cache.recall([story.id], [story.id])
    assert shared_statements(story, cache) == shared_statements(small.load()) and cache.hits == 0


@pytest.mark.parametrize("library", ["rapidfuzz", "sentencex"])
def test_results_kept_from_another_version_of_a_matching_library_are_not_reused(small, library, monkeypatch):
    assert build(small) == 0
    installed = cache_module.metadata.version
    monkeypatch.setattr(cache_module.metadata, "version", lambda name: "99.0" if name == library else installed(name))
    upgraded, empty = Cache.of_site(small.root / "site"), Cache()
    upgraded.recall([small.load().id], [])
    assert shared_statements(small.load(), upgraded) == shared_statements(small.load(), empty)
    assert (upgraded.hits, upgraded.misses) == (empty.hits, empty.misses)  # nothing kept was used


def test_an_interrupted_build_leaves_the_previous_site(small, monkeypatch, capsys):
    assert build(small) == 0
    before = {p: p.read_bytes() for p in (small.root / "site").rglob("*") if p.is_file()}
    (small.root / "articles" / "herald-two.md").write_text(
        (small.root / "articles" / "herald-two.md").read_text().replace("Negotiators", "Diplomats")
    )
    calls = []

    def interrupted(staging, path, content):
        calls.append(path)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return False

    monkeypatch.setattr(write.Staging, "holds", interrupted)
    assert build(small) == 1
    assert "interrupted: nothing was changed" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in (small.root / "site").rglob("*") if p.is_file()} == before
    assert [p.name for p in small.root.iterdir() if p.name.startswith(".site")] == []


@pytest.mark.parametrize("command", ["build", "check", "add", "suggest", "serve", "evaluate"])
def test_every_command_documents_itself(command, capsys):
    with pytest.raises(SystemExit) as exit:
        main([command, "--help"])
    assert exit.value.code == 0
    assert "--source DIR" in capsys.readouterr().out


def test_check_warns_when_a_claim_found_in_one_article_is_found_in_none(small, capsys):
    small.claims(CLAIM_IN_ONE_ARTICLE)
    assert build(small) == 0
    daily = small.root / "articles" / "daily-one.md"
    daily.write_text(daily.read_text().replace("The talks ended on Friday.", "Nobody said when the talks ended."))
    assert main(["check", "--source", str(small.root)]) == 0
    warnings = capsys.readouterr().err
    assert "claim 'talks-ended-friday' is found in 0 articles, not two or more: check its wording" in warnings


def test_a_rebuild_after_an_edit_is_a_clean_build(small, capture, tmp_path):
    """What the cache keeps (articles read, words, sources, alignments, units, scores) is used
    only where it still holds: the site rebuilt is the one built afresh."""
    assert build(small) == 0
    herald = small.root / "articles" / "herald-two.md"
    herald.write_text(herald.read_text().replace("Negotiators left the city.", "Negotiators left Geneva."))
    assert add(small, capture) == 0 and build(small) == 0
    assert build(small, "--output", str(tmp_path / "clean"), "--no-cache") == 0
    rebuilt, clean = small.root / "site", tmp_path / "clean"
    assert contents_of(rebuilt) == contents_of(clean)


def contents_of(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in site.rglob("*")
        if p.is_file() and ".parallax-cache" not in p.parts
    }
