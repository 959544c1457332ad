"""One product as the member holds it: what a sync of one work reads.

One request (`PRODUCT_STATE`): the product and the member's marks on it,
decoded into a snapshot of that one work, the same way a full read decodes
them (a wish is on the watchlist, a rating has no date of its own and falls
back to the done date, a done mark is a watch).
"""

from __future__ import annotations

from collections.abc import Mapping

from ..engine.model import Rating, Side, Snapshot, Watch, WatchlistEntry
from . import jsonpath as jp
from .decode import decode_lookup
from .products import UserState, user_state


def decode_item(data: Mapping[str, object]) -> Snapshot | None:
    """An answer to ``PRODUCT_STATE``: the work and the member's marks on it;
    None when SensCritique has no such film, series, season or episode."""
    work = decode_lookup(data)
    if work is None:
        return None
    product = jp.obj(data.get("product"), "product")
    state = user_state(product, "product") or UserState()
    key = work.key
    return Snapshot.build(
        Side.SENSCRITIQUE,
        works=[work],
        watchlist=[WatchlistEntry(key)] if state.wished else [],
        ratings=(
            [Rating(key, state.rating, rated_at=None, watched_at=state.done_at)]
            if state.rating is not None
            else []
        ),
        watched=[Watch(key, state.done_at)] if state.done else [],
    )
