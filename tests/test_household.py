"""A household on one Plex server, through the real clients and the
simulators: the account's owner and a managed, PIN-protected Home user, each
with their own SensCritique member, set up through the config flow. Their two
entries sync, one after the other and both at once, with no cross-talk; and
removing one leaves the other untouched and takes all of its own state."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import pytest
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)

from custom_components.plexsync import PlexSyncConfigEntry
from custom_components.plexsync.const import (
    CONF_PLEX_TOKEN,
    CONF_PLEX_USER_ID,
    CONF_SC_EMAIL,
    CONF_SC_PASSWORD,
    DOMAIN,
)
from custom_components.plexsync.flow_forms import CONF_HOME_PIN
from custom_components.plexsync.pipeline import SyncRequest

from .flow_steps import finish_first_sync
from .simulators.plex import PlexSimulator
from .simulators.plex_seed import PlexSeeding
from .simulators.senscritique import SensCritiqueSimulator

T0 = 1_700_000_000
PIN = "2468"
TITLES = ("Heat", "Alien", "Ran", "Brazil", "Dune", "Amélie")


@dataclass
class Person:
    """One person of the household: their Plex view and SensCritique member."""

    plex: PlexSeeding
    sc_name: str
    email: str

    @property
    def password(self) -> str:
        return f"password-of-{self.sc_name}"


@dataclass
class Household:
    plex: PlexSimulator
    sc: SensCritiqueSimulator
    owner: Person
    anna: Person
    guids: dict[str, str]  # title -> Plex guid
    ids: dict[str, int]  # title -> SensCritique product id


@pytest.fixture(name="household")
def household_fixture(
    plex_sim: PlexSimulator, sc_sim: SensCritiqueSimulator
) -> Household:
    """Six films in the library and on SensCritique; the owner and Anna (a
    managed Home user with a PIN) each touch some, Heat both (differently)."""
    anna_view = plex_sim.add_home_user("Anna", managed=True, pin=PIN)
    owner = Person(plex_sim, "owner_sc", "owner@example.org")
    anna = Person(anna_view, "anna_sc", "anna@example.org")
    for person in (owner, anna):
        sc_sim.state.add_user(person.sc_name, person.email, person.password)
    years = (1995, 1979, 1985, 1985, 2021, 2001)
    guids = {t: plex_sim.add_movie(t, y) for t, y in zip(TITLES, years, strict=True)}
    ids = {t: sc_sim.state.add_movie(t, y) for t, y in zip(TITLES, years, strict=True)}
    # The owner: Heat 9 on Plex, Dune on the Plex watchlist; Alien 7 on SC.
    plex_sim.set_user_state(guids["Heat"], rating=9.0, viewed_at=T0)
    plex_sim.watchlist_add(guids["Dune"], T0)
    sc_sim.state.set_mark("owner_sc", ids["Alien"], rating=7)
    # Anna: Brazil 6 on Plex, Amélie watched; Heat 4 and Ran wished on SC.
    anna_view.set_user_state(guids["Brazil"], rating=6.0, viewed_at=T0)
    anna_view.set_user_state(guids["Amélie"], viewed_at=T0 + 60)
    sc_sim.state.set_mark("anna_sc", ids["Heat"], rating=4)
    sc_sim.state.set_mark("anna_sc", ids["Ran"], wished=True)
    return Household(plex_sim, sc_sim, owner, anna, guids, ids)


async def _set_up(
    hass: HomeAssistant, home: Household, person: Person, plex_user: str, **kw: Any
) -> PlexSyncConfigEntry:
    """The config flow as the person walks it, with the real clients."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PLEX_TOKEN: home.plex.token}
    )
    assert result["step_id"] == "plex_user", result
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PLEX_USER_ID: plex_user}
    )
    if result["step_id"] == "plex_user_pin":
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_HOME_PIN: PIN}
        )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "senscritique_account"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_SC_EMAIL: person.email, CONF_SC_PASSWORD: person.password},
    )
    result = await finish_first_sync(hass, result, **kw)
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    entry: PlexSyncConfigEntry = result["result"]
    return entry


def _plex(home: Household, person: Person) -> dict[str, tuple[Any, ...]]:
    """Title -> (rating, watched, on the watchlist) as Plex holds it for them."""
    listed = set(person.plex.watchlist())
    out = {}
    for title, guid in home.guids.items():
        item = person.plex.library_item(guid)
        assert item is not None
        out[title] = (item.user_rating, item.view_count > 0, guid in listed)
    return out


def _sc(home: Household, person: Person) -> dict[str, tuple[Any, ...]]:
    """Title -> (rating, done, wished) as SensCritique holds it for them."""
    state = home.sc.state
    ratings, done = state.ratings(person.sc_name), state.done(person.sc_name)
    wished = state.wished(person.sc_name)
    return {
        title: (ratings.get(pid), pid in done, pid in wished)
        for title, pid in home.ids.items()
    }


