"""SensCritique payloads -> engine model objects.

Every function takes the ``data`` member of an answer (or a part of it) and
either returns typed values or raises `MalformedResponse` naming the path of
what was unexpected. Keys are product ids as decimal strings. Products of
universes other than films (1) and series (4) are kept as bare ids (they count
for paging) but produce no `Work`.

A season or an episode listed as an item of its own (it carries
``seasonNumber`` / ``episodeNumber`` and its series) is decoded as a work of
that series, never as a series. In a list, one product that cannot be read is
skipped and counted (`CollectionPage`); only a page's envelope is fatal.

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

from ..engine.errors import MalformedResponse
from ..engine.model import Kind, Side, Work
from . import jsonpath as jp
from .account import SensCritiqueUser, SignedIn
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


@dataclass(frozen=True, slots=True)
class CollectionPage:
    """One page of a list. A product that cannot be read is skipped, not
    fatal: `skipped` says why for each, and those whose id could not be read
    either are counted in `unnamed` (the others stay in `products` as bare
    ids), so that paging and the completeness check still count them."""

    total: int
    products: tuple[DecodedProduct, ...]
    skipped: tuple[str, ...] = ()
    unnamed: int = 0


@dataclass(frozen=True, slots=True)
class LibraryPage:
    """One answer of the LIBRARY document: the lists it included, by alias."""

    user: SensCritiqueUser | None
    lists: Mapping[str, CollectionPage]


# ------------------------------------------------------------------- accounts


def decode_user(value: object, path: str) -> SensCritiqueUser:
    user = jp.obj(value, path)
    username = jp.text(user.get("username"), f"{path}.username")
    if not username:
        raise jp.malformed(f"{path}.username", "is empty")
    return SensCritiqueUser(
        id=jp.integer(user.get("id"), f"{path}.id"), username=username
    )


def decode_sign_in(data: Mapping[str, object]) -> SignedIn | None:
    """The sign-in answer; None when the service returned no session."""
    result = jp.opt_obj(data.get("signInWithEmailAndPassword"), "signIn")
    if result is None:
        return None
    cookie = jp.opt_obj(result.get("userCookie"), "signIn.userCookie")
    if cookie is None:
        return None
    token = jp.text(cookie.get("cookieRef"), "signIn.userCookie.cookieRef")
    if not token:
        raise jp.malformed("signIn.userCookie.cookieRef", "is empty")
    return SignedIn(
        user=decode_user(result.get("me"), "signIn.me"),
        token=token,
        expires_at=jp.opt_datetime(
            cookie.get("dateExpiration"), "signIn.userCookie.dateExpiration"
        ),
    )


def decode_me(data: Mapping[str, object]) -> SensCritiqueUser | None:
    me = data.get("me")
    return None if me is None else decode_user(me, "me")


def decode_user_lookup(data: Mapping[str, object]) -> SensCritiqueUser | None:
    user = data.get("user")
    return None if user is None else decode_user(user, "user")


# ------------------------------------------------------------------- products


def _state(product: Mapping[str, object], path: str) -> UserState | None:
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
    return Decoded(work, _state(product, path))


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
        decoded.append(Decoded(season_work, _state(season, s_path)))
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
            decoded.append(Decoded(episode_work, _state(episode, e_path)))
    return tuple(decoded)


def _child_kind(product: Mapping[str, object], path: str) -> Kind | None:
    """SEASON or EPISODE for a product carrying those numbers, else None."""
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
        key, Decoded(work, _state(product, path)), (Decoded(show.work, None),)
    )


def decode_product(value: object, path: str) -> DecodedProduct:
    """A top-level product: a film; a series with its seasons and episodes; or
    a season or episode of a series, listed on its own."""
    product = jp.obj(value, path)
    key = product_id(product, path)
    child = _child_kind(product, path)
    if child is not None:
        return _decode_child(key, child, product, path)
    item = decode_work(product, path)
    if item is None or item.work.kind is not Kind.SHOW:
        return DecodedProduct(key, item)
    return DecodedProduct(
        key, item, _decode_seasons(item.work, product.get("seasons"), f"{path}.seasons")
    )


def _readable_id(value: object) -> str | None:
    """The id of a product that could not be decoded, if at least that reads."""
    if isinstance(value, Mapping):
        raw = value.get("id")
        if isinstance(raw, int) and not isinstance(raw, bool) and raw > 0:
            return str(raw)
    return None


def decode_collection(value: object, path: str) -> CollectionPage:
    """One page of a list: only its envelope (the list, its total) must read;
    a product that does not is skipped and counted (see CollectionPage)."""
    collection = jp.obj(value, path)
    total = jp.integer(collection.get("total"), f"{path}.total")
    if total < 0:
        raise jp.malformed(f"{path}.total", "is negative")
    products: list[DecodedProduct] = []
    skipped: list[str] = []
    unnamed = 0
    raw_products = jp.items(collection.get("products"), f"{path}.products")
    for index, raw in enumerate(raw_products):
        try:
            products.append(decode_product(raw, f"{path}.products[{index}]"))
        except MalformedResponse as err:
            skipped.append(str(err))
            named = _readable_id(raw)
            if named is None:
                unnamed += 1
            else:
                products.append(DecodedProduct(named, None))
    return CollectionPage(total, tuple(products), tuple(skipped), unnamed)


def decode_library(data: Mapping[str, object], aliases: tuple[str, ...]) -> LibraryPage:
    """An answer of the LIBRARY document; `aliases` are the lists it asked for."""
    raw_user = data.get("user")
    if raw_user is None:
        return LibraryPage(None, {})
    user_obj = jp.obj(raw_user, "user")
    lists = {
        alias: decode_collection(user_obj.get(alias), f"user.{alias}")
        for alias in aliases
    }
    return LibraryPage(decode_user(user_obj, "user"), lists)


def decode_product_answer(data: Mapping[str, object]) -> DecodedProduct | None:
    """An answer to ``product(id)``; None when the product does not exist."""
    product = data.get("product")
    if product is None:
        return None
    return decode_product(product, "product")


def decode_user_state(data: Mapping[str, object], field: str) -> UserState | None:
    """The member's state in an answer whose `field` is a product (rate, done...)."""
    product = jp.opt_obj(data.get(field), field)
    return None if product is None else _state(product, field)


