"""Checked readers and writers of JSON fields, shared by the engine's codec.

Each reader names the field it failed on in a `ValueError`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


def iso_time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def required(data: Mapping[str, Any], name: str, kind: type | tuple[type, ...]) -> Any:
    if not isinstance(data, Mapping):
        raise ValueError(f"expected an object holding {name!r}, got {data!r}")
    if name not in data:
        raise ValueError(f"missing field {name!r}")
    value = data[name]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ValueError(f"field {name!r} has the wrong type: {value!r}")
    return value


def optional(data: Mapping[str, Any], name: str, kind: type) -> Any:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ValueError(f"field {name!r} has the wrong type: {value!r}")
    return value


def parse_time(data: Mapping[str, Any], name: str) -> datetime | None:
    text = optional(data, name, str)
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as err:
        raise ValueError(f"field {name!r} is not an ISO 8601 date: {text!r}") from err
    if moment.tzinfo is None:
        raise ValueError(f"field {name!r} has no time zone: {text!r}")
    return moment.astimezone(UTC)


def member[E: StrEnum](data: Mapping[str, Any], name: str, enum: type[E]) -> E:
    value = required(data, name, str)
    try:
        return enum(value)
    except ValueError as err:
        raise ValueError(f"field {name!r} has an unknown value: {value!r}") from err


def array(data: Mapping[str, Any], name: str) -> list[Any]:
    value: list[Any] = required(data, name, list)
    return value


def mapping(data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value: Mapping[str, Any] = required(data, name, dict)
    return value


def check_version(data: Mapping[str, Any], what: str, expected: int) -> None:
    if not isinstance(data, Mapping):
        raise ValueError(f"{what} must be a JSON object")
    version = data.get("version")
    if version != expected:
        raise ValueError(
            f"{what} version {version!r} is not supported (expected {expected})"
        )


def compact(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None and v != ()}


def many[T](
    items: list[Any], decode: Callable[[Mapping[str, Any]], T], what: str
) -> list[T]:
    out: list[T] = []
    for index, item in enumerate(items):
        try:
            out.append(decode(item))
        except ValueError as err:
            raise ValueError(f"{what}[{index}]: {err}") from err
    return out
