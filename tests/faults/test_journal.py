"""The write-ahead journal of the stored state (store.py).

A run saves its state whole at its start and end and journals each write in
between; loading folds the journal with the engine's `record`. These tests
pin the parts a crash test cannot reach: a journal left behind by an earlier
full save is never applied twice, a long journal is folded into a full save,
an unreadable journal or envelope stops the set-up instead of being dropped,
and removing the entry removes both files.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryError

from custom_components.plexsync.const import DOMAIN
from custom_components.plexsync.engine.codec import plan_to_json, state_to_json
from custom_components.plexsync.engine.model import (
    Action,
    Kind,
    Link,
    Provenance,
    Side,
    SyncState,
)
from custom_components.plexsync.engine.planner import record
from custom_components.plexsync.engine.plans import Op, Plan
from custom_components.plexsync.store import JOURNAL_LIMIT, PlexSyncStore

ENTRY = "journal_entry"
MAIN = f"{DOMAIN}.{ENTRY}"
JOURNAL = f"{MAIN}.journal"
AT = datetime(2024, 5, 1, 12, tzinfo=UTC)
LINK = Link("1001", "plex://movie/5d7768b", Kind.MOVIE, Provenance.LOCAL)
BASE = SyncState(links={LINK.id: LINK})
WISH = Op(Side.SENSCRITIQUE, Action.ADD_WATCHLIST, "1001", LINK.id, "wished on Plex")


def _file(key: str, data: dict[str, Any], version: int = 1) -> dict[str, Any]:
    return {"version": version, "minor_version": 1, "key": key, "data": data}


def _journal(
    generation: int, ops: list[Op], lags: list[bool] | None = None
) -> dict[str, Any]:
    journal = {
        "generation": generation,
        "plan": plan_to_json(Plan(ops=tuple(ops))),
        "recorded": [AT.isoformat() for _ in ops],
    }
    if lags is not None:
        journal["lags"] = lags
    return journal


@pytest.mark.parametrize(("journal_generation", "folded"), [(3, True), (2, False)])
async def test_only_the_current_generation_is_folded(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    journal_generation: int,
    folded: bool,
) -> None:
    hass_storage[MAIN] = _file(MAIN, {"state": state_to_json(BASE), "generation": 3})
    hass_storage[JOURNAL] = _file(JOURNAL, _journal(journal_generation, [WISH], [True]))
    stored = await PlexSyncStore(hass, ENTRY).async_load()
    expected = record(BASE, WISH, AT, lags=True) if folded else BASE
    assert stored.state == expected
    assert (stored.state != BASE) == folded  # the fold did change something


async def test_a_journaled_run_reloads_as_it_was_in_memory(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    store = PlexSyncStore(hass, ENTRY)
    await store.async_load()
    await store.async_save_state(BASE)
    state = BASE
    unwish = Op(Side.PLEX, Action.REMOVE_WATCHLIST, LINK.plex, LINK.id, "unwished")
    for op, lags in ((WISH, True), (unwish, False)):
        state = record(state, op, AT, lags=lags)
        await store.async_journal(op, AT, lags, state)
    assert [p.side for p in state.pending] == [Side.SENSCRITIQUE]
    assert hass_storage[MAIN]["data"]["state"] == state_to_json(BASE)
    assert (await PlexSyncStore(hass, ENTRY).async_load()).state == state
    # The run's final full save supersedes the journal: nothing folds twice.
    await store.async_save_run(state, plan=None, report=None, last_success=AT)
    assert (await PlexSyncStore(hass, ENTRY).async_load()).state == state


async def test_a_long_journal_becomes_a_full_save(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    store = PlexSyncStore(hass, ENTRY)
    await store.async_load()
    await store.async_save_state(BASE)
    generation = hass_storage[MAIN]["data"]["generation"]
    state = BASE
    for n in range(JOURNAL_LIMIT + 1):
        op = Op(Side.PLEX, Action.SET_RATING, LINK.plex, LINK.id, "rated", 1 + n % 10)
        state = record(state, op, AT, lags=False)
        await store.async_journal(op, AT, False, state)
    assert hass_storage[MAIN]["data"]["generation"] == generation + 1
    assert hass_storage[MAIN]["data"]["state"] == state_to_json(state)
    assert (await PlexSyncStore(hass, ENTRY).async_load()).state == state


async def test_a_journal_from_before_lags_folds_every_write_as_pending(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    """Written before lags were declared (no flags): each write folds as the
    version that wrote it recorded it, pending (the planner then confirms at
    once those of a side that does not lag)."""
    rated = Op(Side.PLEX, Action.SET_RATING, LINK.plex, LINK.id, "rated", 7)
    hass_storage[MAIN] = _file(MAIN, {"state": state_to_json(BASE), "generation": 1})
    hass_storage[JOURNAL] = _file(JOURNAL, _journal(1, [WISH, rated]))
    stored = await PlexSyncStore(hass, ENTRY).async_load()
    expected = record(record(BASE, WISH, AT, lags=True), rated, AT, lags=True)
    assert stored.state == expected


GOOD_MAIN = {"state": state_to_json(BASE), "generation": 1}


@pytest.mark.parametrize(
    ("main", "journal"),
    [
        pytest.param(GOOD_MAIN, {"generation": 1, "plan": {"ops": 5}}, id="journal-plan"),
        pytest.param(GOOD_MAIN, {**_journal(1, [WISH]), "recorded": []}, id="journal-times-missing"),
        pytest.param(GOOD_MAIN, {**_journal(1, [WISH]), "recorded": ["2024-05-01T12:00:00"]}, id="journal-time-without-zone"),
        pytest.param({**GOOD_MAIN, "generation": "1"}, None, id="generation-not-a-number"),
        pytest.param(GOOD_MAIN, _journal(1, [WISH], ["yes"]), id="journal-lag-not-a-flag"),
    ],
)  # fmt: skip
async def test_an_unreadable_store_stops_the_load(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    main: dict[str, Any],
    journal: dict[str, Any] | None,
) -> None:
    """Never a silent reset (it would forget manual links and the base): the
    entry does not start, and both files are kept as they were for a fix."""
    hass_storage[MAIN] = _file(MAIN, copy.deepcopy(main))
    if journal is not None:
        hass_storage[JOURNAL] = _file(JOURNAL, copy.deepcopy(journal))
    with pytest.raises(ConfigEntryError):
        await PlexSyncStore(hass, ENTRY).async_load()
    assert hass_storage[MAIN]["data"] == main
    assert (hass_storage[JOURNAL]["data"] if journal else None) == journal


async def test_a_store_of_another_major_version_stops_the_load(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    hass_storage[MAIN] = _file(MAIN, copy.deepcopy(GOOD_MAIN), version=2)
    with pytest.raises(ConfigEntryError) as err:
        await PlexSyncStore(hass, ENTRY).async_load()
    assert err.value.translation_key == "state_unreadable"
    assert hass_storage[MAIN]["version"] == 2
    assert hass_storage[MAIN]["data"] == GOOD_MAIN


async def test_removing_deletes_both_files(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    store = PlexSyncStore(hass, ENTRY)
    await store.async_load()
    await store.async_save_state(BASE)
    await store.async_journal(WISH, AT, True, record(BASE, WISH, AT, lags=True))
    assert MAIN in hass_storage
    assert JOURNAL in hass_storage
    await store.async_remove()
    assert MAIN not in hass_storage
    assert JOURNAL not in hass_storage
