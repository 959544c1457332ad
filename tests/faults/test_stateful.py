"""A hypothesis state machine: user edits on both simulators, syncs through
the real coordinator in Home Assistant, faults, crashes, restarts and days
passing.

Each example is a fresh pair of simulators' edited works (stateful_rig.py)
and the same config entry. Rules:

- user edits through the simulators' seed APIs: watchlist add/remove, rate
  (1..10)/unrate, watch/unwatch, on Plex or on SensCritique (one rule each);
- the user taking back, on one side, what syncs wrote there (an undo of a
  wish, a rating or a watch the sync made: issue 14);
- a sync (a person pressing "Sync now", or the schedule);
- a fault armed for the next sync on one side: 5xx, 429 with a long
  Retry-After, a malformed body or an expired token, on 1..3 requests, on any
  request or on the writes of one feature; timeouts on Plex only (see
  `stateful_rig.patient_senscritique`);
- an event: a sync (a person pressing "Sync now"), a sync that dies after
  its k-th write (a killed process, then a restart), a restart (the entry
  reloaded from its stored state, whose first refresh syncs), a day passing
  (the entry's clock moves past the grace window of pending writes), or
  convergence: faults stop, and two clean syncs later nothing is left to do
  (also at the end of every example).

What is checked after each sync, and why, is the model's (stateful_model.py):
the user's intents hold, the base only moves to the truth, SensCritique's
lagging writes follow engine/pending.py. A write whose outcome the run could
not know (timeout, unreadable answer), or a run that failed before or after
it read both sides, is settled by a clean sync before the user edits again
(see `_sync`): the model's intents are changes between two reads the engine
surely made.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, TypeVar

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    rule,
    run_state_machine_as_test,
)

from custom_components.plexsync.engine.errors import SyncServiceError
from custom_components.plexsync.engine.model import Feature, Side
from custom_components.plexsync.engine.plans import GuardKind
from custom_components.plexsync.pipeline import RunOutcome, SyncRequest
from tests.simulators.plex import PlexSimulator
from tests.simulators.senscritique import SensCritiqueSimulator

from .conftest import USERNAME, Crash, crash_after, simulated_entry
from .stateful_model import GRACE, UserModel
from .stateful_rig import (
    FAULTS,
    WORKS,
    StatefulRig,
    Value,
    fast_clients,
    seed,
)

EXAMPLES = 10
STEPS = 100  # EXAMPLES x STEPS >= 1,000 steps in every run
WORK = st.integers(0, WORKS - 1)
EVENTS = ("sync",) * 6 + ("crash", "restart", "day", "day", "converge")
A_DAY = GRACE + timedelta(hours=1)  # past the grace window of pending writes
T = TypeVar("T")
PLAIN = SyncRequest()
SETTLING = 3


class SyncMachine(RuleBasedStateMachine):
    """One example: the rig (simulators and entry) and the user's model."""

    rig: ClassVar[StatefulRig]
    steps: ClassVar[int] = 0

    def __init__(self) -> None:
        super().__init__()
        rig = self.rig
        self.plex, self.sc, self.works = rig.plex, rig.sc, rig.works
        self.errors: list[str] = []
        # What syncs changed: what the side showed before, and what they wrote.
        self.written: dict[tuple[int, Feature, Side], tuple[Value, Value]] = {}
        rig.clear_faults()
        rig.forget_edits()
        self.model = UserModel(rig.truth())
        # Both sides lost the example's items at once: past the shrink guard,
        # so the base lets go only when the user confirms (in _converge).
        self._converge()

    def _call(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run `coro` on Home Assistant's loop (this machine runs in a worker)."""
        return asyncio.run_coroutine_threadsafe(coro, self.rig.hass.loop).result(60)

    async def _reload(self) -> None:
        hass = self.rig.hass
        await hass.config_entries.async_reload(self.rig.entry.entry_id)
        await hass.async_block_till_done()

    def teardown(self) -> None:
        self._converge()

    def _links(self) -> dict[int, str]:
        """The link of each edited work, by index."""
        by_pid = {
            link.senscritique: link.id
            for link in self.rig.coordinator.state.links.values()
        }
        return {
            i: by_pid[str(work.pid)]
            for i, work in enumerate(self.works)
            if str(work.pid) in by_pid
        }

    # ---------------------------------------------------------------- syncs

    def _sync(
        self, request: SyncRequest = PLAIN, crash_at: int = 0, settling: int = 0
    ) -> RunOutcome | None:
        rig, model = self.rig, self.model
        before = rig.truth()
        model.note_user_changes(before)
        model.sync_reads(before, rig.ahead)
        base = rig.coordinator.state
        uncertain = rig.uncertain
        outcome = None
        crashed = failed = False
        if crash_at:
            crash_after(rig.coordinator, crash_at)
        try:
            outcome = self._call(rig.coordinator.async_run_now(request))
        except SyncServiceError as err:
            self.errors.append(repr(err))
            failed = True
        except Crash:
            crashed = True
        rig.clear_faults()
        after = rig.truth()
        model.check_intents(after)
        model.sync_wrote(before, after, rig.ahead)
        self.written.update(
            {k: (v, after[k]) for k, v in before.items() if after[k] != v}
        )
        if not crashed:
            model.check_base(self._links(), base, rig.coordinator.state, after)
        if outcome is not None:
            model.expired.clear()  # the run settled what the window ended on
        model.last = after
        if crashed:
            self._restart()
        elif (uncertain or failed) and settling < SETTLING:
            # A write may have landed unbeknown to the run, or the run failed
            # before or after it read both sides: a clean sync settles what
            # they show before the user edits again (bounded: a clean sync
            # can still meet a spurious timeout on this loaded machine).
            self._sync(settling=settling + 1)
        return outcome

    def _restart(self) -> None:
        """Reload from the stored state; the first refresh is a sync.

        A sign-in that times out on this loaded machine leaves the entry
        retrying, as Home Assistant would: reload again (bounded).
        """
        rig, model = self.rig, self.model
        rig.clear_faults()
        now = rig.truth()
        model.note_user_changes(now)
        model.sync_reads(now, rig.ahead)
        for _ in range(3):
            self._call(self._reload())
            if rig.entry.state is ConfigEntryState.LOADED:
                break
        assert rig.entry.state is ConfigEntryState.LOADED, rig.entry.reason
        after = rig.truth()
        model.check_intents(after)
        model.sync_wrote(now, after, rig.ahead)
        model.expired.clear()  # its first sync settled what the window ended on
        model.last = after

    def _converge(self) -> None:
        """Faults stop; two clean syncs in a row, the second with nothing to do.

        Lagging writes still unseen are let past their grace window first (a
        day passes), so what the rules decide for them is decided. The user
        confirms held removals (the repair issue's button). A sync a spurious
        timeout of this loaded machine disturbs does not count as clean:
        bounded retries.
        """
        self.rig.clear_faults()
        if self.model.unseen:
            self.rig.ahead += A_DAY
        clean = 0
        outcome = None
        for _ in range(6):
            outcome = self._sync()
            if outcome is not None:
                outcome = self._confirm_holds(outcome)
            if outcome is None or outcome.report.failed:
                clean = 0
                continue
            clean += 1
            if clean >= 2 and not outcome.plan.ops:
                break
        assert outcome is not None, f"no clean sync: {self.errors[-3:]}"
        assert outcome.report.failed == ()
        assert outcome.plan.ops == (), [
            (op.side, op.action, op.key, op.reason) for op in outcome.plan.ops
        ]
        assert (outcome.plan.held, outcome.plan.guards) == ((), ())
        self.model.check_converged(self.model.last)
        self.model.settle_intents()

    def _confirm_holds(self, outcome: RunOutcome) -> RunOutcome | None:
        """The user confirms what each guard held, one repair issue at a
        time, as its form shows it."""
        last: RunOutcome | None = outcome
        for kind in GuardKind:
            held = self.rig.coordinator.held.only(kind)
            if not held.empty:
                last = self._sync(SyncRequest(confirmed=held))
        return last

    # ---------------------------------------------------------------- rules

    def _step(self) -> None:
        type(self).steps += 1

    def _edit(self, side: Side, feature: Feature, work: int, value: Value) -> None:
        """The user sets `value` on one side, through the simulator's seed API
        (as the service's own app would)."""
        movie, now = self.works[work], int(time.time())
        if side is Side.SENSCRITIQUE:
            if feature is Feature.WATCHLIST:
                self.sc.state.set_mark(USERNAME, movie.pid, wished=bool(value))
            elif feature is Feature.RATINGS:
                self.sc.state.set_mark(USERNAME, movie.pid, rating=value)
            elif value:
                self.sc.state.set_mark(USERNAME, movie.pid, date_done=datetime.now(UTC))
            else:
                self.sc.state.set_mark(USERNAME, movie.pid, done=False, date_done=None)
            return
        with self.plex.state.lock:
            account = self.plex.state.state_of(movie.hex)
            if feature is Feature.WATCHLIST:
                account.watchlisted_at = now if value else None
            elif feature is Feature.RATINGS:
                account.rating = None if value is None else float(value)
                account.rated_at = None if value is None else now
            else:
                self.plex.state.scrobble_account(movie.hex, now, played=bool(value))

    # One rule per feature and side: edits are cheap and frequent, syncs are
    # the costly steps (see `happen`).

    @rule(work=WORK, on=st.booleans())
    def plex_watchlist(self, work: int, on: bool) -> None:
        self._step()
        self._edit(Side.PLEX, Feature.WATCHLIST, work, on)

    @rule(work=WORK, on=st.booleans())
    def senscritique_watchlist(self, work: int, on: bool) -> None:
        self._step()
        self._edit(Side.SENSCRITIQUE, Feature.WATCHLIST, work, on)

    @rule(work=WORK, value=st.none() | st.integers(1, 10))
    def plex_rating(self, work: int, value: int | None) -> None:
        self._step()
        self._edit(Side.PLEX, Feature.RATINGS, work, value)

    @rule(work=WORK, value=st.none() | st.integers(1, 10))
    def senscritique_rating(self, work: int, value: int | None) -> None:
        self._step()
        self._edit(Side.SENSCRITIQUE, Feature.RATINGS, work, value)

    @rule(work=WORK, on=st.booleans())
    def plex_watched(self, work: int, on: bool) -> None:
        self._step()
        self._edit(Side.PLEX, Feature.WATCHED, work, on)

    @rule(work=WORK, on=st.booleans())
    def senscritique_watched(self, work: int, on: bool) -> None:
        self._step()
        self._edit(Side.SENSCRITIQUE, Feature.WATCHED, work, on)

    @rule(side=st.sampled_from(Side))
    def undo_the_syncs_writes(self, side: Side) -> None:
        """The user takes back, on `side`, what syncs wrote there and it still
        shows: a wish, a rating, a watch (issue 14: such an undo stands)."""
        self._step()
        truth = self.rig.truth()
        for key, (was, wrote) in list(self.written.items()):
            work, feature, on = key
            if on is side and truth[key] == wrote:
                self._edit(side, feature, work, was)
                del self.written[key]

    @rule(
        fault=st.sampled_from(FAULTS),
        side=st.sampled_from(Side),
        count=st.integers(1, 3),
        feature=st.none() | st.sampled_from(Feature),
    )
    def arm_fault(
        self, fault: str, side: Side, count: int, feature: Feature | None
    ) -> None:
        self._step()
        self.rig.arm(fault, side, count, feature)

    @rule()
    def sync(self) -> None:
        """A person presses "Sync now" (or the schedule runs one)."""
        self._step()
        self._sync()

    @rule(event=st.sampled_from(EVENTS), k=st.integers(1, 4))
    def happen(self, event: str, k: int) -> None:
        """A sync, a crash after the k-th write, a restart, a day passing, or
        faults stopping until the two sides converge."""
        self._step()
        if event == "sync":
            self._sync()
        elif event == "crash":
            self._sync(crash_at=k)
        elif event == "restart":
            self._restart()
        elif event == "day":
            self.rig.ahead += A_DAY
        else:
            self._converge()


SETTINGS = settings(
    max_examples=EXAMPLES,
    stateful_step_count=STEPS,
    deadline=None,
    # The same 1,000 steps in every CI run; a failure prints its steps and blob.
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)


@pytest.mark.timeout(600)
async def test_edits_syncs_faults_and_restarts_lose_nothing(
    hass: HomeAssistant, plex_sim: PlexSimulator, sc_sim: SensCritiqueSimulator
) -> None:
    """One entry on one pair of simulators for every example; each example
    starts from no state on the edited works and a converged base."""
    works = seed(plex_sim, sc_sim)
    entry = simulated_entry(plex_sim, sc_sim)
    entry.add_to_hass(hass)
    rig = StatefulRig(hass, entry, plex_sim, sc_sim, works)
    with fast_clients(), rig.clock():
        assert await hass.config_entries.async_setup(entry.entry_id), entry.reason
        await hass.async_block_till_done()
        SyncMachine.rig = rig
        SyncMachine.steps = 0
        await hass.async_add_executor_job(
            lambda: run_state_machine_as_test(SyncMachine, settings=SETTINGS)
        )
        await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()
    assert SyncMachine.steps >= 1_000, SyncMachine.steps
