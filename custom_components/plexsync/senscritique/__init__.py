"""Async client of SensCritique's (undocumented) GraphQL API.

Imports the engine's model and errors, nothing of Home Assistant, so it could
be published on its own.
"""

from .account import SensCritiqueUser
from .client import SensCritiqueClient
from .const import DEFAULT_URL, USER_AGENT, VERSION
from .transport import Politeness

__all__ = [
    "DEFAULT_URL",
    "USER_AGENT",
    "VERSION",
    "Politeness",
    "SensCritiqueClient",
    "SensCritiqueUser",
]
