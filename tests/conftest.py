"""Shared fixtures: the real archive of this repository, and small archives written per test; the
built site served over HTTP, and the browser that opens it."""

from __future__ import annotations

import contextlib
import datetime
import functools
import http.server
import json
import shutil
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from parallax.cli import main
from parallax.load import BodyConverter, load_archive
from parallax.match import shared_statements
from parallax.model import Article, Story
from parallax.pipeline import compared

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def archive():
    """The repository's archive: one story, loaded as the build loads it."""
    (story,) = load_archive(REPO).stories
    return story


@pytest.fixture(scope="session")
def statements(archive):
    return shared_statements(archive)


@pytest.fixture(scope="session")
def comparison(archive):
    return compared(archive)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real archive, built once."""
    output = tmp_path_factory.mktemp("built") / "site"
    assert main(["build", "--source", str(REPO), "--output", str(output)]) == 0
    return output


def article_from(body: str, article_id: str = "test") -> Article | None:
    """An article with this Markdown body and no file, as the loader would read it; None if the
    body has no text."""
    converted = BodyConverter().convert(body, 1, Path(f"{article_id}.md"), [])
    if converted is None:
        return None
    text, blocks = converted
    return Article(
        id=article_id,
        path=Path(f"{article_id}.md"),
        outlet=article_id,
        published=datetime.date(2024, 1, 1),
        language="en",
        title=None,
        author=None,
        url=None,
        translated_from=None,
        via=None,
        capture=None,
        edits=(),
        notes=None,
        text=text,
        blocks=blocks,
    )


def story_of(articles, claims=()) -> Story:
    """A story of these articles and claims, with no files."""
    return Story("a-story", "A story", None, Path("."), tuple(articles), tuple(claims))


def exported_story(site: Path) -> dict:
    """The entry of the one story in a built site's archive.json."""
    (story,) = json.loads((site / "data" / "archive.json").read_text(encoding="utf-8"))["stories"]
    return story


def site_files(site: Path) -> dict[str, bytes]:
    """Every file of a built site, by its path in the site; not what the build keeps for the next
    (.parallax-cache/), which depends on the builds before."""
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in site.rglob("*")
        if path.is_file() and ".parallax-cache" not in path.relative_to(site).parts
    }


def site_differences(site: Path, expected: Path, detailed: int = 3) -> list[str]:
    """How a built site differs from the one expected, one line per path: missing, extra, or
    changed (the first `detailed` of these with their first differing line). Empty if alike."""
    got, wanted = site_files(site), site_files(expected)
    lines = [f"{path} is missing" for path in sorted(wanted.keys() - got.keys())]
    lines += [f"{path} is there, and should not be" for path in sorted(got.keys() - wanted.keys())]
    changed = sorted(path for path in wanted.keys() & got.keys() if wanted[path] != got[path])
    for number, path in enumerate(changed):
        where = f": {first_difference(wanted[path], got[path])}" if number < detailed else ""
        lines.append(f"{path} differs{where}")
    return lines


