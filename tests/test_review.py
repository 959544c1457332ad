"""The review of unmatched works: the fix flow of the "unmatched" issue
(review_flow.py), through the repairs HTTP API."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from homeassistant.components.repairs import DOMAIN as REPAIRS
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plexsync.const import DOMAIN
from custom_components.plexsync.engine.model import Provenance, Side

from .fakes import T0, FakeWorld, movie
from .ha_entry import setup

CONTEMPT = movie("plex://movie/bbbbbbbbbbbbbbbbbbbbbbb1", "Contempt", 1963)
MEPRIS = movie("2001", "Le Mépris", 1963)
FORBIDDEN = movie("plex://movie/bbbbbbbbbbbbbbbbbbbbbbb2", "Forbidden Games", 1952)
# Its original title is its own: shown in brackets after the title.
JEUX = replace(movie("2002", "Jeux interdits", 1952), original_title="Jeux")
OTHER = movie("plex://movie/bbbbbbbbbbbbbbbbbbbbbbb3", "Other Film", 1963)


def seed(world: FakeWorld) -> None:
    """Two films known under translated titles on each side (no word, no
    original title in common: no link, no search finds them)."""
    world.plex.add(CONTEMPT, rating=7)
    world.senscritique.add(MEPRIS, rating=8)
    world.plex.add(FORBIDDEN, watched=T0)
    world.senscritique.add(JEUX, wish=True)


async def open_review(hass_client: Any, entry: MockConfigEntry) -> tuple[Any, dict]:
    client = await hass_client()
    resp = await client.post(
        "/api/repairs/issues/fix",
        json={"handler": DOMAIN, "issue_id": f"unmatched_{entry.entry_id}"},
    )
    return client, await resp.json()


async def answer(client: Any, flow: dict, choice: str) -> dict:
    resp = await client.post(
        f"/api/repairs/issues/fix/{flow['flow_id']}", json={"choice": choice}
    )
    return dict(await resp.json())


def unmatched_sensor(hass: HomeAssistant, entry: MockConfigEntry) -> Any:
    registry = er.async_get(hass)
    entity_id = registry.async_get_entity_id(
        "sensor", DOMAIN, f"{entry.entry_id}_unmatched"
    )
    assert entity_id is not None
    return hass.states.get(entity_id)


def options(flow: dict) -> list[str]:
    (field,) = flow["data_schema"]
    return [o["value"] for o in field["selector"]["select"]["options"]]


async def test_review_links_a_pick_remembers_none_and_skips(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry, hass_client: Any
) -> None:
    assert await async_setup_component(hass, REPAIRS, {})
    seed(world)
    await setup(hass, entry)
    coordinator = entry.runtime_data.coordinator
    assert coordinator.state.links == {}
    issue = ir.async_get(hass).async_get_issue(DOMAIN, f"unmatched_{entry.entry_id}")
    assert issue is not None
    assert issue.is_fixable
    assert unmatched_sensor(hass, entry).state == "4"

    client, flow = await open_review(hass_client, entry)
    # Titles sorted: Contempt (Plex) first; its candidate is the SensCritique
    # film of the same year, whatever its title.
    assert flow["step_id"] == "review"
    shown = flow["description_placeholders"]
    assert (shown["service"], shown["other"], shown["work"]) == (
        "Plex",
        "SensCritique",
        "Contempt (1963)",
    )
    assert shown["original"] == ""  # none: nothing in brackets
    assert options(flow) == [MEPRIS.key, "none", "skip"]
    assert flow["data_schema"][0]["default"] == "skip"  # a bare Submit links nothing

    flow = await answer(client, flow, MEPRIS.key)
    link = next(iter(coordinator.state.links.values()))
    assert (link.senscritique, link.plex, link.provenance) == (
        MEPRIS.key,
        CONTEMPT.key,
        Provenance.MANUAL,
    )
    # The sensor follows at once: both works of the link are off the list.
    assert unmatched_sensor(hass, entry).state == "2"
    assert flow["description_placeholders"]["work"] == "Forbidden Games (1952)"

    flow = await answer(client, flow, "none")
    assert coordinator.state.alone == {(Side.PLEX, FORBIDDEN.key)}
    assert unmatched_sensor(hass, entry).state == "1"
    assert flow["description_placeholders"]["work"] == "Jeux interdits (1952)"
    assert flow["description_placeholders"]["original"] == " (Jeux)"

    flow = await answer(client, flow, "skip")
    assert flow == flow | {"type": "abort", "reason": "review_skipped"}
    issue = ir.async_get(hass).async_get_issue(DOMAIN, f"unmatched_{entry.entry_id}")
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["count"] == "1"

    # The next sync keeps the pick, never searches the work said to be alone,
    # and lists only the skipped one.
    searched: list[str] = []
    original = world.senscritique.search

    def counting(title: str, kind: Any, year: int | None) -> list[Any]:
        searched.append(title)
        return original(title, kind, year)

    world.senscritique.search = counting  # type: ignore[method-assign]
    # Every miss due again: a work would be searched if it could be.
    coordinator.pipeline.state = replace(coordinator.state, misses={})
    await coordinator.async_refresh()
    assert "Forbidden Games" not in searched
    assert coordinator.state.links[link.id].provenance is Provenance.MANUAL
    assert [u.title for u in coordinator.data.unmatched] == ["Jeux interdits"]


async def test_a_pick_linked_elsewhere_meanwhile_is_refused(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry, hass_client: Any
) -> None:
    assert await async_setup_component(hass, REPAIRS, {})
    seed(world)
    world.plex.add(OTHER, rating=5)
    await setup(hass, entry)
    coordinator = entry.runtime_data.coordinator

    client, flow = await open_review(hass_client, entry)
    assert flow["description_placeholders"]["work"] == "Contempt (1963)"
    await hass.services.async_call(
        DOMAIN,
        "link",
        {
            "config_entry_id": entry.entry_id,
            "senscritique_id": MEPRIS.key,
            "plex_guid": OTHER.key,
        },
        blocking=True,
    )

    flow = await answer(client, flow, MEPRIS.key)

    assert flow["errors"] == {"base": "already_linked"}
    assert [lk.plex for lk in coordinator.state.links.values()] == [OTHER.key]


async def test_the_review_ends_when_every_work_is_answered(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry, hass_client: Any
) -> None:
    assert await async_setup_component(hass, REPAIRS, {})
    world.plex.add(CONTEMPT, rating=7)
    world.senscritique.add(MEPRIS, rating=8)
    await setup(hass, entry)

    client, flow = await open_review(hass_client, entry)
    flow = await answer(client, flow, MEPRIS.key)

    assert flow["type"] == "create_entry"
    assert (
        ir.async_get(hass).async_get_issue(DOMAIN, f"unmatched_{entry.entry_id}")
        is None
    )
    assert unmatched_sensor(hass, entry).state == "0"
