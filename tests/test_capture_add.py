"""`add` imports a saved page, a WARC file or an address: the capture kept byte for byte, the
body its article's text, the front matter its metadata, and the build checking both afterwards.

Every page here is written by the test itself, and the address fetched is a server on 127.0.0.1.
"""

from __future__ import annotations

import gzip
import hashlib
import http.server
import io
import socket
from pathlib import Path

import pytest
import yaml
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from parallax.cli import main

from conftest import MINISTRY, serving

SECRET = "tracking-pixel-7f3a secret script words"


def page(
    title: str = "Geneva talks end without a deal",
    *,
    date: bool = True,
    extra: str = "",
    paragraphs: tuple[str, ...] = (),
) -> str:
    """A whole news page around an article, with its metadata in the head."""
    published = '<meta property="article:published_time" content="2024-03-04T09:30:00+00:00">' if date else ""
    body = paragraphs or (
        f"The talks ended in Geneva on Saturday. “{MINISTRY},” the foreign ministry said in a statement "
        "issued late in the evening, after the delegations had left the hotel by the lake.",
        "Diplomats from both sides said that they expected the negotiations to resume in the spring, "
        "although no date had been agreed and neither government would say where they might be held.",
        "Observers noted that the mood at the final session had been tense, and that the closing "
        "statements were read out without questions from the press, who had waited outside for hours.",
    )
    return (
        f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{title} | The Tribune</title>'
        '<meta property="og:site_name" content="The Tribune">'
        '<meta name="author" content="Jane Smith">'
        f"{published}"
        '<link rel="canonical" href="https://tribune.example/geneva">'
        f"<script>var s = '{SECRET}';</script></head><body>"
        '<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>'
        f"<article><h1>{title}</h1>{''.join(f'<p>{p}</p>' for p in body)}{extra}</article>"
        "<footer><p>Copyright The Tribune.</p></footer></body></html>"
    )


def add(small, capture, *more: str) -> int:
    return main(["add", str(capture), "--source", str(small.root), *more])


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def articles_of(small) -> list[Path]:
    return sorted((small.root / "articles").glob("*.md"))


@pytest.fixture
def downloads(tmp_path) -> Path:
    folder = tmp_path / "downloads"
    folder.mkdir()
    return folder


def test_a_saved_page_gives_body_and_front_matter_and_an_option_overrides_the_page(small, downloads, capsys):
    saved = downloads / "geneva.html"
    saved.write_text(page(), encoding="utf-8")
    assert add(small, saved, "--author", "John Doe") == 0
    article = small.root / "articles" / "the-tribune-geneva-talks-end-without-a-deal.md"
    front = front_matter(article)
    assert front["outlet"] == "The Tribune" and front["title"] == "Geneva talks end without a deal"
    assert str(front["published"]) == "2024-03-04" and front["language"] == "en-GB"
    assert front["url"] == "https://tribune.example/geneva" and front["author"] == "John Doe"
    kept = small.root / "articles" / front["capture"]
    assert kept.name.endswith(".html") and kept.read_bytes() == saved.read_bytes()
    assert front["capture_sha256"] == hashlib.sha256(saved.read_bytes()).hexdigest()
    out = capsys.readouterr().out
    assert "From the page: outlet, title, published, url, language" in out
    assert "From the options: author" in out
    assert "It shares 1 statement with the archive:" in out
    loaded = small.load().article(article.stem)
    assert loaded.text.startswith("The talks ended in Geneva on Saturday.")
    assert main(["check", "--source", str(small.root)]) == 0


def test_a_page_without_a_date_is_one_line_and_nothing_is_written(small, downloads, capsys):
    saved = downloads / "page.html"
    saved.write_text(page(date=False), encoding="utf-8")
    before = articles_of(small)
    assert add(small, saved) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"error: {saved}: no publication date found in the page: give one with --published YYYY-MM-DD"]
    assert articles_of(small) == before and not (small.root / "articles" / "captures").exists()
    assert add(small, saved, "--published", "2024-03-05") == 0


