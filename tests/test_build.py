"""The built site: its pages, its links, its export, and what a failed build leaves behind."""

import gc
import html.parser
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pytest

from parallax import pipeline
from parallax.cache import Cache
from parallax.cli import main
from parallax.model import ArchiveErrors

from conftest import ADDRESS, CLAIM_IN_ONE_ARTICLE, MINISTRY, REPO, exported_story


class Links(html.parser.HTMLParser):
    """Every link, resource and element id of one page."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.resources: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "a" and "href" in attributes:
            self.links.append(attributes["href"])
        for name in ("src", "srcset", "data"):
            if name in attributes:
                self.resources.append(attributes[name])
        if tag == "link" and attributes.get("rel") in ("stylesheet", "icon", "preload", "manifest"):
            self.resources.append(attributes["href"])


def parse(page: Path) -> Links:
    links = Links()
    links.feed(page.read_text(encoding="utf-8"))
    return links


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_the_site_has_an_overview_every_article_and_every_claim(site, archive):
    assert (site / "index.html").is_file()
    for article in archive.articles:
        assert (site / "articles" / f"{article.id}.html").is_file()
        assert (site / "captures" / f"{article.id}.txt").read_bytes() == article.capture.read_bytes()
    for claim in archive.claims:
        assert (site / "claims" / f"{claim.id}.html").is_file()
    # and 404.html, the list of articles (also at articles/), the lists of claims, outlets and
    # speakers, search, and a page per outlet and per speaker
    for page in ("404.html", "articles.html", "articles/index.html", "claims/index.html", "search.html"):
        assert (site / page).is_file()
    outlets = {article.outlet for article in archive.articles}
    speakers = {claim.speaker for claim in archive.claims}
    assert len(list((site / "outlets").glob("*.html"))) == 1 + len(outlets)
    assert len(list((site / "speakers").glob("*.html"))) == 1 + len(speakers)
    # and a page at each former address: a claim merged into another as its part, or renamed
    former = [
        name for claim in archive.claims if claim.has_parts for part in claim.parts for name in (part.id, *part.aliases)
    ]
    former += [alias for claim in archive.claims for alias in claim.aliases]
    assert "israel-condemns-invitation" in former and "hamas-worse-than-isis" in former
    lists = 2 + len(outlets) + len(speakers)
    assert len(pages(site)) == 6 + len(archive.articles) + len(archive.claims) + len(former) + lists


def test_a_former_claim_address_leads_to_its_place_on_the_claim_page(site):
    """Links given out to the claims merged into one statement keep working, from disk too."""
    for former, target in [
        ("israel-condemns-invitation", "israel-foreign-ministry-statement.html#israel-obscene-step"),
        ("hamas-worse-than-isis", "israel-foreign-ministry-statement.html#hamas-worse-than-isis"),
        ("embassy-violence-unacceptable", "russian-embassy-statement.html#embassy-violence-unacceptable"),
    ]:
        page = parse(site / "claims" / f"{former}.html")
        assert page.links == [f"../claims/{target}"]
        html = (site / "claims" / f"{former}.html").read_text(encoding="utf-8")
        assert f'<meta http-equiv="refresh" content="0; url=../claims/{target}">' in html
        anchor = target.split("#")[1]
        assert f'id="{anchor}"' in (site / "claims" / target.split("#")[0]).read_text(encoding="utf-8")


def target_of(site: Path, page: Path, address: str) -> Path:
    """The file a link leads to; one from the host's root (the 404 page's) as if the site were served there."""
    if not address:
        return page
    return (site / address.lstrip("/")).resolve() if address.startswith("/") else (page.parent / address).resolve()


def test_every_internal_link_and_anchor_resolves(site):
    for page in pages(site):
        for link in parse(page).links:
            if urlparse(link).scheme in ("http", "https"):
                continue
            address, fragment = urldefrag(link)
            target = target_of(site, page, address)
            assert target.is_file(), f"{page.name}: broken link {link}"
            if fragment:
                assert fragment in parse(target).ids, f"{page.name}: no #{fragment} in {target.name}"


def test_pages_load_nothing_from_other_hosts(site):
    for page in pages(site):
        for resource in parse(page).resources:
            assert urlparse(resource).scheme in ("", "data") and not resource.startswith("//"), (
                f"{page.name}: {resource}"
            )


def test_an_article_page_marks_each_statement_it_shares(site, comparison):
    for summary in comparison.summaries:
        page = (site / "articles" / f"{summary.article.id}.html").read_text()
        assert page.count("<mark>") >= len(summary.carried)
        for carried in summary.carried:
            assert f'id="s-{carried.statement.id}"' in page
            assert f'id="note-{carried.statement.id}"' in page


def test_a_claim_page_shows_every_outlets_wording_and_who_leaves_it_out(site, archive, statements):
    peskov = next(s for s in statements if s.id == "peskov-contacts-with-all-parties")
    page = (site / "claims" / "peskov-contacts-with-all-parties.html").read_text()
    for occurrence in peskov.occurrences:
        assert f"../articles/{occurrence.article}.html#s-peskov-contacts-with-all-parties" in page
    # Each wording is shown against the version it is closest to, word for word: Mixed Times has
    # the second translation (B) as it is, ForumDaily the first (A) with one word changed.
    assert page.count('<span class="badge">Version B</span>') == 1
    assert "we will continue <del data-pagefind-ignore>our</del> <ins>the</ins> dialogue with Israel" in page
    absent = page.split('id="absent"')[1]
    for article in archive.articles:
        assert (f"../articles/{article.id}.html" in absent) is (article.id not in peskov.article_ids)


def html_text(value: str) -> str:
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&#34;")
        .replace("'", "&#39;")
    )


def test_the_export_is_consistent_with_the_articles(site, archive):
    export = exported_story(site)
    texts = {article["id"]: article["text"] for article in export["articles"]}
    assert set(texts) == {article.id for article in archive.articles}
    assert {claim["id"] for claim in export["claims"]} == {claim.id for claim in archive.claims}
    for entry in export["articles"] + export["claims"]:
        assert (site / entry["page"]).is_file()
    claim_ids = {claim["id"] for claim in export["claims"]}
    assert export["shared"]
    for shared in export["shared"]:
        assert shared["kind"] in ("quote", "passage")
        assert shared["claim"] is None or shared["claim"] in claim_ids
        assert len({o["article"] for o in shared["occurrences"]}) >= 2
        for occurrence in shared["occurrences"]:
            assert texts[occurrence["article"]][occurrence["start"] : occurrence["end"]] == occurrence["text"]
            assert 0 <= occurrence["score"] <= 100


def test_two_builds_are_byte_identical(site, tmp_path):
    again = tmp_path / "again"
    assert main(["build", "--source", str(REPO), "--output", str(again)]) == 0
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first == second


def test_markup_in_outlet_names_and_claims_is_text_in_the_overview_and_its_maps(small, tmp_path):
    small.article("herald-two", "<script>alert('outlet')</script>", "Geneva", 2, f"“{MINISTRY},” a spokesman said.")
    small.claims(
        f"""\
        - id: ministry-rejects-blame
          statement: "<img src=x onerror=alert(1)> {MINISTRY}"
          speaker: Ministry of Foreign Affairs
          channel: statement
          kind: quote
          renderings: ["{MINISTRY}"]
        """
    )
    output = tmp_path / "site"
    assert main(["build", "--source", str(small.root), "--output", str(output)]) == 0
    overview = (output / "index.html").read_text()
    maps = overview[overview.index("<svg") : overview.rindex("</svg>")]
    assert "&lt;script&gt;alert(&#39;outlet&#39;)&lt;/script&gt;" in maps and "&lt;img src=x" in maps
    for page in pages(output):
        assert "<script>alert" not in page.read_text() and "<img src=x" not in page.read_text(), page


def test_an_outlet_in_other_words_is_not_said_to_use_the_same_words(small, tmp_path):
    other_words = "We shall never tolerate any effort to blame us for the collapse of the talks in Geneva"
    small.article("herald-two", "The Herald", "Geneva", 2, f"“{other_words},” a spokesman said.")
    small.claims(
        f"""\
        - id: ministry-rejects-blame
          statement: "{MINISTRY}"
          speaker: Ministry of Foreign Affairs
          channel: statement
          kind: quote
          renderings: ["{other_words}"]
        """
    )
    output = tmp_path / "site"
    assert main(["build", "--source", str(small.root), "--output", str(output)]) == 0
    overview = (output / "index.html").read_text()
    assert "The Daily carries “We will not accept" in overview
    labels = dict(re.findall(r"<title>(The \w+) carries “[^”]*”: ([^<]*)</title>", overview))
    assert labels == {"The Daily": "the same words", "The Herald": "in other words"}


def test_text_that_looks_like_markup_is_shown_as_text(small, tmp_path):
    small.claims(
        """\
        - id: ministry-rejects-blame
          statement: "We will not accept <b>any</b> attempt to blame us for the failure of the talks."
          speaker: "<script>alert('speaker')</script>"
          channel: statement
          kind: quote
        """
    )
    output = tmp_path / "site"
    assert main(["build", "--source", str(small.root), "--output", str(output)]) == 0
    page = (output / "claims" / "ministry-rejects-blame.html").read_text()
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#39;speaker&#39;)&lt;/script&gt;" in page
    assert "<b>any</b>" not in page and "&lt;b&gt;any&lt;/b&gt;" in page


def run_build(*arguments: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), *arguments], cwd=cwd, capture_output=True, text=True, check=False
    )


def test_python_build_py_builds_the_archive_in_the_current_folder(small):
    result = run_build(cwd=small.root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Built site: 2 articles, 1 claims, 1 shared statements (0 without a claim)")
    assert (small.root / "site" / "claims" / "ministry-rejects-blame.html").is_file()


def test_bad_input_fails_with_one_line_and_leaves_the_previous_site(small):
    assert run_build(cwd=small.root).returncode == 0
    before = {p: p.read_bytes() for p in (small.root / "site").rglob("*") if p.is_file()}
    sources = {p: p.read_bytes() for p in small.root.rglob("*") if p.is_file() and "site" not in p.parts}
    path = small.root / "articles" / "daily-one.md"
    path.write_text(path.read_text().replace("published: 2024-03-01", "published: 1 March"))
    sources[path] = path.read_bytes()

    result = run_build(cwd=small.root)

    assert result.returncode == 1
    assert result.stderr == (
        "error: articles/daily-one.md:4: 'published' must be a date written YYYY-MM-DD, not '1 March'\n"
    )
    assert "Traceback" not in result.stdout + result.stderr
    assert {p: p.read_bytes() for p in (small.root / "site").rglob("*") if p.is_file()} == before
    assert {p: p.read_bytes() for p in small.root.rglob("*") if p.is_file() and "site" not in p.parts} == sources
    assert not list(small.root.glob(".site-*"))


def test_a_claim_found_in_fewer_than_two_articles_is_a_warning(small):
    small.claims(CLAIM_IN_ONE_ARTICLE)
    result = run_build(cwd=small.root)
    assert result.returncode == 0
    assert "warning: claims.yaml:4: claim 'talks-ended-friday' is found in 1 article, not two or more" in result.stderr
    page = (small.root / "site" / "claims" / "talks-ended-friday.html").read_text()
    assert "Found in one article only" in page


def test_the_output_may_not_be_the_archive_or_a_folder_it_did_not_build(small):
    (small.root / "notes").mkdir()
    (small.root / "notes" / "todo.txt").write_text("keep me")
    for output in (".", "articles", "notes"):
        result = run_build("--output", output, cwd=small.root)
        assert result.returncode == 1 and result.stderr.startswith(f"error: {output}: refusing"), result.stderr
    assert (small.root / "notes" / "todo.txt").read_text() == "keep me"


def test_another_story_in_its_own_folder_builds_with_these_templates(small):
    shutil.rmtree(small.root / "templates")
    assert run_build(cwd=small.root).stderr == "error: templates: no templates folder: name one with --templates DIR\n"
    result = run_build("--templates", str(REPO / "templates"), cwd=small.root)
    assert result.returncode == 0, result.stderr
    assert "Talks in Geneva" in (small.root / "site" / "index.html").read_text()


def test_an_archive_without_claims_builds(small):
    small.claims("[]")
    assert run_build(cwd=small.root).returncode == 0
    assert "No claims are tracked in this story yet." in (small.root / "site" / "index.html").read_text()
    assert "No claims are tracked in this archive yet." in (small.root / "site" / "claims" / "index.html").read_text()


def test_help_documents_the_command():
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    assert "--source DIR" in result.stdout and "--output DIR" in result.stdout


def test_sitemap_and_feed_are_valid_xml_with_absolute_addresses(published_site, archive):
    import xml.etree.ElementTree as ElementTree

    site, base = published_site, ADDRESS
    sitemap = ElementTree.parse(site / "sitemap.xml").getroot()
    locations = [e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert base in locations and base + "claims/israel-foreign-ministry-statement.html" in locations
    assert base + "claims/israel-obscene-step.html" not in locations  # a former address, now a part
    # the overview, the lists of articles, claims, outlets and speakers (the list again at
    # articles/ is not listed), and the outlets' and speakers' pages
    outlets = {article.outlet for article in archive.articles}
    speakers = {claim.speaker for claim in archive.claims}
    assert len(locations) == 5 + len(archive.articles) + len(archive.claims) + len(outlets) + len(speakers)
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ElementTree.parse(site / "feed.xml").getroot()
    entries = feed.findall(f"{atom}entry")
    assert len(entries) == len(archive.articles)
    assert all(e.find(f"{atom}id").text.startswith(base + "articles/") for e in entries)
    assert all(e.find(f"{atom}author/{atom}name").text for e in entries)


def test_a_claim_page_has_a_share_card_a_canonical_address_and_structured_data(published_site):
    page = (published_site / "claims" / "peskov-contacts-with-all-parties.html").read_text()
    address = ADDRESS + "claims/peskov-contacts-with-all-parties.html"
    assert f'<link rel="canonical" href="{address}">' in page
    assert f'<meta property="og:url" content="{address}">' in page
    assert f'<meta property="og:image" content="{ADDRESS}card.png">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    data = json.loads(page.split('<script type="application/ld+json">')[1].split("</script>")[0])
    claim, *quotations = data["@graph"]
    assert claim["@type"] == "Claim" and "ClaimReview" not in page
    assert {a["publisher"]["name"] for a in claim["appearance"]} == {"ForumDaily", "The Jerusalem Post", "Mixed Times"}
    first = min(claim["appearance"], key=lambda a: a["datePublished"])
    assert claim["firstAppearance"]["datePublished"] == first["datePublished"]
    assert [q["@type"] for q in quotations] == ["Quotation"] * 3
    assert "Cite this page" in page and address in page.split('id="cite"')[1]


def test_every_page_forbids_scripts_and_other_hosts(site):
    for page in pages(site):
        text = page.read_text()
        assert "Content-Security-Policy" in text and "default-src 'none'" in text, page.name
        if page.name == "search.html":  # the one page that runs a script: its own, from the site
            assert "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; style-src" in text
            assert re.findall(r"<script[^>]*>", text) == ['<script src="search.js" defer>']
        else:
            assert "<script>" not in text and "<script src" not in text, page.name


def test_the_card_image_is_a_png_of_the_usual_size(site):
    from PIL import Image

    with Image.open(site / "card.png") as card:
        assert card.format == "PNG" and card.size == (1200, 630)


def add_wire_copies(small, count: int) -> None:
    """`count` more articles, from four more outlets, all carrying the ministry's statement."""
    for number in range(count):
        small.article(
            f"wire-{number:03d}",
            f"Outlet {number % 4}",
            f"Report {number}",
            1 + number % 9,
            f"“{MINISTRY},” a spokesman said.\n\nDelegates met for round {number} of the talks.",
        )