# --------------------------------------------------------------------- search


def decode_search(data: Mapping[str, object]) -> list[Work]:
    """Films and series of a searchAutocomplete answer, in the service's order."""
    result = jp.opt_obj(data.get("searchAutocomplete"), "searchAutocomplete")
    if result is None:
        return []
    works: list[Work] = []
    for index, raw in enumerate(
        jp.items(result.get("items"), "searchAutocomplete.items")
    ):
        path = f"searchAutocomplete.items[{index}]"
        product = jp.obj(raw, path).get("product")
        if product is None:
            continue
        decoded = decode_work(product, f"{path}.product")
        if decoded is not None:
            works.append(decoded.work)
    return works


def decode_product_list(value: object, path: str) -> list[Work]:
    """Films and series of a plain product list (explorer search, legacy wishes)."""
    works: list[Work] = []
    for index, raw in enumerate(jp.items(value, path)):
        decoded = decode_work(raw, f"{path}[{index}]")
        if decoded is not None:
            works.append(decoded.work)
    return works


# --------------------------------------------------------------------- writes


def write_outcome(data: Mapping[str, object], field: str) -> bool | None:
    """What a write answered: True for success (``true``, a product object, a
    ``DoneResult`` with ``success: true``), False for an explicit refusal
    (``false``, ``success: false``), None when it answered nothing."""
    result = data.get(field)
    if isinstance(result, bool) or result is None:
        return result
    answer = jp.obj(result, field)
    if "success" not in answer:
        return True  # a product: the write's own result
    success = answer["success"]
    if success is not None and not isinstance(success, bool):
        raise jp.malformed(f"{field}.success", "is not a boolean")
    return success


def decode_wish_dates(data: Mapping[str, object]) -> dict[str, datetime]:
    """Wish dates from a ``feed`` answer (product key -> date of the wish)."""
    dates: dict[str, datetime] = {}
    for f_index, raw_feed in enumerate(jp.items(data.get("feed"), "feed")):
        f_path = f"feed[{f_index}]"
        feed = jp.obj(raw_feed, f_path)
        for i_index, raw in enumerate(jp.items(feed.get("feeds"), f"{f_path}.feeds")):
            path = f"{f_path}.feeds[{i_index}]"
            entry = jp.obj(raw, path)
            if not jp.flag(entry.get("isWishList"), f"{path}.isWishList"):
                continue
            product = jp.obj(entry.get("product"), f"{path}.product")
            when = jp.opt_datetime(entry.get("dateCreation"), f"{path}.dateCreation")
            if when is not None:
                dates[product_id(product, f"{path}.product")] = when
    return dates
