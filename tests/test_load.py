"""Loading: the real archive reads as expected, and every kind of bad input is named with its line."""

import datetime
import os
import time
from pathlib import Path

import pytest

from parallax import cache as cache_module
from parallax.cache import Cache, settled_signature
from parallax.cli import main
from parallax.load import articles as articles_module
from parallax.load import claims as claims_module
from parallax.load import load_archive
from parallax.model import Archive, ArchiveErrors

from conftest import MINISTRY


def errors_of(small) -> list[str]:
    with pytest.raises(ArchiveErrors) as caught:
        small.load()
    return [str(error) for error in caught.value.errors]


def test_the_real_archive_has_five_articles_in_date_order(archive):
    assert [a.id for a in archive.articles] == [
        "jns-israel-rebukes-russia-for-hosting-hamas",
        "forumdaily-iran-and-hamas-met-in-moscow",
        "jpost-russia-rejects-terror-accusation",
        "mixedtimes-hamas-sends-envoy-to-moscow",
        "reuters-repost-hamas-delegation-visits-moscow",
    ]
    assert archive.articles[0].published == datetime.date(2023, 10, 26)


def test_front_matter_keeps_what_is_known_and_leaves_out_the_rest(archive):
    forumdaily = archive.article("forumdaily-iran-and-hamas-met-in-moscow")
    assert forumdaily.outlet == "ForumDaily"
    assert forumdaily.translated_from == "ru"
    assert forumdaily.author is None
    repost = archive.article("reuters-repost-hamas-delegation-visits-moscow")
    assert repost.title is None and repost.url is None
    assert repost.display_title == "Untitled article (Reuters)"
    assert all(article.capture and article.capture.is_file() for article in archive.articles)
    assert all(article.edits for article in archive.articles)


def test_body_becomes_plain_text_with_blocks(archive):
    jpost = archive.article("jpost-russia-rejects-terror-accusation")
    heading = next(block for block in jpost.blocks if block.kind == "h2")
    assert jpost.text[heading.start : heading.end] == "An important regional player"
    assert "##" not in jpost.text
    assert jpost.text.split("\n\n") == [jpost.text[b.start : b.end] for b in jpost.blocks]
    lines = jpost.path.read_text().split("\n")
    for block in jpost.blocks:
        assert jpost.text[block.start : block.end] in " ".join(lines[block.line - 1].split())


def test_claims_are_read_in_file_order_with_their_lines(archive):
    assert len(archive.claims) >= 10
    first, second = archive.claims[:2]
    assert first.id == "israel-foreign-ministry-statement"
    assert first.kind == "quote"
    assert first.date == datetime.date(2023, 10, 26)
    assert [part.id for part in first.parts][:2] == ["hamas-worse-than-isis", "hamas-hands-stained-with-blood"]
    assert first.parts[0].renderings == ("terrorist organization worse than ISIS",)
    assert [version.id for version in first.versions] == ["english", "english-haiat", "russian", "via-russian"]
    assert first.version("via-russian").translated_from == "russian"
    assert second.id == "russian-foreign-ministry-statement" and second.line > first.line
    assert archive.title.startswith("A Hamas delegation in Moscow")


def test_byte_order_mark_and_crlf_are_tolerated(small):
    path = small.root / "articles" / "daily-one.md"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    article = small.load().article("daily-one")
    assert article.outlet == "The Daily"
    assert article.text.endswith("The talks ended on Friday.")


