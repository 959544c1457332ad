"""Acceptance: the demo data (the simulators' embedded default, the whole
catalogue) read through the real clients links every work plainly the same
on both sides, locally or by the searches the runs allow, and never a wrong
one (issue 15).

The truth is the catalogue itself: each SensCritique product and each Plex
work of the demo derives from one catalogue entry (their ids are computed
from its id, as the simulators' demo loaders compute them).
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util import dt as dt_util

from custom_components.plexsync.clients import SideClients
from custom_components.plexsync.engine.matching import SEARCH_REQUESTS_PER_RUN
from custom_components.plexsync.engine.model import (
    Kind,
    Provenance,
    Side,
    Snapshot,
    SyncState,
    Work,
)
from custom_components.plexsync.linking import async_link_works
from custom_components.plexsync.plex.client import PlexClient
from custom_components.plexsync.plex.session import ServiceHosts
from custom_components.plexsync.senscritique.client import SensCritiqueClient
from custom_components.plexsync.senscritique.transport import Politeness

from .simulators.plex import PlexSimulator
from .simulators.plex_demo import _demo_ids
from .simulators.plex_state import stable_hex
from .simulators.senscritique import SensCritiqueSimulator
from .simulators.senscritique_demo import CATALOGUE, stable_id

LOCAL = Provenance.LOCAL
# Measured on the demo data (both sides' reads, one run's searches): the
# works plainly the same on both sides, all linked.
LOCAL_LINKS = 258
SEARCH_LINKS = 156
# The real-world shapes the Plex demo adds: a legacy-agent "Twin Peaks"
# (1990) played with no episode watched is the catalogue's own Twin Peaks.
SAME_AS = {stable_hex("demo-played-series"): "s010"}


def catalogue() -> list[dict[str, Any]]:
    works: list[dict[str, Any]] = json.loads(CATALOGUE.read_text(encoding="utf-8"))[
        "works"
    ]
    return works


def truth() -> tuple[dict[str, str], dict[str, str]]:
    """SensCritique product id -> catalogue id; Plex external id or Discover
    hex -> catalogue id (a legacy library work is known by its external ids)."""
    taken: set[int] = set()
    sc: dict[str, str] = {}
    plex: dict[str, str] = dict(SAME_AS)
    for work in catalogue():
        wid = work["id"]
        sc[str(stable_id(wid, taken))] = wid
        for season in work.get("seasons") or []:  # ids the loader takes next
            for episode in range(season["episodes"] + 1):
                suffix = f"/e{episode}" if episode else ""
                stable_id(f"{wid}/s{season['number']}{suffix}", taken)
        hex_id = stable_hex("demo", wid)
        plex[hex_id] = wid
        for guid in _demo_ids(hex_id, "show" if work["kind"] == "show" else "movie"):
            plex[guid] = wid
    for hex_id, wid in SAME_AS.items():
        for guid in _demo_ids(hex_id, "show"):
            plex[guid] = wid
    return sc, plex


def plex_id(work: Work, plex: dict[str, str]) -> str | None:
    if work.key.startswith("plex://"):
        return plex.get(work.key.rsplit("/", 1)[-1])
    return next((plex[g] for g in work.guids if g in plex), None)


async def read_both(
    hass: HomeAssistant, plex_sim: PlexSimulator, sc_sim: SensCritiqueSimulator
) -> tuple[SideClients, Snapshot, Snapshot]:
    def new_plex() -> PlexClient:
        client = PlexClient(
            plex_sim.token, hosts=ServiceHosts.from_json(plex_sim.hosts_json)
        )
        client.connect(plex_sim.server_id)
        return client

    plex = await hass.async_add_executor_job(new_plex)
    senscritique = SensCritiqueClient(
        async_get_clientsession(hass),
        url=sc_sim.url,
        politeness=Politeness(min_interval=0.0, concurrency=4),
    )
    _, email, password = sc_sim.load_demo()
    await senscritique.sign_in(email, password)
    sides = SideClients(hass, plex, senscritique)
    return sides, await sides.read(Side.PLEX), await sides.read(Side.SENSCRITIQUE)


async def test_the_demo_links_every_work_plainly_the_same_and_none_wrong(
    hass: HomeAssistant, plex_sim: PlexSimulator, sc_sim: SensCritiqueSimulator
) -> None:
    plex_sim.load_demo()
    sides, plex, senscritique = await read_both(hass, plex_sim, sc_sim)
    sc_truth, plex_truth = truth()
    state = SyncState()
    now = dt_util.utcnow()
    for _ in range(3):  # the first run's budget suffices: later runs add none
        state = await async_link_works(sides, state, plex, senscritique, now)
        now += timedelta(days=40)  # every miss due again
    await sides.close()

    titled = [lk for lk in state.links.values() if lk.kind in (Kind.MOVIE, Kind.SHOW)]
    wrong = [
        (lk.senscritique, lk.plex)
        for lk in titled
        if sc_truth.get(lk.senscritique) is None
        or sc_truth.get(lk.senscritique)
        != (
            plex_id(plex.works[lk.plex], plex_truth)
            if lk.plex in plex.works
            else plex_truth.get(lk.plex.rsplit("/", 1)[-1])
        )
    ]
    assert wrong == []

    # Every work read on both sides is linked locally.
    on_sc = {sc_truth[w.key] for w in senscritique.works.values() if w.parent is None}
    on_plex = {
        plex_id(w, plex_truth) for w in plex.works.values() if w.parent is None
    } - {None}
    linked = Counter(lk.provenance for lk in titled)
    local = {sc_truth[lk.senscritique] for lk in titled if lk.provenance is LOCAL}
    assert on_sc & on_plex == local
    assert linked[Provenance.LOCAL] == LOCAL_LINKS
    # Each work read on one side only is searched on the other: found when
    # that service has it at all (SensCritique has every catalogue work,
    # this Plex account's Discover a random 88 %).
    found = {sc_truth[lk.senscritique] for lk in titled} - local
    on_discover = {w["id"] for w in catalogue()} & {
        plex_truth.get(hex_id) for hex_id in plex_sim.state.catalog
    }
    assert (on_sc | on_plex) - local - found == on_sc - on_discover
    assert linked[Provenance.SEARCH] == SEARCH_LINKS
    searches = (
        plex_sim.requests["discover:search"] + sc_sim.requests["SearchAutocomplete"]
    )
    assert searches <= SEARCH_REQUESTS_PER_RUN  # all in the first run
