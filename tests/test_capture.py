"""Saved pages and WARC files read into an article's body and metadata (parallax.capture).

Every page here is written by the test itself, so these run without the labelled pages that
bench/extraction.py measures against.
"""

from __future__ import annotations

import codecs
import gzip
import io

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from parallax.capture import Page, decode, language_tag, page_text, read_page, site_name, warc_pages

PARAGRAPHS = [
    "The harbour authority said on Tuesday that the eastern pier would stay closed until engineers "
    "had finished inspecting the damage left by last week's storm, which tore away part of the railing.",
    "Fishermen who moor their boats along the pier said the closure had already cost them two days "
    "of work, and asked the council to open the western slipway to them in the meantime.",
    "A spokesperson for the council said that the request was being considered and that a decision "
    "would be announced before the weekend, once the engineers had given their first report.",
]
SUBHEAD = "What happens next"
LAST = (
    "The inspection is expected to take at least ten days. Repairs, if they are needed, would begin "
    "in the spring, when the weather allows divers to work safely beneath the pier."
)


def page(
    paragraphs: list[str] = PARAGRAPHS,
    *,
    head: str = "",
    lang: str | None = "en-GB",
    title: str = "Storm damage keeps eastern pier closed",
    extra: str = "",
    metadata: bool = True,
) -> str:
    """A whole news page around an article: navigation, the article, a footer."""
    meta = (
        f"<title>{title} | The Harbour Gazette</title>"
        '<meta property="og:site_name" content="The Harbour Gazette">'
        '<meta name="author" content="Jane Smith">'
        '<meta property="article:published_time" content="2024-03-05T09:30:00+00:00">'
        '<link rel="canonical" href="https://gazette.example/news/pier-closed">'
        if metadata
        else ""
    )
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    lang_attribute = f' lang="{lang}"' if lang else ""
    heading = f"<h1>{title}</h1>" if metadata else ""
    return (
        f"<!DOCTYPE html><html{lang_attribute}><head>{head}{meta}</head><body>"
        '<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>'
        f"<article>{heading}{body}<h2>{SUBHEAD}</h2><p>{LAST}</p>{extra}</article>"
        "<footer><p>Copyright The Harbour Gazette. All rights reserved.</p></footer>"
        "</body></html>"
    )


def test_a_utf8_page_gives_its_paragraphs_subheads_and_metadata():
    result = read_page(page().encode("utf-8"), "https://gazette.example/news/pier-closed")
    assert isinstance(result, Page)
    assert ("h2", SUBHEAD) in result.blocks
    assert [text for kind, text in result.blocks if kind == "p"][-4:] == [*PARAGRAPHS, LAST]
    assert result.text == "\n\n".join(text for _, text in result.blocks)
    assert "All rights reserved" not in result.text
    assert result.title == "Storm damage keeps eastern pier closed"
    assert result.author == "Jane Smith"
    assert result.date == "2024-03-05"
    assert result.outlet == "The Harbour Gazette"
    assert result.language == "en-GB"
    assert result.url == "https://gazette.example/news/pier-closed"


def test_the_page_is_frozen():
    result = read_page(page().encode("utf-8"), None)
    with pytest.raises(AttributeError):
        result.title = "Another"  # type: ignore[misc]


RUSSIAN = [
    "Администрация порта сообщила во вторник, что восточный пирс останется закрытым до тех пор, "
    "пока инженеры не закончат осмотр повреждений, оставленных штормом на прошлой неделе.",
    "Рыбаки, которые швартуют свои лодки у пирса, сказали, что закрытие уже стоило им двух дней "
    "работы, и попросили совет открыть для них западный спуск.",
    "Представитель совета сказал, что просьба рассматривается и решение будет объявлено до выходных.",
]
FRENCH = [
    "L'autorité portuaire a annoncé mardi que la jetée est resterait fermée jusqu'à ce que les "
    "ingénieurs aient terminé l'inspection des dégâts laissés par la tempête de la semaine dernière.",
    "Les pêcheurs qui amarrent leurs bateaux le long de la jetée ont déclaré que la fermeture leur "
    "avait déjà coûté deux journées de travail, et ont demandé au conseil d'ouvrir la cale ouest.",
    "Un porte-parole du conseil a déclaré que la demande était à l'étude et qu'une décision serait "
    "annoncée avant le week-end, après le premier rapport des ingénieurs.",
]


