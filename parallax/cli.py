"""The command line: `python build.py COMMAND` (or `parallax COMMAND`). Its help is its manual."""

from __future__ import annotations

import argparse
import dataclasses
import errno
import gc
import os
import re
import sys
import time
from pathlib import Path
from typing import NoReturn

import jinja2

from . import curate, pipeline
from .cache import Cache
from .evaluate import evaluate, load_labels
from .load import STORIES, load_archive, story_folders
from .match import shared_statements
from .model import ArchiveError, ArchiveErrors, SharedStatement, Story
from .parallel import cores
from .render.words import short

DESCRIPTION = """\
Parallax compares how news outlets cover one story, statement by statement.

An archive is a folder holding articles/ (one Markdown file per article, with YAML front
matter), claims.yaml (the statements worth tracking) and templates/. The build finds every
statement the articles share and every claim in every article, and writes a static site: an
overview, one page per article and one page per claim.

Bad input is reported as FILE:LINE: message, with exit status 1; nothing the curator wrote is
ever changed. `python build.py COMMAND --help` tells more of each command.
"""

RAW = argparse.RawDescriptionHelpFormatter


def run() -> NoReturn:
    """`main` as the process's one task (build.py, the `parallax` command): the cycle collector
    off throughout, and the process ended without freeing its objects one by one. A large
    build leaves gigabytes of objects: collecting and freeing them took 2 to 3 s of a 12 s
    rebuild, and the system takes the memory back at once. (`serve`, which runs for hours,
    turns the collector on again.)"""
    gc.disable()
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help")):
        argv = ["build", *argv]  # building is what `python build.py` is for
    arguments = make_parser().parse_args(argv)
    try:
        archive_at(arguments.source)
        return arguments.command(arguments)
    except ArchiveErrors as problems:
        for problem in problems.errors:
            print(f"error: {problem}", file=sys.stderr)
    except ArchiveError as problem:
        print(f"error: {problem}", file=sys.stderr)
    except jinja2.TemplateSyntaxError as problem:
        print(f"error: {problem.filename}:{problem.lineno}: template error: {problem.message}", file=sys.stderr)
    except jinja2.TemplateError as problem:
        print(f"error: template error: {problem}", file=sys.stderr)
    except OSError as problem:
        print(f"error: {problem.filename or ''}: {problem.strerror}", file=sys.stderr)
    except KeyboardInterrupt:
        print("interrupted: nothing was changed", file=sys.stderr)
    return 1


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description=DESCRIPTION, formatter_class=RAW)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    build = command(
        commands,
        "build",
        build_command,
        "build the site (the default command)",
        """\
Load and check the archive, match the claims, and write the site.

Nothing is written when the archive has errors, and the previous site stays as it was. New
files are written beside the output folder and moved in once all are made; files whose bytes did
not change are kept as they were. Ends with one line: articles, claims, shared statements, reused passages, files written, time.""",
    )
    add_archive_options(build, output=True)

    check = command(
        commands,
        "check",
        check_command,
        "check everything without building",
        """\
Load, validate and match the archive without writing the site: front matter and claims.yaml,
references, every paragraph against its capture, duplicate ids. Errors exit with status 1.
Warnings (a claim found in fewer than two articles, or in fewer than at the last build) are
printed and exit with 0, unless --strict. Usable as a CI step for an archive's own repository.""",
    )
    add_archive_options(check, output=True)
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")

    add = command(
        commands,
        "add",
        add_command,
        "add an article from its capture: a saved page, a WARC file, an address or a text",
        """\
Import a capture as a new article: the capture is kept byte for byte in articles/captures/,
articles/<id>.md is written with its front matter (with the capture's SHA-256, which the build
checks), and what the new article shares with the archive is printed. Nothing is ever overwritten.

FILE may be a saved page (.html, .htm, or gzip-compressed .html.gz): its article's paragraphs
and subheads become the body, and its title, author, date, site name, language and address the
front matter, where the page declares them; an option given overrides the page. A WARC file
(.warc, .warc.gz) gives an article for each HTML response (or only the one at --url), each kept as
a WARC file of its own. An http:// or https:// address is fetched and kept as a WARC record.

In a plain-text capture (.txt) or Markdown (.md), paragraphs are separated by blank lines (or,
if it has none, each line is a paragraph). Edit the new file afterwards to leave out what is not
the article's text, and record each cut under `edits`.""",
    )
    add.add_argument(
        "capture", metavar="FILE_OR_URL", help="the capture: .html, .html.gz, .warc, .warc.gz, .txt, .md, or an address"
    )
    add.add_argument("--outlet", help="who published it (required if the page does not say)")
    add.add_argument("--title", help="the headline, if the capture has one")
    add.add_argument(
        "--published",
        metavar="YYYY-MM-DD",
        help="the publication date, or date and time with its offset from UTC: 2023-10-27T14:05+03:00 "
        "(required if the page does not say)",
    )
    add.add_argument("--url", help="the original address; in a WARC file, the one response to import")
    add.add_argument("--author", help="the byline")
    add.add_argument("--language", help="language code of the text (default: the page's, else en)")
    add.add_argument("--translated-from", metavar="LANGUAGE", help="language it was translated from")
    add.add_argument("--via", help="where the text comes from, if another outlet's")
    add.add_argument("--slug", help="the article's id and file name (default: from outlet and title)")
    add_archive_options(add, story=True)

    suggest = command(
        commands,
        "suggest",
        suggest_command,
        "suggest claims for what is shared",
        """\
Print, for each statement that two or more articles share and no claim covers, an entry for
claims.yaml, ready to paste: id, statement, speaker and channel guessed from the articles'
attributions, kind, and the outlets that carry it. Check the guesses before pasting.""",
    )
    add_archive_options(suggest, story=True)

    serve = command(
        commands,
        "serve",
        serve_command,
        "serve the site and rebuild it on every change",
        """\
Build the site and serve it on http://127.0.0.1:PORT/ (this machine only). Whenever an
article, claims.yaml or a template changes, the site is rebuilt and open pages reload; a failed
build is shown in the page and here, and the last good site stays up. Stop with Ctrl-C.""",
    )
    add_archive_options(serve, output=True, jobs=False)
    serve.add_argument("--port", type=int, default=8000, help="the port (default: 8000; 0 for any free one)")

    evaluation = command(
        commands,
        "evaluate",
        evaluate_command,
        "measure matching against a labelled set",
        """\
Match the archive and compare what is found with a labelled set: recall of article pairs per
tier (same wording, different rendering, paraphrase), precision of the pairs found, and every
pair missed or wrongly joined. The format of the labelled set is described in
parallax/evaluate.py; tests/labelled/shared.yaml is one.""",
    )
    evaluation.add_argument("labels", type=Path, metavar="LABELS", help="the labelled set (YAML)")
    evaluation.add_argument("--without-claims", action="store_true", help="match as if claims.yaml listed none")
    add_archive_options(evaluation, story=True)
    return parser


