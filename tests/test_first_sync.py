"""The first sync under the user's control: features and direction, a preview
of what it would write, nothing written before a choice, preview-only mode,
and a preview that fails or takes too long (issue 16, item 1)."""

from __future__ import annotations

import threading
from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType

from custom_components.plexsync.const import (
    CONF_PLEX_TOKEN,
    CONF_PREVIEW_ONLY,
    CONF_SC_EMAIL,
    CONF_SC_PASSWORD,
    DOMAIN,
    conf_direction,
    conf_enabled,
)
from custom_components.plexsync.engine.errors import AuthError, ServiceUnavailable
from custom_components.plexsync.engine.model import Feature, Side, Snapshot

from .fakes import (
    ALIEN_PLEX,
    ALIEN_SC,
    HEAT_PLEX,
    HEAT_SC,
    PLEX_TOKEN,
    SC_EMAIL,
    SC_PASSWORD,
    T0,
    FakeWorld,
    movie,
)
from .flow_steps import finish_first_sync, preview_first_sync


def seed(world: FakeWorld) -> None:
    """Heat wished and rated 9 on Plex, known on SensCritique; Alien watched
    on SensCritique; a film SensCritique alone knows."""
    world.plex.add(HEAT_PLEX, wish=True, rating=9)
    world.senscritique.add(HEAT_SC)
    world.plex.add(ALIEN_PLEX)
    world.senscritique.add(ALIEN_SC, watched=T0)
    world.senscritique.add(movie("9001", "Sans lien", 1950), wish=True)


async def signed_in(hass: HomeAssistant) -> dict[str, Any]:
    """Through both sign-ins, up to the features form."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PLEX_TOKEN: PLEX_TOKEN}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "senscritique_account"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_SC_EMAIL: SC_EMAIL, CONF_SC_PASSWORD: SC_PASSWORD}
    )
    assert result["step_id"] == "features"
    return dict(result)


def nothing_written(world: FakeWorld) -> bool:
    return world.plex.applied == [] and world.senscritique.applied == []


async def test_the_preview_counts_and_nothing_is_written_before_the_choice(
    hass: HomeAssistant, world: FakeWorld
) -> None:
    seed(world)
    result = await preview_first_sync(hass, await signed_in(hass))
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["start_sync", "preview_only", "features"]
    numbers = result["description_placeholders"]
    assert numbers == {
        "plex_watchlist": "0",
        "plex_ratings": "0",
        "plex_watched": "1",  # Alien
        "senscritique_watchlist": "1",  # Heat
        "senscritique_ratings": "1",  # Heat 9/10
        "senscritique_watched": "0",
        "total": "3",
        "linked": "2",
        "unmatched": "1",  # Sans lien
    }
    assert nothing_written(world)
    assert hass.config_entries.async_entries(DOMAIN) == []

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "start_sync"}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["options"][CONF_PREVIEW_ONLY] is False
    # Exactly the writes the preview counted.
    assert len(world.plex.applied) == 1
    assert len(world.senscritique.applied) == 2


async def test_features_and_direction_shape_the_preview_and_the_entry(
    hass: HomeAssistant, world: FakeWorld
) -> None:
    seed(world)
    chosen = {
        conf_enabled(Feature.RATINGS): False,
        conf_direction(Feature.WATCHED): "plex_to_senscritique",
    }
    result = await preview_first_sync(hass, await signed_in(hass), chosen)
    numbers = result["description_placeholders"]
    assert numbers["senscritique_ratings"] == "0"  # ratings are off
    assert numbers["plex_watched"] == "0"  # watches flow to SensCritique only
    assert numbers["total"] == "1"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "start_sync"}
    )
    await hass.async_block_till_done()
    options = result["options"]
    assert options[conf_enabled(Feature.RATINGS)] is False
    assert options[conf_direction(Feature.WATCHED)] == "plex_to_senscritique"
    assert [op.action.value for op in world.senscritique.applied] == ["add_watchlist"]
    assert world.plex.applied == []


async def test_going_back_to_the_features(
    hass: HomeAssistant, world: FakeWorld
) -> None:
    seed(world)
    result = await preview_first_sync(hass, await signed_in(hass))
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "features"}
    )
    assert result["step_id"] == "features"
    result = await finish_first_sync(
        hass, dict(result), features={conf_enabled(Feature.WATCHLIST): False}
    )
    assert result["options"][conf_enabled(Feature.WATCHLIST)] is False
    assert "1001" not in world.senscritique.watchlist


async def test_preview_only_writes_nothing_after_set_up_either(
    hass: HomeAssistant, world: FakeWorld
) -> None:
    seed(world)
    result = await finish_first_sync(hass, await signed_in(hass), "preview_only")
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["options"][CONF_PREVIEW_ONLY] is True
    entry = result["result"]
    assert entry.state is ConfigEntryState.LOADED
    assert nothing_written(world)
    assert len(entry.runtime_data.coordinator.data.plan.ops) == 3


async def test_a_failed_preview_can_be_retried_or_skipped_to_preview_only(
    hass: HomeAssistant, world: FakeWorld
) -> None:
    seed(world)
    world.plex.read_error = ServiceUnavailable(Side.PLEX, "502")
    result = await preview_first_sync(hass, await signed_in(hass))
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "preview_failed"
    assert result["errors"] == {"base": "preview_failed"}
    assert result["description_placeholders"] == {"service": "Plex"}
    # Try again once Plex answers.
    world.plex.read_error = None
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.SHOW_PROGRESS
    await hass.async_block_till_done()
    result = await hass.config_entries.flow.async_configure(result["flow_id"])
    assert result["step_id"] == "first_sync"

    # Or: SensCritique refuses, and the user sets up in preview-only mode.
    world.senscritique.read_error = AuthError(Side.SENSCRITIQUE, "401")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "features"}
    )
    result = await preview_first_sync(hass, dict(result))
    assert result["errors"] == {"base": "preview_refused"}
    assert result["description_placeholders"] == {"service": "SensCritique"}
    world.senscritique.read_error = None
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PREVIEW_ONLY: True}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["options"][CONF_PREVIEW_ONLY] is True
    assert nothing_written(world)


async def test_a_preview_that_takes_too_long_stops(
    hass: HomeAssistant, world: FakeWorld
) -> None:
    seed(world)
    release = threading.Event()
    plain = world.plex.snapshot

    def stalled() -> Snapshot:
        release.wait(10)
        return plain()

    world.plex.snapshot = stalled  # type: ignore[method-assign]
    try:
        with patch(
            "custom_components.plexsync.first_sync_preview.PREVIEW_TIMEOUT", 0.2
        ):
            result = await preview_first_sync(hass, await signed_in(hass))
    finally:
        release.set()
    assert result["step_id"] == "preview_failed"
    assert result["errors"] == {"base": "preview_timeout"}
    assert nothing_written(world)
