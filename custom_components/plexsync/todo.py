"""To-do entity "Watchlist": the merged watchlist of both services.

Adding an item by title finds the work on both services and adds it to both
watchlists; deleting removes it from both; completing marks it watched.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import partial
from typing import Protocol

from homeassistant.components.todo import TodoItem, TodoListEntity
from homeassistant.components.todo.const import TodoItemStatus, TodoListEntityFeature
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .changes import Title
from .const import DOMAIN
from .coordinator import SERVICE_NAMES, PlexSyncConfigEntry, error_placeholders
from .engine.errors import SyncServiceError
from .engine.model import Side
from .engine.plans import Op
from .engine.settings import Capabilities
from .entity import PlexSyncEntity
from .summary import FailedOp
from .todo_text import describe
from .watchlist import (
    RemovalsHeld,
    Unwritable,
    async_add,
    async_capabilities,
    async_remove,
    remove_ops,
    watched_ops,
)
from .watchlist_items import WatchlistItem

PARALLEL_UPDATES = 1
# A title, possibly with its year: far longer is no title (and is never sent
# to a search).
MAX_TITLE = 200


async def async_setup_entry(
    hass: HomeAssistant,
    entry: PlexSyncConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the watchlist of one entry."""
    async_add_entities([PlexSyncWatchlist(entry.runtime_data.coordinator, "watchlist")])


def _summary(item: WatchlistItem) -> str:
    return f"{item.title} ({item.year})" if item.year else item.title


class _BuildOps(Protocol):
    def __call__(
        self,
        item: WatchlistItem,
        now: datetime,
        *,
        read_only: bool,
        capabilities: Mapping[Side, Capabilities],
    ) -> list[Op]: ...


class _Write(Protocol):
    async def __call__(
        self, ops: Sequence[Op], titles: Sequence[Title]
    ) -> list[FailedOp]: ...


def _unwritable(err: Unwritable, title: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="todo_kind_unsupported",
        translation_placeholders={
            "service": SERVICE_NAMES[err.side],
            "title": title,
            "kind": err.kind.value,
        },
    )


class PlexSyncWatchlist(PlexSyncEntity, TodoListEntity):
    """The merged watchlist."""

    _attr_translation_key = "watchlist"
    _attr_supported_features = (
        TodoListEntityFeature.CREATE_TODO_ITEM
        | TodoListEntityFeature.UPDATE_TODO_ITEM
        | TodoListEntityFeature.DELETE_TODO_ITEM
    )

    @property
    def todo_items(self) -> list[TodoItem]:
        return [
            TodoItem(
                uid=item.uid,
                summary=_summary(item),
                description=describe(item),
                status=TodoItemStatus.COMPLETED
                if item.watched
                else TodoItemStatus.NEEDS_ACTION,
            )
            for item in self.coordinator.data.watchlist
        ]

    def _item(self, uid: str | None) -> WatchlistItem:
        for item in self.coordinator.data.watchlist:
            if item.uid == uid:
                return item
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="todo_item_not_found",
            translation_placeholders={"uid": str(uid)},
        )

    def _check(self, failed: list[FailedOp], title: str) -> None:
        if failed:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="todo_write_failed",
                translation_placeholders={
                    "title": title,
                    "error": "; ".join(f.error for f in failed),
                },
            )

    async def async_create_todo_item(self, item: TodoItem) -> None:
        text = (item.summary or "").strip()
        if not text or len(text) > MAX_TITLE:
            # Checked before any search is sent.
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="todo_title_invalid",
                translation_placeholders={"max": str(MAX_TITLE)},
            )
        try:
            found, failed = await async_add(self.coordinator, text, dt_util.utcnow())
        except SyncServiceError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="todo_write_failed",
                translation_placeholders={"title": text, **error_placeholders(err)},
            ) from err
        except Unwritable as err:
            raise _unwritable(err, text) from err
        if not found:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="todo_title_not_found",
                translation_placeholders={"title": text},
            )
        self._check(failed, text)
        await self.coordinator.async_request_refresh()

    async def async_update_todo_item(self, item: TodoItem) -> None:
        current = self._item(item.uid)
        completed = item.status == TodoItemStatus.COMPLETED
        if completed == current.watched:
            return  # renames are not supported: titles come from the services
        if not completed:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="todo_unwatch_unsupported",
                translation_placeholders={"title": current.title},
            )
        await self._write(watched_ops, [current])

    async def async_delete_todo_items(self, uids: list[str]) -> None:
        """One action, however many items: one batch of writes to undo; more
        removals than the guard lets a sync make are held (approvals.py)."""
        items = [self._item(uid) for uid in uids]
        try:
            await self._write(
                remove_ops, items, partial(async_remove, self.coordinator)
            )
        except RemovalsHeld as held:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="todo_removals_held",
                translation_placeholders={
                    "count": str(len(held.held.ops)),
                    "limit": str(min(g.limit for g in held.held.guards)),
                },
            ) from held

    async def _write(
        self,
        build: _BuildOps,
        items: list[WatchlistItem],
        write: _Write | None = None,
    ) -> None:
        names = ", ".join(item.title for item in items)
        ops: list[Op] = []
        titles: list[Title] = []
        try:
            capabilities = await async_capabilities(self.coordinator)
            now = dt_util.utcnow()
            for current in items:
                try:
                    built = build(
                        current,
                        now,
                        read_only=self.coordinator.read_only,
                        capabilities=capabilities,
                    )
                except Unwritable as err:
                    raise _unwritable(err, current.title) from err
                ops.extend(built)
                titles.extend([Title(current.title, current.year)] * len(built))
            failed = await (write or self.coordinator.async_write)(ops, titles)
        except SyncServiceError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="todo_write_failed",
                translation_placeholders={"title": names, **error_placeholders(err)},
            ) from err
        self._check(failed, names)
        await self.coordinator.async_request_refresh()
