"""FaultProxy: a loopback reverse proxy injecting faults, in front of the fake on a real socket."""

from __future__ import annotations

import json
import math
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from wikijs import WikiJSClient
from wikijs.aio import AsyncWikiJSClient
from wikijs.middleware import RetryStrategy
from wikijs.testing import FakeWikiJS, Fault, FaultProxy

CREATE = (
    'mutation CreateOne($p: String!) { pages { create(content: "x", description: "",'
    ' editor: "markdown", isPublished: true, isPrivate: false, locale: "en", path: $p,'
    ' tags: [], title: "T") { responseResult { succeeded } } } }'
)
LIST = "query ListAll { pages { list { id } } }"


@pytest.fixture
def fake() -> Iterator[FakeWikiJS]:
    with FakeWikiJS() as server:
        yield server


@pytest.fixture
def proxy(fake: FakeWikiJS) -> Iterator[FaultProxy]:
    with fake.serve() as upstream, FaultProxy(upstream) as running:
        yield running


@pytest.fixture
def http(proxy: FaultProxy, fake: FakeWikiJS) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {fake.api_key}"}
    with httpx.Client(base_url=proxy.url, headers=headers, timeout=5) as client:
        yield client


def create(http: httpx.Client, path: str) -> httpx.Response:
    return http.post("/graphql", json={"query": CREATE, "variables": {"p": path}})


def paths(fake: FakeWikiJS) -> list[str]:
    return sorted(page.path for page in fake.core.state.pages.values())


def test_requests_are_forwarded_and_recorded(
    proxy: FaultProxy, http: httpx.Client, fake: FakeWikiJS
) -> None:
    response = create(http, "docs/a")
    assert response.json()["data"]["pages"]["create"]["responseResult"]["succeeded"] is True
    assert paths(fake) == ["docs/a"]
    (record,) = proxy.records
    assert (record.method, record.path, record.operation_names, record.fields) == (
        "POST",
        "/graphql",
        ("CreateOne",),
        ("pages.create",),
    )
    assert (record.fault, record.forwarded, record.upstream_status, record.status) == (
        None,
        True,
        200,
        200,
    )
    assert record.upstream_seconds is not None


def test_one_connection_carries_several_requests(proxy: FaultProxy, fake: FakeWikiJS) -> None:
    body = json.dumps({"query": LIST}).encode()
    request = (
        b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + f"Authorization: Bearer {fake.api_key}\r\nContent-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    host, port = proxy.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        answers = []
        for _ in range(2):
            sock.sendall(request)
            answers.append(read_response(sock))
    assert [a.split(b"\r\n", 1)[0] for a in answers] == [b"HTTP/1.1 200 OK"] * 2
    assert all(b"connection: keep-alive" in a.lower() for a in answers)
    assert all(a.endswith(b'{"data":{"pages":{"list":[]}}}') for a in answers)


def read_response(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        body += sock.recv(65536)
    return head + b"\r\n\r\n" + body


def test_connection_close_is_honoured(proxy: FaultProxy) -> None:
    host, port = proxy.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = read_response(sock)
        assert sock.recv(1) == b""  # closed after the answer
    assert b"connection: close" in answer.lower()


def test_garbage_gets_a_400_and_a_closed_connection(proxy: FaultProxy) -> None:
    host, port = proxy.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(b"NOT HTTP AT ALL\r\n\r\n")
        assert sock.recv(100).startswith(b"HTTP/1.1 400 ")
    assert proxy.records == []


@pytest.mark.parametrize(
    ("fault", "retry_after"),
    [(Fault.http(502), None), (Fault.http(429, retry_after=2), "2"), (Fault.http(503), None)],
)
def test_status_faults_answer_without_forwarding(
    proxy: FaultProxy,
    http: httpx.Client,
    fake: FakeWikiJS,
    fault: Fault,
    retry_after: str | None,
) -> None:
    proxy.faults.push(fault)
    response = create(http, "docs/a")
    assert response.status_code == fault.status
    assert response.headers.get("retry-after") == retry_after
    assert paths(fake) == []
    record = proxy.records[-1]
    assert (record.fault, record.forwarded, record.status) == (fault, False, fault.status)
    assert create(http, "docs/a").status_code == 200  # the connection still serves


def test_refuse_closes_without_forwarding(
    proxy: FaultProxy, http: httpx.Client, fake: FakeWikiJS
) -> None:
    proxy.faults.push(Fault.refuse())
    with pytest.raises(httpx.RemoteProtocolError):
        create(http, "docs/a")
    assert paths(fake) == []
    record = proxy.records[-1]
    assert (record.fault, record.forwarded, record.status) == (Fault.refuse(), False, None)


def test_drop_after_forwards_then_closes_unanswered(
    proxy: FaultProxy, http: httpx.Client, fake: FakeWikiJS
) -> None:
    proxy.faults.push(Fault.drop_after())
    with pytest.raises(httpx.RemoteProtocolError):
        create(http, "docs/a")
    assert paths(fake) == ["docs/a"]  # the write landed
    record = proxy.records[-1]
    assert (record.forwarded, record.upstream_status, record.status) == (True, 200, None)


def test_stall_for_ever_outlasts_the_client_timeout(
    proxy: FaultProxy, http: httpx.Client, fake: FakeWikiJS
) -> None:
    proxy.faults.push(Fault.stall(math.inf))
    with pytest.raises(httpx.ReadTimeout):
        http.post("/graphql", json={"query": CREATE, "variables": {"p": "docs/a"}}, timeout=0.2)
    assert paths(fake) == ["docs/a"]
    record = proxy.records[-1]
    assert (record.forwarded, record.upstream_status, record.status) == (True, 200, None)
    assert create(http, "docs/b").status_code == 200


def test_a_finite_stall_answers_late(proxy: FaultProxy, http: httpx.Client) -> None:
    proxy.faults.push(Fault.stall(0.05))
    assert http.post("/graphql", json={"query": LIST}).status_code == 200
    assert proxy.records[-1].status == 200


def test_batches_record_every_operation_and_filters_match_any(
    proxy: FaultProxy, http: httpx.Client, fake: FakeWikiJS
) -> None:
    proxy.faults.push(Fault.http(502, operation="pages.create"))
    assert http.post("/graphql", json={"query": LIST}).status_code == 200
    batch = [{"query": LIST}, {"query": CREATE, "variables": {"p": "docs/a"}}]
    assert http.post("/graphql", json=batch).status_code == 502
    assert proxy.records[-1].operation_names == ("ListAll", "CreateOne")
    assert proxy.records[-1].fields == ("pages.list", "pages.create")
    assert proxy.faults.pending == 0
    assert paths(fake) == []


def test_the_next_n_requests_get_the_scripted_fault(proxy: FaultProxy, http: httpx.Client) -> None:
    proxy.faults.extend([Fault.http(503)] * 3)
    statuses = [http.get("/healthz").status_code for _ in range(4)]
    assert statuses == [503, 503, 503, 200]


def test_random_faults_are_reproducible_by_seed(fake: FakeWikiJS) -> None:
    def labels(seed: int) -> list[str | None]:
        with fake.serve() as upstream, FaultProxy(upstream) as proxy:
            proxy.faults.set_rate(0.5, [Fault.http(502), Fault.http(429)], seed=seed)
            with httpx.Client(base_url=proxy.url) as client:
                for _ in range(30):
                    client.get("/healthz")
            return [r.fault.label if r.fault else None for r in proxy.records]

    first = labels(7)
    assert first == labels(7)
    assert first != labels(8)
    assert {"502", "429", None} == set(first)


def test_an_unreachable_upstream_is_a_502_not_forwarded() -> None:
    with socket.socket() as placeholder:
        placeholder.bind(("127.0.0.1", 0))
        port = placeholder.getsockname()[1]  # bound, never listening: connections refused
        with FaultProxy(f"http://127.0.0.1:{port}") as proxy, httpx.Client() as client:
            assert client.get(proxy.url + "/healthz").status_code == 502
    record = proxy.records[-1]
    assert (record.forwarded, record.upstream_status, record.status) == (False, None, 502)


class _Gate:
    """An upstream that answers only when the test opens the gate."""

    def __init__(self) -> None:
        self.arrived = threading.Event()
        self.open = threading.Event()
        gate = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["content-length"]))
                gate.arrived.set()
                gate.open.wait(10)
                self.send_response(200)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.open.set()
        self.server.shutdown()
        self.server.server_close()


