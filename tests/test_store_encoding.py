"""The store encodes no more than it must: a state equal to the last one
saved is not encoded again (any other is), and the journal grows by one
write at a time yet always reads as the whole list."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from homeassistant.core import HomeAssistant

from custom_components.plexsync.engine.codec import plan_to_json, state_to_json
from custom_components.plexsync.engine.model import (
    Action,
    Agreed,
    Kind,
    Link,
    Provenance,
    Side,
    SyncState,
)
from custom_components.plexsync.engine.plans import Op, Plan
from custom_components.plexsync.store import PlexSyncStore, _EncodedState

LINK = Link("1001", "plex://movie/5d7768b", Kind.MOVIE, Provenance.LOCAL)
AT = datetime(2024, 5, 1, 12, tzinfo=UTC)


def _state(rating: int) -> SyncState:
    """Fresh objects on every call, as a run builds them."""
    link = replace(LINK)
    return SyncState(links={link.id: link}, agreed={link.id: Agreed(rating=rating)})


def test_an_equal_state_reuses_the_last_encoding() -> None:
    encoded = _EncodedState()
    first = encoded.encode(_state(7))
    assert first == state_to_json(_state(7))
    assert encoded.encode(_state(7)) is first
    other = encoded.encode(_state(8))
    assert other is not first
    assert other == state_to_json(_state(8))


async def test_each_save_stores_the_state_it_was_given(hass: HomeAssistant) -> None:
    store = PlexSyncStore(hass, "encoding_entry")
    await store.async_load()
    await store.async_save_state(_state(7))
    await store.async_save_run(_state(7), plan=None, report=None, last_success=None)
    assert (await PlexSyncStore(hass, "encoding_entry").async_load()).state == _state(7)
    await store.async_save_run(_state(8), plan=None, report=None, last_success=None)
    assert (await PlexSyncStore(hass, "encoding_entry").async_load()).state == _state(8)
    await store.async_save_state(_state(7))
    assert (await PlexSyncStore(hass, "encoding_entry").async_load()).state == _state(7)


async def test_the_journal_file_holds_every_write_of_the_generation(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    """Grown one write at a time, the journal still reads as the whole list,
    also when a reloaded store journals on after what it folded."""
    store = PlexSyncStore(hass, "journal_entry")
    await store.async_load()
    await store.async_save_state(_state(7))
    ops = [
        Op(Side.PLEX, Action.SET_RATING, LINK.plex, LINK.id, "rated", n)
        for n in range(1, 6)
    ]
    times = [AT + timedelta(minutes=n) for n in range(len(ops))]
    lags = [n % 2 == 0 for n in range(len(ops))]
    for op, at, lag in zip(ops[:3], times, lags, strict=False):
        await store.async_journal(op, at, lag, _state(7))
    reloaded = PlexSyncStore(hass, "journal_entry")
    await reloaded.async_load()
    for op, at, lag in zip(ops[3:], times[3:], lags[3:], strict=True):
        await reloaded.async_journal(op, at, lag, _state(7))
    journal = hass_storage["plexsync.journal_entry.journal"]["data"]
    assert journal["plan"] == plan_to_json(Plan(ops=tuple(ops)))
    assert journal["recorded"] == [at.isoformat() for at in times]
    assert journal["lags"] == lags
    assert (
        journal["generation"]
        == hass_storage["plexsync.journal_entry"]["data"]["generation"]
    )
