"""The fake world's Plex Home (fakes.FakeWorld.home): its users, their
PINs, and what a switch to one hands over, as PlexClient returns them."""

from __future__ import annotations

from dataclasses import dataclass, field

from custom_components.plexsync.engine.errors import AuthError
from custom_components.plexsync.engine.model import Side
from custom_components.plexsync.plex.client import PlexAccountInfo
from custom_components.plexsync.plex.home import PlexHomeUser


def home_token(user_id: int) -> str:
    """The token the fake plex.tv hands over on a switch to Home user `user_id`."""
    return f"home-token-{user_id}"


@dataclass
class FakeHome:
    users: list[PlexHomeUser] = field(default_factory=list)
    pins: dict[int, str] = field(default_factory=dict)
    accounts: dict[str, PlexAccountInfo] = field(default_factory=dict)  # by token
    switch_error: Exception | None = None  # raised by a switch

    def add(
        self, user_id: int, name: str, *, pin: str | None = None, managed: bool = False
    ) -> PlexHomeUser:
        user = PlexHomeUser(user_id, name, protected=pin is not None, managed=managed)
        self.users.append(user)
        if pin is not None:
            self.pins[user_id] = pin
        # PlexClient.account() names a managed user by their Home name.
        username = name if managed else name.lower()
        self.accounts[home_token(user_id)] = PlexAccountInfo(
            user_id, f"uuid-{user_id}", username
        )
        return user

    def switch(self, user_id: int, pin: str | None) -> str:
        if self.switch_error is not None:
            raise self.switch_error
        wanted = self.pins.get(user_id)
        if wanted is not None and pin != wanted:
            raise AuthError(Side.PLEX, "Plex refused the PIN")
        return home_token(user_id)
