"""Results of the expensive work (cutting articles into units, scoring pairs of units, choosing
the articles each is aligned with, aligning pairs of articles; and each story's whole
comparison), kept between builds and keyed by a hash of their input and of what made them (the
code and the libraries it calls): an unchanged story is not matched again, an unchanged article
never cut again, an unchanged pair never scored nor aligned again, and a change to the code or
an upgrade of those libraries starts afresh.

The cache lives in memory during a build, and is saved with the site, in the output folder, so
that a build writes nothing anywhere else: one SQLite file per story
(`.parallax-cache/stories/<story id>.sqlite`) with its comparison, the results its matching
used, and its articles and claims as read, each file's key by its signature (an unchanged file
is not even read again: see settled_signature). A rebuild reads the results of the stories that
changed, and of the others only their articles, claims and comparisons' overviews (see
compare.LazyComparison); it keeps an unchanged story's file of the old site rather than writing
it again; and results no story used any more are dropped with their story's old file.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import sqlite3
import sys
import time
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from importlib import metadata
from operator import attrgetter
from pathlib import Path, PurePath
from typing import Any, NamedTuple

import orjson

CACHE_FOLDER = ".parallax-cache/stories"  # a file per story: story_file()

# What the kept results depend on besides their input: a change to any makes every old result a miss.
HERE = Path(__file__).parent
# The code that computes them: units and scores (match), alignments (reuse).
MODULES = (HERE / "extract.py", *sorted((HERE / "match").glob("*.py")), *sorted((HERE / "reuse").glob("*.py")))
LIBRARIES = ("rapidfuzz", "sentencex")  # the libraries it calls: scores, sentence boundaries
# An article's file is read and checked by the loading code and these libraries: Markdown, YAML,
# language codes, and reading its capture.
LOADING = (*sorted((HERE / "load").glob("*.py")), HERE / "model.py", HERE / "capture.py")
LOADING_LIBRARIES = (
    "markdown",
    "PyYAML",
    "langcodes",
    "language-data",
    "trafilatura",
    "warcio",
    "charset-normalizer",
    "lxml",
)


# A relative import, wherever it stands: `from .x import y`, `from .. import (a, b)`. Read from the
# text rather than parsed: parsing the package's modules took a third of the command line's start.
# A line of a docstring that reads like one would only count a module too many.
RELATIVE_IMPORT = re.compile(r"^[ \t]*from[ \t]+(\.+)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)", re.MULTILINE)
COMMENT = re.compile(r"#[^\n]*")


def imported_modules(*roots: Path, package: Path = HERE) -> list[Path]:
    """These modules of the package and every module of it they import, in turn: the code that
    runs when they do. Read from their import statements wherever they stand (some modules are
    imported only when a function needs them), with the packages each is in, which Python runs
    first."""
    found: set[Path] = set()
    waiting = list(roots)
    while waiting:
        module = waiting.pop()
        if module in found:
            continue
        found.add(module)
        inits = [folder / "__init__.py" for folder in module.parents if folder.is_relative_to(package)]
        waiting += [init for init in inits if init.is_file()]
        for dots, name, names in RELATIVE_IMPORT.findall(module.read_text(encoding="utf-8")):
            # `from .x import y`: x, a module or a package, and y, if a module of that package.
            base = module.parents[len(dots) - 1]
            named = base.joinpath(*name.split(".")) if name else None
            folder = named or base  # `from . import y`
            candidates = [named.with_suffix(".py"), named / "__init__.py"] if named else []
            listed = COMMENT.sub("", names).strip().strip("()").split(",")
            candidates += [folder / f"{alias.split()[0]}.py" for alias in listed if alias.strip()]  # `y as z`: y
            waiting += [path for path in candidates if path.is_file()]
    return sorted(found)


# A story's comparison is made by the stages that match, find reused copy and compare, and the
# code they run; and by pipeline.py, which runs them (not what it imports to render and index).
COMPARING = sorted(
    {
        HERE / "pipeline.py",
        *imported_modules(HERE / "compare.py", HERE / "match" / "__init__.py", HERE / "reuse" / "__init__.py"),
    }
)


# What a story's matching reads of each article (with its claims), and what comparing its
# articles reads besides (compare.py, lineage.py): a story changed in other fields only (a title,
# an author, notes) takes its last comparison whole. tests/test_rebuild.py changes every other
# field, and the comparison must stay as it was.
MATCHED_FIELDS = ("id", "published", "language", "text", "blocks")
COMPARED_FIELDS = ("outlet", "published_at", "translated_from")


class KeptComparison(NamedTuple):
    """A story's comparison as the cache keeps it, and what it depended on."""

    matching: str  # what its matching depended on (Cache.matching_key)
    compared: str  # what its comparing depended on besides (Cache.compared_key)
    pickled: bytes  # compare.pickled
    overview: bytes  # compare.pickled_overview


