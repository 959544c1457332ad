"""The community GraphQL host of the Plex simulator: account ratings and
watch history, paged by cursor.

Nodes use the real shapes (reference, "Real-world shapes"): upper-case
``type``, ISO dates with milliseconds, hex ids, and an episode whose season
is gone from the catalogue comes with ``parent`` and ``grandparent`` null.
"""

from __future__ import annotations

import json

from . import plex_account_shapes as account_shapes
from .plex_routes import Reply, Request, json_reply
from .plex_state import PlexState


def community(state: PlexState, req: Request, uuid: str) -> tuple[str, Reply]:
    """Returns (operation kind, reply)."""
    if req.path != "/api" or req.method != "POST":
        raise LookupError(req.path)
    try:
        body = json.loads(req.body)
        query, variables = body["query"], body.get("variables") or {}
        first = int(variables.get("first", 50))
        after = int(variables["after"]) if variables.get("after") else 0
    except (ValueError, KeyError, TypeError):
        return "invalid", json_reply(
            {"errors": [{"message": "Bad request"}], "data": None}, 400
        )
    if variables.get("uuid") != uuid:
        return "user", json_reply(
            {"errors": [{"message": "User not found"}], "data": {"user": None}}
        )
    if "reviews(" in query:
        field_name = "reviews"
        rated = sorted(
            (
                (st.rated_at or 0, h, st.rating)
                for h, st in state.account.items()
                if st.rating is not None
            ),
            reverse=True,
        )
        nodes = [
            {
                "__typename": "ActivityRating",
                "id": f"r-{h}",
                "date": account_shapes.iso(at),
                "rating": value,
                "metadataItem": account_shapes.graphql_item(state, state.catalog[h]),
            }
            for at, h, value in rated
            if h in state.catalog
        ]
    elif "watchHistory(" in query:
        field_name = "watchHistory"
        rows = sorted(state.history, key=lambda r: r[1], reverse=True)
        nodes = [
            {
                "id": f"h-{h}-{at}",
                "date": account_shapes.iso(at),
                "metadataItem": account_shapes.graphql_item(state, state.catalog[h]),
            }
            for h, at in rows
            if h in state.catalog
        ]
    else:
        return "unknown", json_reply(
            {"errors": [{"message": "Cannot query field"}], "data": None}
        )
    chunk = nodes[after : after + first]
    end = after + len(chunk)
    info = {
        "hasNextPage": end < len(nodes),
        "hasPreviousPage": after > 0,
        "endCursor": str(end),
    }
    return field_name, json_reply(
        {"data": {"user": {field_name: {"nodes": chunk, "pageInfo": info}}}}
    )
