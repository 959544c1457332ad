"""The one `requests.Session` a PlexClient hands to every plexapi object.

Its adapter does three things on every request, so nothing depends on
plexapi's globals or class attributes (two clients never leak into each other):
- rewrites the Plex service hosts (plex.tv, Discover, metadata, community)
  to replacement base URLs for development and tests (`ServiceHosts`);
- applies our timeout, whatever plexapi asked for (plexapi builds some
  servers with its 30 s default);
- turns HTTP 429 and 5xx into `HttpStatusError`, keeping the status and
  Retry-After that plexapi's own exceptions lose.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter

KNOWN_SERVICES = (
    "https://plex.tv",
    "https://clients.plex.tv",
    "https://metadata.provider.plex.tv",
    "https://discover.provider.plex.tv",
    "https://community.plex.tv",
)


@dataclass(frozen=True)
class ServiceHosts:
    """Real service base URL -> replacement base URL (scheme://host[:port])."""

    mapping: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for real, replacement in self.mapping.items():
            if real.rstrip("/") not in KNOWN_SERVICES:
                raise ValueError(f"not a Plex service base URL: {real!r}")
            parts = urlsplit(replacement)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ValueError(
                    f"replacement must be an http(s) base URL: {replacement!r}"
                )

    @classmethod
    def from_json(cls, text: str) -> ServiceHosts:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise ValueError(f"service hosts are not JSON: {err}") from err
        if not isinstance(data, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in data.items()
        ):
            raise ValueError("service hosts must be a JSON object of strings")
        return cls({k.rstrip("/"): v.rstrip("/") for k, v in data.items()})

    def to_json(self) -> str:
        return json.dumps(dict(self.mapping), sort_keys=True)

    def rewrite(self, url: str) -> str:
        """The URL to call instead of `url` (unchanged when not mapped)."""
        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}"
        replacement = self.mapping.get(base)
        if replacement is None:
            return url
        new = urlsplit(replacement)
        return urlunsplit(
            (new.scheme, new.netloc, parts.path, parts.query, parts.fragment)
        )


class HttpStatusError(requests.RequestException):
    """A 429 or 5xx answer, raised before plexapi flattens it into BadRequest."""

    def __init__(self, status: int, retry_after: float | None, url: str) -> None:
        super().__init__(f"HTTP {status} from {urlsplit(url).netloc}")
        self.status = status
        self.retry_after = retry_after


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After as seconds (delta-seconds or an HTTP date); None if absent/bad."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    from datetime import UTC, datetime

    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class PlexAdapter(HTTPAdapter):
    """Host mapping, fixed timeout and status capture; see the module docstring."""

    def __init__(self, hosts: ServiceHosts, timeout: float) -> None:
        super().__init__()
        self._hosts = hosts
        self._timeout = timeout

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, **kwargs: Any
    ) -> requests.Response:
        if request.url:
            request.url = self._hosts.rewrite(request.url)
        kwargs["timeout"] = self._timeout
        response = super().send(request, **kwargs)
        status = response.status_code
        if status == 429 or status >= 500:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            response.close()
            raise HttpStatusError(status, retry_after, request.url or "")
        return response


def build_session(hosts: ServiceHosts, timeout: float) -> requests.Session:
    """A session for one PlexClient; pass it to every plexapi constructor."""
    session = requests.Session()
    adapter = PlexAdapter(hosts, timeout)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session
