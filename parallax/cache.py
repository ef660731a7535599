"""Results of the expensive work (cutting articles into units, scoring pairs of units), kept
between builds and keyed by a hash of their input and of the code that made them: an unchanged
article is never cut again, an unchanged pair never scored again, and a change to the matching
code starts afresh.

The cache lives in memory during a build, and is saved with the site, in the output folder
(`.parallax-cache/matching.sqlite`), so that a build writes nothing anywhere else.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any, Callable

CACHE_FILE = ".parallax-cache/matching.sqlite"

# The code whose results are kept: a change to it makes every old result a miss.
CODE = hashlib.blake2b(
    b"".join(Path(__file__).with_name(module).read_bytes() for module in ("extract.py", "match.py")),
    digest_size=8,
).hexdigest()


class Cache:
    """A key-value store of JSON values, in an in-memory SQLite database."""

    def __init__(self, saved: bytes | None = None):
        self.database = sqlite3.connect(":memory:", check_same_thread=False)
        if saved:
            try:
                self.database.deserialize(saved)
            except sqlite3.DatabaseError:
                self.database = sqlite3.connect(":memory:", check_same_thread=False)  # damaged: start afresh
        self.database.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value TEXT)")
        self.hits = self.misses = 0

    @classmethod
    def of_site(cls, output: Path) -> Cache:
        """The cache saved with the site in `output`, if any."""
        try:
            return cls((output / CACHE_FILE).read_bytes())
        except OSError:
            return cls()

    def remember(self, kind: str, inputs: tuple, compute: Callable[[], Any]) -> Any:
        """The cached result of `compute` for these inputs, computing and keeping it if new."""
        digest = hashlib.blake2b(json.dumps([CODE, kind, *inputs]).encode(), digest_size=16).hexdigest()
        row = self.database.execute("SELECT value FROM results WHERE key = ?", (digest,)).fetchone()
        if row is not None:
            self.hits += 1
            return json.loads(row[0])
        self.misses += 1
        value = compute()
        self.database.execute("INSERT OR REPLACE INTO results VALUES (?, ?)", (digest, json.dumps(value)))
        return value

    def saved(self) -> bytes:
        self.database.commit()
        return self.database.serialize()
