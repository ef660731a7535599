"""The data researchers download: archive.json and occurrences.jsonl, checked against the schemas
the site publishes beside them, and against the articles themselves."""

import json

import jsonschema
import pytest

from parallax.cli import main

from conftest import CLAIM_IN_ONE_ARTICLE


def load_json(path):
    return json.loads(path.read_text(encoding="utf-8"))


def validator(site, name: str) -> jsonschema.protocols.Validator:
    schema = load_json(site / "data" / name)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def occurrence_lines(site) -> list[dict]:
    return [json.loads(line) for line in (site / "data" / "occurrences.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def export(site):
    return load_json(site / "data" / "archive.json")


def only_story(export: dict) -> dict:
    """The entry of an archive's one story."""
    (story,) = export["stories"]
    return story


@pytest.fixture(scope="module")
def exported(export):
    return only_story(export)


def test_the_export_follows_its_published_schema(site, export):
    errors = sorted(validator(site, "archive.schema.json").iter_errors(export), key=str)
    assert errors == [], errors[0].message if errors else ""
    assert export["format"] == "parallax-archive" and export["version"] == 3
    assert export["schema"] == "archive.schema.json" and (site / "data" / export["schema"]).is_file()


def test_every_line_of_occurrences_jsonl_follows_its_schema(site):
    check = validator(site, "occurrence.schema.json")
    lines = occurrence_lines(site)
    assert lines
    for line in lines:
        check.validate(line)


def test_the_schema_catches_a_broken_export(site, export):
    """The schema is strict enough to be worth checking against."""
    check = validator(site, "archive.schema.json")
    broken = json.loads(json.dumps(export))
    story = broken["stories"][0]
    del story["articles"][0]["published"]
    story["shared"][0]["occurrences"][0]["start"] = "12"
    story["claims"][0]["surprise"] = True
    assert len(list(check.iter_errors(broken))) == 3


def test_the_export_has_the_story_and_everything_the_curators_wrote(archive, export, exported):
    assert {key: exported[key] for key in ("id", "title", "summary")} == {
        "id": archive.id,
        "title": archive.title,
        "summary": archive.summary,
    }
    # An archive of one story takes its settings from it.
    assert export["archive"]["title"] == archive.title and export["archive"]["description"] == archive.summary
    assert export["archive"]["licence"]  # this archive says on what terms its data may be used
    articles = {entry["id"]: entry for entry in exported["articles"]}
    for article in archive.articles:
        entry = articles[article.id]
        assert entry["notes"] == article.notes and entry["edits"] == list(article.edits)
        assert entry["capture"] == f"captures/{article.id}.txt"
    claims = {entry["id"]: entry for entry in exported["claims"]}
    for claim in archive.claims:
        entry = claims[claim.id]
        assert entry["renderings"] == [rendering for part in claim.parts for rendering in part.renderings]
        assert entry["notes"] == claim.notes
        assert [part["id"] for part in entry["parts"]] == [part.id for part in claim.parts]
        assert [version["id"] for version in entry["versions"]] == [version.id for version in claim.versions]
        for part, exported in zip(claim.parts, entry["parts"]):
            assert exported["versions"] == dict(part.versions) and exported["aliases"] == list(part.aliases)


def test_spans_count_code_points_and_name_their_paragraph(export, exported):
    assert "code points" in export["offsets"]
    texts = {entry["id"]: entry for entry in exported["articles"]}
    places = [o for entry in exported["shared"] + exported["claims"] for o in entry["occurrences"]]
    assert places
    for place in places:
        article = texts[place["article"]]
        assert article["text"][place["start"] : place["end"]] == place["text"]
        paragraph = article["paragraphs"][place["paragraph"] - 1]
        assert paragraph["start"] <= place["start"] < paragraph["end"] + 2  # in it, or at its very end
        assert place["text"].split()[0] in article["text"][paragraph["start"] : paragraph["end"]]


def test_each_claim_lists_its_occurrences_and_jsonl_has_every_one(site, exported):
    shared = {entry["id"]: entry for entry in exported["shared"]}
    lines = occurrence_lines(site)
    assert {line["story"] for line in lines} == {exported["id"]}
    for claim in exported["claims"]:
        assert claim["carried_by"] == len({o["article"] for o in claim["occurrences"]})
        for part in claim["parts"]:
            occurrences = [o for o in claim["occurrences"] if o["part"] == part["id"]]
            assert part["carried_by"] == len({o["article"] for o in occurrences})
            if part["carried_by"] >= 2:
                assert [{**o, "part": part["id"]} for o in shared[part["id"]]["occurrences"]] == occurrences
        places = [(o["article"], o["start"], o["end"], o["text"]) for o in claim["occurrences"]]
        listed = [
            (line["article"], line["start"], line["end"], line["text"])
            for line in lines
            if line["claim"] == claim["id"]
        ]
        assert listed == places
    outlets = {entry["id"]: entry["outlet"] for entry in exported["articles"]}
    assert all(line["outlet"] == outlets[line["article"]] for line in lines)
    assert len(lines) == len({(line["statement"], line["article"], line["start"]) for line in lines})


def test_a_claim_found_in_one_article_is_exported_but_not_as_shared(small, tmp_path):
    small.claims(CLAIM_IN_ONE_ARTICLE)
    output = tmp_path / "site"
    assert main(["build", "--source", str(small.root), "--output", str(output)]) == 0
    export = only_story(load_json(output / "data" / "archive.json"))
    (claim,) = export["claims"]
    assert claim["carried_by"] == 1
    assert [o["article"] for o in claim["occurrences"]] == ["daily-one"]
    assert claim["occurrences"][0]["text"] == "The talks ended on Friday."
    assert all(entry["claim"] != "talks-ended-friday" for entry in export["shared"])
    lines = [line for line in occurrence_lines(output) if line["claim"] == "talks-ended-friday"]
    assert [(line["article"], line["shared"]) for line in lines] == [("daily-one", False)]
