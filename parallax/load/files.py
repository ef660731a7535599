"""Reading files: UTF-8 text, and an article's front matter cut from its body."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from ..cache import Cache
from ..model import ArchiveError

Kept = TypeVar("Kept")


def read_text(path: Path) -> str:
    """A file's text: UTF-8, a byte-order mark and CRLF line ends tolerated."""
    return text_of(read_bytes(path), path)


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise ArchiveError(path, f"cannot read: {error.strerror}") from None


def kept_or_read(
    path: Path, cache: Cache, kept: Callable[[str], Kept | None]
) -> tuple[str, str | None, Kept | None, bytes | None]:
    """A file of the archive as the last build kept it (`kept`, by its key), not read again
    where its signature is the one it had then: its key (Cache.read_key), what its key is kept
    under by its signature (Cache.signed_key), what was kept of it, and its bytes where they had
    to be read."""
    signed = cache.signed_key(path)
    if (key := cache.unchanged_key(signed)) and (found := kept(key)) is not None:
        return key, signed, found, None
    data = read_bytes(path)
    key = cache.read_key(path, data)
    return key, signed, kept(key), data


def text_of(data: bytes, path: Path) -> str:
    """The bytes read from `path` as text (see read_text)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ArchiveError(
            path, f"not UTF-8 text (byte 0x{data[error.start]:02x}); save the file as UTF-8", line
        ) from None
    if "\x00" in text:
        raise ArchiveError(path, "a binary file, not text", text[: text.index("\x00")].count("\n") + 1)
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(source: str, path: Path) -> tuple[str, str, int]:
    """Return (front matter, body, line the body starts on)."""
    lines = source.split("\n")
    if not lines or lines[0].strip() != "---":
        raise ArchiveError(path, "no front matter: the file must start with '---', the fields, then '---'", 1)
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == "---":
            return "\n".join(lines[1 : number - 1]), "\n".join(lines[number:]), number + 1
    raise ArchiveError(path, "front matter is never closed: add a line '---' after the fields", 1)
