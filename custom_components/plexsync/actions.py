"""Actions on one work, as a person asks for them (automations, a phone
notification's buttons): plexsync.rate, plexsync.mark_watched,
plexsync.add_to_watchlist, plexsync.remove_from_watchlist.

A call names the work by its SensCritique id, its Plex GUID, or its title
(and year): by id, the link of that work gives the other side's key; by
title, both services are searched as the to-do list searches them
(watchlist.async_find) and a link the matcher is sure of is kept. Each side
that knows the work and can take the write gets it (watchlist.can_write;
nothing on SensCritique in read-only mode); `mark_watched` writes Plex only
for a work Plex already holds (linked, or in the last read), so a film seen
at the cinema goes to SensCritique only. The writes go through the
coordinator as the to-do list's do (recorded in the base when they left both
sides agreeing, kept for an undo), and the answer lists them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import voluptuous as vol
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
)
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import config_validation as cv
from homeassistant.util import dt as dt_util

from .changes import Title, change
from .const import DOMAIN
from .coordinator import SERVICE_NAMES, PlexSyncCoordinator
from .engine.errors import SyncServiceError
from .engine.link_view import LIST, NAME
from .engine.model import Action, Kind, Link, Side, Work
from .engine.plans import Op
from .services import (
    ATTR_CONFIG_ENTRY_ID,
    ATTR_PLEX_GUID,
    ATTR_SENSCRITIQUE_ID,
    ENTRY_ID,
    KEY,
    invalid,
    loaded_entry,
    plex_guid,
    senscritique_id,
    service_error,
)
from .watchlist import async_adopt_link, async_capabilities, async_find, can_write

if TYPE_CHECKING:
    from .coordinator import PlexSyncConfigEntry

ATTR_TITLE = "title"
ATTR_YEAR = "year"
ATTR_RATING = "rating"
ATTR_CLEAR = "clear"
ATTR_DATE = "date"

SERVICE_RATE = "rate"
SERVICE_MARK_WATCHED = "mark_watched"
SERVICE_ADD_TO_WATCHLIST = "add_to_watchlist"
SERVICE_REMOVE_FROM_WATCHLIST = "remove_from_watchlist"

MAX_TITLE = 200
WORK_FIELDS: dict[vol.Marker, Any] = {
    vol.Required(ATTR_CONFIG_ENTRY_ID): ENTRY_ID,
    vol.Optional(ATTR_TITLE): vol.All(cv.string, vol.Length(min=1, max=MAX_TITLE)),
    vol.Optional(ATTR_YEAR): vol.All(vol.Coerce(int), vol.Range(min=1870, max=2200)),
    vol.Optional(ATTR_SENSCRITIQUE_ID): KEY,
    vol.Optional(ATTR_PLEX_GUID): KEY,
}
_A_WORK = cv.has_at_least_one_key(ATTR_TITLE, ATTR_SENSCRITIQUE_ID, ATTR_PLEX_GUID)
WORK_SCHEMA = vol.All(vol.Schema(WORK_FIELDS), _A_WORK)
RATE_SCHEMA = vol.All(
    vol.Schema(
        {
            **WORK_FIELDS,
            vol.Optional(ATTR_RATING): vol.All(
                vol.Coerce(int), vol.Range(min=1, max=10)
            ),
            vol.Optional(ATTR_CLEAR, default=False): cv.boolean,
        }
    ),
    _A_WORK,
)
WATCHED_SCHEMA = vol.All(
    vol.Schema({**WORK_FIELDS, vol.Optional(ATTR_DATE): cv.date}), _A_WORK
)

_REASONS = {
    Action.SET_RATING: "Rated {work} {value}/10 on {service} because you asked to.",
    Action.CLEAR_RATING: "Removed the rating of {work} on {service} because you "
    "asked to.",
    Action.MARK_WATCHED: "Marked {work} watched on {service} because you asked to.",
    Action.ADD_WATCHLIST: "Added {work} to {list} because you asked to.",
    Action.REMOVE_WATCHLIST: "Removed {work} from {list} because you asked to.",
}


@dataclass(frozen=True, slots=True)
class Target:
    """The work a call names: its key on each side that knows it."""

    title: Title
    kind: Kind
    keys: dict[Side, str]
    link: str  # its link's id, "" when not linked
    held_by_plex: bool  # linked before the call, or in the last read of Plex


async def _work(coordinator: PlexSyncCoordinator, side: Side, key: str) -> Work:
    """The work `key` of `side`: from the last read, else looked up."""
    work = coordinator.data.works.get(side, {}).get(key)
    if work is None:
        work = await coordinator.sides.lookup(side, key)
    if work is None:
        raise invalid("unknown_work", service=SERVICE_NAMES[side], key=key)
    return work


def _linked(coordinator: PlexSyncCoordinator, side: Side, key: str) -> Link | None:
    links = coordinator.state.links.values()
    return next((link for link in links if link.key_on(side) == key), None)


async def async_target(
    coordinator: PlexSyncCoordinator, data: dict[str, Any]
) -> Target:
    """The work the call names (module docstring), or a translated error."""
    named: tuple[Side, str] | None = None
    if text := data.get(ATTR_SENSCRITIQUE_ID):
        named = Side.SENSCRITIQUE, senscritique_id(text)
    elif text := data.get(ATTR_PLEX_GUID):
        named = Side.PLEX, plex_guid(text)
    found: dict[Side, Work] = {}
    link: Link | None = None
    if named is not None:
        side, key = named
        found[side] = await _work(coordinator, side, key)
        link = known = _linked(coordinator, side, key)
    else:
        title = data[ATTR_TITLE].strip()
        sc_work, plex_work, match = await async_find(
            coordinator, title, data.get(ATTR_YEAR)
        )
        found = {
            s: w for s, w in ((Side.SENSCRITIQUE, sc_work), (Side.PLEX, plex_work)) if w
        }
        if not found:
            raise invalid("action_work_not_found", title=title)
        linked = (_linked(coordinator, s, w.key) for s, w in found.items())
        link = known = next((each for each in linked if each is not None), None)
        adopted = ""
        if link is None and match is not None:
            adopted = await async_adopt_link(coordinator, match)
        if adopted:
            link = coordinator.state.links[adopted]
    keys = {side: work.key for side, work in found.items()}
    if link is not None:
        keys = {side: link.key_on(side) for side in Side}
    work = next(iter(found.values()))
    plex_read = coordinator.data.works.get(Side.PLEX, {})
    return Target(
        Title(work.title, work.year),
        link.kind if link is not None else work.kind,
        keys,
        link.id if link is not None else "",
        known is not None or keys.get(Side.PLEX) in plex_read,
    )


async def async_act(
    entry: PlexSyncConfigEntry,
    data: dict[str, Any],
    action: Action,
    *,
    value: int | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    """Make `action` on the work `data` names, on every side that takes it."""
    coordinator = entry.runtime_data.coordinator
    try:
        target = await async_target(coordinator, data)
        capabilities = await async_capabilities(coordinator)
    except SyncServiceError as err:
        raise service_error(entry, err) from err
    ops: list[Op] = []
    for side, key in target.keys.items():
        if side is Side.SENSCRITIQUE and coordinator.read_only:
            continue
        seen_elsewhere = action is Action.MARK_WATCHED and not target.held_by_plex
        if side is Side.PLEX and seen_elsewhere:
            continue  # SensCritique only
        if not can_write(capabilities[side], action, target.kind):
            continue
        reason = _REASONS[action].format(
            work=target.title.quoted(),
            value=value,
            service=NAME[side],
            list=LIST[side],
        )
        ops.append(
            Op(
                side,
                action,
                key,
                target.link,
                reason,
                value,
                at or dt_util.utcnow(),
                title=target.title.title,
            )
        )
    if not ops:
        raise invalid(
            "action_nothing_to_write",
            title=target.title.quoted(),
            services=" / ".join(NAME[side] for side in target.keys),
        )
    try:
        failed = {
            f.op: f.error
            for f in await coordinator.async_write(ops, [target.title] * len(ops))
        }
    except SyncServiceError as err:
        raise service_error(entry, err) from err
    changes = []
    for op in ops:
        made = change(op, target.title)
        made["result"] = "failed" if op in failed else "done"
        if op in failed:
            made["error"] = failed[op]
        changes.append(made)
    if len(failed) == len(ops):
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="action_failed",
            translation_placeholders={
                "title": target.title.quoted(),
                "error": "; ".join(failed.values()),
            },
        )
    return {"title": target.title.title, "year": target.title.year, "changes": changes}


def async_setup_actions(hass: HomeAssistant) -> None:
    """Register the actions on one work."""

    async def rate(call: ServiceCall) -> ServiceResponse:
        entry = loaded_entry(hass, call.data[ATTR_CONFIG_ENTRY_ID])
        value, clear = call.data.get(ATTR_RATING), call.data[ATTR_CLEAR]
        if (value is None) == (not clear):
            raise invalid("rating_or_clear")
        action = Action.CLEAR_RATING if clear else Action.SET_RATING
        answer = await async_act(entry, dict(call.data), action, value=value)
        return answer if call.return_response else None

    async def mark_watched(call: ServiceCall) -> ServiceResponse:
        entry = loaded_entry(hass, call.data[ATTR_CONFIG_ENTRY_ID])
        day: date | None = call.data.get(ATTR_DATE)
        at = None
        if day is not None:
            if day > dt_util.now().date():
                raise invalid("date_in_future", date=day.isoformat())
            at = dt_util.start_of_local_day(day)
        answer = await async_act(entry, dict(call.data), Action.MARK_WATCHED, at=at)
        return answer if call.return_response else None

    def watchlist(action: Action) -> Any:
        async def handle(call: ServiceCall) -> ServiceResponse:
            entry = loaded_entry(hass, call.data[ATTR_CONFIG_ENTRY_ID])
            answer = await async_act(entry, dict(call.data), action)
            return answer if call.return_response else None

        return handle

    for name, handler, schema in (
        (SERVICE_RATE, rate, RATE_SCHEMA),
        (SERVICE_MARK_WATCHED, mark_watched, WATCHED_SCHEMA),
        (SERVICE_ADD_TO_WATCHLIST, watchlist(Action.ADD_WATCHLIST), WORK_SCHEMA),
        (
            SERVICE_REMOVE_FROM_WATCHLIST,
            watchlist(Action.REMOVE_WATCHLIST),
            WORK_SCHEMA,
        ),
    ):
        hass.services.async_register(
            DOMAIN,
            name,
            handler,
            schema=schema,
            supports_response=SupportsResponse.OPTIONAL,
        )
