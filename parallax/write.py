"""Stage 7: put the rendered files on disk, each as it is made, the site swapped in at once.

The new site is made in a folder beside the output and then swapped in, so that a failed or
interrupted build never leaves a half-written site where the old one was. A file whose bytes
have not changed is not written again: the old one is linked into the new site, keeping its
time stamp, so that a host synchronising by date sends only what changed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def staging_prefix(output: Path) -> str:
    """How the folders a build makes beside the output begin: the new site, then the old one."""
    return f".{output.name}-new-"


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

    def old(self, path: str) -> bytes | None:
        """A file of the old site, if it has it."""
        return read_or_none(self.output / path)

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


def read_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def link_unchanged(old: Path, new: Path, content: bytes | bytearray) -> bool:
    """Link the old file in place of the new one if it holds the same bytes."""
    try:
        if (
            old.is_file()
            and not old.is_symlink()
            and old.stat().st_size == len(content)
            and old.read_bytes() == content
        ):
            os.link(old, new)
            return True
    except OSError:
        pass  # a file system without hard links: write it
    return False


def swap(staging: Path, output: Path) -> None:
    if output.exists():
        retired = output.with_name(f"{staging.name}-old")
        output.rename(retired)
        staging.rename(output)
        shutil.rmtree(retired)
    else:
        staging.rename(output)
