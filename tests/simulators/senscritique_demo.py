"""Demo and synthetic members for the SensCritique simulator.

Demo: every work of demo_catalogue.json becomes a product with a stable id
derived from the catalogue's own id (same id on every run and machine); the
demo member's marks are derived from a hash of that id, so they are stable
too: about 15 % wished, 45 % done (most with a date, some without, like the
real service), a third of the done works rated, some series watched episode
by episode.
"""

from __future__ import annotations

import hashlib
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .senscritique_state import SimState

CATALOGUE = Path(__file__).with_name("demo_catalogue.json")
DEMO_USER = ("cinephile_demo", "demo@plexsync.invalid", "demo-password")
DEMO_USER_ID = 4815162
# The second person of the demo household (the Plex Home user's SensCritique).
DEMO_SECOND_USER = ("anna_demo", "anna@plexsync.invalid", "anna-demo-password")
DEMO_SECOND_USER_ID = 4815163
_EPOCH = datetime(2015, 1, 1, 20, 30, tzinfo=UTC)


def stable_id(text: str, taken: set[int]) -> int:
    """An 8-digit product id from `text`; collisions move to the next free id."""
    value = (
        10_000_000
        + int(hashlib.sha256(text.encode()).hexdigest()[:12], 16) % 89_999_999
    )
    while value in taken:
        value += 1
    taken.add(value)
    return value


def _rng(key: str) -> random.Random:
    return random.Random(int(hashlib.sha256(f"sc:{key}".encode()).hexdigest()[:16], 16))


def load_demo(
    state: SimState, catalogue: Path = CATALOGUE, *, household: bool = False
) -> tuple[str, str, str]:
    """The demo catalogue and member (and with `household`, the second
    member, whose marks are drawn from seeds of their own); returns the
    first member's credentials."""
    works = json.loads(catalogue.read_text(encoding="utf-8"))["works"]
    username, email, password = DEMO_USER
    if username not in state.users:
        state.add_user(username, email, password, id=DEMO_USER_ID)
    second = DEMO_SECOND_USER[0] if household else None
    if second is not None and second not in state.users:
        state.add_user(*DEMO_SECOND_USER, id=DEMO_SECOND_USER_ID)
    taken = set(state.products)
    for work in works:
        wid = work["id"]
        pid = stable_id(wid, taken)
        # SensCritique romanizes some original titles Plex gives in their own
        # script, and drops Plex's country qualifiers.
        original = work.get("original_title_senscritique", work.get("original_title"))
        title = work["title_fr"]
        if work["kind"] == "show":
            seasons = work.get("seasons") or []
            child_ids = [
                stable_id(f"{wid}/s{s['number']}" + (f"/e{e}" if e else ""), taken)
                for s in seasons
                for e in range(s["episodes"] + 1)
            ]
            state.add_show(
                title,
                work.get("year"),
                [s["episodes"] for s in seasons],
                original_title=original,
                id=pid,
                child_ids=child_ids,
            )
        else:
            state.add_product(
                title,
                universe=1,
                year=work.get("year"),
                original_title=original,
                id=pid,
            )
        _seed_marks(state, username, pid, _rng(wid))
        if second is not None:
            _seed_marks(state, second, pid, _rng(f"{second}:{wid}"))
    return username, email, password


def _seed_marks(state: SimState, username: str, pid: int, rng: random.Random) -> None:
    roll = rng.random()
    when = _EPOCH + timedelta(
        days=rng.randrange(0, 3650), minutes=rng.randrange(0, 240)
    )
    product = state.products[pid]
    if roll < 0.15:
        state.set_mark(username, pid, wished=True)
    elif roll < 0.60:
        dated = rng.random() < 0.85
        state.set_mark(username, pid, done=True, date_done=when if dated else None)
        if rng.random() < 0.35:
            state.set_mark(username, pid, rating=rng.randint(3, 10))
        if product.children and rng.random() < 0.6:
            first_season = state.products[product.children[0]]
            for offset, episode in enumerate(first_season.children):
                state.set_mark(
                    username,
                    episode,
                    done=True,
                    date_done=when + timedelta(days=offset),
                )
                if rng.random() < 0.2:
                    state.set_mark(username, episode, rating=rng.randint(4, 10))


def seed_synthetic(
    state: SimState,
    n_works: int,
    rated: int,
    done: int,
    wished: int,
    *,
    seed: int = 0,
    username: str = "bench",
) -> tuple[str, str, str]:
    """A large account for the benches: `n_works` works (one in ten a series of
    two seasons of 3 episodes), the first `done` of a shuffled order done with a
    date, the first `rated` of another order rated, `wished` others wished."""
    if max(rated, done, wished) > n_works:
        raise ValueError("rated/done/wished cannot exceed n_works")
    rng = random.Random(seed)
    email, password = f"{username}@plexsync.invalid", "bench-password"
    if username not in state.users:
        state.add_user(username, email, password)
    pids = []
    for index in range(n_works):
        title = f"Œuvre synthétique n°{index} l'été"
        if index % 10 == 9:
            pids.append(state.add_show(title, 1950 + index % 75, [3, 3]))
        else:
            pids.append(state.add_movie(title, 1950 + index % 75))
    order = pids[:]
    rng.shuffle(order)
    for pid in order[:done]:
        state.set_mark(
            username,
            pid,
            done=True,
            date_done=_EPOCH + timedelta(hours=rng.randrange(0, 80_000)),
        )
    rng.shuffle(order)
    for pid in order[:rated]:
        state.set_mark(username, pid, rating=rng.randint(1, 10))
    already_done = set(state.done(username))
    rest = [pid for pid in order if pid not in already_done]
    for pid in rest[:wished]:
        state.set_mark(username, pid, wished=True)
    return username, email, password
