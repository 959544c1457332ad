"""The description under each to-do item: where the work stands.

On which side(s) it is listed, whether it is matched, writes still awaited or
not made, the ratings, and why a watched work is under "Completed". Home
Assistant renders a to-do item's description as it is given and does not
translate it, so it is written in English, like Home Assistant's own
logbook entries (README, "Languages").
"""

from __future__ import annotations

from .engine.link_view import LIST, NAME as SERVICE
from .engine.model import Action, Side
from .watchlist_items import WatchlistItem

_WRITE = {
    Action.ADD_WATCHLIST: "add it to {list}",
    Action.REMOVE_WATCHLIST: "remove it from {list}",
    Action.SET_RATING: "rate it {value}/10 on {service}",
    Action.CLEAR_RATING: "clear its rating on {service}",
    Action.MARK_WATCHED: "mark it watched on {service}",
    Action.MARK_UNWATCHED: "mark it unwatched on {service}",
}


def _listed(item: WatchlistItem) -> str:
    on = [side for side in Side if _on(item, side)]
    if len(on) == len(Side):
        return f"On {LIST[Side.PLEX]} and {LIST[Side.SENSCRITIQUE]}."
    if not on:
        return "On neither list any more."
    (side,) = on
    if item.link is None:
        other = side.other
        return (
            f"On {LIST[side]} only: no match found on {SERVICE[other]}, "
            f"so it is not synced (link it with the plexsync.link action)."
        )
    return f"On {LIST[side]} only."


def _on(item: WatchlistItem, side: Side) -> bool:
    return item.on_plex if side is Side.PLEX else item.on_senscritique


def _writes(item: WatchlistItem) -> list[str]:
    lines: list[str] = []
    for pending in item.awaiting:
        lines.append(
            f"Written to {SERVICE[pending.side]}, which does not show it yet "
            f"(since {pending.since.date().isoformat()})."
        )
    for op in item.unwritten:
        what = _WRITE[op.action].format(
            list=LIST[op.side], service=SERVICE[op.side], value=op.value
        )
        lines.append(f"Not done yet: {what}.")
    return lines


def _ratings(item: WatchlistItem) -> str | None:
    if not item.ratings:
        return None
    parts = [
        f"{value}/10 on {SERVICE[side]}"
        for side in Side
        if (value := item.ratings.get(side)) is not None
    ]
    return f"Rated {' and '.join(parts)}."


def _completed(item: WatchlistItem) -> str | None:
    if not item.watched:
        return None
    parts = []
    for side in Side:
        if side in item.watched_at:
            when = item.watched_at[side]
            on = f" on {when.date().isoformat()}" if when is not None else ""
            parts.append(f"on {SERVICE[side]}{on}")
    return (
        f"Completed because you watched it {' and '.join(parts)}: the watchlist "
        "shows what you watched as completed. Delete it to take it off your "
        "lists."
    )


def describe(item: WatchlistItem) -> str:
    """The item's description, one fact a line."""
    lines = [_listed(item), *_writes(item)]
    lines.extend(line for line in (_ratings(item), _completed(item)) if line)
    return "\n".join(lines)
