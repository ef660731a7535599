"""`serve`: the site on 127.0.0.1, rebuilt whenever an article, claims.yaml or a template changes.

Open pages reload themselves after each build, through a small script that is added only to
pages served this way; while a build runs they say so (a large archive takes seconds), and a
failed build is shown in the page and the terminal, the last good site staying up. Only the
output folder is served.
"""

from __future__ import annotations

import contextlib
import gc
import http.server
import json
import re
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from watchfiles import watch

from .cache import Cache
from .load import STORIES
from .model import ArchiveError, ArchiveErrors
from .parallel import cores
from .pipeline import Result, build
from .search import Stopped, Unindexed
from .write import made_by_build

PREFIX = "/__parallax__/"
RELOAD_SCRIPT = """\
// Added by `parallax serve` only: say that the site is being rebuilt, reload after each build,
// show a failed build.
const events = new EventSource("/__parallax__/events");
let seen = null;
let noting = null; // the timer that puts up the note of a build running
events.onmessage = (message) => {
  const state = JSON.parse(message.data);
  if (seen !== null && state.version !== seen && !state.error) location.reload();
  seen = state.version;
  rebuilding(state);
  if (state.error) {
    const banner = shown("parallax-build-error", "pre", "alert",
      "inset:0 0 auto 0;padding:1rem;background:#7a1010;font:14px/1.4 monospace;white-space:pre-wrap;" +
      "max-height:50vh;overflow:auto");
    banner.textContent = "The last build failed; this is the site before it.\\n\\n" + state.error;
  } else {
    document.getElementById("parallax-build-error")?.remove();
  }
};

// A build of a large archive takes seconds: the page says so meanwhile, and how long the last
// one took. Not for a quick build, which reloads the page before a note could be read.
function rebuilding(state) {
  clearTimeout(noting);
  if (!state.building) {
    document.getElementById("parallax-rebuilding")?.remove();
    return;
  }
  noting = setTimeout(() => {
    const note = shown("parallax-rebuilding", "p", "status",
      "right:1rem;bottom:1rem;padding:.5rem .75rem;background:#1d2b3a;font:14px/1.4 system-ui,sans-serif;" +
      "border-radius:4px;max-width:min(36rem,calc(100% - 2rem))");
    const last = state.lastSeconds === null ? "" : ` The last build took ${state.lastSeconds.toFixed(1)} s.`;
    const what = state.changed ? ` to ${state.changed}` : "";
    note.textContent = `Rebuilding the site after a change${what}…` + last;
  }, 400);
}

// The element of this id, laid over the page with this role and style, made if the page has none yet.
function shown(id, tag, role, style) {
  let element = document.getElementById(id);
  if (!element) {
    element = document.createElement(tag);
    element.id = id;
    element.setAttribute("role", role);
    element.style.cssText = "position:fixed;margin:0;z-index:9;color:#fff;" + style;
    document.body.prepend(element);
  }
  return element;
}
"""

# Files editors make beside the one they save: vim's swap files and its `4913` probe, emacs's
# locks (`.#x`) and autosaves (`#x#`), backups (`x~`), JetBrains' `x___jb_tmp___`, and the hidden
# temporary files others rename over the real one. None is input: the save that matters ends as
# the real file's name.
EDITOR_SCRATCH = re.compile(r"^\.|^#.*#$|~$|^4913$|___jb_\w+___$")


