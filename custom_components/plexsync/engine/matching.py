"""Link SensCritique works to Plex works: precise, explainable, persistent.

A wrong link silently corrupts ratings; a missing one is only reported. So a
link is made only when both works pick each other as their clear best
candidate; when the two best candidates are close the work is reported as an
`Ambiguity` and left unlinked.

Sources, strongest first: manual links (never overwritten or removed), earlier
links (kept: a snapshot only holds the works a user touched, so a work missing
from one read is the planner's business, not a reason to forget its link),
local matching of the two lists, then searches (`match_candidates`, bounded by
`SEARCH_REQUESTS_PER_RUN` requests, misses retried with backoff). Seasons and episodes
link through their series' link plus their numbers.

Scoring and candidate search live in `match_score`; `match_eval` runs this
module's `match_local` on a JSON document from the command line.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from .match_index import Index
from .match_score import (
    AMBIGUITY_MARGIN,
    MATCH_THRESHOLD,
    Candidate,
    Entry,
    close_candidates,
    imdb_groups,
    pair_score,
)
from .model import Kind, Link, Provenance, SearchMiss, Side, SyncState, Work
from .titles import Known

__all__ = [
    "AMBIGUITY_MARGIN",
    "MATCH_THRESHOLD",
    "SEARCH_REQUESTS_PER_RUN",
    "Ambiguity",
    "Candidate",
    "MatchResult",
    "due_for_search",
    "match_candidates",
    "match_local",
    "miss_delay",
    "record_miss",
    "record_misses",
]

# Search requests per run (a work costs one per title searched: its title,
# then its original title). Sized for the first day of a large account: at
# the default interval (6 h) a day has 4 runs, so 2,000 requests, enough for
# a 1,500-work account none of whose works linked locally. At SensCritique's
# pacing (5 requests a second at most) a run spends at most ~2 minutes on them.
SEARCH_REQUESTS_PER_RUN = 500
MISS_FIRST_DELAY = timedelta(days=1)
MISS_MAX_DELAY = timedelta(days=30)

_TITLED_KINDS = frozenset({Kind.MOVIE, Kind.SHOW})


@dataclass(frozen=True, slots=True)
class Ambiguity:
    """A work left unlinked because its best candidates were too close."""

    side: Side
    key: str
    kind: Kind
    title: str
    candidates: tuple[Candidate, ...]  # best first, all within the margin


@dataclass(frozen=True, slots=True)
class MatchResult:
    """All links after a matching pass, and what stayed unlinked.

    `unmatched_*` hold every work without a link, ambiguous ones included,
    sorted by key.
    """

    links: Mapping[str, Link]
    ambiguous: tuple[Ambiguity, ...] = ()
    unmatched_senscritique: tuple[Work, ...] = ()
    unmatched_plex: tuple[Work, ...] = ()


def _ambiguity(work: Work, side: Side, close: tuple[Candidate, ...]) -> Ambiguity:
    return Ambiguity(side, work.key, work.kind, work.title, close)


# ----------------------------------------------------------------- local match


def _unique(works: Iterable[Work]) -> dict[str, Work]:
    """Works by key; of two works with one key, the same one whatever the order."""
    out: dict[str, Work] = {}
    for work in works:
        known = out.get(work.key)
        if known is None or repr(work) < repr(known):
            out[work.key] = work
    return out


def _kept_links(links: Mapping[str, Link]) -> dict[str, Link]:
    """Manual links, and earlier links that do not contradict one."""
    manual = {i: lk for i, lk in links.items() if lk.provenance is Provenance.MANUAL}
    manual_sc = {lk.senscritique for lk in manual.values()}
    manual_plex = {lk.plex for lk in manual.values()}
    kept = dict(manual)
    for link_key, link in links.items():
        if link_key in kept:
            continue
        if link.senscritique in manual_sc or link.plex in manual_plex:
            continue  # a manual link replaced it
        kept[link_key] = link
    return kept


def _title_links(
    senscritique: Sequence[Work],
    plex: Sequence[Work],
    taken_sc: set[str],
    taken_plex: set[str],
) -> tuple[list[Link], list[Ambiguity]]:
    """Mutual clear-best links between movies and shows of both sides.

    Works already linked (`taken_*`) still compete as candidates, so a work is
    never linked by elimination ("the other Dune is taken, so this one"), and
    matching again with the links it made gives the same result.
    """
    groups = imdb_groups(plex)
    # The keys of each group of several works, smallest (the group's) first;
    # most works are a group of their own, and keep no list.
    members: dict[str, list[str]] = {}
    for key in sorted(k for k, group in groups.items() if k != group):
        members.setdefault(groups[key], [groups[key]]).append(key)
    # Forms of Plex titles, also met on the SensCritique side (original
    # titles); SensCritique's own are not kept: one work asks for each.
    known: Known = {}
    index = Index([Entry.of(w, known) for w in plex])
    by_sc: dict[str, dict[str, float]] = defaultdict(dict)
    by_group: dict[str, dict[str, float]] = defaultdict(dict)
    for work in senscritique:
        for other, score in index.candidates(Entry.of(work, known, learn=False)):
            group = groups[other.work.key]
            if score > by_sc[work.key].get(group, 0.0):
                by_sc[work.key][group] = score
                by_group[group][work.key] = score

    links: list[Link] = []
    ambiguous: list[Ambiguity] = []
    for work in senscritique:
        if work.key in taken_sc:
            continue
        close = close_candidates(by_sc.get(work.key, {}))
        if len(close) > 1:
            ambiguous.append(_ambiguity(work, Side.SENSCRITIQUE, close))
            continue
        if not close:
            continue
        group = close[0].key
        back = close_candidates(by_group[group])
        if len(back) == 1 and back[0].key == work.key:
            links.extend(
                Link(work.key, key, work.kind, Provenance.LOCAL, close[0].score)
                for key in members.get(group, (group,))
                if key not in taken_plex
            )
    plex_by_key = {w.key: w for w in plex}
    for group in sorted(by_group):
        if all(key in taken_plex for key in members.get(group, (group,))):
            continue
        back = close_candidates(by_group[group])
        if len(back) > 1:
            ambiguous.append(_ambiguity(plex_by_key[group], Side.PLEX, back))
    return links, ambiguous


def _child_key(work: Work) -> tuple[str, Kind, int, int | None] | None:
    if work.parent is None or work.season is None:
        return None
    if work.kind is Kind.SEASON:
        return work.parent, work.kind, work.season, None
    if work.kind is Kind.EPISODE and work.episode is not None:
        return work.parent, work.kind, work.season, work.episode
    return None


def _children(works: Iterable[Work]) -> dict[tuple[str, Kind, int, int | None], str]:
    """Seasons and episodes by (series, kind, numbers); duplicates dropped."""
    found: dict[tuple[str, Kind, int, int | None], list[str]] = defaultdict(list)
    for work in works:
        key = _child_key(work)
        if key is not None:
            found[key].append(work.key)
    return {k: keys[0] for k, keys in found.items() if len(keys) == 1}


def _parent_links(
    links: Iterable[Link], senscritique: Iterable[Work], plex: Iterable[Work]
) -> list[Link]:
    """Seasons and episodes linked through their series' link and numbers."""
    sc_children = _children(senscritique)
    plex_children = _children(plex)
    by_series: dict[str, list[tuple[tuple[Kind, int, int | None], str]]]
    by_series = defaultdict(list)
    for (series, kind, season, episode), key in sc_children.items():
        by_series[series].append(((kind, season, episode), key))
    out: list[Link] = []
    for link in links:
        if link.kind is not Kind.SHOW:
            continue
        for (kind, season, episode), sc_key in by_series.get(link.senscritique, ()):
            plex_key = plex_children.get((link.plex, kind, season, episode))
            if plex_key is not None:
                out.append(Link(sc_key, plex_key, kind, Provenance.PARENT, link.score))
    return out


