"""Entry options <-> the engine's SyncOptions.

Options are stored flat (one key per feature setting) so the options form maps
onto them one to one; this module is the only place that knows the mapping.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import timedelta
from typing import Any

from .const import (
    CONF_GUARD_MIN,
    CONF_GUARD_PERCENT,
    CONF_PLEX_WEBHOOK,
    CONF_PREVIEW_ONLY,
    CONF_SYNC_INTERVAL,
    DEFAULT_GUARD_MIN,
    DEFAULT_GUARD_PERCENT,
    DEFAULT_REMOVALS,
    DEFAULT_SYNC_INTERVAL,
    READ_ONLY_DIRECTION,
    conf_direction,
    conf_enabled,
    conf_removals,
)
from .engine.model import Direction, Feature
from .engine.settings import FeatureOptions, SyncOptions


def default_options(*, read_only: bool) -> dict[str, Any]:
    """The options a new entry starts with."""
    options: dict[str, Any] = {}
    for feature in Feature:
        options[conf_enabled(feature)] = True
        options[conf_direction(feature)] = (
            READ_ONLY_DIRECTION if read_only else Direction.BOTH
        ).value
        options[conf_removals(feature)] = DEFAULT_REMOVALS[feature]
    options[CONF_SYNC_INTERVAL] = DEFAULT_SYNC_INTERVAL
    options[CONF_GUARD_PERCENT] = DEFAULT_GUARD_PERCENT
    options[CONF_GUARD_MIN] = DEFAULT_GUARD_MIN
    options[CONF_PREVIEW_ONLY] = False
    options[CONF_PLEX_WEBHOOK] = True
    return options


def sync_options(options: Mapping[str, Any], *, read_only: bool) -> SyncOptions:
    """Build the engine's options; read-only mode never writes to SensCritique."""
    defaults = default_options(read_only=read_only)

    def feature_options(feature: Feature) -> FeatureOptions:
        direction = Direction(
            options.get(conf_direction(feature), defaults[conf_direction(feature)])
        )
        if read_only:
            direction = READ_ONLY_DIRECTION
        return FeatureOptions(
            enabled=bool(
                options.get(conf_enabled(feature), defaults[conf_enabled(feature)])
            ),
            direction=direction,
            propagate_removals=bool(
                options.get(conf_removals(feature), defaults[conf_removals(feature)])
            ),
        )

    return SyncOptions(
        watchlist=feature_options(Feature.WATCHLIST),
        ratings=feature_options(Feature.RATINGS),
        watched=feature_options(Feature.WATCHED),
        guard_min=int(options.get(CONF_GUARD_MIN, DEFAULT_GUARD_MIN)),
        guard_ratio=float(options.get(CONF_GUARD_PERCENT, DEFAULT_GUARD_PERCENT)) / 100,
    )


def only_features(options: SyncOptions, features: Iterable[Feature]) -> SyncOptions:
    """Turn off every feature not in `features` (for a partial sync request)."""
    wanted = set(features)

    def keep(feature: Feature) -> FeatureOptions:
        current = options.feature(feature)
        return replace(current, enabled=current.enabled and feature in wanted)

    return replace(
        options,
        watchlist=keep(Feature.WATCHLIST),
        ratings=keep(Feature.RATINGS),
        watched=keep(Feature.WATCHED),
    )


def sync_interval(options: Mapping[str, Any]) -> timedelta:
    """How often the scheduled sync runs."""
    return timedelta(
        minutes=int(options.get(CONF_SYNC_INTERVAL, DEFAULT_SYNC_INTERVAL))
    )


def preview_only(options: Mapping[str, Any]) -> bool:
    """Whether runs plan without writing."""
    return bool(options.get(CONF_PREVIEW_ONLY, False))
