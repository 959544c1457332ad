"""One sync run of one entry: read -> link -> plan -> apply -> persist.

`SyncPipeline` owns the entry's sync state and carries a run through those
steps in that order, building the run's report and summary. It knows nothing
of the coordinator around it (scheduling, one run at a time, events, issues,
error translation: coordinator.py); what the entry's options say is handed in.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .clients import SideClients
from .engine.codec import plan_to_json
from .engine.errors import AuthError, RateLimited, ServiceUnavailable, SyncServiceError
from .engine.guards import NOTHING_HELD, Held
from .engine.matching import SEARCH_REQUESTS_PER_RUN
from .engine.model import Feature, Side, Snapshot, SyncState
from .engine.planner import plan as make_plan, record, settle
from .engine.plans import Op, Plan
from .engine.settings import Capabilities, SyncOptions
from .linking import DRY_RUN_SEARCH_REQUESTS, async_link_works
from .match_memo import LocalMatchMemo
from .store import PlexSyncStore, Stored
from .summary import (
    FailedOp,
    RunReport,
    SyncSummary,
    applied_counts,
    summarise,
)


@dataclass(frozen=True, slots=True)
class SyncRequest:
    """What a caller asks of one run. `confirmed`: what the user confirmed of
    a guard's holds, or approved of a preview, exactly as shown to them (see
    engine/guards.py)."""

    features: frozenset[Feature] = frozenset(Feature)
    dry_run: bool = False
    confirmed: Held = NOTHING_HELD

    @property
    def coalescable(self) -> bool:
        return self == SyncRequest()


@dataclass(frozen=True, slots=True)
class RunOutcome:
    plan: Plan
    report: RunReport
    summary: SyncSummary
    applied: tuple[Op, ...] = ()


class SyncPipeline:
    """The sync runs of one entry, and the state they read and write."""

    def __init__(
        self, hass: HomeAssistant, sides: SideClients, store: PlexSyncStore
    ) -> None:
        self.hass = hass
        self.sides = sides
        self.store = store
        self.state = SyncState()
        self.last_success: datetime | None = None
        self.held = NOTHING_HELD  # what the last run's guards held
        self.matched = LocalMatchMemo()  # the last local match, for the next run
        # Told of every write that succeeded (the change events, events.py).
        self.on_applied: Callable[[Op], None] | None = None

    def now(self) -> datetime:
        """The time a run goes by: when it read, when each write was recorded
        (the engine takes time as a value, never reads a clock itself)."""
        return dt_util.utcnow()

    def restore(self, stored: Stored) -> None:
        """Take up the state an earlier run left behind."""
        self.state = stored.state
        self.last_success = stored.last_success
        self.held = stored.held
        self.sides.restore_details(stored.plex_details)

    async def read(self) -> tuple[Snapshot, Snapshot]:
        """Both snapshots, or the first error: never plan from a partial read."""
        linked = frozenset(link.plex for link in self.state.links.values())
        results = await asyncio.gather(
            self.sides.read(Side.PLEX, linked),
            self.sides.read(Side.SENSCRITIQUE),
            return_exceptions=True,
        )
        for result in results:
            if isinstance(result, BaseException):
                raise result
        plex, senscritique = results
        assert isinstance(plex, Snapshot)
        assert isinstance(senscritique, Snapshot)
        return plex, senscritique

    async def run(
        self,
        request: SyncRequest,
        options: SyncOptions,
        *,
        preview: bool,
    ) -> RunOutcome:
        """One run. A dry run writes and saves nothing; a preview saves the
        links only."""
        started = self.now()
        plex, senscritique = await self.read()
        if (details := self.sides.details_to_keep()) is not None:
            self.store.keep_plex_details(details)
        capabilities = {side: await self.sides.capabilities(side) for side in Side}
        now = self.now()
        state = await async_link_works(
            self.sides,
            self.state,
            plex,
            senscritique,
            now,
            # A dry run's links are not kept: it searches less (the set-up's
            # preview has a time limit), and says what a sync would link first.
            budget=DRY_RUN_SEARCH_REQUESTS
            if request.dry_run
            else SEARCH_REQUESTS_PER_RUN,
            memo=self.matched,
        )
        # Planning 10,000 works takes a few hundred ms: in the executor.
        plan = await self.hass.async_add_executor_job(
            partial(
                make_plan,
                plex,
                senscritique,
                state,
                options,
                capabilities,
                now,
                confirmed=request.confirmed,
            )
        )
        applied: list[Op] = []
        failed: list[FailedOp] = []
        stopped: str | None = None
        # Preview only writes nothing but what the user approved, as shown.
        writing = (
            tuple(op for op in plan.ops if request.confirmed.lists(op))
            if preview
            else plan.ops
        )
        if preview and not writing and not request.dry_run:
            self.state = state  # links only: the base waits for real writes
            await self.store.async_save_state(state)
        elif not request.dry_run:
            self.state = state = settle(state, plan, now)
            await self.store.async_save_state(state)
            applied, failed, stopped = await self._apply(writing, capabilities)
            state = self.state
        report = self._report(
            started=started,
            request=request,
            preview=preview,
            plan=plan,
            applied=applied,
            failed=failed,
            stopped=stopped,
        )
        if not request.dry_run:
            self.last_success = report.finished
            self.held = Held.of(plan)
        # Walks every link and watchlist entry: tens of ms at 10,000 works.
        summary = await self.hass.async_add_executor_job(
            partial(
                summarise,
                last_success=self.last_success,
                state=state,
                plex=plex,
                senscritique=senscritique,
                plan=plan,
                report=report,
                applied=applied,
            )
        )
        if request.dry_run:
            # What the run would leave (links, unmatched works): never
            # published as the entry's data, and nothing is saved.
            return RunOutcome(plan, report, summary)
        await self.store.async_save_run(
            state,
            plan=await self.hass.async_add_executor_job(plan_to_json, plan),
            report=report.as_dict(),
            last_success=self.last_success,
        )
        return RunOutcome(plan, report, summary, tuple(applied))

    def _report(
        self,
        *,
        started: datetime,
        request: SyncRequest,
        preview: bool,
        plan: Plan,
        applied: list[Op],
        failed: list[FailedOp],
        stopped: str | None,
    ) -> RunReport:
        return RunReport(
            started=started,
            finished=self.now(),
            dry_run=request.dry_run,
            preview=preview,
            planned=len(plan.ops),
            applied=applied_counts(applied),
            failed=tuple(failed),
            held=len(plan.held),
            stopped=stopped,
        )

    async def _apply(
        self, ops: Iterable[Op], capabilities: Mapping[Side, Capabilities]
    ) -> tuple[list[Op], list[FailedOp], str | None]:
        """Apply Op by Op; record and save each success at once.

        429 stops all writing for this run; a service that stays unavailable
        gets no more writes this run; other refusals skip that Op only.
        """
        applied: list[Op] = []
        failed: list[FailedOp] = []
        unavailable: set[Side] = set()
        for op in ops:
            if op.side in unavailable:
                continue
            try:
                await self.sides.apply(op)
            except AuthError:
                raise
            except RateLimited as err:
                failed.append(FailedOp(op, str(err)))
                return applied, failed, "rate_limited"
            except ServiceUnavailable as err:
                failed.append(FailedOp(op, str(err)))
                unavailable.add(op.side)
                continue
            except SyncServiceError as err:
                failed.append(FailedOp(op, str(err)))
                continue
            await self._record(op, capabilities[op.side])
            applied.append(op)
            if self.on_applied is not None:
                self.on_applied(op)
        return applied, failed, "service_unavailable" if unavailable else None

    async def apply(
        self, ops: Iterable[Op]
    ) -> tuple[list[Op], list[FailedOp], str | None]:
        """Apply Ops outside a run exactly as a run applies them (an undo's
        writes): each success recorded in the base and journaled."""
        capabilities = {side: await self.sides.capabilities(side) for side in Side}
        return await self._apply(ops, capabilities)

    async def _record(self, op: Op, capabilities: Capabilities) -> None:
        """Fold a write the service accepted into the state (pending while its
        side may not show it yet) and journal it: a crash now loses nothing."""
        recorded = self.now()
        lags = capabilities.lags(op.feature)
        self.state = record(self.state, op, recorded, lags=lags)
        await self.store.async_journal(op, recorded, lags, self.state)

    async def write(self, ops: Iterable[Op]) -> list[FailedOp]:
        """Apply writes asked for by the user (to-do list), outside a sync.

        They are the user's own changes. Where they left both sides of a link
        holding the same (written on both, neither failed), they are recorded
        in the base like a sync's writes. A write that reached one side only
        (the other failed, or is never written: read-only SensCritique) is
        left for the next sync to read as the user's change on that side, as
        if made there by hand: recording it would claim the sides agree, and
        the next sync would undo it. An expired sign-in is raised.
        """
        failed: list[FailedOp] = []
        done: list[Op] = []
        for op in ops:
            try:
                await self.sides.apply(op)
            except AuthError:
                raise
            except SyncServiceError as err:
                failed.append(FailedOp(op, str(err)))
                continue
            done.append(op)
            if self.on_applied is not None:
                self.on_applied(op)
        incomplete = {f.op.link for f in failed}
        written: dict[str, set[Side]] = {}
        for op in done:
            written.setdefault(op.link, set()).add(op.side)
        for op in done:
            if (
                op.link in self.state.links
                and op.link not in incomplete
                and written[op.link] == set(Side)
            ):
                await self._record(op, await self.sides.capabilities(op.side))
        return failed
