"""The whole build, top to bottom: load and check; for each story, match, find reused copy and
compare; render, index for search, write.

`check` stops before rendering; `build` goes on to write the site. Both report warnings: a claim
found in fewer than two articles, or in fewer articles than at the previous build.
"""

from __future__ import annotations

import contextlib
import gc
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from .cache import Cache, KeptComparison
from .compare import Comparison, compare, pickled, pickled_overview, unpickled, unpickled_overview
from .load import load_archive
from .match import shared_statements
from .model import Archive, ArchiveError, Reuse, SharedStatement, Story
from .parallel import in_background, map_numbers
from .render import ARCHIVE_JSON, PAGES_FILE, PageRecord, Written, render_site
from .reuse import ReusedCopy, aligned_articles, named, outside_passages, reused_copy
from .search import INDEXER_FILE, LaterIndex, Unindexed, index_site
from .write import Staging, read_or_none


@dataclass
class Result:
    archive: Archive
    comparisons: tuple[Comparison, ...]  # one per story, in the archive's order
    warnings: list[str] = field(default_factory=list)
    files: int = 0
    written: int = 0
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)  # seconds each stage took
    search: LaterIndex | None = None  # the search index, if it is to be made once the pages are in place

    def summary(self, output: Path | None) -> str:
        stories = len(self.archive.stories)
        shared = sum(comparison.tally.shared for comparison in self.comparisons)
        uncovered = sum(comparison.tally.uncovered for comparison in self.comparisons)
        passages = sum(comparison.tally.passages for comparison in self.comparisons)
        line = (
            f"{sum(len(story.articles) for story in self.archive.stories)} articles"
            + (f" in {stories} stories" if self.archive.many else "")
            + f", {len(self.archive.claims)} claims, {shared} shared statements ({uncovered} without a claim),"
            f" {passages} reused passages"
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
    10,000-article build; it is paused while a build runs, and run once when it ends, unless
    it was off already (a process that ends with the build: see cli.run)."""
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
    archive = load_archive(source, jobs, cache)
    stages = {"load": time.perf_counter() - started, "match": 0.0, "reuse": 0.0, "compare": 0.0}
    comparisons = compared_stories(archive, cache, jobs, stages)
    result = Result(archive, comparisons, stages=stages)
    result.warnings.extend(archive.warnings)
    before = claims_found_before(output) if output else {}
    for comparison in comparisons:
        result.warnings.extend(coverage_warnings(comparison, before))
    result.seconds = time.perf_counter() - started
    return result


def compared_stories(archive: Archive, cache: Cache, jobs: int, stages: dict[str, float]) -> tuple[Comparison, ...]:
    """Each story's comparison. Stories are matched on their own (articles of different stories
    are never compared), each unchanged since the last build taken from the cache; where several
    changed, each is matched by one process, which hands back its comparison and the cached
    results it used (its story's file of the cache keeps those); where one did, it is matched
    with every process's help. A story changed only in what comparing does not read takes its
    last comparison whole (see compared_before)."""
    keys = {story.id: cache.story_key(story) for story in archive.stories}  # once each: a large story is long to key
    found: dict[str, Comparison] = {}
    for story in archive.stories:
        # Carried over, the comparison holds the last build's story: the same, as its key says.
        if (carried := cache.carried_story(story.id, keys[story.id])) is not None:
            found[story.id] = carried
        elif kept := cache.kept_story(story.id, keys[story.id]):
            overview, read_whole = kept
            found[story.id] = unpickled_overview(overview, story, read_whole)
    changed = [story for story in archive.stories if story.id not in found]
    matching = {story.id: cache.matching_key(story) for story in changed}
    comparing = {story.id: cache.compared_key(story, matching[story.id]) for story in changed}
    for story in changed:
        started = time.perf_counter()
        if (last := compared_before(story, cache, keys[story.id], matching[story.id], comparing[story.id])) is not None:
            found[story.id] = last
            stages["compare"] += time.perf_counter() - started
    changed = [story for story in changed if story.id not in found]
    # The results a story's last matching used are read for those to be matched again only: the
    # others take them, whole, with their last comparison (see matched_before).
    cache.recall([story.id for story in changed if not cache.matched_alike(story.id, matching[story.id])], list(keys))
    workers = min(jobs, len(changed)) if len(changed) > 1 else 1

    def compare_one(number: int) -> tuple[Comparison, dict[str, str], dict[str, float]]:
        cache.used, took = {}, dict.fromkeys(stages, 0.0)
        story = changed[number]
        return compared(story, cache, jobs if workers == 1 else 1, took, matching[story.id]), cache.used, took

    for story, (comparison, used, took) in zip(
        changed, map_numbers(compare_one, len(changed), workers, worth=2), strict=True
    ):
        made = KeptComparison(
            matching[story.id], comparing[story.id], pickled(comparison), pickled_overview(comparison)
        )
        cache.keep_story(story.id, keys[story.id], made, used)
        found[story.id] = comparison
        for stage, seconds in took.items():
            stages[stage] += seconds / workers  # the workers' seconds, as time passed
    cache.comparisons = {keys[story.id]: found[story.id] for story in archive.stories}
    return tuple(found[story.id] for story in archive.stories)


def compared(
    story: Story,
    cache: Cache | None = None,
    jobs: int = 1,
    stages: dict[str, float] | None = None,
    matching: str | None = None,
) -> Comparison:
    """Match one story, find its reused copy and compare its articles; each stage's time added
    to `stages`, where given. A story whose matching depends on nothing that has changed since
    the last build (an outlet renamed) is only compared again (`matching`: its
    Cache.matching_key, if taken already)."""
    started = time.perf_counter()
    cache = cache or Cache()
    if (before := matched_before(story, cache, matching or cache.matching_key(story))) is not None:
        statements, reuse = before
        matched = reused = time.perf_counter()
    else:
        # A worker matches the statements while this process aligns the articles (with the other
        # workers' help) and groups their reused copy: neither needs the other, and each is long.
        (found, used), copy = in_background(
            lambda: (shared_statements(story, cache, progress), cache.used),
            lambda: reused_copy(story, aligned_articles(story, cache, jobs)),
            jobs,
        )
        cache.used.update(used)  # a worker's cache is its own: what it used is kept here
        matched = time.perf_counter()
        statements, reuse = find_reuse(story, found, copy)
        reused = time.perf_counter()
    comparison = compare(story, statements, reuse)
    if stages is not None:
        stages["match"] += matched - started
        stages["reuse"] += reused - matched
        stages["compare"] += time.perf_counter() - reused
    return comparison


def compared_before(story: Story, cache: Cache, key: str, matching: str, comparing: str) -> Comparison | None:
    """The story's comparison as the last build made it, kept again under the story's new `key`,
    if the story has changed only in what comparing does not read (`comparing`: its
    Cache.compared_key): a title corrected, a note added. Made again with the story as it is now."""
    if not cache.compared_alike(story.id, comparing):
        return None
    cache.used = {}
    if (kept := cache.kept_matching(story.id, matching)) is None:
        return None
    cache.keep_story(story.id, key, kept, cache.used)  # as it was: the same matching and comparing
    return unpickled(kept.pickled, story)


def matched_before(story: Story, cache: Cache, matching: str) -> tuple[list[SharedStatement], Reuse] | None:
    """The story's statements and reused copy as the last build found them, if what its
    matching depends on has not changed since (`matching`: its Cache.matching_key): taken from
    the comparison it kept, made again with the story as it is now."""
    kept = cache.kept_matching(story.id, matching)
    if kept is None:
        return None
    last = unpickled(kept.pickled, story)
    return list(last.statements), Reuse(
        last.passages, {summary.article.id: summary.reuse for summary in last.summaries}
    )


def coverage_warnings(comparison: Comparison, before: dict[str, int]) -> list[str]:
    """A claim's part found in fewer than two articles, or in fewer than at the last build; a
    claim not found in an article it lists."""
    warnings = []
    claims_file = comparison.story.claims_file
    for row in comparison.coverage:
        name = f"claim '{row.claim.id}'" + (f", part '{row.part.id}'," if row.claim.has_parts else "")
        where = f"{claims_file}:{row.part.line}: {name}"
        if row.carried_by < 2:
            plural = "s" if row.carried_by != 1 else ""
            hint = ": check its wording, or add a rendering as an outlet words it" if row.carried_by == 0 else ""
            warnings.append(f"{where} is found in {row.carried_by} article{plural}, not two or more{hint}")
        elif row.carried_by < before.get(row.part.id, 0):
            warnings.append(f"{where} is found in {row.carried_by} articles, {before[row.part.id]} at the last build")
    for coverage in comparison.claims:
        found = {cell.article for cells in coverage.cells for cell in cells}
        for article_id in coverage.claim.articles:
            if article_id not in found:
                warnings.append(
                    f"{claims_file}:{coverage.claim.line}: claim '{coverage.claim.id}' is not found in {article_id}, which it lists"
                )
    return warnings


def build(
    source: Path,
    output: Path,
    templates: Path,
    cache: Cache,
    jobs: int = 1,
    indexers: int | None = None,
    search_later: bool = False,
    index_left: Unindexed | None = None,
) -> Result:
    """Check, then render and write the site; nothing is written if the input has errors.

    `indexers`: how many runs of Pagefind may index the site at once, `jobs` unless given: a
    process that must not fork (serve) can still run Pagefind side by side. `search_later`:
    the pages are put in place with the old search index, and `result.search` makes the new;
    `index_left`: the old index as the last build's left it, if that was stopped (see LaterIndex)."""
    with collector_paused():
        started = time.perf_counter()
        refuse_to_replace_sources(source, output)
        if not templates.is_dir():
            raise ArchiveError(templates, "no templates folder: name one with --templates DIR")
        result = checked(source, output, cache, jobs)
        # Pages are written beside the output as they are made, by whichever process makes
        # them; they replace the old site's only once all are made.
        with Staging(output, records=(PAGES_FILE, INDEXER_FILE)) as staging:
            # The cache is written, and let go, by this process while the workers start on the
            # pages (rendering a large archive needs the memory); before, where there are none.
            rendering = time.perf_counter()
            made = render_site(
                result.archive,
                result.comparisons,
                templates,
                staging,
                jobs,
                alongside=lambda: put_cache(staging, cache.released(result.archive.stories)),
            )
            indexing = time.perf_counter()
            # The search index is made from the finished pages, before they replace the old
            # site's; or after, where the pages are wanted sooner.
            if search_later:
                result.search, indexed = LaterIndex(staging, indexers or jobs, index_left), Written(0, 0)
            else:
                indexed = index_site(staging, indexers or jobs)
            result.written = made.written + indexed.written
            result.files = made.files + indexed.files
            writing = time.perf_counter()
        result.stages.update(
            render=indexing - rendering, search=writing - indexing, write=time.perf_counter() - writing
        )
        result.seconds = time.perf_counter() - started
        return result


def put_cache(staging: Staging, files: dict[str, bytes | None]) -> Written:
    """Put each story's file of the cache in the new site, the old one linked where it holds
    the same (None)."""
    for path in (path for path, content in files.items() if content is None):
        staging.keep([path])  # if the old site has lost it, the story is matched afresh next time
    return Written(
        len(files), sum(staging.put(path, content) for path, content in files.items() if content is not None)
    )


def find_reuse(
    story: Story, statements: list[SharedStatement], copy: ReusedCopy
) -> tuple[list[SharedStatement], Reuse]:
    """The reused copy, its passages named, and the statements without the sentences its passages hold whole."""
    taken = {name for s in statements for name in (s.id, *s.aliases)} | {name for c in story.claims for name in c.names}
    return outside_passages(statements, named(copy, taken))


def claims_found_before(output: Path) -> dict[str, int]:
    """How many articles each claim's part was found in at the last build, by part id (a claim
    of one sentence is one part, with the claim's id), as the site's page record keeps it."""
    return PageRecord.read(read_or_none(output / PAGES_FILE)).carried_by


def refuse_to_replace_sources(source: Path, output: Path) -> None:
    """The output folder is replaced whole: it must not hold anything the curator wrote."""
    source, target = source.resolve(), output.resolve()
    if (
        target == source
        or source.is_relative_to(target)
        or any(
            target.is_relative_to(source / name)
            for name in ("articles", "stories", "templates", "claims.yaml", "archive.yaml", "speakers.yaml")
        )
    ):
        raise ArchiveError(output, "refusing to use this as the output folder: it holds the archive's own files")
    if target.exists() and not target.is_dir():
        raise ArchiveError(output, "the output must be a folder, and this is a file")
    if target.is_dir() and any(target.iterdir()) and not (target / ARCHIVE_JSON).is_file():
        raise ArchiveError(output, f"refusing to replace a folder that is not a built site (it has no {ARCHIVE_JSON})")
