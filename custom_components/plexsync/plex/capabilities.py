"""What Plex lets a sync do, and how its writes show."""

from __future__ import annotations

from ..engine.model import Kind
from ..engine.settings import Capabilities

# Plex records "now" for a watch (scrobble has no date) and for a rating. Its
# watchlist (Discover) holds films and series only, never a season or episode.
# It keeps watches of films and episodes only: a series or season reads watched
# when all its episodes are, and marking one watched marks every episode
# watched "now" (dates that would then travel to SensCritique's episodes).
# Every write shows in the next read: no write lag, so a write Plex accepted is
# confirmed and a later read that lacks it shows the user's undo.
CAPABILITIES = Capabilities(
    watchlist=True,
    rate=True,
    unrate=True,
    mark_watched=True,
    mark_unwatched=True,
    set_watched_date=False,
    watchlist_kinds=frozenset({Kind.MOVIE, Kind.SHOW}),
    watched_kinds=frozenset({Kind.MOVIE, Kind.EPISODE}),
    lagging=frozenset(),
)
