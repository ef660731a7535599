"""A rebuild into the same site, reusing what the last build kept (matching results, the pages of
unchanged stories), gives exactly what a clean build gives: after every edit of a random sequence
on a small archive, of one story or of several, file for file and byte for byte.

The archive is held here as plain data (`Archive`), written out after each edit; only the files
an edit changed are written, as a curator's editor would, so that the build sees nothing else
change. Each edit is one small function, named for what it does, that returns what it did to
which file: its name and that line are what a failure lists, step by step.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from parallax import cache as cache_module
from parallax.cli import main

from conftest import MINISTRY, REPO, site_differences

# What articles say: the same statements in several articles make shared statements and claims.
QUOTES = {  # the quotation, and who said it as a claim names them (an id, a declared name, or words)
    MINISTRY: "foreign-ministry",
    "The door to negotiations remains open to every party that respects our sovereignty": "foreign-ministry",
    "We are ready to meet again as soon as the other side stops making new demands": "the foreign ministry",
    "Our delegation came here in good faith and leaves with nothing to show for it": "Anna Berg",
}
PASSAGES = [  # wire copy, carried without quotation marks
    "The delegations flew home on Friday after three days of talks ended without an agreement.",
    "Negotiators had hoped to agree on a ceasefire and an exchange of prisoners before the winter.",
    "The next round has not been scheduled, according to diplomats familiar with the matter.",
    "Observers said the collapse of the talks was the third such failure this year.",
]
LOCAL_COLOUR = [  # what an article may say that others may not
    "It rained in the city all week.",
    "Camera crews crowded the hotel lobby from early morning.",
    "A small protest gathered outside the conference hall on Thursday.",
    "The mayor declined to comment.",
    "Prices in the old town have doubled since the spring.",
    "Several journalists were refused accreditation.",
]
QUOTING = ["The ministry said: “{}.”", "“{},” a spokesman said.", "{}, officials said."]
# Word changes a rewording makes, where the words are there; any sentence can be prefixed instead.
REWORDINGS = [
    ("talks", "negotiations"),
    ("Friday", "Saturday"),
    ("agreement", "deal"),
    ("ministry", "foreign ministry"),
    ("said", "told reporters"),
    ("good faith", "a spirit of goodwill"),
    ("ready", "prepared"),
]
# "The Daily" and "the daily" are one outlet, under one name: an outlet's name comes from all its articles.
OUTLETS = ["The Daily", "The Herald", "The Courier", "Evening Star", "the daily", "Радио Свобода"]
TITLES = ["Talks collapse", "No deal in sight", "Delegations go home", "Ministry rejects the blame", "A third failure"]
ROLES = ["the government's voice abroad", "the government's voice in the world", "the foreign service"]
# Templates an edit appends to: every one, pages, partials and the layout (each page draws on some
# only: see render.fingerprints.PageCode); and the stylesheet, which no page draws on.
TEMPLATES = sorted(path.name for path in (REPO / "templates").iterdir() if path.is_file())
STYLESHEET = "static/style.css"
# Few articles per story, so that each build takes a fraction of a second.
FEWEST_ARTICLES, MOST_ARTICLES = 3, 6


@dataclass
class Article:
    """An article's file: its front matter, and its body, a paragraph to a sentence."""

    outlet: str
    title: str
    published: datetime.date
    paragraphs: list[str]

    def text(self) -> str:
        return (
            f"---\noutlet: {quoted(self.outlet)}\ntitle: {quoted(self.title)}\n"
            f"published: {self.published.isoformat()}\nlanguage: en\n---\n\n" + "\n\n".join(self.paragraphs) + "\n"
        )


@dataclass
class Claim:
    """A claim's entry in its story's claims.yaml."""

    id: str
    statement: str
    speaker: str
    kind: str  # quote or passage
    renderings: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)  # the articles it lists: they must be its story's

    def text(self) -> str:
        lines = [
            f"  - id: {self.id}",
            f"    statement: {quoted(self.statement)}",
            f"    speaker: {quoted(self.speaker)}",
            "    channel: statement",
            f"    kind: {self.kind}",
        ]
        if self.renderings:
            lines += ["    renderings:", *(f"      - {quoted(words)}" for words in self.renderings)]
        if self.articles:
            lines.append(f"    articles: [{', '.join(self.articles)}]")
        return "\n".join(lines) + "\n"


