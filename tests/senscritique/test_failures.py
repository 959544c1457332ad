"""How a SensCritique answer that is not a plain success is read: Retry-After
in both of its forms, GraphQL error arrays, and answers without data."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from custom_components.plexsync.engine.errors import (
    AuthError,
    MalformedResponse,
    NotFound,
    RateLimited,
    ServiceUnavailable,
    SyncServiceError,
)
from custom_components.plexsync.senscritique.failures import (
    error_from_graphql,
    parse_retry_after,
    result_data,
)

NOW = datetime(2015, 10, 21, 7, 28, tzinfo=UTC)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120.0),
        (" 2.5 ", 2.5),
        ("-5", 0.0),
        ("Wed, 21 Oct 2015 07:28:30 GMT", 30.0),  # an HTTP date: from now
        ("Wed, 21 Oct 2015 07:00:00 GMT", 0.0),  # already past: no wait
        ("Wed, 21 Oct 2015 07:28:30 -0000", None),  # a date without a zone
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_in_seconds_or_as_a_date(
    header: str | None, seconds: float | None
) -> None:
    assert parse_retry_after(header, NOW) == seconds


@pytest.mark.parametrize(
    ("errors", "expected", "text"),
    [
        ([{"message": "x", "extensions": {"code": "NOT_FOUND"}}], NotFound, "x"),
        ([{"message": "Produit introuvable"}], NotFound, "introuvable"),
        ([{"message": "x", "extensions": {"code": "TOO_MANY_REQUESTS"}}], RateLimited, "x"),
        ([{"message": "boom", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}], ServiceUnavailable, "boom"),
        ([{"message": "odd", "extensions": {"code": "SOMETHING_NEW"}}], MalformedResponse, "odd"),
        ([{"extensions": "not an object"}], MalformedResponse, "no message"),
        ([{"message": "Forbidden"}], AuthError, "Forbidden"),
    ],
)  # fmt: skip
def test_graphql_errors_map_to_typed_errors(
    errors: list[object], expected: type[SyncServiceError], text: str
) -> None:
    error = error_from_graphql(errors)
    assert isinstance(error, expected)
    assert text in str(error)


@pytest.mark.parametrize("errors", [[], {"message": "x"}, None, ["a sentence"]])
def test_an_errors_member_of_another_shape_is_malformed(errors: object) -> None:
    with pytest.raises(MalformedResponse, match="invalid"):
        error_from_graphql(errors)


def test_error_messages_never_carry_an_email_address() -> None:
    error = error_from_graphql([{"message": "No user jane.doe@example.org here"}])
    assert "jane.doe" not in str(error)


@pytest.mark.parametrize(
    ("status", "body", "expected", "text"),
    [
        (200, ["not", "an", "object"], MalformedResponse, "not an object"),
        (401, {"data": None}, AuthError, "HTTP 401"),
        (403, {}, AuthError, "HTTP 403"),
        (500, {"data": {"x": 1}}, MalformedResponse, "HTTP 500 without errors"),
        (200, {"data": None}, MalformedResponse, "without data"),
    ],
)
def test_answers_without_usable_data_raise(
    status: int, body: object, expected: type[SyncServiceError], text: str
) -> None:
    with pytest.raises(expected, match=text):
        result_data(status, body)


def test_a_refusal_status_wins_over_errors_which_win_over_the_status() -> None:
    not_found = {"errors": [{"message": "x", "extensions": {"code": "NOT_FOUND"}}]}
    with pytest.raises(AuthError):
        result_data(401, not_found)
    with pytest.raises(NotFound):
        result_data(500, not_found)
    assert result_data(200, {"data": {"me": None}}) == {"me": None}
