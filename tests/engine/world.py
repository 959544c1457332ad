"""A small in-memory model of both services and of the user, for property tests.

Each `Service` keeps one side's watchlist, ratings and watch marks the way the
real one behaves where it matters to the engine: Plex records "now" for a watch
and a rating instead of the date asked; SensCritique shows a new wish only after
a few reads (its known lag), has no rating dates and keeps a watch date to the
day only (it reads back midnight UTC of the day it was given). A `Ledger` remembers what
the *user* removed on each side so the tests can tell a sync's removal or re-add
from one the user asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta

from custom_components.plexsync.engine import codec
from custom_components.plexsync.engine.guards import NOTHING_HELD, Held
from custom_components.plexsync.engine.model import (
    Action,
    Feature,
    Kind,
    Link,
    Provenance,
    Rating,
    Side,
    Snapshot,
    SyncState,
    Watch,
    WatchlistEntry,
    Work,
    link_id,
)
from custom_components.plexsync.engine.planner import plan, record, settle
from custom_components.plexsync.engine.plans import Op, Plan
from custom_components.plexsync.engine.scale import same_watch_date
from custom_components.plexsync.engine.settings import Capabilities, SyncOptions

T0 = datetime(2024, 1, 1, tzinfo=UTC)
STEP = timedelta(hours=1)


def plex_key(index: int) -> str:
    return f"plex://movie/{index:024x}"


def sc_key(index: int) -> str:
    return str(1000 + index)


def key_of(side: Side, index: int) -> str:
    return plex_key(index) if side is Side.PLEX else sc_key(index)


def make_links(count: int) -> dict[str, Link]:
    links = (
        Link(sc_key(i), plex_key(i), Kind.MOVIE, Provenance.LOCAL) for i in range(count)
    )
    return {link.id: link for link in links}


@dataclass
class Service:
    """One side's account. `lag` > 0: new wishes show only after that many reads."""

    side: Side
    lag: int = 0
    sets_dates: bool = False  # False: a watch is recorded at "now" (Plex)
    day_dates: bool = False  # True: a watch date is kept to the day (SC)
    watchlist: dict[str, datetime] = field(default_factory=dict)
    ratings: dict[str, tuple[int, datetime]] = field(default_factory=dict)
    watched: dict[str, datetime] = field(default_factory=dict)
    hidden: dict[str, int] = field(default_factory=dict)  # wish -> reads left

    def snapshot(self, *, faulty: bool = False) -> Snapshot:
        """A read; `faulty` reads empty like a bad API day."""
        for key in list(self.hidden):
            self.hidden[key] -= 1
            if self.hidden[key] <= 0:
                del self.hidden[key]
        if faulty:
            return Snapshot(self.side)
        works = [Work(k, Kind.MOVIE, f"Film {k[-4:]}") for k in self._keys()]
        dated = self.side is Side.PLEX
        return Snapshot.build(
            self.side,
            works,
            [
                WatchlistEntry(k, at)
                for k, at in self.watchlist.items()
                if k not in self.hidden
            ],
            [
                Rating(k, v, at if dated else None, self.watched.get(k))
                for k, (v, at) in self.ratings.items()
            ],
            [Watch(k, at) for k, at in self.watched.items()],
        )

    def watch_on(self, key: str, at: datetime) -> None:
        """Store a watch as the service keeps its date."""
        if self.day_dates:
            at = datetime.combine(at.astimezone(UTC).date(), time(), UTC)
        self.watched[key] = at

    def _keys(self) -> set[str]:
        return set(self.watchlist) | set(self.ratings) | set(self.watched)

    def apply(self, op: Op, now: datetime) -> None:
        """A write by the sync, as the service would take it."""
        key = op.key
        match op.action:
            case Action.ADD_WATCHLIST:
                if key not in self.watchlist and self.lag:
                    self.hidden[key] = self.lag
                self.watchlist.setdefault(key, now)
            case Action.REMOVE_WATCHLIST:
                self.watchlist.pop(key, None)
                self.hidden.pop(key, None)
            case Action.SET_RATING:
                assert op.value is not None
                self.ratings[key] = (op.value, now)
            case Action.CLEAR_RATING:
                self.ratings.pop(key, None)
            case Action.MARK_WATCHED:
                self.watch_on(key, op.at if self.sets_dates and op.at else now)
            case Action.MARK_UNWATCHED:
                self.watched.pop(key, None)


