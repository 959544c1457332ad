"""The evaluation entry point.

Run as a user runs it (`scripts/match-eval`, a subprocess) for a good input and
for bad ones; every bad-input case also runs in-process through the same
`main`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest

from custom_components.plexsync.engine.match_eval import main

ROOT = Path(__file__).parents[2]
LAUNCHER = ROOT / "scripts" / "match-eval"
ENGINE = ROOT / "custom_components" / "plexsync" / "engine"


def run(stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LAUNCHER)],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


GOOD = {
    "senscritique": [
        {
            "id": 363185,
            "universe": "movie",
            "title": "Piège de cristal",
            "originalTitle": "Die Hard",
            "yearOfProduction": 1988,
        },
        {
            "id": 7,
            "universe": "movie",
            "title": "Dune",
            "originalTitle": None,
            "yearOfProduction": 2021,
        },
        {
            "id": 8,
            "universe": "tvShow",
            "title": "Dr House",
            "originalTitle": "House",
            "yearOfProduction": 2004,
        },
        {
            "id": 9,
            "universe": "movie",
            "title": "Crash",
            "originalTitle": "Crash",
            "yearOfProduction": 2004,
        },
    ],
    "plex": [
        {
            "ratingKey": "101",
            "type": "movie",
            "title": "Die Hard",
            "originalTitle": None,
            "year": 1988,
            "guids": ["imdb://tt0095016"],
        },
        {
            "ratingKey": "102",
            "type": "movie",
            "title": "Dune",
            "year": 1984,
            "guids": [],
        },
        {
            "ratingKey": 103,
            "type": "show",
            "title": "House",
            "originalTitle": None,
            "year": 2004,
            "guids": [],
        },
        {"ratingKey": "104", "type": "movie", "title": "Crash", "year": 2004},
        {"ratingKey": "105", "type": "movie", "title": "Crash", "year": 2004},
    ],
}


def test_cli_prints_links_ambiguities_and_unmatched() -> None:
    done = run(json.dumps(GOOD))
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["links"] == [
        {"senscritique": 363185, "plex": "101", "score": 1.0},
        {"senscritique": 8, "plex": 103, "score": 1.0},
    ]
    (ambiguity,) = out["ambiguous"]
    assert ambiguity["id"] == 9
    assert {c["id"] for c in ambiguity["candidates"]} == {"104", "105"}
    assert out["unmatched"] == {"senscritique": [7, 9], "plex": ["102", "104", "105"]}


def test_cli_scores_labelled_pairs_by_family() -> None:
    document = {
        **GOOD,
        "pairs": [[363185, "101", "plain"], [9, "104", "homonym"], [8, 103]],
        "unmatchable": [[7, "102", "translated"]],
    }
    done = run(json.dumps(document))
    assert done.returncode == 0, done.stderr
    evaluation = json.loads(done.stdout)["evaluation"]
    assert evaluation == {
        "pairs": 3,
        "links": 2,
        "precision": 1.0,
        "recall": 0.6667,
        "families": {
            "homonym": {"pairs": 1, "linked": 0, "recall": 0.0},
            "plain": {"pairs": 1, "linked": 1, "recall": 1.0},
            "unlabelled": {"pairs": 1, "linked": 1, "recall": 1.0},
        },
        "unmatchable": {"pairs": 1, "linked": 0},
        "wrong": [],
        "missed": [[9, "104"]],
    }


def test_cli_counts_a_link_outside_the_labels_as_wrong() -> None:
    document = {**GOOD, "pairs": [[363185, "101"]]}
    evaluation = json.loads(run(json.dumps(document)).stdout)["evaluation"]
    assert evaluation["precision"] == 0.5
    assert evaluation["wrong"] == [[8, 103]]


def _with(side: str, index: int, **changes: object) -> str:
    document = json.loads(json.dumps(GOOD))
    item = document[side][index]
    for name, value in changes.items():
        if value is ...:
            del item[name]
        else:
            item[name] = value
    return json.dumps(document)


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        ("not json", "not valid JSON"),
        ("[]", "must be a JSON object"),
        (json.dumps({"senscritique": []}), "'plex'"),
        (_with("senscritique", 0, title=...), "senscritique[0]: missing field 'title'"),
        (_with("plex", 1, ratingKey=...), "plex[1]: missing field 'ratingKey'"),
        (_with("senscritique", 1, universe="film"), "'universe' must be"),
        (_with("plex", 0, type="artist"), "'type' must be"),
        (
            _with("senscritique", 0, yearOfProduction="1988"),
            "'yearOfProduction' must be int",
        ),
        (_with("plex", 0, year=True), "'year' must be int"),
        (_with("plex", 0, guids="imdb://tt1"), "'guids' must be list"),
        (_with("plex", 0, guids=[1]), "'guids' must be a list of strings"),
        (_with("senscritique", 0, originalTitle=5), "'originalTitle' must be str"),
        (_with("senscritique", 0, id=None), "'id' must be"),
        (_with("senscritique", 1, id=363185), "duplicate id"),
        (json.dumps({**GOOD, "pairs": {}}), "'pairs' must be a list"),
        (json.dumps({**GOOD, "pairs": [[1]]}), "pairs[0]: must be [id, ratingKey]"),
        (json.dumps({**GOOD, "pairs": [[7, "101", 3]]}), "family must be a string"),
        (json.dumps({**GOOD, "unmatchable": [[7, "999"]]}), "not in the input"),
    ],
)
def test_cli_rejects_bad_input_with_status_2(
    stdin: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = StringIO()
    assert main([], StringIO(stdin), out) == 2
    assert message in capsys.readouterr().err
    assert out.getvalue() == ""


@pytest.mark.parametrize(
    "stdin", ["not json", _with("senscritique", 0, title=...)], ids=["json", "field"]
)
def test_cli_subprocess_exits_2_with_a_message(stdin: str) -> None:
    done = run(stdin)
    assert done.returncode == 2
    assert "plexsync matching:" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_the_launcher_loads_the_engine_without_home_assistant() -> None:
    env = {**os.environ, "PYTHONPATH": str(ENGINE.parent)}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, engine.match_eval; print('homeassistant' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == "False"
