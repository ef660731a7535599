"""The whole build, top to bottom: load and check, match, find reused copy, compare, render, index for search, write.

`check` stops before rendering; `build` goes on to write the site. Both report warnings: a claim
found in fewer than two articles, or in fewer articles than at the previous build.
"""

from __future__ import annotations

import contextlib
import gc
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from .cache import CACHE_FILE, Cache
from .compare import Comparison, compare
from .load import load_archive
from .match import shared_statements
from .model import Archive, ArchiveError, Reuse, SharedStatement
from .render import ARCHIVE_JSON, render_site
from .reuse import Alignments, aligned_articles, outside_passages, reused_copy
from .search import index_site
from .write import Staging


@dataclass
class Result:
    archive: Archive
    comparison: Comparison
    warnings: list[str] = field(default_factory=list)
    files: int = 0
    written: int = 0
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)  # seconds each stage took

    def summary(self, output: Path | None) -> str:
        line = (
            f"{len(self.archive.articles)} articles, {len(self.archive.claims)} claims, {len(self.comparison.shared)} shared "
            f"statements ({len(self.comparison.uncovered)} without a claim), {len(self.comparison.passages)} reused passages"
        )
        if output is None:
            return f"Checked: {line}, {len(self.warnings)} warnings in {self.seconds:.2f} s"
        return f"Built {output}: {line}, {self.written} of {self.files} files written in {self.seconds:.2f} s"


def progress(iterable, total: int, description: str):
    """A progress bar on the terminal for long stages; nothing when output is not a terminal."""
    return tqdm(iterable, total=total, desc=description, disable=None, leave=False, file=sys.stderr, mininterval=0.5)


@contextlib.contextmanager
def collector_paused():
    """A build makes millions of objects and few reference cycles. Python's cycle collector
    scans every live object again each time enough new ones pile up, which cost a quarter of a
    10,000-article build; it is paused while a build runs, and run once when it ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        gc.collect()


def check(source: Path, output: Path | None, cache: Cache, jobs: int = 1) -> Result:
    """Load, validate and match; raise ArchiveErrors for bad input, return the warnings.

    `jobs`: how many processes may share the work (see parallel.py)."""
    with collector_paused():
        return checked(source, output, cache, jobs)


def checked(source: Path, output: Path | None, cache: Cache, jobs: int) -> Result:
    started = time.perf_counter()
    archive = load_archive(source, jobs)
    loaded = time.perf_counter()
    # Worker processes align the articles while this one matches statements: neither needs the other.
    alignments, statements = aligned_articles(
        archive, jobs, meanwhile=lambda: shared_statements(archive, cache, progress, jobs)
    )
    matched = time.perf_counter()
    statements, reuse = find_reuse(archive, statements, alignments)
    reused = time.perf_counter()
    comparison = compare(archive, statements, reuse)
    result = Result(archive, comparison)
    result.warnings.extend(archive.warnings)
    result.stages = {
        "load": loaded - started,
        "match": matched - loaded,
        "reuse": reused - matched,
        "compare": time.perf_counter() - reused,
    }
    before = claims_found_before(output) if output else {}
    for row in comparison.coverage:
        name = f"claim '{row.claim.id}'" + (f", part '{row.part.id}'," if row.claim.has_parts else "")
        where = f"{source / 'claims.yaml'}:{row.part.line}: {name}"
        if row.carried_by < 2:
            plural = "s" if row.carried_by != 1 else ""
            hint = ": check its wording, or add a rendering as an outlet words it" if row.carried_by == 0 else ""
            result.warnings.append(f"{where} is found in {row.carried_by} article{plural}, not two or more{hint}")
        elif row.carried_by < before.get(row.part.id, 0):
            result.warnings.append(
                f"{where} is found in {row.carried_by} articles, {before[row.part.id]} at the last build"
            )
    for coverage in comparison.claims:
        found = {cell.article for cells in coverage.cells for cell in cells}
        for article_id in coverage.claim.articles:
            if article_id not in found:
                result.warnings.append(
                    f"{source / 'claims.yaml'}:{coverage.claim.line}: claim '{coverage.claim.id}' is not found in {article_id}, which it lists"
                )
    result.seconds = time.perf_counter() - started
    return result


def build(source: Path, output: Path, templates: Path, cache: Cache, jobs: int = 1) -> Result:
    """Check, then render and write the site; nothing is written if the input has errors."""
    with collector_paused():
        started = time.perf_counter()
        refuse_to_replace_sources(source, output)
        if not templates.is_dir():
            raise ArchiveError(templates, "no templates folder: name one with --templates DIR")
        result = checked(source, output, cache, jobs)
        # Saved before rendering, and let go: rendering a large archive needs the memory.
        saved_cache = cache.released()
        rendering = time.perf_counter()
        # Pages are written into a new site beside the output as they are made, by whichever
        # process makes them; the new site replaces the old only once it is whole.
        with Staging(output) as staging:
            made = render_site(result.archive, result.comparison, templates, staging.put, jobs)
            indexing = time.perf_counter()
            # The search index is made from the finished pages, before the new site is swapped in.
            indexed = index_site(staging)
            result.written = made.written + indexed.written + staging.put(CACHE_FILE, saved_cache)
            result.files = made.files + indexed.files + 1
            writing = time.perf_counter()
        result.stages.update(
            render=indexing - rendering, search=writing - indexing, write=time.perf_counter() - writing
        )
        result.seconds = time.perf_counter() - started
        return result


def find_reuse(
    archive: Archive, statements: list[SharedStatement], alignments: Alignments
) -> tuple[list[SharedStatement], Reuse]:
    """The reused copy, and the statements without the sentences its passages hold whole."""
    taken = {name for s in statements for name in (s.id, *s.aliases)} | {
        name for c in archive.claims for name in c.names
    }
    return outside_passages(statements, reused_copy(archive, alignments, taken))


def compared(archive: Archive, cache: Cache | None = None, jobs: int = 1) -> Comparison:
    """Match, find reused copy and compare, as a build does, untimed: for scripts and tests."""
    alignments, statements = aligned_articles(
        archive, jobs, lambda: shared_statements(archive, cache or Cache(), jobs=jobs)
    )
    return compare(archive, *find_reuse(archive, statements, alignments))


def claims_found_before(output: Path) -> dict[str, int]:
    """How many articles each claim's part was found in at the last build, from its export, by
    part id (a claim of one sentence is one part, with the claim's id)."""
    try:
        export = json.loads((output / ARCHIVE_JSON).read_text(encoding="utf-8"))
        found = {claim["id"]: claim["carried_by"] for claim in export["claims"]}
        found.update({part["id"]: part["carried_by"] for claim in export["claims"] for part in claim.get("parts", ())})
        return found
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def refuse_to_replace_sources(source: Path, output: Path) -> None:
    """The output folder is replaced whole: it must not hold anything the curator wrote."""
    source, target = source.resolve(), output.resolve()
    if (
        target == source
        or source.is_relative_to(target)
        or any(target.is_relative_to(source / name) for name in ("articles", "templates", "claims.yaml"))
    ):
        raise ArchiveError(output, "refusing to use this as the output folder: it holds the archive's own files")
    if target.exists() and not target.is_dir():
        raise ArchiveError(output, "the output must be a folder, and this is a file")
    if target.is_dir() and any(target.iterdir()) and not (target / ARCHIVE_JSON).is_file():
        raise ArchiveError(output, f"refusing to replace a folder that is not a built site (it has no {ARCHIVE_JSON})")
