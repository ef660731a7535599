"""A rebuild makes again only the pages whose inputs changed: within a story, an article's page
is kept where nothing it shows has changed. (That a rebuild gives what a clean build gives, over
random edits, is tests/test_incremental.py's.)"""

import contextlib
import dataclasses
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest

from parallax.cache import CACHE_FOLDER, COMPARED_FIELDS, COMPARING, MATCHED_FIELDS, Cache, imported_modules
from parallax.cache import HERE as PACKAGE
from parallax.cli import main
from parallax.compare import compare, pickled
from parallax.load import load_archive
from parallax.model import Article, Reuse, Story
from parallax.render import PAGES_FILE
from parallax.render import lists as lists_module
from parallax.render import site as render_site_module
from parallax.render.addresses import TEMPLATES_FILE
from parallax.render.environment import COMPILED
from parallax.render.fingerprints import RENDERING
from parallax.render.words import rough_count

from conftest import MINISTRY, REPO, site_differences


@pytest.fixture
def made(small, monkeypatch) -> list[str]:
    """The article pages each build renders (in this process: the builds run with one job)."""
    rendered: list[str] = []
    put_article_page = render_site_module.put_article_page

    def recording(articles, before, staging, number):
        page = put_article_page(articles, before, staging, number)
        if page.made:
            rendered.append(page.path.removeprefix("articles/").removesuffix(".html"))
        return page

    monkeypatch.setattr(render_site_module, "put_article_page", recording)
    assert build(small) == 0
    rendered.clear()
    return rendered


def build(small) -> int:
    return main(["build", "--source", str(small.root), "--jobs", "1"])


def test_a_rebuild_with_nothing_changed_renders_no_article_page(small, made, capsys):
    assert build(small) == 0
    assert made == []
    assert "0 of" in capsys.readouterr().out


def test_an_article_sharing_nothing_is_the_only_article_page_rendered(small, made):
    small.article("post-three", "The Post", "Weather", 3, "It rained in Geneva all week.")
    assert build(small) == 0
    assert made == ["post-three"]


def test_an_article_sharing_a_statement_renders_the_pages_that_show_it(small, made):
    small.article("post-three", "The Post", "Talks", 3, f"“{MINISTRY},” the minister repeated.")
    assert build(small) == 0
    # The other two carry the ministry's words, and now name The Post beside them.
    assert sorted(made) == ["daily-one", "herald-two", "post-three"]


def test_an_outlet_renamed_renders_its_page_and_those_naming_it(small, made):
    path = small.root / "articles" / "herald-two.md"
    path.write_text(path.read_text(encoding="utf-8").replace("The Herald", "The Evening Herald"), encoding="utf-8")
    assert build(small) == 0
    assert sorted(made) == ["daily-one", "herald-two"]
    assert "The Evening Herald" in (small.root / "site" / "articles" / "daily-one.html").read_text(encoding="utf-8")


def test_a_title_edited_renders_only_its_own_page(small, made):
    path = small.root / "articles" / "daily-one.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Talks collapse", "Talks fail"), encoding="utf-8")
    assert build(small) == 0
    assert made == ["daily-one"]