@pytest.mark.parametrize(
    "content, expected",
    [
        ("No front matter here.\n", "articles/bad.md:1: no front matter"),
        ("---\noutlet: X\n\nText.\n", "articles/bad.md:1: front matter is never closed"),
        (
            "---\noutlet: [X\npublished: 2024-01-01\n---\nText.\n",
            "articles/bad.md:2: invalid YAML: a '[' opened here is never closed",
        ),
        (
            "---\noutlet: X\npublished: 2024-01-01\nlanguage: en\nautor: Y\n---\nText.\n",
            "articles/bad.md:5: unknown field 'autor'",
        ),
        ("---\noutlet: X\nlanguage: en\n---\nText.\n", "articles/bad.md:2: front matter has no 'published'"),
        (
            "---\noutlet: X\npublished: 2024-13-01\nlanguage: en\n---\nText.\n",
            "articles/bad.md:3: 'published' is 2024-13-01, not a real date: there is no month 13",
        ),
        (
            "---\noutlet: X\npublished: 2024-01-01\nlanguage: english\n---\nText.\n",
            "articles/bad.md:4: 'language' must be a language code",
        ),
        (  # other ISO 8601 forms are not the one the archive writes
            "---\noutlet: X\npublished: 20240101\nlanguage: en\n---\nText.\n",
            "articles/bad.md:3: 'published' must be a date written YYYY-MM-DD, not 20240101",
        ),
        (
            "---\noutlet: X\npublished: 2024-W01-1\nlanguage: en\n---\nText.\n",
            "articles/bad.md:3: 'published' must be a date written YYYY-MM-DD, not '2024-W01-1'",
        ),
        (
            "---\noutlet: 42\npublished: 2024-01-01\nlanguage: en\n---\nText.\n",
            "articles/bad.md:2: 'outlet' must be text",
        ),
        (
            "---\noutlet: X\npublished: 2024-01-01\nlanguage: en\nurl: javascript:alert(1)\n---\nText.\n",
            "articles/bad.md:5: 'url' must be an http:// or https:// address",
        ),
        (  # an address that merely contains one is not one
            "---\noutlet: X\npublished: 2024-01-01\nlanguage: en\nurl: \"javascript:alert('https://x')\"\n---\nText.\n",
            "articles/bad.md:5: 'url' must be an http:// or https:// address",
        ),
        (
            "---\noutlet: X\noutlet: Y\npublished: 2024-01-01\n---\nText.\n",
            "articles/bad.md:3: invalid YAML: duplicate key 'outlet'",
        ),
        (
            "---\noutlet: X\npublished: 2024-01-01\nlanguage: en\n---\n\nOne.\n\nTwo <script>alert(1)</script>\n",
            "articles/bad.md:9: HTML is not allowed",
        ),
        ("---\noutlet: X\npublished: 2024-01-01\nlanguage: en\n---\n\n", "articles/bad.md:6: the article has no text"),
    ],
)
def test_bad_article_is_named_with_its_line(small, content, expected):
    (small.root / "articles" / "bad.md").write_text(content, encoding="utf-8")
    (message,) = errors_of(small)
    assert message.removeprefix(str(small.root) + "/").startswith(expected)


def test_non_utf8_bytes_are_named_with_their_line(small):
    (small.root / "articles" / "latin.md").write_bytes(
        b"---\noutlet: X\npublished: 2024-01-01\nlanguage: en\n---\n\nCaf\xe9 society.\n"
    )
    (message,) = errors_of(small)
    assert message.endswith("articles/latin.md:7: not UTF-8 text (byte 0xe9); save the file as UTF-8")


def test_file_name_must_be_a_usable_address(small):
    (small.root / "articles" / "Bad Name.md").write_text("---\noutlet: X\n---\n", encoding="utf-8")
    (message,) = errors_of(small)
    assert "Bad Name.md: file name must be lower-case letters and digits joined by hyphens" in message


def test_body_must_stand_in_its_capture(small):
    captures = small.root / "articles" / "captures"
    captures.mkdir()
    (captures / "daily-one.txt").write_text(
        "The ministry said:\n“We will not accept any attempt to blame us for the failure of\nthe talks in Geneva.”\n\nCookie banner\n"
    )
    path = small.root / "articles" / "daily-one.md"
    path.write_text(path.read_text().replace("language: en\n", "language: en\ncapture: captures/daily-one.txt\n"))
    (message,) = errors_of(small)
    assert message.endswith(
        'articles/daily-one.md:11: paragraph not found in its capture daily-one.txt: "The talks ended on Friday."'
    )


