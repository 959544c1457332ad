"""JSON for the user's choices a sync respects, part of the persisted state
(codec.py): the pairs the user unlinked, the writes the user undid
(`Declined`, with what each side showed: `Shown`, also what a write's side
showed before it, kept with the writes an undo can revert), and the works the
user said the other service lacks (`alone`).

The same rules as codec.py: fields checked, `ValueError` naming the field,
fields at their default left out. The lists are left out of a state while
empty, so states saved before they existed read the same."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from . import json_fields as fields
from .model import Declined, Feature, Shown, Side


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


def choices_to_json(
    unlinked: frozenset[tuple[str, str]],
    declined: Sequence[Declined],
    alone: frozenset[tuple[Side, str]] = frozenset(),
) -> dict[str, Any]:
    """The state's `unlinked`, `declined` and `alone` entries, each left out
    while empty."""
    found: dict[str, Any] = {}
    if alone:
        found["alone"] = [
            {"side": side.value, "key": key} for side, key in sorted(alone)
        ]
    if unlinked:
        found["unlinked"] = [
            {"senscritique": senscritique, "plex": plex}
            for senscritique, plex in sorted(unlinked)
        ]
    if declined:
        found["declined"] = [_declined_to(record) for record in declined]
    return found


def _unlinked_from(data: Mapping[str, Any]) -> tuple[str, str]:
    return fields.required(data, "senscritique", str), fields.required(
        data, "plex", str
    )


def unlinked_from_json(data: Mapping[str, Any]) -> frozenset[tuple[str, str]]:
    items = fields.optional(data, "unlinked", list) or []
    return frozenset(fields.many(items, _unlinked_from, "unlinked"))


def declined_from_json(data: Mapping[str, Any]) -> tuple[Declined, ...]:
    items = fields.optional(data, "declined", list) or []
    return tuple(fields.many(items, _declined_from, "declined"))


def _alone_from(data: Mapping[str, Any]) -> tuple[Side, str]:
    return fields.member(data, "side", Side), fields.required(data, "key", str)


def alone_from_json(data: Mapping[str, Any]) -> frozenset[tuple[Side, str]]:
    items = fields.optional(data, "alone", list) or []
    return frozenset(fields.many(items, _alone_from, "alone"))
