"""The real clients (plexapi, aiohttp GraphQL) against the loopback simulators:
config flow, set-up and a full sync through Home Assistant."""

from __future__ import annotations

from datetime import UTC, datetime

from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er

from custom_components.plexsync.const import (
    CONF_PLEX_TOKEN,
    CONF_SC_EMAIL,
    CONF_SC_PASSWORD,
    DOMAIN,
)
from custom_components.plexsync.pipeline import SyncRequest

from .flow_steps import finish_first_sync, preview_first_sync
from .simulated_entry import simulated_entry_data
from .simulators.plex import PlexSimulator
from .simulators.senscritique import SensCritiqueSimulator

EMAIL = "member@example.org"
PASSWORD = "simulated-password-1"
USERNAME = "cinephile"
WATCHLISTED_AT = 1_700_000_000


def seed(plex: PlexSimulator, sc: SensCritiqueSimulator) -> dict[str, str]:
    """Heat wished on Plex; Alien rated 8 on SensCritique; Ran rated 6 on Plex."""
    sc.state.add_user(USERNAME, EMAIL, PASSWORD)
    ids = {
        "heat": sc.state.add_movie("Heat", 1995),
        "alien": sc.state.add_movie("Alien", 1979),
        "ran": sc.state.add_movie("Ran", 1985),
    }
    sc.state.set_mark(USERNAME, ids["alien"], rating=8)
    guids = {
        "heat": plex.add_movie("Heat", 1995, watchlisted_at=WATCHLISTED_AT),
        "alien": plex.add_movie("Alien", 1979),
        "ran": plex.add_movie("Ran", 1985, rating=6.0, viewed_at=WATCHLISTED_AT),
    }
    return {**{f"sc_{k}": str(v) for k, v in ids.items()}, **guids}


async def test_flow_setup_and_full_sync(
    hass: HomeAssistant, plex_sim: PlexSimulator, sc_sim: SensCritiqueSimulator
) -> None:
    keys = seed(plex_sim, sc_sim)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PLEX_TOKEN: "not-the-token"}
    )
    assert result["errors"] == {CONF_PLEX_TOKEN: "plex_token_refused"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PLEX_TOKEN: plex_sim.token}
    )
    assert result["type"] is FlowResultType.MENU
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "senscritique_account"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_SC_EMAIL: EMAIL, CONF_SC_PASSWORD: "wrong"}
    )
    assert result["errors"] == {CONF_SC_PASSWORD: "senscritique_refused"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_SC_EMAIL: EMAIL, CONF_SC_PASSWORD: PASSWORD}
    )
    # The preview reads both simulators, writes nothing, and counts what the
    # first sync then does.
    wished_before = set(sc_sim.state.wished(USERNAME))
    preview = await preview_first_sync(hass, result)
    assert preview["step_id"] == "first_sync"
    assert set(sc_sim.state.wished(USERNAME)) == wished_before
    numbers = preview["description_placeholders"]
    result = await hass.config_entries.flow.async_configure(
        preview["flow_id"], {"next_step_id": "start_sync"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    entry = result["result"]
    report = entry.runtime_data.coordinator.data.report
    assert report is not None
    assert int(numbers["total"]) == report.planned == sum(report.applied.values())
    assert int(numbers["senscritique_watchlist"]) == report.applied.get(
        "senscritique.add_watchlist", 0
    )
    assert entry.unique_id == f"{plex_sim.account_id}_{sc_sim.state.users[USERNAME].id}"
    assert entry.data["plex_server_id"] == plex_sim.server_id
    assert entry.state is ConfigEntryState.LOADED, entry.reason

    # The first sync ran at set-up, with the real clients on both simulators.
    coordinator = entry.runtime_data.coordinator
    assert coordinator.data.report is not None
    assert coordinator.data.report.failed == ()
    assert int(keys["sc_heat"]) in sc_sim.state.wished(USERNAME)
    alien = plex_sim.library_item(keys["alien"])
    assert alien is not None
    assert alien.user_rating == 8.0
    assert sc_sim.state.ratings(USERNAME).get(int(keys["sc_ran"])) == 6
    assert coordinator.data.linked >= 3

    # A second run writes no watchlist or rating again.
    outcome = await coordinator.async_run_now(SyncRequest())
    assert outcome.report.failed == ()
    assert [op for op in outcome.plan.ops if op.action.feature.value != "watched"] == []

    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_setup_retries_while_senscritique_is_down(
    hass: HomeAssistant, plex_sim: PlexSimulator, sc_sim: SensCritiqueSimulator
) -> None:
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from custom_components.plexsync.options import default_options

    seed(plex_sim, sc_sim)
    user = sc_sim.state.users[USERNAME]
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=f"{plex_sim.account_id}_{user.id}",
        data=simulated_entry_data(plex_sim, sc_sim, USERNAME, EMAIL, PASSWORD),
        options=default_options(read_only=False),
    )
    entry.add_to_hass(hass)
    await sc_sim.stop()  # the service is unreachable
    await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert list(plex_sim.watchlist().values()) == [WATCHLISTED_AT]  # untouched


async def test_second_run_converges_completely(
    hass: HomeAssistant, plex_sim: PlexSimulator, sc_sim: SensCritiqueSimulator
) -> None:
    seed(plex_sim, sc_sim)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PLEX_TOKEN: plex_sim.token}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "senscritique_account"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_SC_EMAIL: EMAIL, CONF_SC_PASSWORD: PASSWORD}
    )
    result = await finish_first_sync(hass, result)
    coordinator = result["result"].runtime_data.coordinator
    outcome = await coordinator.async_run_now(SyncRequest())
    assert outcome.plan.ops == ()


