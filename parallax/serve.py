"""`serve`: the site on 127.0.0.1, rebuilt whenever an article, claims.yaml or a template changes.

Open pages reload themselves after each build, through a small script that is added only to
pages served this way; a failed build is shown in the page and the terminal, and the last good
site stays up. Only the output folder is served.
"""

from __future__ import annotations

import http.server
import json
import sys
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from watchfiles import watch

from .cache import Cache
from .model import ArchiveError, ArchiveErrors
from .pipeline import build

PREFIX = "/__parallax__/"
RELOAD_SCRIPT = """\
// Added by `parallax serve` only: reload after each build, show a failed build.
const events = new EventSource("/__parallax__/events");
let seen = null;
events.onmessage = (message) => {
  const state = JSON.parse(message.data);
  if (seen !== null && state.version !== seen && !state.error) location.reload();
  seen = state.version;
  let banner = document.getElementById("parallax-build-error");
  if (state.error) {
    if (!banner) {
      banner = document.createElement("pre");
      banner.id = "parallax-build-error";
      banner.setAttribute("role", "alert");
      banner.style.cssText = "position:fixed;inset:0 0 auto 0;margin:0;padding:1rem;z-index:9;" +
        "background:#7a1010;color:#fff;font:14px/1.4 monospace;white-space:pre-wrap;max-height:50vh;overflow:auto";
      document.body.prepend(banner);
    }
    banner.textContent = "The last build failed; this is the site before it.\\n\\n" + state.error;
  } else if (banner) {
    banner.remove();
  }
};
"""


class Server:
    """Builds the site, serves it, and rebuilds it on every change until stopped."""

    def __init__(self, source: Path, output: Path, templates: Path, cache: Cache, port: int = 8000):
        self.source, self.output, self.templates, self.cache = source, output, templates, cache
        self.version = 0
        self.error: str | None = None
        self.changed = threading.Condition()
        self.stopping = threading.Event()
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), self.handler())
        self.httpd.daemon_threads = True

    @property
    def address(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}/"

    def rebuild(self) -> None:
        try:
            result = build(self.source, self.output, self.templates, self.cache)
            error = None
            print(result.summary(self.output), flush=True)
        except ArchiveErrors as problems:
            error = "\n".join(str(problem) for problem in problems.errors)
        except (ArchiveError, OSError) as problem:
            error = str(problem)
        except Exception as problem:  # a template error, say: show it, keep serving
            error = f"{type(problem).__name__}: {problem}"
        if error:
            print(f"error: build failed, still serving the last site:\n{error}", file=sys.stderr, flush=True)
        with self.changed:
            self.version += 1
            self.error = error
            self.changed.notify_all()

    def watched(self) -> list[Path]:
        return [path for path in (self.source / "articles", self.source / "claims.yaml", self.templates) if path.exists()]

    def start(self) -> None:
        self.rebuild()
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        threading.Thread(target=self.watch, daemon=True).start()

    def watch(self) -> None:
        for _ in watch(*self.watched(), stop_event=self.stopping, debounce=200, step=50):
            self.rebuild()

    def stop(self) -> None:
        self.stopping.set()
        with self.changed:
            self.changed.notify_all()
        self.httpd.shutdown()
        self.httpd.server_close()

    def state(self) -> bytes:
        return json.dumps({"version": self.version, "error": self.error}).encode()

    def handler(self):
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, format, *args):
                pass

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
                self.wfile.write(body)

            def events(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                seen = None
                try:
                    while not server.stopping.is_set():
                        with server.changed:
                            if seen == server.version:
                                server.changed.wait(timeout=15)
                            state, seen = server.state(), server.version
                        self.wfile.write(b"data: " + state + b"\n\n")
                        self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass

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


def with_reload(page: bytes) -> bytes:
    """A page that loads the reload script, its content security policy opened for it."""
    page = page.replace(b"default-src 'none';", b"default-src 'none'; script-src 'self'; connect-src 'self';", 1)
    return page.replace(b"</body>", b'<script src="' + PREFIX.encode() + b'reload.js"></script>\n</body>', 1)


TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".txt": "text/plain; charset=utf-8",
}


def content_type(file: Path) -> str:
    return TYPES.get(file.suffix, "application/octet-stream")