def test_a_template_changed_renders_every_article_page(small, made):
    template = small.root / "templates" / "article.html"
    template.write_text(template.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert build(small) == 0
    assert sorted(made) == ["daily-one", "herald-two"]


@pytest.mark.parametrize(
    "template, drawn_on_by_articles",
    [("outlet.html", False), ("claim.html", False), ("_part.html", False), ("_block.html", True), ("base.html", True)],
)
def test_a_template_edited_renders_again_the_pages_drawing_on_it(small, made, template, drawn_on_by_articles):
    """An article's page draws on article.html, base.html and the partials they include; not on
    a claim's or an outlet's page's templates, which leave it kept."""
    path = small.root / "templates" / template
    path.write_text(path.read_text(encoding="utf-8") + "{# edited #}\n", encoding="utf-8")
    assert build(small) == 0
    assert sorted(made) == (["daily-one", "herald-two"] if drawn_on_by_articles else [])


@pytest.mark.parametrize(
    "template, rendered",
    [
        ("claim.html", ["claims"]),
        ("_part.html", ["claims"]),
        ("story.html", ["overview"]),
        ("_heat_map.svg", ["overview"]),
    ],
)
def test_a_story_template_edited_renders_again_only_the_story_pages_drawing_on_it(
    small, made, monkeypatch, template, rendered
):
    """A story's overview and its claims' pages are kept, each, where the templates they draw on are."""
    kinds: list[str] = []
    overview, claim_pages = render_site_module.StoryPages.overview, render_site_module.claim_pages
    monkeypatch.setattr(
        render_site_module.StoryPages, "overview", lambda story, path: kinds.append("overview") or overview(story, path)
    )
    monkeypatch.setattr(render_site_module, "claim_pages", lambda story: kinds.append("claims") or claim_pages(story))
    path = small.root / "templates" / template
    path.write_text(path.read_text(encoding="utf-8") + "{# edited #}\n", encoding="utf-8")
    assert build(small) == 0
    assert kinds == rendered
    assert made == []


def test_a_page_drawing_on_a_template_its_fingerprint_does_not_count_fails_the_build(small, monkeypatch):
    """A speaker's page takes in its claims' wordings rendered by the code (_said.html): left out
    of what every page's fingerprint counts, it would stay stale when that template is edited."""
    monkeypatch.setattr(render_site_module, "FRAGMENTS", (render_site_module.RENDERINGS_TEMPLATE,))
    with pytest.raises(RuntimeError, match=r"draws on _said\.html, which its fingerprint does not count"):
        build(small)


@pytest.mark.parametrize(
    "written, told",
    [(b"\n\n{% if %}\n", "template error: "), (b"<p>\n\n\xe9t\xe9</p>\n", "not UTF-8 text (byte 0xe9)")],
    ids=["a tag left open", "not UTF-8"],
)
def test_a_template_mistake_is_named_at_its_line_and_the_site_is_kept(small, made, capsys, written, told):
    index = (small.root / "site" / "index.html").read_bytes()
    partial = small.root / "templates" / "_crumbs.html"
    partial.write_bytes(written)
    assert build(small) == 1
    said = capsys.readouterr().err
    assert said.startswith(f"error: {partial}:3: {told}")
    assert said.count("\n") == 1
    assert (small.root / "site" / "index.html").read_bytes() == index


def test_a_site_kept_in_the_templates_folder_is_no_template(small, made, tmp_path):
    """Its files change at every build: counted as templates, they would make every page again."""
    theme = shutil.copytree(small.root / "templates", tmp_path / "theme")  # kept outside the archive
    for _ in range(3):
        arguments = ["--source", str(small.root), "--templates", str(theme), "--output", str(theme / "site")]
        assert main(["build", *arguments, "--jobs", "1"]) == 0
    assert sorted(made) == ["daily-one", "herald-two"]  # the first build into it, and only that


def test_a_stylesheet_changed_renders_no_page_and_is_copied(small, made):
    """The stylesheet is copied as it is, and no page shows it but the 404 page, made at every build."""
    stylesheet = small.root / "templates" / "static" / "style.css"
    stylesheet.write_text(stylesheet.read_text(encoding="utf-8") + "\n.checked { color: teal; }\n", encoding="utf-8")
    assert build(small) == 0
    assert made == []
    site = small.root / "site"
    assert ".checked { color: teal; }" in (site / "style.css").read_text(encoding="utf-8")
    assert ".checked { color: teal; }" in (site / "404.html").read_text(encoding="utf-8")


def test_the_icon_changed_renders_every_article_page(small, made):
    """Every page carries the icon, as a data: address."""
    icon = small.root / "templates" / "static" / "favicon.svg"
    icon.write_text(
        icon.read_text(encoding="utf-8").replace("</svg>", "<title>checked</title></svg>"), encoding="utf-8"
    )
    assert build(small) == 0
    assert sorted(made) == ["daily-one", "herald-two"]
    assert "checked" in (small.root / "site" / "articles" / "daily-one.html").read_text(encoding="utf-8")


def test_a_template_is_compiled_once_and_again_once_edited(small, monkeypatch):
    """Each template is made Python by Jinja at the first build, and again only once its file
    has changed, which the pages then show: in one process (`serve` builds on every save), and
    from one to the next (a build from the command line), which takes that Python from the site."""
    compiled: list[str] = []
    parsed: list[str] = []  # to make its Python, or to find the templates it names for the pages' fingerprints
    compile_template, parse_template = jinja2.Environment.compile, jinja2.Environment.parse

    def recording(self, source, name=None, *rest, **named):
        compiled.append(name)
        return compile_template(self, source, name, *rest, **named)

    def parsing(self, source, name=None, *rest, **named):
        parsed.append(name)
        return parse_template(self, source, name, *rest, **named)

    monkeypatch.setattr(jinja2.Environment, "compile", recording)
    monkeypatch.setattr(jinja2.Environment, "parse", parsing)
    monkeypatch.setattr(COMPILED, "compiled", {})  # as in a process that has compiled none
    monkeypatch.setattr(COMPILED, "generated", {})
    assert build(small) == 0
    assert "article.html" in compiled and "base.html" in compiled
    compiled.clear()
    assert build(small) == 0
    assert compiled == []
    monkeypatch.setattr(COMPILED, "compiled", {})  # the next process
    monkeypatch.setattr(COMPILED, "generated", {})
    parsed.clear()
    assert build(small) == 0
    assert compiled == [] and parsed == []
    template = small.root / "templates" / "article.html"
    template.write_text(
        template.read_text(encoding="utf-8").replace("</article>", "<p>Checked by hand.</p></article>"),
        encoding="utf-8",
    )
    assert build(small) == 0
    assert compiled == ["article.html"] and parsed == ["article.html"]
    assert "Checked by hand." in (small.root / "site" / "articles" / "daily-one.html").read_text(encoding="utf-8")
    kept = small.root / "site" / TEMPLATES_FILE
    kept.write_bytes(kept.read_bytes()[:-100])  # damaged: every template is made again
    monkeypatch.setattr(COMPILED, "compiled", {})
    compiled.clear()
    assert build(small) == 0
    assert "article.html" in compiled and "base.html" in compiled


def test_a_story_is_keyed_by_its_fields_whatever_a_build_has_read_of_it_first(small):
    """A story's comparison is kept under its fingerprint, and its pages' start from it: the
    same story must give the same, whether or not a build has looked up its articles by id."""
    (story,) = load_archive(small.root).stories
    read_first = dataclasses.replace(story)  # the same story, another object
    assert read_first.article("daily-one").id == "daily-one"  # caches its articles by id on it
    assert read_first.digest == story.digest
    assert Cache().story_key(read_first) == Cache().story_key(story)
    edited = dataclasses.replace(story, title="Talks in Geneva, again")
    assert edited.digest != story.digest


def test_what_comparing_does_not_read_leaves_the_comparison_as_it_was(archive, comparison):
    """A story changed only in fields that neither its matching nor its comparing is keyed by
    takes its last comparison whole: each of them, changed in every article (or in the story),
    must leave the comparison, its statements and reused copy given, byte for byte as it was."""
    statements = list(comparison.statements)
    reuse = Reuse(comparison.passages, {summary.article.id: summary.reuse for summary in comparison.summaries})
    before = pickled(compare(archive, statements, reuse))
    for field in dataclasses.fields(Article):
        if field.name not in MATCHED_FIELDS + COMPARED_FIELDS:
            articles = tuple(
                dataclasses.replace(a, **{field.name: another(getattr(a, field.name))}) for a in archive.articles
            )
            changed = dataclasses.replace(archive, articles=articles)
            assert pickled(compare(changed, statements, reuse)) == before, f"an article's {field.name} changed it"
    for field in dataclasses.fields(Story):
        if field.name not in ("articles", "claims"):
            changed = dataclasses.replace(archive, **{field.name: another(getattr(archive, field.name))})
            assert pickled(compare(changed, statements, reuse)) == before, f"the story's {field.name} changed it"


def another(value: object) -> object:
    """A value unlike this one, of its kind."""
    if value is None or isinstance(value, str):
        return f"{value}, changed"
    if isinstance(value, Path):
        return value.with_name("changed")
    if isinstance(value, tuple):
        return (*value, "changed")
    raise TypeError(f"no other value made for a {type(value).__name__}: add one")


def test_the_card_image_is_drawn_again_only_when_what_it_shows_changes(small, monkeypatch):
    drawn = []
    draw = render_site_module.card_image
    monkeypatch.setattr(render_site_module, "card_image", lambda card: drawn.append(card) or draw(card))
    assert build(small) == 0
    card = small.root / "site" / "card.png"
    first = card.read_bytes()
    drawn.clear()
    small.article("herald-two", "The Herald", "Geneva talks end in acrimony", 2, "Negotiators left the city.")
    assert build(small) == 0
    assert drawn == [] and card.read_bytes() == first  # its title and counts are the same
    small.article("gazette-three", "The Gazette", "A third report", 3, "Negotiators left the city on Friday.")
    assert build(small) == 0
    assert [card.articles for card in drawn] == [3] and card.read_bytes() != first


def test_a_captures_text_is_read_out_again_only_where_its_bytes_changed(small, monkeypatch, tmp_path):
    """A saved page's text took milliseconds an article to read out, at every build."""
    captures = small.root / "articles" / "captures"
    captures.mkdir()
    page = captures / "daily-one.html"
    paragraphs = [f"The ministry said: “{MINISTRY}.”", "The talks ended on Friday."]
    page.write_text("<html><body>" + "".join(f"<p>{text}</p>" for text in paragraphs) + "</body></html>")
    daily = small.root / "articles" / "daily-one.md"
    daily.write_text(daily.read_text().replace("language: en\n", "language: en\ncapture: captures/daily-one.html\n"))
    read_out = []
    publish = render_site_module.published_capture
    monkeypatch.setattr(
        render_site_module, "published_capture", lambda path: read_out.append(path.name) or publish(path)
    )
    assert build(small) == 0 and read_out == ["daily-one.html"]
    published = small.root / "site" / "captures" / "daily-one.txt"
    assert "The talks ended on Friday." in published.read_text() and "<p>" not in published.read_text()
    read_out.clear()
    small.article("herald-two", "The Herald", "Geneva talks end in acrimony", 2, "Negotiators left the city.")
    assert build(small) == 0 and read_out == []
    page.write_text(page.read_text().replace("</body>", "<p>Reporters waited outside.</p></body>"))
    assert build(small) == 0 and read_out == ["daily-one.html"]
    assert "Reporters waited outside." in published.read_text()
    clean = tmp_path / "clean"
    assert main(["build", "--source", str(small.root), "--output", str(clean)]) == 0
    assert published.read_bytes() == (clean / "captures" / "daily-one.txt").read_bytes()


def test_an_article_redated_in_its_place_shows_its_new_date_in_the_article_list(small, tmp_path):
    assert build(small) == 0
    path = small.root / "articles" / "herald-two.md"
    # Later still, it keeps its place in the list: only the date its row shows changes.
    path.write_text(path.read_text(encoding="utf-8").replace("2024-03-02", "2024-03-05"), encoding="utf-8")
    assert build(small) == 0
    clean = tmp_path / "clean"
    assert main(["build", "--source", str(small.root), "--output", str(clean), "--no-cache", "--jobs", "1"]) == 0
    rebuilt = (small.root / "site" / "articles.html").read_text(encoding="utf-8")
    assert rebuilt == (clean / "articles.html").read_text(encoding="utf-8")
    assert "2024-03-05" in rebuilt


@pytest.fixture
def across_made(monkeypatch) -> list[str]:
    """The pages across stories each build makes again (lists, outlets, speakers), by path."""
    made: list[str] = []
    kept_or_made = lists_module.AcrossPages.kept_or_made

    def recording(self, path, key, make):
        kept_or_made(self, path, key, lambda: made.append(path) or make())

    monkeypatch.setattr(lists_module.AcrossPages, "kept_or_made", recording)
    return made


def test_an_article_added_last_renders_again_only_the_first_and_last_pages_of_the_article_list(
    small, monkeypatch, tmp_path, across_made
):
    monkeypatch.setattr(lists_module, "ARTICLES_PER_PAGE", 2)
    for day in (3, 4, 5):
        small.article(f"post-{day}", "The Post", f"Day {day}", day, "It rained in Geneva all week.")
    assert build(small) == 0  # three pages: two articles, two, one
    across_made.clear()
    small.article("post-6", "The Post", "Day 6", 6, "It rained in Geneva again.")
    assert build(small) == 0
    listed = sorted(path for path in across_made if path.startswith("articles"))
    assert listed == ["articles-3.html", "articles.html", "articles/index.html"]
    clean = tmp_path / "clean"
    assert main(["build", "--source", str(small.root), "--output", str(clean), "--no-cache", "--jobs", "1"]) == 0
    for page in ("articles.html", "articles-2.html", "articles-3.html"):
        assert (small.root / "site" / page).read_bytes() == (clean / page).read_bytes()
    assert "6 articles, oldest first" in (clean / "articles.html").read_text(encoding="utf-8")
    assert "Articles 3 to 4, oldest first." in (clean / "articles-2.html").read_text(encoding="utf-8")


def test_a_title_corrected_renders_again_its_outlets_page_and_not_the_others(small, tmp_path, across_made):
    assert build(small) == 0
    across_made.clear()
    path = small.root / "articles" / "daily-one.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Talks collapse", "Talks fail"), encoding="utf-8")
    assert build(small) == 0
    assert [page for page in across_made if page.startswith("outlets/")] == ["outlets/the-daily.html"]
    clean = tmp_path / "clean"
    assert main(["build", "--source", str(small.root), "--output", str(clean), "--no-cache", "--jobs", "1"]) == 0
    assert site_differences(small.root / "site", clean) == []


