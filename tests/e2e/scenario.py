"""Steps shared by the demo and the end-to-end tests, each through the public
APIs a person's browser uses: the config-flow HTTP API, the service API and
the WebSocket API (entity registry, dashboards)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from .hass_process import HassClient, HassError

DOMAIN = "plexsync"
DASHBOARD_URL = "plexsync-demo"
DASHBOARD_TITLE = "PlexSync"

# unique_id suffix -> the label the dashboard gives it (in this order)
STATUS_ROWS = {
    "status": "Sync status",
    "last_run": "Last run",
    "last_success": "Last successful sync",
    "linked": "Linked works",
    "unmatched": "Unmatched works",
    "pending": "Pending writes",
    "held": "Held removals",
    "sync": "Sync now",
}
COUNT_ROWS = {
    f"{feature}_{side}": f"{label} on {name}"
    for feature, label in (
        ("watchlist", "Watchlist"),
        ("ratings", "Ratings"),
        ("watched", "Watched"),
    )
    for side, name in (("plex", "Plex"), ("senscritique", "SensCritique"))
}


async def create_entry(
    client: HassClient, info: dict[str, Any], person: dict[str, Any] | None = None
) -> str:
    """Go through PlexSync's config flow (Plex token, whose data and the PIN
    when the account has a Plex Home, server, SensCritique account) exactly
    as the frontend does, for `person` of info["people"] (default: the
    account's own data with info["senscritique"]); return the new entry's id."""
    result = await client.start_flow(DOMAIN)
    _expect(result, "form", "user")
    result = await client.flow_step(
        result["flow_id"], {"plex_token": info["plex"]["token"]}
    )
    if result.get("step_id") == "plex_user":
        plex_user = person["plex_user"] if person else "account"
        result = await client.flow_step(result["flow_id"], {"plex_user_id": plex_user})
    if result.get("step_id") == "plex_user_pin":
        assert person is not None
        result = await client.flow_step(result["flow_id"], {"home_pin": person["pin"]})
    if result.get("step_id") == "server":
        result = await client.flow_step(
            result["flow_id"], {"plex_server_id": info["plex"]["server_id"]}
        )
    _expect(result, "menu", "senscritique")
    result = await client.flow_step(
        result["flow_id"], {"next_step_id": "senscritique_account"}
    )
    _expect(result, "form", "senscritique_account")
    sc = person["senscritique"] if person else info["senscritique"]
    result = await client.flow_step(
        result["flow_id"],
        {"senscritique_email": sc["email"], "senscritique_password": sc["password"]},
    )
    result = await preview_first_sync(client, result)
    result = await client.flow_step(result["flow_id"], {"next_step_id": "start_sync"})
    _expect(result, "create_entry", None)
    return str(result["result"]["entry_id"])


async def preview_first_sync(
    client: HassClient, result: dict[str, Any], within: float = 120
) -> dict[str, Any]:
    """From the features form (submitted as shown) to the first sync's
    preview, waiting out the progress step as the frontend does."""
    _expect(result, "form", "features")
    shown = {
        field["name"]: field["description"]["suggested_value"]
        for field in result["data_schema"]
        if "suggested_value" in (field.get("description") or {})
    }
    result = await client.flow_step(result["flow_id"], shown)
    deadline = asyncio.get_running_loop().time() + within
    while result.get("type") == "progress":
        if asyncio.get_running_loop().time() > deadline:
            raise HassError("the first sync's preview did not finish")
        await asyncio.sleep(0.5)
        result = await client.flow_get(result["flow_id"])
    _expect(result, "menu", "first_sync")
    return result


def _expect(result: dict[str, Any], kind: str, step: str | None) -> None:
    if result.get("type") != kind or (step and result.get("step_id") != step):
        raise HassError(
            f"config flow: expected {kind} {step or ''}, got {result.get('type')} "
            f"{result.get('step_id')} errors={result.get('errors')} "
            f"reason={result.get('reason')}"
        )


async def ensure_entries(client: HassClient, info: dict[str, Any]) -> list[str]:
    """Each person's entry (info["people"]): the existing one (its title ends
    with their SensCritique username), or a new one through the config flow."""
    ids = []
    for person in info["people"]:
        suffix = f"SensCritique: {person['senscritique']['username']}"
        entries = await client.config_entries(DOMAIN)
        found = [e for e in entries if str(e["title"]).endswith(suffix)]
        if found:
            ids.append(str(found[0]["entry_id"]))
        else:
            ids.append(await create_entry(client, info, person))
    return ids


async def _registry(client: HassClient, entry_id: str) -> list[dict[str, Any]]:
    (registry,) = await client.websocket({"type": "config/entity_registry/list"})
    return [
        item
        for item in registry
        if item.get("platform") == DOMAIN
        and item.get("config_entry_id") == entry_id
        and item["unique_id"].startswith(f"{entry_id}_")
    ]


async def entities(client: HassClient, entry_id: str) -> dict[str, str]:
    """unique_id suffix ("status", "sync", "watchlist", ...) -> entity_id,
    for the entry's enabled entities."""
    return {
        item["unique_id"].removeprefix(f"{entry_id}_"): item["entity_id"]
        for item in await _registry(client, entry_id)
        if item.get("disabled_by") is None
    }