class Server:
    """Builds the site, serves it, and rebuilds it on every change until stopped."""

    def __init__(self, source: Path, output: Path, templates: Path, cache: Cache, port: int = 8000):
        self.source, self.output, self.templates, self.cache = source, output, templates, cache
        self.version = 0  # of the site: one more at each build
        self.error: str | None = None
        self.rebuilding = False
        self.files: list[str] = []  # the changed files the running build was started by
        self.last_seconds: float | None = None  # how long the last build took
        self.told = 0  # changes of the state pages are told: a build starting, a build ending
        self.changed = threading.Condition()
        self.building = threading.Lock()  # the first build and the builder's must not overlap
        # The files changed since the last build started, noted by the watch as it sees them,
        # even while a build runs; `saved` is set while there are any (a search index being made
        # then is stopped: the build to come would make it stale).
        self.unbuilt: set[str] = set()
        self.saved = threading.Event()
        self.noting = threading.Lock()
        self.index_left: Unindexed | None = None  # the old search index, as a stopped one left it
        self.stopping = threading.Event()
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), self.handler())
        self.httpd.daemon_threads = True

    @property
    def address(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}/"

    def rebuild(self, files: list[str] | None = None) -> None:
        """Build the site again; `files`: the changes that started it, as `changed_files` names them."""
        with self.building:
            if files:
                print(f"Rebuilding after a change to {listed(files)}", flush=True)
            with self.changed:
                self.rebuilding, self.files = True, files or []
                self.tell()
            started = time.monotonic()
            # What a build leaves is collected once the pages are shown, and once it is let go:
            # collecting while its archive is alive went through all of it for nothing, seconds
            # in a large archive before the pages were told to reload. Only the young objects
            # are looked at, those this build made (the collector is paused while it runs): the
            # old ones, mostly comparisons kept from build to build, took a second to go through,
            # which held up an edit saved soon after.
            gc.disable()
            result, error = self.built()
            if error:
                print(f"error: build failed, still serving the last site:\n{error}", file=sys.stderr, flush=True)
            with self.changed:
                self.version += 1
                self.error = error
                self.rebuilding, self.files = False, []
                self.last_seconds = round(time.monotonic() - started, 1)
                self.tell()
            # Once the pages are told, not before: the search index (a second or two in a large
            # archive, the old one served meanwhile); reading the site's cache (each story's
            # file: 0.2 to 0.8 s at 1,000 stories). The next build waits for them, not the pages.
            if result is not None:
                self.indexed(result)
            self.take_up_site()
            # Unless a save waits: the build it starts would wait for the collection (0.3 to 0.5 s
            # at 1,000 stories), and collects, after it, what both made.
            if not self.saved.is_set():
                gc.enable()
                gc.collect(1)

    def built(self) -> tuple[Result | None, str | None]:
        """Build the site's pages; the build, or what went wrong."""
        try:
            # In one process (it answers requests in threads: it must not fork), but for Pagefind's runs.
            return build(
                self.source,
                self.output,
                self.templates,
                self.cache,
                indexers=cores(),
                search_later=True,
                index_left=self.index_left,
            ), None
        except Exception as problem:
            return None, failure(problem)

    def indexed(self, result: Result) -> None:
        """Make the search index of the pages the build put in place, and say the build is done."""
        started = time.perf_counter()
        try:
            if result.search is not None:
                indexed = result.search.run(stop=self.saved)
                result.files, result.written = result.files + indexed.files, result.written + indexed.written
            self.index_left = None
        except Stopped as stopped:
            self.index_left = stopped.left
            print(f"{result.summary(self.output)}; the search index is left to the next build", flush=True)
            return
        except Exception as problem:
            self.index_left = None  # what the site's index is worth is not known: the next makes it whole
            error = f"the search index was not made again: {failure(problem)}"
            print(f"error: {error}", file=sys.stderr, flush=True)
            with self.changed:
                self.error = error
                self.tell()
            return
        result.seconds += time.perf_counter() - started
        print(result.summary(self.output), flush=True)

    def take_up_site(self) -> None:
        """A build hands its results to the site and lets them go: the next takes them from the
        site, the last good one if this build failed (a build that failed half way let go of
        what it had read), and its comparisons from this one."""
        last, self.cache = self.cache, Cache.of_site(self.output)
        self.cache.carry_over(last)

    def watched(self) -> list[Path]:
        """Folders, never files: a watch on a file follows that one file, and most editors save by
        renaming a new file over it, after which the watch sees nothing more."""
        source, templates = self.source.resolve(), self.templates.resolve()
        return [source, templates] if templates.is_dir() and not templates.is_relative_to(source) else [source]

    def start(self) -> None:
        # Watch before the first build, so that a save made while it runs is not missed.
        threading.Thread(target=self.watch, daemon=True).start()
        self.rebuild()
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        threading.Thread(target=self.rebuild_on_change, daemon=True).start()

    def watch(self) -> None:
        """Note the changes the watch sees, and wake the builder: never waiting for a build."""
        changes = watch(
            *self.watched(),
            watch_filter=input_filter(self.source, self.output, self.templates),
            stop_event=self.stopping,
            debounce=200,
            step=50,
        )
        for found in changes:
            with self.noting:
                self.unbuilt.update(self.changed_files(found))
                self.saved.set()

    def rebuild_on_change(self) -> None:
        """Build again after each change noted, until stopped: once for all those noted meanwhile."""
        while self.saved.wait() and not self.stopping.is_set():
            with self.noting:
                files, self.unbuilt = sorted(self.unbuilt), set()
                self.saved.clear()
            self.rebuild(files)

    def changed_files(self, changes: Iterable[tuple[object, str]]) -> list[str]:
        """The files a watch saw change, in order: each from the archive's folder (or, for
        templates kept elsewhere, from the folder above them)."""
        source, templates = self.source.resolve(), self.templates.resolve()
        names = set()
        for _, name in changes:
            path = Path(name)
            base = source if path.is_relative_to(source) else templates.parent
            names.add(path.relative_to(base).as_posix() if path.is_relative_to(base) else name)
        return sorted(names)

    def stop(self) -> None:
        self.stopping.set()
        self.saved.set()  # wakes the builder, to stop
        with self.changed:
            self.changed.notify_all()
        self.httpd.shutdown()
        self.httpd.server_close()

    def tell(self) -> None:
        """Wake the pages' event streams: the state changed (`self.changed` is held)."""
        self.told += 1
        self.changed.notify_all()

    def state(self) -> bytes:
        return json.dumps(
            {
                "version": self.version,
                "error": self.error,
                "building": self.rebuilding,
                "changed": listed(self.files),
                "lastSeconds": self.last_seconds,
            }
        ).encode()

    def handler(self):
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            headers_only = False  # answering HEAD: GET's status and headers, no body

            def log_message(self, format, *args):
                pass

            def handle(self):
                # The browser may go away before its answer is written (a reload, a tab closed).
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    super().handle()

            def do_HEAD(self):
                self.headers_only = True
                self.do_GET()

            def do_GET(self):
                path = unquote(urlsplit(self.path).path)
                if path == PREFIX + "events":
                    return self.events()
                if path == PREFIX + "reload.js":
                    return self.send(200, "text/javascript; charset=utf-8", RELOAD_SCRIPT.encode())
                file = server.file_for(path)
                if file is None:
                    missing = server.output / "404.html"
                    body = missing.read_bytes() if missing.is_file() else b"Not found"
                    return self.send(404, "text/html; charset=utf-8", with_reload(body))
                content = file.read_bytes()
                if file.suffix == ".html":
                    content = with_reload(content)
                self.send(200, content_type(file), content)

            def send(self, status: int, kind: str, body: bytes):
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                if not self.headers_only:
                    self.wfile.write(body)

            def events(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                if self.headers_only:
                    return
                seen = None
                while not server.stopping.is_set():  # until the page goes away: see handle
                    with server.changed:
                        if seen == server.told:
                            server.changed.wait(timeout=15)
                        state, seen = server.state(), server.told
                    self.wfile.write(b"data: " + state + b"\n\n")
                    self.wfile.flush()

        return Handler

    def file_for(self, path: str) -> Path | None:
        """The file a request names, only ever inside the output folder."""
        root = self.output.resolve()
        target = (root / path.lstrip("/")).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.is_relative_to(root) or not target.is_file():
            return None
        return target


def failure(problem: Exception) -> str:
    """What went wrong in a build, as the terminal and the pages show it."""
    if isinstance(problem, ArchiveErrors):
        return "\n".join(str(error) for error in problem.errors)
    if isinstance(problem, (ArchiveError, OSError)):
        return str(problem)
    return f"{type(problem).__name__}: {problem}"  # a template error, say: show it, keep serving


def listed(files: list[str], shown: int = 3) -> str:
    """A few file names, and how many more."""
    more = len(files) - shown
    return ", ".join(files[:shown]) + (f" and {more} more file{'s' if more > 1 else ''}" if more > 0 else "")


def input_filter(source: Path, output: Path, templates: Path):
    """What a watch passes on: changes to the build's input (articles/ and claims.yaml, or
    stories/; archive.yaml, speakers.yaml and the templates).

    Never the site nor the folders a build makes beside it, which lie in the watched archive: a
    build seeing its own writes would start another, for ever. Nor an editor's scratch files."""
    source, output, templates = source.resolve(), output.resolve(), templates.resolve()
    folders = (source / "articles", source / STORIES, templates)
    files = {source / name for name in ("claims.yaml", "archive.yaml", "speakers.yaml")}
    built = made_by_build(output)

    def is_input(change, name: str) -> bool:
        if built(name):
            return False
        path = Path(name)
        if EDITOR_SCRATCH.search(path.name):
            return False
        return path in files or any(path.is_relative_to(folder) for folder in folders)

    return is_input


RUNS_SCRIPTS = re.compile(rb'http-equiv="Content-Security-Policy" content="[^"]*script-src')


def with_reload(page: bytes) -> bytes:
    """A page that loads the reload script, its content security policy opened for it unless it
    runs scripts of its own (the search page), whose policy already allows it."""
    if not RUNS_SCRIPTS.search(page):
        page = page.replace(b"default-src 'none';", b"default-src 'none'; script-src 'self'; connect-src 'self';", 1)
    return page.replace(b"</body>", b'<script src="' + PREFIX.encode() + b'reload.js"></script>\n</body>', 1)


TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".txt": "text/plain; charset=utf-8",
}


def content_type(file: Path) -> str:
    return TYPES.get(file.suffix, "application/octet-stream")
