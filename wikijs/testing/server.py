"""Serving the fake on a loopback socket with uvicorn, and the ``fake-server`` command.

uvicorn comes with ``wikijs[testing]``; without it, serving says so (the fake
in process, ``sync_transport()`` and ``aiohttp_session()``, needs none of it).

``main(argv)`` backs ``wikijs fake-server --host 127.0.0.1 --port 0
[--seed-demo] [--latency MS] [--write-costs SCALE] [--json | --background]``: it prints labelled
lines (URL, API key, admin email and password), or with ``--json`` one JSON
object for scripts, and serves until Ctrl-C or SIGTERM. ``--background``
starts it as a detached process and prints ``export`` lines for the shell:
``eval "$(wikijs fake-server --seed-demo --background)"``.
"""

from __future__ import annotations

import argparse
import json
import shlex
import signal
import socket
import subprocess
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


def _uvicorn() -> Any:
    try:
        import uvicorn
    except ImportError:
        raise ImportError(MISSING_UVICORN) from None
    return uvicorn


MISSING_UVICORN = (
    "serving the fake Wiki.js on a socket needs uvicorn: pip install 'wikijs[testing]'"
)


def _config(app: ASGIApp, log_level: str = "error") -> Any:
    return _uvicorn().Config(
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
        uvicorn = _uvicorn()
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
    shown = parser.add_mutually_exclusive_group()
    shown.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object (url, api_key, admin_email, admin_password) for scripts",
    )
    shown.add_argument(
        "--background",
        action="store_true",
        help="run detached and print export lines for the shell: "
        'eval "$(wikijs fake-server --background)"; stop it with kill $WIKIJS_FAKE_PID',
    )
    return parser


def banner(details: dict[str, str]) -> str:
    """What the server prints for people: labelled lines, then how to use them."""
    return "\n".join(
        [
            f"Fake Wiki.js 2.5 serving at {details['url']} (Ctrl-C stops it)",
            f"URL:            {details['url']}",
            f"API key:        {details['api_key']}",
            f"Admin email:    {details['admin_email']}",
            f"Admin password: {details['admin_password']}",
            "Use it from another shell:",
            f"  export WIKIJS_URL={details['url']} WIKIJS_API_KEY={details['api_key']}",
        ]
    )


def background(argv: Sequence[str]) -> int:
    """Start the server detached, wait until it listens, print ``export`` lines."""
    code = "import sys; from wikijs.testing.server import main; sys.exit(main(sys.argv[1:]))"
    forwarded = [arg for arg in argv if arg != "--background"]
    process = subprocess.Popen(  # noqa: S603 - this Python, this module, the user's own options
        [sys.executable, "-c", code, *forwarded, "--json"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # Ctrl-C in the shell, or the shell ending, leaves it running
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    process.stdout.close()
    if not line:
        print("fake-server: the server did not start", file=sys.stderr)
        return process.wait() or 1
    details = json.loads(line)
    for name, value in (
        ("WIKIJS_URL", details["url"]),
        ("WIKIJS_API_KEY", details["api_key"]),
        ("WIKIJS_FAKE_PID", str(process.pid)),
    ):
        print(f"export {name}={shlex.quote(value)}")
    print(
        f"fake Wiki.js at {details['url']} (pid {process.pid}); admin login "
        f"{details['admin_email']} / {details['admin_password']}; "
        'stop it with: kill "$WIKIJS_FAKE_PID"',
        file=sys.stderr,
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the fake server in the foreground until interrupted."""
    from ._fake import FakeWikiJS

    args = build_parser().parse_args(argv)
    try:
        uvicorn = _uvicorn()
    except ImportError as error:
        print(f"fake-server: {error}", file=sys.stderr)
        return 1
    if args.background:
        return background(sys.argv[1:] if argv is None else argv)
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
        details = {
            "url": _url(sock),
            "api_key": fake.api_key,
            "admin_email": fake.admin_email,
            "admin_password": fake.admin_password,
        }
        print(json.dumps(details) if args.json else banner(details), flush=True)
        server = uvicorn.Server(_config(fake.asgi_app(), "warning"))
        # uvicorn re-raises the signal that stopped it once it has shut down;
        # with this handler that ends the command normally instead of killing
        # it, and a SIGTERM that comes before uvicorn listens still stops it.
        previous = signal.signal(
            signal.SIGTERM, lambda signum, frame: setattr(server, "should_exit", True)
        )
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
