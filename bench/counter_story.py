"""Write an archive of several stories for development: stories from COUNTER, and the real first one.

    .venv/bin/python bench/counter_story.py TARGET [--corpus PATH] [--stories N]

For development only. COUNTER, the corpus of Urdu news text reuse (Muhammad, Nawab and Rayson
2016, CC BY-NC-SA 4.0), may be used for research and academic purposes only: its texts are never
to be committed into the project, published, or built into a site that is. This script reads it
at run time from --corpus (default ../shared/reuse-dev, beside the repository; see the README.md
there) and writes only into TARGET, a new or empty folder outside the repository: it refuses one
inside it. Nothing of the corpus is printed.

TARGET receives an archive of many stories:

    archive.yaml                       its title, description and licence
    stories/<id>/articles/*.md         one Markdown file per article
    stories/<id>/claims.yaml           the story's title and summary; no claims

Some of COUNTER's agency texts were given to several newspapers, and so stand in several pairs.
Each story is one such agency text with the newspaper texts of its pairs: derived from it, wholly
(WD) or partially (PD), or written independently on the same event (ND). Stories with texts of
more kinds come first, then those with more texts; each has at least one derived text. Each
article's notes give its pair and label. Outlets are the agencies and papers the corpus names;
dates are the corpus's where it gives a readable one, the agency's no later than the papers' and
these within a month of it, and otherwise made up (the notes say so).

The repository's own story, `articles/` and `claims.yaml`, is copied in as `moscow-2023`.
"""

from __future__ import annotations

import argparse
import datetime
import json
import shutil
import sys
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIRST_STORY = "moscow-2023"
AGENCIES = {
    "APP": "Associated Press of Pakistan",
    "INN": "International News Network",
    "INP": "Independent News Pakistan",
    "NNI": "News Network International",
    "SANA": "South Asian News Agency",
}
PAPERS = {
    "nawa-e-waqt": "Nawa-e-Waqt",
    "daily_dunya": "Daily Dunya",
    "express": "Express",
    "jang": "Jang",
    "daily_waqt": "Daily Waqt",
    "daily_insaf": "Daily Insaf",
    "daily_aaj": "Daily Aaj",
    "daily_islam": "Daily Islam",
    "daily_pakistan": "Daily Pakistan",
}
LABELS = {"WD": "wholly derived", "PD": "partially derived", "ND": "not derived"}
DERIVED = ("WD", "PD")
# A paper's date later than this after the agency's is taken for a slip (08.08.14 for 08.09.14).
LATEST_AFTER_AGENCY = datetime.timedelta(days=30)
MADE_UP_START = datetime.date(2014, 7, 1)  # the corpus's stories were collected from July 2014


@dataclass(frozen=True)
class Text:
    """One COUNTER file: an agency's text or a newspaper's."""

    pair: str  # 0001 to 0600
    headline: str
    body: str
    label: str  # the pair's: WD, PD or ND
    domain: str
    outlet: str  # the corpus's code: APP, nawa-e-waqt...
    date: str  # as the corpus gives it, mostly DD.MM.YY

    @property
    def words(self) -> str:
        return f"{self.headline}\n\n{self.body}"


@dataclass(frozen=True)
class Story:
    agency: Text  # that of its first pair
    papers: tuple[Text, ...]
    sent: tuple[str, ...]  # the agency text's date in each of its pairs: they differ at times

    @property
    def id(self) -> str:
        return f"counter-{self.agency.pair}"


def read_text(path: Path, pair: str) -> Text:
    """A file's headline and body, NFC (the corpus is not consistently), and what its root says."""
    root = ET.parse(path).getroot()

    def text(tag: str) -> str:
        return unicodedata.normalize("NFC", " ".join((root.findtext(tag) or "").split()))

    return Text(
        pair=pair,
        headline=text("headline"),
        body=text("body"),
        label=root.get("classification", ""),
        domain=root.get("domain", ""),
        outlet=root.get("newspaper", ""),
        date=root.get("newsdate", ""),
    )


