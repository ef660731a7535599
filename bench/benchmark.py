"""Benchmark Parallax at scale, side by side with Pelican and Hugo on the same articles.

    .venv/bin/pip install -e '.[bench]'; apt-get install hugo
    .venv/bin/python bench/benchmark.py [--sizes 100 1000 2000 5000 10000] [--stories 100x100,1000x10] [--captures 500 2000] [--serve] [--work DIR]

For each N of --sizes it makes a synthetic one-story archive from the five real articles
(paragraphs shuffled and mixed, quotations reworded, numbers and punctuation varied, unrelated
text added; the real claims), then measures: a full Parallax build (wall time, peak memory, time
per stage), a rebuild after adding one article (dated among the others), another after adding
the newest (as a curator saving today's news does), another after correcting one (its title and a
word of its text), another after correcting only the title of another, another after a rule is
added to the stylesheet and one after claim.html is edited, Pelican and Hugo rendering the same articles as plain pages. It prints a
table and writes its section of bench/results.md, and bench/results.png (time against N for
the three).

For each S x A of --stories it makes a many-story archive of S stories of A articles each
(`archive.yaml`, `stories/<id>/articles/*.md`, `stories/<id>/claims.yaml`), each story made as a
one-story archive is but from its own share of the real paragraphs, and measures a full Parallax
build, rebuilds after adding one article to one story, after adding the newest to it, after correcting one, after correcting
only a title, and after editing the stylesheet and a template, and Pelican
rendering the same articles (one site, a category per story). It prints a table and writes its
own section of bench/results.md. With --stories, --captures or --serve alone, no one-story archive is measured; with no
option, the sizes above are.

For each N of --captures it makes a one-story archive of N articles as above, each with a saved
page of about 300 kB as its capture (its paragraphs among a news site's menus, links and
scripts), and measures a full build, a rebuild with nothing changed and one after a corrected
title: what reading captures costs, which the archives above have none of.

With --serve it measures how soon `serve` shows an edit: from saving a corrected title of an
article of the repository's own story to the article's page, fetched again, showing it; and, with
--stories, the same in each many-story archive once its rebuilds are measured.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import math
import random
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import yaml

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


@functools.cache
def real_paragraphs() -> tuple[str, ...]:
    archive = load_archive(REPO)
    return tuple(a.text[b.start : b.end] for a in archive.articles for b in a.blocks if b.kind == "p")


def synthetic_articles(count: int, seed: int | str = 7, story: str | None = None) -> list[dict]:
    """`count` articles made from the real ones, the same for the same count, seed and story.

    A story's articles are made from its own two thirds of the real paragraphs, so that stories
    differ in what they share, and their ids start with the story's, so that they are unique
    across the archive. The first articles of a larger count are those of a smaller one."""
    chance = random.Random(seed)
    paragraphs = list(real_paragraphs())
    if story is not None:
        paragraphs = chance.sample(paragraphs, k=len(paragraphs) * 2 // 3)
    made = []
    for number in range(count):
        body = [vary(chance.choice(paragraphs), chance) for _ in range(chance.randint(5, 12))]
        body += [filler(chance) for _ in range(chance.randint(2, 6))]
        chance.shuffle(body)
        made.append(
            {
                "id": f"{story}-article-{number:05d}" if story else f"article-{number:05d}",
                "outlet": chance.choice(OUTLETS),
                "title": f"Report {number} on the delegation in Moscow" + (f" ({story})" if story else ""),
                "published": f"2023-{10 + number % 3:02d}-{1 + number % 28:02d}",
                "body": "\n\n".join(body),
                "story": story,
            }
        )
    return made


# Later than every synthetic article (see synthetic_articles): the article a curator saves today.
NEWEST_DATE = "2023-12-31"


def escaped(text: str) -> str:
    return text.replace("<", "&lt;")


# Every story has the real claims, with their ids suffixed by the story's (their parts' ids and
# aliases too: ids are one set across the archive). Each story is then what the one-story
# benchmark makes of A articles, claim matching and claim pages included (a claim whose
# paragraphs fell outside the story's share is found in none of its articles, a warning), and an
# archive of S stories has S times the claims, as one curated throughout would; giving claims to
# some stories only would spare the others that work and flatter the build.
@functools.cache
def real_claims() -> tuple[dict, ...]:
    return tuple(yaml.safe_load((REPO / "claims.yaml").read_text(encoding="utf-8"))["claims"])


def story_claims(story: str, size: int) -> str:
    """The claims.yaml of a story: its title and summary, and the real claims under its own ids."""

    def suffixed(entry: dict) -> dict:
        entry = dict(entry, id=f"{entry['id']}-{story}")
        if "aliases" in entry:
            entry["aliases"] = [f"{alias}-{story}" for alias in entry["aliases"]]
        if "parts" in entry:
            entry["parts"] = [suffixed(part) for part in entry["parts"]]
        return entry

    document = {
        "story": {
            "title": f"The delegation in Moscow, retold ({story})",
            "summary": f"{size} synthetic articles made from two thirds of the paragraphs of the five real ones.",
        },
        "claims": [suffixed(claim) for claim in real_claims()],
    }
    # libyaml's writer where PyYAML has it: a thousand stories are a thousand files.
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(document, Dumper=dumper, allow_unicode=True, sort_keys=False, width=120)


def write_parallax(articles: list[dict], root: Path) -> None:
    """A one-story archive: `articles/` and `claims.yaml` at the top."""
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copy(REPO / "claims.yaml", root / "claims.yaml")
    write_parallax_articles(articles, root / "articles")


def write_parallax_stories(stories: dict[str, list[dict]], root: Path) -> None:
    """A many-story archive: `archive.yaml`, and each story's `articles/` and `claims.yaml` in
    `stories/<id>/`."""
    shutil.copytree(REPO / "templates", root / "templates")
    size = len(next(iter(stories.values())))
    (root / "archive.yaml").write_text(
        f'title: "Benchmark"\ndescription: "{len(stories)} synthetic stories of {size} articles each."\n'
    )
    for story, articles in stories.items():
        write_parallax_articles(articles, root / "stories" / story / "articles")
        (root / "stories" / story / "claims.yaml").write_text(story_claims(story, len(articles)), encoding="utf-8")


def write_parallax_articles(articles: list[dict], folder: Path) -> None:
    folder.mkdir(parents=True)
    for article in articles:
        write_parallax_article(article, folder)


def write_parallax_article(article: dict, folder: Path) -> None:
    front = f'---\noutlet: {article["outlet"]}\ntitle: "{article["title"]}"\npublished: {article["published"]}\nlanguage: en\n---\n\n'
    (folder / f"{article['id']}.md").write_text(front + escaped(article["body"]) + "\n", encoding="utf-8")


def write_pelican(articles: list[dict], root: Path) -> None:
    (root / "content").mkdir(parents=True)
    (root / "conf.py").write_text(
        "SITENAME = 'Benchmark'\nSITEURL = ''\nRELATIVE_URLS = True\nTIMEZONE = 'UTC'\nDEFAULT_LANG = 'en'\n"
        "FEED_ALL_ATOM = None\nCATEGORY_FEED_ATOM = None\nAUTHOR_FEED_ATOM = None\nAUTHOR_FEED_RSS = None\n"
        "DEFAULT_PAGINATION = 20\nCACHE_CONTENT = False\n"
    )
    for article in articles:
        header = f"Title: {article['title']}\nDate: {article['published']}\nAuthor: {article['outlet']}\nSlug: {article['id']}\n"
        if article.get("story"):
            header += f"Category: {article['story']}\n"
        header += "\n"
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
import gc, json, os, resource, sys, threading, time
from pathlib import Path
gc.disable()  # as the command line runs a build (parallax.cli.run): the collector off, the process ended at once
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
                  "shared": sum(len(comparison.shared) for comparison in result.comparisons),
                  "passages": sum(len(comparison.passages) for comparison in result.comparisons)}}), flush=True)
os._exit(0)
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


def emptied(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    return folder


def corrected_title(article: str, mark: str) -> str:
    """An article's file with `mark` added to its title, quoted or not."""
    return re.sub(r'(?m)^title: ("?)(.*?)("?)$', rf"title: \1\2, {mark}\3", article, count=1)