@dataclass
class Story:
    """A story's claims.yaml, and its articles by id."""

    title: str
    articles: dict[str, Article] = field(default_factory=dict)
    claims: list[Claim] = field(default_factory=list)

    def text(self) -> str:
        return f"story:\n  title: {quoted(self.title)}\nclaims:\n" + "".join(claim.text() for claim in self.claims)


@dataclass
class Archive:
    """The archive as data, and the folder it is written to."""

    root: Path
    many: bool  # stories under stories/, or one story at the top
    stories: dict[str, Story] = field(default_factory=dict)
    title: str = "Talks, compared"  # archive.yaml's, in an archive of many stories
    role: str = ROLES[0]  # the foreign ministry's, in speakers.yaml
    other_names: list[str] = field(default_factory=lambda: ["the foreign ministry"])
    appended: dict[str, str] = field(default_factory=dict)  # what edits added to templates, by path
    made: int = 0  # how many ids and marks were made: each new one is unique
    written: dict[str, str] = field(default_factory=dict)  # every file as last written, by path

    def fresh(self) -> int:
        self.made += 1
        return self.made

    def folder(self, story_id: str) -> str:
        return f"stories/{story_id}/" if self.many else ""

    def article_path(self, story_id: str, article_id: str) -> str:
        return f"{self.folder(story_id)}articles/{article_id}.md"

    def claims_path(self, story_id: str) -> str:
        return f"{self.folder(story_id)}claims.yaml"

    def files(self) -> dict[str, str]:
        files = {"speakers.yaml": self.speakers_text()}
        if self.many:
            files["archive.yaml"] = f"title: {quoted(self.title)}\n"
        for story_id, story in self.stories.items():
            files[self.claims_path(story_id)] = story.text()
            for article_id, article in story.articles.items():
                files[self.article_path(story_id, article_id)] = article.text()
        for path, added in self.appended.items():
            files[f"templates/{path}"] = (REPO / "templates" / path).read_text(encoding="utf-8") + added
        return files

    def speakers_text(self) -> str:
        return (
            "speakers:\n  - id: foreign-ministry\n    name: Ministry of Foreign Affairs\n"
            f"    names: [{', '.join(self.other_names)}]\n"
            f"    roles:\n      - role: {quoted(self.role)}\n        from: 2020-01-01\n"
        )

    def write(self) -> None:
        """Write the files that changed since the last write, and remove those no longer there."""
        files = self.files()
        for path, text in files.items():
            if self.written.get(path) != text:
                (self.root / path).parent.mkdir(parents=True, exist_ok=True)
                (self.root / path).write_text(text, encoding="utf-8")
        for path in self.written.keys() - files.keys():
            (self.root / path).unlink()
        self.written = files


def quoted(text: str) -> str:
    """A YAML string, quoted: JSON's double-quoted strings are YAML's."""
    return json.dumps(text, ensure_ascii=False)


# Drawing the parts of an edit.

T = TypeVar("T")


def sentence(data: st.DataObject) -> str:
    """A paragraph as an article carries it: a quotation (quoted or not), wire copy or its own colour."""
    kind = data.draw(st.sampled_from(["quote", "passage", "colour"]))
    if kind == "quote":
        return data.draw(st.sampled_from(QUOTING)).format(data.draw(st.sampled_from(sorted(QUOTES))))
    return data.draw(st.sampled_from(PASSAGES if kind == "passage" else LOCAL_COLOUR))


def reworded(text: str, data: st.DataObject) -> tuple[str, str]:
    """The text with a word changed, or a word put before it; and what changed."""
    changes = [(old, new) for old, new in REWORDINGS if old in text] + [("", "Meanwhile, ")]
    old, new = data.draw(st.sampled_from(changes))
    if old:
        return text.replace(old, new, 1), f"'{old}' → '{new}'"
    first = text[0].lower() if text[0].isascii() else text[0]  # a quotation mark stays as it is
    return new + first + text[1:], f"'{new.strip()}' put first"


