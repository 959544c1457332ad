"""The account's webhook URLs on plex.tv, through plexapi's `MyPlexAccount`
(``webhooks()``, ``addWebhook()``, ``deleteWebhook()``: GET/POST
``https://plex.tv/api/v2/user/webhooks``, Plex reference A5). Webhooks are a
Plex Pass feature: without it nothing is registered and PlexSync relies on
its scheduled syncs. Blocking: the HA layer runs these in the executor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .errors import RetryPolicy, plex_errors, with_retries


class PlexWebhooks:
    """Registration of one URL among the account's webhooks (others kept)."""

    def __init__(self, account: Callable[[], Any], retry: RetryPolicy) -> None:
        self._account = account  # the signed-in plexapi MyPlexAccount
        self._retry = retry

    def has_plex_pass(self) -> bool:
        """Whether the account's Plex Pass is active (read at sign-in)."""
        with plex_errors("reading the subscription"):
            return bool(self._account().subscriptionActive)

    def urls(self) -> list[str]:
        account = self._account()
        found = with_retries(account.webhooks, self._retry, "listing webhooks")
        return [str(url) for url in found]

    def add(self, url: str) -> bool:
        """Register `url` unless it is already; whether it was added."""
        if url in self.urls():
            return False
        with plex_errors("adding the webhook"):
            self._account().addWebhook(url)
        return True

    def remove(self, url: str) -> bool:
        """Unregister `url` if registered; whether it was removed."""
        if url not in self.urls():
            return False
        with plex_errors("removing the webhook"):
            self._account().deleteWebhook(url)
        return True
