"""Writes, capability probes and automatic re-sign-in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from custom_components.plexsync.engine.errors import (
    AuthError,
    MalformedResponse,
    NotFound,
    SyncServiceError,
    Unsupported,
)
from custom_components.plexsync.engine.model import Action, Feature, Side
from custom_components.plexsync.engine.plans import Op
from custom_components.plexsync.engine.settings import Capabilities
from custom_components.plexsync.senscritique import SensCritiqueClient
from tests.simulators.senscritique import SensCritiqueSimulator

from .conftest import EMAIL, PASSWORD, USERNAME, Catalogue, make_client


def op(
    action: Action, pid: int | str, value: int | None = None, at: datetime | None = None
) -> Op:
    return Op(Side.SENSCRITIQUE, action, str(pid), "link", "test", value=value, at=at)


async def test_wish_and_unwish(
    client: SensCritiqueClient, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    await client.apply(op(Action.ADD_WATCHLIST, catalogue.parasite))
    assert sim.state.mark(USERNAME, catalogue.parasite).wished
    await client.apply(op(Action.REMOVE_WATCHLIST, catalogue.oppenheimer))
    assert catalogue.oppenheimer not in sim.state.wished(USERNAME)
    snap = await client.read_snapshot()
    assert set(snap.watchlist) == {str(catalogue.parasite), str(catalogue.home_alone)}


async def test_rate_and_clear_rating_on_films_and_episodes(
    client: SensCritiqueClient, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    episode = sim.state.episode(catalogue.severance, 2, 1)
    await client.apply(op(Action.SET_RATING, catalogue.amelie, value=10))
    await client.apply(op(Action.SET_RATING, episode, value=3))
    assert sim.state.ratings(USERNAME)[catalogue.amelie] == 10
    assert sim.state.ratings(USERNAME)[episode] == 3
    await client.apply(op(Action.CLEAR_RATING, catalogue.parasite))
    assert catalogue.parasite not in sim.state.ratings(USERNAME)
    snap = await client.read_snapshot()
    assert snap.ratings[str(episode)].value == 3
    assert str(catalogue.parasite) not in snap.ratings
    assert str(catalogue.parasite) in snap.watched  # unrating keeps the done mark


async def test_mark_watched_with_and_without_a_date(
    client: SensCritiqueClient, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    at = datetime(2025, 1, 4, 22, 15, tzinfo=UTC)
    await client.apply(op(Action.MARK_WATCHED, catalogue.oppenheimer, at=at))
    mark = sim.state.mark(USERNAME, catalogue.oppenheimer)
    assert (mark.done, mark.date_done, mark.wished) == (
        True,
        "2025-01-04T00:00:00.000Z",
        True,
    )
    await client.apply(op(Action.MARK_WATCHED, catalogue.home_alone))
    assert sim.state.mark(USERNAME, catalogue.home_alone).done
    assert sim.state.mark(USERNAME, catalogue.home_alone).date_done is None
    assert sim.requests["SetDateDone"] == 2  # one probe + the dated write
    snap = await client.read_snapshot()
    assert snap.watched[str(catalogue.oppenheimer)].watched_at == datetime(
        2025, 1, 4, tzinfo=UTC
    )


async def test_mark_seen_and_unseen_with_the_real_done_result_shape(
    client: SensCritiqueClient, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    """productDone / productUndone answer DoneResult { success } (reference
    6.4b): the first shape probed is that one, and it is the one written."""
    assert (await client.capabilities()).mark_unwatched
    await client.apply(op(Action.MARK_WATCHED, catalogue.home_alone))
    assert sim.state.mark(USERNAME, catalogue.home_alone).done
    await client.apply(op(Action.MARK_UNWATCHED, catalogue.home_alone))
    mark = sim.state.mark(USERNAME, catalogue.home_alone)
    assert (mark.done, mark.date_done) == (False, None)
    assert sim.requests["ProductDone"] == 2  # the probe, then the write
    assert sim.requests["ProductUndone"] == 2
    assert sim.requests["ProductDoneProduct"] == sim.requests["ProductDoneScalar"] == 0
    snap = await client.read_snapshot()
    assert str(catalogue.home_alone) not in snap.watched


@pytest.mark.parametrize("action", [Action.MARK_WATCHED, Action.MARK_UNWATCHED])
async def test_success_false_is_a_failed_write_saying_so(
    client: SensCritiqueClient,
    sim: SensCritiqueSimulator,
    catalogue: Catalogue,
    action: Action,
) -> None:
    sim.switch_off("setDateDone")  # productDone alone carries the mark
    await client.capabilities()
    before = sim.state.mark(USERNAME, catalogue.parasite)
    sim.state.refuse_done_writes = 1
    with pytest.raises(SyncServiceError, match="refused") as caught:
        await client.apply(op(action, catalogue.parasite))
    assert not isinstance(caught.value, Unsupported | MalformedResponse)
    assert str(catalogue.parasite) in str(caught.value)
    assert sim.state.mark(USERNAME, catalogue.parasite) == before
    assert (await client.capabilities()).mark_unwatched  # a refusal, not an absence


async def test_mark_unwatched_without_product_undone_is_unsupported(
    client: SensCritiqueClient, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    sim.switch_off("productUndone")
    assert not (await client.capabilities()).mark_unwatched
    with pytest.raises(Unsupported):
        await client.apply(op(Action.MARK_UNWATCHED, catalogue.parasite))
    assert sim.state.mark(USERNAME, catalogue.parasite).done


async def test_capabilities_are_probed_once_without_changing_anything(
    client: SensCritiqueClient, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    assert client.capability_report()["mark_done"] is None
    before = {u: dict(v.marks) for u, v in sim.state.users.items()}
    caps = await client.capabilities()
    assert caps == Capabilities(
        watchlist=True,
        rate=True,
        unrate=True,
        mark_watched=True,
        mark_unwatched=True,
        set_watched_date=True,
        lagging=frozenset({Feature.WATCHLIST}),  # new wishes show late
    )
    await client.capabilities()
    await client.apply(op(Action.MARK_WATCHED, catalogue.oppenheimer))
    probes = ("ProductDone", "ProductUndone", "SetDateDone", "ProductUnrate")
    assert [sim.requests[name] for name in probes] == [
        2,
        1,
        1,
        1,
    ]  # + one real ProductDone
    assert client.capability_report() == {
        "read_only": False,
        "wish": True,
        "rate": True,
        "mark_done": True,
        "mark_undone": True,
        "set_done_date": True,
        "remove_rating": True,
    }
    del before[USERNAME]
    assert before == {
        u: dict(v.marks) for u, v in sim.state.users.items() if u != USERNAME
    }


@pytest.mark.parametrize(
    ("switched_off", "field", "expected"),
    [
        ("productUnrate", "remove_rating", {"unrate": False}),
        ("setDateDone", "set_done_date", {"set_watched_date": False}),
        ("productDone", "mark_done", {}),  # setDateDone still marks done
        ("productUndone", "mark_undone", {"mark_unwatched": False}),
    ],
)
async def test_each_uncertain_capability_can_be_absent(  # noqa: PLR0917
    client: SensCritiqueClient,
    sim: SensCritiqueSimulator,
    catalogue: Catalogue,
    switched_off: str,
    field: str,
    expected: dict[str, bool],
) -> None:
    sim.switch_off(switched_off)
    caps = await client.capabilities()
    full = Capabilities(lagging=frozenset({Feature.WATCHLIST}))
    assert caps == Capabilities(**{**_fields(full), **expected})
    assert client.capability_report()[field] is False


async def test_clear_rating_without_unrate_is_unsupported(
    client: SensCritiqueClient, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    sim.switch_off("productUnrate")
    with pytest.raises(Unsupported):
        await client.apply(op(Action.CLEAR_RATING, catalogue.parasite))
    assert sim.state.ratings(USERNAME)[catalogue.parasite] == 9
    assert sim.requests["ProductUnrate"] == 1  # the probe only


async def test_mark_watched_through_set_date_when_product_done_is_absent(
    client: SensCritiqueClient, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    sim.switch_off("productDone")
    at = datetime(2024, 2, 29, 23, 59, tzinfo=UTC)
    await client.apply(op(Action.MARK_WATCHED, catalogue.oppenheimer, at=at))
    assert sim.state.mark(USERNAME, catalogue.oppenheimer).date_done == (
        "2024-02-29T00:00:00.000Z"
    )
    await client.apply(op(Action.MARK_WATCHED, catalogue.home_alone))
    assert sim.state.mark(USERNAME, catalogue.home_alone).done


async def test_mark_watched_with_neither_mutation_is_unsupported(
    client: SensCritiqueClient, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    sim.switch_off("productDone", "setDateDone")
    assert not (await client.capabilities()).mark_watched
    with pytest.raises(Unsupported):
        await client.apply(op(Action.MARK_WATCHED, catalogue.oppenheimer))
    assert not sim.state.mark(USERNAME, catalogue.oppenheimer).done


@pytest.mark.parametrize(
    ("shape", "document"),
    [("Product", "ProductDoneProduct"), ("Boolean", "ProductDoneScalar")],
)
async def test_product_done_of_an_earlier_guessed_shape_is_still_found(
    client: SensCritiqueClient,
    sim: SensCritiqueSimulator,
    catalogue: Catalogue,
    shape: str,
    document: str,
) -> None:
    """The real DoneResult is probed first; a service answering with one of
    the shapes guessed before that evidence is still found by the probe."""
    sim.done_shape = shape
    assert (await client.capabilities()).mark_watched
    await client.apply(op(Action.MARK_WATCHED, catalogue.oppenheimer))
    assert sim.state.mark(USERNAME, catalogue.oppenheimer).done
    assert sim.requests["ProductDone"] == 1  # the real shape, refused by this one
    assert sim.requests[document] == 2  # probe + write


async def test_a_capability_that_disappears_is_downgraded(
    client: SensCritiqueClient, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    assert (await client.capabilities()).unrate
    sim.switch_off("productUnrate")  # the service changed after the probe
    with pytest.raises(Unsupported):
        await client.apply(op(Action.CLEAR_RATING, catalogue.parasite))
    assert not (await client.capabilities()).unrate
    assert client.capability_report()["remove_rating"] is False


async def test_read_only_client_writes_nothing(
    session: aiohttp.ClientSession, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    client = make_client(session, sim)
    await client.use_username(USERNAME)
    caps = await client.capabilities()
    assert not any(
        (
            caps.watchlist,
            caps.rate,
            caps.unrate,
            caps.mark_watched,
            caps.set_watched_date,
        )
    )
    with pytest.raises(Unsupported):
        await client.apply(op(Action.ADD_WATCHLIST, catalogue.parasite))
    report = client.capability_report()
    assert report["read_only"] is True
    assert report["wish"] is False
    assert report["mark_done"] is None
    assert sum(sim.requests.values()) == 1  # the username lookup only


async def test_bad_ops_are_rejected_before_any_request(
    client: SensCritiqueClient, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    await client.capabilities()
    sent = sum(sim.requests.values())
    with pytest.raises(ValueError, match="outside"):
        await client.apply(op(Action.SET_RATING, catalogue.parasite, value=11))
    with pytest.raises(ValueError, match="outside"):
        await client.apply(op(Action.SET_RATING, catalogue.parasite))
    with pytest.raises(ValueError, match="not a SensCritique product key"):
        await client.apply(op(Action.ADD_WATCHLIST, "plex://movie/abc"))
    with pytest.raises(ValueError, match="not SensCritique"):
        await client.apply(
            Op(Side.PLEX, Action.ADD_WATCHLIST, "plex://movie/abc", "l", "r")
        )
    assert sum(sim.requests.values()) == sent


async def test_unknown_product_is_not_found(
    client: SensCritiqueClient, catalogue: Catalogue
) -> None:
    with pytest.raises(NotFound):
        await client.apply(op(Action.ADD_WATCHLIST, 99999999))


# ---------------------------------------------------------------- sign-in renewal


async def test_expired_token_is_renewed_once_by_itself(
    client: SensCritiqueClient, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    await client.capabilities()
    assert sim.expire_tokens(USERNAME) == 1
    await client.apply(op(Action.ADD_WATCHLIST, catalogue.parasite))
    assert sim.state.mark(USERNAME, catalogue.parasite).wished
    assert sim.requests["SignIn"] == 2
    assert sim.requests["ProductWish"] == 2  # refused, then accepted


async def test_refused_renewal_is_an_auth_error(
    client: SensCritiqueClient, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    await client.capabilities()
    sim.expire_tokens()
    sim.state.users[USERNAME].password = "changed"
    with pytest.raises(AuthError):
        await client.apply(op(Action.ADD_WATCHLIST, catalogue.parasite))
    assert not sim.state.mark(USERNAME, catalogue.parasite).wished


async def test_a_token_refused_right_after_renewal_is_an_auth_error(
    client: SensCritiqueClient, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    await client.capabilities()
    sim.expire_tokens()
    sim.state.token_lifetime = timedelta(seconds=-1)  # every new token is dead
    with pytest.raises(AuthError):
        await client.apply(op(Action.ADD_WATCHLIST, catalogue.parasite))
    assert sim.requests["SignIn"] == 2  # renewed once, not in a loop


async def test_a_token_past_its_expiry_date_is_renewed_before_use(
    session: aiohttp.ClientSession, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    sim.state.token_lifetime = timedelta(seconds=-1)
    client = make_client(session, sim)
    await client.sign_in(EMAIL, PASSWORD)
    sim.state.token_lifetime = timedelta(days=1)
    await client.apply(op(Action.ADD_WATCHLIST, catalogue.parasite))
    assert sim.requests["SignIn"] == 2
    assert sim.requests["ProductWish"] == 1  # no refused attempt first


async def test_a_write_that_is_not_confirmed_raises(
    client: SensCritiqueClient, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    await client.capabilities()
    sim.malformed_next("wrong_shape", operation="ProductRate")
    with pytest.raises(MalformedResponse):
        await client.apply(op(Action.SET_RATING, catalogue.amelie, value=6))


def _fields(caps: Capabilities) -> dict[str, bool]:
    return {name: getattr(caps, name) for name in Capabilities.__slots__}  # type: ignore[attr-defined]
