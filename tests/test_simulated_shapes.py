"""Real-account shapes end to end: the coordinator with the real clients on
both simulators, a legacy-agent Plex library and SensCritique's DoneResult."""

from __future__ import annotations

from datetime import UTC, datetime

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plexsync.const import DOMAIN, conf_removals
from custom_components.plexsync.coordinator import SyncRequest
from custom_components.plexsync.diagnostics import async_get_config_entry_diagnostics
from custom_components.plexsync.engine.model import Feature
from custom_components.plexsync.options import default_options

from .simulated_entry import simulated_entry_data
from .simulators.plex import PlexSimulator
from .simulators.plex_state import IMDB_AGENT, PERSONAL_AGENT, TVDB_AGENT
from .simulators.senscritique import SensCritiqueSimulator

EMAIL = "member@example.org"
PASSWORD = "simulated-password-1"
USERNAME = "cinephile"
T0 = 1_700_000_000


async def setup_entry(
    hass: HomeAssistant,
    plex: PlexSimulator,
    sc: SensCritiqueSimulator,
    **options: object,
) -> MockConfigEntry:
    """An entry on both simulators, set up: its first sync has run."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=f"{plex.account_id}_{sc.state.users[USERNAME].id}",
        data=simulated_entry_data(plex, sc, USERNAME, EMAIL, PASSWORD),
        options={**default_options(read_only=False), **options},
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    return entry


def legacy_key(plex: PlexSimulator, guid: str) -> str:
    return plex.listed_guid(guid).split("?")[0]


async def test_ratings_of_legacy_films_travel_both_ways(
    hass: HomeAssistant, plex_sim: PlexSimulator, sc_sim: SensCritiqueSimulator
) -> None:
    """Heat, rated 8 in a legacy library, gets 8 on SensCritique (linked by
    a search from the Plex side: the Plex key stays on the Plex side); Alien,
    rated 7 on SensCritique and watched in the legacy library, gets 7 on its
    library item, written by ratingKey."""
    sc = sc_sim.state
    sc.add_user(USERNAME, EMAIL, PASSWORD)
    heat_sc = sc.add_movie("Heat", 1995)
    alien_sc = sc.add_movie("Alien", 1979)
    sc.set_mark(
        USERNAME, alien_sc, rating=7, date_done=datetime(2020, 1, 5, tzinfo=UTC)
    )
    heat = plex_sim.add_movie(
        "Heat", 1995, guids=("imdb://tt0113277",), agent=IMDB_AGENT, rating=8
    )
    alien = plex_sim.add_movie(
        "Alien", 1979, guids=("imdb://tt0078748",), agent=IMDB_AGENT, viewed_at=T0
    )

    entry = await setup_entry(hass, plex_sim, sc_sim)

    coordinator = entry.runtime_data.coordinator
    report = coordinator.data.report
    assert report is not None
    assert report.failed == ()
    assert sc.ratings(USERNAME)[heat_sc] == 8
    item = plex_sim.library_item(alien)
    assert item is not None
    assert item.user_rating == 7.0
    pairs = {(lk.senscritique, lk.plex) for lk in coordinator.state.links.values()}
    assert (str(heat_sc), legacy_key(plex_sim, heat)) in pairs
    assert (str(alien_sc), legacy_key(plex_sim, alien)) in pairs
    outcome = await coordinator.async_run_now(SyncRequest())
    assert [op for op in outcome.plan.ops if op.feature.value == "ratings"] == []
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_a_legacy_film_wished_on_senscritique_reaches_the_plex_watchlist(
    hass: HomeAssistant, plex_sim: PlexSimulator, sc_sim: SensCritiqueSimulator
) -> None:
    """Ran is on the SensCritique wishlist and watched in a legacy library:
    it is added to the Plex watchlist through its Discover item, and the next
    read shows it there under the legacy work (nothing to write again)."""
    sc = sc_sim.state
    sc.add_user(USERNAME, EMAIL, PASSWORD)
    ran_sc = sc.add_movie("Ran", 1985)
    sc.set_mark(USERNAME, ran_sc, wished=True)
    ran = plex_sim.add_movie(
        "Ran", 1985, guids=("imdb://tt0089881",), agent=IMDB_AGENT, viewed_at=T0
    )
    plex_sim.add_movie("Ran", 2019, guids=("imdb://tt0000001",), in_library=False)

    entry = await setup_entry(hass, plex_sim, sc_sim)

    coordinator = entry.runtime_data.coordinator
    report = coordinator.data.report
    assert report is not None
    assert report.failed == ()
    assert report.applied.get("plex.add_watchlist") == 1
    assert set(plex_sim.watchlist()) == {ran}  # the Discover item of this Ran
    outcome = await coordinator.async_run_now(SyncRequest())
    assert outcome.plan.ops == ()
    assert outcome.report.failed == ()
    assert ran_sc in sc.wished(USERNAME)  # never read as removed on Plex
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_a_legacy_film_with_no_discover_item_fails_once_then_is_reported(
    hass: HomeAssistant, plex_sim: PlexSimulator, sc_sim: SensCritiqueSimulator
) -> None:
    sc = sc_sim.state
    sc.add_user(USERNAME, EMAIL, PASSWORD)
    short_sc = sc.add_movie("La Jetée", 1962)
    sc.set_mark(USERNAME, short_sc, wished=True)
    plex_sim.add_movie(
        "La Jetée", 1962, agent=IMDB_AGENT, viewed_at=T0, on_discover=False
    )

    entry = await setup_entry(hass, plex_sim, sc_sim)

    coordinator = entry.runtime_data.coordinator
    first = coordinator.data.report
    assert first is not None
    [failed] = first.failed
    assert "cannot be on the Plex watchlist" in failed.error
    outcome = await coordinator.async_run_now(SyncRequest())
    assert outcome.report.failed == ()
    assert not [op for op in outcome.plan.ops if op.feature.value == "watchlist"]
    assert coordinator.assessment().status.value == "ok"
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    [unreachable] = diagnostics["plex"]["watchlist_unreachable"]
    assert unreachable["title"] == "La Jetée"
    assert short_sc in sc.wished(USERNAME)
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_a_legacy_tvdb_episode_watched_on_plex_is_marked_seen(
    hass: HomeAssistant, plex_sim: PlexSimulator, sc_sim: SensCritiqueSimulator
) -> None:
    """Dark's episodes are in a TheTVDB-agent library; S1E2 watched on Plex
    is marked seen on SensCritique through productDone's DoneResult."""
    sc = sc_sim.state
    sc.add_user(USERNAME, EMAIL, PASSWORD)
    dark_sc = sc.add_show("Dark", 2017, [2])
    first_sc, second_sc = sc.episode(dark_sc, 1, 1), sc.episode(dark_sc, 1, 2)
    sc.set_mark(USERNAME, first_sc, date_done=datetime(2021, 2, 3, tzinfo=UTC))
    _dark, _season, first, second = plex_sim.add_show(
        "Dark", 2017, seasons={1: 2}, guids=("tvdb://334824",), agent=TVDB_AGENT
    )
    plex_sim.set_user_state(first, viewed_at=T0)
    plex_sim.set_user_state(second, viewed_at=T0 + 3600)

    entry = await setup_entry(hass, plex_sim, sc_sim)

    coordinator = entry.runtime_data.coordinator
    report = coordinator.data.report
    assert report is not None
    assert report.failed == ()
    mark = sc.mark(USERNAME, second_sc)
    assert mark.done
    # S1E2 marked seen; S1E1 given Plex's later watch date. Each through
    # ProductDone's real shape (after its one probe).
    assert report.applied["senscritique.mark_watched"] == 2
    assert sc_sim.requests["ProductDone"] == 1 + 2
    episode_key = legacy_key(plex_sim, second)
    assert episode_key == "com.plexapp.agents.thetvdb://334824/1/2"
    assert any(
        (lk.senscritique, lk.plex) == (str(second_sc), episode_key)
        for lk in coordinator.state.links.values()
    )
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_unwatched_on_plex_is_unmarked_on_senscritique_when_removals_travel(
    hass: HomeAssistant, plex_sim: PlexSimulator, sc_sim: SensCritiqueSimulator
) -> None:
    """With watched removals propagated (off by default), a film unwatched on
    Plex after both agreed is un-marked on SensCritique by productUndone."""
    sc = sc_sim.state
    sc.add_user(USERNAME, EMAIL, PASSWORD)
    heat_sc = sc.add_movie("Heat", 1995)
    sc.set_mark(USERNAME, heat_sc, date_done=datetime(2020, 1, 5, tzinfo=UTC))
    heat = plex_sim.add_movie(
        "Heat", 1995, guids=("imdb://tt0113277",), agent=IMDB_AGENT, viewed_at=T0
    )
    # Another watch, so that Plex does not read empty (the shrink guard would
    # rightly hold removals from an empty read).
    plex_sim.add_movie("Ran", 1985, in_library=False, viewed_at=T0)
    entry = await setup_entry(
        hass, plex_sim, sc_sim, **{conf_removals(Feature.WATCHED): True}
    )
    coordinator = entry.runtime_data.coordinator
    await coordinator.async_run_now(SyncRequest())  # both agree now
    item = plex_sim.library_item(heat)
    assert item is not None
    with plex_sim.state.lock:
        plex_sim.state.scrobble_library(item, T0 + 10, played=False)

    outcome = await coordinator.async_run_now(SyncRequest())

    assert outcome.report.failed == ()
    assert outcome.report.applied == {"senscritique.mark_unwatched": 1}
    assert not sc.mark(USERNAME, heat_sc).done
    assert sc_sim.requests["ProductUndone"] == 2  # the probe, then the write
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_diagnostics_show_what_was_probed_and_read(
    hass: HomeAssistant, plex_sim: PlexSimulator, sc_sim: SensCritiqueSimulator
) -> None:
    sc_sim.state.add_user(USERNAME, EMAIL, PASSWORD)
    plex_sim.add_movie("Birthday", 2019, agent=PERSONAL_AGENT, viewed_at=T0)
    plex_sim.add_movie(
        "Heat", 1995, guids=("imdb://tt0113277",), agent=IMDB_AGENT, rating=8
    )
    plex_sim.add_orphan_watch("Episode 5", T0)

    entry = await setup_entry(hass, plex_sim, sc_sim)
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)

    assert diagnostics["senscritique"]["capabilities"] == {
        "read_only": False,
        "wish": True,
        "rate": True,
        "mark_done": True,
        "mark_undone": True,
        "set_done_date": True,
        "remove_rating": True,
    }
    plex = diagnostics["plex"]
    assert plex["skipped"] == {"watch history": 1}
    assert plex["personal_media"] == 1
    assert plex["legacy_works"] == 1
    assert diagnostics["senscritique"]["last_read"] == {"skipped": {}}
    assert await hass.config_entries.async_unload(entry.entry_id)
