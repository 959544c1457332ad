"""A Plex Home in the simulator: the account's Home users (with a plex.tv
account of their own or managed, with or without a PIN) and its friends,
the plex.tv calls plexapi makes about them, and each user's own state.

Each Home user has their own plex.tv token and server access token; every
host serves the state of the user whose token the request carries (the
server's user state of its shared library items too, as a real server
answers each user with their own view).

Shapes not in the reference (guesses, from plexapi's parsing of them):
- ``GET https://plex.tv/api/users/`` (plexapi `MyPlexAccount.users()`): a
  MediaContainer of ``<User>`` elements, ``home="1"`` for the Home's users,
  ``home="0"`` for friends; a managed user has an empty ``username`` and
  ``email``; ``protected="1"`` when switching to them asks for a PIN.
- ``POST https://plex.tv/api/home/users/<id>/switch[?pin=]`` (plexapi
  `switchHomeUser`): a ``<user>`` element whose ``authenticationToken`` is the
  user's token; a wrong or missing PIN answers 401.
- ``GET /api/v2/user`` with a managed user's token: ``username=""`` and
  ``title`` their Home name.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from .plex_render import container
from .plex_seed import PlexSeeding
from .plex_state import PlexState


@dataclass
class HomeUser:
    """One user of the simulated account's Plex Home."""

    id: int
    name: str
    username: str  # "" for a managed user
    pin: str | None
    state: PlexState = field(repr=False)

    @property
    def token(self) -> str:
        return f"SIM-HOME-TOKEN-{self.id}"

    @property
    def server_token(self) -> str:
        return f"SIM-HOME-SERVER-TOKEN-{self.id}"

    @property
    def uuid(self) -> str:
        return f"home{self.id:012x}"


class HomeUserView(PlexSeeding):
    """Seeding and inspecting one Home user's own state, with the methods of
    the simulator (set_user_state, watchlist_add, library_item, watchlist,
    account_ratings, account_watched). Add works through the simulator:
    the library is the server's, shared by every user."""

    def __init__(self, user: HomeUser) -> None:
        self.user = user
        self.state = user.state


def users_xml(users: list[HomeUser], friends: list[str]) -> ET.Element:
    """`GET /api/users/`: the Home's users and the account's friends."""
    elems = []
    for user in users:
        managed = not user.username
        elems.append(
            ET.Element(
                "User",
                {
                    "id": str(user.id),
                    "title": user.name,
                    "username": user.username,
                    "email": "" if managed else f"{user.username}@example.com",
                    "thumb": f"https://plex.tv/users/{user.uuid}/avatar",
                    "home": "1",
                    "protected": "1" if user.pin else "0",
                    "restricted": "1" if managed else "0",
                    "allowSync": "1",
                    "allowChannels": "1",
                    "allowCameraUpload": "0",
                    "filterAll": "",
                    "filterMovies": "",
                    "filterMusic": "",
                    "filterPhotos": "",
                    "filterTelevision": "",
                },
            )
        )
    for number, name in enumerate(friends, start=1):
        elems.append(
            ET.Element(
                "User",
                {
                    "id": str(90000 + number),
                    "title": name,
                    "username": name,
                    "email": f"{name}@example.com",
                    "home": "0",
                    "protected": "0",
                    "restricted": "0",
                },
            )
        )
    return container(
        {
            "friendlyName": "myPlex",
            "identifier": "com.plexapp.plugins.myplex",
            "size": str(len(elems)),
            "totalSize": str(len(elems)),
        },
        elems,
    )


def switch_xml(user: HomeUser) -> ET.Element:
    """`POST /api/home/users/<id>/switch`: the user, with their token."""
    return ET.Element(
        "user",
        {
            "id": str(user.id),
            "uuid": user.uuid,
            "title": user.name,
            "username": user.username,
            "authenticationToken": user.token,
            "home": "1",
            "protected": "1" if user.pin else "0",
            "restricted": "0" if user.username else "1",
        },
    )