class KeptFile(NamedTuple):
    """A story's file of the last build, and what its comparison was kept under."""

    path: Path
    key: str  # Cache.story_key
    matching: str
    compared: str


def matching_code(modules=MODULES, libraries=LIBRARIES) -> str:
    """A fingerprint of the code, the libraries' versions, Python's Unicode tables (what counts
    as a letter when text is folded) and how this machine stores integers."""
    parts = [module.read_bytes() for module in modules]
    parts += [f"{name} {metadata.version(name)}".encode() for name in libraries]
    parts.append(f"unicode {unicodedata.unidata_version}".encode())
    # Kept words are arrays of machine integers (reuse.words_row): another machine may read them otherwise.
    parts.append(f"integers {sys.byteorder} {array('I').itemsize}".encode())
    return hashlib.blake2b(b"\x00".join(parts), digest_size=8).hexdigest()


def fingerprint(code: str, value: object) -> str:
    """A fingerprint of `value`, this package's data (dataclasses, named tuples, dates and
    paths, in lists, tuples and dictionaries), as made by `code`: its fields written as JSON.
    orjson writes them several times faster than `repr` (which calls a Python function for every
    dataclass), and fingerprints are taken of every page and story at every build."""
    encoded = orjson.dumps(value, default=as_plain, option=orjson.OPT_NON_STR_KEYS)
    return hashlib.blake2b(code.encode() + b"\x1f" + encoded, digest_size=16).hexdigest()


def as_plain(value: object) -> object:
    """What orjson writes of a value it has no rule for. A set has no order to write it in: none
    is fingerprinted, and one would fail the build here rather than give a fingerprint that
    changes from run to run."""
    if isinstance(value, tuple):  # a named tuple: its fields
        return tuple(value)
    if isinstance(value, PurePath):
        # Where a file lies changes nothing matched or shown (an article's id is a field of its
        # own), and one archive may be named `.` or by its full path: a path counts as there.
        return "a path"
    raise TypeError(f"{type(value).__name__} is not fingerprinted")


def digest(text: str) -> str:
    """A text's fingerprint, to key results by: shorter to hash again than the text."""
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


