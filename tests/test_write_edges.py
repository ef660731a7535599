"""Putting the site on disk: folders made as needed, the count of files written, where the new
site is made, links never followed out of the site, and a failed build leaving the old site.

Found by mutation testing (see "Mutation testing" in README.md): each test states a behaviour
that a changed line in parallax/write.py would break without any other test noticing.
"""

import os

import pytest

from parallax import write
from parallax.write import Staging, made_by_build


def write_site(files: dict[str, bytes], output) -> int:
    """Write a site as a build does; how many files were written anew."""
    with Staging(output) as staging:
        return sum(staging.put(path, content) for path, content in sorted(files.items()))


def test_the_output_folder_its_parents_and_deep_folders_in_the_site_are_made(tmp_path):
    output = tmp_path / "not" / "yet" / "site"
    write_site({"index.html": b"home", "claims/2024/march/talks.html": b"claim"}, output)
    assert (output / "index.html").read_bytes() == b"home"
    assert (output / "claims" / "2024" / "march" / "talks.html").read_bytes() == b"claim"


def test_the_count_of_files_written_is_the_count_of_files_whose_bytes_changed(tmp_path):
    output = tmp_path / "site"
    files = {"index.html": b"home", "a.html": b"a", "b.html": b"b"}
    assert write_site(files, output) == 3
    assert write_site(files, output) == 0
    assert write_site({**files, "a.html": b"new a", "c.html": b"c"}, output) == 2


def test_the_new_files_are_made_beside_the_output_in_a_folder_known_as_the_builds(tmp_path, monkeypatch):
    """Beside it, so that they are moved in by a rename; named so that `serve` (and .gitignore's
    `/.site-*`) know it for the build's own."""
    output = tmp_path / "archive" / "site"
    write_site({"index.html": b"home"}, output)
    made = []
    commit = write.Staging.commit
    monkeypatch.setattr(write.Staging, "commit", lambda staging: (made.append(staging.folder), commit(staging)))
    write_site({"index.html": b"home again", "new.html": b"new"}, output)
    (staging,) = made
    assert staging.parent == output.parent
    assert made_by_build(output)(str(staging / "index.html"))
    assert not staging.exists() and (output / "index.html").read_bytes() == b"home again"
    assert sorted(p.name for p in output.parent.iterdir()) == ["site"]


