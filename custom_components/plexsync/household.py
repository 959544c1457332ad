"""Households: one entry per person.

A person is one pair: a Plex identity (an account, or one of its Plex Home
users, managed ones included) and a SensCritique user. Each side of a pair
belongs to at most one entry, so two entries never read or write the same
account: the config flow asks `entry_holding_*` as soon as it knows a side
and aborts naming the entry that holds it. Titles name both sides, so two
entries of one household never share a name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback

from .const import (
    CONF_PLEX_ACCOUNT_ID,
    CONF_PLEX_USER_ID,
    CONF_PLEX_USER_NAME,
    CONF_PLEX_USERNAME,
    CONF_SC_USER_ID,
    CONF_SC_USERNAME,
    DOMAIN,
)

# The title entries had before version 1.2 (config_flow then named the
# SensCritique user only).
_OLD_TITLE = "Plex ↔ SensCritique ({})"


def plex_user_id(data: Mapping[str, Any]) -> int:
    """The Plex identity whose data `data`'s entry syncs."""
    return int(data.get(CONF_PLEX_USER_ID, data[CONF_PLEX_ACCOUNT_ID]))


def is_home_user(data: Mapping[str, Any]) -> bool:
    """Does the entry sync one of the signed-in account's Home users (whose
    token comes from switching to them, again at each reauth)?"""
    return plex_user_id(data) != int(data[CONF_PLEX_ACCOUNT_ID])


def entry_title(plex_name: str, senscritique_name: str) -> str:
    return f"Plex: {plex_name} ↔ SensCritique: {senscritique_name}"


def pair_unique_id(plex_id: int, senscritique_id: int) -> str:
    """The entry's unique id; for an account's own data, the same as before
    Home users (account id, SensCritique user id)."""
    return f"{plex_id}_{senscritique_id}"


@callback
def entry_holding_plex(hass: HomeAssistant, user_id: int) -> ConfigEntry | None:
    """The entry that already syncs Plex identity `user_id`, if one does."""
    return _holding(hass, lambda data: plex_user_id(data) == user_id)


@callback
def entry_holding_senscritique(hass: HomeAssistant, user_id: int) -> ConfigEntry | None:
    """The entry that already syncs SensCritique user `user_id`, if one does."""
    return _holding(hass, lambda data: int(data[CONF_SC_USER_ID]) == user_id)


def _holding(
    hass: HomeAssistant, test: Callable[[Mapping[str, Any]], bool]
) -> ConfigEntry | None:
    for entry in hass.config_entries.async_entries(DOMAIN, include_ignore=False):
        # An entry of an older version not migrated yet still has both ids.
        if CONF_PLEX_ACCOUNT_ID in entry.data and test(entry.data):
            return entry
    return None


def migrated(entry: ConfigEntry) -> tuple[dict[str, Any], str]:
    """Data and title of a version 1.1 entry as 1.2 has them: the Plex
    identity named (the account's own), and the title naming both sides
    unless the user renamed the entry."""
    data = dict(entry.data)
    data.setdefault(CONF_PLEX_USER_ID, int(data[CONF_PLEX_ACCOUNT_ID]))
    data.setdefault(CONF_PLEX_USER_NAME, str(data[CONF_PLEX_USERNAME]))
    title = entry.title
    if title == _OLD_TITLE.format(data[CONF_SC_USERNAME]):
        title = entry_title(data[CONF_PLEX_USER_NAME], data[CONF_SC_USERNAME])
    return data, title
