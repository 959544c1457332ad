"""Library guids as real servers send them (reference, "Real-world shapes"),
and the XML elements of legacy-agent libraries, read by the decoder."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from custom_components.plexsync.engine.errors import MalformedResponse
from custom_components.plexsync.engine.model import Kind, Side
from custom_components.plexsync.plex.decode import library_item
from custom_components.plexsync.plex.guids import LibraryGuid, read_guid


@pytest.mark.parametrize(
    ("guid", "expected"),
    [
        (
            "plex://movie/5d7768254af8d1001f2e3a01",
            LibraryGuid("plex://movie/5d7768254af8d1001f2e3a01"),
        ),
        (
            "com.plexapp.agents.imdb://tt0103639?lang=en",
            LibraryGuid("com.plexapp.agents.imdb://tt0103639", ("imdb://tt0103639",)),
        ),
        (
            "com.plexapp.agents.themoviedb://603?lang=fr",
            LibraryGuid("com.plexapp.agents.themoviedb://603", ("tmdb://603",)),
        ),
        (
            "com.plexapp.agents.thetvdb://81189?lang=en",
            LibraryGuid("com.plexapp.agents.thetvdb://81189", ("tvdb://81189",)),
        ),
        (
            "com.plexapp.agents.thetvdb://81189/2?lang=en",
            LibraryGuid(
                "com.plexapp.agents.thetvdb://81189/2",
                series="com.plexapp.agents.thetvdb://81189",
                season=2,
            ),
        ),
        (
            "com.plexapp.agents.thetvdb://12345/1/10?lang=en",
            LibraryGuid(
                "com.plexapp.agents.thetvdb://12345/1/10",
                series="com.plexapp.agents.thetvdb://12345",
                season=1,
                episode=10,
            ),
        ),
        (
            # another agent naming an IMDb id (e.g. an .nfo agent)
            "com.plexapp.agents.xbmcnfo://tt0113277?lang=xn",
            LibraryGuid(
                "com.plexapp.agents.xbmcnfo://tt0113277", ("imdb://tt0113277",)
            ),
        ),
        (
            # an agent whose numbers name nothing we know: no external id
            "com.plexapp.agents.hama://anidb-2093?lang=en",
            LibraryGuid("com.plexapp.agents.hama://anidb-2093"),
        ),
        ("local://5817", LibraryGuid("local://5817", personal=True)),
        (
            "com.plexapp.agents.none://9f2a51c0e0?lang=xn",
            LibraryGuid("com.plexapp.agents.none://9f2a51c0e0", personal=True),
        ),
    ],
)
def test_library_guids_of_every_agent(guid: str, expected: LibraryGuid) -> None:
    read = read_guid(guid)
    assert read == expected
    assert read.legacy is (not guid.startswith("plex://") and not expected.personal)


@pytest.mark.parametrize(
    "guid", ["", "tt0103639", "com.plexapp.agents.imdb://?lang=en", "x://1/one/2"]
)
def test_unreadable_guids_are_malformed(guid: str) -> None:
    with pytest.raises(MalformedResponse):
        read_guid(guid)


def element(xml: str) -> ET.Element:
    return ET.fromstring(xml)  # noqa: S314 - our own literal fixtures


def test_a_legacy_film_carries_its_external_id_in_its_guid() -> None:
    record = library_item(
        element(
            '<Video ratingKey="4001" key="/library/metadata/4001" type="movie" '
            'guid="com.plexapp.agents.imdb://tt0103639?lang=en" title="Aladdin" '
            'year="1992" userRating="8.0" lastRatedAt="1700000000" viewCount="1" '
            'lastViewedAt="1699990000"/>'
        )
    )
    work = record.work
    assert (work.key, work.guids, work.ref, work.side) == (
        "com.plexapp.agents.imdb://tt0103639",
        ("imdb://tt0103639",),
        "4001",
        Side.PLEX,
    )
    assert record.rating is not None
    assert record.rating.value == 8
    assert record.watch is not None
    assert not record.personal


def test_a_legacy_episode_names_its_series_even_without_parent_attributes() -> None:
    record = library_item(
        element(
            '<Video ratingKey="5003" type="episode" title="Pilot" '
            'guid="com.plexapp.agents.thetvdb://81189/1/1?lang=en" viewCount="1" '
            'lastViewedAt="1700500000"/>'
        )
    )
    work = record.work
    assert (work.kind, work.parent, work.season, work.episode, work.guids) == (
        Kind.EPISODE,
        "com.plexapp.agents.thetvdb://81189",
        1,
        1,
        (),
    )


def test_a_legacy_episode_with_its_parents_uses_them() -> None:
    record = library_item(
        element(
            '<Video ratingKey="5003" type="episode" title="Pilot" index="1" '
            'parentIndex="1" guid="com.plexapp.agents.thetvdb://81189/1/1?lang=en" '
            'grandparentGuid="com.plexapp.agents.thetvdb://81189?lang=en" '
            'parentGuid="com.plexapp.agents.thetvdb://81189/1?lang=en"/>'
        )
    )
    assert record.work.parent == "com.plexapp.agents.thetvdb://81189"


def test_a_series_played_with_no_episode_watched_is_not_watched() -> None:
    """viewCount > 0 with viewedLeafCount 0 is a real shape: a series is
    watched when all its episodes are, never from its own viewCount."""
    record = library_item(
        element(
            '<Directory ratingKey="6001" type="show" title="Twin Peaks" year="1990" '
            'guid="com.plexapp.agents.thetvdb://70533?lang=en" leafCount="8" '
            'viewedLeafCount="0" viewCount="2" lastViewedAt="1650000000"/>'
        )
    )
    assert record.watch is None
    assert record.work.guids == ("tvdb://70533",)


def test_personal_media_is_flagged() -> None:
    record = library_item(
        element(
            '<Video ratingKey="7001" type="movie" title="Birthday" '
            'guid="local://7001" viewCount="1"/>'
        )
    )
    assert record.personal