@pytest.mark.parametrize("capture", ["../../../etc/passwd", "../claims.yaml", "../articles/../claims.yaml"])
def test_capture_must_be_inside_the_articles_folder(small, capture):
    path = small.root / "articles" / "daily-one.md"
    path.write_text(path.read_text().replace("language: en\n", f"language: en\ncapture: {capture}\n"))
    (message,) = errors_of(small)
    assert "'capture' must be a file inside" in message and message.endswith(f"not {capture}")


@pytest.mark.parametrize(
    "claims, expected",
    [
        (
            "- id: a\n  statement: S\n  speaker: P\n  channel: C\n  kind: quote\n"
            "- id: a\n  statement: T\n  speaker: P\n  channel: C\n  kind: quote\n",
            "claims.yaml:9: claim id 'a' is used twice (first on line 4)",
        ),
        (
            "- id: a\n  statement: S\n  speaker: P\n  channel: C\n  kind: rumour\n",
            "claims.yaml:8: 'kind' must be one of quote, passage, paraphrase",
        ),
        (
            "- id: A b\n  statement: S\n  speaker: P\n  channel: C\n  kind: quote\n",
            "claims.yaml:4: 'id' must be lower-case letters",
        ),
        ("- id: a\n  speaker: P\n  channel: C\n  kind: quote\n", "claims.yaml:4: claim has no 'statement'"),
        (
            "- id: a\n  statement: 'unclosed\n",
            "claims.yaml:5: invalid YAML: a quotation mark opened here is never closed",
        ),
        ("- just a string\n", "claims.yaml: claim must be a mapping of fields"),
    ],
)
def test_bad_claims_are_named_with_their_line(small, claims, expected):
    (small.root / "claims.yaml").write_text("story:\n  title: T\nclaims:\n" + claims, encoding="utf-8")
    (message,) = errors_of(small)
    assert message.removeprefix(str(small.root) + "/").startswith(expected)


def test_every_error_is_reported_at_once_in_file_order(small):
    (small.root / "articles" / "b.md").write_text("nothing\n", encoding="utf-8")
    (small.root / "articles" / "a.md").write_text("---\noutlet: [\n---\n", encoding="utf-8")
    (small.root / "claims.yaml").write_text("story: {title: T}\nclaims: {}\n", encoding="utf-8")
    messages = [m.removeprefix(str(small.root) + "/") for m in errors_of(small)]
    assert [m.split(":")[0] for m in messages] == ["articles/a.md", "articles/b.md", "claims.yaml"]


def loaded_with(small, cache: Cache, monkeypatch) -> tuple[Archive, list[str]]:
    """The archive loaded with `cache`, and the articles that were parsed, not taken from it."""
    parsed = []
    parse = articles_module.load_article

    def counted(path, *more):
        parsed.append(path.stem)
        return parse(path, *more)

    monkeypatch.setattr(articles_module, "load_article", counted)
    return load_archive(small.root, cache=cache), parsed


def test_an_unchanged_article_is_not_parsed_again_and_loads_the_same(small, monkeypatch):
    cache = Cache()
    first, parsed = loaded_with(small, cache, monkeypatch)
    assert parsed == ["daily-one", "herald-two"]
    again, parsed = loaded_with(small, Cache(cache.saved()), monkeypatch)
    assert parsed == [] and again == first == load_archive(small.root)


def test_an_article_whose_file_or_capture_changed_is_parsed_again(small, monkeypatch):
    captures = small.root / "articles" / "captures"
    captures.mkdir()
    capture = captures / "daily-one.txt"
    capture.write_text(f"The ministry said: “{MINISTRY}.”\n\nThe talks ended on Friday.\n")
    daily = small.root / "articles" / "daily-one.md"
    daily.write_text(daily.read_text().replace("language: en\n", "language: en\ncapture: captures/daily-one.txt\n"))
    cache = Cache()
    loaded_with(small, cache, monkeypatch)

    capture.write_text(f"The ministry said: “{MINISTRY}.”\n")  # the article no longer stands in it
    with pytest.raises(ArchiveErrors, match="paragraph not found in its capture"):
        loaded_with(small, Cache(cache.saved()), monkeypatch)

    herald = small.root / "articles" / "herald-two.md"
    herald.write_text(herald.read_text().replace("Negotiators", "Diplomats"))
    capture.write_text(f"The ministry said: “{MINISTRY}.”\n\nThe talks ended on Friday.\n")
    archive, parsed = loaded_with(small, Cache(cache.saved()), monkeypatch)
    assert parsed == ["herald-two"]  # the capture as it was: the article kept is good again
    assert "Diplomats left the city." in archive.articles[1].text
    assert archive == load_archive(small.root)


