"""One SensCritique product -> engine works: a film, a series with its
seasons and episodes, or a season or an episode listed on its own.

Keys are product ids as decimal strings. Products of universes other than
films (1) and series (4) are kept as bare ids (they count for paging) but
produce no `Work`. A season or an episode listed as an item of its own (it
carries ``seasonNumber`` / ``episodeNumber`` and its series, reference 6.4b)
is decoded as a work of that series, never as a series.

Decoding is deliberately tolerant where the reference says the service is
loose: ``originalTitle`` may be null or equal to the title, ``dateDone`` may be
null while ``isDone`` is true, the year may only be in ``dateRelease``, and
legacy snake_case names (``original_title``, ``year_of_production``) are read
when the camelCase ones are absent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from ..engine.model import Kind, Side, Work
from . import jsonpath as jp
from .const import KIND_OF_UNIVERSE, SERIES_UNIVERSES

_YEAR = re.compile(r"\b(1[89]\d\d|2\d\d\d)\b")


@dataclass(frozen=True, slots=True)
class UserState:
    """One member's marks on one product."""

    rating: int | None = None
    done: bool = False
    done_at: datetime | None = None
    wished: bool = False


@dataclass(frozen=True, slots=True)
class Decoded:
    """A work with the member's state (None when the payload had none)."""

    work: Work
    state: UserState | None


@dataclass(frozen=True, slots=True)
class DecodedProduct:
    """A top-level product: its id, and for films/series the work, the state
    and the seasons and episodes nested in it (flattened)."""

    id: str
    item: Decoded | None
    nested: tuple[Decoded, ...] = ()


def user_state(product: Mapping[str, object], path: str) -> UserState | None:
    """The member's marks in `product` (None when it carries none)."""
    # Reads use otherUserInfos (works with or without a token); answers to
    # writes and to the website's own queries use currentUserInfos.
    for name in ("otherUserInfos", "currentUserInfos"):
        if name in product:
            infos = jp.opt_obj(product.get(name), f"{path}.{name}")
            if infos is None:
                return None
            where = f"{path}.{name}"
            rating = jp.opt_int(infos.get("rating"), f"{where}.rating")
            if rating is not None and not 1 <= rating <= 10:
                raise jp.malformed(f"{where}.rating", f"is {rating}, outside 1..10")
            return UserState(
                rating=rating,
                done=jp.flag(infos.get("isDone"), f"{where}.isDone"),
                done_at=jp.opt_datetime(infos.get("dateDone"), f"{where}.dateDone"),
                wished=jp.flag(infos.get("isWished"), f"{where}.isWished"),
            )
    return None


def _first(product: Mapping[str, object], *names: str) -> object:
    for name in names:
        if product.get(name) is not None:
            return product[name]
    return None


def _year(product: Mapping[str, object], path: str) -> int | None:
    year = jp.opt_int(_first(product, "yearOfProduction", "year_of_production"), path)
    if year:
        return year
    # dateRelease is usually "YYYY-MM-DD" but legacy answers used French text
    # such as "21 mars 2024": take any plausible four-digit year.
    released = _first(product, "dateRelease", "release_date")
    if isinstance(released, str) and (match := _YEAR.search(released)):
        return int(match.group(1))
    return None


def _title(product: Mapping[str, object], path: str) -> str:
    title = jp.opt_text(product.get("title"), f"{path}.title")
    return title if title else ""


def _original_title(product: Mapping[str, object], path: str, title: str) -> str | None:
    original = jp.opt_text(_first(product, "originalTitle", "original_title"), path)
    return original if original and original != title else None


def product_id(product: Mapping[str, object], path: str) -> str:
    value = jp.integer(product.get("id"), f"{path}.id")
    if value <= 0:
        raise jp.malformed(f"{path}.id", "is not a positive id")
    return str(value)


def decode_work(value: object, path: str) -> Decoded | None:
    """A film or series with the member's state; None for other universes."""
    product = jp.obj(value, path)
    key = product_id(product, path)
    universe = jp.opt_int(product.get("universe"), f"{path}.universe")
    kind = KIND_OF_UNIVERSE.get(universe) if universe is not None else None
    if kind is None:
        return None
    title = _title(product, path)
    work = Work(
        key=key,
        kind=kind,
        title=title,
        original_title=_original_title(product, f"{path}.originalTitle", title),
        year=_year(product, f"{path}.yearOfProduction"),
        side=Side.SENSCRITIQUE,
    )
    return Decoded(work, user_state(product, path))