def match_local(
    senscritique: Iterable[Work],
    plex: Iterable[Work],
    links: Mapping[str, Link],
    *,
    refused: Collection[tuple[str, str]] = frozenset(),
) -> MatchResult:
    """Link the two complete lists without any request.

    Returns every link after this pass: manual and earlier links kept, new
    local links for movies and shows, parent links for seasons and episodes.
    No new link joins a `refused` (SensCritique key, Plex key) pair (the
    user unlinked it): its works stay unmatched, never linked by elimination.
    """
    sc_works = _unique(senscritique)
    plex_works = _unique(plex)
    kept = _kept_links(links)
    linked_sc = {lk.senscritique for lk in kept.values()}
    linked_plex = {lk.plex for lk in kept.values()}

    def titled(works: Mapping[str, Work]) -> list[Work]:
        return [works[k] for k in sorted(works) if works[k].kind in _TITLED_KINDS]

    new, ambiguous = _title_links(
        titled(sc_works), titled(plex_works), set(linked_sc), set(linked_plex)
    )
    new = [lk for lk in new if (lk.senscritique, lk.plex) not in refused]
    result = dict(kept)
    result.update((lk.id, lk) for lk in new)
    linked_sc.update(lk.senscritique for lk in new)
    linked_plex.update(lk.plex for lk in new)
    children = [
        lk
        for lk in _parent_links(
            sorted(result.values(), key=lambda lk: lk.id),
            (w for k, w in sorted(sc_works.items()) if k not in linked_sc),
            (w for k, w in sorted(plex_works.items()) if k not in linked_plex),
        )
        if (lk.senscritique, lk.plex) not in refused
    ]
    result.update((lk.id, lk) for lk in children)
    linked_sc.update(lk.senscritique for lk in children)
    linked_plex.update(lk.plex for lk in children)
    return MatchResult(
        links=dict(sorted(result.items())),
        ambiguous=tuple(sorted(ambiguous, key=lambda a: (a.side, a.key))),
        unmatched_senscritique=tuple(
            w for k, w in sorted(sc_works.items()) if k not in linked_sc
        ),
        unmatched_plex=tuple(
            w for k, w in sorted(plex_works.items()) if k not in linked_plex
        ),
    )


