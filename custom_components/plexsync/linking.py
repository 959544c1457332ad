"""Link the works of both sides: local match, then a bounded number of searches.

Matching itself is the engine's (pure); this module only adds the searches,
which are reads on the other service, and their backoff bookkeeping. A pair
the user unlinked is never linked again here (local match or search): its
works stay unmatched.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from functools import partial

from .clients import SideClients
from .const import LOGGER
from .engine.errors import AuthError, SyncServiceError
from .engine.manual_links import may_link
from .engine.matching import (
    MAX_SEARCHES_PER_RUN,
    due_for_search,
    match_candidates,
    match_local,
    record_miss,
)
from .engine.model import Link, Side, Snapshot, SyncState


async def async_link_works(
    sides: SideClients,
    state: SyncState,
    plex: Snapshot,
    senscritique: Snapshot,
    now: datetime,
) -> SyncState:
    """Return `state` with every link this run can establish.

    A search that fails ends the searching for this run (the sync itself goes
    on with the links it has); an expired sign-in is raised.
    """
    # Matching 10,000 works takes about a second: never in the event loop.
    result = await sides.run_blocking(
        partial(match_local, refused=state.unlinked),
        senscritique.works.values(),
        plex.works.values(),
        state.links,
    )
    state = replace(state, links=dict(result.links))
    budget = MAX_SEARCHES_PER_RUN
    for side, unmatched in (
        (Side.SENSCRITIQUE, result.unmatched_senscritique),
        (Side.PLEX, result.unmatched_plex),
    ):
        for work in unmatched:
            if budget <= 0:
                return state
            if work.parent is not None or not due_for_search(state, work, now):
                continue
            budget -= 1
            try:
                candidates = await sides.search(
                    side.other, work.title, work.kind, work.year
                )
            except AuthError:
                raise
            except SyncServiceError as err:
                LOGGER.debug("Search on %s stopped: %s", side.other, err)
                return state
            found = match_candidates(work, candidates)
            if isinstance(found, Link) and may_link(state, found):
                state = replace(state, links={**state.links, found.id: found})
            else:
                state = record_miss(state, side, work, now)
    return state
