"""Reading a member's complete library: paging and snapshot assembly.

The three lists (wishes, ratings, done works) are paged together through the
aliases of the LIBRARY document, so a member with fewer than a page of each
costs ONE request, and a large account costs as many requests as its longest
list has pages.

Completeness is checked, never assumed: offset paging over a list that changes
while it is read can skip an item, so a list whose ``total`` moves between
pages, or that ends with fewer distinct products than its total, is read again
from the start (a bounded number of times). A list whose short count is the
same on two complete reads in a row is what the service holds and is accepted.

One product that cannot be read does not fail the read: it is skipped, counted
per list (`LibraryRead.skipped`) and logged at debug level; it still counts
for paging and completeness. Only a page whose envelope cannot be read fails.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field

from ..engine.errors import MalformedResponse, NotFound, ServiceUnavailable
from ..engine.model import Rating, Side, Snapshot, Watch, WatchlistEntry, Work
from .account import SensCritiqueUser
from .decode import CollectionPage, decode_library
from .documents import LIBRARY, LIBRARY_LISTS, Document
from .offload import off_loop
from .products import DecodedProduct, UserState

_LOGGER = logging.getLogger(__name__)

Execute = Callable[[Document, Mapping[str, object]], Awaitable[Mapping[str, object]]]

MAX_RESTARTS = 2
MAX_PAGES_PER_LIST = 5000
WISH, RATING, DONE = (alias for alias, _, _ in LIBRARY_LISTS)


@dataclass(slots=True)
class _ListRead:
    alias: str
    offset_variable: str
    include_variable: str
    offset: int = 0
    total: int | None = None
    pages: int = 0
    restarts: int = 0
    finished: bool = False
    last_short_end: tuple[int, int] | None = None
    products: dict[str, DecodedProduct] = field(default_factory=dict)
    unnamed: int = 0  # skipped products without a readable id
    skipped: list[str] = field(default_factory=list)

    def restart(self, reason: str) -> None:
        self.restarts += 1
        if self.restarts > MAX_RESTARTS:
            raise ServiceUnavailable(
                Side.SENSCRITIQUE,
                f"SensCritique's {self.alias} list {reason} on every "
                "read; try again later",
            )
        self.offset, self.total, self.pages = 0, None, 0
        self.products, self.unnamed, self.skipped = {}, 0, []

    def take(self, page: CollectionPage) -> None:
        total, products = page.total, page.products
        if self.total is not None and total != self.total:
            self.restart("changed while it was read")
            return
        self.total = total
        self.pages += 1
        if self.pages > MAX_PAGES_PER_LIST:
            raise MalformedResponse(
                Side.SENSCRITIQUE, f"SensCritique's {self.alias} list never ends"
            )
        for reason in page.skipped:
            _LOGGER.debug("Skipped an unreadable %s item: %s", self.alias, reason)
        self.skipped.extend(page.skipped)
        for product in products:
            self.products.setdefault(product.id, product)
        self.unnamed += page.unnamed
        count = len(products) + page.unnamed
        self.offset += count
        if count and self.offset < total:
            return
        read = len(self.products) + self.unnamed
        if read >= total:
            self.finished = True
            return
        # Ended short of its total: an item may have been skipped by a shift.
        short_end = (total, read)
        if short_end == self.last_short_end:
            self.finished = True  # the same count twice: the service's own count
            return
        self.restart("ended short of its total")
        self.last_short_end = short_end


@dataclass(frozen=True, slots=True)
class LibraryRead:
    """The three lists of a complete read, and how many items each skipped."""

    user: SensCritiqueUser
    lists: dict[str, list[DecodedProduct]]
    skipped: dict[str, int]


async def read_library(execute: Execute, username: str, page_size: int) -> LibraryRead:
    """All products of the three lists, each list complete and de-duplicated."""
    reads = [
        _ListRead(alias, offset, include) for alias, offset, include in LIBRARY_LISTS
    ]
    user: SensCritiqueUser | None = None
    while active := [read for read in reads if not read.finished]:
        variables: dict[str, object] = {"username": username, "limit": page_size}
        for read in reads:
            variables[read.offset_variable] = read.offset
            variables[read.include_variable] = not read.finished
        data = await execute(LIBRARY, variables)
        # A page of up to 3 x page_size products: decoded off the event loop.
        page = await off_loop(
            decode_library, data, tuple(read.alias for read in active)
        )
        if page.user is None:
            raise NotFound(
                Side.SENSCRITIQUE, "SensCritique has no member with this username"
            )
        user = page.user
        for read in active:
            read.take(page.lists[read.alias])
    if user is None:  # unreachable: at least one page is always read
        raise MalformedResponse(Side.SENSCRITIQUE, "SensCritique sent no library")
    return LibraryRead(
        user,
        {read.alias: list(read.products.values()) for read in reads},
        {read.alias: len(read.skipped) for read in reads if read.skipped},
    )


def build_snapshot(lists: Mapping[str, Sequence[DecodedProduct]]) -> Snapshot:
    """One SensCritique snapshot from the three lists.

    Wishes are the members of the wish list. Ratings and done marks come from
    each product's own state (top-level or nested season/episode); a product of
    the done list counts as done even if its state says otherwise. SensCritique
    has no rating date, so `Rating.rated_at` is None and `watched_at` carries
    the done date, the fallback the planner uses.
    """
    works: dict[str, Work] = {}
    states: dict[str, UserState] = {}
    in_list: dict[str, set[str]] = {alias: set() for alias, _, _ in LIBRARY_LISTS}
    # Wish first: the rating and done lists carry fuller states and win.
    for alias in (WISH, RATING, DONE):
        for product in lists.get(alias, ()):
            if product.item is None:
                continue  # another universe (books, games...)
            in_list[alias].add(product.id)
            for decoded in (product.item, *product.nested):
                works[decoded.work.key] = decoded.work
                if decoded.state is not None:
                    states[decoded.work.key] = decoded.state
    watchlist = [WatchlistEntry(key) for key in works if key in in_list[WISH]]
    ratings = [
        Rating(key, state.rating, rated_at=None, watched_at=state.done_at)
        for key, state in states.items()
        if state.rating is not None
    ]
    watched = [
        Watch(key, states[key].done_at if key in states else None)
        for key in works
        if key in in_list[DONE] or (key in states and states[key].done)
    ]
    return Snapshot.build(
        Side.SENSCRITIQUE,
        works=list(works.values()),
        watchlist=watchlist,
        ratings=ratings,
        watched=watched,
    )
