"""One real `hass` process and both simulators, shared by every e2e test.

These tests never use the plugin's in-process `hass` fixture: Home Assistant
runs as a child process (`hass -c <tmp>`), reached only over HTTP. The
plugin's autouse fixtures that exist for the in-process instance are turned
off here, and sockets are enabled (the plugin blocks them in every test).
Select these tests with `-m e2e`, skip them with `-m "not e2e"`.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Coroutine, Generator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_socket

from tests.simulators.serve import Simulators

from . import scenario
from .hass_process import HassClient, HassProcess
from .world import Seeded, seed

USERNAME = "e2e"
PASSWORD = "e2e-password-1"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "e2e: a real hass process and the simulators (tests/e2e)"
    )


def run[T](coro: Coroutine[Any, Any, T], timeout: float = 240) -> T:
    """Run `coro` on a fresh event loop in a worker thread.

    The e2e tests are plain functions: the plugin's event loop fixture (debug
    mode, lingering-task checks) is for the in-process Home Assistant.
    """
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result(timeout)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """Overrides tests/conftest.py: there is no in-process hass here."""


@pytest.fixture(autouse=True)
def verify_cleanup() -> None:
    """Overrides the plugin's check, which is about the in-process hass (the
    simulators' threads live for the whole package on purpose)."""


@pytest.fixture(autouse=True)
def _sockets(socket_enabled: None) -> None:
    """The simulators, hass and the browser all talk over loopback."""


@dataclass
class E2E:
    """Everything a test needs: the simulators, the process, the entry."""

    sims: Simulators
    hass: HassProcess
    seeded: Seeded
    entry_id: str
    first_sync: tuple[datetime, datetime]  # around the entry's set-up
    username: str = USERNAME
    password: str = PASSWORD

    async def client(self, session: aiohttp.ClientSession) -> HassClient:
        client = HassClient(session, self.hass.url)
        await client.login(self.username, self.password)
        return client


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="package")
def e2e(tmp_path_factory: pytest.TempPathFactory) -> Generator[E2E]:
    """Simulators seeded with the e2e world, hass onboarded, entry created
    through the config flow (whose set-up runs the first sync)."""
    pytest_socket.enable_socket()  # before the per-test fixture runs
    config_dir: Path = tmp_path_factory.mktemp("hass-config")
    with Simulators(demo=False) as sims:
        seeded = seed(sims)
        hass = HassProcess(config_dir, port=_free_port(), env=sims.env, skip_pip=True)
        hass.spawn()
        try:
            before = datetime.now(UTC)
            entry_id = run(_set_up(hass, sims))
            yield E2E(sims, hass, seeded, entry_id, (before, datetime.now(UTC)))
        finally:
            hass.stop()


async def _set_up(hass: HassProcess, sims: Simulators) -> str:
    await hass.wait_until_up()
    async with aiohttp.ClientSession() as session:
        client = HassClient(session, hass.url)
        await client.onboard("E2E", USERNAME, PASSWORD)
        return await scenario.create_entry(client, sims.info())
