"""plexsync.undo_last_run: the writes of the last run (or of the last to-do
action), kept, and put back on request.

Each write carries what its side showed before it (`Op.before`); the undo
reads both sides, and for each write, last first: if the side no longer shows
what the write made, the user changed it since and it is left alone;
otherwise the inverse write (engine/undo.py) is made and recorded in the base
like any write. What cannot be put back is listed with the reason.

An undone sync write leaves the two sides disagreeing on purpose; the state
then records it as declined, so later syncs do not make it again until either
side changes. Undoing a to-do action writes both sides back, so they agree
again and nothing needs declining. The kept writes are one batch, replaced
by the next run or to-do action that writes, and gone once undone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .changes import Title, change
from .clients import SideClients
from .const import DOMAIN
from .engine import json_fields as fields
from .engine.codec import plan_from_json, plan_to_json
from .engine.codec_choices import shown_from_json, shown_to_json
from .engine.link_view import shown_on
from .engine.model import Side, Snapshot, SyncState
from .engine.plans import Op, Plan
from .engine.settings import Capabilities
from .engine.undo import (
    NotUndone,
    declined,
    inverse,
    made,
    still_shows,
)
from .pipeline import SyncPipeline

UNDO_VERSION = 1
Kind = Literal["sync", "todo"]
BECAUSE = {
    "sync": "you undid the last sync",
    "todo": "you undid your last change from the to-do list",
}


@dataclass(frozen=True, slots=True)
class WriteBatch:
    """The writes one run or one to-do action made, with their works' names."""

    kind: Kind
    at: datetime
    ops: tuple[Op, ...]
    titles: tuple[Title, ...]


def _batch_to_json(batch: WriteBatch) -> dict[str, Any]:
    return {
        "version": UNDO_VERSION,
        "kind": batch.kind,
        "at": batch.at.isoformat(),
        "plan": plan_to_json(Plan(ops=batch.ops)),
        "before": [shown_to_json(op.before) if op.before else None for op in batch.ops],
        "titles": [{"title": t.title, "year": t.year} for t in batch.titles],
    }


def _batch_from_json(data: Mapping[str, Any]) -> WriteBatch:
    fields.check_version(data, "undo batch", UNDO_VERSION)
    ops = plan_from_json(fields.mapping(data, "plan")).ops
    before = fields.array(data, "before")
    titles = fields.array(data, "titles")
    if len(before) != len(ops) or len(titles) != len(ops):
        raise ValueError("undo batch: one before and one title per write")
    kind = fields.required(data, "kind", str)
    if kind not in BECAUSE:
        raise ValueError(f"undo batch: unknown kind {kind!r}")
    at = fields.parse_time(data, "at")
    if at is None:
        raise ValueError("undo batch: missing field 'at'")
    return WriteBatch(
        kind,
        at,
        tuple(
            replace(op, before=shown_from_json(shown) if shown else None)
            for op, shown in zip(ops, before, strict=True)
        ),
        tuple(
            Title(
                fields.required(title, "title", str),
                fields.optional(title, "year", int),
            )
            for title in titles
        ),
    )


