"""Schema and resolvers of the SensCritique simulator.

The schema is the reference's SDL (copied beside this file). Capability
switches remove a mutation from the schema, and `done_shape` changes what
productDone returns (the real ``DoneResult``, or the `Product` / ``Boolean``
guessed before the evidence), so a client sending another shape gets the very
validation error the real service would give.
This module also holds the read logic shared by the resolvers (user infos,
collection paging, search); the resolvers are in senscritique_resolvers.py.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from graphql import (
    GraphQLBoolean,
    GraphQLError,
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    build_schema,
)

from .senscritique_state import UNIVERSE_CODES, SimProduct, SimState, SimUser

SCHEMA_FILE = Path(__file__).with_name("senscritique_schema.graphql")
SWITCHABLE = frozenset({"productDone", "productUndone", "setDateDone", "productUnrate"})
DONE_SHAPES = ("DoneResult", "Product", "Boolean")


@cache
def full_schema() -> GraphQLSchema:
    return build_schema(SCHEMA_FILE.read_text(encoding="utf-8"))


@cache
def schema_variant(
    disabled: frozenset[str], done_shape: str = "DoneResult"
) -> GraphQLSchema:
    """The schema without the `disabled` mutations, productDone returning
    `done_shape` (a type name of DONE_SHAPES)."""
    unknown = disabled - SWITCHABLE
    if unknown:
        raise ValueError(f"cannot switch off {sorted(unknown)}")
    if done_shape not in DONE_SHAPES:
        raise ValueError(f"productDone cannot return {done_shape}")
    base = full_schema()
    if not disabled and done_shape == "DoneResult":
        return base
    mutation = base.mutation_type
    assert mutation is not None
    returns = {"Product": base.type_map["Product"], "Boolean": GraphQLBoolean}
    fields: dict[str, GraphQLField] = {}
    for name, field in mutation.fields.items():
        if name in disabled:
            continue
        if name == "productDone" and done_shape in returns:
            fields[name] = GraphQLField(returns[done_shape], args=field.args)  # type: ignore[arg-type]
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


def sim_error(message: str, code: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})


def product_or_error(ctx: Context, pid: int) -> SimProduct:
    product = ctx.state.products.get(pid)
    if product is None:
        raise sim_error("Product not found", "NOT_FOUND")
    return product


def viewer_or_error(ctx: Context) -> SimUser:
    if ctx.viewer is None:  # the HTTP layer rejects these first; belt and braces
        raise sim_error("Unauthorized", "UNAUTHENTICATED")
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
        if code is not None and product.universe != code:
            continue
        if ctx.state.children_listed:
            family = [product]  # every product for its own marks only
        elif not product.top_level:
            continue
        else:
            # A series is listed when it or one of its seasons/episodes
            # matches (ratings and done marks); a wish is on the series itself.
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
