"""The site as its readers find it: counts that agree everywhere, addresses that last, every page
near every other, and words meant for readers, not for the archive's curators."""

import re
import subprocess
import xml.etree.ElementTree as ElementTree
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urlparse

from parallax.cli import main

from conftest import ADDRESS, CLAIM_IN_ONE_ARTICLE, MINISTRY, REPO, exported_story
from test_build import pages, parse, target_of

ATOM = "{http://www.w3.org/2005/Atom}"


def build(small, output: Path) -> Path:
    assert main(["build", "--source", str(small.root), "--output", str(output)]) == 0
    return output


def shared_line(page: str) -> str:
    return re.search(r"<dt>Shared</dt><dd>(.*?)</dd>", page).group(1)


def test_every_count_of_an_article_agrees_on_every_page_feed_and_export(published_site, comparison):
    site = published_site
    export = {entry["id"]: entry for entry in exported_story(site)["articles"]}
    feed = {
        entry.find(f"{ATOM}id").text.rsplit("/", 1)[-1].removesuffix(".html"): entry.find(f"{ATOM}summary").text
        for entry in ElementTree.parse(site / "feed.xml").getroot().iter(f"{ATOM}entry")
    }
    listing = (site / "articles.html").read_text()
    for summary in comparison.summaries:
        article = summary.article
        count = len({c.statement.id for c in summary.carried if c.statement.is_shared})
        words = f"{count} statement{'s' if count != 1 else ''}"
        assert shared_line((site / "articles" / f"{article.id}.html").read_text()).startswith(
            f"{words} with other articles"
        )
        assert feed[article.id].startswith(f"{words} shared with other articles")
        assert export[article.id]["shared_statements"] == count
        row = listing.split(f'href="articles/{article.id}.html"')[1].split("</tr>")[0]
        assert f'data-label="Shared statements">{count}</td>' in row
    # JNS carries one statement twice: it is one statement, not two.
    jns = next(s for s in comparison.summaries if s.article.outlet == "JNS")
    assert len(jns.carried) > jns.shared_statements == 10


def test_a_claim_only_one_article_carries_is_not_counted_as_shared(small, tmp_path):
    before = build(small, tmp_path / "before")
    small.claims(CLAIM_IN_ONE_ARTICLE)
    after = build(small, tmp_path / "after")
    page = (after / "articles" / "daily-one.html").read_text()
    assert "No other outlet carries it." in page  # still shown where it stands
    assert shared_line(page) == shared_line((before / "articles" / "daily-one.html").read_text())
    assert shared_line(page).startswith("1 statement with other articles")
    summary = (after / "articles.html").read_text().split('href="articles/daily-one.html"')[1].split("</tr>")[0]
    assert 'data-label="Shared statements">1</td>' in summary


def test_a_statement_keeps_its_address_when_a_claim_comes_to_cover_it(small, tmp_path):
    small.claims("[]")
    before = build(small, tmp_path / "before")
    (statement,) = [s for s in exported_story(before)["shared"] if s["kind"] == "quote"]
    old = statement["id"]
    assert statement["claim"] is None and old.startswith("quote-we-will-not-accept")

    small.claims(
        f"""\
        - id: ministry-rejects-blame
          statement: "{MINISTRY}"
          speaker: Ministry of Foreign Affairs
          channel: statement
          kind: quote
        """
    )
    after = build(small, tmp_path / "after")
    (statement,) = [s for s in exported_story(after)["shared"] if s["kind"] == "quote"]
    assert statement["id"] == "ministry-rejects-blame" and statement["aliases"] == [old]
    for article in ("daily-one", "herald-two"):
        ids = parse(after / "articles" / f"{article}.html").ids
        assert {f"s-{old}", "s-ministry-rejects-blame"} <= ids  # the old link still finds its place


def links_between(site: Path) -> dict[Path, set[Path]]:
    """Every page and the pages it links to. The 404 page links from the host's root."""
    graph = {}
    for page in pages(site):
        addresses = (urldefrag(link)[0] for link in parse(page).links)
        targets = {target_of(site, page, a) for a in addresses if a and not urlparse(a).scheme}
        graph[page.resolve()] = {target for target in targets if target.suffix == ".html"}
    return graph


def test_every_page_is_two_clicks_from_every_other(site):
    graph = links_between(site)
    # Pages no link leads to: the one for missing addresses, and the list again for readers who type articles/
    unlinked = {(site / name).resolve() for name in ("404.html", "articles/index.html")}
    # and the former addresses of claims, which only lead on to where they are now
    former = {page for page in graph if 'http-equiv="refresh"' in page.read_text(encoding="utf-8")}
    unlinked |= former
    for start in set(graph) - former:
        distance = {start: 0}
        queue = deque([start])
        while queue:
            page = queue.popleft()
            for target in graph[page]:
                if target not in distance and distance[page] < 2:
                    distance[target] = distance[page] + 1
                    queue.append(target)
        unreachable = sorted(p.relative_to(site.resolve()).as_posix() for p in set(graph) - set(distance) - unlinked)
        assert unreachable == [], f"from {start.name}"


def test_the_lists_of_claims_and_articles_answer_at_their_folders(published_site, archive):
    site = published_site
    claims = (site / "claims" / "index.html").read_text()
    for claim in archive.claims:
        assert f'href="../claims/{claim.id}.html"' in claims
    assert (
        '<nav class="crumbs" aria-label="Breadcrumb"><a href="../index.html">Overview</a> › <a href="../claims/index.html">Claims</a></nav>'
        in (site / "claims" / f"{archive.claims[0].id}.html").read_text()
    )
    folder = (site / "articles" / "index.html").read_text()
    assert f'<link rel="canonical" href="{ADDRESS}articles.html">' in folder
    for article in archive.articles:
        assert f'href="../articles/{article.id}.html"' in folder


CURATOR_WORDS = ("claims.yaml", "build.py", "no claim yet", "curator")


def test_pages_speak_to_readers_not_to_curators(site, small, tmp_path):
    small.claims("[]")  # the empty states too
    empty = build(small, tmp_path / "empty")
    for page in pages(site) + pages(empty):
        # But the search page's note to a copy opened from a file, which whoever built it is the
        # one to see, says how to serve it.
        text = re.sub(r'<p class="notice" id="search-from-file" hidden>.*?</p>', "", page.read_text()).lower()
        assert [word for word in CURATOR_WORDS if word in text] == [], page


def test_the_404_page_links_from_the_site_address_or_else_the_host_root(published_site, small, tmp_path):
    assert {f"{ADDRESS}index.html", f"{ADDRESS}claims/index.html"} <= set(parse(published_site / "404.html").links)
    unset = build(small, tmp_path / "unset")  # no story url
    links = parse(unset / "404.html").links
    assert "/index.html" in links and "/articles.html" in links
    assert not [link for link in links if "example" in link]


def test_the_shipped_archive_sets_no_example_address():
    claims = (REPO / "claims.yaml").read_text()
    assert not re.search(r"^\s*url:.*example", claims, re.MULTILINE)


def test_make_site_installs_only_what_building_needs(tmp_path):
    for name in ("Makefile", "pyproject.toml", "package.json", "package-lock.json"):
        (tmp_path / name).write_bytes((REPO / name).read_bytes())
    planned = subprocess.run(["make", "-n", "site"], cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    assert "build.py" in planned and "pip install" in planned
    assert "[test]" not in planned and "npm" not in planned and "apt-get" not in planned
    tests = subprocess.run(["make", "-n", "test"], cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    assert "[test]" in tests and "npm ci" in tests
