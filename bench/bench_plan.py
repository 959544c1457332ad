"""Bench "plan_50k": plan() over 50,000 linked works per side vs decoding them.

Builds a synthetic account of `works` films linked one to one, a base that
agrees on most of them and realistic differences since the last run (new
wishes on both sides, removals, changed ratings, new watches, Plex "now"
dates, a few pending writes). Measures:

- ``plan_s``: one plan() call;
- ``decode_s``: json.loads + snapshot_from_json of the two snapshots' JSON
  (the unavoidable cost of reading them);
- ``ratio`` = plan_s / decode_s (goal <= 1.0: planning costs no more than
  reading).
"""

from __future__ import annotations

import json
import random
import time
from datetime import UTC, datetime, timedelta

from custom_components.plexsync.engine.codec import snapshot_from_json, snapshot_to_json
from custom_components.plexsync.engine.model import (
    Action,
    Agreed,
    Kind,
    Link,
    Pending,
    Provenance,
    Rating,
    Side,
    Snapshot,
    SyncState,
    Watch,
    WatchlistEntry,
    Work,
)
from custom_components.plexsync.engine.planner import plan
from custom_components.plexsync.engine.settings import Capabilities, SyncOptions

NOW = datetime(2024, 6, 1, 12, tzinfo=UTC)


def _account(works: int, seed: int = 4) -> tuple[Snapshot, Snapshot, SyncState]:
    rng = random.Random(seed)
    plex_works, sc_works = [], []
    plex_wish, sc_wish, plex_rate, sc_rate, plex_seen, sc_seen = [], [], [], [], [], []
    links: dict[str, Link] = {}
    agreed: dict[str, Agreed] = {}
    pending: list[Pending] = []
    for i in range(works):
        pk, sk = f"plex://movie/{i:024x}", str(10_000_000 + i)
        title = f"Film {i}"
        plex_works.append(Work(pk, Kind.MOVIE, title, year=1950 + i % 70))
        sc_works.append(Work(sk, Kind.MOVIE, title, year=1950 + i % 70))
        link = Link(sk, pk, Kind.MOVIE, Provenance.LOCAL)
        links[link.id] = link
        wished = rng.random() < 0.2
        rating = rng.randint(1, 10) if rng.random() < 0.6 else None
        watched_at = (
            NOW - timedelta(days=rng.randint(1, 3000)) if rng.random() < 0.7 else None
        )
        agreed[link.id] = Agreed(
            watchlist=wished,
            rating=rating,
            watched=watched_at is not None,
            watched_at=watched_at,
            plex_watched_at=watched_at,
            senscritique_watched_at=watched_at,
        )
        # What each side shows now: mostly the base, sometimes a change.
        for side, wish, rate, seen in (
            (Side.PLEX, plex_wish, plex_rate, plex_seen),
            (Side.SENSCRITIQUE, sc_wish, sc_rate, sc_seen),
        ):
            key = pk if side is Side.PLEX else sk
            roll = rng.random()
            if wished != (roll < 0.004):  # ~0.4% wishes added or removed per side
                wish.append(WatchlistEntry(key, NOW - timedelta(days=3)))
            value = rating
            if rng.random() < 0.01:
                value = rng.randint(1, 10)
            if value is not None:
                rate.append(Rating(key, value, None, watched_at))
            if watched_at is not None or rng.random() < 0.005:
                seen.append(Watch(key, watched_at or NOW - timedelta(hours=5)))
        if i % 500 == 0:
            pending.append(
                Pending(link.id, Side.SENSCRITIQUE, Action.ADD_WATCHLIST, NOW)
            )
    plex_snapshot = Snapshot.build(
        Side.PLEX, plex_works, plex_wish, plex_rate, plex_seen
    )
    sc_snapshot = Snapshot.build(Side.SENSCRITIQUE, sc_works, sc_wish, sc_rate, sc_seen)
    return plex_snapshot, sc_snapshot, SyncState(links, agreed, tuple(pending))


def run(quick: bool) -> dict[str, object]:
    works = 2_000 if quick else 50_000
    plex_snapshot, sc_snapshot, state = _account(works)
    texts = [json.dumps(snapshot_to_json(s)) for s in (plex_snapshot, sc_snapshot)]

    started = time.perf_counter()
    decoded = [snapshot_from_json(json.loads(text)) for text in texts]
    decode_s = time.perf_counter() - started
    assert decoded == [plex_snapshot, sc_snapshot]

    capabilities = {
        Side.PLEX: Capabilities(set_watched_date=False),
        Side.SENSCRITIQUE: Capabilities(),
    }
    started = time.perf_counter()
    result = plan(
        decoded[0],
        decoded[1],
        state,
        SyncOptions(),
        capabilities,
        NOW + timedelta(hours=1),
    )
    plan_s = time.perf_counter() - started
    return {
        "name": "plan_50k",
        "works": works,
        "plan_s": round(plan_s, 4),
        "decode_s": round(decode_s, 4),
        "ratio": round(plan_s / decode_s, 3),
        "ops": len(result.ops),
        "held": len(result.held),
        "settled": len(result.settled),
    }
