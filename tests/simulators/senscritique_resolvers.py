"""Resolvers of the SensCritique simulator.

Resolution goes through one field resolver that dispatches on the source
object: the root, a member, a product, or a plain dict. Writes follow the
reference's simulator conventions (§11.5).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from graphql import GraphQLResolveInfo, get_nullable_type, is_scalar_type

from .senscritique_schema import (
    Context,
    Root,
    collection,
    product_or_error,
    search_products,
    sim_error,
    user_infos,
    viewer_or_error,
)
from .senscritique_state import SimProduct, SimUser, iso


def _query_user(
    ctx: Context, username: str | None = None, id: int | None = None
) -> Any:
    if username is not None:
        return ctx.state.users.get(username)
    if id is not None:
        return ctx.state.user_by_id(id)
    return None


def _me(ctx: Context) -> Any:
    user = viewer_or_error(ctx)
    return {
        "id": user.id,
        "username": user.username,
        "name": user.username,
        "email": user.email,
        "url": f"/{user.username}",
        "medias": {"avatar": None},
    }


def _autocomplete(
    ctx: Context, keywords: str, universe: str | None = None, limit: int | None = None
) -> Any:
    found = search_products(ctx, keywords, universe)
    return {
        "total": len(found),
        "items": [{"product": p} for p in found[: limit or 10]],
    }


def _explorer(
    ctx: Context,
    *,
    query: str | None = None,
    filters: Any = None,
    sortBy: Any = None,
    offset: int | None = None,
    limit: int | None = None,
) -> Any:
    universe = None
    for item in filters or []:
        if item and item.get("identifier") == "universe" and item.get("termValues"):
            universe = {"tvshow": "tvShow"}.get(
                item["termValues"][0], item["termValues"][0]
            )
    found = search_products(ctx, query, universe)
    start = offset or 0
    return {"total": len(found), "items": found[start : start + (limit or 16)]}


def _feed(
    ctx: Context, userId: int | None = None, productId: int | None = None, **_: Any
) -> Any:
    user = ctx.state.user_by_id(userId) if userId is not None else ctx.viewer
    if user is None:
        return []
    feeds = [
        {
            "dateCreation": m.wished_at,
            "isWishList": True,
            "product": ctx.state.products[pid],
        }
        for pid, m in user.marks.items()
        if m.wished and m.wished_at and productId in (None, pid)
    ]
    return [{"feeds": feeds}]


def _sign_in(ctx: Context, email: str, password: str) -> Any:
    user = next((u for u in ctx.state.users.values() if u.email == email), None)
    if user is None or user.password != password:
        raise sim_error("Invalid credentials", "BAD_USER_INPUT")
    token, record = ctx.state.issue_token(user.username)
    return {
        "me": {
            "id": user.id,
            "username": user.username,
            "name": user.username,
            "email": user.email,
            "firstName": None,
            "lastName": None,
            "validEmail": True,
        },
        "userCookie": {
            "id": len(ctx.state.tokens),
            "userId": user.id,
            "cookieRef": token,
            "dateExpiration": iso(record.expires_at),
            "applicationId": 1,
        },
    }


def _wish(ctx: Context, productId: int) -> Any:
    user, product = viewer_or_error(ctx), product_or_error(ctx, productId)
    mark = ctx.state.touch(user, product.id)
    if not mark.wished:
        mark.wished = True
        mark.wished_at = iso(datetime.now(UTC))
        ctx.state.start_wish_lag(mark)
    return True


def _unwish(ctx: Context, productId: int) -> Any:
    user, product = viewer_or_error(ctx), product_or_error(ctx, productId)
    mark = ctx.state.touch(user, product.id)
    mark.wished, mark.lagging, mark.wished_at = False, False, None
    return True


def _rate(
    ctx: Context, productId: int, rating: int, formatId: int | None = None
) -> Any:
    user, product = viewer_or_error(ctx), product_or_error(ctx, productId)
    if not 1 <= rating <= 10:
        raise sim_error("Rating must be between 1 and 10", "BAD_USER_INPUT")
    mark = ctx.state.touch(user, product.id)
    mark.rating, mark.done = rating, True
    return product


def _unrate(ctx: Context, productId: int) -> Any:
    user, product = viewer_or_error(ctx), product_or_error(ctx, productId)
    ctx.state.touch(user, product.id).rating = None
    return True


@dataclass(frozen=True)
class DoneAnswer:
    """What productDone / productUndone did; `resolve` shapes it as the
    schema variant's return type (DoneResult, Product or Boolean)."""

    product: SimProduct
    success: bool