def new_article(archive: Archive, data: st.DataObject) -> tuple[str, Article]:
    """A new article, its id never used before: sometimes with no statement another carries."""
    outlet = data.draw(st.sampled_from(OUTLETS))
    shares = data.draw(st.booleans()) or data.draw(st.booleans())
    if shares:
        paragraphs = [sentence(data) for _ in range(data.draw(st.integers(1, 4)))]
    else:
        paragraphs = [f"{data.draw(st.sampled_from(LOCAL_COLOUR))} This is report number {archive.fresh()}."]
    day = data.draw(st.integers(1, 28))
    article_id = f"{outlet.split()[-1].lower() if outlet.isascii() else 'svoboda'}-{archive.fresh()}"
    return article_id, Article(outlet, data.draw(st.sampled_from(TITLES)), datetime.date(2024, 3, day), paragraphs)


def new_claim(archive: Archive, story: Story, data: st.DataObject) -> Claim | None:
    """A claim of a statement the story has no claim of yet, with a rendering or none, listing some
    of its articles or none."""
    claimed = {claim.statement for claim in story.claims}
    statements = [f"{quote}." for quote in QUOTES] + PASSAGES
    free = [statement for statement in statements if statement not in claimed]
    if not free:
        return None
    statement = data.draw(st.sampled_from(free))
    quote = statement.removesuffix(".") in QUOTES
    listed = data.draw(st.lists(st.sampled_from(sorted(story.articles)), max_size=2, unique=True))
    return Claim(
        id=f"claim-{archive.fresh()}",
        statement=statement,
        speaker=QUOTES[statement.removesuffix(".")] if quote else "The Daily",
        kind="quote" if quote else "passage",
        renderings=[reworded(statement, data)[0]] if data.draw(st.booleans()) else [],
        articles=listed,
    )


def articles(
    archive: Archive, fit: Callable[[Story, Article], bool] = lambda story, article: True
) -> list[tuple[str, str]]:
    """(story id, article id) of each article that fits."""
    return [
        (s, a) for s, story in archive.stories.items() for a, article in story.articles.items() if fit(story, article)
    ]


def claims(
    archive: Archive, fit: Callable[[Story, Claim], bool] = lambda story, claim: True
) -> list[tuple[str, Claim]]:
    """(story id, claim) of each claim that fits."""
    return [(s, claim) for s, story in archive.stories.items() for claim in story.claims if fit(story, claim)]


def one_of(data: st.DataObject, found: list[T]) -> T | None:
    """One of these, drawn; None if there are none."""
    return data.draw(st.sampled_from(found)) if found else None


def stories_with_room(archive: Archive) -> list[str]:
    """The ids of the stories that may take another article."""
    return [story_id for story_id, story in archive.stories.items() if len(story.articles) < MOST_ARTICLES]


# The edits. Each changes the archive, keeping it valid, and says what it did; None if it cannot apply.

Edit = Callable[[Archive, st.DataObject], str | None]


def add_article(archive: Archive, data: st.DataObject) -> str | None:
    """Add an article, carrying statements other articles carry (or none)."""
    story_id = one_of(data, stories_with_room(archive))
    if story_id is None:
        return None
    article_id, article = new_article(archive, data)
    archive.stories[story_id].articles[article_id] = article
    return f"add {archive.article_path(story_id, article_id)}, saying {article.paragraphs}"


def add_sentence(archive: Archive, data: st.DataObject) -> str | None:
    """Add a paragraph to an article."""
    story_id, article_id = data.draw(st.sampled_from(articles(archive)))
    paragraphs = archive.stories[story_id].articles[article_id].paragraphs
    position = data.draw(st.integers(0, len(paragraphs)))
    paragraphs.insert(position, sentence(data))
    return f"add paragraph {position + 1} to {archive.article_path(story_id, article_id)}: {paragraphs[position]!r}"


def remove_sentence(archive: Archive, data: st.DataObject) -> str | None:
    """Remove a paragraph from an article (never its last)."""
    found = one_of(data, articles(archive, lambda _, article: len(article.paragraphs) > 1))
    if found is None:
        return None
    story_id, article_id = found
    paragraphs = archive.stories[story_id].articles[article_id].paragraphs
    position = data.draw(st.integers(0, len(paragraphs) - 1))
    removed = paragraphs.pop(position)
    return f"remove paragraph {position + 1} of {archive.article_path(story_id, article_id)}: {removed!r}"


