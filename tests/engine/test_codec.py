"""JSON round trips for state, plans and snapshots; clear errors on bad input."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings, strategies as st

from custom_components.plexsync.engine.codec import (
    plan_from_json,
    plan_to_json,
    snapshot_from_json,
    snapshot_to_json,
    state_from_json,
    state_to_json,
)
from custom_components.plexsync.engine.model import (
    Action,
    Agreed,
    Feature,
    Kind,
    Link,
    Pending,
    Provenance,
    Rating,
    SearchMiss,
    Side,
    Snapshot,
    SyncState,
    Watch,
    WatchlistEntry,
    Work,
)
from custom_components.plexsync.engine.plans import GuardKind, GuardReport, Op, Plan

from .conftest import ENGINE_SETTINGS

NOW = datetime(2024, 6, 1, 12, tzinfo=UTC)

keys = st.sampled_from(["1", "35310418", "plex://movie/5fc6", "a|b", "é"])
moments = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2100, 1, 1),
    timezones=st.just(UTC),
)
maybe = st.one_of(st.none(), moments)
texts = st.sampled_from(["", "Heat", "Le Fabuleux Destin d'Amélie Poulain", '"q"\n'])
values = st.integers(1, 10)
links = st.builds(
    Link,
    keys,
    keys,
    st.sampled_from(Kind),
    st.sampled_from(Provenance),
    st.floats(0, 1),
)
agreed = st.builds(
    Agreed,
    st.booleans(),
    st.one_of(st.none(), values),
    maybe,
    st.booleans(),
    maybe,
    maybe,
    maybe,
    st.one_of(st.none(), values),
    st.one_of(st.none(), values),
)
pending = st.builds(
    Pending, keys, st.sampled_from(Side), st.sampled_from(Action), moments,
    st.one_of(st.none(), values), maybe,
)  # fmt: skip
misses = st.builds(SearchMiss, st.sampled_from(Side), keys, st.integers(0, 9), moments)
states = st.builds(
    lambda ls, ag, pe, mi, al: SyncState(
        {link.id: link for link in ls}, ag, tuple(pe), mi, alone=al
    ),
    st.lists(links, max_size=2),
    st.dictionaries(keys, agreed, max_size=2),
    st.lists(pending, max_size=2),
    st.dictionaries(keys, misses, max_size=2),
    st.frozensets(st.tuples(st.sampled_from(Side), keys), max_size=2),
)
works = st.builds(
    Work,
    keys,
    st.sampled_from(Kind),
    texts,
    st.one_of(st.none(), texts),
    st.one_of(st.none(), st.integers(1900, 2030)),
    st.one_of(st.none(), keys),
    st.one_of(st.none(), st.integers(0, 30)),
    st.one_of(st.none(), st.integers(0, 30)),
    st.lists(keys, max_size=2).map(tuple),
    st.one_of(st.none(), keys),
)
snapshots = st.builds(
    Snapshot.build,
    st.sampled_from(Side),
    st.lists(works, max_size=2),
    st.lists(st.builds(WatchlistEntry, keys, maybe), max_size=2),
    st.lists(st.builds(Rating, keys, values, maybe, maybe), max_size=2),
    st.lists(st.builds(Watch, keys, maybe), max_size=2),
)
ops = st.builds(
    Op, st.sampled_from(Side), st.sampled_from(Action), keys, keys, texts,
    st.one_of(st.none(), values), maybe,
    at_shown_on=st.frozensets(st.sampled_from(Side)),
)  # fmt: skip
plans = st.builds(
    lambda o, h, g, s, r, a: Plan(tuple(o), tuple(h), tuple(g), s, tuple(r), tuple(a)),
    st.lists(ops, max_size=2),
    st.lists(ops, max_size=2),
    st.lists(
        st.builds(
            GuardReport,
            st.sampled_from(GuardKind),
            st.sampled_from(Side),
            st.sampled_from(Feature),
            st.integers(0, 99),
            st.integers(0, 99),
        ),
        max_size=2,
    ),
    st.dictionaries(keys, agreed, max_size=2),
    st.lists(pending, max_size=2),
    st.lists(pending, max_size=2),
)


def _through_text(data: dict[str, object]) -> dict[str, object]:
    decoded: dict[str, object] = json.loads(json.dumps(data))
    return decoded


@settings(ENGINE_SETTINGS)
@given(states, snapshots, plans)
def test_codec_round_trips(state: SyncState, snapshot: Snapshot, plan: Plan) -> None:
    assert state_from_json(_through_text(state_to_json(state))) == state
    assert snapshot_from_json(_through_text(snapshot_to_json(snapshot))) == snapshot
    assert plan_from_json(_through_text(plan_to_json(plan))) == plan


def test_state_of_another_version_is_refused_clearly() -> None:
    data = state_to_json(SyncState())
    for version in (None, 0, 2, "1"):
        with pytest.raises(ValueError, match=r"sync state version .* is not supported"):
            state_from_json({**data, "version": version})


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"links": [{"plex": "p", "kind": "movie"}]}, "links\\[0\\]: missing field 'senscritique'"),
        ({"agreed": {"x": {"rating": 11}}}, "outside 1..10"),
        ({"agreed": {"x": {"rating": True}}}, "wrong type"),
        ({"agreed": {"x": {"plex_rating_overruled": 0}}}, "'plex_rating_overruled' is outside"),
        ({"agreed": {"x": {"watched_at": "2024-01-01T00:00:00"}}}, "no time zone"),
        ({"agreed": {"x": {"watched_at": "yesterday"}}}, "not an ISO 8601 date"),
        ({"pending": [{"link": "x", "side": "netflix", "action": "add_watchlist",
                       "since": "2024-01-01T00:00:00+00:00"}]}, "unknown value"),
        ({"misses": []}, "wrong type"),
        ({"misses": {"k": {"side": "plex", "key": "k", "attempts": 1}}}, "misses\\['k'\\]: missing field 'retry_at'"),
        ({"agreed": {"x": "watched"}}, "agreed\\['x'\\]: expected an object"),
    ],
)  # fmt: skip
def test_malformed_state_raises_value_error_naming_the_field(
    patch: dict[str, object], message: str
) -> None:
    data = {**state_to_json(SyncState()), **patch}
    with pytest.raises(ValueError, match=message):
        state_from_json(data)


def test_malformed_snapshot_raises_value_error() -> None:
    with pytest.raises(ValueError, match="snapshot version"):
        snapshot_from_json({"side": "plex"})
    good = snapshot_to_json(Snapshot(Side.PLEX))
    with pytest.raises(ValueError, match=r"ratings\[0\]: missing field 'value'"):
        snapshot_from_json({**good, "ratings": [{"key": "k"}]})
    with pytest.raises(ValueError, match=r"ratings\[0\]: field 'value' is outside"):
        snapshot_from_json({**good, "ratings": [{"key": "k", "value": 0}]})
    work = {"key": "k", "kind": "movie", "title": "Heat", "guids": ["imdb://tt1", 7]}
    with pytest.raises(ValueError, match=r"works\[0\]: field 'guids' must hold"):
        snapshot_from_json({**good, "works": [work]})
    with pytest.raises(ValueError, match="must be a JSON object"):
        state_from_json([])  # type: ignore[arg-type]


def test_datetimes_come_back_in_utc() -> None:
    data = snapshot_to_json(Snapshot(Side.PLEX))
    data["watched"] = [{"key": "k", "watched_at": "2024-03-01T10:00:00+02:00"}]
    watched = snapshot_from_json(data).watched["k"].watched_at
    assert watched == datetime(2024, 3, 1, 8, tzinfo=UTC)
    assert watched is not None
    assert watched.tzinfo is UTC


def test_plan_awaiting_is_serialised_and_optional_in_older_plans() -> None:
    entry = Pending("1|plex://movie/a", Side.SENSCRITIQUE, Action.ADD_WATCHLIST, NOW)
    data = plan_to_json(Plan(awaiting=(entry,)))
    assert data["awaiting"] == [
        {
            "link": "1|plex://movie/a",
            "side": "senscritique",
            "action": "add_watchlist",
            "since": NOW.isoformat(),
        }
    ]
    older = {key: value for key, value in data.items() if key != "awaiting"}
    assert plan_from_json(older).awaiting == ()
    with pytest.raises(ValueError, match=r"awaiting\[0\]: missing field 'since'"):
        plan_from_json({**data, "awaiting": [{"link": "x"}]})
    with pytest.raises(ValueError, match="'awaiting' has the wrong type"):
        plan_from_json({**data, "awaiting": {}})


def test_op_at_shown_on_is_serialised_and_optional_in_older_plans() -> None:
    """The sides that show a watch's date once written travel with the Op
    (a run's journal folds them into the base after a restart); an Op saved
    before they existed has none, and a side that does not exist is refused."""
    op = Op(
        Side.SENSCRITIQUE,
        Action.MARK_WATCHED,
        "1",
        "1|plex://movie/a",
        "Marked watched.",
        at=NOW,
        at_shown_on=frozenset(Side),
    )
    data = plan_to_json(Plan(ops=(op,)))
    assert data["ops"][0]["at_shown_on"] == ["plex", "senscritique"]
    assert plan_from_json(_through_text(data)).ops == (op,)
    del data["ops"][0]["at_shown_on"]
    assert plan_from_json(data).ops[0].at_shown_on == frozenset()
    data["ops"][0]["at_shown_on"] = ["netflix"]
    with pytest.raises(ValueError, match=r"ops\[0\]: field 'at_shown_on' has an"):
        plan_from_json(data)
