"""Serving the fake on a loopback socket with uvicorn, and the ``fake-server`` command.

``main(argv)`` backs ``wikijs fake-server --host 127.0.0.1 --port 0
[--seed-demo] [--latency MS] [--write-costs SCALE]``: it prints the base URL and the admin API
key (two lines) and serves until Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import signal
import socket
import sys
import threading
import time
from collections.abc import Sequence
from typing import Any

from ._asgi import ASGIApp


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio only disables Nagle on accepted sockets
    # whose proto says TCP, and without that every answer (headers and body
    # written separately) waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.setblocking(False)
    return sock


def _url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def _config(app: ASGIApp, log_level: str = "error") -> Any:
    import uvicorn

    return uvicorn.Config(
        app,
        lifespan="off",
        log_level=log_level,
        access_log=False,
        ws="auto",
        timeout_graceful_shutdown=1,
    )


class BackgroundServer:
    """uvicorn in a daemon thread, on a socket bound before it starts."""

    def __init__(self, app: ASGIApp, host: str = "127.0.0.1", port: int = 0) -> None:
        import uvicorn

        self._sock = _bind(host, port)
        self.url: str = _url(self._sock)
        self._server = uvicorn.Server(_config(app))
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )

    def start(self, timeout: float = 10.0) -> None:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the fake Wiki.js server did not start")
            time.sleep(0.005)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._sock.close()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fake-server", description="Serve a fake Wiki.js 2.5 for tests and demos."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--seed-demo", action="store_true", help="fill the wiki with demo data")
    parser.add_argument("--latency", type=float, default=0.0, help="added latency in ms")
    parser.add_argument("--no-quirks", action="store_true", help="an idealised server")
    parser.add_argument(
        "--write-costs",
        type=float,
        default=0.0,
        metavar="SCALE",
        help="charge the write costs measured on a real Wiki.js, times SCALE (1 = real time)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the fake server in the foreground until interrupted."""
    import uvicorn

    from ._fake import FakeWikiJS

    args = build_parser().parse_args(argv)
    from ._costs import WriteCosts

    fake = FakeWikiJS(
        latency=args.latency / 1000.0,
        quirks=not args.no_quirks,
        write_costs=WriteCosts.measured().scaled(args.write_costs) if args.write_costs else None,
    )
    try:
        if args.seed_demo:
            fake.seed_demo()
        sock = _bind(args.host, args.port)
        print(_url(sock), flush=True)
        print(fake.api_key, flush=True)
        server = uvicorn.Server(_config(fake.asgi_app(), "warning"))
        # uvicorn re-raises the signal that stopped it once it has shut down;
        # with these handlers that ends the command normally instead of killing it.
        previous = signal.signal(signal.SIGTERM, lambda signum, frame: None)
        try:
            server.run(sockets=[sock])
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            sock.close()
    finally:
        fake.close()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