@pytest.mark.parametrize(
    "count, words",
    [
        (0, "0"),
        (99, "99"),
        (100, "at least 100"),
        (199, "at least 100"),
        (200, "at least 200"),
        (953, "at least 500"),
        (1946, "at least 1,000"),
        (9993, "at least 5,000"),
        (12345, "at least 10,000"),
    ],
)
def test_large_counts_beside_a_paragraph_change_only_at_steps(count, words):
    assert rough_count(count) == words


def test_the_modules_a_module_runs_are_read_from_its_imports_wherever_they_stand(tmp_path):
    package = tmp_path / "package"
    files = {
        "__init__.py": "",
        "a.py": "from .b import x\nfrom . import d\n\ndef later():\n    from .sub import (\n        c,  # not j, j is unused\n        k as other,\n    )\n",
        "b.py": "import json\nx = 1\n",
        "d.py": "",
        "e.py": "",  # imported by nothing
        "sub/__init__.py": "",
        "sub/c.py": "from ..e import y\n",
        "sub/j.py": "",  # named in a comment only
        "sub/k.py": "",
        "f.py": "from .a import later\n",  # imports a, not imported by it
    }
    for name, text in files.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text)
    found = imported_modules(package / "a.py", package=package)
    assert [path.relative_to(package).as_posix() for path in found] == [
        "__init__.py",
        "a.py",
        "b.py",
        "d.py",
        "e.py",
        "sub/__init__.py",
        "sub/c.py",
        "sub/k.py",
    ]