def test_a_large_archive_is_summarised_by_outlet_and_its_articles_listed_in_pages(small):
    add_wire_copies(small, 248)  # 250 articles in all
    site = small.root / "site"
    assert main(["build", "--source", str(small.root), "--output", str(site)]) == 0

    lists = {
        name: (site / name).read_text(encoding="utf-8")
        for name in ("articles.html", "articles-2.html", "articles-3.html")
    }
    assert sorted(site.glob("articles*.html")) == sorted(site / name for name in lists)
    assert [page.count('<th scope="row">') for page in lists.values()] == [100, 100, 50]
    assert 'rel="prev" href="articles.html"' in lists["articles-2.html"]
    assert 'rel="next" href="articles-3.html"' in lists["articles-2.html"]
    assert {"articles.html", "articles-2.html"} <= set(parse(site / "articles-3.html").links)

    overview = (site / "index.html").read_text(encoding="utf-8")
    assert "articles-2.html" in parse(site / "index.html").links  # the rest of the articles
    articles_table = overview[overview.index('<table class="outlets cards">') :]
    assert articles_table.count('<th scope="row">') == 100
    # One column per outlet: an outlet with many articles says in how many it carries the claim.
    coverage_table = overview[overview.index('<table class="coverage">') : overview.index("</table>")]
    assert coverage_table.count('class="outlet"') == 6
    assert coverage_table.count(">62 of 62</a>") == 4
    assert "in 62 of its 62 articles" in overview

    # The claim page names 50 articles per wording and says how many more use the same words.
    claim_html = (site / "claims" / "ministry-rejects-blame.html").read_text(encoding="utf-8")
    named = [
        link for link in parse(site / "claims" / "ministry-rejects-blame.html").links if link.startswith("../articles/")
    ]
    # And its timeline the first 50 of the articles that carry it.
    assert len(named) < 180 and "more, all listed in" in claim_html
    assert "And 200 more articles, all listed in" in claim_html
    # Beside an article's paragraph, so large a count is given by steps (see rough_count).
    assert ">and at least 200 more articles</a>" in (site / "articles" / "wire-000.html").read_text(encoding="utf-8")

    # An article's breadcrumb leads to the list of articles, whichever of its pages names it.
    assert len(list(site.glob("articles/*.html"))) == 250 + 1  # and the list again at articles/
    last = small.load().articles[-1]
    assert 'href="../articles.html">Articles</a>' in (site / "articles" / f"{last.id}.html").read_text(encoding="utf-8")