def test_drop_after_without_waiting_cuts_while_the_upstream_works() -> None:
    gate = _Gate()
    try:
        with FaultProxy(gate.url) as proxy, httpx.Client(timeout=5) as client:
            proxy.faults.push(Fault.drop_after(wait=False))
            with pytest.raises(httpx.RemoteProtocolError):
                client.post(proxy.url + "/graphql", json={"query": LIST})
            assert gate.arrived.wait(10)  # written upstream; the gate reads it soon
            assert proxy.records[-1].forwarded is True
            assert proxy.records[-1].upstream_status is None  # still working
            assert proxy.wait_idle(timeout=0) is False
            gate.open.set()
            assert proxy.wait_idle(timeout=10) is True
            assert proxy.records[-1].upstream_status == 200
    finally:
        gate.close()


def test_reset_log_forgets_the_records(proxy: FaultProxy, http: httpx.Client) -> None:
    http.get("/healthz")
    proxy.reset_log()
    assert proxy.records == []
    assert repr(proxy) == f"FaultProxy({proxy.url} -> {proxy.upstream})"


def test_the_sdk_clients_recover_through_the_proxy(proxy: FaultProxy, fake: FakeWikiJS) -> None:
    no_wait = RetryStrategy(initial_delay=0)
    with WikiJSClient(proxy.url, auth=fake.api_key, retry_strategy=no_wait) as client:
        proxy.faults.extend([Fault.http(502), Fault.refuse()])
        assert client.pages.list() == []
    records = proxy.records
    assert [r.fault.label for r in records if r.fault] == ["502", "refuse"]
    assert (records[-1].fields, records[-1].status) == (("pages.list",), 200)


async def test_the_async_clients_own_http_path_works_through_the_proxy(
    proxy: FaultProxy, fake: FakeWikiJS
) -> None:
    no_wait = RetryStrategy(initial_delay=0)
    async with AsyncWikiJSClient(proxy.url, auth=fake.api_key, retry_strategy=no_wait) as client:
        proxy.faults.push(Fault.http(503, retry_after=0))
        page = await client.pages.create(title="T", path="docs/a", content="x")
        assert (await client.pages.get(page.id)).content == "x"
    assert any(r.status == 503 for r in proxy.records)