@pytest.mark.parametrize(
    ("paragraphs", "encoding", "head"),
    [
        (RUSSIAN, "windows-1251", '<meta charset="windows-1251">'),
        (RUSSIAN, "windows-1251", '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'),
        (FRENCH, "iso-8859-1", '<meta charset="ISO-8859-1">'),
        (FRENCH, "iso-8859-1", "<meta http-equiv='content-type' content='text/html;charset=iso-8859-1'>"),
    ],
)
def test_a_page_is_decoded_as_its_meta_declares(paragraphs, encoding, head):
    data = page(paragraphs, head=head, lang="ru").encode(encoding)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # so the declaration is what decodes it
    result = read_page(data, None)
    for paragraph in paragraphs:
        assert paragraph in result.text


def test_an_undeclared_page_in_a_legacy_encoding_is_detected():
    data = page(RUSSIAN, lang=None).encode("windows-1251")
    assert RUSSIAN[0] in read_page(data, None).text


def test_a_page_saved_as_utf8_keeps_its_text_whatever_its_meta_says():
    data = page(RUSSIAN, head='<meta charset="windows-1251">').encode("utf-8")
    assert RUSSIAN[0] in read_page(data, None).text


@pytest.mark.parametrize(("bom", "encoding"), [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le")])
def test_a_byte_order_mark_wins_over_a_declaration(bom, encoding):
    data = bom + page(FRENCH, head='<meta charset="windows-1251">').encode(encoding)
    result = read_page(data, None)
    assert FRENCH[1] in result.text
    assert not result.text.startswith("\ufeff")


def test_a_gzip_compressed_page_is_read_as_the_page():
    plain = page().encode("utf-8")
    assert read_page(gzip.compress(plain), None) == read_page(plain, None)


def test_a_declaration_outside_the_page_is_used():
    data = page(RUSSIAN).encode("windows-1251")
    assert decode(data, "windows-1251") == page(RUSSIAN)


def test_script_and_style_text_never_reach_the_body():
    scripts = (
        "<script>var secret = 'ScriptTextMustNotAppear'; document.write(secret);</script>"
        '<script type="application/ld+json">{"headline": "JsonLdTextMustNotAppear"}</script>'
        "<style>.x { content: 'StyleTextMustNotAppear'; }</style>"
        "<noscript>NoscriptTextMustNotAppear</noscript>"
    )
    result = read_page(page(head=scripts, extra=scripts).encode("utf-8"), None)
    assert PARAGRAPHS[0] in result.text
    for marker in ("ScriptTextMustNotAppear", "JsonLdTextMustNotAppear", "StyleTextMustNotAppear", "document.write"):
        assert marker not in result.text


@pytest.mark.parametrize("address", [None, "https://gazette.example/news/pier-closed?from=feed"])
def test_a_page_without_metadata_leaves_every_field_none(address):
    result = read_page(page(metadata=False, lang=None).encode("utf-8"), address)
    assert PARAGRAPHS[0] in result.text
    assert (result.title, result.author, result.date, result.outlet, result.language, result.url) == (None,) * 6


@pytest.mark.parametrize("data", [b"", b"   ", gzip.compress(b""), b"\x00\x01\x02 not a page"])
def test_nothing_to_read_gives_an_empty_page(data):
    result = read_page(data, None)
    assert result.text == ""
    assert result.blocks == []


def test_an_unknown_setting_is_refused_not_ignored():
    with pytest.raises(ValueError, match="favor"):
        read_page(page().encode("utf-8"), None, favor="precise")


def test_a_truncated_gzip_file_is_said_to_be_unreadable():
    with pytest.raises(ValueError, match="gzip"):
        read_page(gzip.compress(page().encode("utf-8"))[:100], None)


def test_a_gzip_bomb_is_refused_before_it_is_unpacked_whole(monkeypatch):
    monkeypatch.setattr("parallax.capture.MAX_PAGE", 1000)
    with pytest.raises(ValueError, match="more than"):
        read_page(gzip.compress(b" " * 5000), None)


@pytest.mark.parametrize(
    ("written", "tag"),
    [
        ("en", "en"),
        ("EN-us", "en-US"),
        ("en_GB", "en-GB"),
        ("pt-br", "pt-BR"),
        ("zh-hant-tw", "zh-Hant-TW"),
        ("utf-8", None),
        ("", None),
    ],
)
def test_language_tags_are_written_as_the_archive_writes_them(written, tag):
    assert language_tag(written) == tag


def test_the_language_may_come_from_a_meta_when_html_has_no_lang():
    head = '<meta http-equiv="content-language" content="fr">'
    assert read_page(page(FRENCH, head=head, lang=None).encode("utf-8"), None).language == "fr"


# -- WARC -------------------------------------------------------------------------------------


def warc(compress: bool) -> tuple[bytes, list[tuple[str, str, bytes]]]:
    """A WARC of a warcinfo, two HTML responses (one in windows-1251), a request and an image."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compress)
    writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "test"}))
    pages = [
        ("https://gazette.example/news/pier-closed", "2024-03-05T10:00:00Z", page().encode("utf-8"), "utf-8"),
        (
            "https://vestnik.example/news/pirs",
            "2024-03-06T11:30:00Z",
            page(RUSSIAN, lang="ru").encode("windows-1251"),
            "windows-1251",
        ),
    ]
    for uri, date, payload, charset in pages:
        headers = StatusAndHeaders(
            "200 OK",
            [("Content-Type", f"text/html; charset={charset}"), ("Content-Length", str(len(payload)))],
            protocol="HTTP/1.1",
        )
        record = writer.create_warc_record(
            uri, "response", payload=io.BytesIO(payload), http_headers=headers, warc_headers_dict={"WARC-Date": date}
        )
        writer.write_record(record)
        request = writer.create_warc_record(
            uri,
            "request",
            payload=io.BytesIO(b""),
            http_headers=StatusAndHeaders(f"GET {uri} HTTP/1.1", [], is_http_request=True),
        )
        writer.write_record(request)
    image = b"\x89PNG\r\n\x1a\n" + bytes(64)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(
            "https://gazette.example/pier.png", "response", payload=io.BytesIO(image), http_headers=headers
        )
    )
    return out.getvalue(), [(uri, date, payload) for uri, date, payload, _ in pages]


@pytest.mark.parametrize("compress", [True, False])
def test_every_html_response_of_a_warc_is_found_with_its_address_and_date(compress):
    data, written = warc(compress)
    found = warc_pages(data)
    assert [(uri, date, payload) for uri, date, _, payload in found] == written
    for (_, _, stored, _), (_, _, payload) in zip(found, written):
        assert stored in data  # the record as it stands in the file, byte for byte
        assert warc_pages(stored)[0][3] == payload  # and a WARC of its own
    assert PARAGRAPHS[0] in read_page(found[0][3], found[0][0]).text
    assert RUSSIAN[0] in read_page(found[1][3], found[1][0], charset="windows-1251").text


def test_a_gzip_encoded_chunked_response_gives_the_page_itself():
    payload = page().encode("utf-8")
    body = gzip.compress(payload)
    chunked = f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    headers = StatusAndHeaders(
        "200 OK",
        [("Content-Type", "text/html"), ("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")],
        protocol="HTTP/1.1",
    )
    writer.write_record(
        writer.create_warc_record(
            "https://gazette.example/a", "response", payload=io.BytesIO(chunked), http_headers=headers
        )
    )
    [(_, _, _, found)] = warc_pages(out.getvalue())
    assert found == payload


# -- the page's text, which a body taken from it must stand in -----------------------------------


def test_every_block_stands_in_the_pages_text_and_scripts_do_not():
    scripts = "<script>var hidden = 'ScriptTextMustNotAppear';</script><style>p{}</style>"
    body = [
        *PARAGRAPHS[:2],
        "Prices rose by 5 &amp; 6 per cent, &ldquo;sharply&rdquo;, <em>said</em> the <a href='/x'>board</a>.",
    ]
    data = page(body, head=scripts, extra=scripts).encode("utf-8")
    whole = "".join(page_text(data).split())
    blocks = read_page(data, None).blocks
    assert any("5 & 6 per cent, “sharply”, said the board." in text for _, text in blocks)
    for _, text in blocks:
        assert "".join(text.split()) in whole
    assert "ScriptTextMustNotAppear" not in whole


def test_the_pages_text_is_decoded_as_the_page_is():
    data = gzip.compress(page(RUSSIAN, head='<meta charset="windows-1251">').encode("windows-1251"))
    assert RUSSIAN[2] in page_text(data)
    assert page_text(b"") == ""


@pytest.mark.parametrize(
    ("name", "declared", "outlet"),
    [
        ("The Harbour Gazette", True, "The Harbour Gazette"),
        ("gazette.example", False, None),  # only the address's host: not a name the page gives
        ("gazette.example", True, "gazette.example"),
        ("Copyright 2014", False, None),
        ("人民网版权所有", False, None),
        (None, True, None),
    ],
)
def test_a_site_name_is_the_pages_own(name, declared, outlet):
    assert site_name(name, "https://www.gazette.example/a", declared) == outlet
