"""What a library item's ``guid`` says about it, and the key PlexSync gives it.

Items matched by the current agents ("Plex Movie", "Plex TV Series") carry
the Discover GUID, ``plex://<kind>/<hex>``, with their external ids as
``<Guid>`` children. Libraries created with the older agents are common on
long-lived servers (reference, "Real-world shapes"): their items carry the
agent's own string, with the external id inside it and NO ``<Guid>``
children, even when asked with ``includeGuids=1``::

    com.plexapp.agents.imdb://tt0103639?lang=en          film, IMDb id
    com.plexapp.agents.themoviedb://603?lang=en          film, TMDB id
    com.plexapp.agents.thetvdb://81189/1/10?lang=en      episode: series / season / episode
    com.plexapp.agents.none://c0ffee?lang=xn, local://5  personal media

The key of such a *legacy* item is its guid without the ``?lang=`` query
(``com.plexapp.agents.imdb://tt0103639``): it needs no request to compute,
stays the same across runs and library languages, and can never be taken for
a Discover GUID or a SensCritique product id (the side of a work is its own
field anyway, see `Work.side`). It is a Plex key of the library only: the
account-level data of the same film (watchlist, community ratings and
history) is keyed by its Discover GUID and is folded into this key by the
client (see legacy.py), so one film is one work.

Personal media (home videos) has no counterpart anywhere else: it is never
part of a snapshot, so it is never linked automatically.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..engine.errors import MalformedResponse
from ..engine.model import Side

DISCOVER_SCHEME = "plex"
LEGACY_AGENT_PREFIX = "com.plexapp.agents."
PERSONAL_SCHEMES = frozenset({"local", "com.plexapp.agents.none"})

_IMDB_ID = re.compile(r"tt\d+")
# Legacy agents whose ids are TMDB or TheTVDB numbers (a number alone says
# nothing: it is an id of the agent's own database).
_ID_SCHEME_OF_AGENT = {
    "themoviedb": "tmdb",
    "thetvdb": "tvdb",
    "thetvdbdvdorder": "tvdb",
}


@dataclass(frozen=True, slots=True)
class LibraryGuid:
    """One item's guid read: its key, its external ids, what it is.

    For an item of a legacy series agent, `series` is the key of its series
    and `season` / `episode` the numbers written in the guid.
    """

    key: str
    external: tuple[str, ...] = ()
    personal: bool = False
    series: str | None = None
    season: int | None = None
    episode: int | None = None

    @property
    def legacy(self) -> bool:
        """Neither a Discover GUID nor personal media."""
        return not self.personal and not is_discover_key(self.key)


def is_discover_key(key: str) -> bool:
    """Whether `key` is a Discover GUID (``plex://…``)."""
    return key.startswith(f"{DISCOVER_SCHEME}://")


def _malformed(guid: str, why: str) -> MalformedResponse:
    return MalformedResponse(Side.PLEX, f"library guid {guid!r} {why}")


def _number(part: str | None) -> int | None:
    return int(part) if part is not None and part.isdigit() else None


def read_guid(guid: str) -> LibraryGuid:
    """The key and what else `guid` holds; MalformedResponse if unreadable."""
    scheme, separator, rest = guid.partition("://")
    if not separator or not scheme:
        raise _malformed(guid, "has no scheme")
    path = rest.split("?", 1)[0]
    parts = path.split("/")
    if not parts[0]:
        raise _malformed(guid, "has no id")
    key = f"{scheme}://{path}"
    if scheme == DISCOVER_SCHEME:
        return LibraryGuid(key)
    if scheme in PERSONAL_SCHEMES:
        return LibraryGuid(key, personal=True)
    agent = scheme.removeprefix(LEGACY_AGENT_PREFIX)
    head = parts[0]
    if len(parts) > 1:
        # A season or an episode of a legacy series agent: the external id
        # written in it is its series', not its own.
        numbers = [_number(part) for part in parts[1:3]]
        if None in numbers:
            raise _malformed(guid, "has a season or episode that is not a number")
        return LibraryGuid(
            key,
            series=f"{scheme}://{head}",
            season=numbers[0],
            episode=numbers[1] if len(numbers) > 1 else None,
        )
    external: tuple[str, ...] = ()
    if _IMDB_ID.fullmatch(head):
        external = (f"imdb://{head}",)
    elif head.isdigit() and agent in _ID_SCHEME_OF_AGENT:
        external = (f"{_ID_SCHEME_OF_AGENT[agent]}://{head}",)
    return LibraryGuid(key, external)
