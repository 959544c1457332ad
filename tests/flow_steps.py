"""The config flow's last steps, as the frontend walks them: features, the
first sync's preview (a progress step), then a choice."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType


async def preview_first_sync(
    hass: HomeAssistant,
    result: dict[str, Any],
    features: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """From the features form to the preview's result (menu or failure form)."""
    assert result["type"] is FlowResultType.FORM, result
    assert result["step_id"] == "features", result
    flow_id = result["flow_id"]
    # What the form shows filled in, as the frontend submits it.
    shown = {
        str(key): key.description["suggested_value"]
        for key in result["data_schema"].schema
        if key.description and "suggested_value" in key.description
    }
    result = await hass.config_entries.flow.async_configure(
        flow_id, {**shown, **(features or {})}
    )
    assert result["type"] is FlowResultType.SHOW_PROGRESS, result
    assert result["progress_action"] == "preview"
    await hass.async_block_till_done()
    result = await hass.config_entries.flow.async_configure(flow_id)
    return dict(result)


async def finish_first_sync(
    hass: HomeAssistant,
    result: dict[str, Any],
    choice: str = "start_sync",
    features: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """From the features form to the entry, choosing `choice` at the preview."""
    result = await preview_first_sync(hass, result, features)
    assert result["type"] is FlowResultType.MENU, result
    assert result["step_id"] == "first_sync"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": choice}
    )
    await hass.async_block_till_done()
    return dict(result)
