"""What a SensCritique answer means when it is not a plain success.

Pure functions from (HTTP status, headers, body) to the engine's typed errors,
so every caller maps failures the same way and the fixtures of the reference
can be checked without a network. Conventions follow the reference (§9, §11):
HTTP 200 with an ``errors`` array for GraphQL outcomes, HTTP 400 for documents
the server refuses to run, 429 with ``Retry-After`` when throttled, and
Cloudflare HTML pages in front of the service.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime
from email.utils import parsedate_to_datetime

from ..engine.errors import (
    AuthError,
    MalformedResponse,
    NotFound,
    RateLimited,
    ServiceUnavailable,
    SyncServiceError,
)
from ..engine.model import Side

SIDE = Side.SENSCRITIQUE

_AUTH_CODES = frozenset({"UNAUTHENTICATED", "FORBIDDEN"})
_AUTH_MESSAGE = re.compile(r"unauthori[sz]ed|forbidden|not authenticated", re.I)
_REJECTED_CODES = frozenset(
    {"GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED", "BAD_USER_INPUT"}
)
# graphql-js (Apollo) quotes names with ", graphql-core with ': accept both.
_REJECTED_MESSAGE = re.compile(
    r"^(Cannot query field|Unknown argument|Unknown type|Variable [\"']\$|Field [\"']|Syntax Error)"
)
_VARIABLE_MESSAGE = re.compile(r"^Variable [\"']\$")
_NOT_FOUND_MESSAGE = re.compile(r"not found|introuvable|does not exist", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_MAX_MESSAGE = 200


class TokenRefused(AuthError):
    """The session token was refused or has expired; signing in again may help."""


class QueryRejected(MalformedResponse):
    """SensCritique refused to run our document (validation or variable errors).

    Nothing was executed. `messages` are the server's own sentences; they tell a
    missing field ("Cannot query field") from a wrong shape or a missing variable.
    """

    def __init__(self, message: str, messages: tuple[str, ...], codes: frozenset[str]):
        super().__init__(SIDE, message)
        self.messages = messages
        self.codes = codes

    def lacks_field(self, field: str) -> bool:
        """The schema has no such field (the capability is absent)."""
        pattern = re.compile(rf"^Cannot query field [\"']{re.escape(field)}[\"']")
        return any(pattern.match(m) for m in self.messages)

    @property
    def only_variables_missing(self) -> bool:
        """Every complaint is about a variable value: the document itself is valid."""
        return bool(self.messages) and all(
            _VARIABLE_MESSAGE.match(m) for m in self.messages
        )


def scrub(text: str) -> str:
    """A server sentence safe to show and log: no e-mail address, bounded length."""
    return _EMAIL.sub("<email>", text)[:_MAX_MESSAGE]


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or HTTP date)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - now).total_seconds())


def parse_body(status: int, content_type: str, text: str) -> object:
    """JSON body of an answer; non-JSON bodies become typed errors.

    An HTML page (Cloudflare challenge or error page) or an empty body is the
    service being unavailable to us right now; anything else that does not
    parse is a payload we do not understand.
    """
    stripped = text.lstrip()
    if not stripped:
        raise ServiceUnavailable(
            SIDE, f"SensCritique sent an empty answer (HTTP {status})"
        )
    if "html" in content_type.lower() or stripped.startswith("<"):
        raise ServiceUnavailable(
            SIDE, f"SensCritique sent a web page instead of data (HTTP {status})"
        )
    try:
        return json.loads(text)
    except ValueError:
        if status >= 400:
            raise ServiceUnavailable(
                SIDE, f"SensCritique sent an unreadable error (HTTP {status})"
            ) from None
        raise MalformedResponse(
            SIDE, "SensCritique sent a body that is not JSON"
        ) from None


def _error_entries(errors: object) -> list[tuple[str, str | None]]:
    if not isinstance(errors, list) or not errors:
        raise MalformedResponse(SIDE, "SensCritique sent an invalid 'errors' member")
    entries: list[tuple[str, str | None]] = []
    for item in errors:
        if not isinstance(item, Mapping):
            raise MalformedResponse(SIDE, "SensCritique sent an invalid error entry")
        message = item.get("message")
        extensions = item.get("extensions")
        code = extensions.get("code") if isinstance(extensions, Mapping) else None
        entries.append(
            (
                message if isinstance(message, str) else "",
                code if isinstance(code, str) else None,
            )
        )
    return entries


def error_from_graphql(errors: object) -> SyncServiceError:
    """The typed error an ``errors`` array stands for (first matching rule wins)."""
    entries = _error_entries(errors)
    codes = frozenset(code for _, code in entries if code)
    messages = tuple(scrub(message) for message, _ in entries)
    summary = "; ".join(m for m in messages if m) or "no message"
    if codes & _AUTH_CODES or any(_AUTH_MESSAGE.search(m) for m in messages):
        return TokenRefused(SIDE, f"SensCritique refused the sign-in: {summary}")
    if codes & _REJECTED_CODES or any(_REJECTED_MESSAGE.match(m) for m in messages):
        return QueryRejected(
            f"SensCritique rejected the request: {summary}", messages, codes
        )
    if "NOT_FOUND" in codes or any(_NOT_FOUND_MESSAGE.search(m) for m in messages):
        return NotFound(SIDE, f"SensCritique: {summary}")
    if "TOO_MANY_REQUESTS" in codes or any("too many" in m.lower() for m in messages):
        return RateLimited(SIDE, f"SensCritique: {summary}", None)
    if codes & {"INTERNAL_SERVER_ERROR", "SERVICE_UNAVAILABLE"}:
        return ServiceUnavailable(SIDE, f"SensCritique failed: {summary}")
    return MalformedResponse(SIDE, f"SensCritique answered with an error: {summary}")


def result_data(status: int, body: object) -> Mapping[str, object]:
    """The ``data`` member of a single GraphQL answer, or the error it carries."""
    if not isinstance(body, Mapping):
        raise MalformedResponse(
            SIDE, "SensCritique sent an answer that is not an object"
        )
    if status in (401, 403):
        # A JSON answer with these statuses is the API's own refusal, whatever
        # its message says; Cloudflare's 403 pages are HTML (parse_body).
        raise TokenRefused(SIDE, f"SensCritique refused the sign-in (HTTP {status})")
    if body.get("errors") is not None:
        raise error_from_graphql(body.get("errors"))
    if status != 200:
        raise MalformedResponse(
            SIDE, f"SensCritique answered HTTP {status} without errors"
        )
    data = body.get("data")
    if not isinstance(data, Mapping):
        raise MalformedResponse(SIDE, "SensCritique sent an answer without data")
    return data
