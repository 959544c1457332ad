"""plexsync.link and plexsync.unlink: checked ids, no silent replacement, and
an unlink that is remembered (issue 14, items 4 and 5)."""

from __future__ import annotations

from dataclasses import replace

import pytest
import voluptuous as vol
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plexsync.const import DOMAIN
from custom_components.plexsync.engine.errors import ServiceUnavailable
from custom_components.plexsync.engine.model import Kind, Provenance, Side, Work
from custom_components.plexsync.pipeline import SyncRequest

from .fakes import FakeWorld
from .ha_entry import setup
from .link_calls import (
    DARK_PLEX,
    DARK_S1_SC,
    DARK_SC,
    HEAT_PLEX,
    HEAT_SC,
    RONIN_PLEX,
    RONIN_SC,
    VADROUILLE_PLEX,
    VADROUILLE_SC,
    call,
    link,
    link_ids,
)

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
