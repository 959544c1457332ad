"""Run a real Home Assistant process and talk to it over its public APIs.

Used by the end-to-end tests and by scripts/develop's demo. Everything binds to
127.0.0.1; every wait is bounded.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "http://127.0.0.1/"

# default_config is avoided on purpose: it needs go2rtc and ffmpeg binaries.
CONFIGURATION = """\
homeassistant:
  name: PlexSync demo
  time_zone: UTC
  country: FR
  currency: EUR
  unit_system: metric
http:
  server_host: 127.0.0.1
  server_port: {port}
frontend:
config:
api:
auth:
onboarding:
person:
lovelace:
todo:
history:
logbook:
repairs:
diagnostics:
system_health:
search:
logger:
  default: warning
  logs:
    custom_components.plexsync: debug
"""


class HassError(RuntimeError):
    """Home Assistant did not answer as expected."""


@dataclass
class HassProcess:
    """A `hass -c <config_dir>` child process on 127.0.0.1:<port>."""

    config_dir: Path
    port: int = 8123
    env: dict[str, str] = field(default_factory=dict)
    # Tests: no package installed while they run (onboarding's default
    # integrations would pip-install theirs into the test venv, downgrading
    # some of its packages). The demo keeps HA's installs for what a
    # developer adds.
    skip_pip: bool = False
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def prepare(self) -> None:
        """Write configuration.yaml (once) and link the integration in."""
        custom = self.config_dir / "custom_components"
        custom.mkdir(parents=True, exist_ok=True)
        link = custom / "plexsync"
        if not link.exists():
            link.symlink_to(ROOT / "custom_components" / "plexsync")
        configuration = self.config_dir / "configuration.yaml"
        if not configuration.exists():
            configuration.write_text(CONFIGURATION.format(port=self.port))

    def spawn(self) -> None:
        """Start the process; `wait_until_up` then waits for its HTTP server."""
        self.prepare()
        env = {**os.environ, "TZ": "UTC", **self.env}
        log = (self.config_dir / "hass-stdout.log").open("ab")
        hass = Path(sys.executable).with_name("hass")
        self.process = subprocess.Popen(
            [str(hass), "-c", str(self.config_dir)]
            + (["--skip-pip"] if self.skip_pip else []),
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    async def wait_until_up(self, within: float = 180.0) -> None:
        deadline = asyncio.get_running_loop().time() + within
        async with aiohttp.ClientSession() as session:
            while asyncio.get_running_loop().time() < deadline:
                if self.process is not None and self.process.poll() is not None:
                    raise HassError(
                        f"hass exited with {self.process.returncode}; "
                        f"see {self.config_dir / 'hass-stdout.log'}"
                    )
                try:
                    async with session.get(f"{self.url}/manifest.json") as response:
                        if response.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.5)
        raise HassError(f"Home Assistant did not answer on {self.url} in {within} s")

    def stop(self, *, kill: bool = False, timeout: float = 60.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGKILL if kill else signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout)


class HassClient:
    """The REST and WebSocket APIs the Home Assistant frontend itself uses."""

    def __init__(self, session: aiohttp.ClientSession, url: str) -> None:
        self._session = session
        self._url = url
        self.token: str | None = None

    async def _json(
        self, method: str, path: str, payload: Any = None, *, auth: bool = True
    ) -> Any:
        headers = {"Authorization": f"Bearer {self.token}"} if auth else {}
        async with self._session.request(
            method, f"{self._url}{path}", json=payload, headers=headers
        ) as response:
            text = await response.text()
            if response.status >= 400:
                raise HassError(f"{method} {path} -> {response.status}: {text[:300]}")
            return await response.json(content_type=None) if text else None

    async def _token_from_code(self, code: str) -> None:
        async with self._session.post(
            f"{self._url}/auth/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "client_id": CLIENT_ID,
            },
        ) as response:
            body = await response.json()
            if response.status != 200:
                raise HassError(f"token exchange failed: {body}")
            self.token = body["access_token"]

    async def onboarded(self) -> bool:
        async with self._session.get(f"{self._url}/api/onboarding") as response:
            if response.status == 404:  # the view is gone once onboarding is done
                return True
            if response.status != 200:
                raise HassError(f"GET /api/onboarding -> {response.status}")
            steps = await response.json()
        return all(step["done"] for step in steps)

    async def onboard(self, name: str, username: str, password: str) -> None:
        """Complete onboarding through HA's own onboarding API."""
        result = await self._json(
            "POST",
            "/api/onboarding/users",
            {
                "client_id": CLIENT_ID,
                "name": name,
                "username": username,
                "password": password,
                "language": "en",
            },
            auth=False,
        )
        await self._token_from_code(result["auth_code"])
        await self._json("POST", "/api/onboarding/core_config", {})
        await self._json("POST", "/api/onboarding/analytics", {})
        await self._json(
            "POST",
            "/api/onboarding/integration",
            {"client_id": CLIENT_ID, "redirect_uri": f"{CLIENT_ID}?auth_callback=1"},
        )

    async def login(self, username: str, password: str) -> None:
        flow = await self._json(
            "POST",
            "/auth/login_flow",
            {
                "client_id": CLIENT_ID,
                "handler": ["homeassistant", None],
                "redirect_uri": f"{CLIENT_ID}?auth_callback=1",
            },
            auth=False,
        )
        result = await self._json(
            "POST",
            f"/auth/login_flow/{flow['flow_id']}",
            {"client_id": CLIENT_ID, "username": username, "password": password},
            auth=False,
        )
        if result.get("type") != "create_entry":
            raise HassError(f"login refused: {result.get('errors')}")
        await self._token_from_code(result["result"])

    async def config_entries(self, domain: str) -> list[dict[str, Any]]:
        entries = await self._json(
            "GET", f"/api/config/config_entries/entry?domain={domain}"
        )
        return list(entries)

    async def start_flow(self, handler: str) -> dict[str, Any]:
        return dict(
            await self._json(
                "POST",
                "/api/config/config_entries/flow",
                {"handler": handler, "show_advanced_options": False},
            )
        )

    async def flow_step(self, flow_id: str, data: dict[str, Any]) -> dict[str, Any]:
        return dict(
            await self._json("POST", f"/api/config/config_entries/flow/{flow_id}", data)
        )

    async def flow_get(self, flow_id: str) -> dict[str, Any]:
        """The flow's current step (a finished progress step moves on)."""
        return dict(
            await self._json("GET", f"/api/config/config_entries/flow/{flow_id}")
        )

    async def call_service(
        self, domain: str, service: str, data: dict[str, Any], *, response: bool = False
    ) -> Any:
        suffix = "?return_response" if response else ""
        return await self._json(
            "POST", f"/api/services/{domain}/{service}{suffix}", data
        )

    async def call_path(self, method: str, path: str, payload: Any = None) -> Any:
        """Any other authenticated REST call."""
        return await self._json(method, path, payload)

    async def state(self, entity_id: str) -> dict[str, Any]:
        return dict(await self._json("GET", f"/api/states/{entity_id}"))

    async def states(self) -> list[dict[str, Any]]:
        return list(await self._json("GET", "/api/states"))

    async def websocket(self, *messages: dict[str, Any]) -> list[Any]:
        """Send messages over the WebSocket API; return each one's result."""
        results = []
        async with self._session.ws_connect(f"{self._url}/api/websocket") as ws:
            await ws.receive_json()  # auth_required
            await ws.send_json({"type": "auth", "access_token": self.token})
            if (await ws.receive_json())["type"] != "auth_ok":
                raise HassError("websocket authentication failed")
            for number, message in enumerate(messages, start=1):
                await ws.send_json({"id": number, **message})
                while True:
                    reply = await ws.receive_json(timeout=60)
                    if reply.get("id") == number and reply.get("type") == "result":
                        break
                if not reply["success"]:
                    raise HassError(f"{message['type']} failed: {reply.get('error')}")
                results.append(reply.get("result"))
        return results
