"""A hypothesis state machine: user edits on both simulators, syncs through
the real coordinator in Home Assistant, faults, crashes and restarts.

Each example is a fresh pair of simulators with a tiny account (three works
the user edits on both services, plus one anchor work every feature holds on
both sides, so no read is ever empty) and a fresh config entry. Rules:

- user edits through the simulators' seed APIs: watchlist add/remove, rate
  (1..10)/unrate, watch/unwatch, on Plex or on SensCritique (one rule each);
- a fault armed for the next sync on one side: 5xx, 429 with a long
  Retry-After, a malformed body or an expired token, on 1..3 requests, on any
  request or on the writes of one feature; timeouts on Plex only (see
  `_patient_senscritique`);
- an event: a sync (a person pressing "Sync now"), a sync that dies after
  its k-th write (a killed process, then a restart), a restart (the entry
  reloaded from its stored state, whose first refresh syncs), or
  convergence: faults stop, and two clean syncs later nothing is left to do
  (also at the end of every example).

The model is what the user meant. Before each sync, every (work, feature)
whose value changed on one side since the previous sync's end becomes that
side's intent (value and side). After each sync:
- no loss, no resurrection: the side where the user last set a value still
  holds it (an added wish is still there; a removed one did not come back);
- the base only advances to what both sides really hold (a failed Op never
  moves it);
and after convergence every intent holds on both sides (SensCritique cannot
un-mark a work as seen: a Plex "unwatch" stays on Plex only).

Edits made on both sides of one work between two syncs, or on the other side
before an earlier change was propagated, are a genuine conflict the rules
settle (latest date, lowest rating...): that (work, feature) is only checked
for convergence until the sides agree again. So is a wish, rating or watch
the sync wrote that the user takes back on that side before a read showed it:
the write is pending for design.md's grace window (24 h) and stands in for
the read (see `_undoes_pending`). A write whose outcome the run
could not know (timeout, unreadable answer) may still land; a clean sync
settles it before the user edits again (see `_sync`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar, TypeVar
from unittest.mock import patch

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    rule,
    run_state_machine_as_test,
)
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plexsync.clients import senscritique_url
from custom_components.plexsync.coordinator import PlexSyncCoordinator
from custom_components.plexsync.engine.errors import SyncServiceError
from custom_components.plexsync.engine.model import (
    Action,
    Feature,
    Op,
    Side,
    SyncState,
)
from custom_components.plexsync.pipeline import SyncRequest
from custom_components.plexsync.senscritique.client import (
    Politeness,
    SensCritiqueClient,
)
from tests.simulators.plex import PlexSimulator
from tests.simulators.senscritique import SensCritiqueSimulator
from tests.simulators.senscritique_faults import Faults

from .conftest import (
    CLIENT_TIMEOUT,
    EMAIL,
    PASSWORD,
    USERNAME,
    _fast_plex_factory,
    simulated_entry,
)
from .test_matrix import PLEX_WRITE, SC_WRITE

EXAMPLES = 10
STEPS = 100  # EXAMPLES x STEPS >= 1,000 steps in every run
WORKS = 3
STALL = CLIENT_TIMEOUT + 0.5  # a Plex request the client gives up on
FAULTS = ("5xx", "429", "timeout", "malformed", "token")
UNKNOWN_OUTCOME = {"timeout", "malformed"}
EVENTS = ("sync",) * 6 + ("crash", "restart", "converge")
WORK = st.integers(0, WORKS - 1)
T = TypeVar("T")
Value = bool | int | None
Key = tuple[int, Feature]
# Writes a read stands in for while pending, even when the user took them back.
ADDS = {Action.ADD_WATCHLIST, Action.SET_RATING, Action.MARK_WATCHED}


class Crash(BaseException):
    """The process dies in the middle of a run."""


@dataclass(frozen=True)
class Intent:
    """What the user last set on one (work, feature): value and side."""

    value: Value
    side: Side | None  # None: the same value set on both sides


PLAIN = SyncRequest()
CONFLICT = Intent(None, None)  # the rules settle it; only convergence is checked


@dataclass(frozen=True)
class Movie:
    guid: str
    pid: int

    @property
    def hex(self) -> str:
        return self.guid.rsplit("/", 1)[-1]


class SyncMachine(RuleBasedStateMachine):
    """One example: simulators, an entry, and what the user meant."""

    rig: ClassVar[StatefulRig]
    steps: ClassVar[int] = 0

    def __init__(self) -> None:
        super().__init__()
        rig = self.rig
        self.hass, self.entry, self.plex, self.sc = (
            rig.hass,
            rig.entry,
            rig.plex,
            rig.sc,
        )
        self.works = rig.works
        self.armed: list[str] = []
        self.errors: list[str] = []
        self.intents: dict[Key, Intent] = {}
        self._clear_faults()
        self._forget_edits()
        self.last = self._truth()
        # Both sides lost the example's items at once: past the shrink guard,
        # so the base lets go only when the user confirms.
        self._sync(SyncRequest(confirm_removals=True))
        self._converge()

    def _forget_edits(self) -> None:
        """Every edited work back to no state on both sides (a new example)."""
        with self.plex.state.lock:
            for work in self.works:
                account = self.plex.state.state_of(work.hex)
                account.watchlisted_at = account.rating = account.rated_at = None
                self.plex.state.scrobble_account(work.hex, 0, played=False)
        for work in self.works:
            self.sc.state.set_mark(
                USERNAME,
                work.pid,
                wished=False,
                rating=None,
                done=False,
                date_done=None,
            )

    def _call(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run `coro` on Home Assistant's loop (this machine runs in a worker)."""
        return asyncio.run_coroutine_threadsafe(coro, self.hass.loop).result(60)

    async def _reload(self) -> None:
        await self.hass.config_entries.async_reload(self.entry.entry_id)
        await self.hass.async_block_till_done()

    def teardown(self) -> None:
        self._converge()

    @property
    def coordinator(self) -> PlexSyncCoordinator:
        coordinator: PlexSyncCoordinator = self.entry.runtime_data.coordinator
        return coordinator

    # --------------------------------------------------------------- truth

    def _truth(self) -> dict[tuple[int, Feature, Side], Value]:
        """What each side shows now, per edited work and feature."""
        wished, rated, seen = (
            self.plex.watchlist(),
            self.plex.account_ratings(),
            self.plex.account_watched(),
        )
        sc_wished = self.sc.state.wished(USERNAME)
        sc_rated = self.sc.state.ratings(USERNAME)
        sc_done = self.sc.state.done(USERNAME)
        truth: dict[tuple[int, Feature, Side], Value] = {}
        for i, work in enumerate(self.works):
            rating = rated.get(work.guid)
            truth[i, Feature.WATCHLIST, Side.PLEX] = work.guid in wished
            truth[i, Feature.RATINGS, Side.PLEX] = (
                None if rating is None else round(rating)
            )
            truth[i, Feature.WATCHED, Side.PLEX] = work.guid in seen
            truth[i, Feature.WATCHLIST, Side.SENSCRITIQUE] = work.pid in sc_wished
            truth[i, Feature.RATINGS, Side.SENSCRITIQUE] = sc_rated.get(work.pid)
            truth[i, Feature.WATCHED, Side.SENSCRITIQUE] = work.pid in sc_done
        return truth

    def _settle_intents(self) -> None:
        """Where both sides agree, that is the intent."""
        for i in range(WORKS):
            for feature in Feature:
                plex = self.last[i, feature, Side.PLEX]
                sc = self.last[i, feature, Side.SENSCRITIQUE]
                if plex == sc:
                    self.intents[i, feature] = Intent(plex, None)

    def _note_user_changes(self, now: dict[tuple[int, Feature, Side], Value]) -> None:
        for i in range(WORKS):
            for feature in Feature:
                changed = [
                    s for s in Side if now[i, feature, s] != self.last[i, feature, s]
                ]
                if not changed:
                    continue
                before = self.intents.get((i, feature), CONFLICT)
                agreed = (
                    self.last[i, feature, Side.PLEX]
                    == self.last[i, feature, Side.SENSCRITIQUE]
                )
                if len(changed) == 2:
                    values = {now[i, feature, s] for s in Side}
                    intent = (
                        Intent(values.pop(), None) if len(values) == 1 else CONFLICT
                    )
                elif self._undoes_pending(i, feature, changed[0], now):
                    intent = CONFLICT
                elif agreed or (before.side is changed[0] and before != CONFLICT):
                    intent = Intent(now[i, feature, changed[0]], changed[0])
                else:
                    intent = CONFLICT
                self.intents[i, feature] = intent
            rated = now[i, Feature.RATINGS, Side.PLEX]
            # A rating copied to SensCritique marks the work seen there (its
            # rule, not the user's): "not seen" is no longer a promise.
            if (
                rated is not None
                and rated != self.last[i, Feature.RATINGS, Side.PLEX]
                and self.intents.get((i, Feature.WATCHED), CONFLICT).value is False
            ):
                self.intents[i, Feature.WATCHED] = CONFLICT

    def _undoes_pending(
        self,
        i: int,
        feature: Feature,
        side: Side,
        now: dict[tuple[int, Feature, Side], Value],
    ) -> bool:
        """Whether the user took back, on `side`, a wish, rating or watch the
        sync wrote there and no read has shown since (a pending write).

        design.md, Safety: "A write that the next read does not yet show is
        pending, not removed, for a grace window (default 24 h)". An undo
        before the next read looks exactly like SensCritique's write lag, so
        the written value stands in for the read and the two sides may stay
        different until the grace window ends (then the write is planned
        again): the rules settle it, like a conflict, not the user's intent.
        """
        if now[i, feature, side] not in (False, None):
            return False  # a new value shows at once: it supersedes the write
        state = self.coordinator.state
        by_pid = {link.senscritique: link_id for link_id, link in state.links.items()}
        link = by_pid.get(str(self.works[i].pid))
        return any(
            entry.link == link
            and entry.side is side
            and entry.action in ADDS
            and entry.action.feature is feature
            for entry in state.pending
        )

    def _check_intents(self, after: dict[tuple[int, Feature, Side], Value]) -> None:
        for (i, feature), intent in self.intents.items():
            if intent == CONFLICT:
                continue
            sides = [intent.side] if intent.side else list(Side)
            for side in sides:
                assert after[i, feature, side] == intent.value, (
                    f"work {i} {feature} on {side}: the user set {intent.value!r}, "
                    f"the sync left {after[i, feature, side]!r}"
                )

    def _check_base(
        self, before: SyncState, after: dict[tuple[int, Feature, Side], Value]
    ) -> None:
        """A base that moved during the run moved to what both sides hold."""
        state = self.coordinator.state
        by_pid = {link.senscritique: link.id for link in state.links.values()}
        for i, work in enumerate(self.works):
            link = by_pid.get(str(work.pid))
            new = state.agreed.get(link) if link else None
            old = before.agreed.get(link) if link else None
            if new is None or new == old:
                continue
            for feature, value, was in (
                (Feature.WATCHLIST, new.watchlist, old.watchlist if old else None),
                (Feature.RATINGS, new.rating, old.rating if old else None),
                # Not seen any more: SensCritique cannot follow, so only "seen".
                (Feature.WATCHED, new.watched or None, old.watched if old else None),
            ):
                if (value is None and feature is not Feature.RATINGS) or value == was:
                    continue  # this feature's base did not move in this run
                for side in Side:
                    assert after[i, feature, side] == value, (
                        f"base of work {i} moved to {feature}={value!r}, "
                        f"{side} shows {after[i, feature, side]!r}"
                    )

    # --------------------------------------------------------------- faults

    def _arm(self, fault: str, side: Side, count: int, feature: Feature | None) -> None:
        plex, sc = self.plex, self.sc
        role, path = PLEX_WRITE[feature] if feature else (None, None)
        operation = SC_WRITE[feature] if feature else None
        plex_on = side is Side.PLEX
        if fault == "5xx":
            if plex_on:
                plex.fail(503, count=count, role=role, path=path)
            else:
                sc.fail_next(count, status=503, operation=operation)
        elif fault == "429":
            if plex_on:
                plex.fail(429, count=count, role=role, path=path, retry_after=600)
            else:
                sc.rate_limit_next(count, retry_after=600, operation=operation)
        elif fault == "timeout":  # Plex only: see _patient_senscritique
            plex.stall(STALL, count=count, role=role, path=path)
        elif fault == "malformed":
            if plex_on:
                plex.malform(count=count, role=role, path=path)
            else:
                sc.malformed_next("not_json", count, operation=operation)
        elif plex_on:  # token: Plex refuses it until the user signs in again
            plex.expire_token()
        else:  # SensCritique: the client signs in again by itself
            sc.expire_tokens()
        self.armed.append(fault)

    def _clear_faults(self) -> None:
        if "timeout" in self.armed:
            time.sleep(STALL + 0.05)  # a stalled write lands (or not) first
        self.plex.reset_faults()
        self.sc.faults = Faults()
        self.plex.renew_token()

    # ---------------------------------------------------------------- syncs

    def _sync(self, request: SyncRequest = PLAIN, crash_at: int = 0) -> Any:
        before = self._truth()
        self._note_user_changes(before)
        base = self.coordinator.state
        uncertain = any(fault in UNKNOWN_OUTCOME for fault in self.armed)
        outcome = None
        crashed = False
        if crash_at:
            self._crash_after(crash_at)
        try:
            outcome = self._call(self.coordinator.async_run_now(request))
        except SyncServiceError as err:
            self.errors.append(repr(err))
        except Crash:
            crashed = True
        self._clear_faults()
        self.armed = []
        after = self._truth()
        self._check_intents(after)
        if not crashed:
            self._check_base(base, after)
        self.last = after
        if crashed:
            self._restart()
        elif uncertain:
            self._sync()  # settle what may have landed before the user edits again
        return outcome

    def _crash_after(self, k: int) -> None:
        sides = self.coordinator.sides
        original = sides.apply
        written: list[Op] = []

        async def apply(op: Op) -> None:
            await original(op)
            written.append(op)
            if len(written) == k:
                raise Crash

        sides.apply = apply  # type: ignore[method-assign]

    def _restart(self) -> None:
        """Reload from the stored state; the first refresh is a sync.

        A sign-in that times out on this loaded machine leaves the entry
        retrying, as Home Assistant would: reload again (bounded).
        """
        self._clear_faults()
        self._note_user_changes(self._truth())
        for _ in range(3):
            self._call(self._reload())
            if self.entry.state is ConfigEntryState.LOADED:
                break
        assert self.entry.state is ConfigEntryState.LOADED, self.entry.reason
        after = self._truth()
        self._check_intents(after)
        self.last = after

    def _converge(self) -> None:
        """Faults stop; two clean syncs in a row, the second with nothing to do.

        The user confirms held removals (the repair issue's button). A sync
        a spurious timeout of this loaded machine disturbs does not count as
        clean: bounded retries.
        """
        self._clear_faults()
        self.armed = []
        clean = 0
        for _ in range(6):
            outcome = self._sync()
            if outcome is not None and outcome.plan.held:
                outcome = self._sync(SyncRequest(confirm_removals=True))
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
        assert outcome.plan.held == ()
        for (i, feature), intent in self.intents.items():
            if intent == CONFLICT:
                continue
            for side in Side:
                if (
                    feature is Feature.WATCHED
                    and intent.value is False
                    and side is Side.SENSCRITIQUE
                    and intent.side is Side.PLEX
                ):
                    continue  # SensCritique has no "un-see"
                assert self.last[i, feature, side] == intent.value, (
                    f"work {i} {feature} on {side} never reached {intent.value!r}"
                )
        self.intents = {}
        self._settle_intents()

    # ---------------------------------------------------------------- rules

    def _step(self) -> None:
        type(self).steps += 1

    # One rule per feature and side: edits are cheap and frequent, syncs are
    # the costly steps (see `happen`).

    @rule(work=WORK, on=st.booleans())
    def plex_watchlist(self, work: int, on: bool) -> None:
        self._step()
        with self.plex.state.lock:
            self.plex.state.state_of(self.works[work].hex).watchlisted_at = (
                int(time.time()) if on else None
            )

    @rule(work=WORK, on=st.booleans())
    def senscritique_watchlist(self, work: int, on: bool) -> None:
        self._step()
        self.sc.state.set_mark(USERNAME, self.works[work].pid, wished=on)

    @rule(work=WORK, value=st.none() | st.integers(1, 10))
    def plex_rating(self, work: int, value: int | None) -> None:
        self._step()
        with self.plex.state.lock:
            account = self.plex.state.state_of(self.works[work].hex)
            account.rating = None if value is None else float(value)
            account.rated_at = None if value is None else int(time.time())

    @rule(work=WORK, value=st.none() | st.integers(1, 10))
    def senscritique_rating(self, work: int, value: int | None) -> None:
        self._step()
        self.sc.state.set_mark(USERNAME, self.works[work].pid, rating=value)

    @rule(work=WORK, on=st.booleans())
    def plex_watched(self, work: int, on: bool) -> None:
        self._step()
        with self.plex.state.lock:
            self.plex.state.scrobble_account(
                self.works[work].hex, int(time.time()), played=on
            )

    @rule(work=WORK, on=st.booleans())
    def senscritique_watched(self, work: int, on: bool) -> None:
        self._step()
        pid = self.works[work].pid
        if on:
            self.sc.state.set_mark(USERNAME, pid, date_done=datetime.now(UTC))
        else:
            self.sc.state.set_mark(USERNAME, pid, done=False, date_done=None)

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
        self._arm(fault, side, count, feature)

    @rule(event=st.sampled_from(EVENTS), k=st.integers(1, 4))
    def happen(self, event: str, k: int) -> None:
        """A sync (most often), a crash after the k-th write, a restart, or
        faults stopping until the two sides converge (syncs cost the most
        time: one rule for all of them keeps edits and faults frequent)."""
        self._step()
        if event == "sync":
            self._sync()
        elif event == "crash":
            self._sync(crash_at=k)
        elif event == "restart":
            self._restart()
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


