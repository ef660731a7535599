"""Stage 7: put the rendered files on disk, each as it is made, the site swapped in at once.

The new site is made in a folder beside the output and then swapped in, so that a failed or
interrupted build never leaves a half-written site where the old one was. A file whose bytes
have not changed is not written again: the old one is linked into the new site, keeping its
time stamp, so that a host synchronising by date sends only what changed.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path


def staging_prefix(output: Path) -> str:
    """How the folders a build makes beside the output begin: the new site, then the old one."""
    return f".{output.name}-new-"


def made_by_build(output: Path) -> Callable[[str], bool]:
    """Whether a path (named as `output` is) is in the site, or in the folders a build makes
    beside it. Told by its name's beginning, not by pathlib: `serve`'s watch sees each file a
    build links or removes, tens of thousands in a large archive, and goes through them all once
    the build is done, before a save made meanwhile can start the next."""
    site = os.fspath(output)
    beginnings = (site + os.sep, os.fspath(output.parent / staging_prefix(output)))
    return lambda name: name == site or name.startswith(beginnings)


class Staging:
    """The new site, made file by file in a folder beside the output (by several processes if
    need be), then swapped in whole, or thrown away if the build fails:

        with Staging(output) as staging:
            staging.put("index.html", page)
    """

    def __init__(self, output: Path):
        self.output = output.absolute()
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix=staging_prefix(self.output), dir=self.output.parent))
        self.folder.chmod(0o755)  # mkdtemp makes it private; a static host must be able to read it
        self.folders: set[str] = set()  # the new site's folders made so far, by this process

    def put(self, path: str, content: bytes | bytearray) -> bool:
        """Write one file of the new site; True if written anew, False if the old one was linked."""
        target = self.folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        unlinked(target)
        if link_unchanged(self.output / path, target, content):
            return False
        target.write_bytes(content)
        return True

    def keep(self, paths: list[str]) -> bool:
        """Link these files of the old site into the new one, unchanged, if the old site has them
        all; else link none and say so (they are to be made again)."""
        # Plain strings, not Paths: a rebuild keeps tens of thousands of files.
        old, new = os.fspath(self.output), os.fspath(self.folder)
        linked: list[str] = []
        for path in paths:
            source, target = f"{old}/{path}", f"{new}/{path}"
            folder = os.path.dirname(target)
            if folder not in self.folders:
                os.makedirs(folder, exist_ok=True)
                self.folders.add(folder)
            if os.path.islink(source) or not os.path.isfile(source):  # a link is never followed out of the site
                for made in linked:
                    os.unlink(made)
                return False
            try:
                os.link(source, target)
            except OSError:  # a file system without hard links
                shutil.copy2(source, target)
            linked.append(target)
        return True

    def put_pieces(self, path: str, pieces: list[Piece]) -> bool:
        """Write one file of the new site made of new bytes and of ranges of the old site's file
        at the same path, which the system copies without passing them through this process;
        True if written anew, False if the pieces make the old file whole, which is linked."""
        old, target = os.fspath(self.output / path), self.folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        unlinked(target)
        if remade(old, pieces) and self.keep([path]):
            return False
        with open(target, "wb", buffering=0) as out, contextlib.ExitStack() as files:
            ranges = any(isinstance(piece, range) for piece in pieces)
            source = files.enter_context(opened_old(old)) if ranges else None
            for piece in pieces:
                if isinstance(piece, range):
                    assert source is not None
                    copy_range(source.fileno(), out.fileno(), piece)
                else:
                    write_all(out.fileno(), piece)
        return True

    def old(self, path: str) -> bytes | None:
        """A file of the old site, if it has it."""
        return read_or_none(self.output / path)

    def old_bytes(self, path: str, part: range) -> bytes | None:
        """These bytes of a file of the old site, if it has it."""
        try:
            with opened_old(os.fspath(self.output / path)) as old:
                return os.pread(old.fileno(), len(part), part.start)
        except OSError:
            return None

    def old_size(self, path: str) -> int:
        """The size of a file of the old site; 0 if it has none (a link is never followed out of the site)."""
        try:
            found = os.lstat(self.output / path)
        except OSError:
            return 0
        return found.st_size if stat.S_ISREG(found.st_mode) else 0

    def new(self, path: str) -> bytes | None:
        """A file of the new site, if it has it yet."""
        return read_or_none(self.folder / path)

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, error_type, error, traceback) -> None:
        """Swap the new site in if all went well; else throw it away, the old site untouched."""
        if error_type is None:
            swap(self.folder, self.output)
        else:
            shutil.rmtree(self.folder, ignore_errors=True)


# A piece of a file put_pieces writes: new bytes, or a range of the old file's bytes.
Piece = bytes | bytearray | range


def opened_old(path: str) -> io.FileIO:
    """A file of the old site, to read from: never through a link, which could lead out of the site."""
    return io.FileIO(os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)), "rb")


def remade(old: str, pieces: list[Piece]) -> bool:
    """Whether the pieces give the old file's bytes: its ranges in order, end to end, and bytes
    that are the old file's at their place."""
    try:
        with opened_old(old) as source:
            at = 0
            for piece in pieces:
                if isinstance(piece, range):
                    if piece.start != at:
                        return False
                elif not holds(source, at, piece):
                    return False
                at += len(piece)
            return at == os.fstat(source.fileno()).st_size
    except OSError:
        return False


