"""Steps shared by the demo and the end-to-end tests, each through the public
APIs a person's browser uses: the config-flow HTTP API, the service API and
the WebSocket API (entity registry, dashboards)."""

from __future__ import annotations

from typing import Any

from .hass_process import HassClient, HassError

DOMAIN = "plexsync"
DASHBOARD_URL = "plexsync-demo"
DASHBOARD_TITLE = "PlexSync"

# unique_id suffix -> what the dashboard shows (in this order)
STATUS_SENSORS = ("status", "last_success", "linked", "unmatched", "pending", "held")
COUNT_SENSORS = tuple(
    f"{feature}_{side}"
    for feature in ("watchlist", "ratings", "watched")
    for side in ("plex", "senscritique")
)


async def create_entry(client: HassClient, info: dict[str, Any]) -> str:
    """Go through PlexSync's config flow (Plex token, server, SensCritique
    account) exactly as the frontend does; return the new entry's id."""
    result = await client.start_flow(DOMAIN)
    _expect(result, "form", "user")
    result = await client.flow_step(
        result["flow_id"], {"plex_token": info["plex"]["token"]}
    )
    if result.get("step_id") == "server":
        result = await client.flow_step(
            result["flow_id"], {"plex_server_id": info["plex"]["server_id"]}
        )
    _expect(result, "menu", "senscritique")
    result = await client.flow_step(
        result["flow_id"], {"next_step_id": "senscritique_account"}
    )
    _expect(result, "form", "senscritique_account")
    sc = info["senscritique"]
    result = await client.flow_step(
        result["flow_id"],
        {"senscritique_email": sc["email"], "senscritique_password": sc["password"]},
    )
    _expect(result, "create_entry", None)
    return str(result["result"]["entry_id"])


def _expect(result: dict[str, Any], kind: str, step: str | None) -> None:
    if result.get("type") != kind or (step and result.get("step_id") != step):
        raise HassError(
            f"config flow: expected {kind} {step or ''}, got {result.get('type')} "
            f"{result.get('step_id')} errors={result.get('errors')} "
            f"reason={result.get('reason')}"
        )


async def ensure_entry(client: HassClient, info: dict[str, Any]) -> str:
    """The existing PlexSync entry, or a new one through the config flow."""
    entries = await client.config_entries(DOMAIN)
    if entries:
        return str(entries[0]["entry_id"])
    return await create_entry(client, info)


async def entities(client: HassClient, entry_id: str) -> dict[str, str]:
    """unique_id suffix ("status", "sync", "watchlist", ...) -> entity_id."""
    (registry,) = await client.websocket({"type": "config/entity_registry/list"})
    prefix = f"{entry_id}_"
    return {
        item["unique_id"].removeprefix(prefix): item["entity_id"]
        for item in registry
        if item.get("platform") == DOMAIN
        and item.get("config_entry_id") == entry_id
        and item["unique_id"].startswith(prefix)
    }


def dashboard_config(ids: dict[str, str]) -> dict[str, Any]:
    """One view: status, the Sync now button, counts and the watchlist."""
    return {
        "title": DASHBOARD_TITLE,
        "views": [
            {
                "title": "PlexSync",
                "path": "sync",
                "cards": [
                    {
                        "type": "entities",
                        "title": "Sync",
                        "entities": [
                            ids[key] for key in STATUS_SENSORS if key in ids
                        ]
                        + [ids["sync"]],
                    },
                    {
                        "type": "glance",
                        "title": "Plex and SensCritique",
                        "columns": 2,
                        "entities": [ids[key] for key in COUNT_SENSORS if key in ids],
                    },
                    {"type": "todo-list", "entity": ids["watchlist"]},
                ],
            }
        ],
    }


async def ensure_dashboard(client: HassClient, ids: dict[str, str]) -> str:
    """Create the dashboard once (storage mode) and (re)write its cards."""
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
            "config": dashboard_config(ids),
        }
    )
    return DASHBOARD_URL


async def sync(client: HassClient, entry_id: str, **data: Any) -> dict[str, Any]:
    """plexsync.sync through the service API; returns the service response."""
    reply = await client.call_service(
        DOMAIN, "sync", {"config_entry_id": entry_id, **data}, response=True
    )
    return dict(reply["service_response"])
