"""Measure how well parallax.capture.read_page takes an article out of a real saved page.

    .venv/bin/python bench/extraction.py [PAGES] [--favor balanced|precision|recall] [--no-tables] [--compare] [--write]

PAGES (default ../shared/pages, beside the repository; see its README.md) holds 40 real news pages
with labels: 25 from Zyte's article-extraction benchmark (zyte/, body labelled by hand), 15 from
fundus's parser tests (fundus/, body, title, authors and date), and a WARC file holding three of
them as a crawler writes them (warc/). They are read where they are, never copied here, and
nothing of their text is printed or written: only figures.

The body is scored as the Zyte benchmark scores it: words (`\\w+`, case kept) cut into bags of
word 4-grams; per page, precision is the share of the extracted 4-grams in the labelled bag
(multiset intersection), recall the share of the labelled 4-grams in the extracted bag, F1 their
harmonic mean; "verbatim" is the share of the extracted paragraphs found word for word in the
page's text, whitespace ignored, as the archive checks a body against its capture. The headline figure is the harmonic mean of the mean precision and the mean
recall; the mean of per-page F1 is given too. Titles and authors are compared without case or
spacing differences (authors as a set of names), dates by day.

--compare runs every setting of trafilatura's precision/recall and tables and prints one line
each, which is how parallax.capture's defaults were chosen. --write also writes
bench/extraction-results.md.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from parallax.capture import FAVOR, TABLES, page_text, read_page, warc_pages  # noqa: E402

WORD = re.compile(r"\w+")
AUTHOR_SEPARATORS = re.compile(r"\s*(?:;|,|\band\b|\bund\b|\bet\b|\by\b|\be\b|&|/|、|，)\s*", re.IGNORECASE)


@dataclass
class Sample:
    """One labelled page: where it came from, its bytes, and what it should give."""

    set: str
    name: str
    data: bytes
    address: str | None
    body: str
    title: str | None = None
    authors: list[str] | None = None
    date: str | None = None
    labelled_metadata: bool = False
    charset: str | None = None


@dataclass
class Score:
    sample: Sample
    precision: float
    recall: float
    f1: float
    seconds: float
    verbatim: float  # the share of extracted blocks that stand in the page's text, whitespace ignored
    checks: dict[str, bool] = field(default_factory=dict)
    found: dict[str, str | None] = field(default_factory=dict)


# -- reading the pages -------------------------------------------------------------------------


def fundus_body(expected: dict) -> str:
    """The labelled body of a fundus page: summary, then each section's headline and paragraphs."""
    body = expected.get("body") or {}
    parts = list(body.get("summary") or [])
    for section in body.get("sections") or []:
        parts += list(section.get("headline") or []) + list(section.get("paragraphs") or [])
    return "\n\n".join(parts)


def read_samples(pages: Path) -> list[Sample]:
    samples = []
    truth = json.loads((pages / "zyte" / "ground-truth.json").read_text(encoding="utf-8"))
    for key, label in sorted(truth.items()):
        data = (pages / "zyte" / "html" / f"{key}.html.gz").read_bytes()
        samples.append(Sample("zyte", key[:10], data, label.get("url"), label["articleBody"]))
    meta = json.loads((pages / "fundus" / "meta.json").read_text(encoding="utf-8"))
    for relative, info in sorted(meta.items()):
        path = pages / "fundus" / relative
        publisher = path.name.split("_")[0]
        expected = json.loads((path.parent / f"{publisher}.json").read_text(encoding="utf-8"))["V1"]
        samples.append(
            Sample(
                "fundus",
                f"{path.parent.name}/{publisher}",
                path.read_bytes(),
                info.get("url"),
                fundus_body(expected),
                title=expected.get("title"),
                authors=expected.get("authors"),
                date=(expected.get("publishing_date") or "")[:10] or None,
                labelled_metadata=True,
            )
        )
    by_address = {sample.address: sample for sample in samples if sample.address}
    for warc in sorted((pages / "warc").glob("*.warc*")):
        for uri, _, stored, payload in warc_pages(warc.read_bytes()):
            labelled = by_address.get(uri)
            if labelled is None:
                continue
            samples.append(
                Sample(
                    "warc",
                    f"{warc.name.split('.')[0]}:{labelled.name}",
                    payload,
                    uri,
                    labelled.body,
                    labelled.title,
                    labelled.authors,
                    labelled.date,
                    labelled.labelled_metadata,
                    charset=http_charset(stored),
                )
            )
    return samples