def edit_one(articles: Path) -> None:
    """What a curator does to an article already in: correct its title, and a word of its text."""
    path = sorted(articles.glob("*.md"))[len(list(articles.glob("*.md"))) // 2]
    front, body = corrected_title(path.read_text(encoding="utf-8"), "corrected").split("\n---\n", 1)
    path.write_text(front + "\n---\n" + body.replace(" the ", " this ", 1), encoding="utf-8")


def retitle_one(articles: Path) -> None:
    """What a curator does to an article's metadata: correct its title, its text as it was."""
    path = sorted(articles.glob("*.md"))[len(list(articles.glob("*.md"))) // 3]
    path.write_text(corrected_title(path.read_text(encoding="utf-8"), "retitled"), encoding="utf-8")


def appended(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


# A file changed this recently is read again at the next build, as a curator's are not: see cache.SETTLED_NS.
SETTLED_SECONDS = 3.1


def measure_builds(folder: Path, articles: list[dict], extras: list[dict], edited: Path) -> dict:
    """What every archive is measured by, its Parallax archive written in folder/parallax: a full
    build, a rebuild after the first of `extras` is added to `edited` (dated among the others),
    one after the second is, dated after all (the newest), one after an article of `edited` is
    corrected, one after another's title only is, one after a rule is added to the stylesheet
    and one after a template (a claim's page's) is edited; and Pelican rendering the same
    articles."""
    write_pelican(articles, folder / "pelican")
    time.sleep(SETTLED_SECONDS)  # the files as old as a curator's
    full = parallax_build(folder / "parallax", cached=False)
    added, newest = extras
    write_parallax_article(added, edited)
    again = parallax_build(folder / "parallax", cached=True)
    write_parallax_article(newest | {"published": NEWEST_DATE}, edited)
    latest = parallax_build(folder / "parallax", cached=True)
    edit_one(edited)
    corrected = parallax_build(folder / "parallax", cached=True)
    retitle_one(edited)
    retitled = parallax_build(folder / "parallax", cached=True)
    templates = folder / "parallax" / "templates"
    appended(templates / "static" / "style.css", "\n.edited { color: inherit; }\n")
    restyled = parallax_build(folder / "parallax", cached=True)
    appended(templates / "claim.html", "{# edited #}\n")
    retemplated = parallax_build(folder / "parallax", cached=True)
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
    return {
        "parallax": full,
        "rebuild": again,
        "newest": latest,
        "edit": corrected,
        "retitle": retitled,
        "style": restyled,
        "template": retemplated,
        "pelican": pelican,
    }


def measure(count: int, work: Path) -> dict:
    """A one-story archive of `count` articles, measured, and Hugo rendering the same articles."""
    articles = synthetic_articles(count + 2)
    extras, articles = articles[-2:], articles[:-2]
    folder = emptied(work / str(count))
    write_parallax(articles, folder / "parallax")
    write_hugo(articles, folder / "hugo")
    row = {"n": count} | measure_builds(folder, articles, extras, folder / "parallax" / "articles")
    hugo = timed(["hugo", "--quiet", "-s", str(folder / "hugo"), "-d", str(folder / "hugo" / "public")])
    return row | {"hugo": hugo}


def make_stories(count: int, size: int) -> tuple[dict[str, list[dict]], list[dict]]:
    """`count` stories of `size` articles each, by story id, and two more articles for the first."""
    width = max(4, len(str(count)))
    made = {
        story: synthetic_articles(size + 2, seed=f"7/{story}", story=story)
        for story in (f"story-{number:0{width}d}" for number in range(1, count + 1))
    }
    extras = next(iter(made.values()))[-2:]
    return {story: articles[:-2] for story, articles in made.items()}, extras


def measure_stories(count: int, size: int, work: Path) -> dict:
    """A many-story archive of `count` stories of `size` articles each, measured; the rebuilds add
    articles to the first story."""
    stories, extras = make_stories(count, size)
    folder = emptied(work / f"{count}x{size}")
    write_parallax_stories(stories, folder / "parallax")
    added_to = folder / "parallax" / "stories" / extras[0]["story"] / "articles"
    articles = [article for story in stories.values() for article in story]
    return {"stories": count, "size": size} | measure_builds(folder, articles, extras, added_to)


PAGE_BYTES = 300_000  # a saved news page: most weigh 100 kB to 1 MB, menus, links and scripts included


def saved_page(article: dict, chance: random.Random) -> str:
    """A news site's page holding the article's paragraphs among its menus, links and scripts."""
    chrome = []
    while sum(map(len, chrome)) < PAGE_BYTES:
        links = "".join(f'<li><a href="/{word}">{word.capitalize()}</a></li>' for word in chance.choices(FILLER, k=12))
        chrome.append(f"<nav><ul>{links}</ul></nav><aside><p>{filler(chance)}</p></aside>")
    body = "".join(f"<p>{escaped(paragraph)}</p>" for paragraph in article["body"].split("\n\n"))
    half = len(chrome) // 2
    return (
        f"<!DOCTYPE html><html><head><title>{article['title']}</title><script>var page = {{}};</script></head>"
        f"<body>{''.join(chrome[:half])}<article><h1>{article['title']}</h1>{body}</article>{''.join(chrome[half:])}"
        "</body></html>"
    )


def measure_captures(count: int, work: Path) -> dict:
    """A one-story archive of `count` articles, each with a saved page as its capture: a full
    build, a rebuild with nothing changed, and one after a corrected title."""
    articles = synthetic_articles(count)
    folder = emptied(work / f"{count}-captured")
    write_parallax(articles, folder)
    (folder / "articles" / "captures").mkdir()
    chance = random.Random(count)
    for article in articles:
        path = folder / "articles" / f"{article['id']}.md"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("language: en\n", f"language: en\ncapture: captures/{article['id']}.html\n", 1))
        (folder / "articles" / "captures" / f"{article['id']}.html").write_text(saved_page(article, chance))
    time.sleep(SETTLED_SECONDS)  # the files as old as a curator's
    full = parallax_build(folder, cached=False)
    unchanged = parallax_build(folder, cached=True)
    retitle_one(folder / "articles")
    return {"n": count, "parallax": full, "unchanged": unchanged, "retitle": parallax_build(folder, cached=True)}


def captures_table(rows: list[dict]) -> str:
    lines = [
        "| N articles, each with a saved page of 300 kB | Parallax full build | rebuild with nothing changed | after correcting a title |",
        "| --- | --- | --- | --- |",
    ]
    lines += [
        f"| {row['n']:,} | {row['parallax']['seconds']:.1f} s | {row['unchanged']['seconds']:.1f} s | {row['retitle']['seconds']:.1f} s |"
        for row in rows
    ]
    return "\n".join(lines)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetched(address: str) -> str:
    try:
        with urllib.request.urlopen(address, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def repository_story(work: Path) -> tuple[Path, Path]:
    """A copy of the repository's own story, and the article `serve` is timed on: its first."""
    folder = emptied(work / "serve")
    for name in ("articles", "templates"):
        shutil.copytree(REPO / name, folder / name)
    for name in ("claims.yaml", "speakers.yaml"):
        shutil.copy(REPO / name, folder / name)
    return folder, sorted((folder / "articles").glob("*.md"))[0]


def measure_serve(folder: Path, article: Path, edits: int = 10) -> list[float]:
    """How long `serve` takes to show an edit of the archive in `folder`: from the moment a
    corrected title of `article` is saved to the moment the article's page, fetched as a browser
    reloading it would, carries it. Seconds, one per edit."""
    page = f"http://127.0.0.1:{(port := free_port())}/articles/{article.stem}.html"
    server = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--source", str(folder), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    waits = []
    try:
        while not fetched(page):
            time.sleep(0.05)
        original = article.read_text(encoding="utf-8")
        for number in range(edits):
            time.sleep(1)  # as a curator would: an edit, a look, another edit
            mark = f"corrected {number}"
            article.write_text(corrected_title(original, mark), encoding="utf-8")
            saved = time.perf_counter()
            while mark not in fetched(page):
                if server.poll() is not None:
                    raise SystemExit("serve stopped")
                if time.perf_counter() - saved > 60:
                    raise SystemExit(f"serve did not show the edit in a minute: {page}")
                time.sleep(0.01)
            waits.append(time.perf_counter() - saved)
    finally:
        server.terminate()
        server.wait()
    return waits


def table(rows: list[dict]) -> str:
    lines = [
        "| N | Parallax full build | peak memory of all processes (in brackets: the main one's and its largest worker's own peaks, added) | load / match / reuse / compare / render / write | shared statements / passages "
        "| rebuild after adding 1 | after adding the newest | after correcting 1 | after correcting a title only | after editing the stylesheet | after editing claim.html | Pelican | Hugo |",
        "| ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        stages = " / ".join(
            f"{row['parallax']['stages'][s]:.1f}" for s in ("load", "match", "reuse", "compare", "render", "write")
        )
        lines.append(
            f"| {row['n']:,} | {row['parallax']['seconds']:.1f} s | {row['parallax']['peak_mb']:.0f} MB "
            f"({row['parallax']['upper_mb']:.0f} MB) | {stages} s "
            f"| {row['parallax']['shared']:,} / {row['parallax']['passages']:,} | {rebuilt(row['rebuild'])} | {rebuilt(row['newest'])} "
            f"| {rebuilt(row['edit'])} | {rebuilt(row['retitle'])} | {rebuilt(row['style'])} | {rebuilt(row['template'])} | {row['pelican']:.1f} s | {row['hugo']:.1f} s |"
        )
    return "\n".join(lines)


def rebuilt(build: dict) -> str:
    return f"{build['seconds']:.1f} s ({build['written']:,} files written)"


def stories_table(rows: list[dict]) -> str:
    lines = [
        "| stories x articles | articles | Parallax full build | peak memory of all processes (in brackets: the main one's and its largest worker's own peaks, added) | stages, as the build reports them | shared statements / passages "
        "| rebuild after adding 1 to one story | after adding the newest | after correcting 1 | after correcting a title only | after editing the stylesheet | after editing claim.html | Pelican |",
        "| ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        full, rebuild = row["parallax"], row["rebuild"]
        stages = " / ".join(f"{name} {seconds:.1f}" for name, seconds in full["stages"].items())
        counts = f"{full['shared']:,} / {full['passages']:,}"
        lines.append(
            f"| {row['stories']:,} x {row['size']:,} | {row['stories'] * row['size']:,} | {full['seconds']:.1f} s "
            f"| {full['peak_mb']:.0f} MB ({full['upper_mb']:.0f} MB) | {stages} s | {counts} "
            f"| {rebuilt(rebuild)} | {rebuilt(row['newest'])} | {rebuilt(row['edit'])} | {rebuilt(row['retitle'])} | {rebuilt(row['style'])} "
            f"| {rebuilt(row['template'])} "
            f"| {row['pelican']:.1f} s |"
        )
    return "\n".join(lines)


def against_targets(rows: list[dict]) -> list[str]:
    """The run's figures against the targets Parallax is held to, for the sizes measured."""
    by_size = {row["n"]: row for row in rows}
    lines = []
    if 10000 in by_size:
        full = by_size[10000]["parallax"]
        lines.append(
            f"N = 10,000: {full['seconds']:.1f} s (target 45 s) and {full['peak_mb']:,.0f} MB "
            f"(target 2 GB; the main process's and its largest worker's own peaks, added: {full['upper_mb']:,.0f} MB)"
        )
        for kind, what in (
            ("rebuild", "adding one article"),
            ("newest", "adding the newest article"),
            ("edit", "correcting one article"),
            ("retitle", "correcting an article's title only"),
        ):
            seconds = by_size[10000][kind]["seconds"]
            lines.append(
                f"N = 10,000, rebuild after {what}: {seconds:.1f} s, {seconds / full['seconds']:.2f} of the full "
                f"build (target: 3 s, and a tenth at most)"
            )
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


def against_stories_targets(rows: list[dict]) -> list[str]:
    """The run's figures against the targets for archives of many stories."""
    lines = []
    for row in rows:
        shape = f"{row['stories']:,} x {row['size']:,}"
        full = row["parallax"]["seconds"]
        lines.append(f"{shape}: full build {full:.1f} s against Pelican's {row['pelican']:.1f} s (target: no slower)")
        for kind, what in (("rebuild", "one article"), ("newest", "the newest article")):
            rebuild = row[kind]["seconds"]
            lines.append(
                f"{shape}: rebuild after adding {what} to one story {rebuild:.1f} s, {rebuild / full:.2f} of the "
                f"full build (target: a fifth at most, {full / 5:.1f} s)"
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


def shapes(text: str) -> list[tuple[int, int]]:
    """`100x100,1000x10` as [(100, 100), (1000, 10)]: S stories of A articles each."""
    found = []
    for shape in text.split(","):
        match = re.fullmatch(r"\s*(\d+)\s*x\s*(\d+)\s*", shape)
        if not match or int(match[1]) < 1 or int(match[2]) < 1:
            raise argparse.ArgumentTypeError(f"{shape!r}: expected S x A, such as 100x100, each at least 1")
        found.append((int(match[1]), int(match[2])))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", help="one-story archives of N articles each")
    parser.add_argument("--stories", type=shapes, help="many-story archives, S x A each: 100x100,1000x10")
    parser.add_argument(
        "--captures", type=int, nargs="+", help="one-story archives of N articles, each with a saved page"
    )
    parser.add_argument(
        "--serve",
        action="store_true",
        help="how soon `serve` shows an edit of the first story, and of each many-story archive measured",
    )
    parser.add_argument("--work", type=Path, default=Path("/tmp/parallax-bench"))
    arguments = parser.parse_args()
    sizes = arguments.sizes or (
        [] if arguments.stories or arguments.serve or arguments.captures else [100, 1000, 2000, 5000, 10000]
    )
    results = REPO / "bench" / "results.md"
    if sizes:
        rows = []
        for count in sizes:
            rows.append(measure(count, arguments.work))
            print(table(rows[-1:]).splitlines()[-1], flush=True)
        report = table(rows) + "\n\n" + "\n".join(f"- {line}" for line in against_targets(rows))
        print(report)
        write_section(results, "## One story", report)
        plot(rows, REPO / "bench" / "results.png")
    if arguments.captures:
        rows = []
        for count in arguments.captures:
            rows.append(measure_captures(count, arguments.work))
            print(captures_table(rows[-1:]).splitlines()[-1], flush=True)
        report = captures_table(rows)
        print(report)
        write_section(results, "## With captures", report)
    served = []  # (what, seconds of each edit): the repository's story, then each many-story archive
    if arguments.serve:
        served.append(("of the repository's story", sorted(measure_serve(*repository_story(arguments.work)))))
    if arguments.stories:
        rows = []
        for count, size in arguments.stories:
            rows.append(measure_stories(count, size, arguments.work))
            print(stories_table(rows[-1:]).splitlines()[-1], flush=True)
            if arguments.serve:  # the archive as its rebuilds left it, its site current
                folder = arguments.work / f"{count}x{size}" / "parallax"
                article = sorted((folder / "stories").glob("*/articles/*.md"))[0]
                served.append((f"of an article of {count} stories of {size}", sorted(measure_serve(folder, article))))
        report = stories_table(rows) + "\n\n" + "\n".join(f"- {line}" for line in against_stories_targets(rows))
        print(report)
        write_section(results, "## Many stories", report)
    if served:
        report = "\n".join(
            f"- From saving a corrected title {what} to its page showing it, over {len(waits)} edits: "
            f"median {waits[len(waits) // 2]:.2f} s, at most {waits[-1]:.2f} s (target: 1 s for the first story)."
            for what, waits in served
        )
        print(report)
        write_section(results, "## Serve", report)


if __name__ == "__main__":
    main()