def first_difference(wanted: bytes, got: bytes, shown: int = 80) -> str:
    """Where two files first differ: the line, and around the first differing character of it,
    what was expected and what was found."""
    try:
        wanted_lines, got_lines = wanted.decode().splitlines(), got.decode().splitlines()
    except UnicodeDecodeError:
        offset = next((n for n, (a, b) in enumerate(zip(wanted, got)) if a != b), min(len(wanted), len(got)))
        return f"byte {offset} (of {len(wanted)} expected, {len(got)} found)"
    if wanted_lines == got_lines:
        return f"the same lines, ended differently ({len(wanted)} bytes expected, {len(got)} found)"
    number = next(
        (n for n, (a, b) in enumerate(zip(wanted_lines, got_lines)) if a != b), min(len(wanted_lines), len(got_lines))
    )
    expected_line = wanted_lines[number] if number < len(wanted_lines) else "(no line)"
    found_line = got_lines[number] if number < len(got_lines) else "(no line)"
    column = next(
        (n for n, (a, b) in enumerate(zip(expected_line, found_line)) if a != b),
        min(len(expected_line), len(found_line)),
    )
    start = max(0, column - shown // 4)
    where = f"line {number + 1}" + (f", column {column + 1}" if start else "")
    return f"{where}: {expected_line[start : start + shown]!r} expected, {found_line[start : start + shown]!r} found"


ADDRESS = "https://archive.test/moscow-2023/"


@pytest.fixture(scope="session")
def published_site(tmp_path_factory) -> Path:
    """The real archive, built as it would be published: with the site's address set."""
    root = tmp_path_factory.mktemp("published")
    for folder in ("articles", "templates"):
        shutil.copytree(REPO / folder, root / folder)
    claims = (REPO / "claims.yaml").read_text(encoding="utf-8")
    (root / "claims.yaml").write_text(claims.replace("story:\n", f"story:\n  url: {ADDRESS}\n", 1), encoding="utf-8")
    output = root / "site"
    assert main(["build", "--source", str(root), "--output", str(output)]) == 0
    return output


MINISTRY = "We will not accept any attempt to blame us for the failure of the talks in Geneva"

# A claim that only The Daily carries, for the warnings about claims found in too few articles.
CLAIM_IN_ONE_ARTICLE = """\
- id: talks-ended-friday
  statement: The talks ended on Friday.
  speaker: The Daily
  channel: report
  kind: passage
"""

ARTICLE = """\
---
outlet: {outlet}
title: {title}
published: 2024-03-0{day}
language: en
---

{body}
"""


class SmallArchive:
    """An archive in a temporary folder, with the repository's templates: edit it, then load it."""

    def __init__(self, root: Path):
        self.root = root
        (root / "articles").mkdir(parents=True)
        shutil.copytree(REPO / "templates", root / "templates")
        self.article(
            "daily-one",
            "The Daily",
            "Talks collapse",
            1,
            f"The ministry said: “{MINISTRY}.”\n\nThe talks ended on Friday.",
        )
        self.article(
            "herald-two",
            "The Herald",
            "Geneva talks end",
            2,
            f"“{MINISTRY},” a spokesman said.\n\nNegotiators left the city.",
        )
        self.claims(
            """\
            - id: ministry-rejects-blame
              statement: "We will not accept any attempt to blame us for the failure of the talks."
              speaker: Ministry of Foreign Affairs
              channel: statement
              date: 2024-03-01
              kind: quote
            """
        )

    def article(self, slug: str, outlet: str, title: str, day: int, body: str) -> Path:
        path = self.root / "articles" / f"{slug}.md"
        path.write_text(ARTICLE.format(outlet=outlet, title=title, day=day, body=body), encoding="utf-8")
        return path

    def claims(self, claims_yaml: str) -> Path:
        path = self.root / "claims.yaml"
        path.write_text(
            "story:\n  title: Talks in Geneva\nclaims:\n" + textwrap.indent(textwrap.dedent(claims_yaml), "  "),
            encoding="utf-8",
        )
        return path

    def load(self):
        """Its one story."""
        (story,) = load_archive(self.root).stories
        return story


@pytest.fixture
def small(tmp_path) -> SmallArchive:
    return SmallArchive(tmp_path / "archive")


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serving(handler) -> Iterator[str]:
    """An HTTP server on 127.0.0.1, answering with `handler` while the block runs: its address."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def serving_folder(folder: Path):
    """A folder served as a static host serves it."""
    return serving(functools.partial(QuietHandler, directory=str(folder)))


@pytest.fixture(scope="module")
def server(site):
    """The site served over HTTP on 127.0.0.1, under a sub-path (/site/), as a static host would."""
    with serving_folder(site.parent) as address:
        yield f"{address}{site.name}/"
