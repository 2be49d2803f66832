"""What a misbehaving server cannot do to either client, over real loopback sockets.

Each test runs through the sync client (httpx), the async client (aiohttp)
and the async client given an httpx client: a flood of headers, a gzip
bomb, a server trickling a byte every half second, an endless body, a flood
of ``1xx`` answers and a connection closed right after it was accepted all
end in typed errors, within the deadline, in bounded memory. Deadlines are
set small so that the tests are fast; nothing here sleeps to wait.
"""

from __future__ import annotations

import gzip
import socket
import threading
import tracemalloc
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from wikijs import (
    ConnectionLostError,
    RequestTimeoutError,
    ResponseLimits,
    ResponseTooLargeError,
)

from ._servers import CLIENTS, OK_BODY, Outcome, attempt, download, scripted

pytestmark = pytest.mark.parametrize("kind", CLIENTS)

HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"


def measured(call: Callable[[], Outcome]) -> tuple[Outcome, int]:
    """The outcome, and the peak of memory allocated while it ran."""
    tracemalloc.start()
    try:
        outcome = call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return outcome, peak


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    """About 1 MiB of gzip that inflates to 256 MiB of zeros."""
    packer = zlib.compressobj(1, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1 << 20)
    return b"".join([*(packer.compress(zeros) for _ in range(256)), packer.flush()])


# -- sizes ------------------------------------------------------------------------------


def test_four_mebibytes_in_one_header_end_in_a_typed_error_at_bounded_memory(kind: str) -> None:
    flood = HEAD + b"X-Flood: " + b"a" * (4 << 20) + b"\r\nContent-Length: 2\r\n\r\n{}"
    with scripted(lambda c, _: c.sendall(flood)) as server:
        outcome, peak = measured(lambda: attempt(kind, server.url, deadline=5))
    assert isinstance(outcome.error, ResponseTooLargeError)
    assert outcome.error.limit == "max_header_size"
    assert outcome.seconds < 5
    assert peak < 8 << 20


def test_four_mebibytes_of_small_headers_end_in_a_typed_error(kind: str) -> None:
    lines = b"".join(b"X-%d: %s\r\n" % (n, b"b" * 90) for n in range(40_000))
    with scripted(lambda c, _: c.sendall(HEAD + lines + b"Content-Length: 2\r\n\r\n{}")) as server:
        outcome, peak = measured(lambda: attempt(kind, server.url, deadline=5))
    assert isinstance(outcome.error, ResponseTooLargeError)
    assert peak < 8 << 20


def test_the_header_limit_is_the_clients_own(kind: str) -> None:
    lines = b"".join(b"X-%d: %s\r\n" % (n, b"c" * 40) for n in range(60))
    answer = HEAD + lines + b"Content-Length: %d\r\n\r\n%s" % (len(OK_BODY), OK_BODY)
    with scripted(lambda c, _: c.sendall(answer)) as server:
        refused = attempt(kind, server.url, response_limits=ResponseLimits(max_header_size=2048))
        allowed = attempt(kind, server.url, response_limits=ResponseLimits(max_header_size=8192))
    assert isinstance(refused.error, ResponseTooLargeError)
    assert refused.error.size == 2048
    assert allowed.error is None


def test_a_gzip_bomb_stops_at_the_decompressed_limit_in_bounded_memory(
    kind: str, gzip_bomb: bytes
) -> None:
    answer = (
        HEAD + b"Content-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(gzip_bomb) + gzip_bomb
    )
    limits = ResponseLimits(max_decompressed_size=8 << 20)
    with scripted(lambda c, _: c.sendall(answer)) as server:
        outcome, peak = measured(lambda: attempt(kind, server.url, response_limits=limits))
    assert isinstance(outcome.error, ResponseTooLargeError)
    assert outcome.error.limit == "max_decompressed_size"
    assert peak < 32 << 20  # the limit, one step, and the bomb itself; not 256 MiB


def test_a_compressed_download_reaches_the_file_in_bounded_memory(
    kind: str, gzip_bomb: bytes, tmp_path: Path
) -> None:
    # Wiki.js gzips the assets it serves; repetitive data arrives as a few
    # kilobytes per hundred megabytes. A streamed download must hand it to
    # the file piece by piece (a 200 MB asset once took 300 MB of memory).
    answer = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
        b"Content-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(gzip_bomb) + gzip_bomb
    )
    target = tmp_path / "zeros.bin"
    with scripted(lambda c, _: c.sendall(answer)) as server:
        outcome, peak = measured(lambda: download(kind, server.url, "files/zeros.bin", target))
    assert outcome.error is None
    assert outcome.data == 256 << 20
    assert target.stat().st_size == 256 << 20
    assert peak < 16 << 20  # a chunk, a step and the compressed body; not 256 MiB


def test_a_compressed_answer_within_the_limits_is_read(kind: str) -> None:
    body = gzip.compress(b'{"data": {"pages": {"list": [{"id": 7}]}}}' + b" " * 4096)
    answer = HEAD + b"Content-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(body) + body
    with scripted(lambda c, _: c.sendall(answer)) as server:
        outcome = attempt(kind, server.url)
        assert server.heads[0].lower().count(b"accept-encoding: gzip, deflate") == 1
    assert outcome.error is None
    assert outcome.data == {"pages": {"list": [{"id": 7}]}}


def test_a_body_over_its_declared_limit_is_refused_before_it_is_read(kind: str) -> None:
    answer = HEAD + b"Content-Length: %d\r\n\r\n" % (64 << 20)
    with scripted(lambda c, _: c.sendall(answer)) as server:
        outcome = attempt(kind, server.url, response_limits=ResponseLimits(max_body_size=1 << 20))
    assert isinstance(outcome.error, ResponseTooLargeError)
    assert outcome.error.limit == "max_body_size"


