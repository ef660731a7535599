"""The command line: `python build.py` (or `parallax`) and its commands."""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

import jinja2

from .compare import compare
from .evaluate import evaluate, load_labels
from .load import load_archive
from .match import shared_statements
from .model import ArchiveError, ArchiveErrors
from .render import ARCHIVE_JSON, render_site
from .write import write_site

DESCRIPTION = """\
Parallax compares how news outlets cover one story, statement by statement.

An archive is a folder holding articles/ (one Markdown file per article, with YAML front
matter), claims.yaml (the statements worth tracking) and templates/. The build finds every
claim in every article, and the quotations that articles share without a claim, and writes a
static site: an overview, one page per article and one page per claim.
"""


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help")):
        argv = ["build", *argv]  # building is what `python build.py` is for
    arguments = make_parser().parse_args(argv)
    try:
        return arguments.command(arguments)
    except ArchiveErrors as problems:
        for problem in problems.errors:
            print(f"error: {problem}", file=sys.stderr)
    except ArchiveError as problem:
        print(f"error: {problem}", file=sys.stderr)
    return 1


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    build_parser = commands.add_parser(
        "build",
        help="build the site (the default command)",
        description="Load and check the archive, match the claims, and write the site.\n\n"
        "Nothing is written when the archive has errors: each is printed as FILE:LINE: message,\n"
        "the exit status is 1, and the previous site stays as it was.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    build_parser.add_argument(
        "--source", type=Path, default=Path("."), metavar="DIR", help="the archive folder (default: .)"
    )
    build_parser.add_argument(
        "--output", type=Path, default=None, metavar="DIR", help="where the site goes (default: SOURCE/site)"
    )
    build_parser.add_argument(
        "--templates", type=Path, default=None, metavar="DIR",
        help="the site's templates, with static/ files (default: SOURCE/templates)",
    )
    build_parser.set_defaults(command=build_command)

    evaluate_parser = commands.add_parser(
        "evaluate",
        help="measure matching against a hand-labelled set of shared statements",
        description="Match the archive and compare what is found with a labelled set: recall of\n"
        "article pairs per tier (same wording, different rendering, paraphrase), precision of\n"
        "the pairs found, and every pair missed or wrongly joined. The format of the labelled\n"
        "set is described in parallax/evaluate.py; tests/labelled/shared.yaml is one.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    evaluate_parser.add_argument("labels", type=Path, metavar="LABELS", help="the labelled set (YAML)")
    evaluate_parser.add_argument(
        "--source", type=Path, default=Path("."), metavar="DIR", help="the archive folder (default: .)"
    )
    evaluate_parser.add_argument(
        "--without-claims", action="store_true", help="match as if claims.yaml listed no claims: discovery alone"
    )
    evaluate_parser.set_defaults(command=evaluate_command)
    return parser


def build_command(arguments: argparse.Namespace) -> int:
    source: Path = arguments.source
    output: Path = arguments.output or source / "site"
    templates: Path = arguments.templates or source / "templates"
    started = time.perf_counter()
    try:
        refuse_to_replace_sources(source, output)
        if not templates.is_dir():
            raise ArchiveError(templates, "no templates folder: name one with --templates DIR")
        archive = load_archive(source)
        statements = shared_statements(archive)
        comparison = compare(archive, statements)
        files = render_site(archive, comparison, templates)
        write_site(files, output)
    except jinja2.TemplateSyntaxError as problem:
        print(f"error: {problem.filename}:{problem.lineno}: template error: {problem.message}", file=sys.stderr)
        return 1
    except jinja2.TemplateError as problem:
        print(f"error: template error: {problem}", file=sys.stderr)
        return 1
    except OSError as problem:
        print(f"error: {problem.filename or output}: cannot write the site: {problem.strerror}", file=sys.stderr)
        return 1
    for row in comparison.coverage:
        if row.carried_by < 2:
            print(
                f"warning: {source / 'claims.yaml'}:{row.claim.line}: claim '{row.claim.id}' is found in "
                f"{row.carried_by} article{'s' if row.carried_by != 1 else ''}, not two or more",
                file=sys.stderr,
            )
    print(
        f"Built {output}: {len(archive.articles)} articles, {len(archive.claims)} claims, "
        f"{sum(s.is_shared for s in statements)} shared statements ({len(comparison.uncovered)} without a claim), "
        f"{len(files)} files in {time.perf_counter() - started:.2f} s"
    )
    return 0


def evaluate_command(arguments: argparse.Namespace) -> int:
    archive = load_archive(arguments.source)
    if arguments.without_claims:
        archive = dataclasses.replace(archive, claims=())
    labels = load_labels(arguments.labels, archive)
    print("\n".join(evaluate(shared_statements(archive), labels).lines()))
    return 0


def refuse_to_replace_sources(source: Path, output: Path) -> None:
    """The output folder is replaced whole: it must not hold anything the curator wrote."""
    source, target = source.resolve(), output.resolve()
    if target == source or source.is_relative_to(target) or any(
        target.is_relative_to(source / name) for name in ("articles", "templates", "claims.yaml")
    ):
        raise ArchiveError(output, "refusing to use this as the output folder: it holds the archive's own files")
    if target.exists() and not target.is_dir():
        raise ArchiveError(output, "the output must be a folder, and this is a file")
    if target.is_dir() and any(target.iterdir()) and not (target / ARCHIVE_JSON).is_file():
        raise ArchiveError(output, f"refusing to replace a folder that is not a built site (it has no {ARCHIVE_JSON})")