def files_read(monkeypatch, archive: Path) -> list[str]:
    """The names of the archive's files read from now on."""
    read: list[str] = []
    read_bytes = Path.read_bytes

    def counted(path):
        if path.resolve().is_relative_to(archive.resolve()):
            read.append(path.name)
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", counted)
    return read


def test_a_file_unchanged_since_the_last_build_is_not_read_again(small, monkeypatch):
    """Its signature (inode, size, times) is the one it had when it was read: it is taken as it
    was, not read and hashed again (half a second for 10,000 articles), nor is its capture
    (a saved page may weigh megabytes)."""
    monkeypatch.setattr(cache_module, "SETTLED_NS", 0)  # the files were written just now: see below
    with_capture(small)
    cache = Cache()
    first = load_archive(small.root, cache=cache)
    read = files_read(monkeypatch, small.root)
    again = load_archive(small.root, cache=Cache(cache.saved()))
    assert read == [] and again == first


def test_a_file_changed_to_the_same_size_and_time_is_read_again(small, monkeypatch):
    """Its time of change (which no tool sets back) tells it, whatever its size and modification
    time say; a capture so changed likewise, and the article is checked against it again."""
    monkeypatch.setattr(cache_module, "SETTLED_NS", 0)
    capture = with_capture(small)
    cache = Cache()
    load_archive(small.root, cache=cache)
    herald = small.root / "articles" / "herald-two.md"
    same_size_and_time(herald, "Negotiators", "Peacemakers")
    read = files_read(monkeypatch, small.root)
    archive = load_archive(small.root, cache=Cache(cache.saved()))
    assert read == ["herald-two.md"] and "Peacemakers left the city." in archive.articles[1].text
    same_size_and_time(capture, "Friday", "Monday")  # the article no longer stands in it
    with pytest.raises(ArchiveErrors, match="paragraph not found in its capture"):
        load_archive(small.root, cache=Cache(cache.saved()))


def with_capture(small) -> Path:
    """The small archive's first article checked against a capture, written here."""
    (small.root / "articles" / "captures").mkdir()
    capture = small.root / "articles" / "captures" / "daily-one.txt"
    capture.write_text(f"The ministry said: “{MINISTRY}.”\n\nThe talks ended on Friday.\n")
    daily = small.root / "articles" / "daily-one.md"
    daily.write_text(daily.read_text().replace("language: en\n", "language: en\ncapture: captures/daily-one.txt\n"))
    return capture


def same_size_and_time(path: Path, old: str, new: str) -> None:
    """Replace `old` by `new`, as long, in the file, and set its time of modification back."""
    before = path.stat()
    path.write_text(path.read_text().replace(old, new.ljust(len(old))))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns


def test_a_file_changed_moments_ago_is_read_again_whatever_its_signature(small, monkeypatch):
    """Changed again within the resolution of its time stamps, it could keep its signature: one
    changed less than SETTLED_NS ago has none, and is read at every build until it settles."""
    herald = small.root / "articles" / "herald-two.md"
    assert settled_signature(herald) is None
    cache = Cache()
    load_archive(small.root, cache=cache)
    read = files_read(monkeypatch, small.root)
    load_archive(small.root, cache=Cache(cache.saved()))
    assert sorted(read) == ["claims.yaml", "daily-one.md", "herald-two.md"]
    now = time.time_ns()
    monkeypatch.setattr(cache_module.time, "time_ns", lambda: now + cache_module.SETTLED_NS)
    assert settled_signature(herald) is not None