@dataclass
class Ledger:
    """What the user removed per (side, feature, link index), until they add it
    back anywhere; and every rule the sync broke."""

    removed: set[tuple[Side, Feature, int]] = field(default_factory=set)
    # Removals of items the base held (both sides had agreed on them): only
    # those can be told from "never there" by a three-way merge.
    removed_agreed: set[tuple[Side, Feature, int]] = field(default_factory=set)
    # Items the user added since the engine last read both sides and wrote
    # all it planned from them: a removal in the same interval is a conflict
    # the engine cannot order, settled by "a change beats a removal"; it is
    # not counted as a resurrection.
    added_since_run: set[tuple[Feature, int]] = field(default_factory=set)
    violations: list[str] = field(default_factory=list)

    def user_removed(
        self, side: Side, feature: Feature, index: int, *, agreed: bool
    ) -> None:
        self.removed.add((side, feature, index))
        if agreed and (feature, index) not in self.added_since_run:
            self.removed_agreed.add((side, feature, index))

    def user_added(self, feature: Feature, index: int) -> None:
        self.added_since_run.add((feature, index))
        for side in Side:
            self.removed.discard((side, feature, index))
            self.removed_agreed.discard((side, feature, index))

    def check(self, op: Op, service: Service, index: int) -> None:
        """Before `op` is applied: is it a loss or a resurrection?"""
        feature = op.feature
        if op.action.is_removal:
            if (op.side.other, feature, index) not in self.removed:
                self.violations.append(f"loss: {op}")
            return
        adds_back = {
            Action.ADD_WATCHLIST: op.key not in service.watchlist,
            Action.SET_RATING: op.key not in service.ratings,
            Action.MARK_WATCHED: op.key not in service.watched,
        }[op.action]
        if adds_back and (op.side, feature, index) in self.removed_agreed:
            self.violations.append(f"resurrection: {op}")