def read_stories(folder: Path) -> list[Story]:
    """Every agency text that stands in two pairs or more and has a text derived from it, with its
    newspaper texts (a text printed twice, once), best first (see the module's notes)."""
    # Names are matched without case: pair 0032's derived file is 0032P.xml.
    by_name = {path.name.lower(): path for path in folder.iterdir() if path.name.lower().endswith(".xml")}
    by_agency_text: dict[str, list[tuple[Text, Text]]] = {}
    for pair in sorted(name[:4] for name in by_name if len(name) == 8 and name[:4].isdigit()):
        if f"{pair}p.xml" not in by_name:
            continue
        agency, paper = read_text(by_name[f"{pair}.xml"], pair), read_text(by_name[f"{pair}p.xml"], pair)
        by_agency_text.setdefault(agency.words, []).append((agency, paper))
    stories = []
    for pairs in by_agency_text.values():
        papers: list[Text] = []
        for _, paper in pairs:
            if all(paper.words != kept.words for kept in papers):
                papers.append(paper)
        if len(papers) >= 2 and any(paper.label in DERIVED for paper in papers):
            stories.append(Story(pairs[0][0], tuple(papers), tuple(agency.date for agency, _ in pairs)))
    stories.sort(key=lambda s: (-len({p.label for p in s.papers}), -len(s.papers), s.agency.pair))
    return stories


def corpus_date(text: str) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(text, "%d.%m.%y").date()
    except ValueError:
        return None


def dates(story: Story) -> tuple[tuple[datetime.date, str], list[tuple[datetime.date, str]]]:
    """The agency text's date and each newspaper text's, each with a note on where it comes from.

    The agency's is the earliest the corpus gives it in its pairs, or else the day before the
    earliest paper's; a paper's is the corpus's if it is no earlier than the agency's and within a
    month of it, or else the next day."""
    papers = [corpus_date(paper.date) for paper in story.papers]
    sent = [day for day in map(corpus_date, story.sent) if day is not None]
    if sent:
        agency = min(sent)
        agency_note = "Date from the corpus."
    else:
        readable = [day for day in papers if day is not None]
        agency = min(readable) - datetime.timedelta(days=1) if readable else MADE_UP_START
        agency_note = f"Date made up: the corpus gives “{story.agency.date}”."
    made = []
    for paper, day in zip(story.papers, papers):
        if day is not None and agency <= day <= agency + LATEST_AFTER_AGENCY:
            made.append((day, "Date from the corpus."))
        else:
            made.append((agency + datetime.timedelta(days=1), f"Date made up: the corpus gives “{paper.date}”."))
    return (agency, agency_note), made


def listed(items: list[str]) -> str:
    """The items joined as a sentence lists them: a; a and b; a, b and c."""
    return " and ".join(filter(None, [", ".join(items[:-1]), items[-1]]))


