"""The ratings rule of design.md: a three-way merge of one link's rating.

Rated on one side only and never agreed: copy it. Different values: the side
that still equals the base did not change, so the other side's change wins; if
both changed (or there is no base) the latest rating date wins, where a rating
date is unknown the watch date stands in (`LinkPlan.rating_date`), and where a
date is still missing the lowest rating wins. A rating removed on one side
after being agreed is removed on the other only when removals propagate.

A rating the rule decided against, and could not overwrite (the side cannot
rate, the direction does not write there, or the write failed), is kept in the
base (`Agreed.overruled_rating`): while its side still shows it, it is no
change of the user's. It does not come back as "a change beats a removal" once
the winning rating is removed, nor beat a later change on the other side.
"""

from __future__ import annotations

from typing import Any

from .link_view import NAME, LinkPlan, Outcome, Reading
from .model import Action, Rating, Side
from .settings import FeatureOptions


def ratings_rule(ctx: LinkPlan, reading: Reading, options: FeatureOptions) -> Outcome:
    plex, sens = reading.rating[Side.PLEX], reading.rating[Side.SENSCRITIQUE]
    base = ctx.base.rating
    if plex is None and sens is None:
        unrated: dict[str, Any] = {"rating": None, "rated_at": None}
        return [], _overruled(ctx, unrated, None), base is not None
    if plex is not None and sens is not None and plex.value == sens.value:
        if base == plex.value:
            return [], _overruled(ctx, {}, None), False
        dates = [
            d for d in (ctx.rating_date(plex), ctx.rating_date(sens)) if d is not None
        ]
        agreed = {"rating": plex.value, "rated_at": max(dates, default=None)}
        return [], _overruled(ctx, agreed, None), False

    title = ctx.title()
    settles: dict[str, Any] = {}
    if plex is None or sens is None:
        has = Side.PLEX if plex is not None else Side.SENSCRITIQUE
        lacks = has.other
        rating = plex or sens
        assert rating is not None
        # A rating overruled on the side that now shows none is gone.
        settles = {_OVERRULED[lacks]: None}
        if base is not None and not _changed(ctx, has, rating):
            if options.propagate_removals and ctx.may(
                options, has, Action.CLEAR_RATING
            ):
                reason = (
                    f"Cleared the {NAME[has]} rating of {title} because you "
                    f"removed your rating on {NAME[lacks]}."
                )
                op = ctx.op(has, Action.CLEAR_RATING, reason)
                return [op], _unless_same(ctx, settles), False
            return [], _unless_same(ctx, settles), False
        why = "rated it" if base is None else "changed it"
        winner, loser = rating, lacks
        because = f"you {why} on {NAME[has]}"
    else:
        winner, loser, because = _decide(ctx, plex, sens)
        # Kept until both sides agree again (or the loser's side moves), so
        # that a write that fails or cannot be made is decided the same way
        # next run, and the losing rating never counts as a change again.
        loser_shows = sens if loser is Side.SENSCRITIQUE else plex
        settles = {_OVERRULED[loser]: loser_shows.value, _OVERRULED[loser.other]: None}
    fields = _unless_same(ctx, settles)
    if not ctx.may(options, loser, Action.SET_RATING):
        return [], fields, False
    reason = f"Rated {title} {winner.value}/10 on {NAME[loser]} because {because}."
    op = ctx.op(loser, Action.SET_RATING, reason, winner.value, ctx.rating_date(winner))
    return [op], fields, False


_OVERRULED = {
    Side.PLEX: "plex_rating_overruled",
    Side.SENSCRITIQUE: "senscritique_rating_overruled",
}


def _changed(ctx: LinkPlan, side: Side, rating: Rating) -> bool:
    """Whether `side` shows a rating the user gave since the base was agreed:
    neither the agreed one nor one the rule overruled there since."""
    return rating.value not in {ctx.base.rating, ctx.base.overruled_rating(side)}


def _decide(ctx: LinkPlan, plex: Rating, sens: Rating) -> tuple[Rating, Side, str]:
    """Two different ratings: the one side that changed wins, else the dates."""
    if ctx.base.rating is not None:
        plex_changed = _changed(ctx, Side.PLEX, plex)
        sens_changed = _changed(ctx, Side.SENSCRITIQUE, sens)
        if plex_changed != sens_changed:
            winner, loser = (
                (plex, Side.SENSCRITIQUE) if plex_changed else (sens, Side.PLEX)
            )
            if (sens if plex_changed else plex).value != ctx.base.rating:
                # The loser shows the rating the rule for two changes overruled
                # before: while that rule still decides the same (the write is
                # made again), it is said the same, so settling changes no word.
                decided = _rating_conflict(ctx, plex, sens)
                if decided[1] is loser:
                    return decided
            return winner, loser, f"you changed it on {NAME[loser.other]}"
        if not plex_changed and not sens_changed:
            # One side shows the base, the other a rating overruled before.
            winner, loser = (
                (plex, Side.SENSCRITIQUE)
                if plex.value == ctx.base.rating
                else (sens, Side.PLEX)
            )
            shown = sens if loser is Side.SENSCRITIQUE else plex
            because = f"its {shown.value}/10 on {NAME[loser]} was overruled before"
            return winner, loser, because
    return _rating_conflict(ctx, plex, sens)


def _overruled(
    ctx: LinkPlan, fields: dict[str, Any], value: int | None
) -> dict[str, Any]:
    """`fields` with both sides' overruled ratings set to `value`, where they
    are not that already."""
    return _unless_same(ctx, {**fields, **dict.fromkeys(_OVERRULED.values(), value)})


def _unless_same(ctx: LinkPlan, fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if getattr(ctx.base, k) != v}


def _rating_conflict(
    ctx: LinkPlan, plex: Rating, sens: Rating
) -> tuple[Rating, Side, str]:
    """Both changed, or no base: latest date wins, else the lowest rating."""
    plex_date, sens_date = ctx.rating_date(plex), ctx.rating_date(sens)
    if plex_date is not None and sens_date is not None and plex_date != sens_date:
        if plex_date > sens_date:
            return plex, Side.SENSCRITIQUE, "the Plex rating is the more recent"
        return sens, Side.PLEX, "the SensCritique rating is the more recent"
    because = (
        "the two ratings differ without dates to tell them apart, so the lower wins"
    )
    if plex.value < sens.value:
        return plex, Side.SENSCRITIQUE, because
    return sens, Side.PLEX, because
