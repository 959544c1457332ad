"""Sync benches: the real coordinator in a real Home Assistant, the real
clients, both simulators (in a child process) on a synthetic account of
10,000 works per side (1,000 with --quick); see synthetic_account.py.

One run yields four lines:
- first_sync: requests by side and kind during the entry's set-up (sign-in,
  capability probes, reads, searches, writes), writes (Ops applied) against
  the account's real differences, and the share of links made without a
  search.
- unchanged_sync: the second sync (nothing changed since the first): requests
  per side, the list pages the account needs at the clients' page size, and
  their ratio (1.0 = no request beyond the list pages).
- per_item_baseline: what a sync that reads each item's state with one
  request would cost on the same account (list pages + one per work, both
  sides) and ours / theirs for an unchanged sync.
- loop_block: the event loop's longest stall (ms) over set-up, the first and
  the second sync; also the longest stall no garbage collection overlapped,
  the longest collection and how many full collections ran (see LoopWatch),
  also counted during the unchanged sync alone.
- client_cpu: CPU seconds (user + system, every thread) of this process, the
  one running Home Assistant and the integration, during the first sync
  (set-up included), the unchanged one and a second unchanged one, measured
  in a separate pass on a fresh account without the LoopWatch. The
  simulators run in their own process and are not counted. Wall time on a
  shared machine says little; CPU time is what a Raspberry Pi running Home
  Assistant would feel.
"""

from __future__ import annotations

import asyncio
import resource
from typing import Any

from custom_components.plexsync.engine.model import Provenance, Side
from custom_components.plexsync.pipeline import SyncRequest

from .ha_sync import LoopWatch, coordinator_of, plexsync_in_home_assistant, timed
from .sim_process import SimulatorProcess


def _cpu_s() -> float:
    """CPU seconds (user + system, all threads) of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _total(counts: dict[str, dict[str, int]], *kinds: str) -> int:
    return sum(
        count
        for side in counts.values()
        for kind, count in side.items()
        if not kinds or kind in kinds
    )


async def _measure(n: int) -> list[dict[str, Any]]:
    with SimulatorProcess(n) as sims:
        wiring = sims.wiring
        assert wiring is not None
        async with plexsync_in_home_assistant(wiring) as (hass, entry):
            watch = LoopWatch()
            watch.start()
            sims.reset()
            loaded, first_s = await timed(
                hass.config_entries.async_setup(entry.entry_id)
            )
            await hass.async_block_till_done()
            if not loaded:
                raise RuntimeError(f"set-up failed: {entry.state} {entry.reason}")
            first = sims.counts()
            full_collections_at_setup = watch.full_collections
            coordinator = coordinator_of(entry)
            report = coordinator.data.report
            assert report is not None
            links = coordinator.state.links.values()
            by_search = sum(link.provenance is Provenance.SEARCH for link in links)
            sims.reset()
            second, second_s = await timed(coordinator.async_run_now(SyncRequest()))
            unchanged = sims.counts()
            lower = sims.lower_bound()
            await watch.stop()

    writes = sum(report.applied.values())
    works = {side.value: n for side in Side}  # works with state, by construction
    ours = {side: sum(kinds.values()) for side, kinds in unchanged.items()}
    per_item = {side: lower[side] + works[side] for side in lower}
    first_line = {
        "name": "first_sync",
        "works_per_side": n,
        "seconds": round(first_s, 1),
        "requests": {side: dict(sorted(k.items())) for side, k in first.items()},
        "reads": _total(first, "read"),
        "searches": _total(first, "search"),
        "writes": writes,
        "write_requests": _total(first, "write"),
        "expected_writes": wiring.expected_writes,
        "failed": len(report.failed),
        "links": len(coordinator.state.links),
        "local_link_share": round(1 - by_search / max(1, len(links)), 4),
    }
    unchanged_line = {
        "name": "unchanged_sync",
        "seconds": round(second_s, 1),
        "requests": ours,
        "by_kind": {side: dict(sorted(k.items())) for side, k in unchanged.items()},
        "lower_bound": lower,
        "ratio": round(sum(ours.values()) / sum(lower.values()), 3),
        "planned_ops": len(second.plan.ops),
    }
    baseline_line = {
        "name": "per_item_baseline",
        "per_item_requests": per_item,
        "ours": ours,
        "ratio_vs_per_item": round(sum(ours.values()) / sum(per_item.values()), 4),
    }
    loop_line = {
        "name": "loop_block",
        "max_stall_ms": round(watch.max_ms, 1),
        "max_stall_without_gc_ms": round(watch.max_ms_without_gc, 1),
        "longest_gc_ms": round(watch.gc_max_ms, 1),
        "full_gc_runs": watch.full_collections,
        # Of those, how many ran during the unchanged sync (the steady state).
        "full_gc_runs_unchanged": watch.full_collections - full_collections_at_setup,
    }
    return [first_line, unchanged_line, baseline_line, loop_line]


async def _client_cpu(n: int) -> dict[str, Any]:
    """CPU of this process over set-up (the first sync), the unchanged sync
    and one more unchanged sync, in a pass of its own: the LoopWatch's 5 ms
    wake-ups would be charged to this process too."""
    cpu: list[float] = []
    with SimulatorProcess(n) as sims:
        assert sims.wiring is not None
        async with plexsync_in_home_assistant(sims.wiring) as (hass, entry):
            started = _cpu_s()
            if not await hass.config_entries.async_setup(entry.entry_id):
                raise RuntimeError(f"set-up failed: {entry.state} {entry.reason}")
            await hass.async_block_till_done()
            cpu.append(_cpu_s() - started)
            for _ in range(2):
                started = _cpu_s()
                await coordinator_of(entry).async_run_now(SyncRequest())
                cpu.append(_cpu_s() - started)
    return {
        "name": "client_cpu",
        "first_sync_s": round(cpu[0], 2),
        "unchanged_sync_s": round(cpu[1], 2),
        "unchanged_again_s": round(cpu[2], 2),
    }


def run(quick: bool) -> list[dict[str, Any]]:
    n = 1_000 if quick else 10_000
    return [*asyncio.run(_measure(n)), asyncio.run(_client_cpu(n))]


if __name__ == "__main__":
    import json

    for line in run(quick=True):
        print(json.dumps(line))
