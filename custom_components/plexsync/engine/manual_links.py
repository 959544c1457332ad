"""The user's say on links: manual links, and unlinks that are remembered.

Pure functions over `SyncState`. A manual link never replaces another link
silently: `conflicts` names the links in its way, and the caller refuses
until they are unlinked. Unlinking forgets a link's base and pending writes
and remembers its pair, so no automatic link (local match, search, to-do
list) joins it again; linking the same pair by hand forgets that memory.
Unlinking a series also drops the season and episode links made through it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from .model import Kind, Link, Provenance, SyncState, Work


def pair(link: Link) -> tuple[str, str]:
    """The (SensCritique key, Plex key) a link joins."""
    return link.senscritique, link.plex


def may_link(state: SyncState, link: Link) -> bool:
    """Whether an automatic `link` may be added: neither of its keys is
    linked yet, and the user did not unlink the pair."""
    if pair(link) in state.unlinked:
        return False
    return not any(
        other.plex == link.plex or other.senscritique == link.senscritique
        for other in state.links.values()
    )


def conflicts(state: SyncState, link: Link) -> tuple[Link, ...]:
    """The links joining either key of `link` to another work (by id)."""
    found = (
        other
        for other in state.links.values()
        if other.id != link.id
        and (other.senscritique == link.senscritique or other.plex == link.plex)
    )
    return tuple(sorted(found, key=lambda other: other.id))


def with_manual_link(state: SyncState, link: Link) -> SyncState:
    """`state` with `link` as a manual link, its pair no longer unlinked.

    The same pair linked automatically before keeps what both sides agreed
    on; only its provenance changes. Raises ValueError when another link
    holds either key (see `conflicts`): nothing is replaced silently.
    """
    if link.provenance is not Provenance.MANUAL:
        raise ValueError(f"{link.id} is not a manual link")
    if in_the_way := conflicts(state, link):
        raise ValueError(f"{link.id} conflicts with {in_the_way[0].id}")
    return replace(
        state,
        links={**state.links, link.id: link},
        unlinked=state.unlinked - {pair(link)},
    )


def derived_links(
    state: SyncState,
    series: Iterable[Link],
    senscritique: Mapping[str, Work],
    plex: Mapping[str, Work],
) -> list[str]:
    """Ids of the season and episode links made through these series links,
    as far as `senscritique` and `plex` (works by key) know their parents."""
    shows = [link for link in series if link.kind is Kind.SHOW]
    sc_series = {link.senscritique for link in shows}
    plex_series = {link.plex for link in shows}
    found: list[str] = []
    for link_id, link in state.links.items():
        if link.provenance is not Provenance.PARENT:
            continue
        sc_work = senscritique.get(link.senscritique)
        plex_work = plex.get(link.plex)
        if (sc_work is not None and sc_work.parent in sc_series) or (
            plex_work is not None and plex_work.parent in plex_series
        ):
            found.append(link_id)
    return found


def without_links(
    state: SyncState, link_ids: Iterable[str], *, derived: Iterable[str] = ()
) -> SyncState:
    """`state` without these links, their base and pending writes; their
    pairs are remembered as unlinked. The `derived` links (a series' seasons
    and episodes) go too, unremembered: a new series link brings them back."""
    unlinked = {link_id: state.links[link_id] for link_id in link_ids}
    gone = set(unlinked) | set(derived)
    return replace(
        state,
        links={k: v for k, v in state.links.items() if k not in gone},
        agreed={k: v for k, v in state.agreed.items() if k not in gone},
        pending=tuple(p for p in state.pending if p.link not in gone),
        unlinked=state.unlinked | {pair(link) for link in unlinked.values()},
    )
