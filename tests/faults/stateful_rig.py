"""The world of the state machine (test_stateful.py): both simulators, one
config entry, and what can be done to them from outside the sync.

A tiny account: `WORKS` films the user edits on both services, plus one anchor
film every feature holds on both sides (so no read is ever empty). From here
the machine reads what each side shows (`truth`), arms faults for the next
sync, and moves the entry's clock (the pipeline's `now`) forward, so a sync
can run days later. A run killed after its k-th write is conftest.crash_after.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from unittest.mock import patch

from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plexsync.clients import senscritique_url
from custom_components.plexsync.coordinator import PlexSyncCoordinator
from custom_components.plexsync.engine.model import Feature, Side
from custom_components.plexsync.pipeline import SyncPipeline
from custom_components.plexsync.senscritique.client import (
    Politeness,
    SensCritiqueClient,
)
from tests.simulators.plex import PlexSimulator
from tests.simulators.senscritique import SensCritiqueSimulator
from tests.simulators.senscritique_faults import Faults

from .conftest import CLIENT_TIMEOUT, EMAIL, PASSWORD, USERNAME, _fast_plex_factory
from .test_matrix import PLEX_WRITE, SC_WRITE

WORKS = 3
STALL = CLIENT_TIMEOUT + 0.5  # a Plex request the client gives up on
FAULTS = ("5xx", "429", "timeout", "malformed", "token")
# Faults after which a write may have landed although the run could not know.
UNKNOWN_OUTCOME = frozenset({"timeout", "malformed"})

Value = bool | int | None
# What one side shows of one feature of one edited work.
Truth = dict[tuple[int, Feature, Side], Value]


@dataclass(frozen=True)
class Movie:
    guid: str
    pid: int

    @property
    def hex(self) -> str:
        return self.guid.rsplit("/", 1)[-1]


@dataclass
class StatefulRig:
    hass: HomeAssistant
    entry: MockConfigEntry
    plex: PlexSimulator
    sc: SensCritiqueSimulator
    works: list[Movie]
    # How far ahead of the real time the entry's clock runs.
    ahead: timedelta = timedelta()
    armed: list[str] = field(default_factory=list)

    @property
    def coordinator(self) -> PlexSyncCoordinator:
        coordinator: PlexSyncCoordinator = self.entry.runtime_data.coordinator
        return coordinator

    # --------------------------------------------------------------- truth

    def truth(self) -> Truth:
        """What each side shows now, per edited work and feature."""
        wished, rated, seen = (
            self.plex.watchlist(),
            self.plex.account_ratings(),
            self.plex.account_watched(),
        )
        sc_wished = self.sc.state.wished(USERNAME)
        sc_rated = self.sc.state.ratings(USERNAME)
        sc_done = self.sc.state.done(USERNAME)
        truth: Truth = {}
        for i, work in enumerate(self.works):
            rating = rated.get(work.guid)
            truth[i, Feature.WATCHLIST, Side.PLEX] = work.guid in wished
            truth[i, Feature.RATINGS, Side.PLEX] = (
                None if rating is None else round(rating)
            )
            truth[i, Feature.WATCHED, Side.PLEX] = work.guid in seen
            truth[i, Feature.WATCHLIST, Side.SENSCRITIQUE] = work.pid in sc_wished
            truth[i, Feature.RATINGS, Side.SENSCRITIQUE] = sc_rated.get(work.pid)
            truth[i, Feature.WATCHED, Side.SENSCRITIQUE] = work.pid in sc_done
        return truth

    def forget_edits(self) -> None:
        """Every edited work back to no state on both sides (a new example)."""
        with self.plex.state.lock:
            for work in self.works:
                account = self.plex.state.state_of(work.hex)
                account.watchlisted_at = account.rating = account.rated_at = None
                self.plex.state.scrobble_account(work.hex, 0, played=False)
        for work in self.works:
            self.sc.state.set_mark(
                USERNAME,
                work.pid,
                wished=False,
                rating=None,
                done=False,
                date_done=None,
            )

    # --------------------------------------------------------------- faults

    def arm(self, fault: str, side: Side, count: int, feature: Feature | None) -> None:
        """A fault for the next sync, on any request of `side` or on the
        writes of one feature."""
        plex, sc = self.plex, self.sc
        role, path = PLEX_WRITE[feature] if feature else (None, None)
        operation = SC_WRITE[feature] if feature else None
        plex_on = side is Side.PLEX
        if fault == "5xx":
            if plex_on:
                plex.fail(503, count=count, role=role, path=path)
            else:
                sc.fail_next(count, status=503, operation=operation)
        elif fault == "429":
            if plex_on:
                plex.fail(429, count=count, role=role, path=path, retry_after=600)
            else:
                sc.rate_limit_next(count, retry_after=600, operation=operation)
        elif fault == "timeout":  # Plex only: see patient_senscritique
            plex.stall(STALL, count=count, role=role, path=path)
        elif fault == "malformed":
            if plex_on:
                plex.malform(count=count, role=role, path=path)
            else:
                sc.malformed_next("not_json", count, operation=operation)
        elif plex_on:  # token: Plex refuses it until the user signs in again
            plex.expire_token()
        else:  # SensCritique: the client signs in again by itself
            sc.expire_tokens()
        self.armed.append(fault)

    @property
    def uncertain(self) -> bool:
        """Whether an armed fault may let a write land unbeknown to the run."""
        return any(fault in UNKNOWN_OUTCOME for fault in self.armed)

    def clear_faults(self) -> None:
        if "timeout" in self.armed:
            time.sleep(STALL + 0.05)  # a stalled write lands (or not) first
        self.plex.reset_faults()
        self.sc.faults = Faults()
        self.plex.renew_token()
        self.armed = []

    # ---------------------------------------------------------------- clock

    @contextmanager
    def clock(self) -> Iterator[None]:
        """The entry's clock runs `ahead` of the real time (while inside)."""

        def now(pipeline: SyncPipeline) -> datetime:
            del pipeline
            return dt_util.utcnow() + self.ahead

        with patch.object(SyncPipeline, "now", now):
            yield