def http_charset(stored: bytes) -> str | None:
    """The charset of a stored WARC record's HTTP Content-Type header, which the page's bytes need."""
    import io

    from warcio.archiveiterator import ArchiveIterator

    for record in ArchiveIterator(io.BytesIO(stored)):
        content_type = record.http_headers.get_header("Content-Type") if record.http_headers else None
        match = re.search(r"charset=([-\w.:]+)", content_type or "", re.IGNORECASE)
        return match.group(1) if match else None
    return None


# -- scoring ----------------------------------------------------------------------------------


def grams(text: str, n: int = 4) -> Counter:
    words = WORD.findall(text)
    return Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def body_score(found: str, labelled: str) -> tuple[float, float, float]:
    found_bag, labelled_bag = grams(found), grams(labelled)
    common = sum((found_bag & labelled_bag).values())
    precision = common / sum(found_bag.values()) if found_bag else (1.0 if not labelled_bag else 0.0)
    recall = common / sum(labelled_bag.values()) if labelled_bag else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def same_text(a: str | None, b: str | None) -> bool:
    def norm(value):
        return " ".join((value or "").casefold().split())

    return norm(a) == norm(b)


def same_authors(found: str | None, labelled: list[str] | None) -> bool:
    def names(values):
        return {
            " ".join(name.casefold().split())
            for value in values
            for name in AUTHOR_SEPARATORS.split(value)
            if name.strip()
        }

    return names([found] if found else []) == names(labelled or [])


def score(sample: Sample, favor: str, tables: bool) -> Score:
    start = time.perf_counter()
    page = read_page(sample.data, sample.address, charset=sample.charset, favor=favor, tables=tables)
    seconds = time.perf_counter() - start
    precision, recall, f1 = body_score(page.text, sample.body)
    whole = squeeze(page_text(sample.data, sample.charset))
    verbatim = sum(squeeze(text) in whole for _, text in page.blocks) / len(page.blocks) if page.blocks else 1.0
    result = Score(sample, precision, recall, f1, seconds, verbatim)
    if sample.labelled_metadata:
        result.checks = {
            "title": same_text(page.title, sample.title),
            "author": same_authors(page.author, sample.authors),
            "date": (page.date or "")[:10] == (sample.date or ""),
        }
        result.found = {"title": page.title, "author": page.author, "date": page.date}
    return result


def summary(scores: list[Score]) -> dict[str, float]:
    precision = statistics.mean(s.precision for s in scores)
    recall = statistics.mean(s.recall for s in scores)
    headline = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "pages": len(scores),
        "precision": precision,
        "recall": recall,
        "headline": headline,
        "mean_f1": statistics.mean(s.f1 for s in scores),
        "verbatim": statistics.mean(s.verbatim for s in scores),
    }


# -- reporting --------------------------------------------------------------------------------


def what_went_wrong(s: Score) -> str:
    """In a few words, figures only: which side lost, and which metadata was wrong."""
    notes = []
    if s.precision < 0.9:
        notes.append(f"extra text (precision {s.precision:.2f})")
    if s.recall < 0.9:
        notes.append(f"missed text (recall {s.recall:.2f})")
    wrong = [name for name, right in s.checks.items() if not right]
    if wrong:
        notes.append("wrong " + ", ".join(wrong))
    return "; ".join(notes) or "–"


