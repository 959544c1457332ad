"""The to-do list's items: the merged watchlist of both sides, each work with
where it stands on each side (listed, rated, watched, writes awaited or not
made), built at the end of each run."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from .engine.model import Action, Kind, Link, Pending, Side, Snapshot, SyncState, Work
from .engine.plans import Op, Plan


@dataclass(frozen=True, slots=True)
class WatchlistItem:
    """One line of the merged watchlist (to-do entity): where the work stands
    on each side once the run's own writes are counted in.

    `ratings` and `watched_at` hold a side only where it rated / watched the
    work (a watch of unknown date is None). `awaiting`: sides where an earlier
    write has not shown yet; `unwritten`: this run's writes for the work that
    were not made (preview only, or they failed).
    """

    uid: str
    title: str
    year: int | None
    plex: str | None
    senscritique: str | None
    link: str | None
    on_plex: bool
    on_senscritique: bool
    kind: Kind | None = None  # None: the work is not in either read
    ratings: Mapping[Side, int] = field(default_factory=dict)
    watched_at: Mapping[Side, datetime | None] = field(default_factory=dict)
    awaiting: tuple[Pending, ...] = ()
    unwritten: tuple[Op, ...] = ()

    @property
    def watched(self) -> bool:
        return bool(self.watched_at)


def title_year(work: Work | None) -> tuple[str, int | None]:
    """A work's title and year ("?" for a work no read named)."""
    return (work.title, work.year) if work else ("?", None)


@dataclass(frozen=True, slots=True)
class _SideView:
    """What one side holds of one work once the run's writes are counted."""

    wished: bool
    rating: int | None
    watched: bool
    watched_at: datetime | None


def _side_view(snapshot: Snapshot, key: str, written: Sequence[Op]) -> _SideView:
    rating = snapshot.ratings.get(key)
    watch = snapshot.watched.get(key)
    view = _SideView(
        key in snapshot.watchlist,
        rating.value if rating else None,
        watch is not None,
        watch.watched_at if watch else None,
    )
    for op in written:
        match op.action:
            case Action.ADD_WATCHLIST | Action.REMOVE_WATCHLIST:
                view = replace(view, wished=op.action is Action.ADD_WATCHLIST)
            case Action.SET_RATING | Action.CLEAR_RATING:
                view = replace(view, rating=op.value)
            case Action.MARK_WATCHED:
                view = replace(view, watched=True, watched_at=op.at)
            case Action.MARK_UNWATCHED:
                view = replace(view, watched=False, watched_at=None)
    return view


def merged_watchlist(
    state: SyncState,
    plex: Snapshot,
    senscritique: Snapshot,
    plan: Plan | None = None,
    applied: Sequence[Op] = (),
) -> tuple[WatchlistItem, ...]:
    """One item per linked work watchlisted on either side, then the unlinked.

    `applied`: the writes the run made after its read, counted in; the
    plan's other writes for a work are its `unwritten` ones."""
    snapshots = {Side.PLEX: plex, Side.SENSCRITIQUE: senscritique}
    done = set(applied)
    written: dict[tuple[Side, str], list[Op]] = {}
    for op in applied:
        written.setdefault((op.side, op.key), []).append(op)
    left: dict[tuple[Side, str], list[Op]] = {}
    for op in plan.ops if plan is not None else ():
        if op not in done:
            left.setdefault((op.side, op.key), []).append(op)
    awaiting: dict[str, list[Pending]] = {}
    for pending in plan.awaiting if plan is not None else ():
        awaiting.setdefault(pending.link, []).append(pending)

    def item(uid: str, keys: Mapping[Side, str], link: Link | None) -> WatchlistItem:
        views = {
            side: _side_view(snapshots[side], key, written.get((side, key), ()))
            for side, key in keys.items()
        }
        work = next(
            (
                found
                for side in (Side.SENSCRITIQUE, Side.PLEX)
                if side in keys
                and (found := snapshots[side].works.get(keys[side])) is not None
            ),
            None,
        )
        title, year = title_year(work)
        kind = link.kind if link is not None else work.kind if work else None
        return WatchlistItem(
            uid=uid,
            title=title,
            year=year,
            plex=keys.get(Side.PLEX),
            senscritique=keys.get(Side.SENSCRITIQUE),
            link=link.id if link is not None else None,
            on_plex=Side.PLEX in views and views[Side.PLEX].wished,
            on_senscritique=Side.SENSCRITIQUE in views
            and views[Side.SENSCRITIQUE].wished,
            kind=kind,
            ratings={
                side: view.rating
                for side, view in views.items()
                if view.rating is not None
            },
            watched_at={
                side: view.watched_at for side, view in views.items() if view.watched
            },
            awaiting=tuple(awaiting.get(link.id, ())) if link else (),
            unwritten=tuple(
                op for side, key in keys.items() for op in left.get((side, key), ())
            ),
        )

    items: list[WatchlistItem] = []
    seen: dict[Side, set[str]] = {side: set() for side in Side}
    for link in state.links.values():
        keys = {Side.PLEX: link.plex, Side.SENSCRITIQUE: link.senscritique}
        listed = any(
            keys[side] in snapshots[side].watchlist
            or any(
                op.action is Action.ADD_WATCHLIST
                for op in written.get((side, keys[side]), ())
            )
            for side in Side
        )
        if not listed:
            continue
        for side in Side:
            seen[side].add(keys[side])
        items.append(item(link.id, keys, link))
    for side in (Side.SENSCRITIQUE, Side.PLEX):
        for key in snapshots[side].watchlist:
            if key not in seen[side]:
                items.append(item(f"{side.value}:{key}", {side: key}, None))
    items.sort(key=lambda i: (i.title.casefold(), i.uid))
    return tuple(items)


def listed_keys(items: Iterable[WatchlistItem]) -> set[tuple[Side, str]]:
    """(side, key) of every work the merged watchlist shows listed there."""
    return {
        (side, key)
        for item in items
        for side, key, on in (
            (Side.PLEX, item.plex, item.on_plex),
            (Side.SENSCRITIQUE, item.senscritique, item.on_senscritique),
        )
        if on and key is not None
    }