class Cache:
    """A key-value store of JSON values: dictionaries during the build, SQLite files between."""

    def __init__(self, saved: bytes | None = None):
        """An empty cache, or one holding all of `saved` (as saved() gives it)."""
        self.code = matching_code()
        self.comparing = matching_code(COMPARING)
        self.results: dict[str, str] = {}
        self.kept_stories: dict[str, KeptComparison] = {}  # from the last build, by story key
        self.stories: dict[str, KeptComparison] = {}  # this build's
        self.loading = matching_code(LOADING, LOADING_LIBRARIES)
        self.kept_articles: dict[str, tuple[str, bytes]] = {}  # from the last build, as `articles`
        # This build's articles read, by their story's folder: key -> (its capture, pickled).
        self.articles: dict[str, dict[str, tuple[str, bytes]]] = defaultdict(dict)
        self.kept_claims_files: dict[str, bytes] = {}  # from the last build, as `claims`
        self.claims: dict[str, dict[str, bytes]] = defaultdict(dict)  # this build's claims files read, likewise
        # The key of each file read (read_key), or the digest of each capture, by its signature
        # (signed_key), from the last build and this one's, by story folder likewise: an
        # unchanged file is not read again to be keyed.
        self.kept_reads: dict[str, str] = {}
        self.reads: dict[str, dict[str, str]] = defaultdict(dict)
        self.files: dict[str, KeptFile] = {}  # story id -> its file of the last build
        self.story_results: dict[str, dict[str, str]] = {}  # story key -> the results its matching used
        self.keys: dict[str, str] = {}  # story id -> the key of its comparison kept at this build
        self.real_folders: dict[str, str] = {}  # the archive's folders as named, and as they are on disk
        # This build's comparisons, as objects, by story key; and the last build's, where this
        # process made it and handed them on (carry_over).
        self.comparisons: dict[str, Any] = {}
        self.carried: dict[str, Any] = {}
        # Likewise the articles read, by key (read_key): the objects, which `serve` takes as
        # they are rather than unpickle them again (a third of reading 10,000 from the cache).
        self.read_articles: dict[str, Any] = {}
        self.carried_articles: dict[str, Any] = {}
        if saved:
            database = sqlite3.connect(":memory:")
            try:
                database.deserialize(saved)
                self.results = dict(database.execute("SELECT key, value FROM results"))
                self.kept_stories = {
                    key: KeptComparison(*kept)
                    for key, *kept in database.execute("SELECT key, matching, compared, value, overview FROM stories")
                }
                self.kept_articles = dict(kept_articles(database))
                self.kept_claims_files = dict(database.execute("SELECT key, value FROM claims"))
                self.kept_reads = dict(database.execute("SELECT signed, key FROM reads"))
            except sqlite3.DatabaseError:
                pass  # damaged, or from a version that kept fewer kinds: start afresh on those
            database.close()
        self.hits = self.misses = 0
        self.used: dict[str, str] = {}  # what this process read or computed: a worker hands it back

    @classmethod
    def of_site(cls, output: Path) -> Cache:
        """The cache saved with the site in `output`, if any: the articles and claims each
        story's file holds, read now; its comparison and results, read when asked for."""
        cache = cls()
        for path in sorted((output / CACHE_FOLDER).glob("*.sqlite")):
            try:
                with contextlib.closing(opened(path)) as database:
                    ((key, matching, compared),) = database.execute("SELECT key, matching, compared FROM stories")
                    cache.kept_articles.update(kept_articles(database))
                    cache.kept_claims_files.update(database.execute("SELECT key, value FROM claims"))
                    cache.kept_reads.update(database.execute("SELECT signed, key FROM reads"))
            except (sqlite3.DatabaseError, ValueError):
                continue  # damaged, or from a version that kept other kinds: that story starts afresh
            cache.files[path.stem] = KeptFile(path, key, matching, compared)
        return cache

    def key(self, kind: str, inputs: tuple) -> str:
        return hashlib.blake2b("\x1f".join([self.code, kind, *map(str, inputs)]).encode(), digest_size=16).hexdigest()

    def remember(self, kind: str, inputs: tuple, compute: Callable[[], Any]) -> Any:
        """The cached result of `compute` for these inputs, computing and keeping it if new."""
        value = self.get(kind, inputs)
        if value is None:
            value = compute()
            self.keep(kind, inputs, value)
        return value

    def get(self, kind: str, inputs: tuple) -> Any:
        """The result kept for these inputs; None if there is none."""
        key = self.key(kind, inputs)
        found = self.results.get(key)
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        self.used[key] = found
        return json.loads(found)

    def keep(self, kind: str, inputs: tuple, value: Any) -> None:
        """Keep a result computed elsewhere: by a worker process, whose cache is its own."""
        key = self.key(kind, inputs)
        self.results[key] = self.used[key] = json.dumps(value)

    def used_again(self, kind: str, inputs: tuple) -> None:
        """Count as used a result a worker process found here (a worker's cache is its own)."""
        key = self.key(kind, inputs)
        self.used[key] = self.results[key]

    def story_key(self, story: Any) -> str:
        """What a story's comparison is kept under: the story, whole, and the code that compares."""
        return fingerprint(self.comparing, story.digest)

    def matching_key(self, story: Any) -> str:
        """What a story's matching (its statements and reused copy) depends on: its articles'
        ids, dates (their order, and which were published the same day), languages and texts,
        with their paragraphs; its claims; and the code. Not the articles' other fields (title,
        outlet, author, notes...), which only the comparison made after reads."""
        return fingerprint(self.comparing, (list(map(attrgetter(*MATCHED_FIELDS), story.articles)), story.claims))

    def compared_key(self, story: Any, matching: str) -> str:
        """What a story's comparison depends on: its matching (`matching`: matching_key), and
        the fields of its articles that comparing them reads besides (COMPARED_FIELDS)."""
        return fingerprint(self.comparing, (matching, list(map(attrgetter(*COMPARED_FIELDS), story.articles))))

    def matched_alike(self, story_id: str, matching: str) -> bool:
        """Whether the last build's file of the story was matched from the same (`matching`: matching_key)."""
        return story_id in self.files and self.files[story_id].matching == matching

    def compared_alike(self, story_id: str, compared: str) -> bool:
        """Whether the last build's file of the story was compared from the same (`compared`: compared_key)."""
        return story_id in self.files and self.files[story_id].compared == compared

    def kept_matching(self, story_id: str, matching: str) -> KeptComparison | None:
        """The comparison kept at the last build of a story whose matching depended on the same
        (`matching`: matching_key), pickled, where the story has changed but not that; the
        results its matching used are used again, kept for the next."""
        if not self.matched_alike(story_id, matching):
            return None
        try:
            kept, results = stored(self.files[story_id].path)
        except (sqlite3.DatabaseError, ValueError):
            return None  # damaged since it was opened: the story is matched afresh
        self.used.update(results)
        return kept

    def kept_story(self, story_id: str, key: str) -> tuple[bytes, Callable[[], bytes]] | None:
        """The comparison of a story as it was at the last build, if neither it nor the code has
        changed since (`key`: story_key): its overview, pickled, and what reads it whole
        (see compare.LazyComparison). Pickled: it is this package's own objects, and the cache is
        the site's own file, written by this code only."""
        if key in self.kept_stories:
            kept = self.stories[key] = self.kept_stories[key]
            self.keys[story_id] = key
            return kept.overview, lambda: kept.pickled
        if self.file_key(story_id) != key:
            return None
        path = self.files[story_id].path
        try:
            with contextlib.closing(opened(path)) as database:
                ((overview,),) = database.execute("SELECT overview FROM stories")
        except (sqlite3.DatabaseError, ValueError):
            del self.files[story_id]  # damaged since it was opened: the story is matched afresh
            return None
        self.keys[story_id] = key  # its file is kept, or written again from itself: see next_story_file
        return overview, functools.partial(whole_comparison, path, key)

    def carry_over(self, last: Cache) -> None:
        """Take the comparisons the last build made or read with `last`, in this process (or,
        if it stopped before it had them, those it was handed): an unchanged story's is then
        taken as it is, not unpickled again (`serve`, which builds on every save, spent a
        second on that at 100 stories of 100); and likewise the articles it read."""
        self.carried = last.comparisons or last.carried
        self.carried_articles = last.read_articles or last.carried_articles

    def carried_story(self, story_id: str, key: str) -> Any | None:
        """The comparison of a story unchanged since the last build, as carried over, if the last
        build's file of the story is there to keep (else it is written again, from a pickle)."""
        comparison = self.carried.get(key)
        if comparison is None or self.file_key(story_id) != key:
            return None
        self.keys[story_id] = key
        return comparison

    def recall(self, changed: Sequence[str], present: Sequence[str]) -> None:
        """Read the results that stories to be matched again used at the last build: each one's
        own file; and where one has none (new, or renamed), those of the stories now gone."""
        wanted = {story_id for story_id in changed if story_id in self.files}
        if len(wanted) < len(changed):
            wanted |= set(self.files) - set(present)
        for story_id in sorted(wanted):
            try:
                with contextlib.closing(opened(self.files[story_id].path)) as database:
                    self.results.update(database.execute("SELECT key, value FROM results"))
            except sqlite3.DatabaseError:
                continue  # damaged since it was opened: what it held is computed afresh

    def file_key(self, story_id: str) -> str | None:
        """The key of the story whose file the last build kept under this id."""
        return self.files[story_id].key if story_id in self.files else None

    def keep_story(self, story_id: str, key: str, comparison: KeptComparison, used: dict[str, str]) -> None:
        """Keep a story's comparison, and the results its making used (in this process or a worker)."""
        self.stories[key] = comparison
        self.keys[story_id] = key
        self.story_results[key] = used

    def read_key(self, path: Path, data: bytes) -> str:
        """The key of a file of the archive read as `data`, an article's or a story's claims: its
        name (an article's is its id) and its bytes give all that is read from it. Its folder
        counts as it is on disk, however the archive was named (`.` or its full path)."""
        return self.loaded_from(path, data)

    def signed_key(self, path: Path) -> str | None:
        """What the key of a file of the archive is kept under by its signature (see
        settled_signature), as read_key but for the signature in place of the bytes; None while
        it has none."""
        signature = settled_signature(path)
        return None if signature is None else self.loaded_from(path, signature.encode())

    def loaded_from(self, path: Path, content: bytes) -> str:
        """A hash of the loading code, where the file lies on disk, and `content`."""
        folder, name = os.path.split(path)  # not pathlib's, which took a tenth of loading 10,000 files
        where = f"{self.real_folder(folder)}/{name}".encode()
        return hashlib.blake2b(b"\x1f".join([self.loading.encode(), where, content]), digest_size=16).hexdigest()

    def real_folder(self, folder: Path | str) -> str:
        """The folder as it is on disk, links resolved: once a folder, resolving is slow."""
        named = os.fspath(folder)
        if named not in self.real_folders:
            self.real_folders[named] = str(Path(named).resolve())
        return self.real_folders[named]

    def unchanged_key(self, signed: str | None) -> str | None:
        """The key of a file read at the last build (or its digest: see keep_read), if its
        signature (`signed`: its signed_key) is the one it had then."""
        return self.kept_reads.get(signed) if signed else None

    def keep_read(self, folder: Path, signed: str | None, key: str) -> None:
        """Keep the key of a file of the story in `folder` (or, of a capture, its digest), by its signed_key."""
        if signed:
            self.reads[str(folder)][signed] = key

    def kept_article(self, key: str) -> tuple[str, bytes] | None:
        """The article read at the last build from the same file, pickled, with its capture (see
        load.articles.capture_kept), if neither the file nor the loading code has changed since."""
        return self.kept_articles.get(key)

    def keep_article(self, folder: Path, key: str, capture: str, article: Any, pickled: bytes) -> None:
        """Keep an article of the story in `folder` read without error or warning, pickled, with its capture."""
        self.articles[str(folder)][key] = (capture, pickled)
        self.read_articles[key] = article

    def kept_claims(self, key: str) -> bytes | None:
        """A story's claims file as read at the last build, pickled, if neither the file nor the
        loading code has changed since."""
        return self.kept_claims_files.get(key)

    def keep_claims(self, folder: Path, key: str, read: bytes) -> None:
        """Keep the story's claims file in `folder` as read without error or warning, pickled."""
        self.claims[str(folder)][key] = read

    def released(self, stories: Sequence[Any]) -> dict[str, bytes | None]:
        """Each story's file for the next build, by its path in the site: None where the last
        build's file is the one to keep, its story unchanged. The cache is empty after, but for
        the objects a build in this process hands on (see carry_over), which the archive holds anyway."""
        files = {
            story_file(story.id): self.next_story_file(story.id, key, str(story.folder))
            for story in stories
            if (key := self.keys.get(story.id)) is not None
        }
        self.results, self.kept_stories, self.stories, self.story_results, self.keys = {}, {}, {}, {}, {}
        self.kept_articles, self.articles = {}, defaultdict(dict)
        self.kept_claims_files, self.claims = {}, defaultdict(dict)
        self.kept_reads, self.reads = {}, defaultdict(dict)
        return files

    def next_story_file(self, story_id: str, key: str, folder: str) -> bytes | None:
        """The story's file for the next build (`key`: its story_key; `folder`: where it lies);
        None where the last build's is the one to keep: the story unchanged, and each of its files
        taken by a signature that one keeps. A file read again whose signature it lacks (changed
        moments before that build, or since copied or checked out: see settled_signature) would
        else be read at every build until the story changes."""
        read = (self.articles.get(folder, {}), self.claims.get(folder, {}), self.reads.get(folder, {}))
        if self.file_key(story_id) != key:
            return saved(self.story_results.get(key, {}), {key: self.stories[key]}, *read)
        if all(signed in self.kept_reads for signed in read[2]):
            return None
        try:
            kept, results = stored(self.files[story_id].path)
        except (sqlite3.DatabaseError, ValueError):
            return None  # damaged since it was opened: its story is matched afresh next time
        return saved(results, {key: kept}, *read)

    def saved(self) -> bytes:
        """Everything kept, as one SQLite database file."""
        articles = {key: kept for folder in self.articles.values() for key, kept in folder.items()}
        claims = {key: kept for folder in self.claims.values() for key, kept in folder.items()}
        reads = {signed: key for folder in self.reads.values() for signed, key in folder.items()}
        # A story kept from its file of the last build is read from there whole (see kept_story).
        stories = dict(self.stories)
        for story_id, key in self.keys.items():
            if key not in stories:
                stories[key] = stored(self.files[story_id].path)[0]
        return saved(self.results, stories, articles, claims, reads)


