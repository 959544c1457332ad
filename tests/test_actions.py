"""The actions on one work (plexsync.rate, mark_watched, add_to_watchlist,
remove_from_watchlist) with the real clients against the simulators."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import voluptuous as vol
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plexsync.const import DOMAIN

from .instant_world import USERNAME, linked_fixture  # noqa: F401
from .simulators.plex import PlexSimulator
from .simulators.senscritique import SensCritiqueSimulator

Linked = tuple[MockConfigEntry, dict[str, Any]]


async def _call(
    hass: HomeAssistant, service: str, entry: MockConfigEntry, **data: Any
) -> Any:
    return await hass.services.async_call(
        DOMAIN,
        service,
        {"config_entry_id": entry.entry_id, **data},
        blocking=True,
        return_response=True,
    )


async def test_rate_by_title_writes_both_sides_and_answers(
    hass: HomeAssistant,
    linked: Linked,
    plex_sim: PlexSimulator,
    sc_sim: SensCritiqueSimulator,
) -> None:
    entry, keys = linked
    answer = await _call(hass, "rate", entry, title="Heat", year=1995, rating=8)
    assert sc_sim.state.ratings(USERNAME)[keys["sc_heat"]] == 8
    heat = plex_sim.library_item(keys["heat"])
    assert heat is not None
    assert heat.user_rating == 8.0
    assert answer["title"] == "Heat"
    assert sorted(
        (c["side"], c["action"], c["value"], c["result"]) for c in answer["changes"]
    ) == [
        ("plex", "set_rating", 8, "done"),
        ("senscritique", "set_rating", 8, "done"),
    ]
    # Both sides agree and the base knows it: a sync writes nothing for it.
    coordinator = entry.runtime_data.coordinator
    await coordinator.async_refresh()
    ops = coordinator.data.plan.ops if coordinator.data.plan else ()
    assert [op for op in ops if op.action.feature.value == "ratings"] == []

    cleared = await _call(
        hass, "rate", entry, senscritique_id=str(keys["sc_heat"]), clear=True
    )
    assert keys["sc_heat"] not in sc_sim.state.ratings(USERNAME)
    assert heat.user_rating is None
    assert {c["action"] for c in cleared["changes"]} == {"clear_rating"}


async def test_mark_watched_at_the_cinema_goes_to_senscritique_only(
    hass: HomeAssistant,
    linked: Linked,
    plex_sim: PlexSimulator,
    sc_sim: SensCritiqueSimulator,
) -> None:
    """Vertigo is in Plex's catalogue but not held by the account: a film
    seen at the cinema, marked seen on SensCritique with its date."""
    entry, _ = linked
    sc_vertigo = sc_sim.state.add_movie("Vertigo", 1958)
    plex_sim.add_movie("Vertigo", 1958, in_library=False)
    answer = await _call(
        hass, "mark_watched", entry, title="Vertigo", date="2024-05-01"
    )
    assert [(c["side"], c["date"]) for c in answer["changes"]] == [
        ("senscritique", "2024-05-01")
    ]
    assert sc_vertigo in sc_sim.state.done(USERNAME)
    assert plex_sim.account_watched() == {}


async def test_watchlist_add_and_remove_by_plex_guid(
    hass: HomeAssistant,
    linked: Linked,
    plex_sim: PlexSimulator,
    sc_sim: SensCritiqueSimulator,
) -> None:
    entry, keys = linked
    await _call(hass, "add_to_watchlist", entry, plex_guid=keys["heat"])
    assert keys["heat"] in plex_sim.watchlist()
    assert keys["sc_heat"] in sc_sim.state.wished(USERNAME)
    answer = await _call(hass, "remove_from_watchlist", entry, plex_guid=keys["heat"])
    assert keys["heat"] not in plex_sim.watchlist()
    assert keys["sc_heat"] not in sc_sim.state.wished(USERNAME)
    assert len(answer["changes"]) == 2


@pytest.mark.parametrize(
    ("service", "data", "key"),
    [
        ("rate", {"title": "Heat", "rating": 7, "clear": True}, "rating_or_clear"),
        ("rate", {"title": "Heat"}, "rating_or_clear"),
        ("rate", {"title": "No Such Film", "rating": 7}, "action_work_not_found"),
        ("rate", {"senscritique_id": "abc", "rating": 7}, "invalid_senscritique_id"),
        ("rate", {"plex_guid": "plex://movie/zz", "rating": 7}, "invalid_plex_guid"),
        ("rate", {"senscritique_id": "999999", "rating": 7}, "unknown_work"),
        (
            "mark_watched",
            {
                "title": "Heat",
                "date": (dt_util.now().date() + timedelta(days=3)).isoformat(),
            },
            "date_in_future",
        ),
    ],
)
async def test_bad_calls_are_refused_in_the_users_words(
    hass: HomeAssistant,
    linked: Linked,
    *,
    sc_sim: SensCritiqueSimulator,
    service: str,
    data: dict[str, Any],
    key: str,
) -> None:
    entry, _ = linked
    before = sc_sim.state.ratings(USERNAME), sc_sim.state.done(USERNAME)
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, service, entry, **data)
    assert err.value.translation_key == key
    assert (sc_sim.state.ratings(USERNAME), sc_sim.state.done(USERNAME)) == before


@pytest.mark.parametrize(
    "data",
    [{}, {"title": "Heat", "rating": 11}, {"title": "x" * 201, "rating": 5}],
)
async def test_the_schema_caps_inputs(
    hass: HomeAssistant, linked: Linked, data: dict[str, Any]
) -> None:
    entry, _ = linked
    with pytest.raises(vol.Invalid):
        await _call(hass, "rate", entry, **data)
