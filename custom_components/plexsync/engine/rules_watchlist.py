"""The watchlist rule of design.md: a three-way merge of one link's wish.

| Plex | SC  | base    | action                                         |
| on   | on  | any     | nothing; base = on                             |
| on   | off | not on  | add to SC (and the other way round)            |
| on   | off | on      | removed on SC: remove from Plex, if propagated |
| off  | off | on      | base = off                                     |

A side whose watchlist cannot hold the link's kind (Plex's holds no season or
episode, see `Capabilities.watchlist_kinds`), or this very work
(`Capabilities.watchlist_unreachable`), takes no part: its absence is
neither a wish to copy nor a removal, so nothing is written on either side and
the base never claims the two agree (a base left on is put back off).
"""

from __future__ import annotations

from .link_view import LIST, SIDES, LinkPlan, Outcome, Reading
from .model import Action, Side
from .settings import FeatureOptions


def watchlist_rule(ctx: LinkPlan, reading: Reading, options: FeatureOptions) -> Outcome:
    on, base = reading.watchlist, ctx.base.watchlist
    kind = ctx.link.kind
    if not all(
        ctx.capabilities[side].holds_on_watchlist(kind, ctx.link.key_on(side))
        for side in SIDES
    ):
        return [], ({"watchlist": False} if base else {}), base
    if on[Side.PLEX] and on[Side.SENSCRITIQUE]:
        return [], ({} if base else {"watchlist": True}), False
    if not on[Side.PLEX] and not on[Side.SENSCRITIQUE]:
        return [], ({"watchlist": False} if base else {}), base
    has = Side.PLEX if on[Side.PLEX] else Side.SENSCRITIQUE
    lacks = has.other
    title = ctx.title()
    if not base:
        if not ctx.may(options, lacks, Action.ADD_WATCHLIST):
            return [], {}, False
        reason = f"Added {title} to {LIST[lacks]} because it is on {LIST[has]}."
        return [ctx.op(lacks, Action.ADD_WATCHLIST, reason)], {}, False
    if options.propagate_removals and ctx.may(options, has, Action.REMOVE_WATCHLIST):
        reason = (
            f"Removed {title} from {LIST[has]} because you removed it "
            f"from {LIST[lacks]}."
        )
        return [ctx.op(has, Action.REMOVE_WATCHLIST, reason)], {}, False
    return [], {}, False
