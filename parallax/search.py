"""Search: the finished site indexed with Pagefind, for its search page.

A static site has no server to search on, so the index is made at build time: Pagefind reads the
pages as a browser would, and writes an index cut into small files that the search page's
script fetches as needed, with the scripts that read it. Pages marked `data-pagefind-body`
(articles, claims, outlets and speakers) are indexed; the others are not.

Pagefind is handed each page without the parts it would read only to skip (see `searched_part`):
an article's notes, three quarters of its page, cost a third of Pagefind's processor time so.

Pagefind cannot add a page to an index: it reads every page each time. So the pages are split
into buckets, each indexed by a run of its own, and a rebuild indexes again only the buckets
whose pages changed; the others' indexes are the old site's files, kept.
Pages that change together are kept together: each section (articles, claims, outlets,
speakers) has buckets of its own, since a claim's page changes with every article that carries
it and an article's page seldom does; within a section, a story's pages go together, since
they change together, and a page of no story goes by a hash of its path (see `buckets`).
A page is changed, to search, only where what search reads of it has: the rendering records a
fingerprint of that (see render/fingerprints.py) for the pages of articles, claims, outlets and
speakers. Not of an article's notes, nor of the lists of articles on the others' pages, which
search ignores and which change with other articles: a corrected title changes every page
naming the article, and only its own to search.
In the site:

    pagefind/buckets.json       {"buckets": ["articles-0", ...]}: the buckets that have pages to search
    pagefind/<section>-<n>/     a bucket's index, a whole Pagefind bundle (pagefind.js and all)
    .parallax-cache/search.json what made the index

The search page's script searches every bucket and merges their results (see static/search.js).

The binary is the one the `pagefind_bin` package ships, never another found on the machine: the
build needs no network. The same pages must give the same index files byte for byte, so that
unchanged ones are kept like any other file of the site (see write.py) and a build can be checked
by building again. Pagefind 1.5 writes all but one kind of file so: its filter indexes list their
values, and its metadata lists the filters, in the order of a hash map that changes from run to
run. `sort_filters` puts them in order, as later versions of Pagefind do, and names the files by
their content as Pagefind does.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import tempfile
import threading
import zlib
from collections import Counter
from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import pagefind_bin

from .model import ArchiveError
from .render.addresses import PAGES_FILE, SECTION_LIST
from .render.fingerprints import PageRecord
from .render.site import Written
from .write import Staging, staging_prefix

INDEX_FOLDER = "pagefind"  # where the index stands in the site; search.js loads it from there
BUCKETS_FILE = f"{INDEX_FOLDER}/buckets.json"
INDEXER_FILE = ".parallax-cache/search.json"
# The folders of the pages search indexes: Pagefind need not read the others (overviews and
# lists, large in a large archive) only to find them unmarked.
INDEXED_FOLDERS = ("articles", "claims", "outlets", "speakers")
# A page Pagefind indexes: one with an element marked for it (text cannot hold a bare "<").
MARKED = re.compile(rb"<[a-z]+\s[^<>]*\bdata-pagefind-body[\s>]")
# Elements Pagefind reads only to skip: marked data-pagefind-ignore (bare, which keeps the
# filters and metadata inside them: those are left where any are), and of a kind whose end tag
# is never left out (unlike <p>), so that the first end tag at their depth is theirs.
SKIPPED = ("div", "dl", "ul", "ol", "details", "section", "aside", "h1", "h2", "h3", "h4", "h5", "h6")
IGNORED = re.compile(rb"<(" + "|".join(SKIPPED).encode() + rb")\s[^<>]*\bdata-pagefind-ignore[\s>]")
TAGS = {name: re.compile(rb"<(/?)" + name.encode() + rb"\b[^<>]*>") for name in SKIPPED}  # its start and end tags
# A folder in memory, on Linux, and the room it must have for Pagefind's runs to work there: a
# run holds its bucket's pages, cut (some 7 MB), and their index (some 4 MB); a container's may
# be 64 MB in all, too little for a run on each of many cores.
MEMORY_FOLDER = Path("/dev/shm")
MEMORY_ROOM = 512 * 2**20
# Pages a bucket holds on average, at most (half that at least, the count of buckets being a
# power of two). Pagefind takes some 0.2 s to start and 3 to 6 ms a page: a rebuild indexes
# again a bucket in a second or two. Fewer, larger buckets would cost a rebuild more; more,
# smaller ones would cost the search page, which loads each bucket's index and WebAssembly.
PAGES_PER_BUCKET = 512
STOP_CHECK_SECONDS = 0.05  # how often a run of Pagefind that may be stopped looks whether it is
# Pagefind's ready-made interfaces and highlighter, which the site leaves out: the search page has
# its own few lines (static/search.js), in the site's style.
NOT_USED = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.")


class Bucket(NamedTuple):
    name: str  # its section, and its number among the section's buckets: "articles-3"
    pages: tuple[str, ...]  # the paths of its pages in the site, in order

    @property
    def folder(self) -> str:
        return f"{INDEX_FOLDER}/{self.name}"


class Indexer(NamedTuple):
    """What the index was made of and by, as recorded in INDEXER_FILE: the same pages in a
    bucket, indexed by the same indexer, give the same files."""

    fingerprint: str  # of this module's code and Pagefind's version
    buckets: dict[str, list[str]]  # each bucket's pages, by its name


def index_site(
    staging: Staging, jobs: int = 1, before: Before | None = None, stop: threading.Event | None = None
) -> Written:
    """Index the pages of the new site, bucket by bucket, and put each index file in it: a
    bucket's old files if its pages are, to search, those it was made from; else its files anew,
    by up to `jobs` runs of Pagefind at once. `before`: the old site's index as it was before the
    new pages were put in place (see LaterIndex); else as the old site has it. `stop`: once it
    is set, the runs are stopped, and `Stopped` says what the old index is worth now.

    Errors name the output folder: the new site's is thrown away."""
    pagefind = executable(staging.output)
    made_by = fingerprint(pagefind, staging.output)
    record = PageRecord.read(staging.new(PAGES_FILE))  # what the rendering made
    made = staging.staged()
    before = before or Before.of(staging, record, made)
    # The old site's buckets, if the same indexer made them: else every bucket anew.
    last = before.indexer
    old_pages = (
        {name: tuple(pages) for name, pages in last.buckets.items()} if last and last.fingerprint == made_by else {}
    )
    now = buckets(indexed_pages(made | staging.kept), story_of(record))
    kept = [
        None if bucket.name in before.stale else unchanged(bucket, old_pages, before.searched, staging)
        for bucket in now
    ]
    # Each run is a process of its own, which a thread waits for; each puts files of its own.
    try:
        with ThreadPoolExecutor(max(1, jobs)) as runs:
            indexes = list(
                runs.map(lambda bucket, old: old or index_bucket(bucket, pagefind, staging, stop), now, kept)
            )
    except Stopped:
        # Every bucket that was to be indexed again may be stale: those done are thrown away with the new site.
        stale = before.stale | {bucket.name for bucket, old in zip(now, kept) if old is None}
        raise Stopped(Unindexed(last, stale)) from None
    listed = [bucket.name for bucket, index in zip(now, indexes) if index.files]
    indexer = Indexer(made_by, {bucket.name: list(bucket.pages) for bucket in now})
    written = sum(index.written for index in indexes)
    written += staging.put(BUCKETS_FILE, json.dumps({"buckets": listed}).encode())
    written += staging.put(INDEXER_FILE, json.dumps(indexer._asdict()).encode())
    return Written(sum(index.files for index in indexes) + 2, written)


