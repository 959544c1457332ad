"""Probing an uncertain mutation: which of its shapes the service accepts.

The probe posts each shape without variables: a complaint about the missing
variables means the document is valid, "Cannot query field" means the
mutation is absent, any other complaint means try the next shape.
"""

from __future__ import annotations

from collections.abc import Mapping

from custom_components.plexsync.senscritique.capabilities import probe_mutation
from custom_components.plexsync.senscritique.documents import MARK_DONE, Document
from custom_components.plexsync.senscritique.failures import QueryRejected


def rejection(message: str) -> QueryRejected:
    return QueryRejected(message, (message,), frozenset({"GRAPHQL_VALIDATION_FAILED"}))


class Service:
    """Answers each shape in turn with the given complaint (None: it runs)."""

    def __init__(self, *complaints: str | None) -> None:
        self._complaints = list(complaints)
        self.sent: list[Document] = []

    async def send(self, document: Document) -> Mapping[str, object]:
        self.sent.append(document)
        complaint = self._complaints.pop(0)
        if complaint is not None:
            raise rejection(complaint)
        return {}


async def test_a_shape_that_only_lacks_its_variables_is_the_one() -> None:
    assert len(MARK_DONE.shapes) >= 2
    service = Service(
        'Field "x" of type "Y" must have a selection of subfields.',
        'Variable "$productId" of required type "Int!" was not provided.',
    )
    assert await probe_mutation(MARK_DONE, service.send) == MARK_DONE.shapes[1]
    assert service.sent == list(MARK_DONE.shapes[:2])


async def test_an_absent_field_stops_the_probe() -> None:
    service = Service(f'Cannot query field "{MARK_DONE.field}" on type "Mutation".')
    assert await probe_mutation(MARK_DONE, service.send) is None
    assert len(service.sent) == 1


async def test_no_acceptable_shape_means_absent() -> None:
    service = Service(*["Syntax Error: Unexpected Name"] * len(MARK_DONE.shapes))
    assert await probe_mutation(MARK_DONE, service.send) is None
    assert service.sent == list(MARK_DONE.shapes)


async def test_a_shape_that_runs_without_variables_is_accepted() -> None:
    service = Service(None)
    assert await probe_mutation(MARK_DONE, service.send) == MARK_DONE.shapes[0]