def story_file(story_id: str) -> str:
    """Where a story's part of the cache is kept in the site."""
    return f"{CACHE_FOLDER}/{story_id}.sqlite"


def opened(path: Path) -> sqlite3.Connection:
    """A story's file of the last build, to read: it is never written in place."""
    return sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro&immutable=1", uri=True)


def stored(path: Path) -> tuple[KeptComparison, dict[str, str]]:
    """A story's file's comparison and the results its matching used; an error of sqlite3's, or
    ValueError, where the file is damaged."""
    with contextlib.closing(opened(path)) as database:
        ((*kept,),) = database.execute("SELECT matching, compared, value, overview FROM stories")
        return KeptComparison(*kept), dict(database.execute("SELECT key, value FROM results"))


def whole_comparison(path: Path, key: str) -> bytes:
    """The comparison kept under `key` in a story's file, pickled whole: read once a build asks
    for more than its overview (see Cache.kept_story). A story's file is never written in place,
    and one written again under the same key holds the same comparison; but a site removed
    meanwhile could not be read."""
    try:
        with contextlib.closing(opened(path)) as database:
            found = database.execute("SELECT value FROM stories WHERE key = ?", (key,)).fetchone()
    except sqlite3.DatabaseError as error:
        found, problem = None, str(error)
    else:
        problem = "it no longer holds it"
    if found is None:
        from .model import ArchiveError  # model.py imports this module

        raise ArchiveError(path, f"the story's comparison kept there could not be read again ({problem}): build again")
    return found[0]


