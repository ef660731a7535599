"""Results of the expensive work (cutting articles into units, scoring pairs of units, choosing
the articles each is aligned with, aligning pairs of articles; and each story's whole
comparison), kept between builds and keyed by a hash of their input and of what made them (the
code and the libraries it calls): an unchanged story is not matched again, an unchanged article
never cut again, an unchanged pair never scored nor aligned again, and a change to the code or
an upgrade of those libraries starts afresh.

The cache lives in memory during a build, and is saved with the site, in the output folder
(`.parallax-cache/matching.sqlite`), so that a build writes nothing anywhere else.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
import unicodedata
from array import array
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

CACHE_FILE = ".parallax-cache/matching.sqlite"

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
# A story's comparison is made by all the code but the rendering's and the command line's.
COMPARING = sorted(path for path in HERE.rglob("*.py") if "render" not in path.parts and path.name != "cli.py")


def matching_code(modules=MODULES, libraries=LIBRARIES) -> str:
    """A fingerprint of the code, the libraries' versions, Python's Unicode tables (what counts
    as a letter when text is folded) and how this machine stores integers."""
    parts = [module.read_bytes() for module in modules]
    parts += [f"{name} {metadata.version(name)}".encode() for name in libraries]
    parts.append(f"unicode {unicodedata.unidata_version}".encode())
    # Kept words are arrays of machine integers (reuse.words_row): another machine may read them otherwise.
    parts.append(f"integers {sys.byteorder} {array('I').itemsize}".encode())
    return hashlib.blake2b(b"\x00".join(parts), digest_size=8).hexdigest()


def digest(text: str) -> str:
    """A text's fingerprint, to key results by: shorter to hash again than the text."""
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


class Cache:
    """A key-value store of JSON values: a dictionary during the build, an SQLite file between."""

    def __init__(self, saved: bytes | None = None):
        self.code = matching_code()
        self.comparing = matching_code(COMPARING)
        self.results: dict[str, str] = {}
        self.kept_stories: dict[str, bytes] = {}  # from the last build
        self.stories: dict[str, bytes] = {}  # this build's: only these are saved
        self.loading = matching_code(LOADING, LOADING_LIBRARIES)
        self.kept_articles: dict[str, tuple[str, bytes]] = {}  # from the last build, as `articles`
        self.articles: dict[str, tuple[str, bytes]] = {}  # this build's: key -> (its capture, pickled)
        if saved:
            database = sqlite3.connect(":memory:")
            try:
                database.deserialize(saved)
                self.results = dict(database.execute("SELECT key, value FROM results"))
                self.kept_stories = dict(database.execute("SELECT key, value FROM stories"))
                self.kept_articles = {
                    key: (capture, value)
                    for key, capture, value in database.execute("SELECT key, capture, value FROM articles")
                }
            except sqlite3.DatabaseError:
                pass  # damaged, or from a version that kept fewer kinds: start afresh on those
            database.close()
        self.hits = self.misses = 0
        self.added: dict[str, str] = {}  # what this process computed: a worker hands it back

    @classmethod
    def of_site(cls, output: Path) -> Cache:
        """The cache saved with the site in `output`, if any."""
        try:
            return cls((output / CACHE_FILE).read_bytes())
        except OSError:
            return cls()

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
        found = self.results.get(self.key(kind, inputs))
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        return json.loads(found)

    def keep(self, kind: str, inputs: tuple, value: Any) -> None:
        """Keep a result computed elsewhere: by a worker process, whose cache is its own."""
        key = self.key(kind, inputs)
        self.results[key] = self.added[key] = json.dumps(value)

    def story_key(self, story: Any) -> str:
        """What a story's comparison is kept under: the story, whole, and the code that compares."""
        return hashlib.blake2b(f"{self.comparing}\x1f{story!r}".encode(), digest_size=16).hexdigest()

    def kept_story(self, key: str) -> bytes | None:
        """The comparison of a story as it was at the last build, pickled, if neither it nor the
        code has changed since (`key`: story_key). Pickled: it is this package's own objects, and
        the cache is the site's own file, written by this code only."""
        if key in self.kept_stories:
            self.stories[key] = self.kept_stories[key]
        return self.stories.get(key)

    def keep_story(self, key: str, comparison: bytes, added: dict[str, str]) -> None:
        """Keep a story's comparison, pickled, and the results its making added (in a worker process)."""
        self.stories[key] = comparison
        self.results.update(added)

    def article_key(self, path: Path, data: bytes) -> str:
        """The key of an article's file, read as `data`: its name is its id, and its bytes all the rest."""
        return hashlib.blake2b(
            b"\x1f".join([self.loading.encode(), str(path).encode(), data]), digest_size=16
        ).hexdigest()

    def kept_article(self, key: str) -> tuple[str, bytes] | None:
        """The article read at the last build from the same file, pickled, with its capture (see
        load.articles.capture_kept), if neither the file nor the loading code has changed since."""
        return self.kept_articles.get(key)

    def keep_article(self, key: str, capture: str, article: bytes) -> None:
        """Keep an article read without error or warning, pickled, with its capture."""
        self.articles[key] = (capture, article)

    def released(self) -> bytes:
        """Everything kept, as saved(); the cache is empty after."""
        data = self.saved()
        self.results, self.kept_stories, self.stories = {}, {}, {}
        self.kept_articles, self.articles = {}, {}
        return data

    def saved(self) -> bytes:
        """Everything kept, as an SQLite database file, sorted so that the same results give the same bytes."""
        database = sqlite3.connect(":memory:")
        database.execute("CREATE TABLE results (key TEXT PRIMARY KEY, value TEXT)")
        database.executemany("INSERT INTO results VALUES (?, ?)", sorted(self.results.items()))
        database.execute("CREATE TABLE stories (key TEXT PRIMARY KEY, value BLOB)")
        database.executemany("INSERT INTO stories VALUES (?, ?)", sorted(self.stories.items()))
        database.execute("CREATE TABLE articles (key TEXT PRIMARY KEY, capture TEXT, value BLOB)")
        database.executemany(
            "INSERT INTO articles VALUES (?, ?, ?)", sorted((key, *kept) for key, kept in self.articles.items())
        )
        database.commit()
        data = database.serialize()
        database.close()
        return data
