"""A service that is down at start-up is retried, never mistaken for a refused
sign-in: the real clients against the simulators, HA's clock advanced across
the retry."""

from __future__ import annotations

from datetime import timedelta

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.plexsync.const import DOMAIN
from custom_components.plexsync.options import default_options
from custom_components.plexsync.pipeline import SyncRequest

from .simulators.plex import PlexSimulator
from .simulators.senscritique import SensCritiqueSimulator
from .test_simulated import EMAIL, PASSWORD, USERNAME, WATCHLISTED_AT, seed

# Far more requests than one set-up attempt makes: the fault outlasts every
# retry of the attempt; reset_faults() brings the server back.
DOWN_FOR = 10_000


def sim_entry(plex: PlexSimulator, sc: SensCritiqueSimulator) -> MockConfigEntry:
    user = sc.state.users[USERNAME]
    return MockConfigEntry(
        domain=DOMAIN,
        title=f"Plex ↔ SensCritique ({USERNAME})",
        unique_id=f"{plex.account_id}_{user.id}",
        data={
            "plex_token": plex.token,
            "plex_account_id": plex.account_id,
            "plex_username": plex.username,
            "plex_server_id": plex.server_id,
            "plex_server_name": plex.server_name,
            "senscritique_mode": "account",
            "senscritique_user_id": user.id,
            "senscritique_username": USERNAME,
            "senscritique_email": EMAIL,
            "senscritique_password": PASSWORD,
        },
        options=default_options(read_only=False),
    )


def reauth_flows(hass: HomeAssistant) -> list[object]:
    return [
        flow
        for flow in hass.config_entries.flow.async_progress()
        if flow["context"].get("source") == SOURCE_REAUTH
    ]


async def wait_for_retry(hass: HomeAssistant) -> None:
    """Advance HA's clock past the first set-up retry (5-6 s) and let it run."""
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=30))
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_plex_server_down_at_setup_is_retried_not_reauthenticated(
    hass: HomeAssistant, plex_sim: PlexSimulator, sc_sim: SensCritiqueSimulator
) -> None:
    """Fails before the fix: plexapi's "Unable to connect" became NotFound,
    set-up failed with an authentication error and a reauth flow started."""
    keys = seed(plex_sim, sc_sim)
    entry = sim_entry(plex_sim, sc_sim)
    entry.add_to_hass(hass)
    plex_sim.fail(503, role="pms", count=DOWN_FOR)

    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert "Plex" in (entry.reason or "")
    assert reauth_flows(hass) == []
    assert int(keys["sc_heat"]) not in sc_sim.state.wished(USERNAME)

    plex_sim.reset_faults()  # the server is back
    await wait_for_retry(hass)
    assert entry.state is ConfigEntryState.LOADED, entry.reason
    assert reauth_flows(hass) == []
    # The first sync ran and converged: the wish reached SensCritique, the
    # rating reached Plex, and a second run has nothing left to write.
    assert int(keys["sc_heat"]) in sc_sim.state.wished(USERNAME)
    alien = plex_sim.library_item(keys["alien"])
    assert alien is not None
    assert alien.user_rating == 8.0
    outcome = await entry.runtime_data.coordinator.async_run_now(SyncRequest())
    assert [op for op in outcome.plan.ops if op.feature.value != "watched"] == []
    assert list(plex_sim.watchlist().values()) == [WATCHLISTED_AT]


async def test_plex_tv_down_at_setup_is_retried(
    hass: HomeAssistant, plex_sim: PlexSimulator, sc_sim: SensCritiqueSimulator
) -> None:
    seed(plex_sim, sc_sim)
    entry = sim_entry(plex_sim, sc_sim)
    entry.add_to_hass(hass)
    plex_sim.fail(502, role="plextv", count=DOWN_FOR)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert reauth_flows(hass) == []
    plex_sim.reset_faults()
    await wait_for_retry(hass)
    assert entry.state is ConfigEntryState.LOADED, entry.reason


async def test_plex_token_refused_at_setup_asks_to_sign_in_again(
    hass: HomeAssistant, plex_sim: PlexSimulator, sc_sim: SensCritiqueSimulator
) -> None:
    """A real 401 from plex.tv is the one Plex failure that is a sign-in."""
    seed(plex_sim, sc_sim)
    entry = sim_entry(plex_sim, sc_sim)
    entry.add_to_hass(hass)
    plex_sim.expire_token()
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert len(reauth_flows(hass)) == 1


async def test_senscritique_failing_at_setup_is_retried(
    hass: HomeAssistant, plex_sim: PlexSimulator, sc_sim: SensCritiqueSimulator
) -> None:
    """5xx answers, then a Cloudflare page (HTTP 403, HTML): neither is a
    refused sign-in."""
    seed(plex_sim, sc_sim)
    entry = sim_entry(plex_sim, sc_sim)
    entry.add_to_hass(hass)
    sc_sim.fail_next(DOWN_FOR, status=503)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert "SensCritique" in (entry.reason or "")
    assert reauth_flows(hass) == []

    sc_sim.faults.clear()
    sc_sim.fail_next(DOWN_FOR, status=403, html=True)
    await wait_for_retry(hass)
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert reauth_flows(hass) == []

    sc_sim.faults.clear()
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=5))
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.state is ConfigEntryState.LOADED, entry.reason
    assert reauth_flows(hass) == []