def executable(output: Path) -> str:
    try:
        return pagefind_bin.get_executable()
    except FileNotFoundError:
        raise ArchiveError(output, "Pagefind is not installed: pip install 'pagefind[bin]'") from None


def fingerprint(pagefind: str, output: Path) -> str:
    """This module's code and the version Pagefind says it is: what the index files depend on
    but the pages."""
    version = run_pagefind([pagefind, "--version"], output)
    return hashlib.blake2b(Path(__file__).read_bytes() + version.encode(), digest_size=16).hexdigest()


def indexed_pages(site: Collection[str]) -> list[str]:
    """The pages in the folders search indexes, of the site's files, in order; not the lists at
    their index.html and their later pages (index--2.html: no id can take those names), which are
    never indexed and change with every page added: in a bucket, they would have it indexed anew."""
    return sorted(
        path
        for path in site
        if path.endswith(".html")
        and (folder := path.partition("/"))[0] in INDEXED_FOLDERS
        and "/" not in folder[2]
        and not SECTION_LIST.fullmatch(folder[2])
    )


def bucket_count(pages: int) -> int:
    """The fewest buckets, a power of two, that hold PAGES_PER_BUCKET pages each or fewer on average."""
    count = 1
    while count * PAGES_PER_BUCKET < pages:
        count *= 2
    return count


