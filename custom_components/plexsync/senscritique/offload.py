"""CPU-bound work kept out of the event loop.

A full library read decodes tens of megabytes of JSON into model objects;
done in the event loop it would stall everything else the host runs (a page
of 100 products takes tens of milliseconds, assembling 10,000 works into a
snapshot over a hundred). The loop's default executor takes it instead: Home
Assistant installs its own there, and a plain asyncio program gets one
lazily. Only pure functions of immutable inputs are handed over.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial

# Answers below this size decode faster than a hop to a worker thread costs.
OFFLOAD_BYTES = 16_384


async def off_loop[T](func: Callable[..., T], /, *args: object) -> T:
    """`func(*args)` in the loop's default executor."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, partial(func, *args))