def command(commands, name: str, function, summary: str, description: str) -> argparse.ArgumentParser:
    parser = commands.add_parser(name, help=summary, description=description, formatter_class=RAW)
    parser.set_defaults(command=function)
    return parser


def add_archive_options(
    parser: argparse.ArgumentParser, output: bool = False, jobs: bool = True, story: bool = False
) -> None:
    parser.add_argument("--source", type=Path, default=Path("."), metavar="DIR", help="the archive folder (default: .)")
    if story:
        parser.add_argument(
            "--story", metavar="ID", help="the story, in an archive of many: its folder's name in stories/"
        )
    if output:
        parser.add_argument("--output", type=Path, metavar="DIR", help="the site folder (default: SOURCE/site)")
        parser.add_argument(
            "--templates",
            type=Path,
            metavar="DIR",
            help="the templates, with static/ files (default: SOURCE/templates)",
        )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="match afresh, not reusing the results kept in the site's .parallax-cache/",
    )
    if jobs:  # not for serve, which answers requests in threads: a threaded process must not fork
        parser.add_argument(
            "--jobs",
            type=int,
            default=cores(),
            metavar="N",
            help=f"how many processes may share the work (default: the {cores()} cores here)",
        )


def archive_at(source: Path) -> None:
    """Stop at once when --source names no archive, rather than at the first piece a stage misses."""
    if not source.is_dir():
        missing = "no such folder"
    elif not any((source / name).exists() for name in ("articles", "claims.yaml", STORIES)):
        missing = f"neither articles/ nor claims.yaml nor {STORIES}/"
    else:
        return
    raise ArchiveError(
        source,
        f"no archive here ({missing}): an archive holds articles/ and claims.yaml, or {STORIES}/ with a folder per story",
    )


def story_folder(arguments: argparse.Namespace) -> Path:
    """The folder of the story a command works on: the archive's own, or --story's."""
    folders = story_folders(arguments.source)
    if not (arguments.source / STORIES).is_dir():
        if arguments.story:
            raise ArchiveError(
                arguments.source, f"--story {arguments.story}: this archive is one story, with no {STORIES}/"
            )
        return arguments.source
    known = [folder.name for folder in folders]
    if arguments.story in known:
        return arguments.source / STORIES / arguments.story
    which = f"there is no story '{arguments.story}'" if arguments.story else "this archive has many stories"
    raise ArchiveError(arguments.source / STORIES, f"{which}: name one with --story ({', '.join(known) or 'none yet'})")


