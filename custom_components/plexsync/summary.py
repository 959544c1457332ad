"""What entities, services, events and diagnostics show about a sync.

Built from the two snapshots, the state and the plan at the end of each run;
immutable, so entities can read it without copying.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from .const import MAX_UNMATCHED_LISTED
from .engine.model import Feature, Kind, Op, Plan, Side, Snapshot, SyncState, Work


class SyncStatus(StrEnum):
    """The status sensor's states."""

    IDLE = "idle"
    SYNCING = "syncing"
    OK = "ok"
    PARTIAL = "partial"
    ERROR = "error"
    HELD = "held"


@dataclass(frozen=True, slots=True)
class UnmatchedWork:
    """A work found on one side with no counterpart on the other."""

    side: Side
    key: str
    kind: str
    title: str
    year: int | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "side": self.side.value,
            "key": self.key,
            "kind": self.kind,
            "title": self.title,
            "year": self.year,
        }


@dataclass(frozen=True, slots=True)
class WatchlistItem:
    """One line of the merged watchlist (to-do entity)."""

    uid: str
    title: str
    year: int | None
    plex: str | None
    senscritique: str | None
    link: str | None
    watched: bool
    on_plex: bool
    on_senscritique: bool
    kind: Kind | None = None  # None: the work is not in either read


@dataclass(frozen=True, slots=True)
class FailedOp:
    op: Op
    error: str


@dataclass(frozen=True, slots=True)
class RunReport:
    """What one run did."""

    started: datetime
    finished: datetime
    dry_run: bool
    preview: bool
    planned: int
    applied: Mapping[str, int]
    failed: tuple[FailedOp, ...] = ()
    held: int = 0
    stopped: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "started": self.started.isoformat(),
            "finished": self.finished.isoformat(),
            "dry_run": self.dry_run,
            "preview": self.preview,
            "planned": self.planned,
            "applied": dict(self.applied),
            "failed": [
                {
                    "side": f.op.side.value,
                    "action": f.op.action.value,
                    "key": f.op.key,
                    "error": f.error,
                }
                for f in self.failed
            ],
            "held": self.held,
            "stopped": self.stopped,
        }


def applied_counts(ops: list[Op]) -> dict[str, int]:
    """Successful writes counted per side and action ("plex.add_watchlist")."""
    return dict(Counter(f"{op.side.value}.{op.action.value}" for op in ops))


@dataclass(frozen=True, slots=True)
class SyncSummary:
    """Coordinator data. `counts` are what each side held when the run read
    it, before the run's own writes (they show up in the next run's read);
    `pending` likewise counts the earlier writes that read did not show yet
    (`Plan.awaiting`)."""

    status: SyncStatus = SyncStatus.IDLE
    last_success: datetime | None = None
    counts: Mapping[str, int] = field(default_factory=dict)
    linked: int = 0
    pending: int = 0
    unmatched_count: int = 0
    unmatched: tuple[UnmatchedWork, ...] = ()
    held: tuple[Op, ...] = ()
    # The title of each held removal's work, by link ("Heat (1995)"): what the
    # repair issues list.
    held_titles: Mapping[str, str] = field(default_factory=dict)
    plan: Plan | None = None
    report: RunReport | None = None
    watchlist: tuple[WatchlistItem, ...] = ()
    # The works each side listed in the run's read (the snapshots' own
    # mappings, not copies): what plexsync.link checks an id against first.
    works: Mapping[Side, Mapping[str, Work]] = field(default_factory=dict)


def count_key(feature: Feature, side: Side) -> str:
    """Key of a per feature, per side count ("ratings_senscritique")."""
    return f"{feature.value}_{side.value}"


def side_counts(plex: Snapshot, senscritique: Snapshot) -> dict[str, int]:
    """How many items each side holds per feature."""
    counts: dict[str, int] = {}
    for snapshot in (plex, senscritique):
        counts[count_key(Feature.WATCHLIST, snapshot.side)] = len(snapshot.watchlist)
        counts[count_key(Feature.RATINGS, snapshot.side)] = len(snapshot.ratings)
        counts[count_key(Feature.WATCHED, snapshot.side)] = len(snapshot.watched)
    return counts