def test_an_endless_chunked_body_stops_at_the_body_limit(kind: str) -> None:
    def endless(connection: socket.socket, stopping: threading.Event) -> None:
        connection.sendall(HEAD + b"Transfer-Encoding: chunked\r\n\r\n")
        chunk = b"10000\r\n" + b"x" * 0x10000 + b"\r\n"
        for _ in range(2000):  # 128 MiB, unless the client stops reading first
            connection.sendall(chunk)

    limits = ResponseLimits(max_body_size=2 << 20)
    with scripted(endless) as server:
        outcome, peak = measured(lambda: attempt(kind, server.url, response_limits=limits))
    assert isinstance(outcome.error, ResponseTooLargeError)
    assert peak < 16 << 20


# -- time -------------------------------------------------------------------------------


def trickle(prefix: bytes) -> Callable[[socket.socket, threading.Event], None]:
    """Send ``prefix``, then one byte every half second until the test ends."""

    def answer(connection: socket.socket, stopping: threading.Event) -> None:
        connection.sendall(prefix)
        while not stopping.wait(0.5):
            connection.sendall(b"a")

    return answer


@pytest.mark.parametrize(
    "prefix",
    [
        HEAD + b"X-Slow: ",
        HEAD + b"Content-Length: 1000\r\n\r\n",
        HEAD + b"Transfer-Encoding: chunked\r\n\r\n100\r\n",
    ],
    ids=["headers", "body", "chunked-body"],
)
def test_a_server_trickling_a_byte_every_half_second_meets_the_deadline(
    kind: str, prefix: bytes
) -> None:
    with scripted(trickle(prefix)) as server:
        outcome = attempt(kind, server.url, timeout=5, deadline=0.8)
    assert isinstance(outcome.error, RequestTimeoutError)
    assert "deadline" in str(outcome.error)
    assert outcome.error.request_sent is True
    assert 0.7 <= outcome.seconds < 3.0


def test_a_flood_of_informational_answers_meets_the_deadline(kind: str) -> None:
    def flood(connection: socket.socket, stopping: threading.Event) -> None:
        while not stopping.wait(0.05):
            connection.sendall(b"HTTP/1.1 102 Processing\r\n\r\n")

    with scripted(flood) as server:
        outcome = attempt(kind, server.url, timeout=5, deadline=0.8)
    assert isinstance(outcome.error, RequestTimeoutError | ConnectionLostError)
    assert outcome.seconds < 3.0


def test_a_connection_closed_right_after_accept_fails_at_once_even_without_timeouts(
    kind: str,
) -> None:
    with scripted(lambda c, _: None, read=False) as server:
        outcome = attempt(kind, server.url, timeout=None, deadline=None)
    assert isinstance(outcome.error, ConnectionLostError)
    assert outcome.seconds < 3.0


def test_a_silent_server_meets_the_read_timeout(kind: str) -> None:
    with scripted(lambda c, stopping: stopping.wait(10)) as server:
        outcome = attempt(kind, server.url, timeout=0.3)
    assert isinstance(outcome.error, RequestTimeoutError)
    assert outcome.seconds < 3.0


# -- downloads ---------------------------------------------------------------------------

ASSET_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"


def endless_chunks(connection: socket.socket, stopping: threading.Event) -> None:
    connection.sendall(ASSET_HEAD + b"Transfer-Encoding: chunked\r\n\r\n")
    chunk = b"100000\r\n" + b"x" * 0x100000 + b"\r\n"
    for _ in range(100):  # 100 MiB, unless the client stops reading first
        connection.sendall(chunk)
    connection.sendall(b"0\r\n\r\n")


@pytest.mark.parametrize("declared", [True, False], ids=["declared", "chunked"])
def test_a_download_into_memory_stops_at_the_body_limit(kind: str, declared: bool) -> None:
    def declared_body(connection: socket.socket, stopping: threading.Event) -> None:
        connection.sendall(ASSET_HEAD + b"Content-Length: %d\r\n\r\n" % (100 << 20))
        for _ in range(100):
            connection.sendall(b"x" * (1 << 20))

    limits = ResponseLimits(max_body_size=4 << 20)
    with scripted(declared_body if declared else endless_chunks) as server:
        outcome, peak = measured(
            lambda: download(kind, server.url, "files/big.bin", None, response_limits=limits)
        )
    assert isinstance(outcome.error, ResponseTooLargeError), outcome.error
    assert outcome.error.limit == "max_body_size"
    assert "to=" in str(outcome.error)
    assert peak < 16 << 20  # the limit and a chunk; not 100 MiB


def test_a_download_to_a_file_is_not_bound_by_the_body_limit(kind: str, tmp_path: Path) -> None:
    limits = ResponseLimits(max_body_size=4 << 20)
    target = tmp_path / "big.bin"
    with scripted(endless_chunks) as server:
        outcome = download(kind, server.url, "files/big.bin", target, response_limits=limits)
    assert outcome.error is None
    assert target.stat().st_size == 100 << 20


@pytest.mark.parametrize("into", ["memory", "file"])
def test_a_download_trickling_a_byte_every_half_second_meets_the_deadline(
    kind: str, into: str, tmp_path: Path
) -> None:
    target = tmp_path / "slow.bin" if into == "file" else None
    with scripted(trickle(ASSET_HEAD + b"Content-Length: 1000\r\n\r\n")) as server:
        outcome = download(kind, server.url, "files/slow.bin", target, timeout=5, deadline=0.8)
    assert isinstance(outcome.error, RequestTimeoutError), outcome.error
    assert "deadline" in str(outcome.error)
    assert 0.7 <= outcome.seconds < 3.0
    assert target is None or not target.exists()  # a partial file is removed
