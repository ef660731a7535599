"""Search: the finished site indexed with Pagefind, for its search page.

A static site has no server to search on, so the index is made at build time: Pagefind reads the
pages as a browser would, and writes an index cut into small files that the search page's
script fetches as needed, with the scripts that read it. Pages marked `data-pagefind-body`
(articles, claims, outlets and speakers) are indexed; the others are not.

The binary is the one the `pagefind_bin` package ships, never another found on the machine: the
build needs no network. The same pages must give the same index files byte for byte, so that
unchanged ones are kept like any other file of the site (see write.py) and a build can be checked
by building again. Pagefind 1.5 writes all but one kind of file so: its filter indexes list their
values, and its metadata lists the filters, in the order of a hash map that changes from run to
run. `sort_filters` puts them in order, as later versions of Pagefind do, and names the files by
their content as Pagefind does.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import tempfile
import zlib
from pathlib import Path

import pagefind_bin

from .model import ArchiveError
from .render.site import Written
from .write import Staging

INDEX_FOLDER = "pagefind"  # where the index stands in the site; search.js loads it from there
# The folders of the pages search indexes: Pagefind need not read the others (overviews and
# lists, large in a large archive) only to find them unmarked.
INDEXED = "{articles,claims,outlets,speakers}/*.html"
# Pagefind's ready-made interfaces and highlighter, which the site leaves out: the search page has
# its own few lines (static/search.js), in the site's style.
NOT_USED = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.")


def index_site(staging: Staging) -> Written:
    """Index the pages of the new site, and put each index file in it.

    Pagefind writes into a folder of its own first: it adds to whatever a folder holds, and
    `staging.put` keeps the files that did not change. Errors name the output folder: the new
    site's is thrown away."""
    site, output = staging.folder, staging.output
    try:
        pagefind = pagefind_bin.get_executable()
    except FileNotFoundError:
        raise ArchiveError(output, "Pagefind is not installed: pip install 'pagefind[bin]'") from None
    with tempfile.TemporaryDirectory(prefix="parallax-search-") as folder:
        try:
            finished = subprocess.run(
                [pagefind, "--site", site, "--glob", INDEXED, "--output-path", folder, "--silent"],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                errors="replace",
                check=False,
            )
        except OSError as problem:
            raise ArchiveError(output, f"Pagefind could not run: {problem.strerror}") from None
        if finished.returncode != 0:
            said = [line.strip().removeprefix("Error: ") for line in finished.stdout.splitlines() if line.strip()]
            reason = said[0] if said else f"it stopped with status {finished.returncode}"
            raise ArchiveError(output, f"Pagefind could not index the site: {reason}")
        index = Path(folder)
        try:
            sort_filters(index)
        except (OSError, ValueError, KeyError, IndexError, TypeError, zlib.error) as problem:
            raise ArchiveError(output, f"Pagefind's index is not in the form this build knows: {problem}") from None
        files = sorted(path for path in index.rglob("*") if path.is_file() and not path.name.startswith(NOT_USED))
        written = sum(
            staging.put(f"{INDEX_FOLDER}/{path.relative_to(index).as_posix()}", path.read_bytes()) for path in files
        )
    return Written(len(files), written)


SIGNATURE = b"pagefind_dcd"  # what each of Pagefind's index files begins with, once unpacked


def sort_filters(index: Path) -> None:
    """Rewrite Pagefind's filter indexes with their values in order, and its metadata with its
    filters in order, each file named by its content as Pagefind names it."""
    entry_file = index / "pagefind-entry.json"
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    for language, about in entry["languages"].items():
        meta_file = index / f"pagefind.{about['hash']}.pf_meta"
        meta = unpacked(meta_file)
        filters = sorted(meta[3])  # [name, the hash its file is named by], for each filter
        files = [index / "filter" / f"{hashed}.pf_filter" for _, hashed in filters]
        contents = [unpacked(file) for file in files]
        for file in [meta_file, *files]:
            file.unlink()
        for listed, (name, values) in zip(filters, contents):
            listed[1] = write_packed(index / "filter", "{}.pf_filter", language, 7, [name, sorted(values)])
        meta[3] = filters
        about["hash"] = write_packed(index, "pagefind.{}.pf_meta", language, len(language) + 8, meta)
    entry_file.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def unpacked(path: Path) -> list:
    """One of Pagefind's index files: gzip, around its signature and a CBOR array."""
    data = zlib.decompress(path.read_bytes(), wbits=31)
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path.name} does not begin as Pagefind's files do")
    value, end = cbor_item(data, len(SIGNATURE))
    if end != len(data) or not isinstance(value, list) or SIGNATURE + cbor(value) != data:
        raise ValueError(f"{path.name} holds more than plain arrays, strings and numbers")
    return value


def write_packed(folder: Path, name: str, language: str, digits: int, value: list) -> str:
    """Write `value` as Pagefind writes an index file, named by its content; return the name's hash.

    The name is the start of the content's hash, longer if another file has it, as in Pagefind."""
    data = SIGNATURE + cbor(value)
    # Pagefind's own hash: SHA-1, each byte in hexadecimal without a leading zero.
    digest = "".join(f"{byte:x}" for byte in hashlib.sha1(data[len(SIGNATURE) :]).digest())
    while (target := folder / name.format(hashed := f"{language}_{digest[:digits]}")).exists() and digits < len(digest):
        digits += 1
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    # Pagefind's gzip header, with no time and no system in it; the data; its checksum and size.
    header = bytes([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 2, 0xFF])
    trailer = zlib.crc32(data).to_bytes(4, "little") + len(data).to_bytes(4, "little")
    target.write_bytes(header + deflate.compress(data) + deflate.flush() + trailer)
    return hashed


# The little of CBOR (RFC 8949) that Pagefind's metadata and filter indexes use: unsigned numbers,
# text and arrays, each with the shortest head.
NUMBER, TEXT, ARRAY = 0, 3, 4


def cbor_item(data: bytes, at: int) -> tuple[int | str | list, int]:
    """The item at `at`, and where the next one starts."""
    kind, size = data[at] >> 5, data[at] & 31
    at += 1
    if size >= 24:
        if size > 27:
            raise ValueError("an item of unknown length")
        width = 1 << (size - 24)
        size, at = int.from_bytes(data[at : at + width], "big"), at + width
    if kind == NUMBER:
        return size, at
    if kind == TEXT:
        return data[at : at + size].decode("utf-8"), at + size
    if kind == ARRAY:
        items = []
        for _ in range(size):
            item, at = cbor_item(data, at)
            items.append(item)
        return items, at
    raise ValueError(f"an item of CBOR major type {kind}")


def cbor(value: int | str | list) -> bytes:
    if isinstance(value, str):
        text = value.encode("utf-8")
        return cbor_head(TEXT, len(text)) + text
    if isinstance(value, list):
        return cbor_head(ARRAY, len(value)) + b"".join(cbor(item) for item in value)
    return cbor_head(NUMBER, value)


def cbor_head(kind: int, size: int) -> bytes:
    if size < 24:
        return bytes([kind << 5 | size])
    width = next(width for width in (1, 2, 4, 8) if size < 1 << (8 * width))
    return bytes([kind << 5 | (24 + width.bit_length() - 1)]) + size.to_bytes(width, "big")
