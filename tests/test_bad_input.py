"""The catalogue of bad and hostile input: each case ends in a one-line error naming the file
(and line), or in a safe build that shows the text as text. Either way the archive's files are
untouched, nothing is written outside the output folder, and a previous site stays as it was.

The README lists every case with its outcome; keep the two in step.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MINISTRY, REPO, exported_story

FRONT = "---\noutlet: X\npublished: 2024-03-05\nlanguage: en\n---\n\n"


def write(small, relative: str, content: str | bytes) -> Path:
    path = small.root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def claims(small, extra: str) -> None:
    small.claims(
        "- id: ministry-rejects-blame\n"
        '  statement: "We will not accept any attempt to blame us for the failure of the talks."\n'
        "  speaker: Ministry of Foreign Affairs\n  channel: statement\n  kind: quote\n" + extra
    )


# Each case: what it does to the small archive, and the error it ends in (path:line: start).
ERRORS = {
    "broken YAML in claims.yaml": (
        lambda s: write(s, "claims.yaml", "story:\n  title: T\nclaims:\n  - id: [a\n"),
        "claims.yaml:4: invalid YAML: a '[' opened here is never closed",
    ),
    "broken YAML in front matter": (
        lambda s: write(s, "articles/bad.md", "---\noutlet: 'X\npublished: 2024-03-05\n---\nText.\n"),
        "articles/bad.md:2: invalid YAML: a quotation mark opened here is never closed",
    ),
    "missing front matter": (
        lambda s: write(s, "articles/bad.md", "Just text.\n"),
        "articles/bad.md:1: no front matter",
    ),
    "a missing field": (
        lambda s: write(s, "articles/bad.md", "---\noutlet: X\nlanguage: en\n---\n\nText.\n"),
        "articles/bad.md:2: front matter has no 'published'",
    ),
    "an extra field": (
        lambda s: write(
            s, "articles/bad.md", FRONT.replace("language: en", "language: en\nsection: World") + "Text.\n"
        ),
        "articles/bad.md:5: unknown field 'section'",
    ),
    "a wrong type": (
        lambda s: write(s, "articles/bad.md", FRONT.replace("outlet: X", "outlet: [X, Y]") + "Text.\n"),
        "articles/bad.md:2: 'outlet' must be text",
    ),
    "a bad date": (
        lambda s: write(s, "articles/bad.md", FRONT.replace("2024-03-05", "2024-02-30") + "Text.\n"),
        "articles/bad.md:3: 'published' is 2024-02-30, not a real date: February 2024 has 29 days",
    ),
    "a duplicate claim id": (
        lambda s: claims(
            s, "- id: ministry-rejects-blame\n  statement: S\n  speaker: P\n  channel: C\n  kind: quote\n"
        ),
        "claims.yaml:9: claim id 'ministry-rejects-blame' is used twice",
    ),
    "a duplicate key": (
        lambda s: write(s, "articles/bad.md", FRONT.replace("outlet: X", "outlet: X\noutlet: Y") + "Text.\n"),
        "articles/bad.md:3: invalid YAML: duplicate key 'outlet'",
    ),
    "a claim naming an unknown article": (
        lambda s: claims(
            s, "- id: other\n  statement: S\n  speaker: P\n  channel: C\n  kind: quote\n  articles: [nowhere]\n"
        ),
        "claims.yaml:9: claim 'other' names an unknown article 'nowhere'",
    ),
    "non-UTF-8 bytes": (
        lambda s: write(s, "articles/bad.md", (FRONT + "Caf\xe9\n").encode("latin-1")),
        "articles/bad.md:7: not UTF-8 text (byte 0xe9)",
    ),
    "an empty file": (lambda s: write(s, "articles/bad.md", ""), "articles/bad.md:1: no front matter"),
    "a binary file named .md": (
        lambda s: write(s, "articles/bad.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        "articles/bad.md:1: not UTF-8 text (byte 0x89)",
    ),
    "NUL bytes in a UTF-8 file": (
        lambda s: write(s, "articles/bad.md", FRONT + "Text\x00\x00 more.\n"),
        "articles/bad.md:7: a binary file, not text",
    ),
    "a link to a file outside the archive": (
        lambda s: (s.root / "articles" / "bad.md").symlink_to(s.root.parent / "elsewhere.md"),
        "articles/bad.md: a link to a file outside the archive",
    ),
    "a file name with spaces": (
        lambda s: write(s, "articles/Talks in Geneva.md", FRONT + "Text.\n"),
        "articles/Talks in Geneva.md: file name must be lower-case letters and digits joined by hyphens: "
        "rename it, e.g. talks-in-geneva.md",
    ),
    "a file name in other letters": (
        lambda s: write(s, "articles/переговоры.md", FRONT + "Text.\n"),
        "articles/переговоры.md: file name must be lower-case letters and digits joined by hyphens",
    ),
    "a capture that does not match": (
        lambda s: (
            write(s, "articles/captures/bad.txt", "Something else was published.\n"),
            write(
                s,
                "articles/bad.md",
                FRONT.replace("language: en", "language: en\ncapture: captures/bad.txt") + "Text.\n",
            ),
        ),
        'articles/bad.md:8: paragraph not found in its capture bad.txt: "Text."',
    ),
    "HTML and script in an article": (
        lambda s: write(s, "articles/bad.md", FRONT + "Text <script>alert(1)</script>.\n"),
        "articles/bad.md:7: HTML is not allowed in an article (<script>)",
    ),
    "a claim id with path characters": (
        lambda s: claims(s, "- id: ../x\n  statement: S\n  speaker: P\n  channel: C\n  kind: quote\n"),
        "claims.yaml:9: 'id' must be lower-case letters and digits joined by hyphens, not '../x'",
    ),
    "a claim id with a slash": (
        lambda s: claims(s, "- id: a/b\n  statement: S\n  speaker: P\n  channel: C\n  kind: quote\n"),
        "claims.yaml:9: 'id' must be lower-case letters",
    ),
    "a claim id that is a device name": (
        lambda s: claims(s, "- id: con\n  statement: S\n  speaker: P\n  channel: C\n  kind: quote\n"),
        "claims.yaml:9: 'id' cannot be 'con'",
    ),
    "a claim id that names the list of claims": (
        lambda s: claims(s, "- id: index\n  statement: S\n  speaker: P\n  channel: C\n  kind: quote\n"),
        "claims.yaml:9: 'id' cannot be 'index', a name kept for the site's lists",
    ),
    "an article named like the list of articles": (
        lambda s: write(s, "articles/index.md", FRONT + "Text.\n"),
        "articles/index.md: file name must be lower-case letters",
    ),
    "a value with a type it cannot have": (
        lambda s: write(s, "articles/bad.md", FRONT.replace("outlet: X", "outlet: !!int x") + "Text.\n"),
        "articles/bad.md:2: invalid YAML",
    ),
    "a list as a field's name": (
        lambda s: write(s, "claims.yaml", "story:\n  title: T\nclaims:\n  - id: x\n    [a, b]: y\n"),
        "claims.yaml:5: invalid YAML: a field's name must be a word, not a list or mapping",
    ),
    "a control character in front matter": (
        lambda s: write(s, "articles/bad.md", FRONT.replace("outlet: X", "outlet: X\x07") + "Text.\n"),
        "articles/bad.md:2: a control character (U+0007) is not allowed: remove it",
    ),
    "a part in a version its claim does not declare": (
        lambda s: claims(
            s,
            "- id: whole\n  speaker: P\n  channel: C\n  kind: quote\n  parts:\n"
            "    - id: first-part\n      statement: S\n      versions:\n        french: T\n",
        ),
        "claims.yaml:17: unknown version 'french' (this claim's versions: none but the first)",
    ),
    "a time of publication without its offset": (
        lambda s: write(s, "articles/bad.md", FRONT.replace("2024-03-05", "2024-03-05T10:00") + "Text.\n"),
        "articles/bad.md:3: 'published' gives a time without its offset from UTC",
    ),
    "an article named like a device": (
        lambda s: write(s, "articles/nul.md", FRONT + "Text.\n"),
        "articles/nul.md: file name must be lower-case letters",
    ),
    "a javascript: address in front matter": (
        lambda s: write(
            s, "articles/bad.md", FRONT.replace("language: en", "language: en\nurl: javascript:alert(1)") + "T.\n"
        ),
        "articles/bad.md:5: 'url' must be an http:// or https:// address",
    ),
}


def snapshot(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()}


def run(small, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), *arguments], cwd=small.root, capture_output=True, text=True
    )


@pytest.mark.parametrize("case", list(ERRORS))
def test_bad_input_ends_in_one_clear_line_and_changes_nothing(small, case):
    assert run(small).returncode == 0
    make, expected = ERRORS[case]
    make(small)
    before = snapshot(small.root)
    result = run(small)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {expected}"), result.stderr
    assert snapshot(small.root) == before  # the archive, and the previous site, as they were


def built_page(small, relative: str) -> str:
    result = run(small)
    assert result.returncode == 0, result.stderr
    return (small.root / "site" / relative).read_text()


def test_markup_in_front_matter_is_shown_as_text(small):
    write(
        small,
        "articles/bad.md",
        FRONT.replace("outlet: X", 'outlet: "<img src=x onerror=alert(1)>"').replace(
            "language: en", 'language: en\ntitle: "<script>alert(1)</script>"'
        )
        + "Text.\n",
    )
    page = built_page(small, "articles/bad.html")
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_markup_in_a_claim_is_shown_as_text(small):
    claims(
        small,
        '- id: other\n  statement: "<b>bold</b> claim of the week"\n  speaker: "<i>P</i>"\n  channel: C\n  kind: quote\n',
    )
    page = built_page(small, "claims/other.html")
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    assert "<i>P</i>" not in page and "\\u003ci>P\\u003c/i>" in page  # in the structured data too


@pytest.mark.parametrize("address", ["javascript:alert(1)", "data:text/html;base64,PHNjcmlwdD4="])
def test_markdown_links_never_become_links(small, address):
    write(small, "articles/links.md", FRONT + f"Read [the statement]({address}) and <{address}>.\n")
    page = built_page(small, "articles/links.html")
    assert '<a href="javascript:' not in page and '<a href="data:' not in page
    assert "Read the statement and" in page


def test_a_quote_mark_never_closed_stays_in_its_paragraph(small):
    after = "The delegates left the city on Saturday evening without a word."
    write(small, "articles/open.md", FRONT + f"He said “{MINISTRY}\n\n{after}\n")
    small.article("herald-two", "The Herald", "Geneva talks end", 2, f"“{MINISTRY},” a spokesman said.\n\n{after}")
    page = built_page(small, "articles/open.html")
    assert f"<mark>{MINISTRY}</mark>" in page
    # The next paragraph is the outlet's own words, shared as a passage: no quotation runs into it.
    assert f"<mark>{after.removesuffix('.')}" in page or f"<mark>{after}" in page
    assert "Shared passage" in page and "Shared quotation" not in page


def test_a_100000_character_paragraph_builds(small):
    write(small, "articles/long.md", FRONT + ("The talks went on and on. " * 3900) + f"“{MINISTRY},” he said.\n")
    page = built_page(small, "articles/long.html")
    assert len(page) > 100_000
    assert f"<mark>{MINISTRY}</mark>" in page  # the statement at its end is still found


def test_a_10_megabyte_article_builds(small):
    paragraph = " ".join(f"Delegates met for round {n} of the talks in a hall by the lake." for n in range(60))
    write(small, "articles/huge.md", FRONT + "\n\n".join([paragraph] * 2700) + f"\n\n“{MINISTRY},” he said.\n")
    assert (small.root / "articles" / "huge.md").stat().st_size > 10_000_000
    page = built_page(small, "articles/huge.html")
    assert page.count('<p class="text">Delegates met for round 0 ') == 2700
    assert f"<mark>{MINISTRY}</mark>" in page
    export = exported_story(small.root / "site")
    (huge,) = [article for article in export["articles"] if article["id"] == "huge"]
    assert len(huge["paragraphs"]) == 2701


def test_bom_crlf_and_other_files_in_articles_are_fine(small):
    path = small.root / "articles" / "daily-one.md"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    write(small, "articles/photo.png", b"\x89PNG\r\n\x1a\n\x00\x00")
    write(small, "articles/notes.txt", "not an article")
    (small.root / "articles" / ".#daily-one.md").symlink_to("root@host.1234:1700000000")  # emacs's lock
    write(small, "articles/.herald-two.md.swp", b"\x00swap")
    page = built_page(small, "articles/daily-one.html")
    daily = small.load().article("daily-one")
    assert daily.outlet == "The Daily"  # the first field, right after the byte-order mark
    assert daily.text == f"The ministry said: “{MINISTRY}.”\n\nThe talks ended on Friday."
    assert f"<mark>{MINISTRY}</mark>" in page and "\r" not in page
    assert sorted(p.name for p in (small.root / "site" / "articles").glob("*.html")) == [
        "daily-one.html",
        "herald-two.html",
        "index.html",
    ]


def test_an_editors_hidden_copy_of_an_article_is_no_article(small):
    write(small, "articles/.daily-one.md", "half-saved")
    archive = small.load()
    assert [article.id for article in archive.articles] == ["daily-one", "herald-two"]


def test_a_build_writes_nothing_outside_its_output_folder(small, tmp_path):
    output = tmp_path / "out" / "site"
    before = snapshot(small.root)
    result = run(small, "--output", str(output))
    assert result.returncode == 0, result.stderr
    assert snapshot(small.root) == before
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["site"]


@pytest.mark.parametrize(
    "environment",
    [
        {"LC_ALL": "C", "TZ": "UTC", "PYTHONHASHSEED": "1"},
        {"LC_ALL": "C.UTF-8", "TZ": "Asia/Kathmandu", "PYTHONHASHSEED": "4242"},
    ],
)
def test_builds_are_byte_identical_whatever_the_locale_time_zone_or_hash_seed(tmp_path, environment):
    def build(name: str, extra: dict) -> dict[str, bytes]:
        output = tmp_path / name
        subprocess.run(
            [sys.executable, str(REPO / "build.py"), "--source", str(REPO), "--output", str(output)],
            env={**os.environ, **extra},
            check=True,
            capture_output=True,
        )
        return {p.relative_to(output).as_posix(): p.read_bytes() for p in output.rglob("*") if p.is_file()}

    assert build("first", {"PYTHONHASHSEED": "0"}) == build("second", environment)
