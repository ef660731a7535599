"""`serve`: rebuilds on every save however the editor saves, never on its own; and what the
command line says when it cannot start: a busy port, a folder that holds no archive."""

import gc
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import weakref
from pathlib import Path

import pytest
from playwright.sync_api import expect
from watchfiles import Change

from parallax import search
from parallax import serve as serve_module
from parallax.cache import Cache
from parallax.cli import main
from parallax.load import articles as articles_module
from parallax.pipeline import build
from parallax.serve import Server, input_filter, listed

from conftest import REPO


def get(address: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(address, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def fetch(address: str, method: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(address, method=method)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def shows(address: str, text: str) -> bool:
    """Whether the page holds `text`; a request that meets the site being updated just says no."""
    try:
        return text in get(address)[1]
    except OSError:
        return False


def wait_for(condition, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def holds(condition, seconds: float = 1) -> bool:
    """Whether `condition` stays true for `seconds`: long enough for a watcher's debounce and a build."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not condition():
            return False
        time.sleep(0.05)
    return condition()


@pytest.fixture
def serve(small):
    """Start a server on the small archive, by default with its own templates and site folder."""
    servers = []

    def start(templates: Path | None = None, output: Path | None = None) -> Server:
        server = Server(
            small.root, output or small.root / "site", templates or small.root / "templates", Cache(), port=0
        )
        servers.append(server)
        server.start()
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def served(serve) -> Server:
    return serve()


def test_serve_rebuilds_on_change_shows_errors_and_serves_only_the_site(small, served):
    server = served
    assert server.address.startswith("http://127.0.0.1:")
    status, page = get(server.address)
    assert status == 200 and "/__parallax__/reload.js" in page and "script-src 'self'" in page
    assert get(server.address + "articles/daily-one.html")[0] == 200
    assert get(server.address + "..%2Fclaims.yaml")[0] == 404
    (small.root / "site" / "leak.txt").symlink_to(small.root / "claims.yaml")
    assert get(server.address + "leak.txt")[0] == 404  # a link out of the site is not followed

    article = small.root / "articles" / "daily-one.md"
    article.write_text(article.read_text().replace("ended on Friday", "ended on Sunday"))
    assert wait_for(lambda: shows(server.address + "articles/daily-one.html", "ended on Sunday"))

    version = server.version
    (small.root / "claims.yaml").write_text("story: [\n")
    assert wait_for(lambda: server.version > version and server.error)
    assert "claims.yaml:2: invalid YAML" in server.error
    assert get(server.address + "articles/daily-one.html")[0] == 200  # the last good site stays up
    events = urllib.request.urlopen(server.address + "__parallax__/events", timeout=5)
    state = json.loads(events.readline().decode().removeprefix("data: "))
    assert "invalid YAML" in state["error"]
    events.close()


def replace(path: Path, text: str) -> None:
    """Save as most editors do: write a new file beside the old one, and rename it over it."""
    new = path.with_name(f".{path.name}.new")
    new.write_text(text)
    os.replace(new, path)


def write_in_place(path: Path, text: str) -> None:
    path.write_text(text)


def delete_and_recreate(path: Path, text: str) -> None:
    path.unlink()
    path.write_text(text)


def save_like_vim(path: Path, text: str) -> None:
    """Vim's way: try a file named 4913, keep the old file as a backup, write anew, drop the backup."""
    probe, backup = path.with_name("4913"), path.with_name(f"{path.name}~")
    probe.write_text("")
    probe.unlink()
    path.rename(backup)
    path.write_text(text)
    backup.unlink()


def save_like_jetbrains(path: Path, text: str) -> None:
    """JetBrains' safe write: write a temporary file, move the old one aside, move the new one in."""
    new, old = path.with_name(f"{path.name}___jb_tmp___"), path.with_name(f"{path.name}___jb_old___")
    new.write_text(text)
    path.rename(old)
    new.rename(path)
    old.unlink()


@pytest.mark.parametrize("save", [write_in_place, replace, delete_and_recreate, save_like_vim, save_like_jetbrains])
def test_serve_rebuilds_on_every_save_of_claims_yaml_however_it_is_saved(small, served, save):
    claims = small.root / "claims.yaml"
    original = claims.read_text()
    for number in range(1, 4):
        save(claims, original.replace("title: Talks in Geneva", f"title: Save number {number}"))
        assert wait_for(lambda: shows(served.address, f'<h1 dir="auto">Save number {number}</h1>')), f"save {number}"
    assert served.error is None


def test_serve_rebuilds_when_an_article_is_replaced_or_added(small, served):
    article = small.root / "articles" / "daily-one.md"
    original = article.read_text()
    for number in range(1, 4):
        replace(article, original.replace("ended on Friday", f"ended on day {number}"))
        assert wait_for(lambda: shows(served.address + "articles/daily-one.html", f"ended on day {number}"))
    small.article("tribune-three", "The Tribune", "Geneva, day three", 3, "Negotiators went home.")
    assert wait_for(lambda: shows(served.address + "articles/tribune-three.html", "Negotiators went home."))


@pytest.fixture
def theme(small, tmp_path) -> Path:
    """A copy of the templates, kept outside the archive."""
    return Path(shutil.copytree(small.root / "templates", tmp_path / "theme"))


def test_serve_watches_templates_kept_outside_the_archive(serve, theme):
    server = serve(theme)
    style = theme / "static" / "style.css"
    original = style.read_text()
    for number in range(1, 3):
        replace(style, f"{original}\n/* save {number} */\n")
        assert wait_for(lambda: shows(server.address + "style.css", f"/* save {number} */"))


@pytest.mark.parametrize("site_in_theme", [False, True], ids=["site in the archive", "site in the templates"])
def test_serve_does_not_rebuild_on_its_own(small, serve, theme, site_in_theme):
    """The site and the folders a build makes beside it lie in a watched folder: their changes
    must not start a build, which would change them again, for ever."""
    server = serve(theme, theme / "site") if site_in_theme else serve()
    article = small.root / "articles" / "daily-one.md"
    article.write_text(article.read_text().replace("ended on Friday", "ended on Sunday"))
    assert wait_for(lambda: shows(server.address + "articles/daily-one.html", "ended on Sunday"))
    # A save written in two steps may rebuild twice; a build seeing its own writes never stops.
    assert wait_for(lambda: quiet(server), seconds=6)


def quiet(server: Server) -> bool:
    """Whether no build starts for a second."""
    version = server.version
    return holds(lambda: server.version == version)


def test_editors_scratch_files_start_no_build(small, served):
    version = served.version
    for folder in (small.root, small.root / "articles", small.root / "templates"):
        for name in (".claims.yaml.swp", "claims.yaml~", "4913", ".#claims.yaml", "#claims.yaml#", "x.md___jb_old___"):
            (folder / name).write_text("an editor's scratch file")
    assert holds(lambda: served.version == version)


def test_serve_on_a_busy_port_says_so_in_one_line(small, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--source", str(small.root), "--port", str(port)]) == 1
    assert capsys.readouterr().err == (
        f"error: port {port} is already in use: stop what uses it, or choose another with --port N (--port 0 picks a free one)\n"
    )
    assert not (small.root / "site").exists()


def test_serve_answers_head_like_get_without_a_body(served):
    for path in ("", "articles/daily-one.html", "style.css", "no-such-page", "__parallax__/reload.js"):
        status, headers, body = fetch(served.address + path, "GET")
        head_status, head_headers, head_body = fetch(served.address + path, "HEAD")
        assert (head_status, head_body) == (status, b""), path
        for name in ("Content-Type", "Content-Length", "Cache-Control"):
            assert head_headers[name] == headers[name], (path, name)
        assert int(head_headers["Content-Length"]) == len(body)
    status, headers, body = fetch(served.address + "__parallax__/events", "HEAD")  # answered, not streamed
    assert (status, headers["Content-Type"], body) == (200, "text/event-stream", b"")


COMMANDS = {
    "build": [],
    "check": [],
    "suggest": [],
    "serve": ["--port", "0"],
    "evaluate": ["labels.yaml"],
    "add": ["capture.txt", "--outlet", "The Tribune", "--published", "2024-03-04"],
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("missing", ["no such folder", "neither articles/ nor claims.yaml nor stories/"])
def test_every_command_says_plainly_when_there_is_no_archive(command, missing, tmp_path, monkeypatch, capsys):
    source = tmp_path / "missing"
    if missing != "no such folder":
        source.mkdir()
        (source / "templates").mkdir()
    monkeypatch.setattr(Server, "start", lambda self: pytest.fail("served a folder that holds no archive"))
    assert main([command, *COMMANDS[command], "--source", str(source)]) == 1
    assert capsys.readouterr().err == (
        f"error: {source}: no archive here ({missing}): an archive holds articles/ and claims.yaml, "
        "or stories/ with a folder per story\n"
    )
    assert [path.name for path in source.glob("*")] == (["templates"] if source.exists() else [])


@pytest.fixture
def held(monkeypatch):
    """serve's builds held until released: (a build has started, release it)."""
    started, release = threading.Event(), threading.Event()
    real_build = serve_module.build

    def held_build(*arguments, **options):
        started.set()
        assert release.wait(20)
        return real_build(*arguments, **options)

    monkeypatch.setattr(serve_module, "build", held_build)
    yield started, release
    release.set()


def test_pages_are_served_while_a_build_runs(small, served, held):
    """serve builds in a thread of its own; requests are answered meanwhile, from the last site."""
    started, release = held
    rebuilding = threading.Thread(target=served.rebuild)
    rebuilding.start()
    try:
        assert started.wait(10)
        status, page = get(served.address + "articles/daily-one.html")
        assert status == 200 and "The talks ended on Friday" in page
        assert rebuilding.is_alive()  # the build is still waiting: the page came from the last site
    finally:
        release.set()
        rebuilding.join(10)
    assert not rebuilding.is_alive() and served.error is None


def test_pages_are_told_to_reload_before_what_the_build_left_is_collected(served, monkeypatch):
    """Collecting while a build's archive is alive goes through all of it, for nothing: serve
    builds with the collector paused, tells the pages, lets the build go, and then collects the
    objects the build made, not those kept from build to build."""
    events = []
    real_build, real_collect = serve_module.build, gc.collect

    def build(*arguments, **options):
        result = real_build(*arguments, **options)
        events.append(("built", gc.isenabled(), weakref.ref(result.archive)))
        return result

    def collect(*arguments):
        events.append(("collected", served.version, arguments))
        return real_collect(*arguments)

    monkeypatch.setattr(serve_module, "build", build)
    monkeypatch.setattr(gc, "collect", collect)
    version = served.version
    served.rebuild()
    assert [event[:2] for event in events] == [("built", False), ("collected", version + 1)]
    assert events[0][2]() is None, "the build's archive outlived the collection"
    assert events[1][2] == (1,), "the old objects, kept from build to build, are gone through again"
    assert gc.isenabled()


def test_a_build_a_save_waits_for_leaves_what_it_made_to_be_collected_after_the_next(small, monkeypatch):
    """A save noted while a build runs starts the next at once: what the build left is collected
    after that one, the collector paused until then."""
    server = Server(small.root, small.root / "site", small.root / "templates", Cache(), port=0)
    collected = []
    monkeypatch.setattr(gc, "collect", lambda *arguments: collected.append(server.version) or 0)
    take_up_site = server.take_up_site

    def saved_meanwhile():
        take_up_site()
        server.saved.set()  # as the watch does

    try:
        monkeypatch.setattr(server, "take_up_site", saved_meanwhile)
        server.rebuild()
        assert collected == [] and not gc.isenabled()
        monkeypatch.setattr(server, "take_up_site", take_up_site)
        server.saved.clear()  # as the builder does, taking up the change
        server.rebuild()
        assert collected == [2] and gc.isenabled()
    finally:
        gc.enable()
        server.httpd.server_close()


def test_after_a_failed_build_serve_takes_up_the_last_good_builds_work(small, monkeypatch):
    """A build that fails while rendering has let go of the articles it read: the next starts
    from what the site kept, not from what the failed build left, and reads no article again."""
    server = Server(small.root, small.root / "site", small.root / "templates", Cache(), port=0)
    try:
        server.rebuild()
        template = small.root / "templates" / "article.html"
        good = template.read_text(encoding="utf-8")
        template.write_text(good + "{% if %}", encoding="utf-8")
        server.rebuild()
        assert server.error and "TemplateSyntaxError" in server.error
        template.write_text(good, encoding="utf-8")
        parsed: list[str] = []
        load_article = articles_module.load_article
        monkeypatch.setattr(
            articles_module, "load_article", lambda path, *more: parsed.append(path.stem) or load_article(path, *more)
        )
        server.rebuild()
        assert (server.error, parsed) == (None, [])
    finally:
        server.httpd.server_close()


def test_the_serve_command_serves_until_interrupted(small):
    """`python build.py serve` as a user runs it: it says where, serves, and stops on Ctrl-C."""
    command = [sys.executable, str(REPO / "build.py"), "serve", "--source", str(small.root), "--port", "0"]
    # Ctrl-C as in a terminal, even where this test runs in the background, whose commands a
    # shell starts with SIGINT ignored (and Python then never turns it into KeyboardInterrupt).
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        lines = iter(process.stdout.readline, "")
        serving = next(line for line in lines if line.startswith("Serving "))
        address = serving.split(" on ")[1].split(" ")[0]
        assert address.startswith("http://127.0.0.1:")
        status, page = get(address + "claims/ministry-rejects-blame.html")
        assert status == 200 and "We will not accept any attempt" in page
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(10)
    stderr = process.stderr.read()
    assert process.returncode == 0 and "Traceback" not in stderr, stderr


def test_a_page_whose_browser_went_away_is_let_go_without_a_traceback(served, capsys):
    """A reload or a closed tab leaves an answer with no one to read it: serve says nothing."""
    ours, browsers = socket.socketpair()
    browsers.sendall(b"GET /articles/daily-one.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    browsers.close()  # gone before the answer is written
    with ours:
        served.handler()(ours, ("127.0.0.1", 0), served.httpd)  # a request handled as the server handles it
    assert capsys.readouterr().err == ""


def test_the_pages_are_told_when_a_build_starts_and_how_long_the_last_took(served, held):
    started, release = held
    events = urllib.request.urlopen(served.address + "__parallax__/events", timeout=5)
    state = json.loads(events.readline().decode().removeprefix("data: "))
    assert state["building"] is False and state["lastSeconds"] >= 0
    rebuilding = threading.Thread(target=served.rebuild)
    rebuilding.start()
    try:
        assert started.wait(10)
        events.readline()  # the blank line that ends an event
        during = json.loads(events.readline().decode().removeprefix("data: "))
        assert during == state | {"building": True}  # the same site, still shown
    finally:
        release.set()
        rebuilding.join(10)
    events.readline()
    after = json.loads(events.readline().decode().removeprefix("data: "))
    assert after["building"] is False and after["version"] == state["version"] + 1 and after["error"] is None
    events.close()


def test_an_open_page_says_the_site_is_being_rebuilt_then_shows_the_edit(small, served, held, browser):
    started, release = held
    page = browser.new_page()
    page.goto(served.address + "articles/daily-one.html")
    article = small.root / "articles" / "daily-one.md"
    article.write_text(article.read_text().replace("ended on Friday", "ended on Sunday"))
    assert started.wait(10)
    note = page.get_by_role("status")
    expect(note).to_have_text(
        re.compile(r"^Rebuilding the site after a change to articles/daily-one\.md… The last build took \d+\.\d s\.$")
    )
    assert page.locator("article").inner_text().count("ended on Friday") == 1  # the page waits: not reloaded yet
    release.set()
    expect(page.locator("article")).to_contain_text("ended on Sunday")  # reloaded once built
    expect(note).to_have_count(0)
    page.close()


def test_an_open_page_shows_a_failed_build_and_lets_go_of_it_once_mended(small, served, browser):
    page = browser.new_page()
    page.goto(served.address + "articles/daily-one.html")
    claims = small.root / "claims.yaml"
    good = claims.read_text()
    claims.write_text("story: [\n")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("The last build failed; this is the site before it.")
    expect(alert).to_contain_text("claims.yaml:2: invalid YAML")
    expect(page.get_by_role("status")).to_have_count(0)
    claims.write_text(good)
    expect(alert).to_have_count(0)
    page.close()


def test_a_rebuild_names_the_files_that_started_it(small, serve, theme, capsys):
    """In the page's note and in the terminal: from the archive's folder, or from the folder
    above templates kept elsewhere; a few, and how many more."""
    server = serve(templates=theme)
    changes = [
        (Change.modified, str(small.root / "claims.yaml")),
        (Change.added, str(small.root / "articles" / "new.md")),
        (Change.modified, str(theme / "article.html")),
        (Change.modified, str(small.root / "claims.yaml")),
    ]
    files = server.changed_files(changes)
    assert files == ["articles/new.md", "claims.yaml", f"{theme.name}/article.html"]
    assert listed(files) == f"articles/new.md, claims.yaml, {theme.name}/article.html"
    assert listed([*files, "a.md"]) == f"articles/new.md, claims.yaml, {theme.name}/article.html and 1 more file"
    assert listed([*files, "a.md", "b.md"]).endswith(" and 2 more files")
    server.rebuild(files[:2])
    assert "Rebuilding after a change to articles/new.md, claims.yaml\n" in capsys.readouterr().out


def test_serve_indexes_for_search_with_pagefind_runs_side_by_side(small, serve, monkeypatch):
    """`serve` builds in one process, which must not fork; Pagefind's runs are processes of their own."""
    monkeypatch.setattr(serve_module, "cores", lambda: 2)
    monkeypatch.setattr(search, "PAGES_PER_BUCKET", 1)  # a bucket a page: several runs
    run_indexer = search.run_indexer
    running, lock, together = [0], threading.Lock(), threading.Event()

    def meeting(*arguments):
        with lock:
            running[0] += 1
            if running[0] > 1:
                together.set()
        together.wait(timeout=5)  # for another run to start beside this one
        try:
            run_indexer(*arguments)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(search, "run_indexer", meeting)
    served = serve()
    assert served.error is None and together.is_set()


def test_a_watch_passes_on_the_archives_changes_and_none_of_the_builds(tmp_path):
    """What the watch is told of a build's own writes (the site, and the new site made beside
    it) is set aside by its name alone; a folder whose name merely begins as the site's is input."""
    source = (tmp_path / "archive").resolve()
    is_input = input_filter(source, source / "site", source / "site-theme")
    inputs = ["articles/a.md", "claims.yaml", "stories/one/articles/a.md", "site-theme/base.html", "speakers.yaml"]
    others = [
        "site",
        "site/index.html",
        "site/articles/a.html",
        ".site-new-x1/index.html",
        "articles/.a.md.swp",
        "notes.txt",
    ]
    assert [name for name in inputs + others if is_input(Change.modified, str(source / name))] == inputs


def test_pages_are_told_of_a_build_before_the_next_builds_cache_is_read(served, monkeypatch):
    """Reading the site's cache for the next build takes a while in a large archive: the open
    pages are not kept waiting for it."""
    read_at: list[int] = []
    of_site = Cache.of_site
    monkeypatch.setattr(serve_module.Cache, "of_site", lambda output: read_at.append(served.version) or of_site(output))
    version = served.version
    served.rebuild()
    assert read_at == [version + 1]


def index_files(site: Path) -> dict[str, bytes]:
    """The search index's files, and what it was made from."""
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in [*(site / search.INDEX_FOLDER).rglob("*"), site / search.INDEXER_FILE]
        if path.is_file()
    }


def test_the_pages_are_shown_before_the_search_index_is_made_again_as_a_clean_build_makes_it(
    small, monkeypatch, tmp_path, capsys
):
    """The index is made once the pages are told to reload (a second or two in a large
    archive); the old index is served meanwhile, and the one made then is a clean build's."""
    server = Server(small.root, small.root / "site", small.root / "templates", Cache(), port=0)
    runs = []
    run = search.LaterIndex.run

    def indexed(later, **options):
        runs.append((server.version, server.rebuilding, {**index_files(small.root / "site")}))
        return run(later, **options)

    monkeypatch.setattr(search.LaterIndex, "run", indexed)
    try:
        server.rebuild()
        old_index = index_files(small.root / "site")
        article = small.root / "articles" / "daily-one.md"
        article.write_text(article.read_text().replace("ended on Friday", "ended in a quokka's shadow"))
        server.rebuild()
    finally:
        server.httpd.server_close()
    assert [version for version, _, _ in runs] == [1, 2] and not any(rebuilding for _, rebuilding, _ in runs)
    # While it was made, the new page was served with the old index, without the record of it.
    _, _, meanwhile = runs[1]
    assert "quokka" in (small.root / "site" / "articles" / "daily-one.html").read_text()
    assert meanwhile == {path: data for path, data in old_index.items() if path != search.INDEXER_FILE}
    clean = tmp_path / "clean"
    assert main(["build", "--source", str(small.root), "--output", str(clean)]) == 0
    assert index_files(small.root / "site") == index_files(clean) != old_index
    assert capsys.readouterr().out.count("Built ") == 3


def test_a_save_while_the_search_index_is_made_stops_it_and_the_next_build_makes_it(
    small, monkeypatch, tmp_path, capsys
):
    """The next build does not wait for an index it would make stale: that index is stopped, the
    old one served meanwhile, and the next build's is a clean build's, though the page whose
    bucket was left stale has not changed since."""
    # A bucket a page, in as many as a power of two: the two articles' pages in buckets of their own.
    monkeypatch.setattr(search, "PAGES_PER_BUCKET", 1)
    small.article("post-three", "The Post", "Talks", 3, "The talks, the minister said, went nowhere at all.")
    server = Server(small.root, small.root / "site", small.root / "templates", Cache(), port=0)
    article, other = small.root / "articles" / "daily-one.md", small.root / "articles" / "herald-two.md"
    run_indexer = search.run_indexer

    def saved_meanwhile(*arguments):
        if not server.saved.is_set():  # another file saved as Pagefind starts: the watch notes it
            other.write_text(other.read_text().replace("Geneva talks end", "Geneva talks end in a quokka's shadow"))
            server.saved.set()
        run_indexer(*arguments)

    try:
        server.rebuild()
        old_index = index_files(small.root / "site")
        article.write_text(article.read_text().replace("ended on Friday", "ended on Saturday"))
        monkeypatch.setattr(search, "run_indexer", saved_meanwhile)
        server.rebuild()
        assert server.error is None and server.index_left is not None
        assert index_files(small.root / "site") == {
            path: data for path, data in old_index.items() if path != search.INDEXER_FILE
        }
        monkeypatch.setattr(search, "run_indexer", run_indexer)
        server.saved.clear()  # as the builder does, taking up the change
        server.rebuild()
    finally:
        server.httpd.server_close()
    assert server.index_left is None and "quokka" in (small.root / "site" / "articles" / "herald-two.html").read_text()
    clean = tmp_path / "clean"
    assert main(["build", "--source", str(small.root), "--output", str(clean)]) == 0
    assert index_files(small.root / "site") == index_files(clean)
    assert "; the search index is left to the next build" in capsys.readouterr().out


def test_a_build_after_pages_put_in_place_without_their_search_index_makes_the_index_whole(small, tmp_path):
    """serve stopped between the two: the old index has no record left, and is not trusted."""
    output = small.root / "site"
    assert main(["build", "--source", str(small.root)]) == 0
    article = small.root / "articles" / "daily-one.md"
    article.write_text(article.read_text().replace("ended on Friday", "ended in a quokka's shadow"))
    later = build(small.root, output, small.root / "templates", Cache(), search_later=True).search
    assert later is not None and not (output / search.INDEXER_FILE).exists()
    assert main(["build", "--source", str(small.root)]) == 0
    clean = tmp_path / "clean"
    assert main(["build", "--source", str(small.root), "--output", str(clean)]) == 0
    assert index_files(output) == index_files(clean)
