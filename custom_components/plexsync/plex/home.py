"""Plex Home: the users of the signed-in account's Home, and switching to one.

Each Home user (with a plex.tv account of their own, or a managed user
without one) has their own watchlist, ratings and watch history, on
Discover and on the server alike. Switching to one hands back that user's
own token; a client built on it reads and writes as that user everywhere
(plex.tv gives it the server's access token of that user), so nothing else
in the client needs to know about Homes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..engine.errors import MalformedResponse
from ..engine.model import Side
from .errors import RetryPolicy, plex_errors, with_retries


@dataclass(frozen=True)
class PlexHomeUser:
    """One user of the account's Plex Home (never the account itself)."""

    id: int
    name: str
    protected: bool  # switching to them asks for their PIN
    managed: bool  # no plex.tv account of their own


def home_users(account: Any, retry: RetryPolicy) -> list[PlexHomeUser]:
    """The Home users of `account` (plexapi `MyPlexAccount.users()` lists
    its friends too; those are not in its Home and have no data here)."""
    users = with_retries(account.users, retry, "listing the Plex Home users")
    with plex_errors("listing the Plex Home users"):
        return [
            PlexHomeUser(
                int(user.id),
                str(user.title or user.username),
                bool(user.protected),
                not user.username,
            )
            for user in users
            if user.home
        ]


def switch_token(account: Any, post: Any, user_id: int, pin: str | None) -> str:
    """The token of Home user `user_id`, by the switch plexapi's
    `MyPlexAccount.switchHomeUser` makes (the same request through
    plexapi's query; a `pin` argument only exists in newer plexapi
    versions, and the switch itself is all we need, not a second sign-in).
    A refused PIN raises AuthError."""
    what = "switching to the Plex Home user"
    with plex_errors(what):
        data = account.query(
            f"{account.HOMEUSERS}/{user_id}/switch",
            post,
            params={"pin": pin} if pin else {},
        )
        token = data.attrib.get("authenticationToken") if data is not None else None
    if not token:
        raise MalformedResponse(Side.PLEX, f"Plex sent no token while {what}")
    return str(token)
