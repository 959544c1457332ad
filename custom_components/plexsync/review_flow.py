"""The review of unmatched works: the fix flow of the "unmatched" issue.

One work at a time, the side it is on, and the closest works of the other
side (the other side's read, and a search there by title and original title)
with their year and how close they are (engine/review.py). The person picks
one (a manual link, which no sync reverts), says the other service does not
have it (remembered: never searched nor asked again), or skips it (asked
again after the next sync). The sensors and the issue follow each answer at
once, not at the next sync.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

import voluptuous as vol
from homeassistant.components.repairs import RepairsFlow
from homeassistant.data_entry_flow import FlowResult
from homeassistant.helpers.selector import (
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)

from .const import LOGGER
from .coordinator import loaded_entry_or_none
from .engine.errors import AuthError, SyncServiceError
from .engine.link_view import NAME
from .engine.manual_links import conflicts, with_manual_link
from .engine.match_score import Candidate
from .engine.model import Side, SyncState, Work
from .engine.review import picked_link, review_candidates, with_alone
from .issues import async_update_issues
from .summary import work_title

if TYPE_CHECKING:
    from .coordinator import PlexSyncConfigEntry, PlexSyncCoordinator

CHOICE = "choice"
NONE = "none"  # not on the other service
SKIP = "skip"


class AlreadyLinked(Exception):
    """The picked work is linked to another one."""


class UnmatchedReviewFlow(RepairsFlow):
    """Review the entry's unmatched works, one at a time."""

    def __init__(self, entry_id: str) -> None:
        self._entry_id = entry_id
        self._skipped: set[tuple[Side, str]] = set()
        self._shown: tuple[Side, Work] | None = None
        self._candidates: dict[str, Work] = {}
        self._scores: dict[str, int] = {}  # percent, by candidate key

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> FlowResult:
        return await self.async_step_review()

    async def async_step_review(
        self, user_input: dict[str, Any] | None = None
    ) -> FlowResult:
        entry = loaded_entry_or_none(self.hass, self._entry_id)
        if entry is None:
            return self.async_abort(reason="entry_not_loaded")
        coordinator = entry.runtime_data.coordinator
        errors: dict[str, str] = {}
        if user_input is not None and self._shown is not None:
            try:
                await self._answer(entry, str(user_input[CHOICE]))
            except AlreadyLinked:
                errors["base"] = "already_linked"
        if not errors:
            shown = self._next(coordinator)
            if shown is None:
                if self._skipped:
                    return self.async_abort(reason="review_skipped")
                return self.async_create_entry(data={})
            self._shown = shown
            self._candidates = await self._candidates_of(coordinator, *shown)
        assert self._shown is not None
        return self._form(coordinator, errors)

    # ------------------------------------------------------------- the form

    def _next(self, coordinator: PlexSyncCoordinator) -> tuple[Side, Work] | None:
        """The next unmatched work to ask about (of the last run's read)."""
        data = coordinator.data
        for item in data.unmatched:
            if (item.side, item.key) in self._skipped:
                continue
            work = data.works.get(item.side, {}).get(item.key)
            if work is not None:
                return item.side, work
        return None

    async def _candidates_of(
        self, coordinator: PlexSyncCoordinator, side: Side, work: Work
    ) -> dict[str, Work]:
        """The other side's closest works not linked yet: of its read, and
        found by a search there (a failing search leaves the read's)."""
        other = side.other
        linked = {
            link.plex if other is Side.PLEX else link.senscritique
            for link in coordinator.state.links.values()
        }
        works = coordinator.data.works
        pool = {
            key: w
            for key, w in works.get(other, {}).items()
            if key not in linked and w.parent is None
        }
        for title in dict.fromkeys(t for t in (work.title, work.original_title) if t):
            try:
                found = await coordinator.sides.search(
                    other, title, work.kind, work.year
                )
            except AuthError:
                break
            except SyncServiceError as err:
                LOGGER.debug("Review search on %s failed: %s", other, err)
                break
            pool.update((w.key, w) for w in found if w.key not in linked)
        best: tuple[Candidate, ...] = await self.hass.async_add_executor_job(
            review_candidates, work, list(pool.values())
        )
        self._scores = {c.key: round(c.score * 100) for c in best}
        return {c.key: pool[c.key] for c in best}

    def _form(
        self, coordinator: PlexSyncCoordinator, errors: dict[str, str]
    ) -> FlowResult:
        assert self._shown is not None
        side, work = self._shown
        options = [
            SelectOptionDict(
                value=key, label=f"{work_title(w)} · {self._scores[key]} %"
            )
            for key, w in self._candidates.items()
        ]
        options += [
            SelectOptionDict(value=NONE, label=NONE),
            SelectOptionDict(value=SKIP, label=SKIP),
        ]
        schema = vol.Schema(
            {
                # Skip unless the person picks: a bare Submit links nothing.
                vol.Required(CHOICE, default=SKIP): SelectSelector(
                    SelectSelectorConfig(
                        options=options,
                        mode=SelectSelectorMode.LIST,
                        translation_key="review_choice",
                    )
                )
            }
        )
        left = sum(
            (u.side, u.key) not in self._skipped for u in coordinator.data.unmatched
        )
        return self.async_show_form(
            step_id="review",
            data_schema=schema,
            errors=errors,
            description_placeholders={
                "service": NAME[side],
                "other": NAME[side.other],
                "work": work_title(work),
                # The original title in brackets after the title, when the
                # work has one: no placeholder text in any language.
                "original": f" ({work.original_title})" if work.original_title else "",
                "key": work.key,
                "found": str(len(self._candidates)),
                "left": str(left),
            },
        )

    # ------------------------------------------------------------ an answer

    async def _answer(self, entry: PlexSyncConfigEntry, choice: str) -> None:
        assert self._shown is not None
        side, work = self._shown
        coordinator = entry.runtime_data.coordinator
        if choice == SKIP:
            self._skipped.add((side, work.key))
            return
        if choice == NONE:
            await coordinator.async_change_state(
                lambda state: with_alone(state, side, work.key)
            )
            self._refresh(entry, {(side, work.key)})
            return
        if choice not in self._candidates:
            return  # a stale form: ask again
        link = picked_link(side, work, choice)

        def set_link(state: SyncState) -> SyncState:
            # Under the coordinator's lock: no run links either work meanwhile.
            if conflicts(state, link):
                raise AlreadyLinked
            return with_manual_link(state, link)

        await coordinator.async_change_state(set_link)
        self._refresh(
            entry, {(Side.SENSCRITIQUE, link.senscritique), (Side.PLEX, link.plex)}
        )

    def _refresh(self, entry: PlexSyncConfigEntry, done: set[tuple[Side, str]]) -> None:
        """The sensors and the issue without the works just answered."""
        coordinator = entry.runtime_data.coordinator
        data = coordinator.data
        left = tuple(u for u in data.unmatched if (u.side, u.key) not in done)
        coordinator.data = replace(data, unmatched=left, unmatched_count=len(left))
        coordinator.async_update_listeners()
        async_update_issues(self.hass, entry, coordinator.data)
