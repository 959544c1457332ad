"""The config flow's last steps: the first sync, under the user's control.

Once both services are signed in, the user picks which features sync and in
which direction (the options form's own fields), then sees what the first
sync would write to each side, per feature, and how many works have no match.
Nothing is written until they choose: start syncing, or preview only (every
run plans and writes nothing; changes are approved from the repairs). If the
preview cannot be made (a service fails or is too slow), they can try again
or set up in preview-only mode.
"""

from __future__ import annotations

import asyncio
from typing import Any

import voluptuous as vol
from homeassistant.config_entries import ConfigFlow, ConfigFlowResult
from homeassistant.helpers.selector import BooleanSelector

from .const import CONF_PREVIEW_ONLY, LOGGER
from .coordinator import SERVICE_NAMES
from .engine.errors import AuthError, SyncServiceError
from .first_sync_preview import FirstSyncPreview, async_preview_first_sync
from .options import default_options, sync_options
from .options_flow import feature_fields, features_input
from .senscritique.client import SensCritiqueClient

STEP_FEATURES = "features"
STEP_PREVIEW = "preview"
STEP_FIRST_SYNC = "first_sync"
STEP_PREVIEW_FAILED = "preview_failed"
START = "start_sync"
PREVIEW_ONLY = "preview_only"


class FirstSyncFlow(ConfigFlow):
    """Features, preview, then the entry: the steps after the sign-ins."""

    def __init__(self) -> None:
        # Signed in by the SensCritique step, kept for the preview.
        self.senscritique_client: SensCritiqueClient | None = None
        self._title = ""
        self._data: dict[str, Any] = {}
        self._read_only = False
        self._options: dict[str, Any] = {}
        self._preview_task: asyncio.Task[FirstSyncPreview] | None = None
        self._preview: FirstSyncPreview | None = None
        self._preview_error: dict[str, str] = {}

    async def async_first_sync(
        self, title: str, data: dict[str, Any], *, read_only: bool
    ) -> ConfigFlowResult:
        """Both services are signed in: go on to the features."""
        self._title, self._data, self._read_only = title, data, read_only
        self._options = default_options(read_only=read_only)
        return await self.async_step_features()

    async def async_step_features(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Which features sync, and which way."""
        if user_input is not None:
            chosen = features_input(user_input, read_only=self._read_only)
            self._options = {**self._options, **chosen}
            return await self.async_step_preview()
        return self.async_show_form(
            step_id=STEP_FEATURES,
            data_schema=self.add_suggested_values_to_schema(
                vol.Schema(feature_fields(read_only=self._read_only)), self._options
            ),
        )

    async def async_step_preview(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Plan the first sync while a spinner shows."""
        if self._preview_task is None:
            self._preview_task = self.hass.async_create_task(
                self._async_preview(), "plexsync first sync preview"
            )
        if not self._preview_task.done():
            return self.async_show_progress(
                step_id=STEP_PREVIEW,
                progress_action=STEP_PREVIEW,
                progress_task=self._preview_task,
            )
        task, self._preview_task = self._preview_task, None
        try:
            self._preview = task.result()
        except Exception as err:
            self._preview_error = _preview_error(err)
            return self.async_show_progress_done(next_step_id=STEP_PREVIEW_FAILED)
        return self.async_show_progress_done(next_step_id=STEP_FIRST_SYNC)

    async def _async_preview(self) -> FirstSyncPreview:
        assert self.senscritique_client is not None
        options = sync_options(self._options, read_only=self._read_only)
        return await async_preview_first_sync(
            self.hass, self._data, self.senscritique_client, options
        )

    async def async_step_first_sync(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """What the first sync would do; nothing is written before a choice."""
        assert self._preview is not None
        return self.async_show_menu(
            step_id=STEP_FIRST_SYNC,
            menu_options=[START, PREVIEW_ONLY, STEP_FEATURES],
            description_placeholders=self._preview.placeholders(),
        )

    async def async_step_start_sync(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        return self._create(preview_only=False)

    async def async_step_preview_only(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        return self._create(preview_only=True)

    async def async_step_preview_failed(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The preview failed: try again, or set up in preview-only mode."""
        if user_input is not None:
            if user_input.get(CONF_PREVIEW_ONLY):
                return self._create(preview_only=True)
            return await self.async_step_preview()
        error = self._preview_error
        return self.async_show_form(
            step_id=STEP_PREVIEW_FAILED,
            data_schema=vol.Schema(
                {vol.Optional(CONF_PREVIEW_ONLY, default=False): BooleanSelector()}
            ),
            errors={"base": error["error"]},
            description_placeholders={"service": error["service"]},
        )

    def _create(self, *, preview_only: bool) -> ConfigFlowResult:
        return self.async_create_entry(
            title=self._title,
            data=self._data,
            options={**self._options, CONF_PREVIEW_ONLY: preview_only},
        )


def _preview_error(err: Exception) -> dict[str, str]:
    """The preview-failed form's error and the service it is about."""
    if isinstance(err, TimeoutError):
        return {"error": "preview_timeout", "service": "Plex / SensCritique"}
    if isinstance(err, SyncServiceError):
        key = "preview_refused" if isinstance(err, AuthError) else "preview_failed"
        return {"error": key, "service": SERVICE_NAMES[err.side]}
    LOGGER.exception("Unexpected error while previewing the first sync", exc_info=err)
    return {"error": "unknown", "service": "PlexSync"}
