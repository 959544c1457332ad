"""Options: each feature on/off, its direction and whether removals
propagate; the sync interval; the guard threshold; preview-only mode."""

from __future__ import annotations

from typing import Any

import voluptuous as vol
from homeassistant.config_entries import ConfigFlowResult, OptionsFlow
from homeassistant.helpers.selector import (
    BooleanSelector,
    EntitySelector,
    EntitySelectorConfig,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)

from .const import (
    CONF_GUARD_MIN,
    CONF_GUARD_PERCENT,
    CONF_PERSON,
    CONF_PLEX_WEBHOOK,
    CONF_PREVIEW_ONLY,
    CONF_SC_MODE,
    CONF_SYNC_INTERVAL,
    MAX_SYNC_INTERVAL,
    MIN_SYNC_INTERVAL,
    READ_ONLY_DIRECTION,
    SC_MODE_READ_ONLY,
    conf_direction,
    conf_enabled,
    conf_removals,
)
from .engine.model import Direction, Feature
from .options import default_options


def _number(low: int, high: int, unit: str | None = None) -> NumberSelector:
    config = NumberSelectorConfig(
        min=low, max=high, step=1, mode=NumberSelectorMode.BOX
    )
    if unit is not None:
        config["unit_of_measurement"] = unit
    return NumberSelector(config)


def feature_fields(*, read_only: bool) -> dict[vol.Marker, Any]:
    """Per feature: on or off, its direction, whether removals propagate
    (the options form, and the config flow's first-sync step); read-only mode
    offers SensCritique -> Plex only."""
    directions = [READ_ONLY_DIRECTION] if read_only else list(Direction)
    fields: dict[vol.Marker, Any] = {}
    for feature in Feature:
        fields[vol.Required(conf_enabled(feature))] = BooleanSelector()
        fields[vol.Required(conf_direction(feature))] = SelectSelector(
            SelectSelectorConfig(
                options=[d.value for d in directions],
                translation_key="direction",
                mode=SelectSelectorMode.DROPDOWN,
            )
        )
        fields[vol.Required(conf_removals(feature))] = BooleanSelector()
    return fields


def features_input(user_input: dict[str, Any], *, read_only: bool) -> dict[str, Any]:
    """The feature fields as options (a read-only entry flows one way only)."""
    if read_only:
        for feature in Feature:
            user_input[conf_direction(feature)] = READ_ONLY_DIRECTION.value
    return user_input


def options_schema(*, read_only: bool) -> vol.Schema:
    """The options form: the features, then the schedule, the guard and
    preview-only mode."""
    fields = feature_fields(read_only=read_only)
    fields[vol.Required(CONF_SYNC_INTERVAL)] = _number(
        MIN_SYNC_INTERVAL, MAX_SYNC_INTERVAL, "min"
    )
    fields[vol.Required(CONF_GUARD_PERCENT)] = _number(1, 100, "%")
    fields[vol.Required(CONF_GUARD_MIN)] = _number(1, 1000)
    fields[vol.Required(CONF_PREVIEW_ONLY)] = BooleanSelector()
    fields[vol.Required(CONF_PLEX_WEBHOOK)] = BooleanSelector()
    fields[vol.Optional(CONF_PERSON)] = EntitySelector(
        EntitySelectorConfig(domain="person")
    )
    return vol.Schema(fields)


class PlexSyncOptionsFlow(OptionsFlow):
    """Edit the options of one entry (the entry reloads on save)."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        read_only = self.config_entry.data.get(CONF_SC_MODE) == SC_MODE_READ_ONLY
        if user_input is not None:
            features_input(user_input, read_only=read_only)
            for key in (CONF_SYNC_INTERVAL, CONF_GUARD_PERCENT, CONF_GUARD_MIN):
                user_input[key] = int(user_input[key])
            return self.async_create_entry(data=user_input)
        current = {**default_options(read_only=read_only), **self.config_entry.options}
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                options_schema(read_only=read_only), current
            ),
        )