def test_an_update_removes_what_the_new_site_has_not_and_leaves_what_it_kept_untouched(tmp_path):
    output = tmp_path / "site"
    write_site({"a/one.html": b"one", "a/two.html": b"two", "b/c/gone.html": b"gone", "d": b"a file"}, output)
    (output / "a" / "link.html").symlink_to(output / "a" / "one.html")
    one, two = (output / "a" / "one.html").stat(), (output / "a" / "two.html").stat()
    # A file where a folder was, and a folder where a file was.
    write_site({"a/one.html": b"one", "a/two.html": b"two, changed", "b/c": b"now a file", "d/e.html": b"e"}, output)
    found = {p.relative_to(output).as_posix(): p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert found == {"a/one.html": b"one", "a/two.html": b"two, changed", "b/c": b"now a file", "d/e.html": b"e"}
    assert not (output / "a" / "link.html").is_symlink()
    kept = (output / "a" / "one.html").stat()
    assert (kept.st_ino, kept.st_mtime_ns) == (one.st_ino, one.st_mtime_ns)
    assert (output / "a" / "two.html").stat().st_ino != two.st_ino
    write_site({"index.html": b"home"}, output)
    assert sorted(p.relative_to(output).as_posix() for p in output.rglob("*")) == ["index.html"]


def test_a_large_file_replaces_the_old_one_and_a_link_in_its_place_is_not_followed(tmp_path, monkeypatch):
    monkeypatch.setattr(write, "LARGE_FILE", 4)
    output, outside = tmp_path / "site", tmp_path / "outside.json"
    outside.write_bytes(b"the curator's")
    write_site({"data/large.json": b"large, first", "data/linked.json": b"large, linked", "small": b"abc"}, output)
    (output / "data" / "linked.json").unlink()
    (output / "data" / "linked.json").symlink_to(outside)
    write_site({"data/large.json": b"large, again", "data/linked.json": b"large, new", "small": b"xyz"}, output)
    found = {p.relative_to(output).as_posix(): p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert found == {"data/large.json": b"large, again", "data/linked.json": b"large, new", "small": b"xyz"}
    assert not (output / "data" / "linked.json").is_symlink() and outside.read_bytes() == b"the curator's"


def test_an_update_cut_short_leaves_no_record_vouching_for_a_file_it_had_not_replaced(tmp_path, monkeypatch):
    """The records go first and come back last: whatever a record would have let the next build
    keep, the next build makes again."""
    output = tmp_path / "site"
    records = (".cache/record.json",)
    with Staging(output, records) as staging:
        for path in ("a.html", "b.html", ".cache/record.json"):
            staging.put(path, b"old")
    replace, moved = os.replace, []

    def cut_short(source, target):
        if moved:
            raise OSError("the disk is full")
        moved.append(target)
        replace(source, target)

    monkeypatch.setattr(os, "replace", cut_short)
    with pytest.raises(OSError), Staging(output, records) as staging:
        for path in ("a.html", "b.html", ".cache/record.json"):
            staging.put(path, b"new")
    monkeypatch.undo()
    assert not (output / ".cache" / "record.json").exists()
    assert sorted((output / name).read_bytes() for name in ("a.html", "b.html")) == [b"new", b"old"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_link_in_the_old_site_is_never_followed_to_keep_a_file_from_outside(tmp_path):
    outside = tmp_path / "outside.html"
    outside.write_bytes(b"same bytes")
    output = tmp_path / "site"
    write_site({"index.html": b"home"}, output)
    (output / "page.html").symlink_to(outside)
    write_site({"index.html": b"home", "page.html": b"same bytes"}, output)
    page = output / "page.html"
    assert not page.is_symlink() and page.read_bytes() == b"same bytes"
    assert not os.path.samefile(page, outside)
    assert outside.read_bytes() == b"same bytes"


def test_files_kept_from_the_old_site_are_all_kept_or_none_and_never_through_a_link(tmp_path):
    outside = tmp_path / "outside.html"
    outside.write_bytes(b"from outside")
    output = tmp_path / "site"
    write_site({"a/one.html": b"one", "a/two.html": b"two"}, output)
    with Staging(output) as staging:
        assert staging.keep(["a/one.html", "a/two.html"])
        assert not staging.keep(["a/three.html"])
    assert sorted(path.name for path in (output / "a").iterdir()) == ["one.html", "two.html"]
    (output / "a" / "two.html").unlink()
    (output / "a" / "two.html").symlink_to(outside)
    with Staging(output) as staging:
        assert not staging.keep(["a/one.html", "a/two.html"])  # one of them a link: none kept
        assert not (staging.folder / "a" / "one.html").exists()
        staging.put("a/one.html", b"made again")
    assert sorted(path.name for path in (output / "a").iterdir()) == ["one.html"]
    assert outside.read_bytes() == b"from outside"


def test_a_build_that_fails_while_writing_leaves_the_old_site_and_nothing_beside_it(tmp_path):
    output = tmp_path / "site"
    write_site({"index.html": b"old"}, output)
    try:
        with Staging(output) as staging:
            staging.put("index.html", b"new")
            raise RuntimeError("a template failed")
    except RuntimeError:
        pass
    assert (output / "index.html").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_file_put_in_pieces_copies_ranges_of_the_old_one_and_is_the_old_one_where_they_make_it_whole(tmp_path):
    output = tmp_path / "site"
    write_site({"data.json": b"[first][second][third]"}, output)
    with Staging(output) as staging:
        assert staging.put_pieces("data.json", [range(7), b"[new]", range(15, 22)])
    assert (output / "data.json").read_bytes() == b"[first][new][third]"
    made = (output / "data.json").stat().st_ino
    with Staging(output) as staging:
        assert not staging.put_pieces("data.json", [range(7), b"[new]", range(12, 19)])  # the same bytes
        assert staging.put_pieces("other.json", [b"[other]"])
    assert (output / "data.json").stat().st_ino == made
    assert (output / "other.json").read_bytes() == b"[other]"


def test_a_large_file_is_compared_with_the_old_one_piece_by_piece_to_its_last_byte(tmp_path, monkeypatch):
    monkeypatch.setattr(write, "COMPARED_AT_ONCE", 4)  # as a file of many pieces is
    output = tmp_path / "site"
    write_site({"cache.sqlite": b"0123456789abcdef", "data.json": b"[first][second]"}, output)
    kept = (output / "cache.sqlite").stat().st_ino
    with Staging(output) as staging:
        assert not staging.put("cache.sqlite", b"0123456789abcdef")  # the same bytes: the old file kept
        assert staging.put("data.json", b"[first][secont]")  # a byte of its last piece differs
        assert not staging.put_pieces("cache.sqlite", [b"0123456", range(7, 16)])
    assert (output / "cache.sqlite").stat().st_ino == kept
    assert (output / "data.json").read_bytes() == b"[first][secont]"
    with Staging(output) as staging:
        assert staging.put_pieces("cache.sqlite", [b"0123456789abcdeF"])
    assert (output / "cache.sqlite").read_bytes() == b"0123456789abcdeF"


def test_pieces_of_an_old_file_are_never_read_through_a_link(tmp_path):
    outside = tmp_path / "outside.json"
    outside.write_bytes(b"[secret]")
    output = tmp_path / "site"
    write_site({"index.html": b"home"}, output)
    (output / "data.json").symlink_to(outside)
    with Staging(output) as staging:
        assert staging.old_size("data.json") == 0 and staging.old_bytes("data.json", range(8)) is None
        with pytest.raises(OSError):
            staging.put_pieces("data.json", [range(8)])
        staging.put("data.json", b"[made again]")
    assert (output / "data.json").read_bytes() == b"[made again]" and outside.read_bytes() == b"[secret]"


def test_a_file_put_where_the_old_one_was_kept_leaves_the_old_site_as_it_was(tmp_path):
    output = tmp_path / "site"
    write_site({"a.html": b"old", "b.json": b"[old]"}, output)
    with Staging(output) as staging:
        assert staging.keep(["a.html", "b.json"])
        assert staging.put("a.html", b"new")
        assert staging.put_pieces("b.json", [b"[new]"])
        assert (output / "a.html").read_bytes() == b"old" and (output / "b.json").read_bytes() == b"[old]"
    assert (output / "a.html").read_bytes() == b"new" and (output / "b.json").read_bytes() == b"[new]"
