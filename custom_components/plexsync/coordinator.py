"""The sync coordinator: read both sides -> link -> plan -> apply -> persist.

The run itself, in that order, is `SyncPipeline.run` (pipeline.py); this
module is its Home Assistant side: the schedule, sign-in at setup, one run at
a time per entry, service errors translated, repair issues and bus events.

A plain sync asked for while one runs is coalesced: every such request joins
a single follow-up run. The state is saved after each successful write (whole
at the run's start and end, as a journal entry in between: see store.py), so
a restart mid-run loses nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryError
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .approvals import ISSUE_PREVIEW, async_update_hold_issue, waiting
from .changes import Title, op_title
from .clients import SideClients, async_sign_in_senscritique
from .const import (
    CONF_PLEX_SERVER_ID,
    CONF_PLEX_SERVER_NAME,
    CONF_SC_MODE,
    CONF_SC_USERNAME,
    DOMAIN,
    EVENT_SYNC_FAILED,
    EVENT_SYNC_FINISHED,
    LOGGER,
    SC_MODE_READ_ONLY,
)
from .engine.errors import (
    AuthError,
    NotFound,
    RateLimited,
    ServiceUnavailable,
    SyncServiceError,
)
from .engine.guards import NOTHING_HELD, Held
from .engine.model import Side, SyncState
from .engine.plans import Op
from .events import entry_fields, fire_change
from .issues import async_update_issues
from .last_run import LastRun
from .options import only_features, preview_only, sync_interval, sync_options
from .pipeline import RunOutcome, SyncPipeline, SyncRequest
from .status import Assessment, FailureStreaks, assess, missing_capabilities
from .store import PlexSyncStore
from .summary import FailedOp, SyncSummary
from .undo_run import UndoLog, async_undo

if TYPE_CHECKING:
    from .instant import InstantSync

SERVICE_NAMES = {Side.PLEX: "Plex", Side.SENSCRITIQUE: "SensCritique"}


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
    """The translated message names the service; the service's own words
    (English, technical) go to the log, not into the message."""
    LOGGER.debug("%s: %s", SERVICE_NAMES[err.side], err)
    return {"service": SERVICE_NAMES[err.side]}


def update_failure(err: SyncServiceError) -> ConfigEntryAuthFailed | UpdateFailed:
    """What a failed run tells Home Assistant: a refused sign-in asks for a
    new one, anything else is retried."""
    failure = ConfigEntryAuthFailed if isinstance(err, AuthError) else UpdateFailed
    return failure(
        translation_domain=DOMAIN,
        translation_key=error_key(err),
        translation_placeholders=error_placeholders(err),
    )


@dataclass(slots=True)
class PlexSyncData:
    """What a loaded entry holds."""

    coordinator: PlexSyncCoordinator
    sides: SideClients
    store: PlexSyncStore
    instant: InstantSync


type PlexSyncConfigEntry = ConfigEntry[PlexSyncData]


def loaded_entry_or_none(
    hass: HomeAssistant, entry_id: str
) -> PlexSyncConfigEntry | None:
    """The PlexSync entry `entry_id` if it is loaded (it has runtime data)."""
    entry: PlexSyncConfigEntry | None = hass.config_entries.async_get_entry(entry_id)
    loaded = entry is not None and entry.state is ConfigEntryState.LOADED
    return entry if loaded else None


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
        self.pipeline = SyncPipeline(hass, sides, store)
        self.pipeline.on_applied = partial(fire_change, hass, entry)
        self.syncing = False
        # The kind and message of the error that ended the last run, if any.
        self.error: tuple[str, str] | None = None
        self.last_run: LastRun | None = None
        self.streaks = FailureStreaks()
        self.missing: list[str] = []
        self.undo_log = UndoLog(hass, entry.entry_id)
        # Held for the user's word besides the guards' holds (approvals.py):
        # a preview's writes, the to-do list's deletions above the guard.
        self.waiting = NOTHING_HELD
        self.todo_held = NOTHING_HELD
        self._lock = asyncio.Lock()
        self._follow_up: asyncio.Future[RunOutcome] | None = None

    @property
    def state(self) -> SyncState:
        """The sync state: links, base, pending writes (see pipeline.py)."""
        return self.pipeline.state

    @property
    def last_success(self) -> datetime | None:
        return self.pipeline.last_success

    @property
    def held(self) -> Held:
        """What the last run's guards held (what a confirmation can name)."""
        return self.pipeline.held

    @property
    def read_only(self) -> bool:
        """SensCritique attached by username only: nothing is written there."""
        return self.config_entry.data.get(CONF_SC_MODE) == SC_MODE_READ_ONLY

    async def _async_setup(self) -> None:
        """Load the stored state and sign in to both services.

        Only a refused sign-in (a real 401/403) asks the user to sign in
        again. A service that cannot be reached, times out, answers 5xx or
        429 is retried by Home Assistant with backoff (UpdateFailed at set-up
        is ConfigEntryNotReady). A Plex server gone from the account needs
        another server (reconfigure); a SensCritique username that no longer
        exists needs the new one (reauth asks for it).
        """
        stored = await self.store.async_load()
        self.pipeline.restore(stored)
        await self.undo_log.async_load()
        data = self.config_entry.data
        try:
            await self.hass.async_add_executor_job(self.sides.plex.account)
            try:
                await self.hass.async_add_executor_job(
                    self.sides.plex.connect, data.get(CONF_PLEX_SERVER_ID)
                )
            except NotFound as err:
                raise ConfigEntryError(
                    translation_domain=DOMAIN,
                    translation_key="server_gone",
                    translation_placeholders={
                        "server": str(data.get(CONF_PLEX_SERVER_NAME))
                    },
                ) from err
            try:
                await async_sign_in_senscritique(self.sides.senscritique, data)
            except NotFound as err:
                raise ConfigEntryAuthFailed(
                    translation_domain=DOMAIN,
                    translation_key="username_gone",
                    translation_placeholders={
                        "username": str(data.get(CONF_SC_USERNAME))
                    },
                ) from err
        except SyncServiceError as err:
            raise update_failure(err) from err

    async def _async_update_data(self) -> SyncSummary:
        """The scheduled (or requested) full sync."""
        try:
            outcome = await self.async_sync(SyncRequest())
        except SyncServiceError as err:
            raise update_failure(err) from err
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
            self.error = (error_key(err), str(err))
            if not request.dry_run:
                self.last_run = LastRun(dt_util.utcnow(), error=str(err))
            self.hass.bus.async_fire(
                EVENT_SYNC_FAILED,
                {
                    **entry_fields(self.config_entry),
                    "service": err.side.value,
                    "error": error_key(err),
                    "message": str(err),
                },
            )
            raise
        finally:
            self.syncing = False
        if not request.dry_run:
            self.error = None
        if self.data is not None:
            self.async_update_listeners()
        return outcome

    async def _sync(self, request: SyncRequest) -> RunOutcome:
        """Read -> link -> plan -> apply -> persist (pipeline.py), then tell
        Home Assistant: repair issues and the finished event."""
        options = only_features(
            sync_options(self.config_entry.options, read_only=self.read_only),
            request.features,
        )
        preview = preview_only(self.config_entry.options)
        outcome = await self.pipeline.run(request, options, preview=preview)
        if request.dry_run:
            return outcome
        plan, report, summary = outcome.plan, outcome.report, outcome.summary
        await self.undo_log.async_keep(
            "sync",
            outcome.applied,
            [op_title(op, summary.works, summary.links) for op in outcome.applied],
        )
        self.streaks.update(report.failed)
        self.waiting = waiting(plan, outcome.applied, preview=preview)
        async_update_hold_issue(
            self.hass, self.config_entry, ISSUE_PREVIEW, self.waiting
        )
        self.last_run = LastRun.of(plan, report)
        capabilities = {side: await self.sides.capabilities(side) for side in Side}
        self.missing = missing_capabilities(options, capabilities)
        async_update_issues(self.hass, self.config_entry, summary)
        self.hass.bus.async_fire(
            EVENT_SYNC_FINISHED,
            {
                **entry_fields(self.config_entry),
                "status": self.assessment(summary, finished=True).status.value,
                "preview": preview,
                "planned": len(plan.ops),
                "applied": dict(report.applied),
                "held": len(plan.held),
                "errors": [f"{f.op.side}: {f.error}" for f in report.failed],
            },
        )
        return outcome

    # --------------------------------------------------------- manual changes

    async def async_write(
        self, ops: Sequence[Op], titles: Sequence[Title]
    ) -> list[FailedOp]:
        """Apply writes asked for by the user (to-do list), outside a sync;
        those made are kept for an undo (`titles`: one per Op)."""
        async with self._lock:
            try:
                failed = await self.pipeline.write(ops)
            except AuthError:
                self.config_entry.async_start_reauth(self.hass)
                raise
            refused = {f.op for f in failed}
            made = [
                (op, t) for op, t in zip(ops, titles, strict=True) if op not in refused
            ]
            await self.undo_log.async_keep(
                "todo", [op for op, _ in made], [t for _, t in made]
            )
            return failed

    async def async_undo(self) -> dict[str, Any] | None:
        """Put back the writes of the last run or to-do action (undo_run.py);
        None when there is nothing to undo. Then a sync shows the result."""
        async with self._lock:
            try:
                answer = await async_undo(self.pipeline, self.sides, self.undo_log)
            except AuthError:
                self.config_entry.async_start_reauth(self.hass)
                raise
        if answer is not None:
            await self.async_request_refresh()
        return answer

    async def async_change_state(
        self, change: Callable[[SyncState], SyncState]
    ) -> None:
        """Change the state (manual link/unlink) between runs and save it."""
        async with self._lock:
            self.pipeline.state = state = change(self.pipeline.state)
            await self.store.async_save_state(state)
            if self.data is not None:
                self.data = replace(self.data, linked=len(state.links))
                self.async_update_listeners()

    def exclusive(self) -> asyncio.Lock:
        """Held by every run and write of this entry (one at a time)."""
        return self._lock

    def assessment(
        self, summary: SyncSummary | None = None, *, finished: bool = False
    ) -> Assessment:
        """What the status sensor shows right now (see status.py), or, when
        `finished`, what the run ending now leaves it at."""
        error = None if finished else self.error
        if error is None and not finished and not self.last_update_success:
            err = self.last_exception
            error = ("service_error", str(err) if err else "")
        return assess(
            summary if finished else summary or self.data,
            waiting=len(self.waiting.ops),
            syncing=self.syncing and not finished,
            error=error[0] if error else None,
            error_message=error[1] if error else None,
            streaks=self.streaks,
            missing=self.missing,
        )

    @property
    def next_run_interval(self) -> timedelta | None:
        """The schedule between runs; None when polling is turned off."""
        if self.config_entry.pref_disable_polling:
            return None
        return self.update_interval