def cache_for(arguments: argparse.Namespace) -> Cache:
    site = getattr(arguments, "output", None) or arguments.source / "site"
    return Cache() if arguments.no_cache else Cache.of_site(site)


def output_of(arguments: argparse.Namespace) -> Path:
    return arguments.output or arguments.source / "site"


def templates_of(arguments: argparse.Namespace) -> Path:
    return arguments.templates or arguments.source / "templates"


def print_warnings(warnings: list[str]) -> None:
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)


def build_command(arguments: argparse.Namespace) -> int:
    result = pipeline.build(
        arguments.source, output_of(arguments), templates_of(arguments), cache_for(arguments), arguments.jobs
    )
    print_warnings(result.warnings)
    print(result.summary(output_of(arguments)))
    return 0


def check_command(arguments: argparse.Namespace) -> int:
    result = pipeline.check(arguments.source, output_of(arguments), cache_for(arguments), arguments.jobs)
    print_warnings(result.warnings)
    print(result.summary(None))
    return 1 if arguments.strict and result.warnings else 0


def add_command(arguments: argparse.Namespace) -> int:
    started = time.perf_counter()
    options = {
        "outlet": arguments.outlet,
        "title": arguments.title,
        "published": arguments.published,
        "author": arguments.author,
        "url": arguments.url,
        "language": arguments.language,
        "translated_from": arguments.translated_from,
        "via": arguments.via,
    }
    folder = story_folder(arguments)
    capture = arguments.capture
    where: Path | str = capture if re.match(r"^https?://", capture, re.IGNORECASE) else Path(capture)
    sources = curate.sources_of(capture, arguments.url)
    added = curate.add_articles(folder, where, sources, options, arguments.slug)
    story, statements = load_and_match(arguments)
    for path, from_page, from_options in added:
        print(f"Added {path}")
        if from_page:
            print(f"From the page: {', '.join(from_page)}")
        if from_options:
            print(f"From the options: {', '.join(from_options)}")
        shared = curate.shares_of(path.stem, statements)
        print(f"It shares {len(shared)} statement{'s' if len(shared) != 1 else ''} with the archive:")
        for statement in shared:
            others = sorted({story.article(o.article).outlet for o in statement.occurrences if o.article != path.stem})
            mine = next(o for o in statement.occurrences if o.article == path.stem)
            label = f"claim {statement.id}" if statement.claim else "no claim yet (see `suggest`)"
            print(f"- “{short(mine.text, 90)}” ({label}), also in {', '.join(others) or 'no other outlet'}")
    edit = " and ".join(str(path) for path, _, _ in added)
    print(f"({time.perf_counter() - started:.2f} s) Next: edit {edit} if needed, then `python build.py`.")
    return 0


def suggest_command(arguments: argparse.Namespace) -> int:
    story, statements = load_and_match(arguments)
    articles = {article.id: article for article in story.articles}
    uncovered = [s for s in statements if s.claim is None]
    taken = {name for claim in load_archive(arguments.source).claims for name in claim.names}
    if not uncovered:
        print("# Every statement that two or more articles share is covered by a claim.")
    for statement in uncovered:
        print(curate.suggestion(statement, articles, taken))
    return 0


def serve_command(arguments: argparse.Namespace) -> int:
    from .serve import Server

    gc.enable()  # a process that runs for hours frees what each build leaves (see run)
    try:
        server = Server(
            arguments.source, output_of(arguments), templates_of(arguments), cache_for(arguments), arguments.port
        )
    except OSError as problem:
        if problem.errno != errno.EADDRINUSE:
            raise
        print(
            f"error: port {arguments.port} is already in use: stop what uses it, "
            "or choose another with --port N (--port 0 picks a free one)",
            file=sys.stderr,
        )
        return 1
    server.start()
    try:
        # Within the try: a Ctrl-C as soon as this is read (the server already answers) stops it cleanly.
        print(f"Serving {output_of(arguments)} on {server.address} (Ctrl-C to stop)", flush=True)
        server.stopping.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def evaluate_command(arguments: argparse.Namespace) -> int:
    story, statements = load_and_match(arguments, without_claims=arguments.without_claims)
    print("\n".join(evaluate(statements, load_labels(arguments.labels, story)).lines()))
    return 0


def load_and_match(arguments: argparse.Namespace, without_claims: bool = False) -> tuple[Story, list[SharedStatement]]:
    """The story a command works on, loaded with the whole archive (ids are checked across it),
    and its shared statements."""
    folder = story_folder(arguments).resolve()
    story = next(
        story for story in load_archive(arguments.source, arguments.jobs).stories if story.folder.resolve() == folder
    )
    if without_claims:
        story = dataclasses.replace(story, claims=())
    return story, shared_statements(story, cache_for(arguments), jobs=arguments.jobs)