def _agree(home: Household, person: Person, expected: dict[str, Any]) -> None:
    """Both of the person's sides hold exactly `expected` (title -> (rating,
    watched, wished); every other work untouched) on every work."""
    want = {t: expected.get(t, (None, False, False)) for t in TITLES}
    plex = {t: (r and int(r), w, on) for t, (r, w, on) in _plex(home, person).items()}
    assert plex == want, f"Plex of {person.sc_name}"
    assert _sc(home, person) == want, f"SensCritique of {person.sc_name}"


async def _both_at_once(*entries: PlexSyncConfigEntry) -> None:
    outcomes = await asyncio.gather(
        *(e.runtime_data.coordinator.async_run_now(SyncRequest()) for e in entries)
    )
    for outcome in outcomes:
        assert outcome.report.failed == ()


async def test_two_people_sync_with_no_cross_talk(
    hass: HomeAssistant, household: Household
) -> None:
    home = household
    mine = await _set_up(hass, home, home.owner, "account")
    hers = await _set_up(hass, home, home.anna, str(home.plex.home[0].id))
    assert mine.title == "Plex: cinephile42 ↔ SensCritique: owner_sc"
    assert hers.title == "Plex: Anna ↔ SensCritique: anna_sc"
    assert hers.data[CONF_PLEX_TOKEN] == home.plex.home[0].token
    # A rating marks the work done on SensCritique, and Plex marks it watched.
    owner_first = {
        "Heat": (9, True, False),
        "Alien": (7, True, False),
        "Dune": (None, False, True),
    }
    anna_first = {
        "Heat": (4, True, False),
        "Brazil": (6, True, False),
        "Amélie": (None, True, False),
        "Ran": (None, False, True),
    }
    # The first syncs ran one after the other, at set-up.
    _agree(home, home.owner, owner_first)
    _agree(home, home.anna, anna_first)

    # Both at once, nothing to do: nothing changes.
    await _both_at_once(mine, hers)
    _agree(home, home.owner, owner_first)
    _agree(home, home.anna, anna_first)

    # New choices on each side of each person, synced both at once.
    home.anna.plex.set_user_state(home.guids["Alien"], rating=3.0)
    home.sc.state.set_mark("owner_sc", home.ids["Amélie"], wished=True)
    home.sc.state.set_mark("anna_sc", home.ids["Dune"], rating=8)
    home.plex.set_user_state(home.guids["Ran"], rating=5.0)
    for _ in range(2):
        await _both_at_once(mine, hers)
    _agree(
        home,
        home.owner,
        {**owner_first, "Amélie": (None, False, True), "Ran": (5, True, False)},
    )
    _agree(
        home,
        home.anna,
        {**anna_first, "Alien": (3, True, False), "Dune": (8, True, False)},
    )
    assert mine.state is ConfigEntryState.LOADED
    assert hers.state is ConfigEntryState.LOADED


async def test_removing_one_entry_takes_all_of_its_state_only(
    hass: HomeAssistant, household: Household, hass_storage: dict[str, Any]
) -> None:
    home = household
    # A film only SensCritique knows, rated by Anna: her entry's unmatched issue.
    stalker = home.sc.state.add_movie("Stalker", 1979)
    home.sc.state.set_mark("anna_sc", stalker, rating=10)
    mine = await _set_up(hass, home, home.owner, "account")
    hers = await _set_up(hass, home, home.anna, str(home.plex.home[0].id))
    issues = ir.async_get(hass)
    devices, entities = dr.async_get(hass), er.async_get(hass)

    def held(entry: PlexSyncConfigEntry) -> dict[str, Any]:
        return {
            "issues": {
                i for d, i in issues.issues if d == DOMAIN and entry.entry_id in i
            },
            "stored": {k for k in hass_storage if entry.entry_id in k},
            "devices": dr.async_entries_for_config_entry(devices, entry.entry_id),
            "entities": er.async_entries_for_config_entry(entities, entry.entry_id),
        }

    theirs, ours = held(hers), held(mine)
    assert theirs["issues"] == {f"unmatched_{hers.entry_id}"}
    # Her sync state and the writes kept for an undo.
    key = f"{DOMAIN}.{hers.entry_id}"
    assert {key, f"{key}.undo"} <= theirs["stored"]
    assert theirs["devices"]
    assert theirs["entities"]
    assert ours["stored"]
    assert ours["devices"]
    assert ours["entities"]
    before = [_plex(home, p) for p in (home.owner, home.anna)]
    before += [_sc(home, p) for p in (home.owner, home.anna)]

    await hass.config_entries.async_remove(hers.entry_id)
    await hass.async_block_till_done()

    assert not any(held(hers).values()), held(hers)
    assert held(mine) == ours
    assert mine.state is ConfigEntryState.LOADED
    # The owner syncs on, with nothing to do; nobody's accounts change.
    outcome = await mine.runtime_data.coordinator.async_run_now(SyncRequest())
    assert outcome.plan.ops == ()
    after = [_plex(home, p) for p in (home.owner, home.anna)]
    assert after + [_sc(home, p) for p in (home.owner, home.anna)] == before
