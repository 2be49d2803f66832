"""Fixtures for the resilience tests: hand-driven clocks, counting transports,
and a real ``redis-server`` (skipped when missing unless WIKIJS_REQUIRE_REDIS=1)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest


class ManualClock:
    """A monotonic clock that moves only when told; ``sleep`` moves it and records."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


# -- scripted HTTP answers (httpx.MockTransport) --------------------------------

Answer = Callable[[httpx.Request], httpx.Response] | httpx.Response | Exception


def ok(data: dict[str, Any] | None = None) -> httpx.Response:
    return httpx.Response(200, json={"data": data if data is not None else {"ok": True}})


@dataclass
class Script:
    """Answers requests from a list, in order; the last answer repeats."""

    answers: list[Answer]
    seen: list[httpx.Request] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        answer = self.answers[min(len(self.seen) - 1, len(self.answers) - 1)]
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, httpx.Response):
            return answer
        return answer(request)

    async def ahandle(self, request: httpx.Request) -> httpx.Response:
        return self.handle(request)

    @property
    def count(self) -> int:
        return len(self.seen)

    def operations(self) -> list[str]:
        import json

        return [json.loads(r.content).get("operationName") or "" for r in self.seen]


@pytest.fixture
def script() -> Callable[..., Script]:
    def make(*answers: Answer) -> Script:
        return Script(list(answers) or [ok()])

    return make


# -- a real redis-server ----------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture(scope="session")
def redis_server_url() -> Iterator[str]:
    """A private ``redis-server`` on a free loopback port for the session."""
    binary = shutil.which("redis-server")
    if binary is None:
        message = "redis-server is not installed (apt-get install -y redis-server)"
        if os.environ.get("WIKIJS_REQUIRE_REDIS") == "1":
            pytest.fail(message + "; WIKIJS_REQUIRE_REDIS=1 requires it")
        pytest.skip(message)
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="wikijs-resilience-redis-")
    # fmt: off
    command = [
        binary,
        "--port", str(port),
        "--bind", "127.0.0.1",
        "--save", "",
        "--appendonly", "no",
        "--dir", workdir,
    ]
    # fmt: on
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while not _ping(port):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"redis-server did not start on port {port}")
            time.sleep(0.01)  # polling an external process for readiness
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def redis_url(redis_server_url: str) -> str:
    """The session's Redis, emptied before the test."""
    port = int(redis_server_url.rsplit(":", 1)[1].split("/")[0])
    with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
        sock.sendall(b"FLUSHALL\r\n")
        assert sock.recv(16).startswith(b"+OK")
    return redis_server_url