class UndoLog:
    """The last batch of writes of one entry, persisted beside its state
    (`.storage/plexsync.<entry_id>.undo`)."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        self._store = Store[dict[str, Any]](
            hass, UNDO_VERSION, f"{DOMAIN}.{entry_id}.undo", private=True
        )
        self.batch: WriteBatch | None = None

    async def async_load(self) -> None:
        """Take up the kept batch; one that cannot be read is dropped (it only
        ever serves an undo, never the sync)."""
        data = await self._store.async_load()
        try:
            self.batch = _batch_from_json(data) if data else None
        except (ValueError, TypeError, KeyError):
            self.batch = None

    async def async_keep(
        self, kind: Kind, ops: Sequence[Op], titles: Sequence[Title]
    ) -> None:
        """Keep the writes just made as the batch an undo reverts; a run or
        action that wrote nothing leaves the kept batch as it is."""
        if not ops:
            return
        self.batch = WriteBatch(kind, dt_util.utcnow(), tuple(ops), tuple(titles))
        await self._store.async_save(_batch_to_json(self.batch))

    async def async_clear(self) -> None:
        self.batch = None
        await self._store.async_remove()


@dataclass(frozen=True, slots=True)
class Reverting:
    """What an undo will write and what it leaves, decided from a fresh read."""

    writes: tuple[Op, ...]
    titles: tuple[Title, ...]
    originals: tuple[Op, ...]  # the kept write each of `writes` puts back
    left: tuple[tuple[Op, Title, NotUndone], ...]


def plan_undo(
    batch: WriteBatch,
    snapshots: Mapping[Side, Snapshot],
    capabilities: Mapping[Side, Capabilities],
) -> Reverting:
    """The inverse of each kept write still showing, last first."""
    writes: list[Op] = []
    titles: list[Title] = []
    originals: list[Op] = []
    left: list[tuple[Op, Title, NotUndone]] = []
    for op, title in reversed(list(zip(batch.ops, batch.titles, strict=True))):
        if not still_shows(op, snapshots[op.side]):
            left.append((op, title, NotUndone.CHANGED_SINCE))
            continue
        back = inverse(
            op,
            capabilities[op.side],
            title=title.quoted(),
            because=BECAUSE[batch.kind],
        )
        if isinstance(back, NotUndone):
            left.append((op, title, back))
            continue
        writes.append(replace(back, title=title.title))
        titles.append(title)
        originals.append(op)
    return Reverting(tuple(writes), tuple(titles), tuple(originals), tuple(left))


def with_declined(
    state: SyncState, written: Sequence[Op], snapshots: Mapping[Side, Snapshot]
) -> SyncState:
    """`state` where each undone write of a sync is declined: the undo's side
    shows what it wrote back, the other side what the undo's read showed."""
    records = {(d.link, d.feature): d for d in state.declined}
    for op in written:
        link = state.links.get(op.link)
        if link is None:
            continue
        other = op.side.other
        shows = {
            op.side: made(op),
            other: shown_on(snapshots[other], link.key_on(other), op.feature),
        }
        records[op.link, op.feature] = declined(link, op.feature, shows)
    return replace(state, declined=tuple(records.values()))


def response(
    batch: WriteBatch,
    reverting: Reverting,
    written: Sequence[Op],
    failed: Mapping[Op, str],
) -> dict[str, Any]:
    """The action's answer: what was put back, and what was not and why."""
    done = set(written)
    reverted: list[dict[str, Any]] = []
    not_reverted = [
        {**change(op, title), "why": why.value} for op, title, why in reverting.left
    ]
    for op, title in zip(reverting.writes, reverting.titles, strict=True):
        if op in done:
            reverted.append(change(op, title))
        elif op in failed:
            not_reverted.append(
                {**change(op, title), "why": "failed", "error": failed[op]}
            )
        else:  # the service asked to slow down: no more writes this time
            not_reverted.append({**change(op, title), "why": "stopped"})
    return {
        "undone": batch.kind,
        "of": batch.at.isoformat(),
        "reverted": reverted,
        "not_reverted": not_reverted,
    }


async def async_undo(
    pipeline: SyncPipeline, sides: SideClients, log: UndoLog
) -> dict[str, Any] | None:
    """Put the kept batch back (see the module's docstring); None when there
    is nothing to undo. Service errors of the read are raised; a write that
    fails is listed, the others go on."""
    batch = log.batch
    if batch is None:
        return None
    plex, senscritique = await pipeline.read()
    snapshots = {Side.PLEX: plex, Side.SENSCRITIQUE: senscritique}
    capabilities = {side: await sides.capabilities(side) for side in Side}
    reverting = plan_undo(batch, snapshots, capabilities)
    written, failed, _ = await pipeline.apply(reverting.writes)
    if batch.kind == "sync" and written:
        pipeline.state = with_declined(pipeline.state, written, snapshots)
        await pipeline.store.async_save_state(pipeline.state)
    # What could be put back but was not (a failure, a 429) stays to retry.
    done = set(written)
    retry = [
        (original, title)
        for original, back, title in zip(
            reverting.originals, reverting.writes, reverting.titles, strict=True
        )
        if back not in done
    ]
    retry.reverse()  # kept in the order they were written
    if retry:
        await log.async_keep(
            batch.kind, [op for op, _ in retry], [title for _, title in retry]
        )
    else:
        await log.async_clear()
    return response(batch, reverting, written, {f.op: f.error for f in failed})
