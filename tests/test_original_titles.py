"""Original titles through Home Assistant, the real clients and both
simulators: Discover details of account-level works (asked once, kept in the
store), and searches by the original title within the run's budget."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plexsync.const import DOMAIN
from custom_components.plexsync.engine.model import Provenance
from custom_components.plexsync.options import default_options

from .simulated_entry import simulated_entry_data
from .simulators.plex import PlexSimulator
from .simulators.senscritique import SensCritiqueSimulator

EMAIL = "member@example.org"
PASSWORD = "simulated-password-1"
USERNAME = "cinephile"
T0 = 1_700_000_000


def new_entry(
    hass: HomeAssistant, plex: PlexSimulator, sc: SensCritiqueSimulator
) -> MockConfigEntry:
    user = sc.state.users[USERNAME]
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=f"{plex.account_id}_{user.id}",
        data=simulated_entry_data(plex, sc, USERNAME, EMAIL, PASSWORD),
        options=default_options(read_only=False),
    )
    entry.add_to_hass(hass)
    return entry


def links_of(entry: MockConfigEntry) -> dict[tuple[str, str], Provenance]:
    state = entry.runtime_data.coordinator.state
    return {(lk.senscritique, lk.plex): lk.provenance for lk in state.links.values()}


async def test_an_account_level_work_links_by_its_original_title_asked_once(
    hass: HomeAssistant,
    plex_sim: PlexSimulator,
    sc_sim: SensCritiqueSimulator,
    hass_storage: dict[str, Any],
) -> None:
    """Rated on Plex at account level (the community API gives "The Easy
    Life", 1962, nothing more); SensCritique lists "Le Fanfaron" (original
    title "Il sorpasso"): Discover's details of the Plex work give its
    original title, the works link locally, and the details are kept in the
    store, so the entry set up again asks none."""
    sc_sim.state.add_user(USERNAME, EMAIL, PASSWORD)
    sc_id = sc_sim.state.add_movie("Le Fanfaron", 1962, original_title="Il sorpasso")
    sc_sim.state.set_mark(USERNAME, sc_id, rating=8)
    key = plex_sim.add_movie(
        "The Easy Life",
        1962,
        original_title="Il sorpasso",
        guids=("imdb://tt0056541",),
        in_library=False,
        rating=8.0,
    )
    entry = new_entry(hass, plex_sim, sc_sim)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert links_of(entry) == {(str(sc_id), key): Provenance.LOCAL}
    assert plex_sim.requests["metadata:metadata"] == 1
    kept = hass_storage[f"{DOMAIN}.{entry.entry_id}"]["data"]["plex_details"]
    assert kept[key][0] == "Il sorpasso"

    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert plex_sim.requests["metadata:metadata"] == 1
    assert links_of(entry) == {(str(sc_id), key): Provenance.LOCAL}


async def test_searches_try_the_original_title_after_the_title(
    hass: HomeAssistant, plex_sim: PlexSimulator, sc_sim: SensCritiqueSimulator
) -> None:
    """Each side holds a film the other's lists lack, known there under
    another title: the search by title finds nothing, the one by original
    title links it. Two requests per work, on each side."""
    sc_sim.state.add_user(USERNAME, EMAIL, PASSWORD)
    wished_sc = sc_sim.state.add_movie(
        "Le Fanfaron", 1962, original_title="Il sorpasso"
    )
    sc_sim.state.set_mark(USERNAME, wished_sc, wished=True)
    fanfaron = plex_sim.add_movie(
        "The Easy Life", 1962, original_title="Il sorpasso", in_library=False
    )
    rated_plex = plex_sim.add_movie(
        "Pleasant Days",
        1963,
        original_title="Le Beau Serge et ses amis",
        in_library=False,
        rating=6.0,
    )
    serge = sc_sim.state.add_movie(
        "Les Beaux Jours", 1963, original_title="Le Beau Serge et ses amis"
    )
    sc_searches = sc_sim.requests["SearchAutocomplete"]
    entry = new_entry(hass, plex_sim, sc_sim)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert links_of(entry) == {
        (str(wished_sc), fanfaron): Provenance.SEARCH,
        (str(serge), rated_plex): Provenance.SEARCH,
    }
    assert plex_sim.requests["discover:search"] == 2
    assert sc_sim.requests["SearchAutocomplete"] - sc_searches == 2
    # The first sync put the film on the Plex watchlist through the link.
    assert fanfaron in plex_sim.watchlist()


async def test_a_senscritique_title_is_searched_on_discover_in_french(
    hass: HomeAssistant, plex_sim: PlexSimulator, sc_sim: SensCritiqueSimulator
) -> None:
    """SensCritique's "Le Goût du saké" (original title romanized, "Sanma no
    aji") is "An Autumn Afternoon" (秋刀魚の味) on Discover: neither title
    meets it, Discover asked in French does, at the first request."""
    sc_sim.state.add_user(USERNAME, EMAIL, PASSWORD)
    sc_id = sc_sim.state.add_movie(
        "Le Goût du saké", 1962, original_title="Sanma no aji"
    )
    sc_sim.state.set_mark(USERNAME, sc_id, wished=True)
    key = plex_sim.add_movie(
        "An Autumn Afternoon", 1962, original_title="秋刀魚の味", in_library=False
    )
    with plex_sim.state.lock:
        plex_sim.state.catalog[key.rsplit("/", 1)[-1]].titles["fr"] = "Le Goût du saké"
    entry = new_entry(hass, plex_sim, sc_sim)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert links_of(entry) == {(str(sc_id), key): Provenance.SEARCH}
    assert plex_sim.requests["discover:search"] == 1