async def test_pending_writes_resolve_once_the_next_read_shows_them(
    hass: HomeAssistant, plex_sim: PlexSimulator, sc_sim: SensCritiqueSimulator
) -> None:
    """Every run's writes show in the next run's read, as each service shows
    them (Plex records "now" for a watch, SensCritique keeps the day of a done
    date and no rating date, seasons and episodes by their own keys): all are
    resolved, none awaits, and once a run plans nothing the pending count is 0."""
    sc, plex = sc_sim.state, plex_sim
    sc.add_user(USERNAME, EMAIL, PASSWORD)
    alien = sc.add_movie("Alien", 1979)
    sc.set_mark(USERNAME, alien, wished=True)
    ran = sc.add_movie("Ran", 1985)
    sc.set_mark(USERNAME, ran, done=True, date_done=datetime(2020, 3, 1, tzinfo=UTC))
    sc.set_mark(USERNAME, ran, rating=8)
    sc.add_movie("Heat", 1995)
    sc.add_movie("Brazil", 1985)
    dark = sc.add_show("Dark", 2017, [2])
    sc.set_mark(
        USERNAME,
        sc.episode(dark, 1, 1),
        done=True,
        date_done=datetime(2021, 2, 3, tzinfo=UTC),
    )
    plex.add_movie("Alien", 1979)
    plex.add_movie("Ran", 1985)  # in the library
    plex.add_movie("Heat", 1995, in_library=False, watchlisted_at=WATCHLISTED_AT)
    plex.add_movie(
        "Brazil", 1985, in_library=False, rating=6.0, viewed_at=1_619_899_200
    )
    dark_guids = plex.add_show("Dark", 2017, seasons={1: 2}, in_library=False)
    plex.set_user_state(dark_guids[1], rating=7.0)  # Plex reads (and links) season 1

    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PLEX_TOKEN: plex_sim.token}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "senscritique_account"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_SC_EMAIL: EMAIL, CONF_SC_PASSWORD: PASSWORD}
    )
    result = await finish_first_sync(hass, result)
    entry = result["result"]
    coordinator = entry.runtime_data.coordinator

    # Of each run's writes, only SensCritique's wishes are pending (its
    # wishlist lags; every other write is confirmed when accepted); the next
    # read shows them all: resolved, none awaiting. Seasons and episodes link
    # once their series is linked, so convergence takes a few runs (bounded).
    first = coordinator.data.report
    assert first is not None
    assert first.failed == ()
    assert first.applied == {
        "plex.add_watchlist": 1,  # Alien
        "plex.set_rating": 1,  # Ran
        # Ran; not Dark: SensCritique lists the series done for its one done
        # episode, but Plex keeps no series watch of its own (marking the
        # series would mark every episode watched "now").
        "plex.mark_watched": 1,
        "senscritique.add_watchlist": 1,  # Heat
        "senscritique.set_rating": 1,  # Brazil
        "senscritique.mark_watched": 1,  # Brazil
    }
    written = coordinator.state.pending
    assert len(written) == first.applied["senscritique.add_watchlist"]
    for _ in range(4):
        outcome = await coordinator.async_run_now(SyncRequest())
        assert outcome.report.failed == ()
        assert set(outcome.plan.resolved) == set(written)
        assert outcome.plan.awaiting == ()
        written = coordinator.state.pending
        assert len(written) == outcome.report.applied.get(
            "senscritique.add_watchlist", 0
        )
        if not outcome.plan.ops:
            break
    assert outcome.plan.ops == (), "still writing after 4 runs"
    assert coordinator.state.pending == ()
    assert coordinator.data.pending == 0
    pending_sensor = er.async_get(hass).async_get_entity_id(
        "sensor", DOMAIN, f"{entry.entry_id}_pending"
    )
    assert pending_sensor is not None
    sensor = hass.states.get(pending_sensor)
    assert sensor is not None
    assert sensor.state == "0"

    # The season (rated on Plex) was linked and written too.
    season_guid = dark_guids[1]
    assert any(link.plex == season_guid for link in coordinator.state.links.values())
    assert sc.ratings(USERNAME)[sc.season(dark, 1)] == 7

    assert await hass.config_entries.async_unload(entry.entry_id)