def unmatched_works(
    state: SyncState, plex: Snapshot, senscritique: Snapshot
) -> list[UnmatchedWork]:
    """Films and series (with user data) that no link covers, titles sorted."""
    linked = {
        Side.PLEX: {link.plex for link in state.links.values()},
        Side.SENSCRITIQUE: {link.senscritique for link in state.links.values()},
    }
    found: list[UnmatchedWork] = []
    for snapshot in (senscritique, plex):
        keys = set(snapshot.watchlist) | set(snapshot.ratings) | set(snapshot.watched)
        for key in keys - linked[snapshot.side]:
            work = snapshot.works.get(key)
            if work is None or work.parent is not None:
                continue  # seasons/episodes follow their series
            found.append(
                UnmatchedWork(
                    snapshot.side, key, work.kind.value, work.title, work.year
                )
            )
    found.sort(key=lambda u: (u.title.casefold(), u.year or 0, u.side, u.key))
    return found


def _title(work: Work | None) -> tuple[str, int | None]:
    return (work.title, work.year) if work else ("?", None)


def work_title(work: Work | None) -> str:
    """A work as a person names it: "Heat (1995)"."""
    title, year = _title(work)
    return f"{title} ({year})" if year else title


def held_titles(
    held: tuple[Op, ...], plex: Snapshot, senscritique: Snapshot
) -> dict[str, str]:
    """The title of each held removal's work (the side it would be removed
    from still shows it), by link."""
    snapshots = {Side.PLEX: plex, Side.SENSCRITIQUE: senscritique}
    return {op.link: work_title(snapshots[op.side].works.get(op.key)) for op in held}


def merged_watchlist(
    state: SyncState, plex: Snapshot, senscritique: Snapshot
) -> tuple[WatchlistItem, ...]:
    """One item per linked work watchlisted on either side, then the unlinked."""
    items: list[WatchlistItem] = []
    seen_plex: set[str] = set()
    seen_sc: set[str] = set()
    for link in state.links.values():
        on_plex = link.plex in plex.watchlist
        on_sc = link.senscritique in senscritique.watchlist
        if not (on_plex or on_sc):
            continue
        seen_plex.add(link.plex)
        seen_sc.add(link.senscritique)
        work = senscritique.works.get(link.senscritique) or plex.works.get(link.plex)
        title, year = _title(work)
        items.append(
            WatchlistItem(
                uid=link.id,
                title=title,
                year=year,
                plex=link.plex,
                senscritique=link.senscritique,
                link=link.id,
                watched=link.plex in plex.watched
                or link.senscritique in senscritique.watched,
                on_plex=on_plex,
                on_senscritique=on_sc,
                kind=link.kind,
            )
        )
    for snapshot, seen in ((senscritique, seen_sc), (plex, seen_plex)):
        for key in snapshot.watchlist:
            if key in seen:
                continue
            work = snapshot.works.get(key)
            title, year = _title(work)
            items.append(
                WatchlistItem(
                    uid=f"{snapshot.side.value}:{key}",
                    title=title,
                    year=year,
                    plex=key if snapshot.side is Side.PLEX else None,
                    senscritique=key if snapshot.side is Side.SENSCRITIQUE else None,
                    link=None,
                    watched=key in snapshot.watched,
                    on_plex=snapshot.side is Side.PLEX,
                    on_senscritique=snapshot.side is Side.SENSCRITIQUE,
                    kind=work.kind if work is not None else None,
                )
            )
    items.sort(key=lambda i: (i.title.casefold(), i.uid))
    return tuple(items)


def summarise(
    *,
    status: SyncStatus,
    last_success: datetime | None,
    state: SyncState,
    plex: Snapshot,
    senscritique: Snapshot,
    plan: Plan,
    report: RunReport,
) -> SyncSummary:
    """The summary at the end of a run."""
    unmatched = unmatched_works(state, plex, senscritique)
    return SyncSummary(
        status=status,
        last_success=last_success,
        counts=side_counts(plex, senscritique),
        linked=len(state.links),
        # The writes earlier runs made that this run's read did not show yet;
        # not this run's own writes, which no read could show yet.
        pending=len(plan.awaiting),
        unmatched_count=len(unmatched),
        unmatched=tuple(unmatched[:MAX_UNMATCHED_LISTED]),
        held=plan.held,
        held_titles=held_titles(plan.held, plex, senscritique),
        plan=plan,
        report=report,
        watchlist=merged_watchlist(state, plex, senscritique),
        works={Side.PLEX: plex.works, Side.SENSCRITIQUE: senscritique.works},
    )


def run_status(plan: Plan, report: RunReport) -> SyncStatus:
    """Partial when a write failed or was stopped; held when a guard held removals."""
    if report.failed or report.stopped:
        return SyncStatus.PARTIAL
    if plan.held:
        return SyncStatus.HELD
    return SyncStatus.OK
