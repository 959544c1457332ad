"""The ratings rule of design.md: a three-way merge of one link's rating.

Rated on one side only and never agreed: copy it. Different values: the side
that still equals the base did not change, so the other side's change wins; if
both changed (or there is no base) the latest rating date wins, where a rating
date is unknown the watch date stands in (`LinkPlan.rating_date`), and where a
date is still missing the lowest rating wins. A rating removed on one side
after being agreed is removed on the other only when removals propagate.
"""

from __future__ import annotations

from .link_view import NAME, LinkPlan, Outcome, Reading
from .model import Action, FeatureOptions, Rating, Side


def ratings_rule(ctx: LinkPlan, reading: Reading, options: FeatureOptions) -> Outcome:
    plex, sens = reading.rating[Side.PLEX], reading.rating[Side.SENSCRITIQUE]
    base = ctx.base.rating
    if plex is None and sens is None:
        fields = {"rating": None, "rated_at": None} if base is not None else {}
        return [], fields, base is not None
    if plex is not None and sens is not None and plex.value == sens.value:
        if base == plex.value:
            return [], {}, False
        dates = [
            d for d in (ctx.rating_date(plex), ctx.rating_date(sens)) if d is not None
        ]
        return [], {"rating": plex.value, "rated_at": max(dates, default=None)}, False

    title = ctx.title()
    if plex is None or sens is None:
        has = Side.PLEX if plex is not None else Side.SENSCRITIQUE
        lacks = has.other
        rating = plex or sens
        assert rating is not None
        if base is not None and rating.value == base:
            if options.propagate_removals and ctx.may(
                options, has, Action.CLEAR_RATING
            ):
                reason = (
                    f"Cleared the {NAME[has]} rating of {title} because you "
                    f"removed your rating on {NAME[lacks]}."
                )
                return [ctx.op(has, Action.CLEAR_RATING, reason)], {}, False
            return [], {}, False
        why = "rated it" if base is None else "changed your rating to"
        winner, loser = rating, lacks
        because = f"you {why} {rating.value}/10 on {NAME[has]}"
    elif base == plex.value:
        winner, loser = sens, Side.PLEX
        because = f"you changed your rating to {sens.value}/10 on SensCritique"
    elif base == sens.value:
        winner, loser = plex, Side.SENSCRITIQUE
        because = f"you changed your rating to {plex.value}/10 on Plex"
    else:
        winner, loser, because = _rating_conflict(ctx, plex, sens)
    if not ctx.may(options, loser, Action.SET_RATING):
        return [], {}, False
    reason = f"Rated {title} {winner.value}/10 on {NAME[loser]} because {because}."
    op = ctx.op(loser, Action.SET_RATING, reason, winner.value, ctx.rating_date(winner))
    return [op], {}, False


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
