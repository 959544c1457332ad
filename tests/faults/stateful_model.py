"""What the user meant, and what the sync promises about it (the state
machine's model, test_stateful.py).

Before each sync, every (work, feature) whose value changed on one side since
the previous sync's end becomes that side's intent (value and side). After
each sync:
- no loss, no resurrection: the side where the user last set a value still
  holds it (an added wish is still there; a removed one did not come back);
- the base only advances to what both sides really hold (a failed Op never
  moves it);
and after convergence every intent holds on both sides (SensCritique cannot
un-mark a work as seen: a Plex "unwatch" stays on Plex only).

Edits made on both sides of one work between two syncs, or on the other side
before an earlier change was propagated, are a genuine conflict the rules
settle (latest date, lowest rating...): that (work, feature) is only checked
for convergence until the sides agree again.

Write lag (engine/pending.py), as the model follows it. Plex shows every
write at once: the sync's write is confirmed, and an undo of it is an intent
like any other. SensCritique's wishlist lags (as its client declares): a wish
or an unwish the sync wrote there is *unseen* until a sync reads it. An undo
of an unseen write is the user's intent on SensCritique, and it holds: the
write stands in for the read, so nothing writes SensCritique back. When the
grace window ends on a write still unseen, the write counts as failed and is
planned again from the base: both sides end at what the other side shows,
which becomes the intent (the rule's known cost, README "Platform limits").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from custom_components.plexsync.engine.model import Feature, Side, SyncState
from custom_components.plexsync.engine.settings import SyncOptions
from custom_components.plexsync.senscritique.writes import WRITE_LAG

from .stateful_rig import WORKS, Truth, Value

Key = tuple[int, Feature]
GRACE = SyncOptions().pending_grace
# The sides and features whose writes lag, as the clients declare them.
LAGGING = frozenset((Side.SENSCRITIQUE, feature) for feature in WRITE_LAG)


@dataclass(frozen=True)
class Intent:
    """What the user last set on one (work, feature): value and side."""

    value: Value
    side: Side | None  # None: the same value set on both sides


CONFLICT = Intent(None, None)  # the rules settle it; only convergence is checked


@dataclass(frozen=True)
class Unseen:
    """A write the sync made on a lagging side that no sync has read yet."""

    side: Side
    value: Value
    ahead: timedelta  # how far ahead the entry's clock ran when it was written


class UserModel:
    """The user's intents, and the sync's lagging writes not read yet."""

    def __init__(self, truth: Truth) -> None:
        self.last = truth  # what both sides showed at the end of the last sync
        self.intents: dict[Key, Intent] = {}
        self.unseen: dict[Key, Unseen] = {}
        # Unseen writes the window ended on, until a run surely settled them.
        self.expired: set[Key] = set()

    # ------------------------------------------------------------ before

    def note_user_changes(self, now: Truth) -> None:
        for i in range(WORKS):
            for feature in Feature:
                changed = [
                    s for s in Side if now[i, feature, s] != self.last[i, feature, s]
                ]
                if not changed:
                    continue
                before = self.intents.get((i, feature), CONFLICT)
                agreed = (
                    self.last[i, feature, Side.PLEX]
                    == self.last[i, feature, Side.SENSCRITIQUE]
                )
                if len(changed) == 2:
                    values = {now[i, feature, s] for s in Side}
                    intent = (
                        Intent(values.pop(), None) if len(values) == 1 else CONFLICT
                    )
                elif agreed or (before.side is changed[0] and before != CONFLICT):
                    intent = Intent(now[i, feature, changed[0]], changed[0])
                else:
                    intent = CONFLICT
                self.intents[i, feature] = intent
            rated = now[i, Feature.RATINGS, Side.PLEX]
            # A rating copied to SensCritique marks the work seen there (its
            # rule, not the user's): "not seen" is no longer a promise.
            if (
                rated is not None
                and rated != self.last[i, Feature.RATINGS, Side.PLEX]
                and self.intents.get((i, Feature.WATCHED), CONFLICT).value is False
            ):
                self.intents[i, Feature.WATCHED] = CONFLICT

    def sync_reads(self, now: Truth, ahead: timedelta) -> None:
        """A sync is about to read `now` with the entry's clock `ahead`.

        An unseen write it shows is done with. One the grace window ended on
        counts as failed: both sides are to end at what the other side shows.
        """
        for key, write in list(self.unseen.items()):
            i, feature = key
            if now[i, feature, write.side] == write.value:
                del self.unseen[key]
            elif ahead - write.ahead >= GRACE:
                del self.unseen[key]
                self.expired.add(key)
                if self.intents.get(key, CONFLICT) != CONFLICT:
                    other = write.side.other
                    self.intents[key] = Intent(now[i, feature, other], other)

    # ------------------------------------------------------------- after

    def sync_wrote(self, before: Truth, after: Truth, ahead: timedelta) -> None:
        """The sync's writes to a lagging side (only the sync acts during a
        sync): unseen until a later sync reads them."""
        for i in range(WORKS):
            for side, feature in LAGGING:
                if before[i, feature, side] != after[i, feature, side]:
                    self.unseen[i, feature] = Unseen(
                        side, after[i, feature, side], ahead
                    )

    def check_intents(self, after: Truth) -> None:
        for (i, feature), intent in self.intents.items():
            if intent == CONFLICT:
                continue
            sides = [intent.side] if intent.side else list(Side)
            for side in sides:
                assert after[i, feature, side] == intent.value, (
                    f"work {i} {feature} on {side}: the user set {intent.value!r}, "
                    f"the sync left {after[i, feature, side]!r}"
                )

    def check_base(
        self,
        links: dict[int, str],
        before: SyncState,
        state: SyncState,
        after: Truth,
    ) -> None:
        """A base that moved during the run moved to what both sides hold.

        A write the grace window ended on puts the watchlist base back to "not
        agreed" (off) while a side still shows the wish: the write is planned
        again (engine/pending.py), so that move claims nothing.
        """
        for i, link in links.items():
            new = state.agreed.get(link)
            old = before.agreed.get(link)
            if new is None or new == old:
                continue
            for feature, value, was in (
                (Feature.WATCHLIST, new.watchlist, old.watchlist if old else None),
                (Feature.RATINGS, new.rating, old.rating if old else None),
                # Not seen any more: SensCritique cannot follow, so only "seen".
                (Feature.WATCHED, new.watched or None, old.watched if old else None),
            ):
                if (value is None and feature is not Feature.RATINGS) or value == was:
                    continue  # this feature's base did not move in this run
                if value is False and (i, feature) in self.expired:
                    continue
                for side in Side:
                    assert after[i, feature, side] == value, (
                        f"base of work {i} moved to {feature}={value!r}, "
                        f"{side} shows {after[i, feature, side]!r}"
                    )

    # ------------------------------------------------------- convergence

    def check_converged(self, last: Truth) -> None:
        """Every intent holds on both sides (SensCritique has no "un-see")."""
        for (i, feature), intent in self.intents.items():
            if intent == CONFLICT:
                continue
            for side in Side:
                if (
                    feature is Feature.WATCHED
                    and intent.value is False
                    and side is Side.SENSCRITIQUE
                    and intent.side is Side.PLEX
                ):
                    continue
                assert last[i, feature, side] == intent.value, (
                    f"work {i} {feature} on {side} never reached {intent.value!r}"
                )

    def settle_intents(self) -> None:
        """A fresh start: where both sides agree, that is the intent."""
        self.intents = {}
        for i in range(WORKS):
            for feature in Feature:
                plex = self.last[i, feature, Side.PLEX]
                sc = self.last[i, feature, Side.SENSCRITIQUE]
                if plex == sc:
                    self.intents[i, feature] = Intent(plex, None)
