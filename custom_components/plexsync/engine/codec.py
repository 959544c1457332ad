"""JSON for the engine's data: the persisted state, plans and snapshots.

Every document carries a "version". Decoding checks it and every field it
reads; anything unexpected raises `ValueError` naming the field, never a
KeyError from deep inside. Datetimes are ISO 8601 with an offset and come back
as timezone-aware UTC. Fields at their default are left out to keep the store
small.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from . import json_fields as fields
from .codec_choices import (
    alone_from_json,
    choices_to_json,
    declined_from_json,
    unlinked_from_json,
)
from .model import (
    STATE_VERSION,
    Action,
    Agreed,
    Feature,
    Kind,
    Link,
    Pending,
    Provenance,
    Rating,
    SearchMiss,
    Side,
    Snapshot,
    SyncState,
    Watch,
    WatchlistEntry,
    Work,
)
from .plans import GuardKind, GuardReport, Op, Plan

SNAPSHOT_VERSION = 1
PLAN_VERSION = 1

# --------------------------------------------------------------------------- snapshot


def _work_to(work: Work) -> dict[str, Any]:
    return fields.compact(
        {
            "key": work.key,
            "kind": work.kind.value,
            "title": work.title,
            "original_title": work.original_title,
            "year": work.year,
            "parent": work.parent,
            "season": work.season,
            "episode": work.episode,
            "guids": list(work.guids) or None,
            "ref": work.ref,
        }
    )


def _work_from(data: Mapping[str, Any]) -> Work:
    guids = fields.optional(data, "guids", list) or []
    if not all(isinstance(guid, str) for guid in guids):
        raise ValueError(f"field 'guids' must hold strings: {guids!r}")
    return Work(
        key=fields.required(data, "key", str),
        kind=fields.member(data, "kind", Kind),
        title=fields.required(data, "title", str),
        original_title=fields.optional(data, "original_title", str),
        year=fields.optional(data, "year", int),
        parent=fields.optional(data, "parent", str),
        season=fields.optional(data, "season", int),
        episode=fields.optional(data, "episode", int),
        guids=tuple(guids),
        ref=fields.optional(data, "ref", str),
    )


def _rating_value(data: Mapping[str, Any]) -> int:
    value: int = fields.required(data, "value", int)
    if not 1 <= value <= 10:
        raise ValueError(f"field 'value' is outside 1..10: {value}")
    return value


def snapshot_to_json(snapshot: Snapshot) -> dict[str, Any]:
    return {
        "version": SNAPSHOT_VERSION,
        "side": snapshot.side.value,
        "works": [_work_to(w) for w in snapshot.works.values()],
        "watchlist": [
            fields.compact({"key": e.key, "added_at": fields.iso_time(e.added_at)})
            for e in snapshot.watchlist.values()
        ],
        "ratings": [
            fields.compact(
                {
                    "key": r.key,
                    "value": r.value,
                    "rated_at": fields.iso_time(r.rated_at),
                    "watched_at": fields.iso_time(r.watched_at),
                }
            )
            for r in snapshot.ratings.values()
        ],
        "watched": [
            fields.compact({"key": w.key, "watched_at": fields.iso_time(w.watched_at)})
            for w in snapshot.watched.values()
        ],
    }


def snapshot_from_json(data: Mapping[str, Any]) -> Snapshot:
    fields.check_version(data, "snapshot", SNAPSHOT_VERSION)
    return Snapshot.build(
        fields.member(data, "side", Side),
        works=fields.many(fields.array(data, "works"), _work_from, "works"),
        watchlist=fields.many(
            fields.array(data, "watchlist"),
            lambda d: WatchlistEntry(
                fields.required(d, "key", str), fields.parse_time(d, "added_at")
            ),
            "watchlist",
        ),
        ratings=fields.many(
            fields.array(data, "ratings"),
            lambda d: Rating(
                fields.required(d, "key", str),
                _rating_value(d),
                fields.parse_time(d, "rated_at"),
                fields.parse_time(d, "watched_at"),
            ),
            "ratings",
        ),
        watched=fields.many(
            fields.array(data, "watched"),
            lambda d: Watch(
                fields.required(d, "key", str), fields.parse_time(d, "watched_at")
            ),
            "watched",
        ),
    )


# --------------------------------------------------------------------------- state


def _link_to(link: Link) -> dict[str, Any]:
    return {
        "senscritique": link.senscritique,
        "plex": link.plex,
        "kind": link.kind.value,
        "provenance": link.provenance.value,
        "score": link.score,
    }


def _link_from(data: Mapping[str, Any]) -> Link:
    return Link(
        senscritique=fields.required(data, "senscritique", str),
        plex=fields.required(data, "plex", str),
        kind=fields.member(data, "kind", Kind),
        provenance=fields.member(data, "provenance", Provenance),
        score=float(fields.required(data, "score", (int, float))),
    )


def _agreed_to(agreed: Agreed) -> dict[str, Any]:
    return fields.compact(
        {
            "watchlist": agreed.watchlist or None,
            "rating": agreed.rating,
            "rated_at": fields.iso_time(agreed.rated_at),
            "watched": agreed.watched or None,
            "watched_at": fields.iso_time(agreed.watched_at),
            "plex_watched_at": fields.iso_time(agreed.plex_watched_at),
            "senscritique_watched_at": fields.iso_time(agreed.senscritique_watched_at),
            "plex_rating_overruled": agreed.plex_rating_overruled,
            "senscritique_rating_overruled": agreed.senscritique_rating_overruled,
        }
    )


def _agreed_from(data: Mapping[str, Any]) -> Agreed:
    if not isinstance(data, Mapping):
        raise ValueError(f"expected an object, got {data!r}")
    rating = _rating_field(data, "rating")
    return Agreed(
        watchlist=bool(fields.optional(data, "watchlist", bool)),
        rating=rating,
        rated_at=fields.parse_time(data, "rated_at"),
        watched=bool(fields.optional(data, "watched", bool)),
        watched_at=fields.parse_time(data, "watched_at"),
        plex_watched_at=fields.parse_time(data, "plex_watched_at"),
        senscritique_watched_at=fields.parse_time(data, "senscritique_watched_at"),
        plex_rating_overruled=_rating_field(data, "plex_rating_overruled"),
        senscritique_rating_overruled=_rating_field(
            data, "senscritique_rating_overruled"
        ),
    )


def _rating_field(data: Mapping[str, Any], name: str) -> int | None:
    value: int | None = fields.optional(data, name, int)
    if value is not None and not 1 <= value <= 10:
        raise ValueError(f"field {name!r} is outside 1..10: {value}")
    return value


def _pending_to(entry: Pending) -> dict[str, Any]:
    return fields.compact(
        {
            "link": entry.link,
            "side": entry.side.value,
            "action": entry.action.value,
            "since": fields.iso_time(entry.since),
            "value": entry.value,
            "at": fields.iso_time(entry.at),
        }
    )


def _pending_from(data: Mapping[str, Any]) -> Pending:
    since = fields.parse_time(data, "since")
    if since is None:
        raise ValueError("missing field 'since'")
    return Pending(
        link=fields.required(data, "link", str),
        side=fields.member(data, "side", Side),
        action=fields.member(data, "action", Action),
        since=since,
        value=fields.optional(data, "value", int),
        at=fields.parse_time(data, "at"),
    )


def _miss_from(data: Mapping[str, Any]) -> SearchMiss:
    retry_at = fields.parse_time(data, "retry_at")
    if retry_at is None:
        raise ValueError("missing field 'retry_at'")
    return SearchMiss(
        side=fields.member(data, "side", Side),
        key=fields.required(data, "key", str),
        attempts=fields.required(data, "attempts", int),
        retry_at=retry_at,
    )


def _keyed[T](
    data: Mapping[str, Any], decode: Callable[[Mapping[str, Any]], T], what: str
) -> dict[str, T]:
    out: dict[str, T] = {}
    for key, item in data.items():
        try:
            out[key] = decode(item)
        except ValueError as err:
            raise ValueError(f"{what}[{key!r}]: {err}") from err
    return out


def state_to_json(state: SyncState) -> dict[str, Any]:
    return {
        "version": STATE_VERSION,
        "links": [_link_to(link) for link in state.links.values()],
        "agreed": {key: _agreed_to(a) for key, a in state.agreed.items()},
        "pending": [_pending_to(p) for p in state.pending],
        "misses": {
            key: {
                "side": m.side.value,
                "key": m.key,
                "attempts": m.attempts,
                "retry_at": fields.iso_time(m.retry_at),
            }
            for key, m in state.misses.items()
        },
    } | choices_to_json(state.unlinked, state.declined, state.alone)


def state_from_json(data: Mapping[str, Any]) -> SyncState:
    """The state stored by `state_to_json`; ValueError on anything else."""
    fields.check_version(data, "sync state", STATE_VERSION)
    links = fields.many(fields.array(data, "links"), _link_from, "links")
    return SyncState(
        links={link.id: link for link in links},
        agreed=_keyed(fields.mapping(data, "agreed"), _agreed_from, "agreed"),
        pending=tuple(
            fields.many(fields.array(data, "pending"), _pending_from, "pending")
        ),
        misses=_keyed(fields.mapping(data, "misses"), _miss_from, "misses"),
        unlinked=unlinked_from_json(data),
        declined=declined_from_json(data),
        alone=alone_from_json(data),
    )


# --------------------------------------------------------------------------- plan


def _op_to(op: Op) -> dict[str, Any]:
    return fields.compact(
        {
            "side": op.side.value,
            "action": op.action.value,
            "key": op.key,
            "link": op.link,
            "reason": op.reason,
            "value": op.value,
            "at": fields.iso_time(op.at),
            "at_shown_on": sorted(side.value for side in op.at_shown_on) or None,
        }
    )


def _op_from(data: Mapping[str, Any]) -> Op:
    return Op(
        side=fields.member(data, "side", Side),
        action=fields.member(data, "action", Action),
        key=fields.required(data, "key", str),
        link=fields.required(data, "link", str),
        reason=fields.required(data, "reason", str),
        value=fields.optional(data, "value", int),
        at=fields.parse_time(data, "at"),
        # Ops saved before "at_shown_on" existed: their sides' dates are
        # learned from the next read.
        at_shown_on=frozenset(
            fields.member({"at_shown_on": side}, "at_shown_on", Side)
            for side in fields.optional(data, "at_shown_on", list) or []
        ),
    )


def _guard_from(data: Mapping[str, Any]) -> GuardReport:
    return GuardReport(
        kind=fields.member(data, "kind", GuardKind),
        side=fields.member(data, "side", Side),
        feature=fields.member(data, "feature", Feature),
        count=fields.required(data, "count", int),
        limit=fields.required(data, "limit", int),
        # Plans saved before "agreed" existed have none.
        agreed=fields.optional(data, "agreed", int) or 0,
    )


def plan_to_json(plan: Plan) -> dict[str, Any]:
    return {
        "version": PLAN_VERSION,
        "ops": [_op_to(op) for op in plan.ops],
        "held": [_op_to(op) for op in plan.held],
        "guards": [
            {
                "kind": g.kind.value,
                "side": g.side.value,
                "feature": g.feature.value,
                "count": g.count,
                "limit": g.limit,
                "agreed": g.agreed,
            }
            for g in plan.guards
        ],
        "settled": {key: _agreed_to(a) for key, a in plan.settled.items()},
        "resolved": [_pending_to(p) for p in plan.resolved],
        "awaiting": [_pending_to(p) for p in plan.awaiting],
    }


def plan_from_json(data: Mapping[str, Any]) -> Plan:
    fields.check_version(data, "plan", PLAN_VERSION)
    return Plan(
        ops=tuple(fields.many(fields.array(data, "ops"), _op_from, "ops")),
        held=tuple(fields.many(fields.array(data, "held"), _op_from, "held")),
        guards=tuple(fields.many(fields.array(data, "guards"), _guard_from, "guards")),
        settled=_keyed(fields.mapping(data, "settled"), _agreed_from, "settled"),
        resolved=tuple(
            fields.many(fields.array(data, "resolved"), _pending_from, "resolved")
        ),
        # Plans saved before "awaiting" existed (a run's journal) have none.
        awaiting=tuple(
            fields.many(
                fields.optional(data, "awaiting", list) or [], _pending_from, "awaiting"
            )
        ),
    )
