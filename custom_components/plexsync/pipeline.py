"""One sync run of one entry: read -> link -> plan -> apply -> persist.

`SyncPipeline` owns the entry's sync state and carries a run through those
steps in that order, building the run's report and summary. It knows nothing
of the coordinator around it (scheduling, one run at a time, events, issues,
error translation: coordinator.py); what the entry's options say is handed in.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .clients import SideClients
from .engine.codec import plan_to_json
from .engine.errors import AuthError, RateLimited, ServiceUnavailable, SyncServiceError
from .engine.model import Feature, Op, Plan, Side, Snapshot, SyncState
from .engine.planner import plan as make_plan, record, settle
from .engine.settings import SyncOptions
from .linking import async_link_works
from .store import PlexSyncStore, Stored
from .summary import (
    FailedOp,
    RunReport,
    SyncSummary,
    applied_counts,
    run_status,
    summarise,
)


@dataclass(frozen=True, slots=True)
class SyncRequest:
    """What a caller asks of one run."""

    features: frozenset[Feature] = frozenset(Feature)
    dry_run: bool = False
    confirm_removals: bool = False

    @property
    def coalescable(self) -> bool:
        return self == SyncRequest()


@dataclass(frozen=True, slots=True)
class RunOutcome:
    plan: Plan
    report: RunReport
    summary: SyncSummary


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

    def restore(self, stored: Stored) -> None:
        """Take up the state an earlier run left behind."""
        self.state = stored.state
        self.last_success = stored.last_success

    async def _read(self) -> tuple[Snapshot, Snapshot]:
        """Both snapshots, or the first error: never plan from a partial read."""
        results = await asyncio.gather(
            self.sides.read(Side.PLEX),
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
        current: SyncSummary | None,
    ) -> RunOutcome:
        """One run. A dry run writes and saves nothing and keeps `current`
        as the summary; a preview saves the links only."""
        started = dt_util.utcnow()
        plex, senscritique = await self._read()
        capabilities = {side: await self.sides.capabilities(side) for side in Side}
        now = dt_util.utcnow()
        state = await async_link_works(self.sides, self.state, plex, senscritique, now)
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
                confirm_removals=request.confirm_removals,
            )
        )
        applied: list[Op] = []
        failed: list[FailedOp] = []
        stopped: str | None = None
        if request.dry_run:
            report = self._report(
                started=started,
                request=request,
                preview=preview,
                plan=plan,
                applied=[],
                failed=[],
                stopped=None,
            )
            return RunOutcome(plan, report, current or SyncSummary())
        if preview:
            self.state = state  # links only: the base waits for real writes
            await self.store.async_save_state(state)
        else:
            self.state = state = settle(state, plan, now)
            await self.store.async_save_state(state)
            applied, failed, stopped = await self._apply(plan.ops)
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
        self.last_success = report.finished
        summary = summarise(
            status=run_status(plan, report),
            last_success=self.last_success,
            state=state,
            plex=plex,
            senscritique=senscritique,
            plan=plan,
            report=report,
        )
        await self.store.async_save_run(
            state,
            plan=await self.hass.async_add_executor_job(plan_to_json, plan),
            report=report.as_dict(),
            last_success=self.last_success,
        )
        return RunOutcome(plan, report, summary)

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
            finished=dt_util.utcnow(),
            dry_run=request.dry_run,
            preview=preview,
            planned=len(plan.ops),
            applied=applied_counts(applied),
            failed=tuple(failed),
            held=len(plan.held),
            stopped=stopped,
        )

    async def _apply(
        self, ops: Iterable[Op]
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
            recorded = dt_util.utcnow()
            self.state = record(self.state, op, recorded)
            # Journaled, not saved whole: a crash now still loses nothing.
            await self.store.async_journal(op, recorded, self.state)
            applied.append(op)
        return applied, failed, "service_unavailable" if unavailable else None

    async def write(self, ops: Iterable[Op]) -> list[FailedOp]:
        """Apply writes asked for by the user (to-do list), outside a sync.

        Linked Ops are recorded in the base like a sync's, so the next run
        does not undo them. An expired sign-in is raised.
        """
        failed: list[FailedOp] = []
        for op in ops:
            try:
                await self.sides.apply(op)
            except AuthError:
                raise
            except SyncServiceError as err:
                failed.append(FailedOp(op, str(err)))
                continue
            if op.link in self.state.links:
                self.state = record(self.state, op, dt_util.utcnow())
                await self.store.async_save_state(self.state)
        return failed
