"""Undoing writes, pure: what a side showed before a write (`Op.before`), the
write that puts it back, and the writes a user undid that the sync must not
make again.

An undone write leaves the two sides disagreeing on purpose (the user wanted
the other side's change not to travel). The three-way merge alone would make
the write again; a `Declined` record keeps it from doing so while both sides
still show what they showed once the undo was written. Any change on either
side ends the record, and the sync goes on from there as usual.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum

from .link_view import LIST, NAME, shown_on
from .model import Action, Declined, Feature, Link, Shown, Side, Snapshot
from .plans import Op
from .settings import Capabilities


class NotUndone(StrEnum):
    """Why a write was not put back."""

    CHANGED_SINCE = "changed_since"  # the side shows something else now
    BEFORE_UNKNOWN = "before_unknown"  # what it showed before was not recorded
    CANNOT_CLEAR_RATING = "cannot_clear_rating"
    CANNOT_UNWATCH = "cannot_unwatch"
    CANNOT_SET_DATE = "cannot_set_date"  # Plex cannot backdate a watch
    NOT_WRITABLE = "not_writable"  # the side takes no such write (read-only)


def made(op: Op) -> Shown:
    """What the write made its side show (a watch's date aside: Plex records
    "now" instead of the date written)."""
    present = op.action in {
        Action.ADD_WATCHLIST,
        Action.SET_RATING,
        Action.MARK_WATCHED,
    }
    return Shown(present, value=op.value if op.action is Action.SET_RATING else None)


def still_shows(op: Op, snapshot: Snapshot) -> bool:
    """Whether the side still shows what the write made it show: if not, the
    user changed it since, and an undo leaves it alone."""
    now = shown_on(snapshot, op.key, op.feature)
    wrote = made(op)
    return now.present == wrote.present and now.value == wrote.value


def inverse(
    op: Op, capabilities: Capabilities, *, title: str, because: str
) -> Op | NotUndone:
    """The write that puts `op`'s side back as it was, worded for a person,
    or why that cannot be done."""
    before = op.before
    if before is None:
        return NotUndone.BEFORE_UNKNOWN
    action, value, at = _back(op, before)
    if action is None:
        return NotUndone.CANNOT_SET_DATE
    if not capabilities.allows(action):
        return {
            Action.CLEAR_RATING: NotUndone.CANNOT_CLEAR_RATING,
            Action.MARK_UNWATCHED: NotUndone.CANNOT_UNWATCH,
        }.get(action, NotUndone.NOT_WRITABLE)
    if (
        action is Action.MARK_WATCHED
        and op.action is Action.MARK_WATCHED
        and not capabilities.set_watched_date
    ):
        return NotUndone.CANNOT_SET_DATE
    reason = f"{_done(action, op.side, title, value)} because {because}."
    # A watch put back with its date shows it where the side keeps dates.
    keeps = action is Action.MARK_WATCHED and capabilities.set_watched_date
    shown_on = frozenset({op.side}) if keeps and at is not None else frozenset()
    return Op(
        op.side,
        action,
        op.key,
        op.link,
        reason,
        value,
        at,
        before=made(op),
        at_shown_on=shown_on,
    )


def _back(op: Op, before: Shown) -> tuple[Action | None, int | None, datetime | None]:
    """(action, value, date) that shows `before` again; action None: none can
    (a watch that had no known date before its date was changed)."""
    match op.action:
        case Action.ADD_WATCHLIST:
            return Action.REMOVE_WATCHLIST, None, None
        case Action.REMOVE_WATCHLIST:
            return Action.ADD_WATCHLIST, None, None
        case Action.SET_RATING | Action.CLEAR_RATING:
            if before.present:
                return Action.SET_RATING, before.value, before.at
            return Action.CLEAR_RATING, None, None
        case Action.MARK_WATCHED:
            if not before.present:
                return Action.MARK_UNWATCHED, None, None
            if before.at is None:
                return None, None, None
            return Action.MARK_WATCHED, None, before.at
        case Action.MARK_UNWATCHED:
            return Action.MARK_WATCHED, None, before.at
    raise AssertionError(op.action)  # pragma: no cover - exhaustive


def _done(action: Action, side: Side, title: str, value: int | None) -> str:
    """The undo's write in plain words ("Rated Heat 7/10 on Plex")."""
    match action:
        case Action.ADD_WATCHLIST:
            return f"Added {title} back to {LIST[side]}"
        case Action.REMOVE_WATCHLIST:
            return f"Removed {title} from {LIST[side]}"
        case Action.SET_RATING:
            return f"Rated {title} {value}/10 on {NAME[side]} again"
        case Action.CLEAR_RATING:
            return f"Cleared the {NAME[side]} rating of {title}"
        case Action.MARK_WATCHED:
            return f"Marked {title} watched on {NAME[side]} again"
        case Action.MARK_UNWATCHED:
            return f"Marked {title} unwatched on {NAME[side]}"
    raise AssertionError(action)  # pragma: no cover - exhaustive


def _sign(feature: Feature, shown: Shown) -> Shown:
    """What counts of `shown` for `feature`: listed, watched; rated and the
    rating. Dates do not: a rating's date moves with no change of the user's,
    and Plex shows "now" for a watch written with another date."""
    if feature is Feature.RATINGS:
        return Shown(shown.present, value=shown.value)
    return Shown(shown.present)


def declined(link: Link, feature: Feature, shows: Mapping[Side, Shown]) -> Declined:
    """The record that keeps the sync from making an undone write again, while
    both sides show `shows` (what they showed once the undo was written)."""
    return Declined(
        link.id,
        feature,
        _sign(feature, shows[Side.PLEX]),
        _sign(feature, shows[Side.SENSCRITIQUE]),
    )


def still_declined(record: Declined, shows: Mapping[Side, Shown]) -> bool:
    """Whether neither side moved since the undo."""
    return all(
        record.shown(side).same(_sign(record.feature, shows[side])) for side in Side
    )
