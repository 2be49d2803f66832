"""The read timeout bounds silence, not the whole answer, over real loopback sockets.

The async client keeps aiohttp's read timeout with one lazy timer per
connection (``ReadTimer`` in ``wikijs/_http/_async/aiohttp.py``) instead of
two timers per request; these tests pin that it is still the same timeout:
an answer whose bytes keep coming is read even when it takes several
timeouts, a silence after some bytes fails one timeout after the last of
them, an idle pooled connection is not failed by a timer armed for an
earlier request, and a client view's shorter timeout holds on a connection
armed for the client's longer one. Each runs through every client (the
sync client and the async client on httpx must behave the same).
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time

import pytest

from wikijs import RequestTimeoutError
from wikijs._http._async.aiohttp import GuardedConnector, ReadTimer
from wikijs.aio import AsyncWikiJSClient

from ._servers import CLIENTS, OK_BODY, QUERY, attempt, read_request, scripted

HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
OK = HEAD + b"Content-Length: %d\r\n\r\n%s" % (len(OK_BODY), OK_BODY)


def in_pieces(pause: float, pieces: int) -> object:
    """Answers with the body cut into ``pieces``, ``pause`` seconds apart."""

    def answer(connection: socket.socket, stopping: threading.Event) -> None:
        connection.sendall(HEAD + b"Content-Length: %d\r\n\r\n" % len(OK_BODY))
        step = -(-len(OK_BODY) // pieces)
        for start in range(0, len(OK_BODY), step):
            if stopping.wait(pause):
                return
            connection.sendall(OK_BODY[start : start + step])

    return answer


@pytest.mark.parametrize("kind", CLIENTS)
def test_an_answer_whose_bytes_keep_coming_outlasts_the_read_timeout(kind: str) -> None:
    # 8 pieces 0.1 s apart: 0.8 s in all, never 0.35 s of silence
    with scripted(in_pieces(0.1, 8)) as server:  # type: ignore[arg-type]
        outcome = attempt(kind, server.url, timeout=0.35)
    assert outcome.error is None, outcome.error
    assert outcome.data == {"pages": {"list": []}}
    assert outcome.seconds >= 0.7


@pytest.mark.parametrize("kind", CLIENTS)
def test_a_silence_after_some_bytes_fails_one_timeout_after_the_last(kind: str) -> None:
    def answer(connection: socket.socket, stopping: threading.Event) -> None:
        connection.sendall(HEAD + b"Content-Length: 1000\r\n\r\n")
        for _ in range(3):  # 0.45 s of bytes, then silence
            if stopping.wait(0.15):
                return
            connection.sendall(b"a")
        stopping.wait(10)

    with scripted(answer) as server:
        outcome = attempt(kind, server.url, timeout=0.3)
    assert isinstance(outcome.error, RequestTimeoutError)
    assert 0.7 <= outcome.seconds < 3.0  # 0.45 s of bytes, then 0.3 s of silence


def test_an_idle_pooled_connection_is_not_failed_by_an_earlier_requests_timer() -> None:
    with scripted(lambda connection, _: connection.sendall(OK)) as server:

        async def run() -> list[object]:
            async with AsyncWikiJSClient(server.url, auth=None, timeout=0.2) as client:
                first = await client.execute(QUERY)
                # idle for longer than the timeout: the timer armed for the
                # first request fires on a connection nothing is reading
                await asyncio.sleep(0.4)
                second = await client.execute(QUERY)
                third = await client.execute(QUERY)
            return [first, second, third]

        answers = asyncio.run(run())
    assert answers == [{"pages": {"list": []}}] * 3
    assert len(server.heads) == 3


def test_a_views_shorter_timeout_holds_on_a_connection_armed_for_a_longer_one() -> None:
    def answer(connection: socket.socket, stopping: threading.Event) -> None:
        connection.sendall(OK)  # the first request on the connection
        read_request(connection)  # the view's: never answered
        stopping.wait(10)

    with scripted(answer) as server:

        async def run() -> tuple[BaseException | None, float]:
            async with AsyncWikiJSClient(
                server.url, auth=None, timeout=30, retry_strategy=None
            ) as client:
                await client.execute(QUERY)  # arms the connection's timer for 30 s
                started = time.monotonic()
                try:
                    await client.with_options(timeout=0.3).execute(QUERY)
                except RequestTimeoutError as exc:
                    return exc, time.monotonic() - started
                return None, time.monotonic() - started

        error, seconds = asyncio.run(run())
    assert isinstance(error, RequestTimeoutError)
    assert seconds < 3.0


def test_the_clients_own_connections_use_the_lazy_timer() -> None:
    async def run() -> type:
        connector = GuardedConnector(limit=1)
        try:
            return type(connector._factory())
        finally:
            await connector.close()

    assert asyncio.run(run()) is ReadTimer


def test_an_aiohttp_the_timer_was_not_checked_against_keeps_its_own_protocol() -> None:
    from wikijs._http._async.aiohttp import _lazy_timer_fits

    assert _lazy_timer_fits("3.11.0")
    assert _lazy_timer_fits("3.14.5")
    assert not _lazy_timer_fits("3.15.0")  # a changed meaning could leave reads unbounded
    assert not _lazy_timer_fits("4.0.0a1")
    assert not _lazy_timer_fits("3.10.11")
    assert not _lazy_timer_fits("dev")
