"""Typed errors both clients raise, so the HA layer maps them in one place.

Each carries the `Side` it came from. Messages never contain tokens,
passwords or e-mail addresses.
"""

from __future__ import annotations

from .model import Side


class SyncServiceError(Exception):
    """A service did not do what was asked."""

    def __init__(self, side: Side, message: str) -> None:
        super().__init__(message)
        self.side = side


class AuthError(SyncServiceError):
    """The sign-in was refused or has expired: the user must sign in again."""


class RateLimited(SyncServiceError):
    """HTTP 429. Stop writing until `retry_after` seconds have passed."""

    def __init__(self, side: Side, message: str, retry_after: float | None) -> None:
        super().__init__(side, message)
        self.retry_after = retry_after


class ServiceUnavailable(SyncServiceError):
    """5xx, timeout or connection failure that outlasted the retries."""


class MalformedResponse(SyncServiceError):
    """A payload that is not what we expect."""


class NotFound(SyncServiceError):
    """The work, user or server asked for does not exist."""


class Unsupported(SyncServiceError):
    """The service cannot do this (a capability it lacks)."""
