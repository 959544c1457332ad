"""A small two-sided account on both simulators, run through Home Assistant.

Each feature has eight works both sides agree on (enough for the guards to
matter: more than max(5, 10 %) of them missing is a shrink) and three works
known to both catalogues with no state yet, which the user then marks on one
side so that the next sync must write them to the other (the side under test).
Every feature's removals propagate here, so the guards are what stands between
a fault and a deletion.

Clients are the real ones on the simulators with short timeouts and no
politeness spacing (the HA layer's factories are replaced, not the clients).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from unittest.mock import patch

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plexsync.clients import plex_hosts, senscritique_url
from custom_components.plexsync.const import (
    DOMAIN,
    conf_removals,
)
from custom_components.plexsync.coordinator import PlexSyncCoordinator
from custom_components.plexsync.engine.model import Feature, Side
from custom_components.plexsync.engine.plans import Op
from custom_components.plexsync.options import default_options
from custom_components.plexsync.plex.client import PlexClient
from custom_components.plexsync.plex.errors import RetryPolicy
from custom_components.plexsync.senscritique.client import (
    Politeness,
    SensCritiqueClient,
)
from tests.simulated_entry import simulated_entry_data
from tests.simulators.plex import PlexSimulator
from tests.simulators.senscritique import SensCritiqueSimulator

USERNAME = "faulty_member"
EMAIL = "faulty@plexsync.invalid"
PASSWORD = "faulty-password-1"
AGREED = 8
PENDING = 3
# Generous enough that a loaded 2-core CI machine never times out a healthy
# request; the timeout cells stall well past it.
CLIENT_TIMEOUT = 1.5
SEEN = 1_600_000_000  # epoch of the agreed watches


@dataclass
class Work:
    """One work in both catalogues: its Plex guid and SensCritique id."""

    name: str
    guid: str
    pid: int


@dataclass
class Account:
    """The seeded works, per feature: agreed ones and pending ones."""

    agreed: dict[Feature, list[Work]] = field(default_factory=dict)
    pending: dict[Feature, list[Work]] = field(default_factory=dict)


def _both(plex: PlexSimulator, sc: SensCritiqueSimulator, name: str, year: int) -> Work:
    guid = plex.add_movie(name, year, in_library=False)
    return Work(name, guid, sc.state.add_movie(name, year))


def seed(plex: PlexSimulator, sc: SensCritiqueSimulator) -> Account:
    sc.state.add_user(USERNAME, EMAIL, PASSWORD)
    account = Account()
    year = 1990
    for feature in Feature:
        agreed = []
        for i in range(AGREED):
            year += 1
            work = _both(plex, sc, f"{feature.value.title()} Agreed {i}", year)
            agreed.append(work)
            seen = datetime.fromtimestamp(SEEN + year, UTC)
            if feature is Feature.WATCHLIST:
                plex.watchlist_add(work.guid, SEEN)
                sc.state.set_mark(USERNAME, work.pid, wished=True)
            elif feature is Feature.RATINGS:
                plex.set_user_state(
                    work.guid, rating=float(1 + i), viewed_at=SEEN + year
                )
                sc.state.set_mark(USERNAME, work.pid, rating=1 + i, date_done=seen)
            else:
                plex.set_user_state(work.guid, viewed_at=SEEN + year)
                sc.state.set_mark(USERNAME, work.pid, date_done=seen)
        account.agreed[feature] = agreed
        account.pending[feature] = [
            _both(plex, sc, f"{feature.value.title()} Pending {i}", 2030 + i)
            for i in range(PENDING)
        ]
    return account


def _fast_plex_factory() -> Any:
    async def async_new_plex(hass: HomeAssistant, token: str) -> PlexClient:
        hosts = plex_hosts()
        return await hass.async_add_executor_job(
            lambda: PlexClient(
                token,
                hosts=hosts,
                timeout=CLIENT_TIMEOUT,
                retry=RetryPolicy(retries=1, backoff=0.01),
            )
        )

    return async_new_plex


def _fast_senscritique(hass: HomeAssistant) -> SensCritiqueClient:
    return SensCritiqueClient(
        async_get_clientsession(hass),
        url=senscritique_url(),
        politeness=Politeness(
            min_interval=0.0, retries=1, backoff=0.01, timeout=CLIENT_TIMEOUT
        ),
    )


@dataclass
class Rig:
    """Home Assistant with a loaded PlexSync entry over both simulators."""

    hass: HomeAssistant
    entry: MockConfigEntry
    plex: PlexSimulator
    sc: SensCritiqueSimulator
    account: Account

    @property
    def coordinator(self) -> PlexSyncCoordinator:
        coordinator: PlexSyncCoordinator = self.entry.runtime_data.coordinator
        return coordinator

    async def restart(self) -> None:
        """Unload and set up again: a fresh start from the stored state."""
        assert await self.hass.config_entries.async_reload(self.entry.entry_id)
        await self.hass.async_block_till_done()


def simulated_entry(plex: PlexSimulator, sc: SensCritiqueSimulator) -> MockConfigEntry:
    """An entry signed in to both simulators, every removal propagating."""
    options = default_options(read_only=False)
    for feature in Feature:
        options[conf_removals(feature)] = True
    return MockConfigEntry(
        domain=DOMAIN,
        unique_id=f"{plex.account_id}_{sc.state.users[USERNAME].id}",
        data=simulated_entry_data(plex, sc, USERNAME, EMAIL, PASSWORD),
        options=options,
    )


@pytest.fixture(name="rig")
async def rig_fixture(
    hass: HomeAssistant, plex_sim: PlexSimulator, sc_sim: SensCritiqueSimulator
) -> AsyncGenerator[Rig]:
    account = seed(plex_sim, sc_sim)
    entry = simulated_entry(plex_sim, sc_sim)
    entry.add_to_hass(hass)
    with (
        patch("custom_components.plexsync.async_new_plex", _fast_plex_factory()),
        patch("custom_components.plexsync.new_senscritique", _fast_senscritique),
    ):
        assert await hass.config_entries.async_setup(entry.entry_id), entry.reason
        await hass.async_block_till_done()
        yield Rig(hass, entry, plex_sim, sc_sim, account)
        await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()


class Crash(BaseException):
    """The process dies in the middle of a run (not an error the coordinator
    could handle)."""


def crash_after(coordinator: PlexSyncCoordinator, k: int) -> list[Op]:
    """The run dies right after its k-th write reached the service, before
    the coordinator could record it; returns the writes made."""
    sides = coordinator.sides
    original = sides.apply
    written: list[Op] = []

    async def apply(op: Op) -> None:
        await original(op)
        written.append(op)
        if len(written) == k:
            raise Crash

    sides.apply = apply  # type: ignore[method-assign]
    return written


def side_holds(rig: Rig, side: Side, feature: Feature, work: Work) -> bool:
    """Whether `side` shows `feature` on `work` right now (simulator truth)."""
    if side is Side.PLEX:
        if feature is Feature.WATCHLIST:
            return work.guid in rig.plex.watchlist()
        if feature is Feature.RATINGS:
            return work.guid in rig.plex.account_ratings()
        return work.guid in rig.plex.account_watched()
    if feature is Feature.WATCHLIST:
        return work.pid in rig.sc.state.wished(USERNAME)
    if feature is Feature.RATINGS:
        return work.pid in rig.sc.state.ratings(USERNAME)
    return work.pid in rig.sc.state.done(USERNAME)
