"""Process crash after the k-th write, for every k.

The user marks three works on one side; the run must write them (and what
follows from them) to the other. The k-th write reaches the service, then the
run dies at the client boundary before the coordinator can record it, as a
killed process would. Home Assistant then reloads the entry from the stored
state (a fresh start) and syncs: every change arrives exactly once, nothing
agreed is removed, and the run after that has nothing to do.
"""

from __future__ import annotations

from collections import Counter

import pytest

from custom_components.plexsync.engine.model import (
    Action,
    Agreed,
    Feature,
    Side,
    SyncState,
)
from custom_components.plexsync.engine.plans import Op
from custom_components.plexsync.pipeline import SyncRequest
from custom_components.plexsync.store import PlexSyncStore

from .conftest import Crash, Rig, crash_after, side_holds
from .test_matrix import assert_nothing_removed, user_marks_other_side


def in_base(state: SyncState, op: Op) -> bool:
    """Whether the base holds what `op` wrote (`record` put it there, pending
    or confirmed). These runs only copy what was never agreed, so the base
    holds none of it before the write is recorded."""
    agreed = state.agreed.get(op.link, Agreed())
    match op.action:
        case Action.ADD_WATCHLIST:
            return agreed.watchlist
        case Action.SET_RATING:
            return agreed.rating == op.value
        case Action.MARK_WATCHED:
            return agreed.watched
    raise AssertionError(f"no removal is planned here: {op}")


def plex_scrobbles(rig: Rig) -> Counter[str]:
    with rig.plex.state.lock:
        return Counter(hex_id for hex_id, _ in rig.plex.state.history)


@pytest.mark.parametrize("k", range(1, 7))
@pytest.mark.parametrize("side", list(Side))
@pytest.mark.parametrize("feature", list(Feature))
async def test_crash_after_kth_write(
    rig: Rig, feature: Feature, side: Side, k: int
) -> None:
    user_marks_other_side(rig, side, feature)
    dry = await rig.coordinator.async_sync(SyncRequest(dry_run=True))
    writes = len(dry.plan.ops)
    assert writes >= 3
    if k > writes:
        pytest.skip(f"this cell plans {writes} writes")
    before = plex_scrobbles(rig)
    written = crash_after(rig.coordinator, k)
    with pytest.raises(Crash):
        await rig.coordinator.async_run_now(SyncRequest())
    assert len(written) == k
    assert_nothing_removed(rig)
    # What a restart will load (state + journal) is what the run had recorded:
    # the k-1 writes before the crash, and not the k-th.
    stored = await PlexSyncStore(rig.hass, rig.entry.entry_id).async_load()
    assert stored.state == rig.coordinator.state
    for n, op in enumerate(written, start=1):
        recorded = in_base(stored.state, op)
        assert recorded == (n < k), f"write {n} of {k}: recorded={recorded}"
    await rig.restart()  # from the stored state; its first refresh syncs
    assert rig.coordinator.last_update_success
    outcome = await rig.coordinator.async_run_now(SyncRequest())
    assert outcome.report.failed == ()
    assert outcome.plan.ops == (), [(o.side, o.action, o.key) for o in outcome.plan.ops]
    for work in rig.account.pending[feature]:
        assert side_holds(rig, side, feature, work)
    assert_nothing_removed(rig)
    # No duplicate: a watch written once is one scrobble, however the run died.
    after = plex_scrobbles(rig)
    for hex_id, count in after.items():
        assert count - before.get(hex_id, 0) <= 1, f"{hex_id} scrobbled twice"
