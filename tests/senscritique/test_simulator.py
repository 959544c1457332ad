"""The simulator itself: faithful validation, batching, sign-in, demo, CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from custom_components.plexsync.senscritique.const import VERSION
from custom_components.plexsync.senscritique.documents import PRODUCT_WISH
from tests.simulators.senscritique import SensCritiqueSimulator
from tests.simulators.senscritique_state import SimState

from .conftest import USERNAME, Catalogue

FIXTURES = Path(__file__).with_name("fixtures")
ROOT = Path(__file__).parents[2]


async def post(
    session: aiohttp.ClientSession,
    sim: SensCritiqueSimulator,
    body: Any,
    token: str | None = None,
) -> tuple[int, Any]:
    headers = {} if token is None else {"Authorization": token}
    async with session.post(sim.url, json=body, headers=headers) as response:
        return response.status, await response.json()


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.json")))
async def test_reference_requests_are_judged_like_the_reference(
    session: aiohttp.ClientSession,
    sim: SensCritiqueSimulator,
    catalogue: Catalogue,
    name: str,
) -> None:
    fixture = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    status, answer = await post(session, sim, fixture["request"]["body"])
    answers = answer if isinstance(answer, list) else [answer]
    rejected = status == 400 and any(
        e.get("extensions", {}).get("code") == "GRAPHQL_VALIDATION_FAILED"
        for a in answers
        for e in a.get("errors", [])
    )
    assert rejected == fixture.get("expect_invalid", False)


async def test_validation_error_is_http_400(
    session: aiohttp.ClientSession, sim: SensCritiqueSimulator
) -> None:
    status, body = await post(session, sim, {"query": "{ product(id: 1) { imdbId } }"})
    assert status == 400
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "imdbId" in body["errors"][0]["message"]


async def test_bad_variables_are_rejected_before_execution(
    session: aiohttp.ClientSession, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    status, body = await post(
        session,
        sim,
        {"query": PRODUCT_WISH.text, "variables": {"productId": "not a number"}},
    )
    assert status == 400
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_mutations_need_a_live_token(
    session: aiohttp.ClientSession, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    wish = {"query": PRODUCT_WISH.text, "variables": {"productId": catalogue.parasite}}
    for token in (None, "null", "deadbeef"):
        status, body = await post(session, sim, wish, token)
        assert status == 200
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    token, _ = sim.state.issue_token(USERNAME)
    status, body = await post(session, sim, wish, f"Bearer {token}")
    assert body == {"data": {"productWish": True}}
    assert sim.state.mark(USERNAME, catalogue.parasite).wished


async def test_batched_requests_get_batched_answers(
    session: aiohttp.ClientSession, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    query = "query P($id: Int!) { product(id: $id) { id title } }"
    status, body = await post(
        session,
        sim,
        [
            {
                "operationName": "P",
                "query": query,
                "variables": {"id": catalogue.parasite},
            },
            {
                "operationName": "P",
                "query": query,
                "variables": {"id": catalogue.amelie},
            },
        ],
    )
    assert status == 200
    assert [a["data"]["product"]["id"] for a in body] == [
        catalogue.parasite,
        catalogue.amelie,
    ]
    assert sim.requests["P"] == 2


async def test_collection_pages_like_the_service(
    session: aiohttp.ClientSession, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    query = """query C($u: String!, $o: Int, $l: Int) { user(username: $u) {
      collection(action: DONE, universe: "movie", offset: $o, limit: $l) { total products { id } } } }"""
    _, first = await post(
        session, sim, {"query": query, "variables": {"u": USERNAME, "o": 0, "l": 1}}
    )
    _, second = await post(
        session, sim, {"query": query, "variables": {"u": USERNAME, "o": 1, "l": 1}}
    )
    _, default = await post(
        session, sim, {"query": query, "variables": {"u": USERNAME}}
    )
    pages = [first, second]
    ids = [p["data"]["user"]["collection"]["products"][0]["id"] for p in pages]
    assert first["data"]["user"]["collection"]["total"] == 2
    assert sorted(ids) == sorted([catalogue.parasite, catalogue.amelie])
    assert len(default["data"]["user"]["collection"]["products"]) == 2


def test_switching_off_an_unknown_field_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot switch off"):
        SensCritiqueSimulator().switch_off("productWish")


def test_demo_is_stable_and_plausible() -> None:
    first, second = SimState(), SimState()
    from tests.simulators.senscritique_demo import load_demo

    credentials = load_demo(first)
    load_demo(second)
    assert first.products.keys() == second.products.keys()
    username = credentials[0]
    assert first.users[username].marks.keys() == second.users[username].marks.keys()
    assert len(first.wished(username)) > 20
    assert len(first.ratings(username)) > 20
    dated = [d for d in first.done(username).values() if d]
    assert len(dated) > 50
    assert len(dated) < len(first.done(username))  # some done works have no date


def test_synthetic_account_has_the_requested_sizes() -> None:
    state = SimState()
    sim = SensCritiqueSimulator()
    sim.state = state
    username, _, _ = sim.seed_synthetic(200, rated=50, done=80, wished=30, seed=1)
    assert len([p for p in state.products.values() if p.top_level]) == 200
    assert len(state.ratings(username)) == 50
    assert len(state.wished(username)) == 30
    assert len(state.done(username)) >= 80


def test_cli_prints_the_demo_credentials() -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.simulators.senscritique",
            "--port",
            "0",
            "--demo",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(2)]
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert lines[0].startswith("SensCritique simulator on http://127.0.0.1:")
    assert "password=demo-password" in lines[1]


def test_version_matches_the_manifest() -> None:
    manifest = json.loads(
        (ROOT / "custom_components" / "plexsync" / "manifest.json").read_text()
    )
    assert manifest["version"] == VERSION