def test_a_file_settled_after_its_story_was_built_is_taken_by_its_signature_once_built_again(small, monkeypatch):
    """An unchanged story keeps its file of the cache; but where a file of it was read for want
    of a signature the file lacks (changed moments before that build, or since copied or checked
    out), the file is written again with it: else that file would be read at every build."""
    build = ["build", "--source", str(small.root), "--jobs", "1"]
    assert main(build) == 0  # every file written moments ago: none has a signature yet
    monkeypatch.setattr(cache_module, "SETTLED_NS", 0)
    assert main(build) == 0  # the story unchanged, each file read again, its signature taken now
    read = files_read(monkeypatch, small.root)
    assert main(build) == 0
    assert [name for name in read if name.endswith((".md", ".yaml"))] == []  # the articles and claims


def test_an_article_with_an_error_or_a_warning_is_reported_at_every_build(small, monkeypatch):
    (small.root / "articles" / "bad.md").write_text(
        "---\noutlet: X\npublished: 2024-01-01\nlanguage: english\n---\n\nText.\n", encoding="utf-8"
    )
    later = datetime.date.today() + datetime.timedelta(days=30)
    herald = small.root / "articles" / "herald-two.md"
    herald.write_text(herald.read_text().replace("published: 2024-03-02", f"published: {later}"))
    cache = Cache()
    for _ in range(2):
        with pytest.raises(ArchiveErrors) as caught:
            loaded_with(small, cache, monkeypatch)
        (error,) = caught.value.errors
        assert error.path.name == "bad.md" and error.line == 4
        cache = Cache(cache.saved())
    (small.root / "articles" / "bad.md").unlink()
    for _ in range(2):
        archive, parsed = loaded_with(small, cache, monkeypatch)
        assert "herald-two" in parsed and any("later than today" in warning for warning in archive.warnings)
        cache = Cache(cache.saved())


def claims_read_with(small, cache: Cache, monkeypatch) -> tuple[Archive, int]:
    """The archive loaded with `cache`, and how many claims files were read, not taken from it."""
    read = []
    read_claims = claims_module.read_claims
    monkeypatch.setattr(claims_module, "read_claims", lambda *given: read.append(given) or read_claims(*given))
    return load_archive(small.root, cache=cache), len(read)


def test_an_unchanged_claims_file_is_not_read_again_and_loads_the_same(small, monkeypatch):
    cache = Cache()
    first, read = claims_read_with(small, cache, monkeypatch)
    assert read == 1
    again, read = claims_read_with(small, Cache(cache.saved()), monkeypatch)
    assert read == 0 and again == first == load_archive(small.root)
    small.claims(
        small.root.joinpath("claims.yaml").read_text().split("claims:\n", 1)[1].replace("statement\n", "briefing\n")
    )
    changed, read = claims_read_with(small, Cache(cache.saved()), monkeypatch)
    assert read == 1 and changed.stories[0].claims[0].channel == "briefing"


def test_a_claims_file_taken_from_the_cache_is_kept_for_the_build_after(small, monkeypatch):
    # A story's file of the cache is made anew when an article changes: it must hold the claims
    # file it took from the last one, or the build after reads it again, and every one after.
    cache = Cache()
    claims_read_with(small, cache, monkeypatch)
    for _ in range(3):
        cache = Cache(cache.saved())
        _, read = claims_read_with(small, cache, monkeypatch)
        assert read == 0


def test_a_claims_file_with_a_warning_is_read_and_warned_of_at_every_build(small, monkeypatch):
    later = datetime.date.today() + datetime.timedelta(days=30)
    path = small.root / "claims.yaml"
    path.write_text(path.read_text().replace("date: 2024-03-01", f"date: {later}"))
    cache = Cache()
    for _ in range(2):
        archive, read = claims_read_with(small, cache, monkeypatch)
        assert read == 1 and any("later than today" in warning for warning in archive.warnings)
        cache = Cache(cache.saved())
