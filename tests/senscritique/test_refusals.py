"""Only SensCritique's own 401/403 is a refused sign-in: what each failing
answer means, as the transport hands it to `parse_body` and `result_data`."""

from __future__ import annotations

import json

import pytest

from custom_components.plexsync.engine.errors import (
    MalformedResponse,
    ServiceUnavailable,
    SyncServiceError,
)
from custom_components.plexsync.senscritique.failures import (
    TokenRefused,
    parse_body,
    result_data,
)

JSON = "application/json; charset=utf-8"
HTML = "text/html; charset=UTF-8"


def errors(message: str, code: str | None = None) -> str:
    entry: dict[str, object] = {"message": message}
    if code is not None:
        entry["extensions"] = {"code": code}
    return json.dumps({"data": None, "errors": [entry]})


INTERNAL = errors("Internal server error", "INTERNAL_SERVER_ERROR")
CHALLENGE = "<!DOCTYPE html><title>Just a moment...</title>"


def answer(status: int, content_type: str, text: str) -> None:
    result_data(status, parse_body(status, content_type, text))


@pytest.mark.parametrize(
    ("status", "content_type", "text", "expected"),
    [
        # The API's refusals: a sign-in matter.
        (200, JSON, errors("Unauthorized", "UNAUTHENTICATED"), TokenRefused),
        (200, JSON, errors("Forbidden resource", "FORBIDDEN"), TokenRefused),
        (401, JSON, errors("Unauthorized", "UNAUTHENTICATED"), TokenRefused),
        (401, JSON, json.dumps({"data": None}), TokenRefused),
        # Fails before the fix: a 401 whose message is not about signing in
        # was read as the server failing (retried for ever, no reauth).
        (401, JSON, INTERNAL, TokenRefused),
        (403, JSON, errors("Access denied"), TokenRefused),
        # Not the API refusing us: the service is unavailable (retried).
        (403, HTML, CHALLENGE, ServiceUnavailable),
        (403, "text/plain", "error code: 1020", ServiceUnavailable),
        (200, JSON, INTERNAL, ServiceUnavailable),
        (200, JSON, "", ServiceUnavailable),
        # Something we do not understand: nothing is written, no reauth.
        (404, JSON, json.dumps({"message": "Not Found"}), MalformedResponse),
        (200, JSON, errors("Something odd"), MalformedResponse),
    ],
)
def test_failing_answers_map_to_their_meaning(
    status: int, content_type: str, text: str, expected: type[SyncServiceError]
) -> None:
    with pytest.raises(SyncServiceError) as caught:
        answer(status, content_type, text)
    assert type(caught.value) is expected
