"""Fault matrix: {fault} x {watchlist, ratings, watched} x {Plex, SensCritique}.

In every cell the user first marks three works on the other side, so the
faulty run has writes to make on the side under test; the fault hits that
side (its writes, its sign-in or its read). Every cell asserts:
- nothing was removed without the user's intent (every agreed work of every
  feature is still on both sides, after the faulty run and after recovery);
- the base did not advance for failed Ops (whatever the stored base says is
  agreed for a pending work, the side under test really holds);
- a fault the run could not absorb is visible (a failed update with a
  translated error, failed Ops in the report, a repair issue or a reauth flow);
- two clean runs afterwards converge: the side holds the user's change and
  the second clean run has nothing left to do.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.helpers import issue_registry as ir

from custom_components.plexsync.const import DOMAIN
from custom_components.plexsync.engine.model import Feature, Side
from custom_components.plexsync.pipeline import SyncRequest
from tests.simulators.senscritique_faults import Faults

from .conftest import PASSWORD, USERNAME, Rig, side_holds

FAULTS = (
    "5xx",
    "timeout",
    "429",
    "malformed",
    "401",
    "empty_read",
    "shrunken_read",
    "wish_lag",
)
STALL = 3.0  # twice the clients' timeout (conftest.CLIENT_TIMEOUT)

PLEX_WRITE = {
    Feature.WATCHLIST: ("discover", "/actions/addToWatchlist"),
    Feature.RATINGS: ("discover", "/actions/rate"),
    Feature.WATCHED: ("metadata", "/actions/scrobble"),
}
SC_WRITE = {
    Feature.WATCHLIST: "ProductWish",
    Feature.RATINGS: "ProductRate",
    Feature.WATCHED: "ProductDone",
}


def user_marks_other_side(rig: Rig, side: Side, feature: Feature) -> None:
    """The user marks the pending works on the side NOT under test."""
    for i, work in enumerate(rig.account.pending[feature]):
        seen = 1_700_000_000 + i * 3600
        if side is Side.SENSCRITIQUE:  # marked on Plex, to be written to SC
            if feature is Feature.WATCHLIST:
                rig.plex.watchlist_add(work.guid, seen)
            elif feature is Feature.RATINGS:
                rig.plex.set_user_state(work.guid, rating=float(7 + i), viewed_at=seen)
            else:
                rig.plex.set_user_state(work.guid, viewed_at=seen)
        else:
            when = datetime.fromtimestamp(seen, UTC)
            if feature is Feature.WATCHLIST:
                rig.sc.state.set_mark(USERNAME, work.pid, wished=True)
            elif feature is Feature.RATINGS:
                rig.sc.state.set_mark(USERNAME, work.pid, rating=7 + i, date_done=when)
            else:
                rig.sc.state.set_mark(USERNAME, work.pid, date_done=when)


class Hidden:
    """Hides some of a side's state for one run (an empty or shrunken read)."""

    def __init__(self, rig: Rig, side: Side, feature: Feature | None) -> None:
        self.rig, self.side, self.feature = rig, side, feature
        self._saved: object = None

    def __enter__(self) -> None:
        rig = self.rig
        if self.side is Side.SENSCRITIQUE:
            user = rig.sc.state.users[USERNAME]
            self._saved = dict(user.marks)
            if self.feature is None:
                user.marks = {}
                return
            hidden = {w.pid for w in rig.account.agreed[self.feature][:6]}
            user.marks = {p: m for p, m in user.marks.items() if p not in hidden}
            return
        state = rig.plex.state
        with state.lock:
            self._saved = (state.account, state.history)
            if self.feature is None:
                state.account, state.history = {}, []
                return
            hidden = {
                w.guid.rsplit("/", 1)[-1] for w in rig.account.agreed[self.feature][:6]
            }
            state.account = {h: s for h, s in state.account.items() if h not in hidden}
            state.history = [r for r in state.history if r[0] not in hidden]

    def __exit__(self, *exc: object) -> None:
        rig = self.rig
        if self.side is Side.SENSCRITIQUE:
            saved = self._saved
            assert isinstance(saved, dict)
            rig.sc.state.users[USERNAME].marks.update(saved)
            return
        state = rig.plex.state
        with state.lock:
            account, history = self._saved  # type: ignore[misc]
            # Keep what the run itself wrote while the rest was hidden.
            account.update({h: s for h, s in state.account.items() if h not in account})
            state.account = account
            state.history = sorted(
                set(history) | set(state.history), key=lambda r: r[1]
            )


def arm(rig: Rig, fault: str, side: Side, feature: Feature) -> Callable[[], None]:
    """Set the fault up on the simulator of `side`; returns how to clear it."""
    plex, sc = rig.plex, rig.sc
    role, path = PLEX_WRITE[feature]
    operation = SC_WRITE[feature]
    if fault == "5xx":
        if side is Side.PLEX:
            plex.fail(503, count=50, role=role, path=path)
        else:
            sc.fail_next(50, status=503, operation=operation)
    elif fault == "timeout":
        if side is Side.PLEX:
            plex.stall(STALL, count=50, role=role, path=path)
        else:
            sc.stall_next(STALL, 50, operation=operation)
    elif fault == "429":
        if side is Side.PLEX:
            plex.fail(429, count=50, role=role, path=path, retry_after=600)
        else:
            sc.rate_limit_next(50, retry_after=600, operation=operation)
    elif fault == "malformed":
        if side is Side.PLEX:
            plex.malform(count=50, role=role, path=path)
        else:
            sc.malformed_next("not_json", 50, operation=operation)
    elif fault == "wish_lag":
        sc.set_wish_lag(reads=2)

    def clear() -> None:
        plex.reset_faults()
        sc.faults = Faults()

    return clear


