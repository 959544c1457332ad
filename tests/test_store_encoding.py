"""A state equal to the last one saved is not encoded again; any other is."""

from __future__ import annotations

from dataclasses import replace

from homeassistant.core import HomeAssistant

from custom_components.plexsync.engine.codec import state_to_json
from custom_components.plexsync.engine.model import (
    Agreed,
    Kind,
    Link,
    Provenance,
    SyncState,
)
from custom_components.plexsync.store import PlexSyncStore, _EncodedState

LINK = Link("1001", "plex://movie/5d7768b", Kind.MOVIE, Provenance.LOCAL)


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
