"""Schema and resolvers of the SensCritique simulator.

The schema is the reference's SDL (copied beside this file). Capability
switches remove a mutation from the schema (or change its return type), so a
client sending it gets the very validation error the real service would give.
Resolution goes through one field resolver that dispatches on the source
object: the root, a member, a product, or a plain dict.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from graphql import (
    GraphQLBoolean,
    GraphQLError,
    GraphQLField,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSchema,
    build_schema,
    get_nullable_type,
    is_scalar_type,
)

from .senscritique_state import UNIVERSE_CODES, SimProduct, SimState, SimUser, iso

SCHEMA_FILE = Path(__file__).with_name("senscritique_schema.graphql")
SWITCHABLE = frozenset({"productDone", "setDateDone", "productUnrate"})


@cache
def full_schema() -> GraphQLSchema:
    return build_schema(SCHEMA_FILE.read_text(encoding="utf-8"))


@cache
def schema_variant(
    disabled: frozenset[str], done_returns_boolean: bool = False
) -> GraphQLSchema:
    """The schema without the `disabled` mutations (and productDone as Boolean)."""
    unknown = disabled - SWITCHABLE
    if unknown:
        raise ValueError(f"cannot switch off {sorted(unknown)}")
    base = full_schema()
    if not disabled and not done_returns_boolean:
        return base
    mutation = base.mutation_type
    assert mutation is not None
    fields: dict[str, GraphQLField] = {}
    for name, field in mutation.fields.items():
        if name in disabled:
            continue
        if name == "productDone" and done_returns_boolean:
            fields[name] = GraphQLField(GraphQLBoolean, args=field.args)
        else:
            fields[name] = field
    return GraphQLSchema(
        query=base.query_type,
        mutation=GraphQLObjectType("Mutation", fields),
        types=[t for name, t in base.type_map.items() if name != "Mutation"],
    )


def fold(text: str | None) -> str:
    """Case- and accent-insensitive form used by the search."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass
class Context:
    state: SimState
    viewer: SimUser | None
    max_page_size: int | None


class Root:
    """Root value of every operation."""


ROOT = Root()


def _err(message: str, code: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})


def _product(ctx: Context, pid: int) -> SimProduct:
    product = ctx.state.products.get(pid)
    if product is None:
        raise _err("Product not found", "NOT_FOUND")
    return product


def _viewer(ctx: Context) -> SimUser:
    if ctx.viewer is None:  # the HTTP layer rejects these first; belt and braces
        raise _err("Unauthorized", "UNAUTHENTICATED")
    return ctx.viewer


# ------------------------------------------------------------------ user infos


def user_infos(ctx: Context, user: SimUser, product: SimProduct) -> dict[str, Any]:
    mark = user.marks.get(product.id)
    wished = bool(mark and ctx.state.wish_visible(mark))
    return {
        "id": product.id * 1000 + user.id % 1000,
        "productId": product.id,
        "userId": user.id,
        "rating": mark.rating if mark else None,
        "dateDone": mark.date_done if mark and mark.done else None,
        "isDone": bool(mark and mark.done),
        "isWished": wished,
        "isCurrent": False,
        "isListed": False,
        "isRecommended": False,
        "isRejected": False,
        "isReviewed": False,
        "hasStartedReview": False,
        "numberEpisodeDone": 0,
        "lastEpisodeDone": None,
        "review": None,
    }


# ------------------------------------------------------------------ collection


def _matches(
    ctx: Context, user: SimUser, product: SimProduct, action: str | None
) -> bool:
    mark = user.marks.get(product.id)
    if mark is None:
        return False
    if action == "WISH":
        return ctx.state.wish_visible(mark)
    if action == "RATING":
        return mark.rating is not None
    if action == "DONE":
        return mark.done
    return not mark.empty


def collection(ctx: Context, user: SimUser, args: Mapping[str, Any]) -> dict[str, Any]:
    action = args.get("action")
    universe = args.get("universe")
    code = UNIVERSE_CODES.get(universe) if universe else None
    if universe and code is None:
        return {"total": 0, "products": []}
    listed: list[tuple[int, SimProduct]] = []
    for product in ctx.state.products.values():
        if not product.top_level or (code is not None and product.universe != code):
            continue
        # A series is listed when it or one of its seasons/episodes matches
        # (ratings and done marks); a wish is on the series itself.
        family = [product]
        if action != "WISH":
            family += ctx.state.descendants(product)
        hits = [p for p in family if _matches(ctx, user, p, action)]
        if hits:
            listed.append((max(user.marks[p.id].last_action for p in hits), product))
    if action in ("WISH", None):
        ctx.state.count_wish_read(user)
    listed.sort(key=lambda item: (-item[0], item[1].id))
    offset = max(0, args.get("offset") or 0)
    limit = args.get("limit")
    limit = 20 if limit is None else max(0, limit)
    if ctx.max_page_size is not None:
        limit = min(limit, ctx.max_page_size)
    return {
        "total": len(listed),
        "products": [p for _, p in listed[offset : offset + limit]],
    }


# -------------------------------------------------------------------- search


def search_products(
    ctx: Context, keywords: str | None, universe: str | None
) -> list[SimProduct]:
    wanted = fold(keywords).strip()
    code = UNIVERSE_CODES.get(universe) if universe else None
    found = []
    for product in ctx.state.products.values():
        if not product.top_level or (universe and product.universe != code):
            continue
        titles = (fold(product.title), fold(product.original_title))
        if wanted and any(wanted in t for t in titles):
            exact = wanted in titles
            found.append((not exact, product.id, product))
    return [p for *_, p in sorted(found, key=lambda item: item[:2])]


# ------------------------------------------------------------------ resolvers


def _query_user(
    ctx: Context, username: str | None = None, id: int | None = None
) -> Any:
    if username is not None:
        return ctx.state.users.get(username)
    if id is not None:
        return ctx.state.user_by_id(id)
    return None


def _me(ctx: Context) -> Any:
    user = _viewer(ctx)
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
        raise _err("Invalid credentials", "BAD_USER_INPUT")
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
    user, product = _viewer(ctx), _product(ctx, productId)
    mark = ctx.state.touch(user, product.id)
    if not mark.wished:
        mark.wished = True
        mark.wished_at = iso(datetime.now(UTC))
        ctx.state.start_wish_lag(mark)
    return True


def _unwish(ctx: Context, productId: int) -> Any:
    user, product = _viewer(ctx), _product(ctx, productId)
    mark = ctx.state.touch(user, product.id)
    mark.wished, mark.lagging, mark.wished_at = False, False, None
    return True


def _rate(
    ctx: Context, productId: int, rating: int, formatId: int | None = None
) -> Any:
    user, product = _viewer(ctx), _product(ctx, productId)
    if not 1 <= rating <= 10:
        raise _err("Rating must be between 1 and 10", "BAD_USER_INPUT")
    mark = ctx.state.touch(user, product.id)
    mark.rating, mark.done = rating, True
    return product


def _unrate(ctx: Context, productId: int) -> Any:
    user, product = _viewer(ctx), _product(ctx, productId)
    ctx.state.touch(user, product.id).rating = None
    return True


def _done(ctx: Context, productId: int) -> Any:
    user, product = _viewer(ctx), _product(ctx, productId)
    ctx.state.touch(user, product.id).done = True
    return product


def _set_date(ctx: Context, productId: int, date: str) -> Any:
    user, product = _viewer(ctx), _product(ctx, productId)
    try:
        day = datetime.fromisoformat(date).date()
    except ValueError:
        raise _err("Invalid date", "BAD_USER_INPUT") from None
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