def loaded(*modules: str) -> set[Path]:
    """The package's modules a fresh Python has run once it has imported these."""
    code = (
        f"import sys, {', '.join(modules)}\n"
        + "print(*(m.__file__ for n, m in sys.modules.items() if n.startswith('parallax')))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO).stdout
    return {Path(path).resolve() for path in found.split()}


def test_what_a_comparison_and_a_page_are_kept_by_counts_all_the_code_that_makes_them():
    """A comparison is kept under a fingerprint of the code that compares, a page under one of
    the code that renders: each must hold every module that code runs, and none of those that
    neither compares nor renders, a change to which would match or render everything again."""
    assert loaded("parallax.compare", "parallax.match", "parallax.reuse") <= set(COMPARING)
    assert loaded("parallax.render") <= set(RENDERING)
    assert PACKAGE / "capture.py" in RENDERING  # imported by a function only: read from its import
    for neither in ("cli.py", "serve.py", "search.py", "curate.py", "evaluate.py"):
        assert PACKAGE / neither not in COMPARING and PACKAGE / neither not in RENDERING


def test_a_change_to_code_that_neither_compares_nor_renders_keeps_every_comparison_and_page(small, tmp_path):
    """Code changed elsewhere (serve's, as an upgrade might) leaves the site's records as they
    were: no story is matched again, no page rendered again. Changed in the rendering, every
    page's fingerprint changes; in the comparing, every story's."""
    code = tmp_path / "code"
    shutil.copytree(PACKAGE, code / "parallax", ignore=shutil.ignore_patterns("__pycache__"))
    environment = {**os.environ, "PYTHONPATH": str(code)}
    site = small.root / "site"

    def records() -> tuple[bytes, list[str]]:
        """The page record, and the key of each story's kept comparison."""
        command = "from parallax.cli import main; raise SystemExit(main(['build', '--source', '.', '--jobs', '1']))"
        subprocess.run(
            [sys.executable, "-c", command], cwd=small.root, env=environment, check=True, capture_output=True
        )
        keys = []
        for path in sorted((site / CACHE_FOLDER).glob("*.sqlite")):
            with contextlib.closing(sqlite3.connect(path)) as database:
                keys += [key for (key,) in database.execute("SELECT key FROM stories")]
        return (site / PAGES_FILE).read_bytes(), keys

    def changed(module: str) -> tuple[bytes, list[str]]:
        with open(code / "parallax" / module, "a") as file:
            file.write("\n# changed\n")
        return records()

    pages, comparisons = records()
    assert changed("serve.py") == changed("search.py") == (pages, comparisons)
    assert changed("render/words.py") != (pages, comparisons)
    pages, comparisons = records()
    rendered, compared = changed("lineage.py")
    assert rendered != pages and compared != comparisons
