"""The rating scale and watch dates, in one place.

Rating scale: both services use whole numbers 1..10. Plex stores
``userRating`` as a float 0..10 where odd values are half stars and 0 or none
means unrated; `rating_from_plex` and `rating_to_plex` convert.

Watch dates: SensCritique keeps a watch date to the day only (it takes
``YYYY-MM-DD`` and reads back midnight UTC of that day), so the sync counts two
watch dates on the same UTC calendar day as the same date; `same_watch_date` is
the one comparison the planner uses for them. Which of two different dates is
the latest still orders them to the second.
"""

from __future__ import annotations

from datetime import UTC, datetime

RATING_MIN = 1
RATING_MAX = 10


def rating_from_plex(user_rating: float | None) -> int | None:
    """Plex userRating (0..10 float, 0/None = unrated) -> 1..10 or None."""
    if user_rating is None or user_rating <= 0:
        return None
    return max(RATING_MIN, min(RATING_MAX, round(user_rating)))


def rating_to_plex(value: int) -> float:
    """1..10 -> Plex userRating."""
    if not RATING_MIN <= value <= RATING_MAX:
        raise ValueError(f"rating {value} is outside {RATING_MIN}..{RATING_MAX}")
    return float(value)


def same_watch_date(a: datetime | None, b: datetime | None) -> bool:
    """Whether two watch dates are the same for the sync: on the same UTC
    calendar day (a side may keep only the day). None, unknown, equals only
    None."""
    if a is None or b is None:
        return a is None and b is None
    return a.astimezone(UTC).date() == b.astimezone(UTC).date()
