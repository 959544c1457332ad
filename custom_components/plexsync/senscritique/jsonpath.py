"""Typed access to decoded JSON: a wrong shape is a `MalformedResponse`.

Every accessor names the path of the offending value so a bad payload gives a
clear error instead of a KeyError or TypeError deep inside the decoding.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from ..engine.errors import MalformedResponse
from ..engine.model import Side


def malformed(path: str, what: str) -> MalformedResponse:
    return MalformedResponse(Side.SENSCRITIQUE, f"SensCritique payload: {path} {what}")


def obj(value: object, path: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise malformed(path, "is not an object")
    return value


def opt_obj(value: object, path: str) -> Mapping[str, object] | None:
    return None if value is None else obj(value, path)


def items(value: object, path: str) -> Sequence[object]:
    """A list; null counts as empty (the service omits empty lists as null)."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise malformed(path, "is not a list")
    return value


def integer(value: object, path: str) -> int:
    # bool is an int subclass in Python but never an Int in GraphQL.
    if isinstance(value, bool) or not isinstance(value, int):
        raise malformed(path, "is not an integer")
    return value


def opt_int(value: object, path: str) -> int | None:
    return None if value is None else integer(value, path)


def text(value: object, path: str) -> str:
    if not isinstance(value, str):
        raise malformed(path, "is not a string")
    return value


def opt_text(value: object, path: str) -> str | None:
    return None if value is None else text(value, path)


def flag(value: object, path: str) -> bool:
    """A Boolean; null means false (the service leaves unset flags null)."""
    if value is None:
        return False
    if not isinstance(value, bool):
        raise malformed(path, "is not a boolean")
    return value


def opt_datetime(value: object, path: str) -> datetime | None:
    """An ISO-8601 date or date-time (``2024-11-03T20:41:12.000Z``) in UTC."""
    if value is None or value == "":
        return None
    raw = text(value, path)
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        raise malformed(path, "is not an ISO-8601 date") from None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
