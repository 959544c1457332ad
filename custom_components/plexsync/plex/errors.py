"""Maps what plexapi and requests raise onto engine/errors.py, and retries reads.

plexapi has no status attribute on its exceptions and drops Retry-After; the
session adapter raises `HttpStatusError` for 429/5xx first, and otherwise the
status is parsed from plexapi's message "(<status>) <codename>; <url> ...".
Messages we build never quote plexapi's text (it carries URLs).

Connecting to a Plex Media Server (`MyPlexResource.connect`) tries each of its
addresses and swallows every failure, then raises `NotFound("Unable to connect
to resource: ...")`: the server is unreachable, not missing. Whatever refused
each address is lost (a 401 from the server too); the server's access token
comes from plex.tv, which has just accepted the account's, so signing in again
would not help there either.
"""

from __future__ import annotations

import json
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import requests
from plexapi import exceptions as plex_exceptions

from ..engine.errors import (
    AuthError,
    MalformedResponse,
    NotFound,
    RateLimited,
    ServiceUnavailable,
    SyncServiceError,
)
from ..engine.model import Side
from .session import HttpStatusError

STATUS_IN_MESSAGE = re.compile(r"^\((\d{3})\)")
UNREACHABLE_MESSAGE = "Unable to connect to "


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Bounded retries of reads on 5xx, timeouts and connection failures."""

    retries: int = 3
    backoff: float = 0.5  # seconds, doubled each attempt


def _status_of(err: Exception) -> int | None:
    match = STATUS_IN_MESSAGE.match(str(err))
    return int(match[1]) if match else None


def translate(err: Exception, what: str) -> SyncServiceError:
    """The engine error for `err`, raised while doing `what`."""
    side = Side.PLEX
    if isinstance(err, SyncServiceError):
        return err
    if isinstance(err, HttpStatusError):
        if err.status == 429:
            return RateLimited(side, f"Plex rate limit while {what}", err.retry_after)
        return ServiceUnavailable(side, f"Plex answered {err.status} while {what}")
    if isinstance(err, plex_exceptions.Unauthorized):
        return AuthError(side, f"Plex refused the sign-in while {what}")
    if isinstance(err, plex_exceptions.NotFound):
        if str(err).startswith(UNREACHABLE_MESSAGE):
            return ServiceUnavailable(side, f"Plex could not be reached while {what}")
        return NotFound(side, f"Plex found nothing while {what}")
    if isinstance(err, plex_exceptions.BadRequest):
        status = _status_of(err)
        if status == 429:
            return RateLimited(side, f"Plex rate limit while {what}", None)
        if status is not None and status >= 500:
            return ServiceUnavailable(side, f"Plex answered {status} while {what}")
        suffix = f" ({status})" if status else ""
        return SyncServiceError(side, f"Plex rejected the request{suffix} while {what}")
    if isinstance(err, ET.ParseError | json.JSONDecodeError | UnicodeDecodeError):
        # before RequestException: requests' JSONDecodeError is both
        return MalformedResponse(side, f"Plex sent an unreadable answer while {what}")
    if isinstance(err, requests.Timeout):
        return ServiceUnavailable(side, f"Plex timed out while {what}")
    if isinstance(err, requests.ConnectionError):
        return ServiceUnavailable(side, f"Plex could not be reached while {what}")
    if isinstance(err, requests.RequestException):
        return ServiceUnavailable(side, f"Plex request failed while {what}")
    # plexapi crashes on odd payloads with these (e.g. a cast of a bad value).
    return MalformedResponse(side, f"Plex sent an unexpected answer while {what}")


TRANSLATED = (
    plex_exceptions.PlexApiException,
    requests.RequestException,
    ET.ParseError,
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
)


@contextmanager
def plex_errors(what: str) -> Iterator[None]:
    """Re-raises anything plexapi/requests/parsing raise as an engine error."""
    try:
        yield
    except SyncServiceError:
        raise
    except TRANSLATED as err:
        raise translate(err, what) from err


def with_retries[T](
    call: Callable[[], T],
    policy: RetryPolicy,
    what: str,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Runs a READ, retrying ServiceUnavailable with exponential backoff."""
    attempt = 0
    while True:
        try:
            with plex_errors(what):
                return call()
        except ServiceUnavailable:
            if attempt >= policy.retries:
                raise
            sleep(policy.backoff * (2**attempt))
            attempt += 1
