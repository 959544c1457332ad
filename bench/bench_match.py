"""match_20k: local matching of 20,000 SensCritique x 20,000 Plex works.

Synthetic works from a fixed seed: titles of two to six words drawn with Zipf
weights from a 4,000-word vocabulary (a few words very common, as in real
titles), years 1920..2024, a
French title with the same words reordered and the English one as original
title on SensCritique; 85 % of the works exist on both sides, some Plex years
are one off, a few titles carry a subtitle. Reports the wall and CPU time of
one `match_local` call, the first of the process (the CPU time tells a slow
machine from a busy one), and how many links it made.
"""

from __future__ import annotations

import random
import time

from custom_components.plexsync.engine.matching import match_local
from custom_components.plexsync.engine.model import Kind, Work

_SYLLABLES = tuple(
    c + v for c in "bcdfghjklmnprstvz" for v in ("a", "e", "i", "o", "u", "ou", "an")
)
# Real titles draw on a large vocabulary with a few very common words:
# 4,000 made-up words, picked with Zipf weights.
_VOCABULARY = tuple(
    "".join(random.Random(i).sample(_SYLLABLES, 1 + i % 3)) for i in range(4_000)
)
_WEIGHTS = tuple(1 / (rank + 1) for rank in range(len(_VOCABULARY)))


def _title(rng: random.Random) -> list[str]:
    return rng.choices(_VOCABULARY, _WEIGHTS, k=rng.randint(2, 6))


def build(count: int, seed: int = 20) -> tuple[list[Work], list[Work]]:
    rng = random.Random(seed)
    senscritique: list[Work] = []
    plex: list[Work] = []
    for n in range(count):
        words = _title(rng)
        english = " ".join(words).title()
        if rng.random() < 0.1:
            english += ": " + " ".join(_title(rng)).title()
        french = " ".join(reversed(words)).capitalize()
        year = rng.randint(1920, 2024)
        kind = Kind.SHOW if rng.random() < 0.25 else Kind.MOVIE
        roll = rng.random()
        if roll < 0.925:
            senscritique.append(Work(str(10_000_000 + n), kind, french, english, year))
        if roll >= 0.075:
            plex_year = year + (1 if rng.random() < 0.05 else 0)
            plex.append(
                Work(f"plex://{kind.value}/{n:024x}", kind, english, None, plex_year)
            )
    return senscritique, plex


def run(quick: bool) -> dict[str, object]:
    count = 2_000 if quick else 20_000
    senscritique, plex = build(count)
    started, cpu = time.perf_counter(), time.process_time()
    result = match_local(senscritique, plex, {})
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        "name": "match_20k",
        "works": count,
        "senscritique": len(senscritique),
        "plex": len(plex),
        "match_s": round(elapsed, 2),
        "cpu_s": round(cpu, 2),
        "links": len(result.links),
        "ambiguous": len(result.ambiguous),
    }


if __name__ == "__main__":
    print(run(quick=False))
