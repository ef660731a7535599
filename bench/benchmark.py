"""Benchmark Parallax at scale, side by side with Pelican and Hugo on the same articles.

    .venv/bin/pip install -e '.[bench]'; apt-get install hugo
    .venv/bin/python bench/benchmark.py [--sizes 100 1000 2000 5000 10000] [--work DIR]

For each N it makes a synthetic archive from the five real articles (paragraphs shuffled and
mixed, quotations reworded, numbers and punctuation varied, unrelated text added; the real
claims), then measures: a full Parallax build (wall time, peak memory, time per stage), a rebuild
after adding one article, Pelican and Hugo rendering the same articles as plain pages. It prints
a table and writes bench/results.md and bench/results.png (time against N for the three).
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from parallax.load import load_archive  # noqa: E402

OUTLETS = [
    f"{place} {kind}"
    for place in ("North", "South", "East", "West", "Central", "Coastal", "Valley", "Metro")
    for kind in ("Herald", "Courier", "Gazette", "Post", "Wire")
]
REWORDINGS = {
    "said": "stated",
    "officials": "representatives",
    "over": "more than",
    "necessary": "needed",
    "consider": "believe",
    "parties": "sides",
    "kidnapping": "abduction",
    "immediately": "at once",
    "condemn": "denounce",
    "release": "freeing",
    "meeting": "talks",
    "continue": "keep up",
}
# Unrelated text: sentences of made-up words, with a vocabulary as large as a newspaper's.
SYLLABLES = "ba be bi bo bu da de di do du ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu ra re ri ro ru sa se si so su ta te ti to tu".split()
FILLER = sorted({a + b + c for a in SYLLABLES for b in SYLLABLES for c in SYLLABLES[:8]})


def vary(paragraph: str, chance: random.Random) -> str:
    """The same words as another outlet might print them: reworded, renumbered, re-punctuated."""
    if chance.random() < 0.3:
        paragraph = paragraph.replace("1,400", "1400").replace("“", '"').replace("”", '"')
    if chance.random() < 0.3:
        words = paragraph.split(" ")
        for index in chance.sample(range(len(words)), k=min(2, len(words))):
            words[index] = REWORDINGS.get(words[index], words[index])
        paragraph = " ".join(words)
    if chance.random() < 0.2:
        paragraph = paragraph.replace(",", "", 1)
    return paragraph


def filler(chance: random.Random) -> str:
    sentences = []
    for _ in range(chance.randint(2, 5)):
        words = chance.choices(FILLER, k=chance.randint(8, 16))
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)


def synthetic_articles(count: int, seed: int = 7) -> list[dict]:
    """`count` articles made from the real ones, the same for the same count and seed."""
    chance = random.Random(seed)
    archive = load_archive(REPO)
    paragraphs = [a.text[b.start : b.end] for a in archive.articles for b in a.blocks if b.kind == "p"]
    made = []
    for number in range(count):
        body = [vary(chance.choice(paragraphs), chance) for _ in range(chance.randint(5, 12))]
        body += [filler(chance) for _ in range(chance.randint(2, 6))]
        chance.shuffle(body)
        made.append(
            {
                "id": f"article-{number:05d}",
                "outlet": chance.choice(OUTLETS),
                "title": f"Report {number} on the delegation in Moscow",
                "published": f"2023-{10 + number % 3:02d}-{1 + number % 28:02d}",
                "body": "\n\n".join(body),
            }
        )
    return made


def escaped(text: str) -> str:
    return text.replace("<", "&lt;")


def write_parallax(articles: list[dict], root: Path) -> None:
    (root / "articles").mkdir(parents=True)
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copy(REPO / "claims.yaml", root / "claims.yaml")
    for article in articles:
        write_parallax_article(article, root)


def write_parallax_article(article: dict, root: Path) -> None:
    front = f'---\noutlet: {article["outlet"]}\ntitle: "{article["title"]}"\npublished: {article["published"]}\nlanguage: en\n---\n\n'
    (root / "articles" / f"{article['id']}.md").write_text(front + escaped(article["body"]) + "\n", encoding="utf-8")


def write_pelican(articles: list[dict], root: Path) -> None:
    (root / "content").mkdir(parents=True)
    (root / "conf.py").write_text(
        "SITENAME = 'Benchmark'\nSITEURL = ''\nRELATIVE_URLS = True\nTIMEZONE = 'UTC'\nDEFAULT_LANG = 'en'\n"
        "FEED_ALL_ATOM = None\nCATEGORY_FEED_ATOM = None\nAUTHOR_FEED_ATOM = None\nAUTHOR_FEED_RSS = None\n"
        "DEFAULT_PAGINATION = 20\nCACHE_CONTENT = False\n"
    )
    for article in articles:
        header = f"Title: {article['title']}\nDate: {article['published']}\nAuthor: {article['outlet']}\nSlug: {article['id']}\n\n"
        (root / "content" / f"{article['id']}.md").write_text(
            header + escaped(article["body"]) + "\n", encoding="utf-8"
        )


def write_hugo(articles: list[dict], root: Path) -> None:
    (root / "content" / "articles").mkdir(parents=True)
    (root / "layouts" / "_default").mkdir(parents=True)
    (root / "config.toml").write_text(
        "baseURL = 'https://example.org/'\nrelativeURLs = true\ndisableKinds = ['taxonomy', 'term', 'RSS', 'sitemap']\n"
        "[pagination]\npagerSize = 20\n"
    )
    layout = (
        '<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body>{{ block "main" . }}{{ end }}</body></html>'
    )
    (root / "layouts" / "_default" / "baseof.html").write_text(layout)
    (root / "layouts" / "_default" / "single.html").write_text(
        '{{ define "main" }}<h1>{{ .Title }}</h1><p>{{ .Params.outlet }}, {{ .Date.Format "2 January 2006" }}</p>{{ .Content }}{{ end }}'
    )
    (root / "layouts" / "_default" / "list.html").write_text(
        '{{ define "main" }}<ul>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}'
    )
    for article in articles:
        front = (
            f'---\ntitle: "{article["title"]}"\ndate: {article["published"]}\noutlet: "{article["outlet"]}"\n---\n\n'
        )
        (root / "content" / "articles" / f"{article['id']}.md").write_text(
            front + escaped(article["body"]) + "\n", encoding="utf-8"
        )


MEASURE = """
import json, os, resource, sys, threading, time
from pathlib import Path
sys.path.insert(0, {repo!r})
from parallax.cache import Cache
from parallax.parallel import cores
from parallax.pipeline import build

