"""The Jinja environment pages are rendered in: its settings, the names templates use, and the
templates compiled once a process."""

from __future__ import annotations

import functools
import hashlib
import json
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import jinja2
import jinja2.meta

from ..across import Across, outlet_slug
from ..compare import ClaimCoverage
from ..model import Archive, Article
from .addresses import (
    ARCHIVE_JSON,
    CARD_IMAGE,
    CLAIM_LIST,
    OCCURRENCES_JSONL,
    OUTLET_LIST,
    SEARCH_PAGE,
    SPEAKER_LIST,
    article_list_page,
    article_page,
    capture_file,
    claim_page,
    outlet_page,
    part_page,
    section_of,
    speaker_page,
    statement_page,
    story_page,
)
from .export import story_json
from .lineage import version_letter
from .maps import MAPPED_OUTLETS
from .showcase import LISTED_AT_MOST, LISTED_SOURCES, UNCOVERED_SHOWN, wordings
from .words import clock_time, count, language_name, long_date, percent, plural, rough_count, said_by

# The templates folder's files copied into the site as they are (the stylesheet, scripts), and
# of them the icon, which every page carries.
STATIC_FOLDER = "static"
FAVICON = f"{STATIC_FOLDER}/favicon.svg"
STYLESHEET = f"{STATIC_FOLDER}/style.css"


class GeneratedTemplate(NamedTuple):
    """A template as Jinja reads it, kept with the site: what Jinja's parsing of it gives."""

    checksum: str  # of its source, as Jinja takes it
    python: str  # the Python Jinja makes of it
    names: list[str | None]  # the templates it extends, includes or imports; None for one named by a value


