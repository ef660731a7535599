"""The built site in a real browser (Debian's chromium, driven by Playwright), and as HTML."""

import functools
import json
import subprocess
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from test_stories import Stories

from conftest import ADDRESS, REPO, QuietHandler, serving, serving_folder

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


class Visit:
    """A page opened in the browser, with every error it logs and every request it makes."""

    def __init__(self, browser, address: str, **options):
        self.page = browser.new_page(**options)
        self.problems: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda message: message.type == "error" and self.problems.append(message.text))
        self.page.on("pageerror", lambda error: self.problems.append(str(error)))
        self.page.on("requestfailed", lambda request: self.problems.append(f"failed: {request.url}"))
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on(
            "response",
            lambda response: response.status >= 400 and self.problems.append(f"{response.status}: {response.url}"),
        )
        self.page.goto(address)

    def close(self):
        self.page.close()


def is_former_address(page: Path) -> bool:
    return 'http-equiv="refresh"' in page.read_text(encoding="utf-8")


def all_pages(site: Path) -> list[str]:
    """Every page but the former addresses, which lead straight on (tested on their own)."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if not is_former_address(p))


@pytest.mark.parametrize("where", ["disk", "http"])
def test_a_former_claim_address_opens_the_claim_page_at_the_part(browser, site, server, where):
    base = site.as_uri() + "/" if where == "disk" else server
    visit = Visit(browser, base + "claims/israel-condemns-invitation.html")
    visit.page.wait_for_url("**/claims/israel-foreign-ministry-statement.html#israel-obscene-step")
    target = visit.page.locator(":target")
    assert target.count() == 1 and "Israel views the invitation" in target.inner_text()
    assert target.is_visible() and visit.problems == []
    visit.close()


def test_a_claim_page_draws_who_took_it_from_whom_and_each_box_leads_to_its_place(browser, server):
    visit = Visit(
        browser, server + "claims/israel-foreign-ministry-statement.html", viewport={"width": 1300, "height": 900}
    )
    page = visit.page
    diagram = page.locator("section.part:has(#how-israel-obscene-step) svg.lineage")
    assert diagram.get_attribute("aria-describedby") == "lineage-desc-israel-obscene-step"
    description = page.locator("#lineage-desc-israel-obscene-step").text_content()
    assert "JNS (26 October 2023): from the speaker's own words, version B, word for word: 25 of its 25" in description
    assert diagram.locator("g.node.version").count() == 4  # A, B, C (which D was translated from) and D
    box = diagram.locator("a:has-text('Unidentified site')").last
    box.click()
    assert page.url == server + "articles/reuters-repost-hamas-delegation-visits-moscow.html#s-israel-obscene-step-2"
    assert page.locator(":target").count() == 1 and visit.problems == []
    visit.close()


def test_a_claim_page_on_a_narrow_screen_scrolls_only_its_tables_and_diagrams(browser, site):
    visit = Visit(
        browser,
        (site / "claims" / "israel-foreign-ministry-statement.html").as_uri(),
        viewport={"width": 390, "height": 844},
    )
    assert visit.page.evaluate("document.documentElement.scrollWidth") <= 390
    visit.close()


@pytest.mark.parametrize("where", ["disk", "http"])
def test_every_page_loads_with_no_error_and_nothing_from_elsewhere(browser, site, server, where):
    base = site.as_uri() + "/" if where == "disk" else server
    for path in all_pages(site):
        visit = Visit(browser, base + path)
        assert visit.problems == [], path
        assert visit.page.locator("link[rel=stylesheet], style").count() == 1, path
        assert visit.page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgba(0, 0, 0, 0)", path
        assert all(request.startswith((base, "data:")) for request in visit.requests), (path, visit.requests)
        visit.close()


class NotFoundHandler(QuietHandler):
    """A static host's way with a missing address, at any depth: its status, and the site's 404 page."""

    def send_error(self, code, message=None, explain=None):
        if code != 404:
            return super().send_error(code, message, explain)
        page = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)


@pytest.mark.parametrize("missing", ["nothing.html", "claims/no-such-claim.html", "a/b/c/d/page.html"])
def test_the_404_page_is_styled_and_its_links_work_at_any_depth(browser, published_site, missing):
    with serving(functools.partial(NotFoundHandler, directory=str(published_site))) as address:
        visit = Visit(browser, f"{address}{missing}")
        page = visit.page
        assert page.locator("h1").inner_text() == "There is no page at this address"
        assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("system-ui")
        assert page.evaluate("getComputedStyle(document.querySelector('main a')).color") != "rgb(0, 0, 0)"
        links = page.locator("main a, header a").evaluate_all("links => links.map(a => a.href)")
        assert links and all(link.startswith(ADDRESS) for link in links if not link.startswith("data:")), links
        # Nothing failed but the missing address itself, which the browser reports twice.
        assert sorted(visit.problems) == [
            f"404: {address}{missing}",
            "Failed to load resource: the server responded with a status of 404 (Not Found)",
        ]
        visit.close()


def test_a_mark_leads_to_its_claim_page_and_back(browser, server):
    article = "articles/jpost-russia-rejects-terror-accusation.html"
    visit = Visit(browser, server + article)
    page = visit.page
    page.locator("p.text a.ref").first.click()  # the number after the first marked statement
    assert page.url.endswith("#note-peskov-no-meeting-with-putin")
    page.locator("#note-peskov-no-meeting-with-putin a.statement-title").click()
    assert page.url == server + "claims/peskov-no-meeting-with-putin.html"
    assert "Kremlin officials" in page.locator("ol.wordings").inner_text()
    page.get_by_role("link", name="Read it in context in The Jerusalem Post").click()
    assert page.url == server + article + "#s-peskov-no-meeting-with-putin"
    target = page.locator(":target")
    assert target.count() == 1
    # The mark comes right after the anchor, inside the line under reused words if it is reused.
    after = target.evaluate(
        "element => element.nextElementSibling.closest('mark') ? 'MARK' : element.nextElementSibling.firstElementChild?.tagName"
    )
    assert after == "MARK"
    assert visit.problems == []
    visit.close()


def test_reused_words_are_underlined_solid_or_dotted_and_a_passage_leads_to_its_source(browser, server):
    visit = Visit(
        browser,
        server + "articles/jpost-russia-rejects-terror-accusation.html",
        viewport={"width": 1300, "height": 900},
    )
    page = visit.page
    styles = {
        kind: page.locator(f"p.text span.{kind}").first.evaluate(
            "element => getComputedStyle(element).borderBottomStyle"
        )
        for kind in ("verbatim", "rewritten")
    }
    assert styles == {"verbatim": "solid", "rewritten": "dotted"}
    note = page.locator("section.note.passage:has(p.from)").first
    source = note.locator("p.from a")
    outlet = source.inner_text()
    address = source.get_attribute("href")
    source.click()
    assert page.url == server + "articles/" + address.removeprefix("../articles/")
    assert page.locator("p.outlet").inner_text() == outlet
    assert page.locator(":target").count() == 1  # the passage's place on the source's page
    assert visit.problems == []
    visit.close()


def test_a_coverage_square_leads_to_the_occurrence(browser, site):
    visit = Visit(browser, (site / "index.html").as_uri())
    visit.page.locator("svg.heat-map a[href*='#s-hamas-worse-than-isis']").first.click()
    assert visit.page.url.endswith("articles/jns-israel-rebukes-russia-for-hosting-hamas.html#s-hamas-worse-than-isis")
    visit.close()


@pytest.mark.parametrize("width, beside", [(1400, True), (390, False)])
def test_notes_stand_beside_their_paragraph_on_a_wide_screen_and_under_it_on_a_narrow_one(browser, site, width, beside):
    visit = Visit(
        browser,
        (site / "articles" / "mixedtimes-hamas-sends-envoy-to-moscow.html").as_uri(),
        viewport={"width": width, "height": 900},
    )
    row = visit.page.locator(".row:has(.notes)").first
    text = row.locator(".text").bounding_box()
    notes = row.locator(".notes").bounding_box()
    if beside:
        assert notes["x"] >= text["x"] + text["width"] and abs(notes["y"] - text["y"]) < 10
    else:
        assert notes["y"] >= text["y"] + text["height"] - 20 and notes["x"] < text["x"] + 40
    visit.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violation(browser, site, scheme):
    axe = Axe()
    pages = [
        "index.html",
        "articles.html",
        "articles/jns-israel-rebukes-russia-for-hosting-hamas.html",
        "claims/israel-foreign-ministry-statement.html",
        "claims/peskov-contacts-with-all-parties.html",
        "claims/index.html",
        "outlets/index.html",
        "outlets/mixed-times.html",
        "speakers/index.html",
        "speakers/dmitry-peskov.html",
        "404.html",
    ]
    for path in pages:
        visit = Visit(browser, (site / path).as_uri(), color_scheme=scheme)
        assert serious_violations(axe, visit.page) == [], path
        visit.close()


def serious_violations(axe: Axe, page) -> list[str]:
    """What axe-core finds on the page as it stands, serious or critical."""
    return [
        f"{violation['id']}: {violation['help']}"
        for violation in axe.run(page).response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def nu_errors(files: list[Path]) -> list[dict]:
    """What the Nu HTML checker finds wrong in these HTML, CSS and SVG files."""
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--also-check-css", "--also-check-svg", "--format", "json"]
        + [str(file) for file in files],
        capture_output=True,
        text=True,
    )
    return json.loads(result.stderr or "{}").get("messages", [])


@pytest.fixture(scope="module")
def many_site(tmp_path_factory) -> Path:
    """A small archive of two stories, built."""
    stories = Stories(tmp_path_factory.mktemp("many") / "archive")
    assert stories.build() == 0
    return stories.site


@pytest.mark.parametrize("where", ["disk", "http"])
def test_every_page_of_many_stories_loads_with_no_error_and_passes_axe(browser, many_site, where):
    axe = Axe()
    with serving_folder(many_site.parent) as address:
        base = many_site.as_uri() + "/" if where == "disk" else f"{address}site/"
        for path in all_pages(many_site):
            visit = Visit(browser, base + path)
            assert visit.problems == [], path
            assert all(request.startswith((base, "data:")) for request in visit.requests), (path, visit.requests)
            assert serious_violations(axe, visit.page) == [], path
            visit.close()


def test_from_the_front_page_a_reader_reaches_a_story_an_outlet_and_a_speaker(browser, many_site):
    visit = Visit(browser, (many_site / "index.html").as_uri())
    page = visit.page
    page.get_by_role("link", name="Talks in Geneva").click()
    page.locator("table.outlets").get_by_role("link", name="The Herald").click()
    assert page.locator("h1").inner_text() == "The Herald"
    page.get_by_role("link", name="We will not accept any attempt").first.click()
    page.get_by_role("link", name="Ministry of Foreign Affairs").first.click()
    assert page.url.endswith("speakers/foreign-ministry.html")
    assert page.locator("ol.said > li").count() == 2
    assert visit.problems == []
    visit.close()


@pytest.mark.parametrize("which", ["one story", "many stories"])
def test_every_page_is_valid_html_css_and_svg(site, many_site, which):
    built = site if which == "one story" else many_site
    messages = nu_errors([p for p in sorted(built.rglob("*")) if p.suffix in (".html", ".css", ".svg")])
    assert messages == [], messages[:5]


def test_the_overview_on_a_narrow_screen_lists_what_the_maps_show_and_nothing_scrolls_unseen(browser, site):
    visit = Visit(browser, (site / "index.html").as_uri(), viewport={"width": 390, "height": 844})
    page = visit.page
    assert page.locator("svg.heat-map").evaluate_all("maps => maps.map(m => m.getBoundingClientRect().width)") == [0, 0]
    lists = page.locator("ol.map-list")
    assert lists.count() == 2 and all(lists.nth(i).is_visible() for i in range(2))
    first_claim = lists.first.locator("> li").first
    assert first_claim.locator("a").first.inner_text().startswith("Hamas is a terror organization")
    assert "JNS: the same words" in first_claim.inner_text()
    smallest = page.evaluate(
        "Math.min(...[...document.querySelectorAll('ol.map-list, table.cards')].flatMap(e => [...e.querySelectorAll('*')])"
        ".filter(e => e.offsetParent && e.textContent.trim()).map(e => parseFloat(getComputedStyle(e).fontSize)))"
    )
    assert smallest >= 13
    # The articles table is a column of cards: nothing wider than the screen.
    assert page.evaluate("document.querySelector('table.outlets').scrollWidth") <= 390 - 16
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The coverage table scrolls sideways under its claims, which stay in view.
    page.locator("details.table summary").click()
    claim = page.locator("table.coverage tbody th").first
    before = claim.bounding_box()["x"]
    page.evaluate("document.querySelector('details.table .scroll').scrollLeft = 200")
    assert claim.bounding_box()["x"] == before and claim.is_visible()
    assert visit.problems == []
    visit.close()


def focused_href(page) -> str | None:
    return page.evaluate("document.activeElement.getAttribute('href')")


def test_the_keyboard_goes_through_the_coverage_map_row_by_row_and_can_skip_it(browser, site):
    visit = Visit(browser, (site / "index.html").as_uri(), viewport={"width": 1400, "height": 900})
    page = visit.page
    page.locator("#coverage").scroll_into_view_if_needed()
    page.focus("a[href$='claims/index.html'] >> nth=1")  # the link just before the map
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-map"
    assert page.locator("a.skip-map").is_visible()
    stops = []
    for _ in range(12):
        page.keyboard.press("Tab")
        stops.append(focused_href(page))
    # A row's label, then that row's squares, then the next row's label.
    # Each row is a part of a claim: its label leads to the part on the claim's page.
    assert stops[5] == "claims/israel-foreign-ministry-statement.html#hamas-worse-than-isis"
    assert all("#s-hamas-worse-than-isis" in stop for stop in stops[6:9])
    assert stops[9] == "claims/israel-foreign-ministry-statement.html#hamas-hands-stained-with-blood"
    page.focus("a.skip-map")
    page.keyboard.press("Enter")
    page.wait_for_url("**#coverage-table")  # the address changes once the key is handled, not at once
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    # A label that is a link looks like one.
    label = page.locator("svg.heat-map a text.row").first
    link = page.locator("main a").first
    assert label.evaluate("e => getComputedStyle(e).fill") == link.evaluate("e => getComputedStyle(e).color")
    assert "underline" in label.evaluate("e => getComputedStyle(e).textDecorationLine")
    visit.close()