def patient_senscritique(hass: HomeAssistant) -> SensCritiqueClient:
    """No spacing, one retry, and a timeout the simulator always meets.

    The SensCritique simulator runs on Home Assistant's own (debug) loop, where
    one library answer can take a few hundred ms on this shared machine: with
    the matrix's 0.3 s timeout, clean syncs would time out at random. So this
    test leaves timeouts to Plex (its simulator has its own thread);
    SensCritique timeouts are covered cell by cell by test_matrix.py.
    """
    return SensCritiqueClient(
        async_get_clientsession(hass),
        url=senscritique_url(),
        politeness=Politeness(min_interval=0.0, retries=1, backoff=0.01, timeout=5.0),
    )


@contextmanager
def fast_clients() -> Iterator[None]:
    """The entry's clients as the state machine needs them."""
    with (
        patch("custom_components.plexsync.async_new_plex", _fast_plex_factory()),
        patch("custom_components.plexsync.new_senscritique", patient_senscritique),
    ):
        yield


def _movie(
    plex: PlexSimulator, sc: SensCritiqueSimulator, title: str, year: int
) -> Movie:
    guid = plex.add_movie(title, year, in_library=False)
    return Movie(guid, sc.state.add_movie(title, year))


def seed(plex: PlexSimulator, sc: SensCritiqueSimulator) -> list[Movie]:
    """The edited works (no state yet) and the anchor (every feature, both
    sides)."""
    sc.state.add_user(USERNAME, EMAIL, PASSWORD)
    works = [_movie(plex, sc, f"Edited {i}", 1971 + i) for i in range(WORKS)]
    anchor = _movie(plex, sc, "Anchor", 1960)
    plex.watchlist_add(anchor.guid, 1_600_000_000)
    plex.set_user_state(anchor.guid, rating=8.0, viewed_at=1_600_000_000)
    seen = datetime.fromtimestamp(1_600_000_000, UTC)
    sc.state.set_mark(USERNAME, anchor.pid, wished=True)
    sc.state.set_mark(USERNAME, anchor.pid, rating=8, date_done=seen)
    return works
