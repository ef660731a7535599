"""Search: the index Pagefind makes of the built site, and the search page that reads it, in
chromium over HTTP and from disk."""

import json
import os
import re
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pagefind_bin
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from test_stories import Stories

from parallax import pipeline, search
from parallax.cache import Cache
from parallax.cli import main
from parallax.render import PAGES_FILE, PageRecord
from parallax.render import lists as lists_module
from parallax.search import BUCKETS_FILE, INDEX_FOLDER, INDEXER_FILE, unpacked
from parallax.serve import content_type, with_reload

from conftest import ADDRESS, MINISTRY, REPO, serving_folder
from test_browser import Visit, all_pages, nu_errors, serious_violations

ARTICLE = "articles/jpost-russia-rejects-terror-accusation.html"


def index_files(site: Path) -> dict[str, bytes]:
    index = site / INDEX_FOLDER
    return {path.relative_to(index).as_posix(): path.read_bytes() for path in index.rglob("*") if path.is_file()}


def policy(page: str) -> str:
    return re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)


def test_the_site_has_a_search_page_and_an_index_of_its_articles_and_claims(site, archive):
    assert (site / "search.html").is_file() and (site / "search.js").is_file()
    # An archive this small has one bucket a section.
    sections = ["articles-0", "claims-0", "outlets-0", "speakers-0"]
    assert json.loads((site / BUCKETS_FILE).read_text(encoding="utf-8")) == {"buckets": sections}
    # Only the pages marked for it (articles, claims, outlets, speakers): no list, no overview,
    # no 404 page, no former address.
    outlets = {article.outlet for article in archive.articles}
    speakers = {claim.speaker for claim in archive.claims}
    counts = [len(archive.articles), len(archive.claims), len(outlets), len(speakers)]
    for bucket, count in zip(sections, counts, strict=True):
        entry = json.loads((site / INDEX_FOLDER / bucket / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert [about["page_count"] for about in entry["languages"].values()] == [count], bucket
        assert {f"{bucket}/pagefind.js", f"{bucket}/pagefind-worker.js"} <= set(index_files(site))
    # Pagefind's ready-made interfaces are left out: the page has its own.
    assert not any("/pagefind-ui" in name for name in index_files(site))


def test_only_the_search_page_runs_a_script_and_every_page_links_to_it(site):
    for path in all_pages(site):
        page = (site / path).read_text(encoding="utf-8")
        assert re.search(r'<a href="[./]*search\.html"( aria-current="page")?>Search</a>', page), path
        if path == "search.html":
            assert "script-src 'self' 'wasm-unsafe-eval'; connect-src 'self';" in policy(page)
        else:
            assert "script-src" not in policy(page) and "<script src" not in page, path


def test_the_search_page_is_left_out_of_the_sitemap(published_site):
    sitemap = (published_site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{ADDRESS}claims/index.html</loc>" in sitemap and "search.html" not in sitemap


def test_two_builds_give_the_same_index_and_a_third_writes_none_of_it(site, tmp_path, capsys):
    again = tmp_path / "site"
    assert main(["build", "--source", str(REPO), "--output", str(again), "--jobs", "1", "--no-cache"]) == 0
    assert index_files(again) == index_files(site)
    assert (again / "search.html").read_bytes() == (site / "search.html").read_bytes()
    inodes = {path: path.stat().st_ino for path in (again / INDEX_FOLDER).rglob("*") if path.is_file()}
    capsys.readouterr()
    assert main(["build", "--source", str(REPO), "--output", str(again)]) == 0
    assert " 0 of " in capsys.readouterr().out
    # Unchanged files are the old ones, kept where they were.
    assert {path: path.stat().st_ino for path in (again / INDEX_FOLDER).rglob("*") if path.is_file()} == inodes


def test_filters_are_listed_in_order_whatever_order_pagefind_found_them_in(site):
    index = site / INDEX_FOLDER / "articles-0"
    meta = next(index.glob("*.pf_meta"))
    filters = unpacked(meta)[3]
    assert [name for name, _ in filters] == ["kind", "language", "outlet", "story"]
    for name, hashed in filters:
        listed, values = unpacked(index / "filter" / f"{hashed}.pf_filter")
        assert listed == name and [value for value, _ in values] == sorted(value for value, _ in values)


def test_pagefind_given_pages_cut_of_what_it_skips_makes_the_index_the_whole_pages_give(site, tmp_path):
    pages = search.indexed_pages([path.relative_to(site).as_posix() for path in site.rglob("*.html")])
    marked = {page: (site / page).read_bytes() for page in pages if search.MARKED.search((site / page).read_bytes())}
    assert {page.partition("/")[0] for page in marked} == set(search.INDEXED_FOLDERS)  # every kind of page
    made = {}
    for name, read in (("whole", lambda page: page), ("cut", search.searched_part)):
        for page, content in marked.items():
            (tmp_path / name / "pages" / page).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name / "pages" / page).write_bytes(read(content))
        search.run_indexer(pagefind_bin.get_executable(), tmp_path / name / "pages", tmp_path / name / "index", site)
        search.sort_filters(tmp_path / name / "index")
        index = tmp_path / name / "index"
        made[name] = {
            path.relative_to(index).as_posix(): path.read_bytes() for path in index.rglob("*") if path.is_file()
        }
    assert made["cut"] == made["whole"]
    articles = [content for page, content in marked.items() if page.startswith("articles/")]
    assert sum(len(search.searched_part(content)) for content in articles) < 0.5 * sum(map(len, articles))


def test_only_ignored_elements_that_hold_nothing_else_of_pagefinds_are_cut():
    page = (
        b'<main data-pagefind-body><p>Kept</p><div class="notes" data-pagefind-ignore><div>inner</div>'
        b"<ul><li>note</li></ul></div><p>Also kept</p>"
        b'<div hidden data-pagefind-ignore><span data-pagefind-filter="kind">article</span></div>'
        b'<h2 id="how" data-pagefind-ignore>Heading</h2><p data-pagefind-ignore>a paragraph, whose end tag may be left out</p>'
        b'<div data-pagefind-ignore="all">all</div><details data-pagefind-ignore><summary>never closed'
    )
    assert search.searched_part(page) == (
        b"<main data-pagefind-body><p>Kept</p><p>Also kept</p>"
        b'<div hidden data-pagefind-ignore><span data-pagefind-filter="kind">article</span></div>'
        b"<p data-pagefind-ignore>a paragraph, whose end tag may be left out</p>"
        b'<div data-pagefind-ignore="all">all</div><details data-pagefind-ignore><summary>never closed'
    )


def test_pagefind_works_in_memory_where_there_is_room_else_beside_the_site_and_makes_the_same_index(
    small, monkeypatch, tmp_path
):
    memory = tmp_path / "memory"
    memory.mkdir()
    monkeypatch.setattr(search, "MEMORY_FOLDER", memory)
    folders: list[Path] = []
    run_indexer = search.run_indexer

    def noted(pagefind, pages, index, output, stop=None):
        folders.append(pages.parent)
        run_indexer(pagefind, pages, index, output, stop)

    monkeypatch.setattr(search, "run_indexer", noted)
    build(small.root, tmp_path / "in-memory")
    assert folders and all(folder.parent == memory for folder in folders)
    assert not any(memory.iterdir())  # each run's folder is gone once read
    folders.clear()
    monkeypatch.setattr(search, "MEMORY_ROOM", 2**62)  # more than any folder has
    build(small.root, tmp_path / "on-disk")
    assert folders and all(folder.parent == tmp_path for folder in folders)
    assert index_files(tmp_path / "on-disk") == index_files(tmp_path / "in-memory")


def failing_pagefind(folder: Path) -> Callable[[], Path]:
    """A Pagefind that stops with status 1 whatever it is asked, saying nothing."""
    script = folder / "pagefind"
    script.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    script.chmod(0o755)
    return lambda: script


def no_pagefind(folder: Path) -> Callable[[], Path]:
    def not_installed() -> Path:
        raise FileNotFoundError("no pagefind binary")

    return not_installed


@pytest.mark.parametrize(
    "broken, message",
    [
        (failing_pagefind, "Pagefind could not index the site: it stopped with status 1"),
        (no_pagefind, "Pagefind is not installed: pip install 'pagefind[bin]'"),
    ],
)
def test_a_failed_index_is_one_line_and_leaves_the_previous_site(small, monkeypatch, capsys, tmp_path, broken, message):
    output = small.root / "site"
    assert main(["build", "--source", str(small.root), "--output", str(output)]) == 0
    before = {path: path.read_bytes() for path in output.rglob("*") if path.is_file()}
    monkeypatch.setattr(pagefind_bin, "get_executable", broken(tmp_path))
    capsys.readouterr()
    assert main(["build", "--source", str(small.root), "--output", str(output)]) == 1
    assert capsys.readouterr().err == f"error: {output}: {message}\n"
    assert {path: path.read_bytes() for path in output.rglob("*") if path.is_file()} == before
    assert not list(small.root.glob(".site-*"))


def results(page):
    return page.locator("#search-results > li")


def test_words_of_one_article_find_its_page(browser, server):
    visit = Visit(browser, server + "search.html")
    page = visit.page
    page.locator("#search-words").fill("229 captives")
    expect(results(page)).to_have_count(1)
    expect(page.locator("#search-status")).to_have_text("1 page found.")
    link = results(page).locator("h2 a")
    expect(link).to_have_text("Russia: Unacceptable to accuse us of supporting terror after Hamas visit")
    assert {"229", "captives"} <= {mark.lower() for mark in results(page).locator("mark").all_inner_texts()}
    link.click()
    expect(page).to_have_url(server + ARTICLE)
    assert visit.problems == []
    assert all(request.startswith(server) for request in visit.requests), visit.requests
    visit.close()


def test_a_speaker_and_an_outlet_are_found_by_name_and_kind(browser, server):
    visit = Visit(browser, server + "search.html")
    page = visit.page
    page.locator("#search-words").fill("Peskov")
    page.locator("#search-kind").select_option("speaker")
    expect(results(page)).to_have_count(1)
    expect(results(page).locator("h2 a")).to_have_text("Dmitry Peskov")
    page.locator("#search-words").fill("Mixed Times")
    page.locator("#search-kind").select_option("outlet")
    expect(results(page)).to_have_count(1)
    results(page).locator("h2 a").click()
    expect(page).to_have_url(server + "outlets/mixed-times.html")
    assert visit.problems == []
    visit.close()


def test_filtering_by_outlet_narrows_the_results_and_the_address_keeps_them(browser, server):
    visit = Visit(browser, server + "search.html")
    page = visit.page
    status = page.locator("#search-status")
    page.locator("#search-words").fill("Moscow")
    expect(status).to_have_text(re.compile(r"^\d+ pages found\.$"))
    everywhere = int(status.inner_text().split()[0])
    page.locator("#search-outlet").select_option("Mixed Times")
    expect(status).not_to_have_text(f"{everywhere} pages found.")
    narrowed = int(status.inner_text().split()[0])
    assert 0 < narrowed < everywhere
    expect(results(page)).to_have_count(narrowed)
    for about in results(page).locator("p.muted").all_inner_texts():
        assert "Mixed Times" in about
    expect(page).to_have_url(server + "search.html?q=Moscow&outlet=Mixed+Times")
    # The story and language filters hold what the pages say: one story, in English.
    page.locator("#search-story").select_option("A Hamas delegation in Moscow, 26 October 2023")
    page.locator("#search-language").select_option("English")
    expect(page).to_have_url(re.compile(r"&story=A\+Hamas.*&language=English$"))
    expect(status).to_have_text(f"{narrowed} {'page' if narrowed == 1 else 'pages'} found.")
    # The same address, opened again, runs the same search.
    visit.page.reload()
    expect(page.locator("#search-words")).to_have_value("Moscow")
    expect(page.locator("#search-outlet")).to_have_value("Mixed Times")
    expect(results(page)).to_have_count(narrowed)
    assert visit.problems == []
    visit.close()


def test_a_claim_is_found_by_the_words_of_its_statement(browser, server):
    visit = Visit(browser, server + "search.html")
    page = visit.page
    page.locator("#search-kind").select_option("claim")
    page.locator("#search-words").fill("continue our dialogue with Israel")
    expect(results(page).first.locator("h2 a")).to_have_attribute(
        "href", re.compile(r"/claims/peskov-contacts-with-all-parties\.html$")
    )
    for about in results(page).locator("p.muted").all_inner_texts():
        assert about.startswith("Claim · carried by ")
    assert visit.problems == []
    visit.close()


def test_from_disk_the_search_page_says_it_needs_http_and_the_others_work(browser, site):
    visit = Visit(browser, (site / "search.html").as_uri())
    notice = visit.page.locator("#search-from-file")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Search works when the site is served over HTTP: run python build.py serve")
    expect(visit.page.locator("#search-form")).to_be_hidden()
    assert visit.problems == []
    assert not any(INDEX_FOLDER in request for request in visit.requests)  # it does not even try
    visit.close()
    for path in ("index.html", "articles.html", ARTICLE, "claims/peskov-contacts-with-all-parties.html"):
        visit = Visit(browser, (site / path).as_uri())
        expect(visit.page.locator("h1")).to_be_visible()
        assert visit.problems == [], path
        visit.close()


def test_without_javascript_the_search_page_says_search_needs_it(browser, server):
    page = browser.new_page(java_script_enabled=False)
    page.goto(server + "search.html")
    expect(page.locator("noscript p")).to_contain_text("Search needs JavaScript")
    expect(page.locator("#search-form")).to_be_hidden()
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_search_page_with_results_has_no_serious_accessibility_violation(browser, server, scheme):
    visit = Visit(browser, server + "search.html?q=Hamas", color_scheme=scheme)
    expect(results(visit.page).first).to_be_visible()
    assert serious_violations(Axe(), visit.page) == []
    visit.close()


def test_the_search_page_is_valid_html_as_written_and_with_results(browser, site, server, tmp_path):
    visit = Visit(browser, server + "search.html?q=Hamas")
    expect(results(visit.page).first).to_be_visible()
    shown = tmp_path / "search-with-results.html"
    shown.write_text(visit.page.content(), encoding="utf-8")  # with its doctype
    visit.close()
    messages = nu_errors([site / "search.html", site / "style.css", shown])
    assert messages == [], messages[:5]


def test_serve_keeps_the_search_page_policy_and_serves_its_script_as_javascript(site):
    page = with_reload((site / "search.html").read_bytes()).decode()
    assert policy(page).count("script-src") == 1 and "'wasm-unsafe-eval'" in policy(page)
    article = with_reload((site / ARTICLE).read_bytes()).decode()
    assert policy(article).count("script-src") == 1
    assert content_type(site / "search.js").startswith("text/javascript")


def test_in_an_archive_of_many_stories_search_narrows_to_a_story(browser, tmp_path):
    stories = Stories(tmp_path / "archive")
    assert stories.build() == 0
    with serving_folder(stories.root) as address:
        visit = Visit(browser, f"{address}site/search.html")
        page = visit.page
        page.locator("#search-words").fill("blame")
        expect(page.locator("#search-status")).to_have_text(re.compile(r"^\d+ pages found\.$"))
        everywhere = results(page).count()
        page.locator("#search-story").select_option("Talks in Vienna")
        expect(results(page)).not_to_have_count(everywhere)
        hrefs = results(page).locator("h2 a").evaluate_all("links => links.map(link => link.href)")
        assert hrefs, "nothing found in the story"
        vienna = ("vienna.html", "ministry-rejects-blame-again.html", "foreign-ministry.html")
        assert all(href.endswith(vienna) for href in hrefs), hrefs
        assert visit.problems == []
        visit.close()


# An index in several buckets: the small archive, with two articles each with a word no other
# page has, indexed with a bucket for about each page.


def with_two_rare_words(small) -> None:
    small.article(
        "daily-zanzibar", "The Daily", "Talks resume", 3, "The delegates met in Zanzibar, and the talks resumed."
    )
    small.article("herald-quokkas", "The Herald", "Talks resume again", 4, "A quokka watched the talks resume.")


def build(source: Path, output: Path) -> None:
    assert main(["build", "--source", str(source), "--output", str(output)]) == 0


def bucket_of(site: Path, page: str) -> str:
    (name,) = [bucket.name for bucket in site_buckets(site) if page in bucket.pages]
    return name


def site_buckets(site: Path) -> list[search.Bucket]:
    """The buckets of a built site's pages."""
    record = PageRecord.read((site / PAGES_FILE).read_bytes())
    return search.buckets(search.indexed_pages(files_of(site)), search.story_of(record))


def listed_buckets(site: Path) -> list[str]:
    return json.loads((site / BUCKETS_FILE).read_text(encoding="utf-8"))["buckets"]


def searched(browser, address: str, site: str, query: str) -> tuple[str, list[str], list[str]]:
    """The status, the pages found (all of them, by their path in the site) and the filters'
    options, for this query of the search page of the site served at address/site/."""
    visit = Visit(browser, f"{address}{site}/search.html?{query}")
    page = visit.page
    status = page.locator("#search-status")
    expect(status).to_have_text(re.compile(r"found\.$|matches\.$"))
    while page.locator("#search-more").is_visible():
        page.locator("#search-more").click()
    found = status.inner_text().split()[0]
    expect(results(page)).to_have_count(int(found) if found.isdigit() else 0)
    hrefs = results(page).locator("h2 a").evaluate_all("links => links.map(link => link.pathname)")
    options = page.locator("select option").all_inner_texts()
    assert visit.problems == []
    shown = status.inner_text(), sorted(href.removeprefix(f"/{site}/") for href in hrefs), options
    visit.close()
    return shown


def test_an_index_in_several_buckets_is_searched_as_one_index_is(browser, small, monkeypatch):
    with_two_rare_words(small)
    build(small.root, small.root / "one")
    monkeypatch.setattr(search, "PAGES_PER_BUCKET", 1)
    build(small.root, small.root / "many")
    assert len(listed_buckets(small.root / "one")) == 4 and len(listed_buckets(small.root / "many")) > 4
    zanzibar, quokka = "articles/daily-zanzibar.html", "articles/herald-quokkas.html"
    assert bucket_of(small.root / "many", zanzibar) != bucket_of(small.root / "many", quokka)
    with serving_folder(small.root) as address:
        for query in (
            "q=zanzibar+quokka",
            "q=zanzibar",
            "q=talks",
            "q=talks&outlet=The+Daily",
            "kind=article",
            "q=nothinghere",
        ):
            assert searched(browser, address, "many", query) == searched(browser, address, "one", query), query
        # Each word is in a page of its own, in buckets of their own: neither page has both.
        assert searched(browser, address, "many", "q=zanzibar+quokka")[:2] == ("No page matches.", [])
        _, found, options = searched(browser, address, "many", "q=talks&outlet=The+Daily")
        assert zanzibar in found and quokka not in found
        # The filters' counts are summed over the buckets.
        assert {"article (4)", "claim (1)", "outlet (2)", "speaker (1)"} <= set(options), options


def pagefind_runs(monkeypatch) -> list[set[str]]:
    """The pages each run of Pagefind indexes, from now on."""
    runs: list[set[str]] = []
    run_indexer = search.run_indexer

    def counted(pagefind, pages, index, output, stop=None):
        runs.append({path.relative_to(pages).as_posix() for path in pages.rglob("*.html")})
        run_indexer(pagefind, pages, index, output, stop)

    monkeypatch.setattr(search, "run_indexer", counted)
    return runs


def files_of(site: Path) -> list[str]:
    return [path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()]


def indexed_pages(site: Path) -> dict[str, bytes]:
    return {page: (site / page).read_bytes() for page in search.indexed_pages(files_of(site))}


def test_a_rebuild_indexes_again_only_the_buckets_whose_pages_changed_as_a_clean_build_would(
    small, monkeypatch, tmp_path
):
    monkeypatch.setattr(search, "PAGES_PER_BUCKET", 1)
    with_two_rare_words(small)
    output = small.root / "site"
    build(small.root, output)
    before, searched = indexed_pages(output), searched_record(output)
    small.article("herald-quokkas", "The Herald", "Talks resume again", 4, "A quokka watched the talks resume at last.")
    runs = pagefind_runs(monkeypatch)
    build(small.root, output)
    after = indexed_pages(output)
    changed = {page for page, content in after.items() if before.get(page) != content}
    assert "articles/herald-quokkas.html" in changed
    # Only buckets with a page changed are indexed again, each once, and every changed page that
    # is indexed is, where it changed to search (its record of what search indexes of it, if any).
    assert (
        runs and all(run & changed for run in runs) and len(runs) == len({bucket_of(output, min(run)) for run in runs})
    )
    now = searched_record(output)
    to_search = {page for page in changed if page not in now or searched.get(page) != now[page]}
    assert {page for page in to_search if search.MARKED.search(after[page])} <= set().union(*runs)
    assert len(runs) < len(listed_buckets(output))
    clean = tmp_path / "clean"
    build(small.root, clean)
    assert index_files(output) == index_files(clean)
    assert (output / INDEXER_FILE).read_bytes() == (clean / INDEXER_FILE).read_bytes()


def test_a_storys_pages_share_as_few_buckets_as_hold_them(tmp_path, monkeypatch, small):
    """In many stories, each story's articles and claims go together, changing together; in one
    story, its articles spread over as many buckets as their count needs."""
    monkeypatch.setattr(search, "PAGES_PER_BUCKET", 2)
    stories = Stories(tmp_path / "stories")
    (stories.root / "stories" / "vienna" / "claims.yaml").write_text(
        (stories.root / "stories" / "vienna" / "claims.yaml").read_text()
        + "  - id: delegations-flew-home\n    statement: The delegations flew home on Friday.\n"
        "    speaker: The Courier\n    channel: report\n    kind: passage\n"
    )
    build(stories.root, stories.site)
    bucket_of = {page: bucket.name for bucket in site_buckets(stories.site) for page in bucket.pages}
    geneva = (
        "claims/ministry-rejects-blame",
        "claims/talks-ended-friday",
        "articles/daily-geneva",
        "articles/herald-geneva",
    )
    vienna = (
        "claims/ministry-rejects-blame-again",
        "claims/delegations-flew-home",
        "articles/daily-vienna",
        "articles/courier-vienna",
    )
    for story in (geneva, vienna):
        assert len({bucket_of[f"{page}.html"] for page in story if page.startswith("claims/")}) == 1
        assert len({bucket_of[f"{page}.html"] for page in story if page.startswith("articles/")}) == 1
    assert len({name for page, name in bucket_of.items() if page.startswith("articles/")}) == 2  # 4 pages, 2 buckets

    small.article("courier-three", "The Courier", "Talks", 3, "Negotiators left the city.")
    small.article("post-four", "The Post", "Talks", 4, "The talks ended on Friday.")
    build(small.root, small.root / "site")
    one_story = [bucket for bucket in site_buckets(small.root / "site") if bucket.name.startswith("articles-")]
    assert len(one_story) == 2 and all(bucket.pages for bucket in one_story)


def test_no_page_of_a_list_is_in_a_bucket(tmp_path, monkeypatch):
    """A list's pages are never indexed, and change with every page added to the list: in a
    bucket, they would have it indexed again at every such build."""
    monkeypatch.setattr(lists_module, "STORIES_PER_PAGE", 1)
    stories = Stories(tmp_path / "stories")
    build(stories.root, stories.site)
    lists = ["claims/index.html", "claims/index--2.html"]
    assert all((stories.site / page).is_file() for page in lists)
    assert not any(page in bucket.pages for bucket in site_buckets(stories.site) for page in lists)
    assert "claims/ministry-rejects-blame.html" in search.indexed_pages(files_of(stories.site))


def test_a_rebuild_with_no_page_changed_indexes_nothing_and_fewer_buckets_index_their_sections_anew(small, monkeypatch):
    monkeypatch.setattr(search, "PAGES_PER_BUCKET", 1)
    output = small.root / "site"
    build(small.root, output)
    index = index_files(output)
    before = {(bucket.name, bucket.pages) for bucket in site_buckets(output)}
    runs = pagefind_runs(monkeypatch)
    build(small.root, output)
    assert runs == [] and index_files(output) == index
    # Twice as many pages a bucket: a section of two pages or more has fewer buckets, each
    # indexed anew; a section of one page keeps its bucket.
    monkeypatch.setattr(search, "PAGES_PER_BUCKET", 2)
    build(small.root, output)
    after = [
        marked
        for bucket in site_buckets(output)
        if (bucket.name, bucket.pages) not in before
        and (marked := {page for page in bucket.pages if search.MARKED.search((output / page).read_bytes())})
    ]
    assert sorted(map(sorted, runs)) == sorted(map(sorted, after)) and runs


def test_an_article_page_whose_notes_alone_changed_is_not_indexed_again(small, monkeypatch, tmp_path):
    """Search ignores the notes beside an article's text: a page whose notes alone changed (they
    name another outlet's wording, and that outlet was renamed) leaves its bucket as it was."""
    post = small.article("post-three", "The Post", "Talks", 3, f"“{MINISTRY},” the minister repeated.")
    before, after, runs = indexed_after_edit(small, monkeypatch, post, "The Post", "The Evening Post")
    noted = {"articles/daily-one.html", "articles/herald-two.html"}
    assert all(before[page] != after[page] and b"The Evening Post" in after[page] for page in noted)
    assert any("articles/post-three.html" in run for run in runs)
    assert not any(run & noted and "articles/post-three.html" not in run for run in runs)
    assert_index_is_a_clean_builds(small, tmp_path)


def test_a_corrected_title_is_indexed_again_only_on_its_own_page(small, monkeypatch, tmp_path):
    """A corrected title changes every page naming the article (the claim's lists, the outlet's),
    but search indexes it on the article's page only: only that page's bucket is indexed again."""
    path = small.root / "articles" / "daily-one.md"
    before, after, runs = indexed_after_edit(small, monkeypatch, path, "Talks collapse", "Talks break down")
    naming = {"claims/ministry-rejects-blame.html", "outlets/the-daily.html"}
    assert all(before[page] != after[page] and b"Talks break down" in after[page] for page in naming)
    (run,) = runs  # the bucket of the article's page, and no other
    assert "articles/daily-one.html" in run and all(page.startswith("articles/") for page in run)
    assert_index_is_a_clean_builds(small, tmp_path)


def indexed_after_edit(
    small, monkeypatch, path: Path, old: str, new: str
) -> tuple[dict[str, bytes], dict[str, bytes], list[set[str]]]:
    """The pages search indexes, built with a bucket a page, before and after `old` is replaced
    by `new` in the file at `path` and the site built again; and the runs of Pagefind that made."""
    monkeypatch.setattr(search, "PAGES_PER_BUCKET", 1)
    output = small.root / "site"
    build(small.root, output)
    before = indexed_pages(output)
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    runs = pagefind_runs(monkeypatch)
    build(small.root, output)
    return before, indexed_pages(output), runs


def assert_index_is_a_clean_builds(small, tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    build(small.root, clean)
    assert index_files(small.root / "site") == index_files(clean)


@pytest.mark.parametrize("template", ["article.html", "claim.html", "outlet.html"])
def test_a_template_edited_without_changing_a_page_indexes_nothing_again(small, monkeypatch, template):
    """A comment added to a template changes no page, though it changes the fingerprints of what
    search reads of the pages made with it (they count their templates): no bucket is indexed."""
    monkeypatch.setattr(search, "PAGES_PER_BUCKET", 1)
    output = small.root / "site"
    build(small.root, output)
    index, searched = index_files(output), searched_record(output)
    edited = small.root / "templates" / template
    edited.write_text(edited.read_text(encoding="utf-8") + "{# edited #}\n", encoding="utf-8")
    runs = pagefind_runs(monkeypatch)
    build(small.root, output)
    assert searched_record(output) != searched  # the template counts: this is what is being tested
    assert runs == [] and index_files(output) == index


def test_an_index_stopped_part_way_is_made_by_the_next_build_from_what_it_left(small, monkeypatch, tmp_path):
    """serve stops the search index when a file is saved while it is made: the site keeps the
    old index, and the next build indexes again the buckets that index left stale, though their
    pages have not changed since, and no other."""
    monkeypatch.setattr(search, "PAGES_PER_BUCKET", 1)
    output, templates = small.root / "site", small.root / "templates"
    build(small.root, output)
    old_index = index_files(output)
    path = small.root / "articles" / "daily-one.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Talks collapse", "Talks break down"), encoding="utf-8")
    stop = threading.Event()
    stop.set()
    later = pipeline.build(small.root, output, templates, Cache(), search_later=True).search
    with pytest.raises(search.Stopped) as stopped:
        later.run(stop)
    left = stopped.value.left
    changed = bucket_of(output, "articles/daily-one.html")
    # Stale: the bucket of the page changed, and those with no index, looked at on every build.
    assert changed in left.stale and not any((output / INDEX_FOLDER / name).exists() for name in left.stale - {changed})
    assert index_files(output) == old_index and not (output / INDEXER_FILE).exists()
    runs = pagefind_runs(monkeypatch)
    pipeline.build(small.root, output, templates, Cache(), search_later=True, index_left=left).search.run()
    (run,) = runs  # the stale bucket, and no other
    assert "articles/daily-one.html" in run
    assert_index_is_a_clean_builds(small, tmp_path)


def test_a_run_of_pagefind_is_killed_once_it_is_stopped(tmp_path):
    started = tmp_path / "started"
    stop = threading.Event()

    def stop_once_started():
        while not started.exists():
            time.sleep(0.01)
        stop.set()

    threading.Thread(target=stop_once_started, daemon=True).start()
    waiting = f"import os, pathlib, time; pathlib.Path({str(started)!r}).write_text(str(os.getpid())); time.sleep(60)"
    with pytest.raises(search.Stopped):
        search.run_pagefind([sys.executable, "-c", waiting], tmp_path / "site", stop)
    with pytest.raises(ProcessLookupError):
        os.kill(int(started.read_text()), 0)


def searched_record(site: Path) -> dict[str, str]:
    """The fingerprint of what search indexes of each page that has one, as the build recorded it."""
    return PageRecord.read((site / PAGES_FILE).read_bytes()).searched


def test_a_build_run_from_a_site_folder_a_build_has_replaced_still_indexes(small, monkeypatch):
    """A shell left in the site folder is left in a folder the next build removes: Pagefind,
    run from there, could not find its own working folder."""
    output = small.root / "site"
    assert main(["build", "--source", str(small.root), "--output", str(output)]) == 0
    monkeypatch.chdir(output)
    small.article("herald-three", "The Herald", "Talks resume", 3, "Negotiators met again on Monday.")
    assert main(["build", "--source", str(small.root), "--output", str(output)]) == 0
    small.article("herald-four", "The Herald", "Talks end again", 4, "Negotiators left on Tuesday.")
    assert main(["build", "--source", str(small.root), "--output", str(output)]) == 0
    entry = json.loads((output / INDEX_FOLDER / "articles-0" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert [about["page_count"] for about in entry["languages"].values()] == [4]