def buckets(pages: list[str], story_of: dict[str, str]) -> list[Bucket]:
    """The pages split into buckets, section by section, each section's into as many as it needs.

    A story's pages (`story_of`, by path) go together, in as few buckets as hold them, for they
    change together: an article added marks sentences in others, and each claim page names the
    articles that carry it. Its first bucket goes by a hash of its id, the others follow, and
    its pages go among them by a hash of their path; a page of no story, by a hash of its path.
    A page stays in its bucket as long as its section's and its story's counts do."""
    found = []
    for section in INDEXED_FOLDERS:
        paths = [page for page in pages if page.startswith(f"{section}/")]
        count = bucket_count(len(paths))
        per_story = Counter(story_of.get(page) for page in paths)
        held: list[list[str]] = [[] for _ in range(count)]
        for page in paths:
            story = story_of.get(page)
            number = (
                hashed(page) % count if not story else hashed(story) + hashed(page) % bucket_count(per_story[story])
            )
            held[number % count].append(page)
        found += [Bucket(f"{section}-{number}", tuple(pages)) for number, pages in enumerate(held)]
    return found


def hashed(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big")


def story_of(record: PageRecord) -> dict[str, str]:
    """The story each of the stories' own pages is of, by path."""
    return {page: story for story, made in record.stories.items() for page in made.pages}


def last_indexer(staging: Staging) -> Indexer | None:
    try:
        return Indexer(**json.loads(staging.old(INDEXER_FILE) or b""))
    except (ValueError, TypeError):
        return None


def unchanged(
    bucket: Bucket, old_pages: dict[str, tuple[str, ...]], searched: Searched, staging: Staging
) -> Written | None:
    """Link the bucket's old index into the new site if its pages are those it was made from,
    and each is what it was to search; None if not."""
    if old_pages.get(bucket.name) != bucket.pages or not all(searched.same(page) for page in bucket.pages):
        return None
    files = files_in(staging.output, bucket.folder)
    # A bucket with nothing to index has no index: it is looked at again, which costs little.
    return Written(len(files), 0) if files and staging.keep(files) else None


def files_in(site: Path, folder: str) -> list[str]:
    """The paths of the files in a folder of the site, in order. Walked as strings: a large
    archive's buckets hold thousands of files, and are looked at on every build."""
    start = len(os.fspath(site)) + 1  # where a path within the site begins
    return sorted(f"{parent[start:]}/{name}" for parent, _, names in os.walk(site / folder) for name in names)


class Searched:
    """Whether a page of the new site is, to search, what it was in the old one: the very same
    file (a page whose bytes did not change is the old file, kept: see write.py), or the same
    fingerprint of what search indexes of it, where the rendering took one (the pages of
    articles, claims, outlets and speakers, whose notes and lists search ignores). Either will
    do: a template edited without changing a page (a comment) changes the fingerprint, which
    counts the template, and not the page."""

    def __init__(self, staging: Staging, now: dict[str, str], made: frozenset[str]):
        self.before = PageRecord.read(staging.old(PAGES_FILE)).searched
        self.now = now
        self.kept = staging.kept - made

    def same(self, page: str) -> bool:
        return page in self.kept or (page in self.now and self.before.get(page) == self.now[page])


class Unindexed(NamedTuple):
    """The index a stopped LaterIndex left in the site: what made it (its record, which the
    site no longer holds), and its buckets whose files are not those of the pages now there."""

    indexer: Indexer | None
    stale: frozenset[str]


class Stopped(Exception):
    """The index was not made again: it was stopped, a file having changed meanwhile. `left`:
    what the old index is worth now (see index_site)."""

    def __init__(self, left: Unindexed | None = None):
        super().__init__("the search index was stopped before it was made")
        self.left = left


class Before(NamedTuple):
    """The old site's search index: what made it, whether each page of the new site is, to
    search, what it was in the old, and the buckets whose old files are stale whatever their
    pages (left so by an index stopped before it was done)."""

    indexer: Indexer | None
    searched: Searched
    stale: frozenset[str] = frozenset()

    @classmethod
    def of(cls, staging: Staging, record: PageRecord, made: frozenset[str], left: Unindexed | None = None) -> Before:
        """Of the old site, the new pages being `made` as the rendering recorded them; its index
        as a stopped one `left` it, where the old site holds no record of its own (a site with a
        record was indexed whole since: a build from the command line, say)."""
        searched = Searched(staging, record.searched, made)
        indexer = last_indexer(staging)
        if indexer is None and left is not None:
            return cls(left.indexer, searched, left.stale)
        return cls(indexer, searched)


class LaterIndex:
    """The search index, made again once the new pages are in place rather than before (serve,
    which shows an edit sooner so). The old index stays in the site meanwhile, without its
    record: were it not made again (serve stopped), the next build would make it whole.

    It may be stopped (a file saved again while it runs: the next build waits for no index that
    it would make stale); the next build's is then made with what this one `left`."""

    def __init__(self, staging: Staging, jobs: int, left: Unindexed | None = None):
        self.output, self.jobs = staging.output, jobs
        # Taken while the old site is there to tell.
        self.before = Before.of(staging, PageRecord.read(staging.new(PAGES_FILE)), staging.staged(), left)
        staging.keep(sorted(path for path in staging.old_files if path.startswith(f"{INDEX_FOLDER}/")))

    def run(self, stop: threading.Event | None = None) -> Written:
        """Index the site where it stands: its files kept, but for the index's. Once `stop` is
        set, the site is left as it is, and `Stopped` raised."""
        with Staging(self.output, records=(INDEXER_FILE,)) as staging:
            staging.keep(sorted(path for path in staging.old_files if not is_index_file(path)))
            return index_site(staging, self.jobs, self.before, stop)


def is_index_file(path: str) -> bool:
    return path.startswith(f"{INDEX_FOLDER}/") or path == INDEXER_FILE


def index_bucket(bucket: Bucket, pagefind: str, staging: Staging, stop: threading.Event | None = None) -> Written:
    """Index the bucket's marked pages and put its index files in the new site; `Stopped`
    once `stop` is set.

    Pagefind reads a folder of its own, holding the bucket's pages at their paths in the site
    (so that their addresses are right), cut of what it skips, and writes into another: it adds
    to whatever a folder holds, and `staging.put` keeps the files that did not change."""
    output = staging.output
    with tempfile.TemporaryDirectory(prefix=staging_prefix(output), dir=scratch_folder(output)) as folder:
        pages, index = Path(folder, "pages"), Path(folder, "index")
        if not sum(put_searched(Path(staging.where(page)), pages / page) for page in bucket.pages):
            return Written(0, 0)
        run_indexer(pagefind, pages, index, output, stop)
        try:
            sort_filters(index)
        except (OSError, ValueError, KeyError, IndexError, TypeError, zlib.error) as problem:
            raise ArchiveError(output, f"Pagefind's index is not in the form this build knows: {problem}") from None
        files = sorted(path for path in index.rglob("*") if path.is_file() and not path.name.startswith(NOT_USED))
        written = sum(
            staging.put(f"{bucket.folder}/{path.relative_to(index).as_posix()}", path.read_bytes()) for path in files
        )
    return Written(len(files), written)


def scratch_folder(output: Path) -> Path:
    """Where Pagefind's runs read and write: a folder in memory where the system has one with
    room (MEMORY_FOLDER), else beside the output. A run writes a file for each page and more,
    read once and thrown away: at 10,000 articles, search took 12 s so, against 18 to 26 s on disk."""
    try:
        room = os.statvfs(MEMORY_FOLDER)
    except OSError:
        return output.parent
    if os.access(MEMORY_FOLDER, os.W_OK) and room.f_bavail * room.f_frsize >= MEMORY_ROOM:
        return MEMORY_FOLDER
    return output.parent


def put_searched(page: Path, target: Path) -> bool:
    """Put the page, as Pagefind is to read it, at `target`, if Pagefind indexes any of it."""
    content = page.read_bytes()
    if not MARKED.search(content):
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(searched_part(content))
    return True


def searched_part(page: bytes) -> bytes:
    """The page without the elements Pagefind would read only to skip (IGNORED): it makes the
    same index of it, sooner. An element holding anything else of Pagefind's is kept."""
    kept, start, position = [], 0, 0
    while found := IGNORED.search(page, position):
        end = element_end(page, found)
        if end is None or page.count(b"data-pagefind-", found.start(), end) > 1:
            position = found.end()
            continue
        kept.append(page[start : found.start()])
        start = position = end
    kept.append(page[start:])
    return b"".join(kept)


def element_end(page: bytes, opened: re.Match[bytes]) -> int | None:
    """Where the element opened here ends: after the end tag at its depth; None if none does."""
    depth = 1
    for tag in TAGS[opened.group(1).decode()].finditer(page, opened.end()):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return tag.end()
    return None


def run_indexer(pagefind: str, pages: Path, index: Path, output: Path, stop: threading.Event | None = None) -> None:
    """One run of Pagefind: the pages in `pages` indexed into `index`."""
    run_pagefind([pagefind, "--site", str(pages), "--output-path", str(index), "--silent"], output, stop)


def run_pagefind(arguments: list[str], output: Path, stop: threading.Event | None = None) -> str:
    """What Pagefind says, run with these arguments; a one-line error if it fails; `Stopped`,
    the run killed, if `stop` is set before it is done.

    It runs in the folder that holds the site: the one it was started from may be gone (a shell
    left in a site folder that a build has since replaced), and Pagefind stops if it is."""
    if stop is not None and stop.is_set():
        raise Stopped
    try:
        process = subprocess.Popen(
            arguments,
            cwd=output.parent,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
        )
    except OSError as problem:
        raise ArchiveError(output, f"Pagefind could not run: {problem.strerror}") from None
    with process:
        while True:
            try:
                said, _ = process.communicate(timeout=None if stop is None else STOP_CHECK_SECONDS)
                break
            except subprocess.TimeoutExpired:
                if stop is not None and stop.is_set():
                    process.kill()
                    process.communicate()
                    raise Stopped from None
    if process.returncode != 0:
        lines = [line.strip().removeprefix("Error: ") for line in said.splitlines() if line.strip()]
        reason = lines[0] if lines else f"it stopped with status {process.returncode}"
        raise ArchiveError(output, f"Pagefind could not index the site: {reason}")
    return said


SIGNATURE = b"pagefind_dcd"  # what each of Pagefind's index files begins with, once unpacked


def sort_filters(index: Path) -> None:
    """Rewrite Pagefind's filter indexes with their values in order, and its metadata with its
    filters in order, each file named by its content as Pagefind names it."""
    entry_file = index / "pagefind-entry.json"
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    for language, about in entry["languages"].items():
        meta_file = index / f"pagefind.{about['hash']}.pf_meta"
        meta = unpacked(meta_file)
        filters = sorted(meta[3])  # [name, the hash its file is named by], for each filter
        files = [index / "filter" / f"{hashed}.pf_filter" for _, hashed in filters]
        contents = [unpacked(file) for file in files]
        for file in [meta_file, *files]:
            file.unlink()
        for listed, (name, values) in zip(filters, contents):
            listed[1] = write_packed(index / "filter", "{}.pf_filter", language, 7, [name, sorted(values)])
        meta[3] = filters
        about["hash"] = write_packed(index, "pagefind.{}.pf_meta", language, len(language) + 8, meta)
    entry_file.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def unpacked(path: Path) -> list:
    """One of Pagefind's index files: gzip, around its signature and a CBOR array."""
    data = zlib.decompress(path.read_bytes(), wbits=31)
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path.name} does not begin as Pagefind's files do")
    value, end = cbor_item(data, len(SIGNATURE))
    if end != len(data) or not isinstance(value, list) or SIGNATURE + cbor(value) != data:
        raise ValueError(f"{path.name} holds more than plain arrays, strings and numbers")
    return value


