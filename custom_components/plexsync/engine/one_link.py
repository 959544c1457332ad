"""The sync state of one link, cut out of the whole and put back.

A sync of one work (an event from Plex: a rating, a finished film) plans that
work's link alone with the same planner, rules and guards as a full run: the
planner is handed the state cut down to the link (`restrict`) and snapshots
holding that work alone, and what it settles is put back into the whole state
(`merge`), leaving every other link's base, pending writes and undone writes
as they were.
"""

from __future__ import annotations

from dataclasses import replace

from .model import SyncState


def restrict(state: SyncState, link_id: str) -> SyncState:
    """The state as if `link_id` were its only link."""
    link = state.links[link_id]
    agreed = state.agreed.get(link_id)
    return replace(
        state,
        links={link_id: link},
        agreed={} if agreed is None else {link_id: agreed},
        pending=tuple(p for p in state.pending if p.link == link_id),
        declined=tuple(d for d in state.declined if d.link == link_id),
    )


def merge(state: SyncState, part: SyncState, link_id: str) -> SyncState:
    """`state` with the link `link_id` as `part` holds it (its base, pending
    and undone writes); everything else of `state` is kept."""
    agreed = {k: v for k, v in state.agreed.items() if k != link_id}
    if link_id in part.agreed:
        agreed[link_id] = part.agreed[link_id]
    return replace(
        state,
        agreed=agreed,
        pending=(
            *(p for p in state.pending if p.link != link_id),
            *(p for p in part.pending if p.link == link_id),
        ),
        declined=(
            *(d for d in state.declined if d.link != link_id),
            *(d for d in part.declined if d.link == link_id),
        ),
    )
