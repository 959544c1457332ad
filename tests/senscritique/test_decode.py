"""Decoding never fails with anything but MalformedResponse."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping

import pytest
from hypothesis import given, settings, strategies as st

from custom_components.plexsync.engine.errors import (
    MalformedResponse,
    ServiceUnavailable,
    SyncServiceError,
)
from custom_components.plexsync.senscritique import decode, products
from custom_components.plexsync.senscritique.failures import (
    error_from_graphql,
    parse_body,
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 10**9) | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "user",
                    "id",
                    "username",
                    "collection",
                    "total",
                    "products",
                    "universe",
                    "title",
                    "seasons",
                    "episodes",
                    "otherUserInfos",
                    "rating",
                    "dateDone",
                    "isDone",
                    "searchAutocomplete",
                    "items",
                    "product",
                    "wish",
                    "feed",
                ]
            ),
            children,
            max_size=6,
        )
    ),
    max_leaves=30,
)

DECODERS: list[Callable[[Mapping[str, object]], object]] = [
    lambda d: decode.decode_library(d, ("wish", "rating", "done")),
    decode.decode_search,
    decode.decode_sign_in,
    decode.decode_user_lookup,
    decode.decode_product_answer,
    decode.decode_wish_dates,
    lambda d: decode.write_outcome(d, "product"),
]


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "user",
                "product",
                "feed",
                "searchAutocomplete",
                "signInWithEmailAndPassword",
            ]
        ),
        json_values,
    )
)
def test_random_payloads_only_raise_malformed(data: dict[str, object]) -> None:
    for decoder in DECODERS:
        with contextlib.suppress(MalformedResponse):
            decoder(data)


@pytest.mark.parametrize(
    ("payload", "where"),
    [
        (
            {
                "user": {
                    "id": 1,
                    "username": "u",
                    "wish": {"total": "3", "products": []},
                }
            },
            "total",
        ),
        ({"user": {"id": 1, "username": "u", "wish": None}}, "user.wish"),
    ],
)
def test_a_bad_envelope_fails_naming_its_path(
    payload: dict[str, object], where: str
) -> None:
    with pytest.raises(MalformedResponse, match=where):
        decode.decode_library(payload, ("wish",))


@pytest.mark.parametrize(
    ("product", "where", "ids"),
    [
        ({"id": True}, "id", ["7"]),
        (
            {"id": 5, "universe": 1, "otherUserInfos": {"rating": 11}},
            "outside 1..10",
            ["5", "7"],
        ),
        (
            {"id": 5, "universe": 1, "otherUserInfos": {"dateDone": "hier"}},
            "ISO-8601",
            ["5", "7"],
        ),
        (
            {"id": 6, "universe": 4, "episodeNumber": 2, "title": "Orphan"},
            "without its series",
            ["6", "7"],
        ),
        ("not an object", "not an object", ["7"]),
    ],
)
def test_a_bad_item_is_skipped_and_counted_naming_its_path(
    product: object, where: str, ids: list[str]
) -> None:
    """One unreadable product never fails its list: it is skipped with its
    reason, and still counts for paging (as a bare id when its id reads)."""
    good = {"id": 7, "universe": 1, "title": "Heat", "yearOfProduction": 1995}
    wish = {"total": 2, "products": [product, good]}
    page = decode.decode_library(
        {"user": {"id": 1, "username": "u", "wish": wish}}, ("wish",)
    ).lists["wish"]
    [reason] = page.skipped
    assert where in reason
    assert "products[0]" in reason
    assert [p.id for p in page.products] == ids
    assert page.unnamed == 2 - len(ids)
    assert [p.item.work.title for p in page.products if p.item] == ["Heat"]


def test_legacy_french_release_date_gives_the_year() -> None:
    decoded = products.decode_work(
        {"id": 7, "universe": 1, "title": "X", "release_date": "21 mars 2024"}, "p"
    )
    assert decoded is not None
    assert decoded.work.year == 2024


def test_naive_dates_are_read_as_utc() -> None:
    decoded = products.decode_work(
        {
            "id": 7,
            "universe": 1,
            "title": "X",
            "otherUserInfos": {"isDone": True, "dateDone": "2024-11-03T20:41:12"},
        },
        "p",
    )
    assert decoded is not None
    assert decoded.state is not None
    assert decoded.state.done_at is not None
    assert decoded.state.done_at.utcoffset() is not None


def test_error_messages_never_carry_email_addresses() -> None:
    error = error_from_graphql([{"message": "No account for jane.doe@example.org"}])
    assert "jane.doe" not in str(error)


@pytest.mark.parametrize(
    ("status", "ctype", "text", "kind"),
    [
        (200, "application/json", "", ServiceUnavailable),
        (503, "text/html", "<html>", ServiceUnavailable),
        (200, "application/json", "{oops", MalformedResponse),
        (400, "text/plain", "bad gateway", ServiceUnavailable),
    ],
)
def test_unreadable_bodies(
    status: int, ctype: str, text: str, kind: type[SyncServiceError]
) -> None:
    with pytest.raises(SyncServiceError) as caught:
        parse_body(status, ctype, text)
    assert type(caught.value) is kind
