"""What entities, services, events and diagnostics show about a sync.

Built from the two snapshots, the state and the plan at the end of each run;
immutable, so entities can read it without copying.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .engine.model import Feature, Link, Side, Snapshot, SyncState, Work
from .engine.plans import Op, Plan
from .watchlist_items import WatchlistItem, merged_watchlist, title_year


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

    last_success: datetime | None = None
    counts: Mapping[str, int] = field(default_factory=dict)
    linked: int = 0
    pending: int = 0
    unmatched_count: int = 0
    # All of them (the sensor and diagnostics list MAX_UNMATCHED_LISTED): a
    # review updates them at once (review_flow.py).
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
    # The run's links (the state's own mapping): whose works an Op writes.
    links: Mapping[str, Link] = field(default_factory=dict)


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
    """Films and series (with user data) that no link covers, titles sorted;
    not those the user said the other service lacks."""
    linked = {
        Side.PLEX: {link.plex for link in state.links.values()},
        Side.SENSCRITIQUE: {link.senscritique for link in state.links.values()},
    }
    found: list[UnmatchedWork] = []
    for snapshot in (senscritique, plex):
        keys = set(snapshot.watchlist) | set(snapshot.ratings) | set(snapshot.watched)
        for key in keys - linked[snapshot.side]:
            if (snapshot.side, key) in state.alone:
                continue  # the user said the other service lacks it
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


def work_title(work: Work | None) -> str:
    """A work as a person names it: "Heat (1995)"."""
    title, year = title_year(work)
    return f"{title} ({year})" if year else title


def held_titles(
    held: tuple[Op, ...], plex: Snapshot, senscritique: Snapshot
) -> dict[str, str]:
    """The title of each held removal's work (the side it would be removed
    from still shows it), by link."""
    snapshots = {Side.PLEX: plex, Side.SENSCRITIQUE: senscritique}
    return {op.link: work_title(snapshots[op.side].works.get(op.key)) for op in held}


def summarise(
    *,
    last_success: datetime | None,
    state: SyncState,
    plex: Snapshot,
    senscritique: Snapshot,
    plan: Plan,
    report: RunReport,
    applied: Sequence[Op] = (),
) -> SyncSummary:
    """The summary at the end of a run."""
    unmatched = unmatched_works(state, plex, senscritique)
    return SyncSummary(
        last_success=last_success,
        counts=side_counts(plex, senscritique),
        linked=len(state.links),
        # The writes earlier runs made that this run's read did not show yet;
        # not this run's own writes, which no read could show yet.
        pending=len(plan.awaiting),
        unmatched_count=len(unmatched),
        unmatched=tuple(unmatched),
        held=plan.held,
        held_titles=held_titles(plan.held, plex, senscritique),
        plan=plan,
        report=report,
        watchlist=merged_watchlist(state, plex, senscritique, plan, applied),
        works={Side.PLEX: plex.works, Side.SENSCRITIQUE: senscritique.works},
        links=state.links,
    )
