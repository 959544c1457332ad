"""JSON for the engine's data: the persisted state, plans and snapshots.

Every document carries a "version". Decoding checks it and every field it
reads; anything unexpected raises `ValueError` naming the field, never a
KeyError from deep inside. Datetimes are ISO 8601 with an offset and come back
as timezone-aware UTC. Fields at their default are left out to keep the store
small.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from .model import (
    STATE_VERSION,
    Action,
    Agreed,
    Feature,
    GuardKind,
    GuardReport,
    Kind,
    Link,
    Op,
    Pending,
    Plan,
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

SNAPSHOT_VERSION = 1
PLAN_VERSION = 1

# --------------------------------------------------------------------------- fields


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _field(data: Mapping[str, Any], name: str, kind: type | tuple[type, ...]) -> Any:
    if not isinstance(data, Mapping):
        raise ValueError(f"expected an object holding {name!r}, got {data!r}")
    if name not in data:
        raise ValueError(f"missing field {name!r}")
    value = data[name]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ValueError(f"field {name!r} has the wrong type: {value!r}")
    return value


def _optional(data: Mapping[str, Any], name: str, kind: type) -> Any:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ValueError(f"field {name!r} has the wrong type: {value!r}")
    return value


def _parse_time(data: Mapping[str, Any], name: str) -> datetime | None:
    text = _optional(data, name, str)
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as err:
        raise ValueError(f"field {name!r} is not an ISO 8601 date: {text!r}") from err
    if moment.tzinfo is None:
        raise ValueError(f"field {name!r} has no time zone: {text!r}")
    return moment.astimezone(UTC)


def _enum[E: StrEnum](data: Mapping[str, Any], name: str, enum: type[E]) -> E:
    value = _field(data, name, str)
    try:
        return enum(value)
    except ValueError as err:
        raise ValueError(f"field {name!r} has an unknown value: {value!r}") from err


def _list(data: Mapping[str, Any], name: str) -> list[Any]:
    value: list[Any] = _field(data, name, list)
    return value


def _object(data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value: Mapping[str, Any] = _field(data, name, dict)
    return value


def _check_version(data: Mapping[str, Any], what: str, expected: int) -> None:
    if not isinstance(data, Mapping):
        raise ValueError(f"{what} must be a JSON object")
    version = data.get("version")
    if version != expected:
        raise ValueError(
            f"{what} version {version!r} is not supported (expected {expected})"
        )


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None and v != ()}


def _many[T](
    items: list[Any], decode: Callable[[Mapping[str, Any]], T], what: str
) -> list[T]:
    out: list[T] = []
    for index, item in enumerate(items):
        try:
            out.append(decode(item))
        except ValueError as err:
            raise ValueError(f"{what}[{index}]: {err}") from err
    return out


# --------------------------------------------------------------------------- snapshot


def _work_to(work: Work) -> dict[str, Any]:
    return _compact(
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
    guids = _optional(data, "guids", list) or []
    if not all(isinstance(guid, str) for guid in guids):
        raise ValueError(f"field 'guids' must hold strings: {guids!r}")
    return Work(
        key=_field(data, "key", str),
        kind=_enum(data, "kind", Kind),
        title=_field(data, "title", str),
        original_title=_optional(data, "original_title", str),
        year=_optional(data, "year", int),
        parent=_optional(data, "parent", str),
        season=_optional(data, "season", int),
        episode=_optional(data, "episode", int),
        guids=tuple(guids),
        ref=_optional(data, "ref", str),
    )


def _rating_value(data: Mapping[str, Any]) -> int:
    value: int = _field(data, "value", int)
    if not 1 <= value <= 10:
        raise ValueError(f"field 'value' is outside 1..10: {value}")
    return value


def snapshot_to_json(snapshot: Snapshot) -> dict[str, Any]:
    return {
        "version": SNAPSHOT_VERSION,
        "side": snapshot.side.value,
        "works": [_work_to(w) for w in snapshot.works.values()],
        "watchlist": [
            _compact({"key": e.key, "added_at": _time(e.added_at)})
            for e in snapshot.watchlist.values()
        ],
        "ratings": [
            _compact(
                {
                    "key": r.key,
                    "value": r.value,
                    "rated_at": _time(r.rated_at),
                    "watched_at": _time(r.watched_at),
                }
            )
            for r in snapshot.ratings.values()
        ],
        "watched": [
            _compact({"key": w.key, "watched_at": _time(w.watched_at)})
            for w in snapshot.watched.values()
        ],
    }


def snapshot_from_json(data: Mapping[str, Any]) -> Snapshot:
    _check_version(data, "snapshot", SNAPSHOT_VERSION)
    return Snapshot.build(
        _enum(data, "side", Side),
        works=_many(_list(data, "works"), _work_from, "works"),
        watchlist=_many(
            _list(data, "watchlist"),
            lambda d: WatchlistEntry(_field(d, "key", str), _parse_time(d, "added_at")),
            "watchlist",
        ),
        ratings=_many(
            _list(data, "ratings"),
            lambda d: Rating(
                _field(d, "key", str),
                _rating_value(d),
                _parse_time(d, "rated_at"),
                _parse_time(d, "watched_at"),
            ),
            "ratings",
        ),
        watched=_many(
            _list(data, "watched"),
            lambda d: Watch(_field(d, "key", str), _parse_time(d, "watched_at")),
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
        senscritique=_field(data, "senscritique", str),
        plex=_field(data, "plex", str),
        kind=_enum(data, "kind", Kind),
        provenance=_enum(data, "provenance", Provenance),
        score=float(_field(data, "score", (int, float))),
    )


def _agreed_to(agreed: Agreed) -> dict[str, Any]:
    return _compact(
        {
            "watchlist": agreed.watchlist or None,
            "rating": agreed.rating,
            "rated_at": _time(agreed.rated_at),
            "watched": agreed.watched or None,
            "watched_at": _time(agreed.watched_at),
            "plex_watched_at": _time(agreed.plex_watched_at),
            "senscritique_watched_at": _time(agreed.senscritique_watched_at),
        }
    )


def _agreed_from(data: Mapping[str, Any]) -> Agreed:
    if not isinstance(data, Mapping):
        raise ValueError(f"expected an object, got {data!r}")
    rating = _optional(data, "rating", int)
    if rating is not None and not 1 <= rating <= 10:
        raise ValueError(f"field 'rating' is outside 1..10: {rating}")
    return Agreed(
        watchlist=bool(_optional(data, "watchlist", bool)),
        rating=rating,
        rated_at=_parse_time(data, "rated_at"),
        watched=bool(_optional(data, "watched", bool)),
        watched_at=_parse_time(data, "watched_at"),
        plex_watched_at=_parse_time(data, "plex_watched_at"),
        senscritique_watched_at=_parse_time(data, "senscritique_watched_at"),
    )


def _pending_to(entry: Pending) -> dict[str, Any]:
    return _compact(
        {
            "link": entry.link,
            "side": entry.side.value,
            "action": entry.action.value,
            "since": _time(entry.since),
            "value": entry.value,
        }
    )


def _pending_from(data: Mapping[str, Any]) -> Pending:
    since = _parse_time(data, "since")
    if since is None:
        raise ValueError("missing field 'since'")
    return Pending(
        link=_field(data, "link", str),
        side=_enum(data, "side", Side),
        action=_enum(data, "action", Action),
        since=since,
        value=_optional(data, "value", int),
    )


def _miss_from(data: Mapping[str, Any]) -> SearchMiss:
    retry_at = _parse_time(data, "retry_at")
    if retry_at is None:
        raise ValueError("missing field 'retry_at'")
    return SearchMiss(
        side=_enum(data, "side", Side),
        key=_field(data, "key", str),
        attempts=_field(data, "attempts", int),
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
                "retry_at": _time(m.retry_at),
            }
            for key, m in state.misses.items()
        },
    }


def state_from_json(data: Mapping[str, Any]) -> SyncState:
    """The state stored by `state_to_json`; ValueError on anything else."""
    _check_version(data, "sync state", STATE_VERSION)
    links = _many(_list(data, "links"), _link_from, "links")
    return SyncState(
        links={link.id: link for link in links},
        agreed=_keyed(_object(data, "agreed"), _agreed_from, "agreed"),
        pending=tuple(_many(_list(data, "pending"), _pending_from, "pending")),
        misses=_keyed(_object(data, "misses"), _miss_from, "misses"),
    )


# --------------------------------------------------------------------------- plan


def _op_to(op: Op) -> dict[str, Any]:
    return _compact(
        {
            "side": op.side.value,
            "action": op.action.value,
            "key": op.key,
            "link": op.link,
            "reason": op.reason,
            "value": op.value,
            "at": _time(op.at),
        }
    )


def _op_from(data: Mapping[str, Any]) -> Op:
    return Op(
        side=_enum(data, "side", Side),
        action=_enum(data, "action", Action),
        key=_field(data, "key", str),
        link=_field(data, "link", str),
        reason=_field(data, "reason", str),
        value=_optional(data, "value", int),
        at=_parse_time(data, "at"),
    )


def _guard_from(data: Mapping[str, Any]) -> GuardReport:
    return GuardReport(
        kind=_enum(data, "kind", GuardKind),
        side=_enum(data, "side", Side),
        feature=_enum(data, "feature", Feature),
        count=_field(data, "count", int),
        limit=_field(data, "limit", int),
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
            }
            for g in plan.guards
        ],
        "settled": {key: _agreed_to(a) for key, a in plan.settled.items()},
        "resolved": [_pending_to(p) for p in plan.resolved],
    }


def plan_from_json(data: Mapping[str, Any]) -> Plan:
    _check_version(data, "plan", PLAN_VERSION)
    return Plan(
        ops=tuple(_many(_list(data, "ops"), _op_from, "ops")),
        held=tuple(_many(_list(data, "held"), _op_from, "held")),
        guards=tuple(_many(_list(data, "guards"), _guard_from, "guards")),
        settled=_keyed(_object(data, "settled"), _agreed_from, "settled"),
        resolved=tuple(_many(_list(data, "resolved"), _pending_from, "resolved")),
    )