def test_work_shared_by_several_processes_gives_the_same_site_and_the_same_errors(small, tmp_path, capsys):
    add_wire_copies(small, 300)  # enough for the work to be shared
    sites = [tmp_path / f"jobs-{jobs}" for jobs in (1, 2)]
    for jobs, site in zip((1, 2), sites):
        assert main(["build", "--source", str(small.root), "--output", str(site), "--jobs", str(jobs)]) == 0
    first, second = ({p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()} for site in sites)
    assert first == second

    (small.root / "articles" / "wire-150.md").write_text("---\noutlet: [\n---\n\nText.\n", encoding="utf-8")
    capsys.readouterr()
    errors = []
    for jobs in (1, 2):
        assert (
            main(["build", "--source", str(small.root), "--output", str(tmp_path / "failed"), "--jobs", str(jobs)]) == 1
        )
        errors.append(capsys.readouterr().err)
    assert errors[0] == errors[1] and "wire-150.md:3: invalid YAML" in errors[0]


def test_the_cycle_collector_runs_again_after_a_build_good_or_failed(small, tmp_path):
    assert gc.isenabled()
    pipeline.build(small.root, tmp_path / "site", small.root / "templates", Cache())
    assert gc.isenabled()
    (small.root / "claims.yaml").write_text("story: [\n", encoding="utf-8")
    with pytest.raises(ArchiveErrors):
        pipeline.check(small.root, None, Cache())
    assert gc.isenabled()