def proportional_kb(pid):
    # A process's memory with each page it shares with others counted as its part of it (PSS).
    try:
        with open(f"/proc/{{pid}}/smaps_rollup") as rollup:
            return next(int(line.split()[1]) for line in rollup if line.startswith("Pss:"))
    except (OSError, StopIteration):
        return 0

def family():
    # This process and the workers it forked (all from its main thread).
    me = os.getpid()
    try:
        with open(f"/proc/{{me}}/task/{{me}}/children") as children:
            return [me, *map(int, children.read().split())]
    except OSError:
        return [me]

peak_total = 0
def sample(done):
    global peak_total
    while not done.wait(0.1):
        peak_total = max(peak_total, sum(proportional_kb(pid) for pid in family()))

done = threading.Event(); sampler = threading.Thread(target=sample, args=(done,), daemon=True); sampler.start()
source = Path({source!r}); output = source / "site"
result = build(source, output, source / "templates", Cache.of_site(output) if {cached} else Cache(), cores())
done.set(); sampler.join()
# Forked workers share pages with this process, and several run at once: the sum of this process's
# peak and the largest worker's counts shared pages twice and leaves the other workers out. The
# total of every process's proportional size, sampled, counts each page once and every process.
upper = sum(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
print(json.dumps({{"stages": result.stages, "peak_mb": peak_total / 1024, "upper_mb": upper / 1024,
                  "written": result.written, "files": result.files,
                  "shared": sum(s.is_shared for s in result.comparison.statements),
                  "passages": len(result.comparison.passages)}}))
"""


def parallax_build(source: Path, cached: bool) -> dict:
    """One build in a fresh process, timed from start to exit like Pelican and Hugo (Python's
    start and imports included), with its peak memory and the time each stage took."""
    program = MEASURE.format(repo=str(REPO), source=str(source), cached=cached)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        # The build's own message, not the measuring program's text.
        raise SystemExit(f"the build of {source} failed:\n" + "\n".join(done.stderr.splitlines()[-20:]))
    return json.loads(done.stdout.strip().splitlines()[-1]) | {"seconds": seconds}


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def measure(count: int, work: Path) -> dict:
    articles = synthetic_articles(count + 1)
    extra, articles = articles[-1], articles[:-1]
    folder = work / str(count)
    shutil.rmtree(folder, ignore_errors=True)
    write_parallax(articles, folder / "parallax")
    write_pelican(articles, folder / "pelican")
    write_hugo(articles, folder / "hugo")
    full = parallax_build(folder / "parallax", cached=False)
    write_parallax_article(extra, folder / "parallax")
    again = parallax_build(folder / "parallax", cached=True)
    pelican = timed(
        [
            sys.executable,
            "-m",
            "pelican",
            str(folder / "pelican" / "content"),
            "-o",
            str(folder / "pelican" / "output"),
            "-s",
            str(folder / "pelican" / "conf.py"),
            "-q",
        ]
    )
    hugo = timed(["hugo", "--quiet", "-s", str(folder / "hugo"), "-d", str(folder / "hugo" / "public")])
    return {"n": count, "parallax": full, "rebuild": again, "pelican": pelican, "hugo": hugo}


def table(rows: list[dict]) -> str:
    lines = [
        "| N | Parallax full build | peak memory of all processes (in brackets: the main one's and its largest worker's own peaks, added) | load / match / reuse / compare / render / write | shared statements / passages "
        "| rebuild after adding 1 | Pelican | Hugo |",
        "| ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        stages = " / ".join(
            f"{row['parallax']['stages'][s]:.1f}" for s in ("load", "match", "reuse", "compare", "render", "write")
        )
        lines.append(
            f"| {row['n']:,} | {row['parallax']['seconds']:.1f} s | {row['parallax']['peak_mb']:.0f} MB "
            f"({row['parallax']['upper_mb']:.0f} MB) | {stages} s "
            f"| {row['parallax']['shared']:,} / {row['parallax']['passages']:,} | {row['rebuild']['seconds']:.1f} s ({row['rebuild']['written']:,} files written) "
            f"| {row['pelican']:.1f} s | {row['hugo']:.1f} s |"
        )
    return "\n".join(lines)


def against_targets(rows: list[dict]) -> list[str]:
    """The run's figures against the targets Parallax is held to, for the sizes measured."""
    by_size = {row["n"]: row for row in rows}
    lines = []
    if 10000 in by_size:
        full, rebuild = by_size[10000]["parallax"], by_size[10000]["rebuild"]
        lines.append(
            f"N = 10,000: {full['seconds']:.1f} s (target 60 s) and {full['peak_mb']:,.0f} MB "
            f"(target 2 GB; the main process's and its largest worker's own peaks, added: {full['upper_mb']:,.0f} MB)"
        )
        lines.append(f"N = 10,000, rebuild after adding one article: {rebuild['seconds']:.1f} s (target 3 s)")
    if 2000 in by_size:
        row = by_size[2000]
        lines.append(
            f"N = 2,000: {row['parallax']['seconds']:.1f} s against Pelican's {row['pelican']:.1f} s (target: no slower) "
            f"and {row['parallax']['seconds'] / row['hugo']:.1f} times Hugo's {row['hugo']:.1f} s (target: 3 times)"
        )
    for smaller, larger in itertools.pairwise(rows):
        growth = larger["parallax"]["seconds"] / smaller["parallax"]["seconds"]
        factor = larger["n"] / smaller["n"]
        lines.append(
            f"N = {smaller['n']:,} to {larger['n']:,} (x{factor:g}): time x{growth:.2f} "
            f"(target for doubling: x2.2 at most; x{growth ** (1 / math.log2(factor)):.2f} per doubling)"
        )
    return lines


def write_section(path: Path, heading: str, body: str) -> None:
    """Put `body` under `heading` in `path`, in place of what was under it, or at the end: a run
    of one kind of archive leaves the other kinds' figures as they were."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    sections = [section.rstrip("\n") for section in re.split(r"(?m)^(?=## )", text) if section.strip()]
    new = f"{heading}\n\n{body.strip()}"
    at = next((i for i, section in enumerate(sections) if section.splitlines()[0].strip() == heading), None)
    if at is None:
        sections.append(new)
    else:
        sections[at] = new
    path.write_text("\n\n".join(sections) + "\n", encoding="utf-8")


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    sizes = [row["n"] for row in rows]
    figure, axes = pyplot.subplots(figsize=(7, 4.2), dpi=120)
    axes.plot(sizes, [row["parallax"]["seconds"] for row in rows], "o-", label="Parallax (matching included)")
    axes.plot(sizes, [row["pelican"] for row in rows], "s-", label="Pelican (pages only)")
    axes.plot(sizes, [row["hugo"] for row in rows], "^-", label="Hugo (pages only)")
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("articles (N)")
    axes.set_ylabel("full build, seconds")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 2000, 5000, 10000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/parallax-bench"))
    arguments = parser.parse_args()
    rows = []
    for count in arguments.sizes:
        rows.append(measure(count, arguments.work))
        print(table(rows[-1:]).splitlines()[-1], flush=True)
    report = table(rows) + "\n\n" + "\n".join(f"- {line}" for line in against_targets(rows))
    print(report)
    write_section(REPO / "bench" / "results.md", "## One story", report)
    plot(rows, REPO / "bench" / "results.png")


if __name__ == "__main__":
    main()