def write_packed(folder: Path, name: str, language: str, digits: int, value: list) -> str:
    """Write `value` as Pagefind writes an index file, named by its content; return the name's hash.

    The name is the start of the content's hash, longer if another file has it, as in Pagefind."""
    data = SIGNATURE + cbor(value)
    # Pagefind's own hash: SHA-1, each byte in hexadecimal without a leading zero.
    digest = "".join(f"{byte:x}" for byte in hashlib.sha1(data[len(SIGNATURE) :]).digest())
    while (target := folder / name.format(hashed := f"{language}_{digest[:digits]}")).exists() and digits < len(digest):
        digits += 1
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    # Pagefind's gzip header, with no time and no system in it; the data; its checksum and size.
    header = bytes([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 2, 0xFF])
    trailer = zlib.crc32(data).to_bytes(4, "little") + len(data).to_bytes(4, "little")
    target.write_bytes(header + deflate.compress(data) + deflate.flush() + trailer)
    return hashed


# The little of CBOR (RFC 8949) that Pagefind's metadata and filter indexes use: unsigned numbers,
# text and arrays, each with the shortest head.
NUMBER, TEXT, ARRAY = 0, 3, 4


def cbor_item(data: bytes, at: int) -> tuple[int | str | list, int]:
    """The item at `at`, and where the next one starts."""
    kind, size = data[at] >> 5, data[at] & 31
    at += 1
    if size >= 24:
        if size > 27:
            raise ValueError("an item of unknown length")
        width = 1 << (size - 24)
        size, at = int.from_bytes(data[at : at + width], "big"), at + width
    if kind == NUMBER:
        return size, at
    if kind == TEXT:
        return data[at : at + size].decode("utf-8"), at + size
    if kind == ARRAY:
        items = []
        for _ in range(size):
            item, at = cbor_item(data, at)
            items.append(item)
        return items, at
    raise ValueError(f"an item of CBOR major type {kind}")


def cbor(value: int | str | list) -> bytes:
    if isinstance(value, str):
        text = value.encode("utf-8")
        return cbor_head(TEXT, len(text)) + text
    if isinstance(value, list):
        return cbor_head(ARRAY, len(value)) + b"".join(cbor(item) for item in value)
    return cbor_head(NUMBER, value)


def cbor_head(kind: int, size: int) -> bytes:
    if size < 24:
        return bytes([kind << 5 | size])
    width = next(width for width in (1, 2, 4, 8) if size < 1 << (8 * width))
    return bytes([kind << 5 | (24 + width.bit_length() - 1)]) + size.to_bytes(width, "big")