def reword_sentence(archive: Archive, data: st.DataObject) -> str | None:
    """Reword a paragraph of an article."""
    story_id, article_id = data.draw(st.sampled_from(articles(archive)))
    paragraphs = archive.stories[story_id].articles[article_id].paragraphs
    position = data.draw(st.integers(0, len(paragraphs) - 1))
    paragraphs[position], change = reworded(paragraphs[position], data)
    return f"reword paragraph {position + 1} of {archive.article_path(story_id, article_id)}: {change}"


def retitle_article(archive: Archive, data: st.DataObject) -> str | None:
    """Change an article's title."""
    story_id, article_id = data.draw(st.sampled_from(articles(archive)))
    article = archive.stories[story_id].articles[article_id]
    article.title = data.draw(st.sampled_from([title for title in TITLES if title != article.title]))
    return f"edit the title of {archive.article_path(story_id, article_id)}: {article.title!r}"


def change_outlet(archive: Archive, data: st.DataObject) -> str | None:
    """Change an article's outlet."""
    story_id, article_id = data.draw(st.sampled_from(articles(archive)))
    article = archive.stories[story_id].articles[article_id]
    article.outlet = data.draw(st.sampled_from([outlet for outlet in OUTLETS if outlet != article.outlet]))
    return f"edit the outlet of {archive.article_path(story_id, article_id)}: {article.outlet!r}"


def redate_article(archive: Archive, data: st.DataObject) -> str | None:
    """Change an article's date of publication."""
    story_id, article_id = data.draw(st.sampled_from(articles(archive)))
    article = archive.stories[story_id].articles[article_id]
    day = data.draw(st.sampled_from([day for day in range(1, 29) if day != article.published.day]))
    article.published = datetime.date(2024, 3, day)
    return f"edit the date of {archive.article_path(story_id, article_id)}: {article.published}"


def remove_article(archive: Archive, data: st.DataObject) -> str | None:
    """Remove an article; the claims that list it list it no more."""
    found = one_of(data, articles(archive, lambda story, _: len(story.articles) > FEWEST_ARTICLES))
    if found is None:
        return None
    story_id, article_id = found
    story = archive.stories[story_id]
    del story.articles[article_id]
    listing = [claim.id for claim in story.claims if article_id in claim.articles]
    for claim in story.claims:
        claim.articles = [listed for listed in claim.articles if listed != article_id]
    return f"remove {archive.article_path(story_id, article_id)}" + (f", and it from {listing}" if listing else "")


def move_article(archive: Archive, data: st.DataObject) -> str | None:
    """Move an article to another story; the claims that list it list it no more."""
    found = one_of(data, articles(archive, lambda story, _: len(story.articles) > FEWEST_ARTICLES))
    if found is None:
        return None
    story_id, article_id = found
    target = one_of(data, [other for other in stories_with_room(archive) if other != story_id])
    if target is None:
        return None
    archive.stories[target].articles[article_id] = archive.stories[story_id].articles.pop(article_id)
    for claim in archive.stories[story_id].claims:
        claim.articles = [listed for listed in claim.articles if listed != article_id]
    return f"move {archive.article_path(story_id, article_id)} to {archive.article_path(target, article_id)}"


def reword_claim(archive: Archive, data: st.DataObject) -> str | None:
    """Reword a claim's statement."""
    story_id, claim = data.draw(st.sampled_from(claims(archive)))
    claim.statement, change = reworded(claim.statement, data)
    return f"reword claim '{claim.id}' in {archive.claims_path(story_id)}: {change}"


def add_rendering(archive: Archive, data: st.DataObject) -> str | None:
    """Add a rendering to a claim."""
    story_id, claim = data.draw(st.sampled_from(claims(archive)))
    rendering, _ = reworded(claim.statement, data)
    if rendering in claim.renderings:
        return None
    claim.renderings.append(rendering)
    return f"add a rendering to claim '{claim.id}' in {archive.claims_path(story_id)}: {rendering!r}"


def remove_rendering(archive: Archive, data: st.DataObject) -> str | None:
    """Remove a rendering from a claim."""
    found = one_of(data, claims(archive, lambda _, claim: bool(claim.renderings)))
    if found is None:
        return None
    story_id, claim = found
    removed = claim.renderings.pop(data.draw(st.integers(0, len(claim.renderings) - 1)))
    return f"remove the rendering {removed!r} of claim '{claim.id}' in {archive.claims_path(story_id)}"