def _set_done(ctx: Context, productId: int, *, done: bool) -> DoneAnswer:
    user, product = viewer_or_error(ctx), product_or_error(ctx, productId)
    if ctx.state.refuse_done_writes > 0:
        # [inferred] When the real service answers success: false is unknown;
        # the knob makes it answer so without changing anything.
        ctx.state.refuse_done_writes -= 1
        return DoneAnswer(product, success=False)
    mark = ctx.state.touch(user, product.id)
    mark.done = done
    if not done:
        # [inferred] Un-marking clears the seen date and keeps the rating
        # (the reference does not say what productUndone does to a rating).
        mark.date_done = None
    return DoneAnswer(product, success=True)


def _done(ctx: Context, productId: int) -> DoneAnswer:
    return _set_done(ctx, productId, done=True)


def _undone(ctx: Context, productId: int) -> DoneAnswer:
    return _set_done(ctx, productId, done=False)


def _shaped(answer: DoneAnswer, info: GraphQLResolveInfo) -> Any:
    returns = get_nullable_type(info.return_type)
    if is_scalar_type(returns):
        return answer.success
    if getattr(returns, "name", None) == "DoneResult":
        return {"success": answer.success}
    return answer.product if answer.success else None


def _set_date(ctx: Context, productId: int, date: str) -> Any:
    user, product = viewer_or_error(ctx), product_or_error(ctx, productId)
    try:
        day = datetime.fromisoformat(date).date()
    except ValueError:
        raise sim_error("Invalid date", "BAD_USER_INPUT") from None
    mark = ctx.state.touch(user, product.id)
    mark.done = True
    mark.date_done = f"{day.isoformat()}T00:00:00.000Z"
    return True


ROOT_FIELDS: dict[str, Callable[..., Any]] = {
    "user": _query_user,
    "product": lambda ctx, id: ctx.state.products.get(id),
    "me": _me,
    "searchAutocomplete": _autocomplete,
    "searchProductExplorer": _explorer,
    "feed": _feed,
    "signInWithEmailAndPassword": _sign_in,
    "productWish": _wish,
    "productUnwish": _unwish,
    "productRate": _rate,
    "productUnrate": _unrate,
    "productDone": _done,
    "productUndone": _undone,
    "setDateDone": _set_date,
}


def _product_field(
    ctx: Context, product: SimProduct, name: str, args: dict[str, Any]
) -> Any:
    state = ctx.state
    match name:
        case "originalTitle" | "original_title":
            return product.original_title
        case "yearOfProduction" | "year_of_production":
            return product.year
        case "dateRelease" | "release_date":
            return f"{product.year}-01-01" if product.year else None
        case "seasonNumber":
            return product.season_number
        case "episodeNumber":
            return product.episode_number
        case "numberOfSeasons":
            return (
                len(product.children)
                if product.universe == 4 and product.top_level
                else None
            )
        case "parentTvShowId":
            return state.show_of(product).id if not product.top_level else None
        case "seasons":
            return (
                [state.products[c] for c in product.children]
                if product.top_level
                else []
            )
        case "episodes":
            return (
                [state.products[c] for c in product.children]
                if product.season_number and not product.episode_number
                else []
            )
        case "currentUserInfos":
            return None if ctx.viewer is None else user_infos(ctx, ctx.viewer, product)
        case "otherUserInfos":
            user = state.users.get(args.get("username") or "")
            return None if user is None else user_infos(ctx, user, product)
        case "preloadedParentTvShow":
            return None if product.top_level else state.show_of(product)
        case "id" | "universe" | "title" | "category" | "url":
            return getattr(product, name)
    return None


def _user_field(ctx: Context, user: SimUser, name: str, args: dict[str, Any]) -> Any:
    if name == "collection":
        return collection(ctx, user, args)
    if name == "wishes":
        listed = collection(
            ctx,
            user,
            {
                "action": "WISH",
                "universe": args.get("universe") or None,
                "offset": args.get("offset"),
                "limit": args.get("limit"),
            },
        )
        return listed["products"]
    if name == "url":
        return f"/{user.username}"
    return getattr(user, name, None) if name in ("id", "username") else None


def resolve(source: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
    """The one field resolver: dispatch on what the parent value is."""
    ctx: Context = info.context
    name = info.field_name
    if isinstance(source, Root):
        value = ROOT_FIELDS[name](ctx, **args)
        if isinstance(value, DoneAnswer):
            return _shaped(value, info)
        if isinstance(value, SimProduct) and is_scalar_type(
            get_nullable_type(info.return_type)
        ):
            return True  # a mutation typed Boolean in this schema variant
        return value
    if isinstance(source, SimProduct):
        return _product_field(ctx, source, name, args)
    if isinstance(source, SimUser):
        return _user_field(ctx, source, name, args)
    if isinstance(source, Mapping):
        return source.get(name)
    return None
