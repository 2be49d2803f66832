"""docs/cli.md runs as written: its shell blocks, in order, after its one setup block.

Every ```sh block not marked ``<!-- no-run -->`` runs in one bash script in
an empty folder, with the installed console script and a clean
environment: the first block starts the fake wiki the rest use.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "cli.md"
FENCE = re.compile(r"(<!-- no-run -->\s*)?```sh\n(.*?)```", re.DOTALL)
BIN = Path(sys.executable).parent


def shell_blocks() -> list[str]:
    text = PAGE.read_text(encoding="utf-8")
    return [code for skip, code in FENCE.findall(text) if not skip]


def test_the_first_runnable_block_is_the_setup() -> None:
    blocks = shell_blocks()
    assert blocks[0].startswith('eval "$(wikijs fake-server --seed-demo --background)"')
    assert len(blocks) > 10


@pytest.mark.skipif(not (BIN / "wikijs").exists(), reason="needs the installed console script")
def test_every_shell_example_runs_as_written(tmp_path: Path) -> None:
    script = "\n".join(
        [
            "set -eu",
            'trap \'[ -n "${WIKIJS_FAKE_PID:-}" ] && kill "$WIKIJS_FAKE_PID"\' EXIT',
            *(f"echo '### block {n}' >&2\n{code}" for n, code in enumerate(shell_blocks())),
        ]
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WIKIJS_", "_WIKIJS"))}
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        HOME=str(tmp_path),
        XDG_CONFIG_HOME=str(tmp_path / ".config"),
        SHELL="/bin/bash",
    )
    work = tmp_path / "work"
    work.mkdir()
    result = subprocess.run(
        ["bash", "-c", script],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, (
        f"{result.stdout[-3000:]}\n--- stderr ---\n{result.stderr[-3000:]}"
    )
    assert "Traceback" not in result.stderr