def add_claim(archive: Archive, data: st.DataObject) -> str | None:
    """Add a claim to a story."""
    story_id = data.draw(st.sampled_from(sorted(archive.stories)))
    claim = new_claim(archive, archive.stories[story_id], data)
    if claim is None:
        return None
    archive.stories[story_id].claims.append(claim)
    return f"add claim '{claim.id}' to {archive.claims_path(story_id)}: {claim.statement!r}, listing {claim.articles}"


def remove_claim(archive: Archive, data: st.DataObject) -> str | None:
    """Remove a claim from a story (never its last)."""
    found = one_of(data, claims(archive, lambda story, _: len(story.claims) > 1))
    if found is None:
        return None
    story_id, claim = found
    archive.stories[story_id].claims.remove(claim)
    return f"remove claim '{claim.id}' from {archive.claims_path(story_id)}"


def retitle_story(archive: Archive, data: st.DataObject) -> str | None:
    """Change a story's title, in its claims.yaml."""
    story_id = data.draw(st.sampled_from(sorted(archive.stories)))
    archive.stories[story_id].title = f"Talks, round {archive.fresh()}"
    return f"edit the story's title in {archive.claims_path(story_id)}: {archive.stories[story_id].title!r}"


def change_template(archive: Archive, data: st.DataObject) -> str | None:
    """Append a comment or a word to a template."""
    path = data.draw(st.sampled_from(TEMPLATES))
    added = data.draw(st.sampled_from(["<!-- edit {} -->", "{{# edit {} #}}", "edit {}"])).format(archive.fresh())
    archive.appended[path] = archive.appended.get(path, "") + f"\n{added}"
    return f"append {added!r} to templates/{path}"


def change_stylesheet(archive: Archive, data: st.DataObject) -> str | None:
    """Append a rule to the stylesheet."""
    added = f".edit-{archive.fresh()} {{ color: inherit; }}"
    archive.appended[STYLESHEET] = archive.appended.get(STYLESHEET, "") + f"\n{added}"
    return f"append {added!r} to templates/{STYLESHEET}"


def change_speaker(archive: Archive, data: st.DataObject) -> str | None:
    """Change the foreign ministry's role, or the other names claims may call it by, in speakers.yaml."""
    if data.draw(st.booleans()):
        archive.role = data.draw(st.sampled_from([role for role in ROLES if role != archive.role]))
        return f"edit the foreign ministry's role in speakers.yaml: {archive.role!r}"
    name = "the foreign ministry"
    archive.other_names = ["the ministry"] if name in archive.other_names else [name, "the ministry"]
    return f"edit the foreign ministry's other names in speakers.yaml: {archive.other_names}"


def retitle_archive(archive: Archive, data: st.DataObject) -> str | None:
    """Change the archive's title, in archive.yaml."""
    archive.title = f"Talks, compared ({archive.fresh()})"
    return f"edit the title in archive.yaml: {archive.title!r}"


EDITS: list[Edit] = [
    add_article,
    add_sentence,
    remove_sentence,
    reword_sentence,
    retitle_article,
    change_outlet,
    redate_article,
    remove_article,
    reword_claim,
    add_rendering,
    remove_rendering,
    add_claim,
    remove_claim,
    retitle_story,
    change_template,
    change_stylesheet,
    change_speaker,
]
EDITS_OF_MANY_STORIES: list[Edit] = [*EDITS, move_article, retitle_archive]


# Building, and comparing.


