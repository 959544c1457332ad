"""The Plex simulator's HTTP edge: fault injection, token checks, error
shapes, request counting and routing to the virtual hosts' handlers."""

from __future__ import annotations

import asyncio
import json
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from aiohttp import web

from . import plex_routes as routes
from .plex_community import community
from .plex_household import HomeUser, switch_xml, users_xml
from .plex_render import HTML_TYPE, JSON_TYPE, PLEXTV_401, PMS_401, XML_TYPE
from .plex_routes import Reply, Request
from .plex_state import PlexState

MAX_STALL = 5.0  # seconds: injected timeouts never hold a request longer


@dataclass
class Fault:
    """One injected failure, consumed `count` times by matching requests."""

    kind: str  # "status" | "stall" | "malformed"
    count: int
    role: str | None = None
    path: str | None = None
    status: int = 500
    retry_after: float | None = None
    seconds: float = 0.0

    def matches(self, req: Request) -> bool:
        return (
            self.count > 0
            and (self.role is None or self.role == req.role)
            and (self.path is None or req.path.startswith(self.path))
        )


class PlexHttp:
    """Request handling of `PlexSimulator`; the attributes below are its own."""

    state: PlexState
    requests: Counter[str]
    log: list[tuple[str, str, str, list[tuple[str, str]], tuple[int, int | None]]]
    latency: float
    graphql_errors: int
    token: str
    server_token: str
    server_id: str
    server_name: str
    account_id: int
    account_uuid: str
    username: str
    home: list[HomeUser]
    friends: list[str]
    plex_pass: bool
    webhooks: list[str]  # the account's webhook URLs on plex.tv
    _faults: list[Fault]
    _token_valid: bool
    _ports: dict[str, int]

    pms_url: str

    def _handler(self, role: str) -> Any:
        async def handle(request: web.Request) -> web.StreamResponse:
            req = Request(
                role=role,
                method=request.method,
                path=request.path,
                query=list(request.query.items()),
                headers=dict(request.headers),
                body=await request.read(),
            )
            self._count(req)
            if self.latency:
                await asyncio.sleep(min(self.latency, MAX_STALL))
            fault = next((f for f in self._faults if f.matches(req)), None)
            if fault is not None:
                fault.count -= 1
                if fault.kind == "stall":
                    await asyncio.sleep(fault.seconds)
            reply = self._dispatch(req, fault)
            return web.Response(
                status=reply.status,
                body=reply.body,
                headers={"Content-Type": reply.content_type, **reply.headers},
            )

        return handle

    def _count(self, req: Request) -> None:
        self.requests[self._kind(req)] += 1
        self.requests[f"{req.role}:*"] += 1
        try:
            paging = req.paging()
        except ValueError:
            paging = (0, None)
        self.log.append((req.role, req.method, req.path, req.query, paging))

    def _dispatch(self, req: Request, fault: Fault | None) -> Reply:
        if fault is not None and fault.kind == "status":
            extra = (
                {}
                if fault.retry_after is None
                else {"Retry-After": f"{fault.retry_after:g}"}
            )
            body = f"<html><body><h1>{fault.status}</h1></body></html>".encode()
            return Reply(fault.status, HTML_TYPE, body, extra)
        known, user = self._caller(req)
        if not known:
            return self._unauthorised(req)
        try:
            with self.state.lock:
                reply = self._route(req, user)
        except routes.BadInput as err:
            reply = self._error(req, 400, "Bad Request", str(err))
        except (LookupError, ValueError) as err:
            reply = self._error(req, 404, "Not Found", f"{req.path} {err}")
        if fault is not None and fault.kind == "malformed":
            ctype = reply.content_type if reply.body else XML_TYPE
            return Reply(
                200, ctype, reply.body[: len(reply.body) // 2] or b"<MediaContainer"
            )
        return reply

    def _route(self, req: Request, user: HomeUser | None) -> Reply:
        """`req` answered for the account (`user` None) or a Home user."""
        state = self.state if user is None else user.state
        if req.role == "plextv":
            return self._plextv(req, user)
        if req.role == "pms":
            return routes.pms(state, req, self.server_id, self.server_name)
        if req.role == "community":
            if self.graphql_errors > 0:
                self.graphql_errors -= 1
                return routes.json_reply(
                    {"errors": [{"message": "Internal error"}], "data": None}
                )
            uuid = self.account_uuid if user is None else user.uuid
            return community(state, req, uuid)[1]
        return routes.provider(state, req)

    def _plextv(self, req: Request, user: HomeUser | None) -> Reply:
        from .plex_render import resources_xml, user_xml, webhooks_xml

        if req.path == "/api/v2/user":
            if user is not None:
                return routes.xml(
                    user_xml(user.id, user.uuid, user.username, user.token, user.name)
                )
            return routes.xml(
                user_xml(
                    self.account_id,
                    self.account_uuid,
                    self.username,
                    self.token,
                    plex_pass=self.plex_pass,
                )
            )
        if req.path == "/api/v2/user/webhooks":
            if req.method == "POST":
                if not self.plex_pass:  # guess: refused like another Pass feature
                    raise routes.BadInput("webhooks need Plex Pass")
                form = parse_qs(req.body.decode(), keep_blank_values=True)
                self.webhooks = [u for u in form.get("urls[]", []) if u]
            return routes.xml(webhooks_xml(self.webhooks))
        if req.path == "/api/v2/resources":
            return routes.xml(
                resources_xml(
                    self.server_id,
                    self.server_name,
                    self.server_token if user is None else user.server_token,
                    self.pms_url,
                    self._ports["pms"],
                )
            )
        if req.path.rstrip("/") == "/api/users":
            # Guess: a Home user's own listing holds nobody of this Home.
            home, friends = (self.home, self.friends) if user is None else ([], [])
            return routes.xml(users_xml(home, friends))
        switch = re.fullmatch(r"/api/home/users/(\d+)/switch", req.path)
        if switch and req.method == "POST" and user is None:
            member = next((u for u in self.home if u.id == int(switch[1])), None)
            if member is None:
                raise LookupError(req.path)
            if member.pin is not None and req.args.get("pin") != member.pin:
                return Reply(401, "application/xml", PLEXTV_401)
            return routes.xml(switch_xml(member))
        raise LookupError(req.path)

    def _caller(self, req: Request) -> tuple[bool, HomeUser | None]:
        """Is the token known, and is it a Home user's (None: the account's)?"""
        token = req.headers.get("X-Plex-Token") or req.args.get("X-Plex-Token")
        pms = req.role == "pms"
        if (self._token_valid and token == self.token) or (
            pms and token == self.server_token
        ):
            return True, None
        for user in self.home:
            if token == user.token or (pms and token == user.server_token):
                return True, user
        return False, None

    def _unauthorised(self, req: Request) -> Reply:
        if req.role == "pms":
            return Reply(401, HTML_TYPE, PMS_401)
        if req.role == "plextv":
            return Reply(401, "application/xml", PLEXTV_401)
        return self._error(req, 401, "Unauthorized", "You must be logged in")

    def _error(self, req: Request, status: int, error: str, message: str) -> Reply:
        if req.role == "pms":
            return Reply(
                status,
                HTML_TYPE,
                f"<html><body><h1>{status} {error}</h1></body></html>".encode(),
            )
        if "json" in req.headers.get("Accept", "") or req.role == "community":
            body = {"Error": {"error": error, "message": message, "statusCode": status}}
            return Reply(status, JSON_TYPE, json.dumps(body).encode())
        return Reply(
            status,
            XML_TYPE,
            f'<?xml version="1.0"?>\n<Error error="{error}" statusCode="{status}"/>'.encode(),
        )

    @staticmethod
    def _kind(req: Request) -> str:
        """A coarse request name for counters, e.g. 'pms:listing'."""
        path = req.path
        if req.role == "community":
            body = req.body.decode(errors="replace")
            op = (
                "reviews"
                if "reviews(" in body
                else "watchHistory"
                if "watchHistory(" in body
                else "other"
            )
            return f"community:{op}"
        if "/all" in path and path.startswith("/library/"):
            name = "watchlist" if "watchlist" in path else "listing"
        elif path.startswith("/library/metadata/"):
            name = "userState" if path.endswith("/userState") else "metadata"
        elif path.startswith(("/:/", "/actions/")):
            name = path.rsplit("/", 1)[-1]
        elif path == "/library/search":
            name = "search"
        else:
            name = path.strip("/") or "root"
        return f"{req.role}:{name}"
