"""Stateful loopback simulator of SensCritique's GraphQL endpoint.

`POST /` accepts a single GraphQL request or a batch (JSON array). Every
document and its variables are checked against the reference schema with
graphql-core exactly as the real (Apollo) server would: parse errors and
validation errors are HTTP 400 ``GRAPHQL_VALIDATION_FAILED``, bad variables
HTTP 400 ``BAD_USER_INPUT``, and nothing is executed. Mutations (and ``me``)
need a live token in ``Authorization``; otherwise HTTP 200 with an
``UNAUTHENTICATED`` error and ``data: null`` (reference §11).

Usage in tests::

    async with SensCritiqueSimulator() as sim:
        sim.state.add_user("alice", "alice@example.org", "secret")
        client = SensCritiqueClient(session, url=sim.url)

CLI: ``python -m tests.simulators.senscritique --port 8765 --demo``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any, Self

from aiohttp import web
from graphql import (
    GraphQLError,
    OperationType,
    execute,
    get_operation_ast,
    parse,
    validate,
)
from graphql.execution.values import get_variable_values
from graphql.language import FieldNode

from .senscritique_faults import MAX_STALL, Fault, Faults, MalformedKind
from .senscritique_resolvers import resolve
from .senscritique_schema import ROOT, Context, schema_variant
from .senscritique_state import SimState

PUBLIC_MUTATIONS = frozenset({"signInWithEmailAndPassword"})
PRIVATE_QUERIES = frozenset({"me"})


@dataclass
class _Outcome:
    status: int
    body: Any


def _errors(status: int, code: str, *messages: str) -> _Outcome:
    return _Outcome(
        status,
        {"errors": [{"message": m, "extensions": {"code": code}} for m in messages]},
    )


class SensCritiqueSimulator:
    """The server, its state (`state`), fault knobs and a request counter."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.state = SimState()
        self.faults = Faults()
        self.requests: Counter[str] = Counter()
        self.http_requests = 0
        self.max_page_size: int | None = None
        self.disabled: set[str] = set()
        # What productDone returns: the real "DoneResult" (reference 6.4b), or
        # the "Product" / "Boolean" guessed before that evidence.
        self.done_shape = "DoneResult"
        self.last_headers: dict[str, str] = {}
        self.in_flight = 0
        self.max_in_flight = 0
        self.arrivals: list[float] = []  # loop time of each request's arrival
        self._host, self._port = host, port
        self._runner: web.AppRunner | None = None
        self._stopping = asyncio.Event()
        self.url = ""

    # --------------------------------------------------------------- lifecycle

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/", self._handle)
        self._stopping = asyncio.Event()
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        server = site._server
        assert server is not None
        port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://{self._host}:{port}/"

    async def stop(self) -> None:
        self._stopping.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ------------------------------------------------------------ fault knobs

    def fail_next(
        self,
        count: int = 1,
        *,
        status: int = 503,
        html: bool = False,
        operation: str | None = None,
    ) -> None:
        """The next `count` requests answer HTTP `status` (a Cloudflare page if `html`)."""
        self.faults.add(Fault("status", count, operation, status=status, html=html))

    def rate_limit_next(
        self,
        count: int = 1,
        *,
        retry_after: float | str | None = 30,
        operation: str | None = None,
    ) -> None:
        header = None if retry_after is None else str(retry_after)
        self.faults.add(Fault("rate_limit", count, operation, retry_after=header))

    def stall_next(
        self, seconds: float, count: int = 1, *, operation: str | None = None
    ) -> None:
        """Answer only after `seconds` (bounded): longer than a client timeout."""
        self.faults.add(
            Fault("stall", count, operation, seconds=min(seconds, MAX_STALL))
        )

    def malformed_next(
        self,
        kind: MalformedKind = "not_json",
        count: int = 1,
        *,
        operation: str | None = None,
    ) -> None:
        self.faults.add(Fault("malformed", count, operation, malformed=kind))

    def set_latency(self, seconds: float) -> None:
        self.faults.latency = min(seconds, MAX_STALL)

    def set_wish_lag(
        self, *, reads: int | None = None, seconds: float | None = None
    ) -> None:
        """New wishes stay out of reads for `reads` list reads or `seconds`."""
        self.state.wish_lag_reads, self.state.wish_lag_seconds = reads, seconds

    def switch_off(self, *fields: str) -> None:
        """Remove mutations (productDone, productUndone, setDateDone,
        productUnrate) from the schema."""
        schema_variant(frozenset(fields))  # rejects unknown names early
        self.disabled.update(fields)

    def expire_tokens(self, username: str | None = None) -> int:
        return self.state.expire_tokens(username)

    # -------------------------------------------------------------- seeding

    def load_demo(self) -> tuple[str, str, str]:
        """Load the demo catalogue and member; returns (username, email, password)."""
        from .senscritique_demo import load_demo

        return load_demo(self.state)

    def seed_synthetic(  # noqa: PLR0917 (the benches' documented call)
        self,
        n_works: int,
        rated: int,
        done: int,
        wished: int,
        seed: int = 0,
        username: str = "bench",
    ) -> tuple[str, str, str]:
        from .senscritique_demo import seed_synthetic

        return seed_synthetic(
            self.state, n_works, rated, done, wished, seed=seed, username=username
        )

    # ------------------------------------------------------------------ HTTP

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.http_requests += 1
        self.arrivals.append(asyncio.get_running_loop().time())
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            return await self._answer(request)
        finally:
            self.in_flight -= 1

    async def _answer(self, request: web.Request) -> web.StreamResponse:
        self.last_headers = dict(request.headers)
        try:
            body = json.loads(await request.read())
        except ValueError:
            return web.json_response(
                _errors(400, "BAD_REQUEST", "POST body sent invalid JSON.").body,
                status=400,
            )
        batch = body if isinstance(body, list) else [body]
        names = [
            (op.get("operationName") if isinstance(op, dict) else None) or "<anonymous>"
            for op in batch
        ]
        self.requests.update(names)
        fault = self.faults.take(names)
        if self.faults.latency:
            await self._sleep(self.faults.latency)
        if fault is not None and fault.kind != "malformed":
            early = await self._early_fault(fault)
            if early is not None:
                return early
        token = request.headers.get("Authorization", "").strip()
        token = token.removeprefix("Bearer ").strip()
        viewer = self.state.user_for_token(None if token in ("", "null") else token)
        outcomes = [self._run(op, viewer) for op in batch]
        if isinstance(body, list):
            status, payload = 200, [o.body for o in outcomes]
        else:
            status, payload = outcomes[0].status, outcomes[0].body
        if fault is not None and fault.kind == "malformed":
            return self._malformed(fault.malformed, payload)
        return web.json_response(payload, status=status)

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    async def _early_fault(self, fault: Fault) -> web.StreamResponse | None:
        if fault.kind == "stall":
            await self._sleep(fault.seconds)
            return None  # then answer normally (the client has given up by then)
        if fault.kind == "rate_limit":
            headers = (
                {} if fault.retry_after is None else {"Retry-After": fault.retry_after}
            )
            return web.json_response(
                {"errors": [{"message": "Too many requests"}]},
                status=429,
                headers=headers,
            )
        if fault.html:
            return web.Response(
                text="<!DOCTYPE html><html><title>Just a moment...</title></html>",
                status=fault.status,
                content_type="text/html",
            )
        return web.json_response(
            {
                "errors": [
                    {
                        "message": "Internal server error",
                        "extensions": {"code": "INTERNAL_SERVER_ERROR"},
                    }
                ]
            },
            status=fault.status,
        )

    def _malformed(self, kind: MalformedKind, payload: Any) -> web.StreamResponse:
        if kind == "html":
            return web.Response(
                text="<html><body>Maintenance</body></html>",
                status=200,
                content_type="text/html",
            )
        if kind == "not_json":
            return web.Response(
                text='{"data": {"user": ', status=200, content_type="application/json"
            )
        if kind == "bad_utf8":
            return web.Response(
                body=b'{"data": "\xff\xfe"}',
                status=200,
                content_type="application/json",
            )
        if kind == "no_data":
            return web.json_response({"extensions": {}}, status=200)
        # wrong_shape: every root field of every answer replaced by a string.
        answers = payload if isinstance(payload, list) else [payload]
        for answer in answers:
            data = answer.get("data") if isinstance(answer, dict) else None
            if isinstance(data, dict):
                for key in data:
                    data[key] = "??"
        return web.json_response(payload, status=200)

    # -------------------------------------------------------------- GraphQL

    def _run(self, op: Any, viewer: Any) -> _Outcome:
        if not isinstance(op, dict) or not isinstance(op.get("query"), str):
            return _errors(
                400,
                "BAD_REQUEST",
                "GraphQL operations must contain a non-empty `query`.",
            )
        variables = op.get("variables") or {}
        if not isinstance(variables, dict):
            return _errors(400, "BAD_REQUEST", "`variables` must be an object.")
        schema = schema_variant(frozenset(self.disabled), self.done_shape)
        try:
            document = parse(op["query"])
        except GraphQLError as err:
            return _errors(400, "GRAPHQL_PARSE_FAILED", err.message)
        problems = validate(schema, document)
        if problems:
            return _errors(
                400, "GRAPHQL_VALIDATION_FAILED", *(p.message for p in problems)
            )
        operation = get_operation_ast(document, op.get("operationName"))
        if operation is None:
            return _errors(400, "BAD_REQUEST", "Unknown or ambiguous operation name.")
        coerced = get_variable_values(
            schema, operation.variable_definitions or (), variables
        )
        if isinstance(coerced, list):
            return _errors(400, "BAD_USER_INPUT", *(e.message for e in coerced))
        roots = [
            s.name.value
            for s in operation.selection_set.selections
            if isinstance(s, FieldNode)
        ]
        private = (
            [r for r in roots if r not in PUBLIC_MUTATIONS]
            if operation.operation is OperationType.MUTATION
            else [r for r in roots if r in PRIVATE_QUERIES]
        )
        if private and viewer is None:
            return _Outcome(
                200,
                {
                    "data": None,
                    "errors": [
                        {
                            "message": "Unauthorized",
                            "path": [private[0]],
                            "extensions": {"code": "UNAUTHENTICATED"},
                        }
                    ],
                },
            )
        result = execute(
            schema,
            document,
            root_value=ROOT,
            context_value=Context(self.state, viewer, self.max_page_size),
            variable_values=variables,
            operation_name=op.get("operationName"),
            field_resolver=resolve,
        )
        return _Outcome(200, result.formatted)


async def _serve(port: int, demo: bool) -> None:
    sim = SensCritiqueSimulator(port=port)
    if demo:
        username, email, password = sim.load_demo()
    await sim.start()
    print(f"SensCritique simulator on {sim.url}", flush=True)
    if demo:
        print(
            f"demo member: username={username} email={email} password={password}",
            flush=True,
        )
    print("Ctrl-C to stop.", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await sim.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--demo", action="store_true", help="load the demo member")
    args = parser.parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args.port, args.demo))


if __name__ == "__main__":
    main()
