"""The sync coordinator: read both sides -> link -> plan -> apply -> persist.

One run at a time per entry. A plain sync asked for while one runs is
coalesced: every such request joins a single follow-up run. The state is
saved after each successful write (whole at the run's start and end, as a
journal entry in between: see store.py), so a restart mid-run loses nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .clients import SideClients, async_sign_in_senscritique
from .const import (
    CONF_PLEX_SERVER_ID,
    CONF_SC_MODE,
    DOMAIN,
    EVENT_SYNC_FAILED,
    EVENT_SYNC_FINISHED,
    LOGGER,
    SC_MODE_READ_ONLY,
)
from .engine.codec import plan_to_json
from .engine.errors import (
    AuthError,
    NotFound,
    RateLimited,
    ServiceUnavailable,
    SyncServiceError,
)
from .engine.model import Feature, Op, Plan, Side, Snapshot, SyncState
from .engine.planner import plan as make_plan, record, settle
from .issues import async_update_issues
from .linking import async_link_works
from .options import only_features, preview_only, sync_interval, sync_options
from .store import PlexSyncStore
from .summary import (
    FailedOp,
    RunReport,
    SyncStatus,
    SyncSummary,
    applied_counts,
    run_status,
    summarise,
)

if TYPE_CHECKING:
    from . import PlexSyncConfigEntry

SERVICE_NAMES = {Side.PLEX: "Plex", Side.SENSCRITIQUE: "SensCritique"}


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


def error_key(err: SyncServiceError) -> str:
    """Translation key of a service error."""
    if isinstance(err, AuthError):
        return "auth_failed"
    if isinstance(err, RateLimited):
        return "rate_limited"
    if isinstance(err, ServiceUnavailable):
        return "service_unavailable"
    if isinstance(err, NotFound):
        return "not_found"
    return "service_error"


def error_placeholders(err: SyncServiceError) -> dict[str, str]:
    return {"service": SERVICE_NAMES[err.side], "error": str(err)}


class PlexSyncCoordinator(DataUpdateCoordinator[SyncSummary]):
    """Runs syncs for one config entry."""

    config_entry: PlexSyncConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: PlexSyncConfigEntry,
        sides: SideClients,
        store: PlexSyncStore,
    ) -> None:
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=DOMAIN,
            update_interval=sync_interval(entry.options),
        )
        self.sides = sides
        self.store = store
        self.state = SyncState()
        self.last_success: datetime | None = None
        self.syncing = False
        self.failed = False
        self._lock = asyncio.Lock()
        self._follow_up: asyncio.Future[RunOutcome] | None = None

    @property
    def read_only(self) -> bool:
        """SensCritique attached by username only: nothing is written there."""
        return self.config_entry.data.get(CONF_SC_MODE) == SC_MODE_READ_ONLY

    async def _async_setup(self) -> None:
        """Load the stored state and sign in to both services."""
        stored = await self.store.async_load()
        self.state = stored.state
        self.last_success = stored.last_success
        data = self.config_entry.data
        try:
            await self.hass.async_add_executor_job(self.sides.plex.account)
            await self.hass.async_add_executor_job(
                self.sides.plex.connect, data.get(CONF_PLEX_SERVER_ID)
            )
            await async_sign_in_senscritique(self.sides.senscritique, data)
        except (AuthError, NotFound) as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN,
                translation_key="auth_failed",
                translation_placeholders=error_placeholders(err),
            ) from err
        except SyncServiceError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key=error_key(err),
                translation_placeholders=error_placeholders(err),
            ) from err

    async def _async_update_data(self) -> SyncSummary:
        """The scheduled (or requested) full sync."""
        try:
            outcome = await self.async_sync(SyncRequest())
        except AuthError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN,
                translation_key="auth_failed",
                translation_placeholders=error_placeholders(err),
            ) from err
        except SyncServiceError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key=error_key(err),
                translation_placeholders=error_placeholders(err),
            ) from err
        return outcome.summary

    # ------------------------------------------------------------------ runs

    async def async_sync(self, request: SyncRequest) -> RunOutcome:
        """Run a sync now, or join the follow-up of the one running."""
        if request.coalescable and self._lock.locked():
            if self._follow_up is None:
                self._follow_up = self.hass.loop.create_future()
                self.config_entry.async_create_background_task(
                    self.hass, self._run_follow_up(), "plexsync follow-up sync"
                )
            return await asyncio.shield(self._follow_up)
        async with self._lock:
            return await self._run(request)

    async def async_run_now(self, request: SyncRequest) -> RunOutcome:
        """A sync asked for by a person (service, repair): publish its result."""
        outcome = await self.async_sync(request)
        if not request.dry_run:
            self.async_set_updated_data(outcome.summary)
        return outcome

    async def _run_follow_up(self) -> None:
        future = self._follow_up
        assert future is not None
        async with self._lock:
            self._follow_up = None  # later requests start another follow-up
            try:
                future.set_result(await self._run(SyncRequest()))
            except Exception as err:
                future.set_exception(err)
                future.exception()  # mark retrieved: waiters re-raise it

    async def _run(self, request: SyncRequest) -> RunOutcome:
        self.syncing = True
        self.async_update_listeners()
        try:
            outcome = await self._sync(request)
        except SyncServiceError as err:
            self.failed = True
            self.hass.bus.async_fire(
                EVENT_SYNC_FAILED,
                {
                    "entry_id": self.config_entry.entry_id,
                    "service": err.side.value,
                    "error": error_key(err),
                    "message": str(err),
                },
            )
            raise
        finally:
            self.syncing = False
        if not request.dry_run:
            self.failed = False
        if self.data is not None:
            self.async_update_listeners()
        return outcome

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

    async def _sync(self, request: SyncRequest) -> RunOutcome:
        started = dt_util.utcnow()
        plex, senscritique = await self._read()
        capabilities = {side: await self.sides.capabilities(side) for side in Side}
        now = dt_util.utcnow()
        state = await async_link_works(self.sides, self.state, plex, senscritique, now)
        options = only_features(
            sync_options(self.config_entry.options, read_only=self.read_only),
            request.features,
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
                confirm_removals=request.confirm_removals,
            )
        )
        preview = preview_only(self.config_entry.options)
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
            summary = self.data if self.data is not None else SyncSummary()
            return RunOutcome(plan, report, summary)
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
        status = run_status(plan, report)
        self.last_success = report.finished
        summary = summarise(
            status=status,
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
        async_update_issues(self.hass, self.config_entry, summary)
        self.hass.bus.async_fire(
            EVENT_SYNC_FINISHED,
            {
                "entry_id": self.config_entry.entry_id,
                "status": status.value,
                "preview": preview,
                "planned": len(plan.ops),
                "applied": dict(report.applied),
                "held": len(plan.held),
                "errors": [f"{f.op.side}: {f.error}" for f in failed],
            },
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

    # --------------------------------------------------------- manual changes

    async def async_write(self, ops: Iterable[Op]) -> list[FailedOp]:
        """Apply writes asked for by the user (to-do list), outside a sync.

        Linked Ops are recorded in the base like a sync's, so the next run
        does not undo them.
        """
        async with self._lock:
            failed: list[FailedOp] = []
            for op in ops:
                try:
                    await self.sides.apply(op)
                except AuthError:
                    self.config_entry.async_start_reauth(self.hass)
                    raise
                except SyncServiceError as err:
                    failed.append(FailedOp(op, str(err)))
                    continue
                if op.link in self.state.links:
                    self.state = record(self.state, op, dt_util.utcnow())
                    await self.store.async_save_state(self.state)
            return failed

    async def async_change_state(
        self, change: Callable[[SyncState], SyncState]
    ) -> None:
        """Change the state (manual link/unlink) between runs and save it."""
        async with self._lock:
            self.state = state = change(self.state)
            await self.store.async_save_state(state)
            if self.data is not None:
                self.data = replace(self.data, linked=len(state.links))
                self.async_update_listeners()

    def status(self) -> SyncStatus:
        """What the status sensor shows right now."""
        if self.syncing:
            return SyncStatus.SYNCING
        if self.failed or not self.last_update_success:
            return SyncStatus.ERROR
        return self.data.status if self.data else SyncStatus.IDLE
