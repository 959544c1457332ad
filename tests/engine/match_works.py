"""Works of either side as the matching tests build them."""

from __future__ import annotations

from datetime import UTC, datetime

from custom_components.plexsync.engine.model import Kind, Link, Side, Work

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def sc(
    key: str,
    title: str,
    original: str | None = None,
    year: int | None = None,
    kind: Kind = Kind.MOVIE,
) -> Work:
    return Work(key, kind, title, original, year, side=Side.SENSCRITIQUE)


def px(
    key: str,
    title: str,
    original: str | None = None,
    year: int | None = None,
    *,
    kind: Kind = Kind.MOVIE,
    guids: tuple[str, ...] = (),
) -> Work:
    return Work(
        f"plex://{kind.value}/{key}",
        kind,
        title,
        original,
        year,
        guids=guids,
        side=Side.PLEX,
    )


def pairs(links: dict[str, Link] | object) -> set[tuple[str, str]]:
    assert isinstance(links, dict)
    return {(lk.senscritique, lk.plex) for lk in links.values()}
