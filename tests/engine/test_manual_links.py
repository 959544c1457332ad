"""Manual links and remembered unlinks, as pure functions over the state."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from custom_components.plexsync.engine.codec import state_from_json, state_to_json
from custom_components.plexsync.engine.manual_links import (
    conflicts,
    derived_links,
    may_link,
    with_manual_link,
    without_links,
)
from custom_components.plexsync.engine.matching import match_local
from custom_components.plexsync.engine.model import (
    Action,
    Agreed,
    Kind,
    Link,
    Pending,
    Provenance,
    Side,
    SyncState,
    Work,
)

NOW = datetime(2025, 1, 1, tzinfo=UTC)
HEAT = Link("1", "plex://movie/a", Kind.MOVIE, Provenance.LOCAL)
RONIN = Link("2", "plex://movie/b", Kind.MOVIE, Provenance.SEARCH)
STATE = SyncState(
    links={HEAT.id: HEAT, RONIN.id: RONIN},
    agreed={HEAT.id: Agreed(watchlist=True), RONIN.id: Agreed(rating=7)},
    pending=(Pending(HEAT.id, Side.SENSCRITIQUE, Action.ADD_WATCHLIST, NOW),),
)


def manual(sc: str, plex: str, kind: Kind = Kind.MOVIE) -> Link:
    return Link(sc, plex, kind, Provenance.MANUAL)


def test_unlinking_forgets_the_base_and_remembers_the_pair() -> None:
    state = without_links(STATE, [HEAT.id])
    assert state.links == {RONIN.id: RONIN}
    assert state.agreed == {RONIN.id: Agreed(rating=7)}
    assert state.pending == ()
    assert state.unlinked == {("1", "plex://movie/a")}
    assert not may_link(state, HEAT)


def test_a_manual_link_in_the_way_of_another_is_refused() -> None:
    other = manual("1", "plex://movie/b")
    assert conflicts(STATE, other) == (HEAT, RONIN)
    with pytest.raises(ValueError, match="conflicts"):
        with_manual_link(STATE, other)
    assert conflicts(STATE, manual("3", "plex://movie/c")) == ()


def test_the_same_pair_by_hand_keeps_its_base_and_clears_the_memory() -> None:
    state = with_manual_link(without_links(STATE, [HEAT.id]), manual("1", HEAT.plex))
    assert state.unlinked == frozenset()
    assert state.links[HEAT.id].provenance is Provenance.MANUAL
    upgraded = with_manual_link(STATE, manual("2", RONIN.plex))
    assert upgraded.agreed[RONIN.id] == Agreed(rating=7)


def test_only_manual_links_go_through_with_manual_link() -> None:
    with pytest.raises(ValueError, match="not a manual link"):
        with_manual_link(SyncState(), HEAT)


def test_may_link_needs_both_keys_free() -> None:
    assert not may_link(
        STATE, Link("1", "plex://movie/z", Kind.MOVIE, Provenance.SEARCH)
    )
    assert not may_link(
        STATE, Link("9", "plex://movie/b", Kind.MOVIE, Provenance.SEARCH)
    )
    assert may_link(STATE, Link("9", "plex://movie/z", Kind.MOVIE, Provenance.SEARCH))


def test_the_memory_round_trips_through_the_codec_and_older_states_read() -> None:
    state = without_links(STATE, [HEAT.id, RONIN.id])
    data = state_to_json(state)
    assert data["unlinked"] == [
        {"senscritique": "1", "plex": "plex://movie/a"},
        {"senscritique": "2", "plex": "plex://movie/b"},
    ]
    assert state_from_json(data) == state
    assert "unlinked" not in state_to_json(STATE)  # left out while empty
    assert state_from_json(state_to_json(STATE)).unlinked == frozenset()
    data["unlinked"] = [{"senscritique": "1"}]
    with pytest.raises(ValueError, match=r"unlinked\[0\]"):
        state_from_json(data)


SHOW_SC = Work("10", Kind.SHOW, "Dark", year=2017)
SHOW_PLEX = Work("plex://show/d", Kind.SHOW, "Dark", year=2017)
EP_SC = Work("11", Kind.EPISODE, "Secrets", parent="10", season=1, episode=1)
EP_PLEX = Work(
    "plex://episode/e",
    Kind.EPISODE,
    "Secrets",
    parent="plex://show/d",
    season=1,
    episode=1,
)


def test_matching_never_joins_a_refused_pair_nor_its_episodes() -> None:
    free = match_local([SHOW_SC, EP_SC], [SHOW_PLEX, EP_PLEX], {})
    assert {lk.id for lk in free.links.values()} == {
        "10|plex://show/d",
        "11|plex://episode/e",
    }
    refused = match_local(
        [SHOW_SC, EP_SC], [SHOW_PLEX, EP_PLEX], {}, refused={("10", "plex://show/d")}
    )
    assert refused.links == {}
    assert [w.key for w in refused.unmatched_senscritique] == ["10", "11"]
    assert [w.key for w in refused.unmatched_plex] == [
        "plex://episode/e",
        "plex://show/d",
    ]
    # An episode pair refused alone: the series still links.
    one = match_local(
        [SHOW_SC, EP_SC], [SHOW_PLEX, EP_PLEX], {}, refused={("11", "plex://episode/e")}
    )
    assert set(one.links) == {"10|plex://show/d"}


def test_unlinking_a_series_drops_the_links_made_through_it() -> None:
    show = Link("10", "plex://show/d", Kind.SHOW, Provenance.LOCAL)
    episode = Link("11", "plex://episode/e", Kind.EPISODE, Provenance.PARENT)
    other = Link("21", "plex://episode/f", Kind.EPISODE, Provenance.PARENT)
    state = SyncState(links={lk.id: lk for lk in (show, episode, other)})
    # Known by either side's parent; a work missing from both reads stays.
    for sc_works, plex_works in (({"11": EP_SC}, {}), ({}, {EP_PLEX.key: EP_PLEX})):
        derived = derived_links(state, [show], sc_works, plex_works)
        assert derived == [episode.id]
        after = without_links(state, [show.id], derived=derived)
        assert set(after.links) == {other.id}
        assert after.unlinked == {("10", "plex://show/d")}
    assert derived_links(state, [show], {}, {}) == []
    assert derived_links(state, [HEAT], {"11": EP_SC}, {}) == []
