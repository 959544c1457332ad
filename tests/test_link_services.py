"""plexsync.link and plexsync.unlink: checked ids, no silent replacement, and
an unlink that is remembered (issue 14, items 4 and 5)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
import voluptuous as vol
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plexsync.const import DOMAIN
from custom_components.plexsync.diagnostics import async_get_config_entry_diagnostics
from custom_components.plexsync.engine.errors import ServiceUnavailable
from custom_components.plexsync.engine.model import Kind, Provenance, Side, Work
from custom_components.plexsync.pipeline import SyncRequest

from .fakes import FakeWorld, movie
from .ha_entry import entity_id, setup

# Discover GUIDs have a 24-hex tail (see the Plex reference).
HEAT_SC = movie("1001", "Heat", 1995)
HEAT_PLEX = movie("plex://movie/5d7768244af8d1001f2e0001", "Heat", 1995)
RONIN_SC = movie("1002", "Ronin", 1998)
RONIN_PLEX = movie("plex://movie/5d7768244af8d1001f2e0002", "Ronin", 1998)
# Same film under unrelated titles: matching cannot link it, a person can.
VADROUILLE_SC = movie("6001", "La Grande Vadrouille", 1966)
VADROUILLE_PLEX = movie(
    "plex://movie/5d7768244af8d1001f2e0006",
    "Don't Look Now... We're Being Shot At!",
    1966,
)
DARK_SC = Work("7001", Kind.SHOW, "Dark", year=2017)
DARK_PLEX = Work("plex://show/5d7768244af8d1001f2e0007", Kind.SHOW, "Dark", year=2017)
DARK_S1_SC = Work("7002", Kind.SEASON, "Dark S1", parent="7001", season=1)


async def call(
    hass: HomeAssistant, service: str, entry: MockConfigEntry, **data: Any
) -> None:
    await hass.services.async_call(
        DOMAIN, service, {"config_entry_id": entry.entry_id, **data}, blocking=True
    )


async def link(hass: HomeAssistant, entry: MockConfigEntry, sc: str, guid: str) -> None:
    await call(hass, "link", entry, senscritique_id=sc, plex_guid=guid)


def link_ids(entry: MockConfigEntry) -> set[str]:
    return set(entry.runtime_data.coordinator.state.links)


# ------------------------------------------------------------------- link


async def test_link_works_known_from_the_read_without_a_lookup(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry, hass_storage
) -> None:
    world.senscritique.add(VADROUILLE_SC, wish=True)
    world.plex.add(VADROUILLE_PLEX, rating=7)
    await setup(hass, entry)
    coordinator = entry.runtime_data.coordinator
    assert coordinator.data.unmatched_count == 2
    await link(hass, entry, "6001", VADROUILLE_PLEX.key.upper().replace("PLEX", "plex"))
    new = coordinator.state.links[f"6001|{VADROUILLE_PLEX.key}"]
    assert new.provenance is Provenance.MANUAL
    assert new.kind is Kind.MOVIE
    assert world.plex.lookups == world.senscritique.lookups == 0
    stored = hass_storage[f"{DOMAIN}.{entry.entry_id}"]["data"]["state"]
    assert {"senscritique": "6001", "plex": VADROUILLE_PLEX.key}.items() <= stored[
        "links"
    ][0].items()
    await coordinator.async_run_now(SyncRequest())
    assert VADROUILLE_PLEX.key in world.plex.watchlist
    assert world.senscritique.ratings["6001"].value == 7


async def test_link_looks_up_a_work_missing_from_the_read(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    world.senscritique.add(VADROUILLE_SC, wish=True)
    world.plex.catalogue[VADROUILLE_PLEX.key] = VADROUILLE_PLEX  # never touched
    await setup(hass, entry)
    await link(hass, entry, "6001", VADROUILLE_PLEX.key)
    assert link_ids(entry) == {f"6001|{VADROUILLE_PLEX.key}"}
    assert world.plex.lookups == 1
    assert world.senscritique.lookups == 0


@pytest.mark.parametrize(
    ("sc", "guid", "side"),
    [
        ("6999", VADROUILLE_PLEX.key, "SensCritique"),
        ("6001", "plex://movie/5d7768244af8d1001f2effff", "Plex"),
    ],
)
async def test_link_refuses_an_unknown_id_and_changes_nothing(
    hass: HomeAssistant,
    world: FakeWorld,
    entry: MockConfigEntry,
    *,
    sc: str,
    guid: str,
    side: str,
) -> None:
    """Fails before the fix: any well-formed id was linked."""
    world.senscritique.add(VADROUILLE_SC, wish=True)
    world.plex.catalogue[VADROUILLE_PLEX.key] = VADROUILLE_PLEX
    await setup(hass, entry)
    before = entry.runtime_data.coordinator.state
    with pytest.raises(ServiceValidationError) as err:
        await link(hass, entry, sc, guid)
    assert err.value.translation_key == "unknown_work"
    assert err.value.translation_placeholders["service"] == side
    assert entry.runtime_data.coordinator.state is before


async def test_link_refuses_works_of_different_kinds(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    """Fails before the fix: a film was linked to a series."""
    world.senscritique.add(HEAT_SC, wish=True)
    world.plex.catalogue[DARK_PLEX.key] = DARK_PLEX
    await setup(hass, entry)
    before = entry.runtime_data.coordinator.state
    with pytest.raises(ServiceValidationError) as err:
        await link(hass, entry, "1001", DARK_PLEX.key)
    assert err.value.translation_key == "kinds_differ"
    assert err.value.translation_placeholders["senscritique_kind"] == "movie"
    assert err.value.translation_placeholders["plex_kind"] == "show"
    assert entry.runtime_data.coordinator.state is before


async def test_seasons_are_not_linked_by_hand(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    world.senscritique.add(DARK_S1_SC, rating=7)
    world.plex.catalogue[DARK_PLEX.key] = DARK_PLEX
    await setup(hass, entry)
    with pytest.raises(ServiceValidationError) as err:
        await link(hass, entry, "7002", DARK_PLEX.key)
    assert err.value.translation_key == "kind_not_linkable"
    assert link_ids(entry) == set()


async def test_a_series_links_to_a_series(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    world.senscritique.add(DARK_SC, wish=True)
    world.plex.catalogue[DARK_PLEX.key] = DARK_PLEX
    await setup(hass, entry)
    await link(hass, entry, "7001", DARK_PLEX.key)
    assert (
        entry.runtime_data.coordinator.state.links[f"7001|{DARK_PLEX.key}"].kind
        is Kind.SHOW
    )


LEGACY_PLEX = Work(
    "com.plexapp.agents.imdb://tt0060474",
    Kind.MOVIE,
    "La Grande Vadrouille",
    year=1966,
    guids=("imdb://tt0060474",),
)


async def test_link_takes_the_key_of_a_legacy_agent_library_work(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    """A film of a legacy-agent library has no Discover GUID: its key (as the
    library's guid gives it, the ?lang= query dropped) links it, and unlinks
    it; a legacy key the last read lacks is unknown, with no lookup (it
    names no Discover item)."""
    world.senscritique.add(VADROUILLE_SC, wish=True)
    world.plex.add(replace(LEGACY_PLEX, title="The Big Stroll"), rating=7)
    await setup(hass, entry)
    coordinator = entry.runtime_data.coordinator

    await link(hass, entry, "6001", f" {LEGACY_PLEX.key}?lang=en ")

    new = coordinator.state.links[f"6001|{LEGACY_PLEX.key}"]
    assert new.provenance is Provenance.MANUAL
    await call(hass, "unlink", entry, plex_guid=LEGACY_PLEX.key)
    assert link_ids(entry) == set()
    with pytest.raises(ServiceValidationError) as err:
        await link(hass, entry, "6001", "com.plexapp.agents.imdb://tt0000001")
    assert err.value.translation_key == "unknown_work"
    assert world.plex.lookups == 0


@pytest.mark.parametrize(
    ("field", "value", "key"),
    [
        ("senscritique_id", "abc", "invalid_senscritique_id"),
        ("senscritique_id", "0123", "invalid_senscritique_id"),
        ("senscritique_id", "-5", "invalid_senscritique_id"),
        ("senscritique_id", "99999999999", "invalid_senscritique_id"),
        ("senscritique_id", "2147483648", "invalid_senscritique_id"),
        ("senscritique_id", "60 01", "invalid_senscritique_id"),
        ("plex_guid", "imdb://tt0113277", "invalid_plex_guid"),
        ("plex_guid", "plex://movie/x1", "invalid_plex_guid"),
        ("plex_guid", "plex://movie/5d7768244af8d1001f2e000g", "invalid_plex_guid"),
        ("plex_guid", "plex://movie/5d7768244af8d1001f2e0006/x", "invalid_plex_guid"),
        ("plex_guid", "plex://film/5d7768244af8d1001f2e0006", "invalid_plex_guid"),
        # A legacy agent's episode, personal media, no id: not a film or series.
        ("plex_guid", "com.plexapp.agents.thetvdb://81189/1/10", "invalid_plex_guid"),
        ("plex_guid", "com.plexapp.agents.none://c0ffee", "invalid_plex_guid"),
        ("plex_guid", "local://5", "invalid_plex_guid"),
        ("plex_guid", "com.plexapp.agents.imdb://", "invalid_plex_guid"),
    ],
)
async def test_malformed_ids_are_refused_before_any_request(
    hass: HomeAssistant,
    world: FakeWorld,
    entry: MockConfigEntry,
    *,
    field: str,
    value: str,
    key: str,
) -> None:
    """Fails before the fix for the ids the old patterns let through
    (too large a number, a GUID tail that is not 24 hex digits)."""
    await setup(hass, entry)
    reads = (world.plex.reads, world.senscritique.reads)
    data = {"senscritique_id": "6001", "plex_guid": VADROUILLE_PLEX.key, field: value}
    for service in ("link", "unlink"):
        with pytest.raises(ServiceValidationError) as err:
            await call(hass, service, entry, **data)
        assert err.value.translation_key == key
    assert (world.plex.reads, world.senscritique.reads) == reads
    assert world.plex.lookups == world.senscritique.lookups == 0


@pytest.mark.parametrize(
    "data",
    [
        {"senscritique_id": "1" * 101, "plex_guid": VADROUILLE_PLEX.key},
        {"senscritique_id": "6001", "plex_guid": "plex://movie/" + "a" * 200},
        {"senscritique_id": "", "plex_guid": VADROUILLE_PLEX.key},
        {"senscritique_id": ["6001", "6002"], "plex_guid": VADROUILLE_PLEX.key},
    ],
)
async def test_absurd_link_inputs_stop_at_the_schema(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry, data
) -> None:
    await setup(hass, entry)
    with pytest.raises(vol.Invalid):
        await call(hass, "link", entry, **data)
    assert world.plex.lookups == world.senscritique.lookups == 0


async def test_a_failed_lookup_is_a_translated_error_and_changes_nothing(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    world.senscritique.add(VADROUILLE_SC, wish=True)
    world.plex.catalogue[VADROUILLE_PLEX.key] = VADROUILLE_PLEX
    await setup(hass, entry)
    world.plex.lookup_error = ServiceUnavailable(Side.PLEX, "timed out")
    with pytest.raises(HomeAssistantError) as err:
        await link(hass, entry, "6001", VADROUILLE_PLEX.key)
    assert err.value.translation_key == "service_unavailable"
    assert link_ids(entry) == set()


async def test_linking_a_work_linked_elsewhere_is_refused(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    """Fails before the fix: the manual link replaced the good link and
    silently dropped what both sides had agreed on."""
    for sc, plex in ((HEAT_SC, HEAT_PLEX), (RONIN_SC, RONIN_PLEX)):
        world.senscritique.add(sc, wish=True, rating=8)
        world.plex.add(plex, wish=True, rating=8)
    await setup(hass, entry)
    coordinator = entry.runtime_data.coordinator
    before = coordinator.state
    heat = f"1001|{HEAT_PLEX.key}"
    assert coordinator.state.agreed[heat].rating == 8
    for sc, guid in (("1001", RONIN_PLEX.key), ("1002", HEAT_PLEX.key)):
        with pytest.raises(ServiceValidationError) as err:
            await link(hass, entry, sc, guid)
        assert err.value.translation_key == "already_linked"
    assert HEAT_PLEX.key in err.value.translation_placeholders["link"]
    assert coordinator.state is before
    # Unlinking first, then linking, is the way.
    await call(hass, "unlink", entry, senscritique_id="1001")
    await call(hass, "unlink", entry, senscritique_id="1002")
    await link(hass, entry, "1001", RONIN_PLEX.key)
    assert f"1001|{RONIN_PLEX.key}" in coordinator.state.links


async def test_linking_an_automatic_pair_by_hand_keeps_its_agreed_state(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    world.senscritique.add(HEAT_SC, wish=True, rating=8)
    world.plex.add(HEAT_PLEX, wish=True, rating=8)
    await setup(hass, entry)
    coordinator = entry.runtime_data.coordinator
    heat = f"1001|{HEAT_PLEX.key}"
    agreed = coordinator.state.agreed[heat]
    assert coordinator.state.links[heat].provenance is Provenance.LOCAL
    await link(hass, entry, "1001", HEAT_PLEX.key)
    assert coordinator.state.links[heat].provenance is Provenance.MANUAL
    assert coordinator.state.agreed[heat] == agreed


# ----------------------------------------------------------------- unlink


async def test_an_unlinked_pair_is_never_linked_again_by_matching(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry, hass_storage
) -> None:
    """Fails before the fix: the next sync linked the pair again."""
    world.senscritique.add(HEAT_SC, wish=True)
    world.plex.add(HEAT_PLEX, wish=True)
    await setup(hass, entry)
    coordinator = entry.runtime_data.coordinator
    assert link_ids(entry) == {f"1001|{HEAT_PLEX.key}"}
    await call(hass, "unlink", entry, plex_guid=HEAT_PLEX.key)
    assert coordinator.state.unlinked == {("1001", HEAT_PLEX.key)}
    stored = hass_storage[f"{DOMAIN}.{entry.entry_id}"]["data"]["state"]
    assert stored["unlinked"] == [{"senscritique": "1001", "plex": HEAT_PLEX.key}]
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    assert diagnostics["state"]["unlinked"] == [
        {"senscritique": "1001", "plex": HEAT_PLEX.key}
    ]

    world.senscritique.watchlist.pop("1001")  # not a removal: no link, no base
    await coordinator.async_run_now(SyncRequest())
    assert link_ids(entry) == set()
    assert "1001" not in world.senscritique.watchlist
    assert {(u.side, u.key) for u in coordinator.data.unmatched} == {
        (Side.PLEX, HEAT_PLEX.key)
    }

    # Still remembered after a restart.
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    coordinator = entry.runtime_data.coordinator
    assert coordinator.state.unlinked == {("1001", HEAT_PLEX.key)}
    world.senscritique.watchlist["1001"] = world.plex.watchlist[HEAT_PLEX.key]
    await coordinator.async_run_now(SyncRequest())
    assert link_ids(entry) == set()


async def test_an_unlinked_pair_is_never_linked_again_by_a_search(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    """Fails before the fix: the search found the same counterpart again."""
    world.senscritique.add(HEAT_SC, wish=True)
    world.plex.catalogue[HEAT_PLEX.key] = HEAT_PLEX  # found by a search only
    await setup(hass, entry)
    coordinator = entry.runtime_data.coordinator
    assert coordinator.state.links[f"1001|{HEAT_PLEX.key}"].provenance is (
        Provenance.SEARCH
    )
    world.plex.watchlist.pop(HEAT_PLEX.key)
    await call(hass, "unlink", entry, senscritique_id="1001")
    outcome = await coordinator.async_run_now(SyncRequest())
    assert link_ids(entry) == set()
    assert outcome.plan.ops == ()
    assert "1001" in coordinator.state.misses  # searched, refused, backed off


async def test_linking_the_pair_by_hand_forgets_the_unlink(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    world.senscritique.add(HEAT_SC, wish=True)
    world.plex.add(HEAT_PLEX, wish=True)
    await setup(hass, entry)
    coordinator = entry.runtime_data.coordinator
    await call(hass, "unlink", entry, senscritique_id="1001")
    await link(hass, entry, "1001", HEAT_PLEX.key)
    assert coordinator.state.unlinked == frozenset()
    assert coordinator.state.links[f"1001|{HEAT_PLEX.key}"].provenance is (
        Provenance.MANUAL
    )


async def test_unlink_with_both_ids_removes_only_that_pair(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    for sc, plex in ((HEAT_SC, HEAT_PLEX), (RONIN_SC, RONIN_PLEX)):
        world.senscritique.add(sc, wish=True)
        world.plex.add(plex, wish=True)
    await setup(hass, entry)
    with pytest.raises(ServiceValidationError) as err:
        await call(
            hass, "unlink", entry, senscritique_id="1001", plex_guid=RONIN_PLEX.key
        )
    assert err.value.translation_key == "link_not_found"
    assert len(link_ids(entry)) == 2
    await call(hass, "unlink", entry, senscritique_id="1001", plex_guid=HEAT_PLEX.key)
    assert link_ids(entry) == {f"1002|{RONIN_PLEX.key}"}
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "unlink", entry, senscritique_id="1001")
    assert err.value.translation_key == "link_not_found"


async def test_the_todo_list_does_not_link_an_unlinked_pair(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    """Fails before the fix: adding the title linked the pair again."""
    world.senscritique.add(HEAT_SC, wish=True)
    world.plex.add(HEAT_PLEX, wish=True)
    await setup(hass, entry)
    await call(hass, "unlink", entry, senscritique_id="1001")
    world.senscritique.watchlist.clear()
    world.plex.watchlist.clear()
    todo = entity_id(hass, entry, "todo", "watchlist")
    await hass.services.async_call(
        "todo", "add_item", {"entity_id": todo, "item": "Heat (1995)"}, blocking=True
    )
    assert link_ids(entry) == set()


async def test_unlinking_a_series_drops_its_episode_links(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    """Fails before the fix: the episode stayed linked to the wrong series'
    episode, and kept its ratings in sync."""
    episode_sc = Work(
        "7003", Kind.EPISODE, "Secrets", parent="7001", season=1, episode=1
    )
    episode_plex = Work(
        "plex://episode/5d7768244af8d1001f2e0008",
        Kind.EPISODE,
        "Secrets",
        parent=DARK_PLEX.key,
        season=1,
        episode=1,
    )
    world.senscritique.add(DARK_SC, wish=True)
    world.senscritique.add(episode_sc, rating=7)
    world.plex.add(DARK_PLEX, wish=True)
    world.plex.add(episode_plex, rating=7)
    await setup(hass, entry)
    coordinator = entry.runtime_data.coordinator
    assert link_ids(entry) == {f"7001|{DARK_PLEX.key}", f"7003|{episode_plex.key}"}
    await call(hass, "unlink", entry, senscritique_id="7001")
    assert link_ids(entry) == set()
    assert coordinator.state.unlinked == {("7001", DARK_PLEX.key)}
    await coordinator.async_run_now(SyncRequest())
    assert link_ids(entry) == set()
    # Linked again by hand, the series brings its episode back.
    await link(hass, entry, "7001", DARK_PLEX.key)
    await coordinator.async_run_now(SyncRequest())
    assert link_ids(entry) == {f"7001|{DARK_PLEX.key}", f"7003|{episode_plex.key}"}