class CompiledTemplates(jinja2.BytecodeCache):
    """Each template compiled once in a process, not once a build: compiling the templates was
    half of a rebuild of a small archive under `serve`, which builds on every save. Jinja keys a
    template by its file and checks its source, so one edited is compiled afresh. Only in
    memory: Python does not promise the same bytes for the same code, and the site must be.

    Compiled, a template is first made Python (`generated`, by name), a text the same for the
    same template, which a build keeps with the site for the next (see `generated_templates`):
    then only Python's compiling is left to do."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}
        self.generated: dict[str, GeneratedTemplate] = {}

    def get_bucket(self, environment, name, filename, source):
        bucket = super().get_bucket(environment, name, filename, source)
        if bucket.code is None and (made := self.generated.get(name)) is not None and made.checksum == bucket.checksum:
            bucket.code = compile(made.python, filename or name, "exec")
            self.dump_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (code := self.compiled.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED = CompiledTemplates()


class PageEnvironment(jinja2.Environment):
    """Jinja's environment, noting, while `drawn_on` is a set, each template a page asks for:
    the one it extends, those it includes or imports, the partials the code renders into it."""

    drawn_on: set[str] | None = None

    def get_template(self, name, parent=None, globals=None):
        if self.drawn_on is not None and isinstance(name, str):
            self.drawn_on.add(name)
        return super().get_template(name, parent, globals)


def carrying_articles(archive: Archive, coverage: ClaimCoverage) -> list[Article]:
    """The articles that carry the claim, or a part of it, in story order."""
    return [archive.article(cells[0].article) for cells in coverage.cells if cells]


def make_environment(templates: Path, archive: Archive, found: Across) -> PageEnvironment:
    environment = PageEnvironment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=jinja2.select_autoescape(("html", "xml", "svg"), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates do not change during a build: no need to look at them again
        bytecode_cache=COMPILED,
    )
    environment.globals.update(
        archive=archive,
        site=archive.settings,
        across=found,
        absolute=absolute,
        article_page=article_page,
        article_list=article_list_page(1),
        claim_page=claim_page,
        statement_page=statement_page,
        part_page=part_page,
        story_page=lambda story: story_page(story.id) if archive.many else "index.html",
        outlet_page=lambda name: outlet_page(outlet_slug(name)),
        speaker_page=lambda claim: speaker_page(archive.speaker(claim).id),
        speaker_of=archive.speaker,
        said_by=functools.partial(said_by, archive),
        story_of_article={article.id: story for story in archive.stories for article in story.articles},
        version_letter=version_letter,
        carrying_articles=functools.partial(carrying_articles, archive),
        claim_list=CLAIM_LIST,
        outlet_list=OUTLET_LIST,
        speaker_list=SPEAKER_LIST,
        search_page=SEARCH_PAGE,
        section_of=section_of,
        capture_file=capture_file,
        wordings=wordings,
        listed_at_most=LISTED_AT_MOST,
        listed_sources=LISTED_SOURCES,
        uncovered_shown=UNCOVERED_SHOWN,
        mapped_outlets=MAPPED_OUTLETS,
        archive_json=ARCHIVE_JSON,
        occurrences_jsonl=OCCURRENCES_JSONL,
        story_json=story_json,
        card_image=CARD_IMAGE,
        favicon=favicon(templates),
        latest=max(article.published for article in archive.articles),
    )
    environment.filters.update(
        long_date=long_date,
        percent=percent,
        language_name=language_name,
        count=count,
        plural=plural,
        clock_time=clock_time,
        rough_count=rough_count,
    )
    return environment


# What the Python Jinja makes of a template depends on, besides the template: Jinja's version and
# the environment's settings (make_environment).
GENERATED_BY = hashlib.blake2b(
    f"{jinja2.__version__}".encode() + Path(__file__).read_bytes(), digest_size=16
).hexdigest()


def generated_templates(
    environment: jinja2.Environment, templates: Path, names: set[str], kept: bytes | None
) -> dict[str, GeneratedTemplate]:
    """Each template of the folder (its files but the static ones), by name, as Jinja reads it:
    as the last build kept it (`kept`, as `saved_templates` gave it) where its source is
    unchanged, else parsed now. Parsing and making Python were three quarters of compiling a
    template; and the pages' fingerprints need the templates each names (see PageCode). All of
    them, used or not, so that the file is the same however many processes rendered the pages;
    none that Jinja cannot read, which fails the pages that draw on it, as it did."""
    try:
        record = json.loads(kept or b"{}")
        before = record.get("templates", {}) if record.get("generated_by") == GENERATED_BY else {}
    except (ValueError, AttributeError):  # damaged
        before = {}
    if not isinstance(before, dict):
        before = {}
    generated = {}
    for name in sorted(names):
        if name.startswith(f"{STATIC_FOLDER}/"):
            continue
        try:
            source = (templates / name).read_text(encoding="utf-8")  # as Jinja reads it: lines ended alike
            checksum = COMPILED.get_source_checksum(source)
            made = kept_template(before.get(name))
            if made is None or made.checksum != checksum:
                parsed = environment.parse(source, name, str(templates / name))
                named = list(jinja2.meta.find_referenced_templates(parsed))  # before the Python: it reads the tree
                made = GeneratedTemplate(
                    checksum, environment.compile(parsed, name, str(templates / name), raw=True), named
                )
        except (OSError, UnicodeDecodeError, jinja2.TemplateError):
            continue
        generated[name] = made
    return generated


def kept_template(made) -> GeneratedTemplate | None:
    """A template as `saved_templates` kept it, if that is what it is."""
    if not (isinstance(made, list) and len(made) == 3):
        return None
    checksum, python, names = made
    texts = isinstance(checksum, str) and isinstance(python, str) and isinstance(names, list)
    if texts and all(name is None or isinstance(name, str) for name in names):
        return GeneratedTemplate(checksum, python, names)
    return None


def saved_templates(generated: dict[str, GeneratedTemplate]) -> bytes:
    return json.dumps({"generated_by": GENERATED_BY, "templates": generated}, sort_keys=True).encode()


def favicon(templates: Path) -> str:
    """The icon as a data: address, so that no page (not even the 404 page) asks for a file."""
    icon = templates / FAVICON
    return (
        "data:image/svg+xml," + urllib.parse.quote(icon.read_text(encoding="utf-8").strip()) if icon.is_file() else ""
    )


def linked_from(root: str) -> Callable[[str], str]:
    """`url` in the templates: the address of a path relative to the page being rendered, from
    which `root` leads back to the site's root. Given to each page as it is rendered, not taken
    from the page's context: Jinja copies the whole context for every call of a function that
    takes it made in a loop, and the lists' rows and the notes make tens of thousands."""

    def url(path: str) -> str:
        return root + path

    return url


@jinja2.pass_context
def absolute(context, path: str) -> str:
    """The absolute address of `path` on the published site."""
    return context["site"].url + ("" if path == "index.html" else path)