def report(scores: list[Score], favor: str, tables: bool, command: str, comparison: list[str]) -> str:
    lines = [
        f"Body extraction by `parallax.capture.read_page` (trafilatura, favor={favor}, tables={'on' if tables else 'off'}), "
        "scored on word 4-gram bags as the Zyte benchmark scores it. Made by:",
        "",
        f"    {command}",
        "",
        "| set | pages | mean precision | mean recall | headline F1 (of mean P and mean R) | mean per-page F1 | blocks verbatim in the page |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    groups = {
        "zyte": [s for s in scores if s.sample.set == "zyte"],
        "fundus": [s for s in scores if s.sample.set == "fundus"],
        "zyte + fundus": [s for s in scores if s.sample.set != "warc"],
        "warc": [s for s in scores if s.sample.set == "warc"],
    }
    for name, group in groups.items():
        if group:
            f = summary(group)
            lines.append(
                f"| {name} | {f['pages']} | {f['precision']:.3f} | {f['recall']:.3f} | {f['headline']:.3f} | {f['mean_f1']:.3f} | {f['verbatim']:.3f} |"
            )
    metadata = [s for s in scores if s.checks and s.sample.set == "fundus"]
    if metadata:
        lines += ["", "Metadata on the fundus pages (titles and authors without case, dates by day):", ""]
        lines += ["| field | correct |", "| --- | ---: |"]
        for key in ("title", "author", "date"):
            right = sum(s.checks[key] for s in metadata)
            lines.append(f"| {key} | {right} / {len(metadata)} |")
    if comparison:
        lines += ["", "Every setting, on the 40 pages (zyte + fundus):", ""]
        lines += [
            "| favor | tables | headline F1 | mean per-page F1 | zyte mean F1 |",
            "| --- | --- | ---: | ---: | ---: |",
        ]
        lines += comparison
    lines += ["", "Per page:", ""]
    lines += [
        "| set | page | precision | recall | F1 | verbatim | title | author | date | seconds |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- | --- | --- | ---: |",
    ]
    for s in scores:

        def mark(key, s=s):
            return ("yes" if s.checks[key] else "**no**") if s.checks else "–"

        lines.append(
            f"| {s.sample.set} | {s.sample.name} | {s.precision:.2f} | {s.recall:.2f} | {s.f1:.2f} | {s.verbatim:.2f} "
            f"| {mark('title')} | {mark('author')} | {mark('date')} | {s.seconds:.2f} |"
        )
    worst = sorted((s for s in scores if s.sample.set != "warc"), key=lambda s: s.f1)[:6]
    lines += ["", "Worst pages by body F1:", ""]
    lines += [f"- {s.sample.set} {s.sample.name}: F1 {s.f1:.2f}, {what_went_wrong(s)}" for s in worst]
    wrong_metadata = [s for s in metadata if not all(s.checks.values())]
    if wrong_metadata:
        lines += ["", "Fundus pages with a metadata field wrong:", ""]
        lines += [f"- {s.sample.name}: {what_went_wrong(s)}" for s in wrong_metadata]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pages", nargs="?", type=Path, default=REPO.parent / "shared" / "pages")
    parser.add_argument("--favor", choices=("balanced", "precision", "recall"), default=FAVOR)
    parser.add_argument("--no-tables", dest="tables", action="store_false", default=TABLES)
    parser.add_argument("--compare", action="store_true", help="also run every favor/tables setting")
    parser.add_argument("--write", action="store_true", help="also write bench/extraction-results.md")
    arguments = parser.parse_args()
    if not (arguments.pages / "zyte" / "ground-truth.json").is_file():
        parser.error(f"no labelled pages at {arguments.pages} (see ../shared/pages/README.md)")
    samples = read_samples(arguments.pages)
    comparison = []
    if arguments.compare:
        labelled = [sample for sample in samples if sample.set != "warc"]
        for favor in ("balanced", "precision", "recall"):
            for tables in (True, False):
                scores = [score(sample, favor, tables) for sample in labelled]
                f = summary(scores)
                zyte = statistics.mean(s.f1 for s in scores if s.sample.set == "zyte")
                comparison.append(
                    f"| {favor} | {'on' if tables else 'off'} | {f['headline']:.3f} | {f['mean_f1']:.3f} | {zyte:.3f} |"
                )
    scores = [score(sample, arguments.favor, arguments.tables) for sample in samples]
    argv = [arg if arg.startswith("-") else "PAGES" for arg in sys.argv[1:]]
    command = " ".join([".venv/bin/python", "bench/extraction.py", *argv])
    text = report(scores, arguments.favor, arguments.tables, command, comparison)
    print(text)
    if arguments.write:
        (REPO / "bench" / "extraction-results.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
