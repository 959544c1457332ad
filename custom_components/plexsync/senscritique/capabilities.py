"""Probing the writes whose existence on today's API is uncertain.

How a probe works, and why it is safe: the mutation's own document (from
documents.py) is sent WITHOUT its variables. GraphQL servers check a request
in a fixed order: parse, validate the document against the schema, coerce the
variable values, and only then execute (GraphQL spec, "Executing Requests").
So the answer is always one of

* a validation error ``Cannot query field "productDone" on type "Mutation"``:
  the mutation does not exist, the capability is absent;
* another validation error (``must not have a selection``, ``Unknown
  argument``): the mutation exists with another shape, so the next shape of
  documents.py is tried; when none fits the capability is absent;
* ``Variable "$productId" of required type "Int!" was not provided``: the
  document is valid, the capability is present with this shape.

In every case the request stops before execution, so a probe cannot change
anything on the account, whatever product it might have named. This is safer
than the alternatives: a probe with a dummy product id would be executed by
the server if the mutation exists, and learning from the first real write
would leave the planner planning writes that are bound to fail on the first
run. A probe costs one small request per shape, once per client.

The result is remembered (`report`), and a later validation error on real use
(the service changed) downgrades the capability to absent.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from .documents import UNCERTAIN, Capability, Document, UncertainMutation
from .failures import QueryRejected

Send = Callable[[Document], Awaitable[Mapping[str, object]]]


async def probe_mutation(mutation: UncertainMutation, send: Send) -> Document | None:
    """The shape of `mutation` the service accepts, or None when it has none.

    `send` posts a document without variables; transport and sign-in errors
    propagate (nothing is concluded from them).
    """
    for shape in mutation.shapes:
        try:
            await send(shape)
        except QueryRejected as rejected:
            if rejected.lacks_field(mutation.field):
                return None
            if rejected.only_variables_missing:
                return shape
            continue  # the field exists with another shape: try the next one
        # Executed without its variables: unexpected, but the document is accepted.
        return shape
    return None


class CapabilityRegistry:
    """What the probes found, per uncertain capability (absent = no entry)."""

    def __init__(self) -> None:
        self._found: dict[Capability, Document | None] = {}

    @property
    def probed(self) -> bool:
        return all(m.capability in self._found for m in UNCERTAIN)

    async def probe(self, send: Send) -> None:
        """Probe each capability not known yet (each at most once)."""
        for mutation in UNCERTAIN:
            if mutation.capability not in self._found:
                self._found[mutation.capability] = await probe_mutation(mutation, send)

    def document(self, capability: Capability) -> Document | None:
        """The document to use, None when absent or not probed."""
        return self._found.get(capability)

    def mark_absent(self, capability: Capability) -> None:
        self._found[capability] = None

    def report(self) -> dict[Capability, bool | None]:
        """True/False per capability, None for those not probed yet."""
        return {
            m.capability: (
                None
                if m.capability not in self._found
                else self._found[m.capability] is not None
            )
            for m in UNCERTAIN
        }