def test_a_gzip_compressed_page_is_kept_compressed_and_read(small, downloads):
    saved = downloads / "geneva.html.gz"
    saved.write_bytes(gzip.compress(page().encode("utf-8")))
    assert add(small, saved) == 0
    article = small.root / "articles" / "the-tribune-geneva-talks-end-without-a-deal.md"
    kept = small.root / "articles" / front_matter(article)["capture"]
    assert kept.name.endswith(".html.gz") and kept.read_bytes() == saved.read_bytes()
    assert small.load().article(article.stem).text.startswith("The talks ended in Geneva")


def warc(*pages: tuple[str, str], compress: bool = False) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compress)
    for number, (uri, html) in enumerate(pages):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            uri,
            "response",
            payload=io.BytesIO(html.encode("utf-8")),
            http_headers=headers,
            warc_headers_dict={"WARC-Date": f"2024-03-0{number + 4}T10:00:00.{number}25Z"},  # WARC 1.1: fractions
        )
        writer.write_record(record)
    return out.getvalue()


TWO_PAGES = (
    ("https://tribune.example/geneva", page()),
    ("https://tribune.example/later", page("Talks may resume in spring")),
)


def test_each_html_response_of_a_warc_becomes_an_article_kept_as_its_own_warc(small, downloads):
    saved = downloads / "crawl.warc"
    saved.write_bytes(warc(*TWO_PAGES))
    before = set(articles_of(small))
    assert add(small, saved) == 0
    added = sorted(set(articles_of(small)) - before)
    assert [path.stem for path in added] == [
        "the-tribune-geneva-talks-end-without-a-deal",
        "the-tribune-talks-may-resume-in-spring",
    ]
    fronts = {path.stem: front_matter(path) for path in added}
    later = fronts["the-tribune-talks-may-resume-in-spring"]
    assert later["captured_from"] == "https://tribune.example/later"
    assert later["captured_at"] == "2024-03-05T10:00:00+00:00"
    for front in fronts.values():
        kept = small.root / "articles" / front["capture"]
        records = list(ArchiveIterator(io.BytesIO(kept.read_bytes())))
        assert len(records) == 1 and kept.read_bytes() in saved.read_bytes()
        assert front["capture_sha256"] == hashlib.sha256(kept.read_bytes()).hexdigest()
    assert main(["check", "--source", str(small.root)]) == 0


def test_url_picks_one_response_of_a_warc(small, downloads):
    saved = downloads / "crawl.warc.gz"
    saved.write_bytes(warc(*TWO_PAGES, compress=True))  # a gzip member for each record
    before = set(articles_of(small))
    assert add(small, saved, "--url", "https://tribune.example/later") == 0
    (added,) = set(articles_of(small)) - before
    assert added.stem == "the-tribune-talks-may-resume-in-spring"
    kept = small.root / "articles" / front_matter(added)["capture"]
    assert kept.name.endswith(".warc.gz") and kept.read_bytes()[:2] == b"\x1f\x8b"
    assert kept.read_bytes() in saved.read_bytes()
    assert main(["check", "--source", str(small.root)]) == 0


class Pages(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/old":
            self.send_response(301)
            self.send_header("Location", "/geneva")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path != "/geneva":
            self.send_error(404)
            return
        body = page().encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *arguments):
        pass


@pytest.fixture
def server():
    with serving(Pages) as address:
        yield address.rstrip("/")


def test_an_address_is_fetched_kept_as_a_warc_record_and_imported(small, server):
    address = f"{server}/geneva"
    assert add(small, address) == 0
    article = small.root / "articles" / "the-tribune-geneva-talks-end-without-a-deal.md"
    front = front_matter(article)
    assert front["captured_from"] == address and front["url"] == "https://tribune.example/geneva"
    kept = small.root / "articles" / front["capture"]
    assert kept.suffix == ".warc"
    records = []
    for record in ArchiveIterator(io.BytesIO(kept.read_bytes())):
        records.append(
            (
                record.rec_type,
                record.rec_headers.get_header("WARC-Target-URI"),
                record.http_headers.get_statuscode(),
                record.content_stream().read(),
            )
        )
    assert records == [("response", address, "200", page().encode("utf-8"))]
    assert small.load().article(article.stem).text.startswith("The talks ended in Geneva")
    assert main(["check", "--source", str(small.root)]) == 0


