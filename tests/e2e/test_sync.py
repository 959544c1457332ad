"""A real `hass` process syncing the two simulators, driven over its HTTP API.

The tests run in file order on one process (the package fixture): the config
flow's entry, convergence by the rules, removals that stay removed, then a
SIGKILL in the middle of a run's writes.
"""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest

from . import scenario
from .conftest import E2E, run
from .hass_process import HassClient, HassError
from .world import (
    SC_USER,
    Film,
    Side,
    add_films,
    epoch,
    on_plex,
    on_senscritique,
    writes,
)

pytestmark = pytest.mark.e2e


async def sync_until_settled(
    client: HassClient, entry_id: str, most: int = 4
) -> list[dict[str, Any]]:
    """plexsync.sync until a run plans nothing (bounded); the reports."""
    reports = []
    for _ in range(most):
        report = (await scenario.sync(client, entry_id))["report"]
        assert report["failed"] == [], report
        reports.append(report)
        if report["planned"] == 0:
            return reports
    raise AssertionError(f"still planning writes after {most} runs: {reports}")


def both(e2e: E2E, title: str) -> tuple[Side, Side]:
    film = e2e.seeded.films[title]
    return on_plex(e2e.sims, film), on_senscritique(e2e.sims, film)


def assert_rules_hold(e2e: E2E, *, unwished: tuple[str, ...] = ()) -> None:
    """The converged state the rules of design.md give for world.RULES
    (`unwished`: films a test removed from a watchlist since)."""
    for title in ("Heat", "Alien", "Stalker"):
        plex, sc = both(e2e, title)
        wished = title not in unwished
        assert (plex.wished, sc.wished) == (wished, wished), (title, plex, sc)

    plex, sc = both(e2e, "Ran")  # SensCritique -> Plex; Plex cannot backdate
    assert (plex.rating, plex.views) == (8, 1), plex
    assert (sc.rating, sc.watched_day) == (8, "2020-03-01"), sc

    plex, sc = both(e2e, "Brazil")  # Plex -> SensCritique with Plex's date
    assert (plex.rating, plex.views, plex.watched_day) == (6, 1, "2021-05-01"), plex
    assert (sc.rating, sc.watched, sc.watched_day) == (6, True, "2021-05-01"), sc

    plex, sc = both(e2e, "Vertigo")  # Plex rated later: Plex's value wins
    assert (plex.rating, sc.rating) == (9, 9), (plex, sc)

    plex, sc = both(e2e, "Psycho")  # SensCritique done later: its value wins
    assert (plex.rating, sc.rating) == (7, 7), (plex, sc)

    plex, sc = both(e2e, "Tampopo")  # watched on both: the latest date on both
    assert (plex.views, plex.watched_day) == (1, "2022-08-01"), plex
    assert sc.watched_day == "2022-08-01", sc


def test_config_flow_entry_is_loaded(e2e: E2E) -> None:
    async def body() -> list[dict[str, Any]]:
        async with aiohttp.ClientSession() as session:
            client = await e2e.client(session)
            return await client.config_entries(scenario.DOMAIN)

    (entry,) = run(body())
    assert entry["entry_id"] == e2e.entry_id
    assert entry["state"] == "loaded"
    assert SC_USER[0] in entry["title"]


def test_sync_converges_by_the_rules(e2e: E2E) -> None:
    async def body() -> list[dict[str, Any]]:
        async with aiohttp.ClientSession() as session:
            client = await e2e.client(session)
            return await sync_until_settled(client, e2e.entry_id)

    reports = run(body())
    assert reports[-1]["planned"] == 0
    assert_rules_hold(e2e)


