"""Every example of the SensCritique reference, read by the client's decoding.

The fixtures are copies of shared/reference/senscritique/fixtures/; each has a
checker below, and a test makes sure none is left without one.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from custom_components.plexsync.engine.errors import AuthError, RateLimited
from custom_components.plexsync.engine.model import Kind
from custom_components.plexsync.senscritique.decode import (
    decode_collection,
    decode_library,
    decode_me,
    decode_product_answer,
    decode_product_list,
    decode_search,
    decode_sign_in,
    decode_user_lookup,
    decode_user_state,
    decode_wish_dates,
    write_outcome,
)
from custom_components.plexsync.senscritique.failures import (
    QueryRejected,
    TokenRefused,
    error_from_graphql,
    parse_retry_after,
    result_data,
)
from custom_components.plexsync.senscritique.library import build_snapshot

FIXTURES = Path(__file__).with_name("fixtures")
NOW = datetime(2025, 1, 1, tzinfo=UTC)


def load(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def data_of(name: str) -> Mapping[str, object]:
    response = load(name)["response"]
    return result_data(response["status"], response["body"])


def check_login() -> None:
    signed = decode_sign_in(data_of("login.json"))
    assert signed is not None
    assert (signed.user.id, signed.user.username) == (4815162, "cinephile_demo")
    assert signed.token == "b3f1c2d4e5a6478899aabbccddeeff00"
    assert signed.expires_at == datetime(2026, 3, 1, 10, 15, tzinfo=UTC)
    assert "b3f1c2d4" not in repr(signed)


def check_error_login() -> None:
    with pytest.raises(QueryRejected) as caught:
        data_of("error_login.json")
    assert (
        "BAD_USER_INPUT" in caught.value.codes
    )  # the client turns this into AuthError


def check_me() -> None:
    user = decode_me(data_of("me.json"))
    assert user is not None
    assert user.username == "cinephile_demo"


def check_collection_page() -> None:
    data = data_of("collection_page.json")
    user = data["user"]
    assert isinstance(user, dict)
    page = decode_collection(user["collection"], "user.collection")
    assert page.total == 2
    snap = build_snapshot({"done": page.products})
    assert snap.works["35310418"].original_title == "Gisaengchung"
    assert snap.works["44120397"].original_title is None
    assert snap.ratings["35310418"].watched_at == datetime(
        2024, 11, 3, 20, 41, 12, tzinfo=UTC
    )
    assert snap.watched["44120397"].watched_at is None  # isDone with dateDone null
    episode = snap.works["44120453"]
    assert (episode.kind, episode.parent, episode.season, episode.episode) == (
        Kind.EPISODE,
        "44120397",
        1,
        2,
    )
    assert "44120453" in snap.watched
    assert "44120453" not in snap.ratings
    assert "52870016" in snap.works
    assert "52870016" not in snap.watched


def check_user_not_found() -> None:
    data = data_of("user_not_found.json")
    assert decode_user_lookup(data) is None
    assert decode_library(data, ("wish",)).user is None


def check_product_tvshow() -> None:
    product = decode_product_answer(data_of("product_tvshow.json"))
    assert product is not None
    assert product.item is not None
    assert product.item.work.kind is Kind.SHOW
    assert product.item.state is not None
    assert product.item.state.rating == 8
    seasons = [d for d in product.nested if d.work.kind is Kind.SEASON]
    episodes = [d for d in product.nested if d.work.kind is Kind.EPISODE]
    assert [s.work.season for s in seasons] == [1, 2]
    assert [(e.work.season, e.work.episode) for e in episodes] == [
        (1, 1),
        (1, 2),
        (2, 1),
    ]
    assert episodes[0].state is not None
    assert episodes[0].state.rating == 7


def check_wishes_public() -> None:
    data = data_of("wishes_public.json")
    user = data["user"]
    assert isinstance(user, dict)
    page = decode_collection(user["collection"], "user.collection")
    snap = build_snapshot({"wish": page.products})
    assert set(snap.watchlist) == {"48173251", "46589213"}
    assert snap.works["48173251"].title == "Dune : Deuxième partie"


def check_wishes_legacy() -> None:
    user = data_of("wishes_legacy.json")["user"]
    assert isinstance(user, dict)
    [dune] = decode_product_list(user["wishes"], "user.wishes")
    assert (dune.key, dune.original_title, dune.year) == (
        "48173251",
        "Dune: Part Two",
        2024,
    )


def check_feed_wish_date() -> None:
    assert decode_wish_dates(data_of("feed_wish_date.json")) == {
        "48173251": datetime(2024, 12, 12, 17, 45, 3, tzinfo=UTC)
    }


def check_search_autocomplete() -> None:
    works = decode_search(data_of("search_autocomplete.json"))
    assert [(w.key, w.year) for w in works] == [("35310418", 2019), ("381992", 1982)]
    assert works[1].original_title is None  # equal to the title


def check_search_explorer() -> None:
    result = data_of("search_explorer.json")["searchProductExplorer"]
    assert isinstance(result, dict)
    [show] = decode_product_list(result["items"], "items")
    assert (show.kind, show.title) == (Kind.SHOW, "Severance")


def mutation_checker(name: str, field: str) -> Callable[[], None]:
    def check() -> None:
        assert write_outcome(data_of(name), field) is True

    return check


def check_product_rate() -> None:
    data = data_of("mutation_product_rate.json")
    assert write_outcome(data, "productRate") is True
    state = decode_user_state(data, "productRate")
    assert state is not None
    assert (state.rating, state.done) == (8, True)


def check_error_unauthenticated() -> None:
    with pytest.raises(TokenRefused) as caught:
        data_of("error_unauthenticated.json")
    assert isinstance(caught.value, AuthError)


def check_error_rate_limited() -> None:
    response = load("error_rate_limited.json")["response"]
    assert response["status"] == 429
    assert parse_retry_after(response["headers"]["Retry-After"], NOW) == 30.0
    error = error_from_graphql(response["body"]["errors"])
    assert isinstance(error, RateLimited)


def check_error_validation() -> None:
    with pytest.raises(QueryRejected) as caught:
        data_of("error_validation.json")
    assert caught.value.lacks_field("imdbId")
    assert not caught.value.lacks_field("productDone")
    assert not caught.value.only_variables_missing


def check_batch_request() -> None:
    response = load("batch_request.json")["response"]
    states = []
    for answer in response["body"]:
        state = decode_user_state(result_data(200, answer), "product")
        assert state is not None
        states.append((state.rating, state.done, state.wished))
    assert states == [(9, True, False), (None, False, True)]


CHECKERS: dict[str, Callable[[], None]] = {
    "login.json": check_login,
    "error_login.json": check_error_login,
    "me.json": check_me,
    "collection_page.json": check_collection_page,
    "user_not_found.json": check_user_not_found,
    "product_tvshow.json": check_product_tvshow,
    "wishes_public.json": check_wishes_public,
    "wishes_legacy.json": check_wishes_legacy,
    "feed_wish_date.json": check_feed_wish_date,
    "search_autocomplete.json": check_search_autocomplete,
    "search_explorer.json": check_search_explorer,
    "mutation_product_wish.json": mutation_checker(
        "mutation_product_wish.json", "productWish"
    ),
    "mutation_product_unwish.json": mutation_checker(
        "mutation_product_unwish.json", "productUnwish"
    ),
    "mutation_product_unrate.json": mutation_checker(
        "mutation_product_unrate.json", "productUnrate"
    ),
    "mutation_set_date_done.json": mutation_checker(
        "mutation_set_date_done.json", "setDateDone"
    ),
    "mutation_product_rate.json": check_product_rate,
    "mutation_product_done.json": mutation_checker(
        "mutation_product_done.json", "productDone"
    ),
    "mutation_product_undone.json": mutation_checker(
        "mutation_product_undone.json", "productUndone"
    ),
    "error_unauthenticated.json": check_error_unauthenticated,
    "error_rate_limited.json": check_error_rate_limited,
    "error_validation.json": check_error_validation,
    "batch_request.json": check_batch_request,
}


def test_every_fixture_has_a_checker() -> None:
    assert {p.name for p in FIXTURES.glob("*.json")} == set(CHECKERS)


@pytest.mark.parametrize("name", sorted(CHECKERS))
def test_fixture_is_decoded(name: str) -> None:
    CHECKERS[name]()