def kept_articles(database: sqlite3.Connection) -> Iterator[tuple[str, tuple[str, bytes]]]:
    for key, capture, value in database.execute("SELECT key, capture, value FROM articles"):
        yield key, (capture, value)


def saved(
    results: dict[str, str],
    stories: dict[str, KeptComparison],
    articles: dict[str, tuple[str, bytes]],
    claims: dict[str, bytes],
    reads: dict[str, str],
) -> bytes:
    """An SQLite database file of these, sorted so that the same results give the same bytes."""
    database = sqlite3.connect(":memory:")
    database.execute("CREATE TABLE results (key TEXT PRIMARY KEY, value TEXT)")
    database.executemany("INSERT INTO results VALUES (?, ?)", sorted(results.items()))
    database.execute(
        "CREATE TABLE stories (key TEXT PRIMARY KEY, matching TEXT, compared TEXT, value BLOB, overview BLOB)"
    )
    database.executemany(
        "INSERT INTO stories VALUES (?, ?, ?, ?, ?)", sorted((key, *kept) for key, kept in stories.items())
    )
    database.execute("CREATE TABLE articles (key TEXT PRIMARY KEY, capture TEXT, value BLOB)")
    database.executemany(
        "INSERT INTO articles VALUES (?, ?, ?)", sorted((key, *kept) for key, kept in articles.items())
    )
    database.execute("CREATE TABLE claims (key TEXT PRIMARY KEY, value BLOB)")
    database.executemany("INSERT INTO claims VALUES (?, ?)", sorted(claims.items()))
    database.execute("CREATE TABLE reads (signed TEXT PRIMARY KEY, key TEXT)")
    database.executemany("INSERT INTO reads VALUES (?, ?)", sorted(reads.items()))
    database.commit()
    data = database.serialize()
    database.close()
    return data


# A file changed this recently (in nanoseconds) may change again within the resolution of its
# time stamps (a second or two on some file systems) and keep its signature: it is not trusted.
SETTLED_NS = 3_000_000_000


def settled_signature(path: Path) -> str | None:
    """What a file of the archive is on disk (its device, inode, size, and times of modification
    and of change), taken before it is read: the same signature at the next build means the same
    bytes, as a version control system trusts it, unless the file was changed too recently for
    its times to tell; None then, or if it cannot be looked at."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    if time.time_ns() - max(status.st_mtime_ns, status.st_ctime_ns) < SETTLED_NS:
        return None
    return f"{status.st_dev}:{status.st_ino}:{status.st_size}:{status.st_mtime_ns}:{status.st_ctime_ns}"