def _patient_senscritique(hass: HomeAssistant) -> SensCritiqueClient:
    """No spacing, one retry, and a timeout the simulator always meets.

    The SensCritique simulator runs on Home Assistant's own (debug) loop, where
    one library answer can take a few hundred ms on this shared machine: with
    the matrix's 0.3 s timeout, clean syncs would time out at random. So this
    test leaves timeouts to Plex (its simulator has its own thread);
    SensCritique timeouts are covered cell by cell by test_matrix.py.
    """
    return SensCritiqueClient(
        async_get_clientsession(hass),
        url=senscritique_url(),
        politeness=Politeness(min_interval=0.0, retries=1, backoff=0.01, timeout=5.0),
    )


@dataclass
class StatefulRig:
    hass: HomeAssistant
    entry: MockConfigEntry
    plex: PlexSimulator
    sc: SensCritiqueSimulator
    works: list[Movie]


def _movie(
    plex: PlexSimulator, sc: SensCritiqueSimulator, title: str, year: int
) -> Movie:
    guid = plex.add_movie(title, year, in_library=False)
    return Movie(guid, sc.state.add_movie(title, year))


def _seed(plex: PlexSimulator, sc: SensCritiqueSimulator) -> list[Movie]:
    sc.state.add_user(USERNAME, EMAIL, PASSWORD)
    works = [_movie(plex, sc, f"Edited {i}", 1971 + i) for i in range(WORKS)]
    anchor = _movie(plex, sc, "Anchor", 1960)
    plex.watchlist_add(anchor.guid, 1_600_000_000)
    plex.set_user_state(anchor.guid, rating=8.0, viewed_at=1_600_000_000)
    seen = datetime.fromtimestamp(1_600_000_000, UTC)
    sc.state.set_mark(USERNAME, anchor.pid, wished=True)
    sc.state.set_mark(USERNAME, anchor.pid, rating=8, date_done=seen)
    return works


@pytest.mark.timeout(600)
async def test_edits_syncs_faults_and_restarts_lose_nothing(
    hass: HomeAssistant, plex_sim: PlexSimulator, sc_sim: SensCritiqueSimulator
) -> None:
    """One entry on one pair of simulators for every example; each example
    starts from no state on the edited works and a converged base."""
    works = _seed(plex_sim, sc_sim)
    entry = simulated_entry(plex_sim, sc_sim)
    entry.add_to_hass(hass)
    with (
        patch("custom_components.plexsync.async_new_plex", _fast_plex_factory()),
        patch("custom_components.plexsync.new_senscritique", _patient_senscritique),
    ):
        assert await hass.config_entries.async_setup(entry.entry_id), entry.reason
        await hass.async_block_till_done()
        SyncMachine.rig = StatefulRig(hass, entry, plex_sim, sc_sim, works)
        SyncMachine.steps = 0
        await hass.async_add_executor_job(
            lambda: run_state_machine_as_test(SyncMachine, settings=SETTINGS)
        )
        await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()
    assert SyncMachine.steps >= 1_000, SyncMachine.steps
