"""Hypothesis profiles for the engine's property tests.

- "engine" (default): 1,000 examples per property, no deadline (the machine is
  slow and shared); the whole engine suite stays well under a minute.
- "heavy": 20,000 examples per property, for a long soak before a release:
  ``HYPOTHESIS_PROFILE=heavy .venv/bin/python -m pytest tests/engine -q``

The profile is applied per test (``@settings(ENGINE_SETTINGS)``) rather than
loaded globally, so it does not change other suites' hypothesis settings when
the whole tree runs in one session.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "engine",
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("heavy", settings.get_profile("engine"), max_examples=20000)

ENGINE_PROFILE = (
    "heavy" if os.environ.get("HYPOTHESIS_PROFILE") == "heavy" else "engine"
)
ENGINE_SETTINGS = settings.get_profile(ENGINE_PROFILE)
