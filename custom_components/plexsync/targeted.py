"""A sync of one work: read it alone on each side, plan, apply, record.

What a Plex event (a rating, a finished film) asks for within seconds, at the
cost of a handful of requests and no list read: the library item on Plex
(plex/item.py: two requests), the linked product on SensCritique
(senscritique/item.py: one), then the writes. The plan is the planner's own,
on the state cut down to the work's link (engine/one_link.py), with the same
rules, options and guards as a full run, bar the shrink guard, which judges
whole lists (planner `whole_reads`). Writes go through the pipeline exactly
as a run's do: each recorded in the base and journaled, change events fired.

A work that is not linked yet is left to a full sync (instant.py asks for
one); so is a work that cannot be read alone (plex/item.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .engine.model import Action, Link, Side, Snapshot
from .engine.one_link import merge, restrict
from .engine.planner import plan as make_plan, settle
from .engine.plans import Op
from .engine.settings import SyncOptions
from .pipeline import SyncPipeline
from .summary import FailedOp


class Result(StrEnum):
    SYNCED = "synced"
    UNLINKED = "unlinked"  # left to a full sync, which links it
    UNREADABLE = "unreadable"  # not readable alone: left to a full sync
    PREVIEW = "preview"  # preview-only mode: every write waits for approval


@dataclass(frozen=True, slots=True)
class OneWork:
    """What a sync of one work read and did."""

    result: Result
    plex: Snapshot | None = None
    link: Link | None = None
    senscritique: Snapshot | None = None
    applied: tuple[Op, ...] = ()
    failed: tuple[FailedOp, ...] = ()
    held: tuple[Op, ...] = ()

    def rated(self) -> bool:
        """Whether either side now shows a rating of the work."""
        shown = [self.plex, self.senscritique]
        if any(s is not None and s.ratings for s in shown):
            return True
        return any(op.action is Action.SET_RATING for op in self.applied)


def find_link(pipeline: SyncPipeline, plex_key: str) -> Link | None:
    """The link of the Plex work `plex_key`, if any."""
    return next(
        (link for link in pipeline.state.links.values() if link.plex == plex_key),
        None,
    )


async def async_read_plex(pipeline: SyncPipeline, rating_key: str) -> Snapshot | None:
    """The Plex library item `rating_key` alone (None: not readable alone)."""
    return await pipeline.sides.read_item(Side.PLEX, rating_key)


async def async_sync_one(
    pipeline: SyncPipeline, options: SyncOptions, plex: Snapshot
) -> OneWork:
    """Sync the one work `plex` holds (as read by `async_read_plex`)."""
    (key,) = plex.works
    link = find_link(pipeline, key)
    if link is None:
        return OneWork(Result.UNLINKED, plex)
    sides = pipeline.sides
    senscritique = await sides.read_item(Side.SENSCRITIQUE, link.senscritique)
    if senscritique is None:
        return OneWork(Result.UNREADABLE, plex, link)
    capabilities = {side: await sides.capabilities(side) for side in Side}
    now = pipeline.now()
    part = restrict(pipeline.state, link.id)
    plan = make_plan(
        plex, senscritique, part, options, capabilities, now, whole_reads=False
    )
    settled = settle(part, plan, now)
    if settled is not part:
        pipeline.state = merge(pipeline.state, settled, link.id)
        await pipeline.store.async_save_state(pipeline.state)
    applied, failed, _ = await pipeline.apply(plan.ops)
    return OneWork(
        Result.SYNCED,
        plex,
        link,
        senscritique,
        tuple(applied),
        tuple(failed),
        plan.held,
    )
