"""SensCritique answers -> engine model objects and client values.

Every function takes the ``data`` member of an answer (or a part of it) and
either returns typed values or raises `MalformedResponse` naming the path of
what was unexpected. One product is decoded by products.py; this module reads
the answers around products: accounts, collection pages, search, writes.

In a list, one product that cannot be read is skipped and counted
(`CollectionPage`); only a page's envelope is fatal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from ..engine.errors import MalformedResponse
from ..engine.model import Work
from . import jsonpath as jp
from .account import SensCritiqueUser, SignedIn
from .products import (
    DecodedProduct,
    UserState,
    child_kind,
    decode_product,
    decode_work,
    product_id,
    user_state,
)


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


# ------------------------------------------------------------------- lists


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


def decode_lookup(data: Mapping[str, object]) -> Work | None:
    """An answer to ``PRODUCT_LOOKUP``: the work (a season or an episode by
    its numbers, without its series), or None when there is no such product
    or it is of another universe."""
    raw = data.get("product")
    if raw is None:
        return None
    product = jp.obj(raw, "product")
    decoded = decode_work(product, "product")
    if decoded is None:
        return None
    kind = child_kind(product, "product")
    if kind is None:
        return decoded.work
    season = jp.opt_int(product.get("seasonNumber"), "product.seasonNumber")
    episode = jp.opt_int(product.get("episodeNumber"), "product.episodeNumber")
    return replace(decoded.work, kind=kind, season=season, episode=episode)


def decode_user_state(data: Mapping[str, object], field: str) -> UserState | None:
    """The member's state in an answer whose `field` is a product (rate, done...)."""
    product = jp.opt_obj(data.get(field), field)
    return None if product is None else user_state(product, field)


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
