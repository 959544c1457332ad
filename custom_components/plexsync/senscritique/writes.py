"""The writes: one engine `Op` -> the SensCritique mutations that carry it out.

Every write is confirmed from its answer (``true``, the updated product, or
``DoneResult { success: true }``): an explicit refusal (``false``,
``success: false``) is a failed write saying so, and an answer that confirms
nothing raises too, never passing silently. A write whose uncertain mutation
turns out to be missing (a validation error on real use although the probe
found it) downgrades that capability and raises `Unsupported`, so the next
plan works around it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime

from ..engine.errors import MalformedResponse, SyncServiceError, Unsupported
from ..engine.model import Action, Feature
from ..engine.plans import Op
from ..engine.scale import RATING_MAX, RATING_MIN
from ..engine.settings import Capabilities
from .capabilities import CapabilityRegistry
from .decode import decode_user_state, write_outcome
from .documents import (
    MARK_UNDONE,
    PRODUCT_RATE,
    PRODUCT_UNWISH,
    PRODUCT_WISH,
    REMOVE_RATING,
    UNCERTAIN,
    Capability,
    Document,
    done_date_argument,
)
from .failures import SIDE, QueryRejected

Call = Callable[[Document, Mapping[str, object]], Awaitable[Mapping[str, object]]]

_FIELDS = {m.capability: m.field for m in UNCERTAIN}
# A new wish can stay out of the wishlist's reads for a long time after the
# service accepted it (reference/senscritique, "Write lag"): written wishes
# stand in as pending until a read shows them (engine/pending.py).
WRITE_LAG = frozenset({Feature.WATCHLIST})


def product_id(key: str) -> int:
    """The product id of a SensCritique key ("35310418")."""
    if not key.isdecimal() or int(key) <= 0:
        raise ValueError(f"{key!r} is not a SensCritique product key")
    return int(key)


class Writer:
    """Applies ops through `call` (the client's signed-in request function)."""

    def __init__(self, call: Call, registry: CapabilityRegistry) -> None:
        self._call = call
        self._registry = registry

    def capabilities(self) -> Capabilities:
        has = self._registry.document
        return Capabilities(
            watchlist=True,
            rate=True,
            unrate=has(Capability.REMOVE_RATING) is not None,
            mark_watched=(
                has(Capability.MARK_DONE) is not None
                or has(Capability.SET_DONE_DATE) is not None
            ),
            mark_unwatched=has(Capability.MARK_UNDONE) is not None,
            set_watched_date=has(Capability.SET_DONE_DATE) is not None,
            lagging=WRITE_LAG,
        )

    async def apply(self, op: Op, now: datetime) -> None:
        pid = product_id(op.key)
        match op.action:
            case Action.ADD_WATCHLIST:
                await self._write(PRODUCT_WISH, {"productId": pid}, "productWish")
            case Action.REMOVE_WATCHLIST:
                await self._write(PRODUCT_UNWISH, {"productId": pid}, "productUnwish")
            case Action.SET_RATING:
                await self._rate(pid, op.value)
            case Action.CLEAR_RATING:
                await self._uncertain(REMOVE_RATING.capability, {"productId": pid})
            case Action.MARK_WATCHED:
                await self._mark_done(pid, op.at, now)
            case Action.MARK_UNWATCHED:
                await self._uncertain(MARK_UNDONE.capability, {"productId": pid})

    async def _rate(self, pid: int, value: int | None) -> None:
        if value is None or not RATING_MIN <= value <= RATING_MAX:
            raise ValueError(f"rating {value!r} is outside {RATING_MIN}..{RATING_MAX}")
        data = await self._write(
            PRODUCT_RATE,
            {"productId": pid, "rating": value, "formatId": None},
            "productRate",
        )
        state = decode_user_state(data, "productRate")
        if state is not None and state.rating != value:
            raise MalformedResponse(
                SIDE, f"SensCritique kept rating {state.rating} instead of {value}"
            )

    async def _mark_done(self, pid: int, at: datetime | None, now: datetime) -> None:
        done = self._registry.document(Capability.MARK_DONE)
        dated = self._registry.document(Capability.SET_DONE_DATE)
        if done is None and dated is None:
            raise Unsupported(SIDE, "SensCritique offers no way to mark a work as seen")
        if done is not None:
            await self._uncertain(Capability.MARK_DONE, {"productId": pid})
        # setDateDone also marks the work done, so it stands in for a missing
        # productDone (dated "now" when the op carries no date).
        if dated is not None and (at is not None or done is None):
            when = at if at is not None else now
            await self._uncertain(
                Capability.SET_DONE_DATE,
                {"productId": pid, "date": done_date_argument(when)},
            )

    async def _uncertain(
        self, capability: Capability, variables: Mapping[str, object]
    ) -> None:
        document = self._registry.document(capability)
        field = _FIELDS[capability]
        if document is None:
            raise Unsupported(SIDE, f"SensCritique does not offer {field}")
        try:
            await self._write(document, variables, field)
        except QueryRejected as rejected:
            if rejected.only_variables_missing:
                raise
            self._registry.mark_absent(capability)
            raise Unsupported(
                SIDE, f"SensCritique no longer accepts {field}: {rejected}"
            ) from rejected

    async def _write(
        self, document: Document, variables: Mapping[str, object], field: str
    ) -> Mapping[str, object]:
        data = await self._call(document, variables)
        outcome = write_outcome(data, field)
        if outcome is False:
            raise SyncServiceError(
                SIDE,
                f"SensCritique refused {field} for product "
                f"{variables.get('productId')} (it answered no success)",
            )
        if outcome is None:
            raise MalformedResponse(SIDE, f"SensCritique did not confirm {field}")
        return data
