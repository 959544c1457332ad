"""JSON for what undoing needs: the undone writes the sync must not make again
(part of the persisted state, see codec.py) and what each write's side
showed before it (`Op.before`, kept with the writes an undo can revert).

The same rules as codec.py: fields checked, `ValueError` naming the field,
fields at their default left out. Both are left out of a state while empty,
so states saved before they existed read the same."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from . import json_fields as fields
from .model import Declined, Feature, Shown


def shown_to_json(shown: Shown) -> dict[str, Any]:
    return fields.compact(
        {
            "present": shown.present,
            "value": shown.value,
            "at": fields.iso_time(shown.at),
        }
    )


def shown_from_json(data: Mapping[str, Any]) -> Shown:
    return Shown(
        present=fields.required(data, "present", bool),
        value=fields.optional(data, "value", int),
        at=fields.parse_time(data, "at"),
    )


def _declined_to(record: Declined) -> dict[str, Any]:
    return {
        "link": record.link,
        "feature": record.feature.value,
        "plex": shown_to_json(record.plex),
        "senscritique": shown_to_json(record.senscritique),
    }


def _declined_from(data: Mapping[str, Any]) -> Declined:
    return Declined(
        link=fields.required(data, "link", str),
        feature=fields.member(data, "feature", Feature),
        plex=shown_from_json(fields.mapping(data, "plex")),
        senscritique=shown_from_json(fields.mapping(data, "senscritique")),
    )


def declined_to_json(records: Sequence[Declined]) -> dict[str, Any]:
    """The state's `declined` entry, or nothing while there is none."""
    if not records:
        return {}
    return {"declined": [_declined_to(record) for record in records]}


def declined_from_json(data: Mapping[str, Any]) -> tuple[Declined, ...]:
    items = fields.optional(data, "declined", list) or []
    return tuple(fields.many(items, _declined_from, "declined"))