def _decode_seasons(show: Work, value: object, path: str) -> tuple[Decoded, ...]:
    decoded: list[Decoded] = []
    for s_index, raw_season in enumerate(jp.items(value, path)):
        s_path = f"{path}[{s_index}]"
        season = jp.obj(raw_season, s_path)
        number = jp.opt_int(season.get("seasonNumber"), f"{s_path}.seasonNumber")
        season_work = Work(
            key=product_id(season, s_path),
            kind=Kind.SEASON,
            title=_title(season, s_path) or f"{show.title} S{number}",
            parent=show.key,
            season=number,
            side=Side.SENSCRITIQUE,
        )
        decoded.append(Decoded(season_work, user_state(season, s_path)))
        for e_index, raw_episode in enumerate(
            jp.items(season.get("episodes"), f"{s_path}.episodes")
        ):
            e_path = f"{s_path}.episodes[{e_index}]"
            episode = jp.obj(raw_episode, e_path)
            episode_work = Work(
                key=product_id(episode, e_path),
                kind=Kind.EPISODE,
                title=_title(episode, e_path),
                parent=show.key,
                season=number,
                episode=jp.opt_int(
                    episode.get("episodeNumber"), f"{e_path}.episodeNumber"
                ),
                side=Side.SENSCRITIQUE,
            )
            decoded.append(Decoded(episode_work, user_state(episode, e_path)))
    return tuple(decoded)


def child_kind(product: Mapping[str, object], path: str) -> Kind | None:
    """SEASON or EPISODE for a product carrying those numbers, else None
    (a film or a series)."""
    if jp.opt_int(product.get("episodeNumber"), f"{path}.episodeNumber") is not None:
        return Kind.EPISODE
    if jp.opt_int(product.get("seasonNumber"), f"{path}.seasonNumber") is not None:
        return Kind.SEASON
    return None


def _decode_child(
    key: str, kind: Kind, product: Mapping[str, object], path: str
) -> DecodedProduct:
    """A season or an episode listed as an item of its own (reference 6.4b):
    a work of its series, never a series itself; the series comes along as a
    work without state, so that matching can link it and then this child."""
    universe = jp.opt_int(product.get("universe"), f"{path}.universe")
    if universe is not None and universe not in SERIES_UNIVERSES:
        return DecodedProduct(key, None)  # numbered, but another universe
    parent_path = f"{path}.preloadedParentTvShow"
    raw_show = product.get("preloadedParentTvShow")
    if raw_show is None:
        raise jp.malformed(
            parent_path, "is missing: a season or episode without its series"
        )
    show = decode_work(raw_show, parent_path)
    if show is None or show.work.kind is not Kind.SHOW:
        raise jp.malformed(parent_path, "is not a series")
    season = jp.opt_int(product.get("seasonNumber"), f"{path}.seasonNumber")
    episode = jp.opt_int(product.get("episodeNumber"), f"{path}.episodeNumber")
    title = _title(product, path) or (
        f"{show.work.title} S{season}E{episode}"
        if kind is Kind.EPISODE
        else f"{show.work.title} S{season}"
    )
    work = Work(
        key=key,
        kind=kind,
        title=title,
        parent=show.work.key,
        season=season,
        episode=episode,
        side=Side.SENSCRITIQUE,
    )
    return DecodedProduct(
        key, Decoded(work, user_state(product, path)), (Decoded(show.work, None),)
    )


def decode_product(value: object, path: str) -> DecodedProduct:
    """A top-level product: a film; a series with its seasons and episodes; or
    a season or episode of a series, listed on its own."""
    product = jp.obj(value, path)
    key = product_id(product, path)
    child = child_kind(product, path)
    if child is not None:
        return _decode_child(key, child, product, path)
    item = decode_work(product, path)
    if item is None or item.work.kind is not Kind.SHOW:
        return DecodedProduct(key, item)
    return DecodedProduct(
        key, item, _decode_seasons(item.work, product.get("seasons"), f"{path}.seasons")
    )