def test_an_address_not_found_or_refused_is_one_clear_line(small, server, capsys):
    before = articles_of(small)
    assert add(small, f"{server}/missing") == 1
    assert capsys.readouterr().err.strip() == f"error: {server}/missing: could not fetch it: HTTP 404 Not Found"
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    closed = f"http://127.0.0.1:{port}/geneva"
    assert add(small, closed) == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"error: {closed}: could not fetch it: ") and "refused" in line.lower()
    assert articles_of(small) == before and not (small.root / "articles" / "captures").exists()


def test_a_capture_edited_after_import_fails_the_build_naming_it(small, downloads, capsys):
    saved = downloads / "geneva.html"
    saved.write_text(page(), encoding="utf-8")
    assert add(small, saved) == 0
    article = small.root / "articles" / "the-tribune-geneva-talks-end-without-a-deal.md"
    kept = small.root / "articles" / front_matter(article)["capture"]
    kept.write_bytes(kept.read_bytes().replace(b"Saturday", b"Sunday"))
    capsys.readouterr()
    assert main(["build", "--source", str(small.root)]) == 1
    err = capsys.readouterr().err
    line = next(n for n, text in enumerate(article.read_text().splitlines(), 1) if text.startswith("capture_sha256"))
    assert f"{article}:{line}: the capture {kept.name} has changed since it was imported" in err


def test_a_body_paragraph_not_in_the_page_fails_the_check(small, downloads, capsys):
    saved = downloads / "geneva.html"
    saved.write_text(page(), encoding="utf-8")
    assert add(small, saved) == 0
    article = small.root / "articles" / "the-tribune-geneva-talks-end-without-a-deal.md"
    article.write_text(article.read_text().replace("on Saturday", "on Sunday"), encoding="utf-8")
    capsys.readouterr()
    assert main(["check", "--source", str(small.root)]) == 1
    assert (
        "paragraph not found in its capture the-tribune-geneva-talks-end-without-a-deal.html" in capsys.readouterr().err
    )


def test_a_pages_script_never_reaches_the_article_or_the_site(small, downloads):
    saved = downloads / "geneva.html"
    saved.write_text(page(extra=f"<script>document.write('{SECRET}')</script>"), encoding="utf-8")
    assert add(small, saved) == 0
    article = small.root / "articles" / "the-tribune-geneva-talks-end-without-a-deal.md"
    assert SECRET not in article.read_text(encoding="utf-8")
    assert main(["build", "--source", str(small.root)]) == 0
    site = small.root / "site"
    for path in site.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


def test_a_text_capture_still_needs_its_outlet_and_date(small, downloads, capsys):
    saved = downloads / "notes.txt"
    saved.write_text("The talks ended in Geneva on Saturday.\n", encoding="utf-8")
    assert add(small, saved, "--published", "2024-03-04") == 1
    assert capsys.readouterr().err.strip() == f"error: {saved}: no outlet: give one with --outlet NAME"


def test_a_redirect_is_kept_as_the_response_it_led_to(small, server):
    assert add(small, f"{server}/old") == 0
    article = small.root / "articles" / "the-tribune-geneva-talks-end-without-a-deal.md"
    assert front_matter(article)["captured_from"] == f"{server}/geneva"


def test_ids_are_made_from_any_script_and_never_collide(small, downloads):
    """Pages whose outlet and headline are in other scripts get ids transliterated, cut to a file
    name's length; two pages that would take one id take it and the next."""
    saved = downloads / "crawl.warc"
    saved.write_bytes(
        warc(
            ("https://ria.example/1", page("Переговоры в Женеве завершились").replace("The Tribune", "РИА Новости")),
            ("https://ria.example/2", page("Переговоры в Женеве завершились").replace("The Tribune", "РИА Новости")),
            (
                "https://people.example/3",
                page("中国航天技术更好惠及人民习近平主席向首届中国拉美和加勒比国家航天合作论坛致贺信"),
            ),
        )
    )
    before = set(articles_of(small))
    assert add(small, saved) == 0
    added = [path.stem for path in sorted(set(articles_of(small)) - before)]
    ria = "ria-novosti-peregovory-v-zheneve-zavershilis"
    assert {ria, f"{ria}-2"} < set(added)
    assert len(added) == 3 and all(len(stem) <= 60 for stem in added)
    assert main(["check", "--source", str(small.root)]) == 0