def copy_range(source: int, target: int, piece: range) -> None:
    """Append these bytes of `source` to `target`: by the system where it can copy between
    files, else read and written in chunks."""
    at, end = piece.start, piece.stop
    copy = getattr(os, "copy_file_range", None)  # Linux's
    try:
        while copy and at < end:
            copied = copy(source, target, end - at, at)
            if copied == 0:
                raise OSError(errno.EIO, "the old file is shorter than its record says")
            at += copied
    except OSError as error:
        if error.errno not in (errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP):
            raise
    while at < end:
        chunk = os.pread(source, min(end - at, 1 << 24), at)
        if not chunk:
            raise OSError(errno.EIO, "the old file is shorter than its record says")
        write_all(target, chunk)
        at += len(chunk)


def write_all(target: int, data: bytes | bytearray) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(target, view) :]


def unlinked(target: Path) -> None:
    """Make way for a file of the new site that may have been kept already, as a link to the old
    site's: written through, the link would change the old site, which must stay as it was."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(target)


def read_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def link_unchanged(old: Path, new: Path, content: bytes | bytearray) -> bool:
    """Link the old file in place of the new one if it holds the same bytes."""
    try:
        if old.is_file() and not old.is_symlink() and old.stat().st_size == len(content):
            with opened_old(os.fspath(old)) as file:
                if not holds(file, 0, content):
                    return False
            os.link(old, new)
            return True
    except OSError:
        pass  # a file system without hard links: write it
    return False


# Bytes: a large file (a story's cache, the export) is compared a piece at a time, never read
# whole beside its new bytes.
COMPARED_AT_ONCE = 1 << 20


def holds(file: io.FileIO, at: int, content: bytes | bytearray) -> bool:
    """Whether the file holds these bytes from `at` on: read only as far as the first piece that
    differs (a story's cache file that changed differs in its first)."""
    view = memoryview(content)
    return all(
        os.pread(file.fileno(), len(piece), at + start) == piece
        for start in range(0, len(view), COMPARED_AT_ONCE)
        for piece in [view[start : start + COMPARED_AT_ONCE]]
    )


def swap(staging: Path, output: Path) -> None:
    if output.exists():
        retired = output.with_name(f"{staging.name}-old")
        output.rename(retired)
        staging.rename(output)
        shutil.rmtree(retired)
    else:
        staging.rename(output)