def test_removal_propagates_and_stays_removed(e2e: E2E) -> None:
    heat, alien = e2e.seeded.films["Heat"], e2e.seeded.films["Alien"]
    with e2e.sims.plex.state.lock:  # Heat leaves the Plex watchlist
        e2e.sims.plex.state.state_of(heat.guid.rsplit("/", 1)[-1]).watchlisted_at = None
    e2e.sims.on_senscritique(  # Alien leaves the SensCritique wishlist
        lambda sim: sim.state.set_mark(SC_USER[0], alien.sc_id, wished=False)
    )

    async def body() -> list[dict[str, Any]]:
        async with aiohttp.ClientSession() as session:
            client = await e2e.client(session)
            answer = await scenario.sync(client, e2e.entry_id)
            done = sorted(
                (change["side"], change["action"], change["title"])
                for change in answer["changes"]
                if change["result"] == "done"
            )
            assert done == [
                ("plex", "remove_watchlist", "Alien"),
                ("senscritique", "remove_watchlist", "Heat"),
            ], answer
            return [
                (await scenario.sync(client, e2e.entry_id))["report"] for _ in range(2)
            ]

    later = run(body())
    assert [r["planned"] for r in later] == [0, 0], later
    for film in (heat, alien):
        assert not on_plex(e2e.sims, film).wished, film
        assert not on_senscritique(e2e.sims, film).wished, film
    assert on_plex(e2e.sims, e2e.seeded.films["Stalker"]).wished  # untouched


BULK = 8


def test_kill_during_writes_loses_and_duplicates_nothing(e2e: E2E) -> None:
    """SIGKILL hass while a slow run is writing; after a restart and a sync
    both sides hold exactly the converged state, each watch recorded once."""
    sims, seeded = e2e.sims, e2e.seeded
    wished_sc = [f"Kill Wish {n:02d}" for n in range(BULK)]
    rated_sc = [f"Kill Seen {n:02d}" for n in range(BULK)]
    rated_plex = [f"Kill Rated {n:02d}" for n in range(BULK)]
    sc_done = datetime(2016, 2, 3, 21, 0, tzinfo=UTC)
    add_films(sims, seeded, wished_sc, plex=(False, None, None),
              senscritique=(True, None, None))  # fmt: skip
    add_films(sims, seeded, rated_sc, plex=(False, None, None),
              senscritique=(False, 7, sc_done))  # fmt: skip
    add_films(sims, seeded, rated_plex, plex=(False, 3, epoch(2017, 9, 4)),
              senscritique=(False, None, None))  # fmt: skip

    before = writes(sims)
    sims.set_latency(0.3)
    outcome: list[BaseException | dict[str, Any]] = []

    async def slow_sync() -> None:
        async with aiohttp.ClientSession() as session:
            client = await e2e.client(session)
            try:
                outcome.append(await scenario.sync(client, e2e.entry_id))
            except (aiohttp.ClientError, HassError) as err:
                outcome.append(err)

    runner = threading.Thread(target=run, args=(slow_sync(),), daemon=True)
    runner.start()
    deadline = time.monotonic() + 90
    while writes(sims) - before < 6:  # some writes done, most still to come
        assert time.monotonic() < deadline, "the sync never started writing"
        time.sleep(0.05)
    e2e.hass.stop(kill=True)
    at_kill = writes(sims) - before
    runner.join(30)
    assert outcome, "the service call neither returned nor failed"
    assert not isinstance(outcome[0], dict), "the run finished before the kill"

    sims.set_latency(0)
    e2e.hass.spawn()

    async def after_restart() -> None:
        await e2e.hass.wait_until_up()
        async with aiohttp.ClientSession() as session:
            client = await e2e.client(session)
            for _ in range(240):  # set-up (and its first sync) is under way
                (entry,) = await client.config_entries(scenario.DOMAIN)
                if entry["state"] == "loaded":
                    break
                await asyncio.sleep(0.5)
            assert entry["state"] == "loaded", entry
            await sync_until_settled(client, e2e.entry_id)

    run(after_restart())
    total = writes(sims) - before
    print(f"writes before the kill: {at_kill}, in all: {total}")
    assert total > at_kill, "nothing was left to write after the kill"

    def sides(title: str) -> tuple[Side, Side]:
        film: Film = seeded.films[title]
        return on_plex(sims, film), on_senscritique(sims, film)

    for title in wished_sc:
        plex, sc = sides(title)
        assert (plex.wished, sc.wished) == (True, True), (title, plex, sc)
    for title in rated_sc:
        plex, sc = sides(title)
        assert (plex.rating, plex.views) == (7, 1), (title, plex)
        assert (sc.rating, sc.watched_day) == (7, "2016-02-03"), (title, sc)
    for title in rated_plex:
        plex, sc = sides(title)
        assert (plex.rating, plex.views, plex.watched_day) == (3, 1, "2017-09-04")
        assert (sc.rating, sc.watched_day) == (3, "2017-09-04"), (title, sc)
    assert_rules_hold(e2e, unwished=("Heat", "Alien"))  # not disturbed
