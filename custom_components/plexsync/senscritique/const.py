"""Fixed facts about the SensCritique service and about this client.

`VERSION` is the one place the client's version lives; it must equal the
``version`` of manifest.json (a test checks it) so the User-Agent tells
SensCritique exactly which PlexSync release is calling.
"""

from __future__ import annotations

from typing import Final

from ..engine.model import Kind

VERSION: Final = "0.1.0"
USER_AGENT: Final = f"PlexSync/{VERSION} (+https://github.com/plexsync/plexsync)"

DEFAULT_URL: Final = "https://apollo.senscritique.com/"

# Offset paging (reference §3.3): no documented maximum; 100 keeps each answer
# small enough for the service and the number of pages low.
PAGE_SIZE: Final = 100
SEARCH_LIMIT: Final = 20

# Numeric `Product.universe` codes (reference §8) and the string spelling the
# `universe:` arguments of collection/searchAutocomplete take.
UNIVERSE_MOVIE: Final = 1
UNIVERSE_TVSHOW: Final = 4
UNIVERSE_ARGUMENT: Final[dict[Kind, str]] = {Kind.MOVIE: "movie", Kind.SHOW: "tvShow"}
KIND_OF_UNIVERSE: Final[dict[int, Kind]] = {
    UNIVERSE_MOVIE: Kind.MOVIE,
    UNIVERSE_TVSHOW: Kind.SHOW,
}
# Universes a season or an episode product may carry: the series' own (seen:
# nested seasons and episodes), or 5 / 32 (reference §8, one client's guess).
SERIES_UNIVERSES: Final = frozenset({UNIVERSE_TVSHOW, 5, 32})