def quoted(text: str) -> str:
    """A YAML string in double quotes (JSON's are YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def article_file(text: Text, outlet: str, published: datetime.date, notes: str) -> str:
    front = [f"outlet: {quoted(outlet)}"]
    if text.headline:
        front.append(f"title: {quoted(text.headline)}")
    front += [f"published: {published.isoformat()}", "language: ur", f"notes: {quoted(notes)}"]
    # The body is Markdown, where "<" would be refused as HTML.
    return "---\n" + "\n".join(front) + "\n---\n\n" + text.body.replace("<", "&lt;") + "\n"


def article_id(outlet: str, pair: str) -> str:
    """Unique across the archive: a pair has one agency text and one newspaper text."""
    return f"counter-{pair}-{outlet.lower().replace('_', '-')}"


def write_story(story: Story, folder: Path) -> None:
    """The story's articles and claims.yaml, in `folder`."""
    (folder / "articles").mkdir(parents=True)
    (agency_date, agency_note), paper_dates = dates(story)
    agency = story.agency
    agency_name = AGENCIES.get(agency.outlet, agency.outlet)
    others = [paper.pair for paper in story.papers if paper.pair != agency.pair]
    plural = "s" if len(others) > 1 else ""
    also = f" (the same text is the agency's in pair{plural} {listed(others)})" if others else ""
    notes = f"COUNTER pair {agency.pair}, the agency text{also}. {agency_note}"
    (folder / "articles" / f"{article_id(agency.outlet, agency.pair)}.md").write_text(
        article_file(agency, agency_name, agency_date, notes), encoding="utf-8"
    )
    carried = []
    for paper, (published, date_note) in zip(story.papers, paper_dates):
        name = PAPERS.get(paper.outlet, paper.outlet)
        carried.append(f"{name} ({paper.label})")
        notes = f"COUNTER pair {paper.pair}, the newspaper text, labelled {LABELS.get(paper.label, paper.label)} ({paper.label}) from the agency text. {date_note}"
        (folder / "articles" / f"{article_id(paper.outlet, paper.pair)}.md").write_text(
            article_file(paper, name, published, notes), encoding="utf-8"
        )
    summary = (
        f"COUNTER, {agency.domain} news: the text {agency_name} sent, and what {listed(carried)} printed "
        f"(WD wholly derived from it, PD partially, ND written independently). For development only."
    )
    title = agency.headline or f"COUNTER pair {agency.pair}"
    (folder / "claims.yaml").write_text(
        f"story:\n  title: {quoted(title)}\n  summary: {quoted(summary)}\n\nclaims: []\n", encoding="utf-8"
    )


ARCHIVE = {
    "title": "Development archive: COUNTER stories, and a Hamas delegation in Moscow",
    "description": (
        "For development only, never to be published: Urdu stories from COUNTER, the corpus of Urdu news text "
        "reuse, each an agency text and the newspaper texts of the same event, and the archive's first story."
    ),
    "licence": (
        "The COUNTER stories are from COUNTER (Muhammad, S., Nawab, R. M. A., and Rayson, P. (2016). COUNTER, "
        "corpus of Urdu news text reuse. Language Resources and Evaluation 51, 777-803), CC BY-NC-SA 4.0, for "
        "research and academic purposes only; made into articles of one story per agency text. The story "
        f"{FIRST_STORY}: the curation CC BY 4.0, the articles' texts their publishers' property."
    ),
}


def inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("target", type=Path, help="a new or empty folder outside the repository")
    parser.add_argument(
        "--corpus", type=Path, default=REPO / ".." / "shared" / "reuse-dev", help="the folder that holds COUNTER/"
    )
    parser.add_argument("--stories", type=int, default=6, help="how many COUNTER stories (default 6)")
    arguments = parser.parse_args()
    target = arguments.target.resolve()
    counter = arguments.corpus.resolve() / "COUNTER"
    if inside(target, REPO):
        parser.error(f"{target} is inside the repository: COUNTER's texts must stay out of it")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        parser.error(f"{target} is not a new or empty folder")
    if not counter.is_dir():
        parser.error(f"no COUNTER folder at {counter} (see ../shared/reuse-dev/README.md)")
    if arguments.stories < 1:
        parser.error("--stories: at least 1")
    stories = read_stories(counter)[: arguments.stories]
    target.mkdir(parents=True, exist_ok=True)
    (target / "archive.yaml").write_text(
        "".join(f"{key}: {quoted(value)}\n" for key, value in ARCHIVE.items()), encoding="utf-8"
    )
    for story in stories:
        write_story(story, target / "stories" / story.id)
    first = target / "stories" / FIRST_STORY
    shutil.copytree(REPO / "articles", first / "articles")
    shutil.copy(REPO / "claims.yaml", first / "claims.yaml")
    articles = sum(1 + len(story.papers) for story in stories)
    print(f"Wrote {target}: {len(stories)} COUNTER stories ({articles} articles) and {FIRST_STORY}", file=sys.stderr)


if __name__ == "__main__":
    main()
