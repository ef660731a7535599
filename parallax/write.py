"""Stage 6: put the rendered files on disk, all at once.

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


def write_site(files: dict[str, bytes], output: Path) -> int:
    """Replace `output` with exactly `files`; return how many files were written anew."""
    output = output.absolute()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=staging_prefix(output), dir=output.parent))
    written = 0
    try:
        staging.chmod(0o755)  # mkdtemp makes it private; a static host must be able to read it
        for path, content in sorted(files.items()):
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            if not link_unchanged(output / path, target, content):
                target.write_bytes(content)
                written += 1
        swap(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return written


def link_unchanged(old: Path, new: Path, content: bytes) -> bool:
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
