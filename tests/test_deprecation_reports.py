"""Deprecations fail the tests: Home Assistant's reports and Python warnings.

Home Assistant reports a deprecated use by logging, not with a Python warning:
these tests make it report, as it would for our code, and check that the
conftest's guard sees it (then clear the log, so the guard lets them pass).
"""

from __future__ import annotations

import warnings

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.helpers.deprecation import deprecated_function
from homeassistant.helpers.frame import report_usage
from homeassistant.setup import async_setup_component

from custom_components.plexsync.const import DOMAIN

from .conftest import ha_usage_reports


async def test_report_usage_is_seen(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture
) -> None:
    assert await async_setup_component(hass, DOMAIN, {})
    report_usage(
        "calls an API removed since",
        integration_domain=DOMAIN,
        breaks_in_ha_version="2099.1",
    )
    reports = ha_usage_reports(caplog.records)
    assert len(reports) == 1
    assert "custom integration 'plexsync' calls an API removed since" in reports[0]
    caplog.clear()


async def test_deprecated_function_is_seen(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture
) -> None:
    @deprecated_function("new_way", breaks_in_ha_version="2099.1")
    def old_way() -> int:
        return 1

    assert old_way() == 1
    assert ha_usage_reports(caplog.records)
    caplog.clear()


async def test_ordinary_warnings_are_not_reports(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture
) -> None:
    assert await async_setup_component(hass, DOMAIN, {})
    # Loading a custom integration logs a warning of its own: not a report.
    assert any(r.name == "homeassistant.loader" for r in caplog.records)
    assert ha_usage_reports(caplog.records) == []


@pytest.mark.parametrize(
    "module", ["homeassistant.helpers.entity", "custom_components.plexsync.clients"]
)
def test_python_deprecation_warnings_in_ours_or_home_assistant_fail(
    module: str,
) -> None:
    with pytest.raises(DeprecationWarning):
        warnings.warn_explicit("old", DeprecationWarning, "any.py", 1, module=module)


def test_python_deprecation_warnings_elsewhere_do_not_fail() -> None:
    with warnings.catch_warnings(record=True):
        warnings.warn_explicit("old", DeprecationWarning, "any.py", 1, module="yarl")
