"""Stage 7: put the rendered files on disk, each as it is made, the site updated once all are.

The files made anew are written in a folder beside the output; the old site stays as it was
until the build is done, so that a failed build never leaves a half-written site. Then the new
files are moved in and the files the site no longer has are removed. A file whose bytes have not
changed is not written again: the old one is kept, with its time stamp, so that a host
synchronising by date sends only what changed; and a rebuild that keeps most of a large site
touches only what changed, not each of its tens of thousands of files.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Collection
from pathlib import Path

# Linux's ext4 writes a file's data out at once when it is renamed over another (so that a crash
# cannot leave it empty): a large archive's data files, hundreds of MB, held up every rebuild
# for a quarter of a second so. Such a file of the old site is removed first; the new one's data
# is written out later, as any file's is.
LARGE_FILE = 16 * 2**20


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
    """The new site: the files made anew are written in a folder beside the output (by several
    processes if need be), the files kept are the old site's, left where they are. Once the build
    is done, the new files are moved in and those the new site does not have are removed (see
    `commit`); if it fails, the folder is thrown away and the old site is untouched:

        with Staging(output, records) as staging:
            staging.put("index.html", page)

    `records`: the files that vouch for others (what pages were made from, which pages an index
    was made from). They are taken out of the old site first and moved in last, so that a commit
    cut short leaves no record vouching for a file it had not yet replaced: the next build makes
    again whatever they would have let it keep."""

    def __init__(self, output: Path, records: tuple[str, ...] = ()):
        self.output = output.absolute()
        self.records = records
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix=staging_prefix(self.output), dir=self.output.parent))
        self.folder.chmod(0o755)  # mkdtemp makes it private; a static host must be able to read it
        self.folders: set[str] = set()  # the folders made so far, by this process
        # The old site's files, looked at once (a rebuild of a large archive keeps tens of
        # thousands): only a plain file can be kept, a link is never followed out of the site.
        self.old_entries, self.old_files = site_entries(os.fspath(self.output))
        # The old site's files that the new one has as they are. A process that puts or keeps
        # files for this one (see render.site) notes them in its own; this one is told of them.
        self.kept: set[str] = set()

    def put(self, path: str, content: bytes | bytearray) -> bool:
        """Write one file of the new site; True if written anew, False if the old one holds the
        same bytes, and is kept."""
        target = f"{self.folder}/{path}"
        unlinked(target)
        if self.holds(path, content):
            self.kept.add(path)
            return False
        self.made_folder(target)
        with open(target, "wb") as file:
            file.write(content)
        self.kept.discard(path)
        return True

    def keep(self, paths: list[str]) -> bool:
        """Keep these files of the old site in the new one, unchanged, if the old site has them
        all; else keep none and say so (they are to be made again). Never one put already in
        this build: the file put would stand."""
        if not all(path in self.old_files for path in paths):
            return False
        self.kept.update(paths)
        return True

    def put_pieces(self, path: str, pieces: list[Piece]) -> bool:
        """Write one file of the new site made of new bytes and of ranges of the old site's file
        at the same path, which the system copies without passing them through this process;
        True if written anew, False if the pieces make the old file whole, which is kept."""
        old, target = f"{self.output}/{path}", f"{self.folder}/{path}"
        unlinked(target)
        if path in self.old_files and remade(old, pieces) and self.keep([path]):
            return False
        self.made_folder(target)
        with open(target, "wb", buffering=0) as out, contextlib.ExitStack() as files:
            ranges = any(isinstance(piece, range) for piece in pieces)
            source = files.enter_context(opened_old(old)) if ranges else None
            for piece in pieces:
                if isinstance(piece, range):
                    assert source is not None
                    copy_range(source.fileno(), out.fileno(), piece)
                else:
                    write_all(out.fileno(), piece)
        self.kept.discard(path)
        return True

    def holds(self, path: str, content: bytes | bytearray) -> bool:
        """Whether the old site has this file with these bytes."""
        if path not in self.old_files:
            return False
        try:
            with opened_old(f"{self.output}/{path}") as file:
                return os.fstat(file.fileno()).st_size == len(content) and holds(file, 0, content)
        except OSError:
            return False

    def made_folder(self, target: str) -> None:
        folder = os.path.dirname(target)
        if folder not in self.folders:
            os.makedirs(folder, exist_ok=True)
            self.folders.add(folder)

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

    def staged(self) -> frozenset[str]:
        """The files of the new site written anew so far, by any process."""
        return site_entries(os.fspath(self.folder))[1]

    def where(self, path: str) -> str:
        """Where a file of the new site is now: made anew, or kept in the old site."""
        made = f"{self.folder}/{path}"
        return made if os.path.lexists(made) or path not in self.kept else f"{self.output}/{path}"

    def new(self, path: str) -> bytes | None:
        """A file of the new site, if it has it yet."""
        return read_or_none(Path(self.where(path)))

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, error_type, error, traceback) -> None:
        """Update the site if all went well; else throw the new files away, the old site untouched."""
        if error_type is None:
            self.commit()
        else:
            shutil.rmtree(self.folder, ignore_errors=True)

    def commit(self) -> None:
        """Move the new files into the output and remove the files the new site does not have:
        first the records, then the files gone, then the new files, the records last."""
        if not os.path.lexists(self.output):
            self.folder.rename(self.output)
            return
        output, made = os.fspath(self.output), self.staged()
        gone = self.old_entries - self.kept - made
        try:
            for path in sorted(gone | (self.old_entries & set(self.records) - self.kept)):
                os.unlink(f"{output}/{path}")
            removed_empty_folders(output, gone)
            self.folders = set()
            for path in sorted(made, key=lambda path: (path in self.records, path)):
                new, target = f"{self.folder}/{path}", f"{output}/{path}"
                self.made_folder(target)
                if os.path.isdir(target) and not os.path.islink(target):  # where the old site had a folder
                    shutil.rmtree(target)
                elif os.stat(new).st_size >= LARGE_FILE and os.path.isfile(target):
                    os.unlink(target)
                os.replace(new, target)
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def site_entries(site: str) -> tuple[frozenset[str], frozenset[str]]:
    """What a site's folder holds but folders, by path within it: everything, and its plain
    files. Walked as strings, once: a large archive's site has tens of thousands of files."""
    everything, files = [], []
    start = len(site) + 1
    folders = [site]
    while folders:
        try:
            with os.scandir(folders.pop()) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(entry.path)
                        continue
                    everything.append(entry.path[start:])
                    if entry.is_file(follow_symlinks=False):
                        files.append(entry.path[start:])
        except (FileNotFoundError, NotADirectoryError):
            pass
    return frozenset(everything), frozenset(files)


def removed_empty_folders(site: str, removed: Collection[str]) -> None:
    """Remove the folders that removing these files left empty, deepest first."""
    folders = {os.path.dirname(path) for path in removed} - {""}
    for folder in sorted(folders, key=lambda name: name.count("/"), reverse=True):
        while folder:
            try:
                os.rmdir(f"{site}/{folder}")
            except OSError:  # not empty, or gone already
                break
            folder = os.path.dirname(folder)


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


def unlinked(target: str) -> None:
    """Take back a file of the new site put already in this build."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(target)


def read_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


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
