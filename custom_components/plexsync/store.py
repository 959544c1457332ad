"""The persisted sync state of one entry: links, base, pending writes, misses,
plus the last plan and run report shown by diagnostics and the services. The
last plan carries what the run's guards held (its held removals and guard
reports), which a confirmation then names: it is restored with the state.

One HA Store per entry (`.storage/plexsync.<entry_id>`), versioned. The sync
state inside has its own version (the engine codec); the Store version covers
the envelope around it.

Write-ahead journal: saving the whole state after every write of a run costs
O(state) each time (over 100 ms of encoding for 10,000 links). Instead, each
successful Op of a run (or of the to-do list) is appended to a small second
Store (`plexsync.<entry_id>.journal`) together with the time it was recorded
and whether its side lags (the write then stays pending until a read shows
it), and the whole state is saved at the start and at the end of the run.
Loading folds the journal into the state with the engine's own `record`, so
a crash after the k-th write restores exactly the state the run had in
memory.

The envelope carries a `generation`, bumped by every full save; a journal
belongs to the generation it was written for, so one left behind by an
earlier full save (already folded into it) is ignored rather than applied
twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryError
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import DOMAIN, LOGGER, STORE_MINOR_VERSION, STORE_VERSION
from .engine.codec import plan_from_json, plan_to_json, state_from_json, state_to_json
from .engine.guards import NOTHING_HELD, Held
from .engine.model import SyncState
from .engine.planner import record
from .engine.plans import Op, Plan

JOURNAL_VERSION = 1
# A longer journal is folded into a full save: it keeps each append small.
JOURNAL_LIMIT = 200


@dataclass(frozen=True, slots=True)
class Stored:
    """What a previous run left behind."""

    state: SyncState = field(default_factory=SyncState)
    held: Held = NOTHING_HELD  # what the last run's guards held
    last_plan: dict[str, Any] | None = None
    last_report: dict[str, Any] | None = None
    last_success: datetime | None = None
    # Discover item details the Plex client looked up (plex/details.py): a
    # cache, absent from stores written before it.
    plex_details: dict[str, Any] | None = None


class _EnvelopeStore(Store[dict[str, Any]]):
    """Upgrades older envelopes; each version bump adds a step here."""

    async def _async_migrate_func(
        self, old_major_version: int, old_minor_version: int, old_data: dict[str, Any]
    ) -> dict[str, Any]:
        if old_major_version != STORE_VERSION:
            raise ValueError(
                f"PlexSync storage version {old_major_version} is not supported"
            )
        # Minor versions only ever add keys: fill in what an older one lacks.
        data = dict(old_data)
        data.setdefault("last_plan", None)
        data.setdefault("last_report", None)
        data.setdefault("last_success", None)
        return data


@dataclass(frozen=True, slots=True)
class Journaled:
    """One write of the journal: the Op, when it was recorded, and whether its
    side lags (`record`'s `lags`)."""

    op: Op
    recorded: datetime
    lags: bool


class _Journal:
    """The journaled writes and their JSON, grown one write at a time: encoding
    every write again at each append cost O(writes²) in the event loop."""

    def __init__(self, writes: Sequence[Journaled] = ()) -> None:
        self._ops: list[dict[str, Any]] = []
        self._recorded: list[str] = []
        self._lags: list[bool] = []
        for write in writes:
            self.append(write)

    def __len__(self) -> int:
        return len(self._ops)

    def append(self, write: Journaled) -> None:
        self._ops.extend(plan_to_json(Plan(ops=(write.op,)))["ops"])
        self._recorded.append(write.recorded.isoformat())
        self._lags.append(write.lags)

    def to_json(self, generation: int) -> dict[str, Any]:
        """The journal file's content; lists copied: the Store writes them
        later, in the executor, while more writes may be appended."""
        return {
            "generation": generation,
            "plan": plan_to_json(Plan()) | {"ops": list(self._ops)},
            "recorded": list(self._recorded),
            "lags": list(self._lags),
        }


def _journal_from_json(data: dict[str, Any]) -> list[Journaled]:
    ops = list(plan_from_json(data["plan"]).ops)
    recorded = [dt_util.parse_datetime(text) for text in data["recorded"]]
    # A journal written before lags were declared: every write was pending
    # then (the planner confirms at once those of a side that does not lag).
    lags = data.get("lags", [True] * len(ops))
    if len(recorded) != len(ops) or any(
        at is None or at.tzinfo is None for at in recorded
    ):
        raise ValueError("PlexSync journal: bad recording times")
    if len(lags) != len(ops) or not all(isinstance(lag, bool) for lag in lags):
        raise ValueError("PlexSync journal: bad lag flags")
    return [
        Journaled(op, at, lag)
        for op, at, lag in zip(ops, recorded, lags, strict=True)
        if at is not None
    ]


def _fold(state: SyncState, writes: Sequence[Journaled]) -> SyncState:
    """The state after the journaled Ops, recorded as the run recorded them."""
    for write in writes:
        state = record(state, write.op, write.recorded, lags=write.lags)
    return state


def _load_state(
    raw: dict[str, Any], journal: dict[str, Any] | None
) -> tuple[SyncState, Held, list[Journaled]]:
    """Decode the envelope's state and the last run's holds, and fold the
    state's own journal (CPU: executor)."""
    state = state_from_json(raw["state"])
    last_plan = raw.get("last_plan")
    held = Held.of(plan_from_json(last_plan)) if last_plan else NOTHING_HELD
    if journal is None or journal.get("generation") != raw.get("generation", 0):
        return state, held, []
    writes = _journal_from_json(journal)
    return _fold(state, writes), held, writes


@dataclass(slots=True)
class _EncodedState:
    """The last state encoded and its JSON. A run saves its state at its start
    and at its end, and a run that changed nothing saves the state the last
    run saved: comparing costs a small part of encoding 10,000 links again.
    The JSON is never changed once made (the Store only serialises it)."""

    state: SyncState | None = None
    json: dict[str, Any] | None = None

    def encode(self, state: SyncState) -> dict[str, Any]:
        """`state_to_json(state)` (CPU: run in the executor)."""
        if self.json is None or self.state != state:
            self.state, self.json = state, state_to_json(state)
        return self.json


class PlexSyncStore:
    """Load once; save the whole envelope at run boundaries and after
    changes outside runs, and journal each write of a run."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        self._hass = hass
        self._store = _EnvelopeStore(
            hass,
            STORE_VERSION,
            f"{DOMAIN}.{entry_id}",
            minor_version=STORE_MINOR_VERSION,
            private=True,
            atomic_writes=True,
        )
        self._journal = Store[dict[str, Any]](
            hass,
            JOURNAL_VERSION,
            f"{DOMAIN}.{entry_id}.journal",
            private=True,
            atomic_writes=True,
        )
        self._data: dict[str, Any] = {}
        self._generation = 0
        self._journaled = _Journal()
        self._encoded = _EncodedState()

    async def async_load(self) -> Stored:
        """Read the stored envelope; a fresh entry starts empty.

        An unreadable state is a hard error (the entry will not start) rather
        than a silent reset: resetting would forget manual links and the base.
        """
        try:
            raw = await self._store.async_load()
            if raw is None:
                self._data = {}
                return Stored()
            journal = await self._journal.async_load()
            # Decoding 10,000 links takes long: not in the event loop.
            state, held, journaled = await self._hass.async_add_executor_job(
                _load_state, raw, journal
            )
            generation = raw.get("generation", 0)
            if not isinstance(generation, int):
                raise TypeError("PlexSync storage: generation is not a number")
            last_success = raw.get("last_success")
            details = raw.get("plex_details")
            stored = Stored(
                state=state,
                held=held,
                last_plan=raw.get("last_plan"),
                last_report=raw.get("last_report"),
                last_success=dt_util.parse_datetime(last_success)
                if last_success
                else None,
                plex_details=details if isinstance(details, dict) else None,
            )
        except (ValueError, KeyError, TypeError) as err:
            LOGGER.error("Stored state %s unreadable: %s", self._store.path, err)
            raise ConfigEntryError(
                translation_domain=DOMAIN,
                translation_key="state_unreadable",
                translation_placeholders={"path": self._store.path},
            ) from err
        self._data = dict(raw)
        self._generation = generation
        self._journaled = _Journal(journaled)
        return stored

    async def async_save_state(self, state: SyncState) -> None:
        """Persist the whole sync state now (it supersedes the journal).

        Encoding a large state takes long (hundreds of ms for 10,000 links):
        it runs in the executor, never in the event loop. `state` is immutable.
        """
        self._data["state"] = await self._hass.async_add_executor_job(
            self._encoded.encode, state
        )
        await self._save_envelope()

    def keep_plex_details(self, details: dict[str, Any]) -> None:
        """Keep the Plex client's Discover details with the next save."""
        self._data["plex_details"] = details

    async def async_journal(
        self, op: Op, recorded: datetime, lags: bool, state: SyncState
    ) -> None:
        """Persist one successful write: `state` is the state after
        `record(previous, op, recorded, lags=lags)`, saved whole when the
        journal is long.
        """
        if len(self._journaled) >= JOURNAL_LIMIT:
            await self.async_save_state(state)
            return
        self._journaled.append(Journaled(op, recorded, lags))
        await self._journal.async_save(self._journaled.to_json(self._generation))

    async def _save_envelope(self) -> None:
        """Write the envelope as a new generation: the journal starts over."""
        self._generation += 1
        self._data["generation"] = self._generation
        await self._store.async_save(self._data)
        self._journaled = _Journal()

    async def async_save_run(
        self,
        state: SyncState,
        *,
        plan: dict[str, Any] | None,
        report: dict[str, Any] | None,
        last_success: datetime | None,
    ) -> None:
        """Persist the state with the outcome of a run (encoded in the executor)."""
        self._data["state"] = await self._hass.async_add_executor_job(
            self._encoded.encode, state
        )
        self._data["last_plan"] = plan
        self._data["last_report"] = report
        self._data["last_success"] = last_success.isoformat() if last_success else None
        await self._save_envelope()

    async def async_remove(self) -> None:
        """Delete the files (the entry was removed)."""
        await self._store.async_remove()
        await self._journal.async_remove()
