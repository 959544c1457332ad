"""Profile the client side of the 10k syncs (not a bench: run it by hand).

    .venv/bin/python -m bench.profile_sync [works] [first|unchanged|again] [lines]

Same set-up as bench_sync (real Home Assistant, real coordinator and clients,
the simulators in their own process); cProfile (which on Python 3.12+ sees
every thread, the executor's included) runs over the chosen sync only, and
the top functions by own time and by cumulative time are printed ("again":
the second unchanged sync).
"""

from __future__ import annotations

import asyncio
import cProfile
import pstats
import sys

from custom_components.plexsync.pipeline import SyncRequest

from .ha_sync import coordinator_of, plexsync_in_home_assistant
from .sim_process import SimulatorProcess


async def _profile(n: int, which: str) -> cProfile.Profile:
    profiler = cProfile.Profile()
    with SimulatorProcess(n) as sims:
        assert sims.wiring is not None
        async with plexsync_in_home_assistant(sims.wiring) as (hass, entry):
            if which == "first":
                profiler.enable()
            await hass.config_entries.async_setup(entry.entry_id)
            await hass.async_block_till_done()
            profiler.disable()
            for run in ("unchanged", "again"):
                if which == run:
                    profiler.enable()
                await coordinator_of(entry).async_run_now(SyncRequest())
                profiler.disable()
                if which == run:
                    break
    return profiler


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    which = sys.argv[2] if len(sys.argv) > 2 else "unchanged"
    lines = int(sys.argv[3]) if len(sys.argv) > 3 else 40
    stats = pstats.Stats(asyncio.run(_profile(n, which)))
    stats.sort_stats("tottime").print_stats(lines)
    stats.sort_stats("cumulative").print_stats(lines)
    if len(sys.argv) > 4:
        stats.dump_stats(sys.argv[4])


if __name__ == "__main__":
    main()