@dataclass
class World:
    """Both services, the persisted state and the sync loop around the engine."""

    links: int
    options: SyncOptions
    capabilities: dict[Side, Capabilities]
    plex: Service = field(default_factory=lambda: Service(Side.PLEX))
    sc: Service = field(
        default_factory=lambda: Service(Side.SENSCRITIQUE, lag=2, day_dates=True)
    )
    state: SyncState = field(default_factory=SyncState)
    ledger: Ledger = field(default_factory=Ledger)
    now: datetime = T0
    held: Held = NOTHING_HELD  # what the last run's guards held

    def __post_init__(self) -> None:
        self.state = SyncState(links=make_links(self.links))
        # A service that shows new wishes late says so, as the client does.
        self.capabilities = dict(self.capabilities)
        for service in (self.plex, self.sc):
            if service.lag:
                self.capabilities[service.side] = replace(
                    self.capabilities[service.side],
                    lagging=frozenset({Feature.WATCHLIST}),
                )
        self.sc.sets_dates = self.capabilities[Side.SENSCRITIQUE].set_watched_date
        self.plex.sets_dates = self.capabilities[Side.PLEX].set_watched_date

    def service(self, side: Side) -> Service:
        return self.plex if side is Side.PLEX else self.sc

    def snapshots(self, faulty: Side | None = None) -> tuple[Snapshot, Snapshot]:
        return (
            self.plex.snapshot(faulty=faulty is Side.PLEX),
            self.sc.snapshot(faulty=faulty is Side.SENSCRITIQUE),
        )

    def plan(
        self, plex: Snapshot, sc: Snapshot, *, confirmed: Held = NOTHING_HELD
    ) -> Plan:
        return plan(
            plex,
            sc,
            self.state,
            self.options,
            self.capabilities,
            self.now,
            confirmed=confirmed,
        )

    # ------------------------------------------------------------------ user

    def user_edit(self, side: Side, what: str, index: int, value: int) -> None:
        """One edit by the person, half a step before the next sync."""
        service, key = self.service(side), key_of(side, index)
        at = self.now - STEP / 2
        base = self.state.agreed.get(link_id(sc_key(index), plex_key(index)))
        if what == "wish" and key not in service.watchlist:
            service.watchlist[key] = at
            self.ledger.user_added(Feature.WATCHLIST, index)
        elif (
            what == "unwish" and key in service.watchlist and key not in service.hidden
        ):
            del service.watchlist[key]
            self.ledger.user_removed(
                side, Feature.WATCHLIST, index, agreed=bool(base and base.watchlist)
            )
        elif what == "rate" and service.ratings.get(key, (None,))[0] != value:
            service.ratings[key] = (value, at)
            self.ledger.user_added(Feature.RATINGS, index)
        elif what == "unrate" and key in service.ratings:
            del service.ratings[key]
            self.ledger.user_removed(
                side, Feature.RATINGS, index, agreed=bool(base and base.rating)
            )
        elif what == "watch":
            before = service.watched.get(key)
            service.watch_on(key, at - timedelta(days=value))
            # Watched again on the day it already shows: nothing a read can
            # tell apart (the sync counts a watch date to the day).
            if before is None or not same_watch_date(before, service.watched[key]):
                self.ledger.user_added(Feature.WATCHED, index)
        elif what == "unwatch" and key in service.watched:
            del service.watched[key]
            self.ledger.user_removed(
                side, Feature.WATCHED, index, agreed=bool(base and base.watched)
            )

    # ------------------------------------------------------------------ sync

    def sync(
        self,
        *,
        fail: frozenset[int] = frozenset(),
        crash_after: int | None = None,
        faulty: Side | None = None,
        confirm: bool = False,
    ) -> tuple[Plan, list[Op]]:
        """One run: read, plan, settle, apply each Op and record the ones
        that succeeded, saving the state (through JSON) after each record.
        `confirm`: the user confirms what the previous run held (both guards).
        Returns the plan and the Ops that were not applied."""
        plex, sc = self.snapshots(faulty)
        confirmed = self.held if confirm else NOTHING_HELD
        the_plan = self.plan(plex, sc, confirmed=confirmed)
        self.held = Held.of(the_plan)
        self.state = _saved(settle(self.state, the_plan, self.now))
        skipped: list[Op] = []
        for number, op in enumerate(the_plan.ops):
            if crash_after is not None and number >= crash_after:
                skipped.extend(the_plan.ops[number:])
                break
            if number in fail:
                skipped.append(op)
                continue
            service = self.service(op.side)
            self.ledger.check(op, service, _index_of(op))
            service.apply(op, self.now)
            lags = self.capabilities[op.side].lags(op.feature)
            self.state = _saved(record(self.state, op, self.now, lags=lags))
        if faulty is None and not skipped:
            # The engine has read every edit made so far and written what it
            # planned from them. Until then (a crash, a failed write) an edit
            # it read but did not pass on still races a later removal.
            self.ledger.added_since_run.clear()
        self.now += STEP
        return the_plan, skipped


def _saved(state: SyncState) -> SyncState:
    """The state as the store would give it back."""
    return codec.state_from_json(codec.state_to_json(state))


def _index_of(op: Op) -> int:
    if op.side is Side.PLEX:
        return int(op.key.rsplit("/", 1)[1], 16)
    return int(op.key) - 1000
