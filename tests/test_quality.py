"""Matching quality, measured on the hand-labelled set of every statement the five articles share."""

import dataclasses

import pytest

from parallax.cli import main
from parallax.evaluate import evaluate, load_labels
from parallax.match import shared_statements

from conftest import REPO

LABELS = REPO / "tests" / "labelled" / "shared.yaml"


@pytest.fixture(scope="module")
def labels(archive):
    return load_labels(LABELS, archive)


def test_the_labelled_set_covers_every_curated_claim(archive, labels):
    assert {part.id for claim in archive.claims for part in claim.parts} <= {label.id for label in labels}


def test_the_archive_as_curated_meets_the_floors(statements, labels):
    report = evaluate(statements, labels)
    assert report.recall("same wording") >= 0.95, report.lines()
    assert report.recall("different rendering") >= 0.8, report.lines()
    assert report.precision >= 0.95, report.lines()


def test_discovery_alone_finds_the_shared_quotations_and_passages(archive, labels):
    """Without any claim, matching still finds what is quoted or reused, in any rendering.

    What it cannot do alone is keep apart two statements in near-identical words by different
    speakers (the ministry's statement and its spokesman's post): curated claims do that.
    """
    report = evaluate(shared_statements(dataclasses.replace(archive, claims=())), labels)
    assert report.recall("same wording") >= 0.95, report.lines()
    assert report.recall("different rendering") >= 0.8, report.lines()
    haiat, ministry = {"jns", "jpost"}, {"forumdaily", "mixedtimes", "reuters"}
    for wrong in report.wrong:
        pair = {article.split("-")[0] for article in wrong.split(": ")[1].split(" ~ ")}
        assert len(pair & haiat) == 1 and len(pair & ministry) == 1, report.wrong


def test_a_labelled_text_that_is_not_in_its_article_is_an_error(archive, tmp_path):
    labels = tmp_path / "labels.yaml"
    labels.write_text("- id: x\n  renderings:\n    - jns: words no article has\n")
    with pytest.raises(Exception, match=r"labels\.yaml:3: not in jns-"):
        load_labels(labels, archive)


def test_the_evaluate_command_prints_recall_per_tier_precision_and_every_miss(capsys):
    labels = str(LABELS)
    assert main(["evaluate", labels, "--source", str(REPO)]) == 0
    report = capsys.readouterr().out.splitlines()
    assert report[0].split() == ["tier", "pairs", "found", "recall"]
    assert report[1].split() == ["same", "wording", "17", "17", "1.00"]
    assert "precision: 1.00" in report[4] and not [line for line in report if line.startswith("missed:")]
    assert main(["evaluate", labels, "--source", str(REPO), "--without-claims"]) == 0
    without = capsys.readouterr().out.splitlines()
    assert "missed: hamas-worse-than-isis (different rendering)" in "\n".join(without)
