"""The real ``wikijs`` in a child process: on a pseudo-terminal, in pipes, and in the shell.

A terminal gets Rich: progress bars, tables fitted to its width, colour
unless NO_COLOR. Pipes get plain lines. These run the installed console
script against the fake served on loopback.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from wikijs.testing import FakeWikiJS

SCRIPT = Path(sys.executable).parent / "wikijs"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
COLOUR = re.compile(r"\x1b\[[0-9;]*3[0-9](;[0-9]+)*m")  # a foreground colour

pytestmark = pytest.mark.skipif(
    not SCRIPT.exists() or sys.platform == "win32", reason="needs the console script and a pty"
)


def _default_interrupt() -> None:
    """In the child before exec: Ctrl-C as a shell would leave it for a program.

    A child inherits an ignored SIGINT and a blocked signal mask from the
    process that starts it, and Python then leaves SIGINT alone; whatever
    the test process went through before must not decide what Ctrl-C does.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


class Terminal:
    """``wikijs`` running on a pseudo-terminal of a given size."""

    def __init__(self, args: list[str], env: dict[str, str], columns: int = 100) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
        self.process = subprocess.Popen(
            [str(SCRIPT), *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            preexec_fn=_default_interrupt,
        )
        os.close(slave)
        self.master = master
        self.output = b""
        self.seen = 0

    def read_until(self, marker: str, timeout: float = 30) -> str:
        """Output so far, once ``marker`` appeared in it after what was already expected.

        Typing before the program waits for input (readline puts the
        terminal in raw mode only then) would race with it, as it would
        for a person typing ahead.
        """
        deadline = time.monotonic() + timeout
        while (found := self.output.find(marker.encode(), self.seen)) < 0:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._read(remaining):
                raise AssertionError(f"no {marker!r} in {self.text[self.seen :]!r}")
        self.seen = found + len(marker.encode())
        return self.text

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.master, 65536)
        except OSError:  # EIO: the child closed the terminal
            return False
        self.output += data
        return bool(data)

    def send(self, text: str) -> None:
        os.write(self.master, text.encode())

    def finish(self, timeout: float = 60) -> tuple[int, str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self._read(deadline - time.monotonic()):
            pass
        status = self.process.wait(timeout=10)
        os.close(self.master)
        return status, self.text

    @property
    def text(self) -> str:
        return self.output.decode("utf-8", "replace")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of a user whose wiki is the fake on loopback."""
    fake = FakeWikiJS()
    fake.add_page("docs/start", title="Start", content="# Start\n")
    with fake.serve() as url:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("WIKIJS_", "NO_COLOR"))}
        # the size is the pty's: COLUMNS and LINES would override it (pytest-xdist's
        # workers have COLUMNS=80 and LINES=24 in their environment)
        env.pop("COLUMNS", None)
        env.pop("LINES", None)
        env.update(
            WIKIJS_URL=url,
            WIKIJS_API_KEY=fake.api_key,
            XDG_CONFIG_HOME=str(tmp_path / "xdg"),
            TERM="xterm-256color",
            FORCE_COLOR="",
        )
        env.pop("FORCE_COLOR")
        yield env
    fake.close()


def tree(root: Path, count: int = 30) -> Path:
    for n in range(count):
        path = root / f"docs/note-{n:02}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# Note {n}\n", encoding="utf-8")
    return root


def test_import_export_and_upload_draw_progress_bars_on_a_terminal(
    served: dict[str, str], tmp_path: Path
) -> None:
    source = tree(tmp_path / "in")
    status, text = Terminal(["pages", "import", "--directory", str(source)], served).finish()
    assert status == 0, text
    assert "━" in text  # Rich's bar
    assert "30/30 files" in ANSI.sub("", text)
    assert COLOUR.search(text)  # "created" lines in green
    assert "import: " not in text  # no line-by-line progress on a terminal

    status, text = Terminal(["pages", "export", "--output", str(tmp_path / "out")], served).finish()
    assert status == 0, text
    assert "━" in text
    assert "31/31 pages" in ANSI.sub("", text)

    blob = tmp_path / "blob.bin"
    blob.write_bytes(os.urandom(3 * 1024 * 1024))
    status, text = Terminal(["assets", "upload", str(blob)], served).finish()
    assert status == 0, text
    assert "━" in text
    assert "3.0/3.0 MiB" in ANSI.sub("", text)


def test_pipes_get_plain_lines_and_no_bars(served: dict[str, str], tmp_path: Path) -> None:
    source = tree(tmp_path / "in")
    result = subprocess.run(
        [str(SCRIPT), "pages", "import", "--directory", str(source)],
        env=served,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "━" not in result.stderr + result.stdout
    assert "\x1b[" not in result.stderr + result.stdout
    progress = [line for line in result.stderr.splitlines() if line.startswith("import: ")]
    assert 2 <= len(progress) <= 10
    assert all(re.fullmatch(r"import: \d+/30 files \(\d+%\)", line) for line in progress)
    assert progress[-1] == "import: 30/30 files (100%)"
    assert result.stdout.splitlines()[-1] == "30 created, 0 updated, 0 unchanged, 0 failed"


def test_no_progress_and_no_color(served: dict[str, str], tmp_path: Path) -> None:
    source = tree(tmp_path / "in", 5)
    env = {**served, "NO_COLOR": "1"}
    status, text = Terminal(
        ["--no-progress", "pages", "import", "--directory", str(source)], env
    ).finish()
    assert status == 0, text
    assert "━" not in text
    assert not COLOUR.search(text)
    assert "5 created" in text


def test_tables_fit_the_terminal(served: dict[str, str], tmp_path: Path) -> None:
    long = tmp_path / "long.md"
    long.write_text("x", encoding="utf-8")
    title = "A remarkably long title that would never fit in a narrow terminal window at all"
    subprocess.run(
        [str(SCRIPT), "pages", "create", "--title", title, "--path", "docs/long",
         "--content-file", str(long), "--tag", "one", "--tag", "two"],
        env=served, check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    status, text = Terminal(["pages", "list"], served, columns=60).finish()
    assert status == 0, text
    rows = [ANSI.sub("", line) for line in text.splitlines() if line.strip()]
    assert all(len(row) <= 60 for row in rows), rows
    assert any("…" in row for row in rows)
    header = next(row for row in rows if "PATH" in row)
    assert header.split() == ["ID", "PATH", "TITLE", "TAGS", "UPDATED"]
    piped = subprocess.run(
        [str(SCRIPT), "pages", "list"], env=served, capture_output=True, text=True, timeout=60
    )
    assert title[:59] in piped.stdout  # a pipe gets the plain, unfitted table


@pytest.mark.parametrize(
    "args", [["pages", "get", "docs/start", "--content"], ["pages", "list"], ["--help"]]
)
def test_a_closed_pipe_ends_quietly(served: dict[str, str], args: list[str]) -> None:
    # `wikijs pages get X | head -1` after head has gone: the pipe has no reader.
    reader = subprocess.Popen(
        [str(SCRIPT), *args], env=served, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert reader.stdout is not None
    reader.stdout.close()
    status = reader.wait(timeout=60)
    assert reader.stderr is not None
    assert reader.stderr.read() == b""
    assert status in ((141,) if args[0] == "pages" else (0, 1))  # click handles --help itself


def test_interactive_completes_with_tab_and_ends_on_ctrl_d(served: dict[str, str]) -> None:
    shell = Terminal(["interactive"], served)
    shell.read_until("wikijs> ")
    shell.send("pag\t")
    shell.read_until("pages ")
    shell.send("li\t")
    shell.read_until("list ")
    shell.send("--fil\t")
    shell.read_until("--filter ")
    shell.send("title:Start\r")
    shell.read_until("en/docs/start")
    shell.read_until("wikijs> ")
    shell.send("pagez list\r")
    text = shell.read_until("Type help for the commands.")
    assert "Did you mean pages?" in text
    assert "Try 'wikijs" not in text
    shell.read_until("wikijs> ")
    shell.send("\x04")  # Ctrl-D
    status, text = shell.finish()
    assert status == 0
    assert text.endswith("wikijs> \r\n")  # the prompt's line is ended


def test_ctrl_c_at_the_prompt_gives_a_new_prompt(served: dict[str, str]) -> None:
    shell = Terminal(["interactive"], served)
    shell.read_until("wikijs> ")
    shell.send("pages li")
    shell.read_until("pages li")  # readline echoed the line: it is reading keys
    # Ctrl-C. CPython's readline notices a signal only while it waits in
    # select(); one that lands just before is seen at the next: press again.
    for _ in range(40):
        os.killpg(shell.process.pid, signal.SIGINT)
        try:
            shell.read_until("\r\nwikijs> ", timeout=0.5)  # the line abandoned, a new prompt
            break
        except AssertionError:
            continue
    else:
        raise AssertionError(f"Ctrl-C gave no new prompt: {shell.text!r}")
    shell.send("exit\r")
    assert shell.finish()[0] == 0


def test_shell_completion_scripts_and_answers(served: dict[str, str]) -> None:
    script = subprocess.run(
        [str(SCRIPT), "completion", "bash"], env=served, capture_output=True, text=True
    )
    assert script.returncode == 0
    assert "_WIKIJS_COMPLETE=bash_complete" in script.stdout
    env = {**served, "_WIKIJS_COMPLETE": "bash_complete", "COMP_WORDS": "wikijs pages ex",
           "COMP_CWORD": "2"}  # fmt: skip
    answer = subprocess.run([str(SCRIPT)], env=env, capture_output=True, text=True)
    assert answer.stdout.split() == ["plain,export"]
    env.update(COMP_WORDS="wikijs sync docs --locale-dirs ", COMP_CWORD="4")
    answer = subprocess.run([str(SCRIPT)], env=env, capture_output=True, text=True)
    assert answer.stdout.split() == ["plain,auto", "plain,always", "plain,never"]


def test_fake_server_prints_labelled_lines_json_and_runs_in_the_background(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIKIJS_")}
    server = subprocess.Popen(
        [str(SCRIPT), "fake-server", "--port", "0"], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        lines = [server.stdout.readline().rstrip("\n") for _ in range(7)]
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert lines[0].startswith("Fake Wiki.js 2.5 serving at http://127.0.0.1:")
    assert [line.split(":", 1)[0] for line in lines[1:5]] == [
        "URL",
        "API key",
        "Admin email",
        "Admin password",
    ]
    assert lines[3] == "Admin email:    admin@example.com"

    started = subprocess.run(
        [str(SCRIPT), "fake-server", "--background"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    exports = dict(
        line.removeprefix("export ").split("=", 1) for line in started.stdout.splitlines()
    )
    assert set(exports) == {"WIKIJS_URL", "WIKIJS_API_KEY", "WIKIJS_FAKE_PID"}
    try:
        check = subprocess.run(
            [str(SCRIPT), "health", "check", "--json"],
            env={**env, **exports},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert json.loads(check.stdout)["ok"] is True
    finally:
        os.kill(int(exports["WIKIJS_FAKE_PID"]), signal.SIGTERM)
