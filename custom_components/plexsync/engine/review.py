"""The review of an unmatched work: the candidates a person picks from, and
their answer "the other service does not have it".

Matching links a work only when one candidate is clearly best; the review
shows the close ones too (an ambiguous set, a score under the threshold) and
lets the person decide. Nothing here links: the pick becomes a manual link
(manual_links.py); "not on the other service" is remembered in the state's
`alone`, so the work is never searched nor asked about again (a later local
match still links it, should the other service list it one day).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from .match_score import Candidate, Entry, pair_score
from .model import Kind, Link, Provenance, Side, SyncState, Work

REVIEW_CANDIDATES = 3
# Below this a "candidate" is noise (a shared word, a distant year).
REVIEW_FLOOR = 0.3


def review_candidates(
    work: Work, others: Iterable[Work], *, limit: int = REVIEW_CANDIDATES
) -> tuple[Candidate, ...]:
    """The best `limit` works of `others` (the other side) for `work`, best
    first: those scoring at least `REVIEW_FLOOR`, then, for the places left,
    works of the very same year whatever their titles (a translated title
    shares no word: "Le Mépris" and "Contempt"), by key. Works of another
    kind and works without a title are left out."""
    entry = Entry.of(work)
    scores: dict[str, float] = {}
    same_year: dict[str, float] = {}
    for other in others:
        if other.kind is not work.kind or other.key == work.key or not other.title:
            continue
        score = pair_score(entry, Entry.of(other))
        if score >= REVIEW_FLOOR:
            scores[other.key] = max(score, scores.get(other.key, 0.0))
        elif work.year is not None and other.year == work.year:
            same_year[other.key] = score
    best = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    best += sorted(same_year.items(), key=lambda item: (-item[1], item[0]))
    return tuple(Candidate(key, score) for key, score in best[:limit])


def picked_link(side: Side, work: Work, other: str) -> Link:
    """The manual link a person made by picking `other` for `work` of `side`."""
    if work.kind not in (Kind.MOVIE, Kind.SHOW):
        raise ValueError(f"{work.key} is not a film or a series")
    if side is Side.SENSCRITIQUE:
        return Link(work.key, other, work.kind, Provenance.MANUAL)
    return Link(other, work.key, work.kind, Provenance.MANUAL)


def with_alone(state: SyncState, side: Side, key: str) -> SyncState:
    """`state` remembering that the other service does not have `key`."""
    return replace(state, alone=state.alone | {(side, key)})