def expire_before_first_write(rig: Rig, side: Side) -> None:
    """401 in the middle of a run: the sign-in dies after the reads."""
    sides = rig.coordinator.sides
    original = sides.apply
    fired = False

    async def apply(op: object) -> None:
        nonlocal fired
        if not fired:
            fired = True
            if side is Side.PLEX:
                rig.plex.expire_token()
            else:  # expired AND the password changed elsewhere: no silent renewal
                rig.sc.state.users[USERNAME].password = "changed-elsewhere"
                rig.sc.expire_tokens()
        await original(op)  # type: ignore[arg-type]

    sides.apply = apply  # type: ignore[method-assign]


def restore_sign_in(rig: Rig) -> None:
    rig.plex.renew_token()
    rig.sc.state.users[USERNAME].password = PASSWORD
    rig.coordinator.sides.__dict__.pop("apply", None)


def assert_nothing_removed(rig: Rig) -> None:
    for feature, works in rig.account.agreed.items():
        for work in works:
            for side in Side:
                assert side_holds(rig, side, feature, work), (
                    f"{work.name} lost its {feature} on {side}"
                )


def assert_base_true(rig: Rig, side: Side, feature: Feature) -> None:
    """What the base (in memory and as stored) calls agreed, `side` holds."""
    coordinator = rig.coordinator
    links = {link.senscritique: link for link in coordinator.state.links.values()}
    for work in rig.account.pending[feature]:
        link = links.get(str(work.pid))
        if link is None:
            continue
        agreed = coordinator.state.agreed.get(link.id)
        if agreed is None:
            continue
        claimed = {
            Feature.WATCHLIST: agreed.watchlist,
            Feature.RATINGS: agreed.rating is not None,
            Feature.WATCHED: agreed.watched,
        }[feature]
        if claimed:
            assert side_holds(rig, side, feature, work), (
                f"base advanced for {work.name} but {side} does not hold it"
            )


def issues_of(rig: Rig) -> list[str]:
    registry = ir.async_get(rig.hass)
    return [issue_id for (domain, issue_id) in registry.issues if domain == DOMAIN]


def assert_visible(rig: Rig, fault: str) -> None:
    coordinator = rig.coordinator
    report = coordinator.data.report if coordinator.data else None
    failed = report.failed if report else ()
    if fault == "401":
        flows = rig.entry.async_get_active_flows(rig.hass, {SOURCE_REAUTH})
        assert list(flows), "an expired sign-in must start re-authentication"
        return
    if fault in ("empty_read", "shrunken_read"):
        assert issues_of(rig), "a suspicious read must raise a repair issue"
        return
    if fault == "wish_lag":
        assert coordinator.last_update_success
        return
    if coordinator.last_update_success:
        assert failed, f"{fault}: the run succeeded without reporting failed writes"
        assert all(f.error for f in failed)
    else:
        err = coordinator.last_exception
        assert err is not None
        assert getattr(err, "translation_key", None), repr(err)


async def refresh(rig: Rig) -> None:
    await rig.coordinator.async_refresh()
    await rig.hass.async_block_till_done()


async def converge(rig: Rig, side: Side, feature: Feature) -> None:
    await rig.coordinator.async_run_now(SyncRequest())
    outcome = await rig.coordinator.async_run_now(SyncRequest())
    assert outcome.plan.ops == (), [
        (op.side, op.action, op.key, op.reason) for op in outcome.plan.ops
    ]
    assert outcome.report.failed == ()
    for work in rig.account.pending[feature]:
        assert side_holds(rig, side, feature, work), f"{work.name} never reached {side}"
    assert_nothing_removed(rig)


@pytest.mark.parametrize("side", list(Side))
@pytest.mark.parametrize("feature", list(Feature))
@pytest.mark.parametrize("fault", FAULTS)
async def test_fault_cell(rig: Rig, fault: str, feature: Feature, side: Side) -> None:
    assert rig.coordinator.last_update_success
    assert_nothing_removed(rig)
    user_marks_other_side(rig, side, feature)
    clear = arm(rig, fault, side, feature)
    if fault == "401":
        expire_before_first_write(rig, side)
    if fault in ("empty_read", "shrunken_read"):
        with Hidden(rig, side, None if fault == "empty_read" else feature):
            await refresh(rig)
    else:
        await refresh(rig)
    if fault == "timeout":
        await asyncio.sleep(STALL + 0.2)  # stalled writes land (or not) first
    assert_nothing_removed(rig)
    assert_base_true(rig, side, feature)
    assert_visible(rig, fault)
    if fault in ("5xx", "429"):  # refused before any effect: nothing landed
        for work in rig.account.pending[feature]:
            assert not side_holds(rig, side, feature, work)

    clear()
    if fault == "401":
        restore_sign_in(rig)
    await converge(rig, side, feature)
    assert_base_true(rig, side, feature)
