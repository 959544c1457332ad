"""The writes of one Op, as plexapi sends them on the wire.

Library items (known ratingKey on the connected server) are written on the
PMS: PUT /:/rate, GET /:/scrobble|/:/unscrobble (what item.rate() /
markPlayed() send), whatever their agent. Works outside the library are
written at account level:
Discover actions/addToWatchlist|removeFromWatchlist|rate and the metadata
host's actions/scrobble|unscrobble (what account.addToWatchlist(),
markPlayed() send; Discover rating is the raw call plexapi does not wrap).
The watchlist calls skip plexapi's userState pre-check, so adding a work
already there (or removing one already gone) is a harmless repeat, not an
error, and costs one request instead of two.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..engine.errors import Unsupported
from ..engine.model import Action, Kind, Side
from ..engine.plans import Op
from ..engine.scale import rating_to_plex

DISCOVER = "https://discover.provider.plex.tv"
METADATA = "https://metadata.provider.plex.tv"
LIBRARY_ID = "com.plexapp.plugins.library"

Query = Callable[..., Any]


@dataclass(frozen=True, slots=True)
class Target:
    """Where one Op lands: the Discover id (None for a legacy library item
    rated or watched), and the library ratingKey if any.

    `account_too`: a removal on a library item is also made at account level
    on the Discover id, because the read folded the account's own record of
    the film into the library item (a legacy-agent item, see fold.py); left
    there, that older record would show up again as if newly made.
    """

    hex_id: str | None
    kind: Kind
    rating_key: str | None
    account_too: bool = False

    @property
    def discover_id(self) -> str:
        if self.hex_id is None:
            raise Unsupported(Side.PLEX, "this library item has no Discover item")
        return self.hex_id


def parse_key(key: str) -> tuple[Kind, str]:
    """plex://<kind>/<hex> -> (kind, hex)."""
    prefix, _, rest = key.partition("://")
    kind_name, _, hex_id = rest.partition("/")
    if prefix != "plex" or not hex_id or "/" in hex_id:
        raise Unsupported(Side.PLEX, f"not a Plex Discover key: {key!r}")
    try:
        return Kind(kind_name), hex_id
    except ValueError:
        raise Unsupported(Side.PLEX, f"unknown kind in key {key!r}") from None


def _plex_rating(op: Op) -> str:
    if op.value is None:
        raise ValueError("a rating Op needs a value")
    return f"{rating_to_plex(op.value):g}"


def apply(
    op: Op,
    target: Target,
    *,
    account_query: Query,
    server_query: Query | None,
    put: Callable[..., Any],
) -> None:
    """Sends the request `op` needs (two for a removal `account_too`)."""
    action = op.action
    if action in (Action.ADD_WATCHLIST, Action.REMOVE_WATCHLIST):
        if target.kind not in (Kind.MOVIE, Kind.SHOW):
            raise Unsupported(
                Side.PLEX, "only films and series can be on the Plex watchlist"
            )
        name = (
            "addToWatchlist"
            if action is Action.ADD_WATCHLIST
            else "removeFromWatchlist"
        )
        account_query(
            f"{DISCOVER}/actions/{name}",
            method=put,
            params={"ratingKey": target.discover_id},
        )
        return
    in_library = target.rating_key is not None and server_query is not None
    at_account = not in_library or (target.account_too and action.is_removal)
    if action in (Action.SET_RATING, Action.CLEAR_RATING):
        rating = _plex_rating(op) if action is Action.SET_RATING else "-1"
        if in_library:
            assert server_query is not None
            server_query(
                f"/:/rate?key={target.rating_key}&identifier={LIBRARY_ID}&rating={rating}",
                method=put,
            )
        if at_account:
            account_query(
                f"{DISCOVER}/actions/rate",
                method=put,
                params={
                    "identifier": "tv.plex.provider.discover",
                    "key": target.discover_id,
                    "rating": rating,
                },
            )
        return
    verb = "scrobble" if action is Action.MARK_WATCHED else "unscrobble"
    if in_library:
        assert server_query is not None
        server_query(f"/:/{verb}?key={target.rating_key}&identifier={LIBRARY_ID}")
    if at_account:
        account_query(
            f"{METADATA}/actions/{verb}",
            params={"key": target.discover_id, "identifier": LIBRARY_ID},
        )