# ---------------------------------------------------------------------- search


def _side_of(work: Work) -> Side:
    """The side `work` was read from, as its client's decoder set it.

    Never guessed from the key's text: keys of both sides are free-form
    strings (a legacy Plex library key is no ``plex://`` GUID), so a work
    without a side cannot be placed in a link and is refused.
    """
    if work.side is None:
        raise ValueError(f"work {work.key!r} has no side: cannot place it in a link")
    return work.side


def match_candidates(
    work: Work,
    candidates: Sequence[Work],
    *,
    provenance: Provenance = Provenance.SEARCH,
) -> Link | Ambiguity | None:
    """Pick a link for `work` from a search's results on the other side.

    Same scoring as `match_local`: a clear best above the threshold links,
    close best candidates give an `Ambiguity`, anything else None.
    """
    if work.kind not in _TITLED_KINDS:
        return None
    side = _side_of(work)
    if any(other.side is side for other in candidates):
        raise ValueError(f"candidates for {work.key!r} include works of its own side")
    entry = Entry.of(work)
    others = [w for k, w in sorted(_unique(candidates).items()) if k != work.key]
    groups = (
        imdb_groups(others)
        if side is Side.SENSCRITIQUE
        else {w.key: w.key for w in others}
    )
    scores: dict[str, float] = {}
    for other in others:
        score = pair_score(entry, Entry.of(other))
        group = groups[other.key]
        if score >= MATCH_THRESHOLD and score > scores.get(group, 0.0):
            scores[group] = score
    close = close_candidates(scores)
    if not close:
        return None
    if len(close) > 1:
        return _ambiguity(work, side, close)
    best = close[0]
    if side is Side.SENSCRITIQUE:
        return Link(work.key, best.key, work.kind, provenance, best.score)
    return Link(best.key, work.key, work.kind, provenance, best.score)


def due_for_search(state: SyncState, work: Work, now: datetime) -> bool:
    """Whether `work` may be searched now: never missed, or its backoff ended.

    Seasons and episodes are never searched: they link through their series.
    """
    if work.kind not in _TITLED_KINDS:
        return False
    miss = state.misses.get(work.key)
    return miss is None or now >= miss.retry_at


def miss_delay(attempts: int) -> timedelta:
    """Backoff after `attempts` misses: 1 day, doubling, at most 30 days."""
    if attempts < 1:
        raise ValueError(f"attempts must be at least 1, got {attempts}")
    doublings = min(attempts - 1, 16)  # 2**16 days is far past the cap
    delay: timedelta = MISS_FIRST_DELAY * (1 << doublings)
    return min(delay, MISS_MAX_DELAY)


def record_miss(state: SyncState, side: Side, work: Work, now: datetime) -> SyncState:
    """`state` with one more search miss for `work` and its next retry time."""
    return record_misses(state, [(side, work)], now)


def record_misses(
    state: SyncState, missed: Iterable[tuple[Side, Work]], now: datetime
) -> SyncState:
    """`record_miss` of each of `missed`, the misses copied once."""
    misses = dict(state.misses)
    for side, work in missed:
        previous = misses.get(work.key)
        attempts = 1 if previous is None else previous.attempts + 1
        misses[work.key] = SearchMiss(
            side, work.key, attempts, now + miss_delay(attempts)
        )
    return replace(state, misses=misses)