async def enable_counts(client: HassClient, entry_id: str) -> bool:
    """Enable the per-side count sensors (off by default); True when any was
    off, in which case the entry must be reloaded for them to appear."""
    changed = False
    for item in await _registry(client, entry_id):
        key = item["unique_id"].removeprefix(f"{entry_id}_")
        if key in COUNT_ROWS and item.get("disabled_by") is not None:
            await client.websocket(
                {
                    "type": "config/entity_registry/update",
                    "entity_id": item["entity_id"],
                    "disabled_by": None,
                }
            )
            changed = True
    return changed


async def reload_entry(client: HassClient, entry_id: str) -> None:
    """Reload the entry (its set-up runs a sync) and wait until it is loaded."""
    await client.call_path(
        "POST", f"/api/config/config_entries/entry/{entry_id}/reload"
    )
    await wait_loaded(client)


async def wait_loaded(client: HassClient, within: float = 300) -> None:
    """Wait for every PlexSync entry's set-up, which can end well after HA
    answers HTTP (it runs a first sync)."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        states = {e["state"] for e in await client.config_entries(DOMAIN)}
        if states == {"loaded"}:
            return
        if states - {"loaded", "not_loaded", "setup_in_progress", "setup_retry"}:
            raise HassError(f"a PlexSync entry is {states}: see the log")
        if asyncio.get_running_loop().time() > deadline:
            raise HassError(f"the PlexSync entries are still {states}")
        await asyncio.sleep(0.5)


def dashboard_config(
    ids: dict[str, str], others: Sequence[tuple[str, dict[str, str]]] = ()
) -> dict[str, Any]:
    """One view per entry (`ids` first, then each of `others`: its title and
    entity ids): status and the Sync now button, counts, the watchlist."""
    views = [_view(ids, "PlexSync", "sync")]
    views += [
        _view(more, title, f"sync-{n}") for n, (title, more) in enumerate(others, 2)
    ]
    return {"title": DASHBOARD_TITLE, "views": views}


def _view(ids: dict[str, str], title: str, path: str) -> dict[str, Any]:

    def rows(labels: dict[str, str]) -> list[dict[str, Any]]:
        return [
            {"entity": ids[key], "name": label}
            for key, label in labels.items()
            if key in ids
        ]

    # Why the status is what it is, and when the next run is due: attributes
    # of the status and Last run sensors, under their own rows.
    status_rows = rows(STATUS_ROWS)
    status_rows[1:1] = [
        {
            "type": "attribute",
            "entity": ids["status"],
            "attribute": "reason",
            "name": "Why",
        }
    ]
    status_rows[3:3] = [
        {
            "type": "attribute",
            "entity": ids["last_run"],
            "attribute": "next_run",
            "name": "Next run",
            "format": "relative",
        }
    ]

    # The per-side counts start disabled; show them once someone enables them.
    counts = rows(COUNT_ROWS)
    count_cards = (
        [
            {
                "type": "glance",
                "title": "Plex and SensCritique",
                "columns": 2,
                "entities": counts,
            }
        ]
        if counts
        else []
    )
    return {
        "title": title,
        "path": path,
        "cards": [
            {"type": "entities", "title": "Sync", "entities": status_rows},
            *count_cards,
            {"type": "todo-list", "title": "Watchlist", "entity": ids["watchlist"]},
        ],
    }


async def ensure_dashboard(
    client: HassClient,
    ids: dict[str, str],
    others: Sequence[tuple[str, dict[str, str]]] = (),
) -> str:
    """Create the dashboard once (storage mode) and (re)write its cards (a
    view per entry: `ids`'s, then `others`')."""
    (dashboards,) = await client.websocket({"type": "lovelace/dashboards/list"})
    if not any(d["url_path"] == DASHBOARD_URL for d in dashboards):
        await client.websocket(
            {
                "type": "lovelace/dashboards/create",
                "url_path": DASHBOARD_URL,
                "title": DASHBOARD_TITLE,
                "icon": "mdi:sync",
                "show_in_sidebar": True,
                "require_admin": False,
                "mode": "storage",
            }
        )
    await client.websocket(
        {
            "type": "lovelace/config/save",
            "url_path": DASHBOARD_URL,
            "config": dashboard_config(ids, others),
        }
    )
    return DASHBOARD_URL


async def sync(client: HassClient, entry_id: str, **data: Any) -> dict[str, Any]:
    """plexsync.sync through the service API; returns the service response."""
    reply = await client.call_service(
        DOMAIN, "sync", {"config_entry_id": entry_id, **data}, response=True
    )
    return dict(reply["service_response"])
