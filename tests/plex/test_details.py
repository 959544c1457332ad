"""Discover item details of account-level works: asked in batches, once per
work, kept across clients through the store's JSON (plex/details.py)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from custom_components.plexsync.engine.errors import NotFound, ServiceUnavailable
from custom_components.plexsync.engine.model import Kind, Side, Work
from custom_components.plexsync.plex.client import PlexClient
from custom_components.plexsync.plex.details import BATCH, DiscoverDetails
from tests.simulators.plex import PlexSimulator

from .conftest import make_client

T0 = 1_700_000_000


def details_requests(sim: PlexSimulator) -> int:
    return sim.requests["metadata:metadata"]


def rated_on_the_account(sim: PlexSimulator, n: int) -> list[str]:
    """`n` films rated at account level only: the community API gives their
    title and year, never their original title or external ids."""
    return [
        sim.add_movie(
            f"Film {i}",
            1960 + i,
            original_title=f"Film original {i}",
            guids=(f"imdb://tt{7_000_000 + i}",),
            in_library=False,
            rating=float(i % 10 + 1),
        )
        for i in range(n)
    ]


def test_account_works_get_their_original_titles_in_batches(
    sim: PlexSimulator, client: PlexClient
) -> None:
    keys = rated_on_the_account(sim, 45)

    snap = client.read_snapshot()

    assert details_requests(sim) == 3  # 20 + 20 + 5
    work = snap.works[keys[7]]
    assert work.original_title == "Film original 7"
    assert work.year == 1967
    assert work.guids == ("imdb://tt7000007",)
    client.read_snapshot()
    assert details_requests(sim) == 3  # asked once per work


def test_linked_works_are_not_asked_and_known_details_still_apply(
    sim: PlexSimulator, client: PlexClient
) -> None:
    keys = rated_on_the_account(sim, 25)
    client.read_snapshot(linked=keys[5:])
    assert details_requests(sim) == 1  # the 5 unlinked works, one batch
    assert set(client.details.to_json()) == set(keys[:5])

    snap = client.read_snapshot(linked=keys)

    assert details_requests(sim) == 1  # an unchanged, linked account asks nothing
    assert snap.works[keys[3]].original_title == "Film original 3"
    assert snap.works[keys[9]].original_title is None


def test_a_new_client_takes_up_the_kept_details_without_a_request(
    sim: PlexSimulator, client: PlexClient
) -> None:
    keys = rated_on_the_account(sim, 5)
    client.read_snapshot()
    kept = client.details.to_json()
    assert not client.details.changed
    sim.requests.clear()

    again = make_client(sim)
    again.details.restore(kept)
    snap = again.read_snapshot()

    assert details_requests(sim) == 0
    assert snap.works[keys[2]].original_title == "Film original 2"
    assert not again.details.changed
    again.close()


def test_details_of_works_no_longer_read_are_forgotten(
    sim: PlexSimulator, client: PlexClient
) -> None:
    wished = sim.add_movie("Wish", 2001, in_library=False, watchlisted_at=T0)
    client.read_snapshot()
    assert wished in client.details.to_json()

    with sim.state.lock:
        sim.state.state_of(wished.rsplit("/", 1)[-1]).watchlisted_at = None
    client.read_snapshot()

    assert client.details.changed
    assert client.details.to_json() == {}


def test_a_failing_details_host_leaves_the_read_whole(sim: PlexSimulator) -> None:
    keys = rated_on_the_account(sim, 3)
    client = make_client(sim)
    sim.fail(503, count=10, role="metadata", path="/library/metadata/")

    snap = client.read_snapshot()

    assert set(snap.ratings) == set(keys)
    assert snap.works[keys[0]].original_title is None  # asked again next read
    sim.reset_faults()
    assert client.read_snapshot().works[keys[0]].original_title == "Film original 0"
    client.close()


def work(n: int) -> Work:
    return Work(f"plex://movie/{n:024x}", Kind.MOVIE, f"F{n}", side=Side.PLEX)


def test_a_batch_refused_as_not_found_is_asked_item_by_item() -> None:
    """A provider that knows only the single form (or none of a batch): each
    item is asked alone; one it does not know is remembered as nothing."""
    asked: list[str] = []

    def fetch(ids: str) -> ET.Element:
        asked.append(ids)
        if "," in ids or ids == f"{2:024x}":
            raise NotFound(Side.PLEX, "no such item")
        root = ET.Element("MediaContainer")
        ET.SubElement(
            root,
            "Video",
            {"guid": f"plex://movie/{ids}", "originalTitle": f"O{int(ids, 16)}"},
        )
        return root

    details = DiscoverDetails()
    details.fetch([work(n).key for n in range(3)], fetch)

    assert len(asked) == 4
    assert details.enrich(work(1)).original_title == "O1"
    assert details.enrich(work(2)) == work(2)
    details.fetch([work(n).key for n in range(3)], fetch)
    assert len(asked) == 4


def test_reading_stops_at_the_first_unavailable_batch() -> None:
    calls = 0

    def fetch(ids: str) -> ET.Element:
        nonlocal calls
        calls += 1
        raise ServiceUnavailable(Side.PLEX, "down")

    details = DiscoverDetails()
    details.fetch([work(n).key for n in range(BATCH * 3)], fetch)

    assert calls == 1
    assert len(details) == 0


def test_unreadable_kept_details_are_dropped() -> None:
    details = DiscoverDetails()
    details.restore(
        {
            work(1).key: ["O1", 1999, ["imdb://tt1"]],
            work(2).key: "not a record",
            work(3).key: [42, None, []],
            work(4).key: [None, None],
        }
    )

    assert len(details) == 1
    assert details.enrich(work(1)).original_title == "O1"
    assert details.enrich(work(1)).guids == ("imdb://tt1",)