@pytest.fixture(autouse=True, scope="module")
def files_settled_at_once():
    """The archive's files are written moments before each build: counted as settled at once, an
    unchanged one is taken by its signature (see cache.settled_signature), as in an archive edited
    by hand. Its times still tell each edit: one comes a clean build after the last look at the file."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cache_module, "SETTLED_NS", 0)
        yield


def build(source: Path, output: Path, *options: str) -> None:
    """Build in this process; a build that fails fails the test, with its errors."""
    errors = io.StringIO()
    with contextlib.redirect_stderr(errors), contextlib.redirect_stdout(io.StringIO()):
        status = main(["build", "--source", str(source), "--output", str(output), *options])
    assert status == 0, f"the build of {source} failed:\n{errors.getvalue()}"


def new_archive(root: Path, story_ids: list[str], data: st.DataObject) -> Archive:
    """An archive of these stories, each of a few articles and a claim or two, with the repository's templates."""
    archive = Archive(root, many=len(story_ids) > 1)
    shutil.copytree(REPO / "templates", root / "templates")
    for story_id in story_ids:
        story = archive.stories[story_id] = Story(f"Talks in {story_id.capitalize()}")
        for _ in range(data.draw(st.integers(FEWEST_ARTICLES, MOST_ARTICLES - 1))):
            article_id, article = new_article(archive, data)
            story.articles[article_id] = article
        for _ in range(data.draw(st.integers(1, 2))):
            claim = new_claim(archive, story, data)
            assert claim is not None  # a story of two claims at most leaves statements unclaimed
            story.claims.append(claim)
    archive.write()
    return archive


def check_edits(story_ids: list[str], edits: list[Edit], data: st.DataObject) -> None:
    """Write an archive of these stories, then make edits one by one: after each, the site rebuilt
    on the last build is the site built afresh."""
    with tempfile.TemporaryDirectory() as folder:  # one per example: pytest's tmp_path is one per test
        root = Path(folder)
        archive = new_archive(root / "archive", story_ids, data)
        steps = ["the archive as first written"]
        check_rebuild(archive, root, steps)
        # Every kind of edit, in a drawn order: each example tries them all, on an archive as the
        # edits before left it.
        for edit in data.draw(st.permutations(edits)):
            done = edit(archive, data)
            if done is None:  # it does not apply to the archive as it is
                continue
            # The archive named by its full path, or from the folder above it: the build must
            # reuse the same work either way.
            named = data.draw(st.sampled_from(["by its full path", "from the folder above"]))
            steps.append(f"{edit.__name__}: {done}; built {named}")
            archive.write()
            check_rebuild(archive, root, steps, relative=named == "from the folder above")


def check_rebuild(archive: Archive, root: Path, steps: list[str], relative: bool = False) -> None:
    """Rebuild the archive's site in `root`, reusing the last build (the archive named relative
    to `root`, if `relative`); then build it afresh beside, and compare: a difference names the
    pages, the last step and those before."""
    site, clean = root / "site", root / "clean"
    if relative:
        with contextlib.chdir(root):
            build(archive.root.relative_to(root), site.relative_to(root))
    else:
        build(archive.root, site)
    build(archive.root, clean, "--no-cache", "--jobs", "1")
    differences = site_differences(site, clean)
    shutil.rmtree(clean)
    assert not differences, (
        f"after step {len(steps) - 1} ({steps[-1]}), the rebuilt site differs from a clean build:\n  "
        + "\n  ".join(differences)
        + "\nthe steps:\n"
        + "\n".join(f"  {n}. {step}" for n, step in enumerate(steps))
    )


# Each example is several builds: few examples, each a sequence of edits. Derandomized, so that a
# failure found once is found again, on every machine, with the same steps. Not shrunk: at a few
# seconds an example, shrinking takes many minutes, and the failure lists every step already.
incremental = settings(
    max_examples=2,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)


@incremental
@given(st.data())
def test_a_rebuild_of_one_story_after_each_edit_is_a_clean_build(data):
    check_edits(["geneva"], EDITS, data)


@incremental
@given(st.data())
def test_a_rebuild_of_many_stories_after_each_edit_is_a_clean_build(data):
    check_edits(["geneva", "vienna", "oslo"], EDITS_OF_MANY_STORIES, data)


# One archive, every template edited in turn, each edit checked: a page drawing on a template its
# fingerprint does not count would be left stale by one of them (see render.fingerprints.PageCode).
@settings(
    max_examples=1,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.data())
def test_a_rebuild_after_each_template_is_edited_is_a_clean_build(data):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        archive = new_archive(root / "archive", ["geneva", "vienna"], data)
        steps = ["the archive as first written"]
        check_rebuild(archive, root, steps)
        for template in TEMPLATES:
            archive.appended[template] = f"\n<!-- edit {archive.fresh()} -->"
            steps.append(f"append a comment to templates/{template}")
            archive.write()
            check_rebuild(archive, root, steps)
