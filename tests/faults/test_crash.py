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

from custom_components.plexsync.engine.model import Feature, Op, Side
from custom_components.plexsync.pipeline import SyncRequest
from custom_components.plexsync.store import PlexSyncStore

from .conftest import Rig, side_holds
from .test_matrix import assert_nothing_removed, user_marks_other_side


class Crash(BaseException):
    """The process dies (not an error the coordinator could handle)."""


def crash_after(rig: Rig, k: int) -> list[Op]:
    sides = rig.coordinator.sides
    original = sides.apply
    written: list[Op] = []

    async def apply(op: Op) -> None:
        await original(op)
        written.append(op)
        if len(written) == k:
            raise Crash

    sides.apply = apply  # type: ignore[method-assign]
    return written


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
    written = crash_after(rig, k)
    with pytest.raises(Crash):
        await rig.coordinator.async_run_now(SyncRequest())
    assert len(written) == k
    assert_nothing_removed(rig)
    # What a restart will load (state + journal) is what the run had recorded:
    # the k-1 writes before the crash, and not the k-th.
    stored = await PlexSyncStore(rig.hass, rig.entry.entry_id).async_load()
    assert stored.state == rig.coordinator.state
    for n, op in enumerate(written, start=1):
        recorded = any(
            p.link == op.link and p.side is op.side and p.action is op.action
            for p in stored.state.pending
        )
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
