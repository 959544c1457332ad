"""Who the client acts for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class SensCritiqueUser:
    """A SensCritique member: numeric id and public username."""

    id: int
    username: str


@dataclass(frozen=True, slots=True)
class SignedIn:
    """The result of a sign-in. `token` is secret: never log or show it."""

    user: SensCritiqueUser
    token: str
    expires_at: datetime | None

    def __repr__(self) -> str:  # keep the token out of tracebacks and logs
        return f"SignedIn(user={self.user!r}, token=<hidden>, expires_at={self.expires_at!r})"
