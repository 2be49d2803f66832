"""``pages import`` at scale: locale folders, byte-sized batches, 413s and Ctrl-C.

The fake Wiki.js refuses request bodies over 5 MB with HTTP 413, exactly as
Wiki.js 2.5's body-parser does (``bodyParserLimit: 5mb``).
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from wikijs.cli._session import Runtime
from wikijs.testing import FakeWikiJS, WriteCosts

from .conftest import Run, install_locales, lines

KB = 1024
MB = 1024 * KB


class Observed(httpx.BaseTransport):
    """The fake's transport, watched: request sizes, and Ctrl-C after the n-th write."""

    def __init__(self, fake: FakeWikiJS, interrupt_after_write: int | None = None) -> None:
        self.inner = fake.sync_transport()
        self.sizes: list[int] = []
        self.writes = 0
        self.interrupt_after_write = interrupt_after_write

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        self.sizes.append(len(body))
        response = self.inner.handle_request(request)
        if b"create(" in body or b"update(" in body:
            self.writes += 1
            if self.writes == self.interrupt_after_write:
                # The request reached the wiki and was applied; its answer is lost.
                raise KeyboardInterrupt
        return response


def write(root: Path, name: str, text: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def paths(fake: FakeWikiJS) -> list[tuple[str, str]]:
    return sorted((p.locale, p.path) for p in fake.core.state.pages.values())


def test_a_kb_tree_becomes_pages_in_the_default_locale_with_full_paths(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    install_locales(fake, "de")
    for section in range(1, 4):
        for article in range(1, 4):
            write(tmp_path, f"kb/section-{section}/article-{article}.md", f"# Article {article}\n")
    dry = run("pages", "import", "--directory", str(tmp_path), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "would create   kb/section-2/article-3.md  en/kb/section-2/article-3" in dry.stdout
    assert "kb/ is not a locale of this wiki (installed: de, en)" in dry.stderr
    result = run("pages", "import", "--directory", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert paths(fake) == [
        ("en", f"kb/section-{s}/article-{a}") for s in range(1, 4) for a in range(1, 4)
    ]


def test_folders_of_installed_locales_are_locales_and_always_refuses_unknown_ones(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    install_locales(fake, "de")
    write(tmp_path, "de/handbuch/regeln.md", "# Regeln\n")
    write(tmp_path, "zz/notes/x.md", "# zz\n")
    auto = json.loads(run("pages", "import", "--directory", str(tmp_path), "--json").stdout)
    assert [(f["locale"], f["path"]) for f in auto["files"]] == [
        ("de", "handbuch/regeln"),
        ("en", "zz/notes/x"),
    ]
    fresh = tmp_path / "again"
    write(fresh, "zz/notes/y.md", "# zz\n")
    always = run("pages", "import", "--directory", str(fresh), "--locale-dirs", "always")
    assert always.exit_code == 1
    assert "zz/notes/y.md: locale 'zz' is not installed on this wiki (installed: de, en)" in (
        always.stdout
    )


def test_an_unknown_default_locale_is_refused_before_anything_is_read(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    write(tmp_path, "a/page.md", "# Page\n")
    result = run("pages", "import", "--directory", str(tmp_path), "--locale", "zz")
    assert result.exit_code == 2
    assert "locale 'zz' is not installed on this wiki (installed: " in result.stderr
    assert "en" in result.stderr.split("(installed: ", 1)[1]


def test_thirty_files_of_250_kb_import_with_default_settings(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    for n in range(30):
        write(tmp_path, f"docs/big-{n:02}.md", f"# Big {n}\n" + "x" * (250 * KB))
    observed = Observed(fake)
    result = run("pages", "import", "--directory", str(tmp_path), obj=Runtime(transport=observed))
    assert result.exit_code == 0, result.output
    assert lines(result.stdout)[-1] == "30 created, 0 updated, 0 unchanged, 0 failed"
    assert len(fake.core.state.pages) == 30
    assert max(observed.sizes) < 5 * MB
    assert all(record.status != 413 for record in fake.requests)


def test_a_10_mb_file_fails_alone_naming_itself_and_the_limit(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    for n in range(5):
        write(tmp_path, f"docs/small-{n}.md", f"# Small {n}\n")
    write(tmp_path, "docs/huge.md", "# Huge\n" + "y" * (10 * MB))
    fake.reset_log()
    result = run("pages", "import", "--directory", str(tmp_path))
    assert result.exit_code == 1
    [failed] = [line for line in lines(result.stdout) if line.startswith("failed")]
    assert failed.startswith("failed         docs/huge.md  en/docs/huge")
    assert "docs/huge.md needs a request of about 10.0 MB" in failed
    assert "body limit of 5.0 MB" in failed
    assert lines(result.stdout)[-1] == "5 created, 0 updated, 0 unchanged, 1 failed"
    assert len(fake.core.state.pages) == 5
    assert all(record.status != 413 for record in fake.requests)


def test_a_batch_refused_as_too_large_is_split_and_sent_again(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    # The command is told of a 40 MB limit; the wiki's is 5 MB: it answers 413
    # (nothing applied), and the SDK halves the batch until it fits.
    for n in range(4):
        write(tmp_path, f"docs/part-{n}.md", f"# Part {n}\n" + "z" * (3 * MB))
    write(tmp_path, "docs/too-big.md", "# Too big\n" + "z" * (6 * MB))
    fake.reset_log()
    result = run(
        "pages", "import", "--directory", str(tmp_path), "--body-limit", "40mb",
        "--concurrency", "1",
    )  # fmt: skip
    assert result.exit_code == 1
    # A 413 is refused before the body is read: the fake logs no fields for it.
    writes = [
        (len(r.fields), r.status)
        for r in fake.requests
        if "pages.create" in r.fields or r.status == 413
    ]
    # Halved until each part goes alone: each part written once, the file too
    # big for the wiki refused last.
    assert writes[0] == (0, 413)
    assert [w for w in writes if w[1] == 200] == [(1, 200)] * 4
    assert writes[-1] == (0, 413)
    assert sorted(p.path for p in fake.core.state.pages.values()) == [
        f"docs/part-{n}" for n in range(4)
    ]
    [failed] = [line for line in lines(result.stdout) if line.startswith("failed")]
    assert "docs/too-big.md: the wiki refused the request as too large (HTTP 413)" in failed
    assert "pass a smaller --body-limit" in failed


def test_body_limit_takes_sizes_and_refuses_nonsense(run: Run, tmp_path: Path) -> None:
    for bad in ("lots", "0", "-5mb", "12kb"):
        result = run("pages", "import", "--directory", str(tmp_path), "--body-limit", bad)
        assert result.exit_code == 2, bad
        assert "--body-limit" in result.stderr


def test_ctrl_c_reports_what_was_written_and_a_second_run_finishes(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    for n in range(25):
        write(tmp_path, f"docs/note-{n:02}.md", f"# Note {n}\n")
    # Requests of 5 creates; Ctrl-C as the answer to the third arrives (it landed).
    interrupted = run(
        "pages", "import", "--directory", str(tmp_path), "--batch-size", "5",
        "--concurrency", "1",
        obj=Runtime(transport=Observed(fake, interrupt_after_write=3)),
    )  # fmt: skip
    assert interrupted.exit_code == 130
    out = lines(interrupted.stdout)
    # What landed is read back from the wiki's page list: the request in flight did
    # land. (How many a request holds, up to 5, is the write planner's choice.)
    sent = [len(r.fields) for r in fake.requests if "pages.create" in r.fields]
    landed = sum(sent[:3])
    assert len(sent) == 3
    assert all(1 <= n <= 5 for n in sent)
    assert len(fake.core.state.pages) == landed
    assert sum(line.startswith("not confirmed") for line in out) == 25 - landed
    assert out[-1] == (
        f"{landed} created, 0 updated, 0 unchanged, 0 failed, {25 - landed} not confirmed"
    )
    assert (
        f"Interrupted (Ctrl-C): {landed} file(s) written (listed above), {25 - landed} not "
        "confirmed (in flight or not sent; one in flight may still land). Run the same "
        "command again to finish" in " ".join(interrupted.stderr.split())
    )

    again = run("pages", "import", "--directory", str(tmp_path), "--json")
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["counts"] == {
        "create": 25 - landed,
        "update": 0,
        "unchanged": landed,
        "failed": 0,
    }
    assert len(fake.core.state.pages) == 25


@pytest.mark.parametrize("batch_size", ["1", "3"])
def test_batch_size_caps_files_per_request(
    fake: FakeWikiJS, run: Run, tmp_path: Path, batch_size: str
) -> None:
    for n in range(12):
        write(tmp_path, f"docs/n-{n:02}.md", f"# N {n}\n")
    fake.reset_log()
    result = run("pages", "import", "--directory", str(tmp_path), "--batch-size", batch_size)
    assert result.exit_code == 0, result.output
    creates = [r for r in fake.requests if "pages.create" in r.fields]
    assert max(len(r.fields) for r in creates) == int(batch_size)
    assert sum(len(r.fields) for r in creates) == 12


def test_requests_hold_what_the_wiki_can_write_within_the_timeout(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    # The SDK's write budget (half the read timeout, against about 3 s per
    # create on a real Wiki.js) sizes the requests, not only --batch-size:
    # with a 6 s timeout the first request holds one page.
    for n in range(4):
        write(tmp_path, f"docs/n-{n:02}.md", f"# N {n}\n")
    fake.reset_log()
    result = run("pages", "import", "--directory", str(tmp_path), "--timeout", "6")
    assert result.exit_code == 0, result.output
    sizes = [len(r.fields) for r in fake.requests if "pages.create" in r.fields]
    assert sizes[0] == 1
    assert sum(sizes) == 4


class TreeRace(httpx.BaseTransport):
    """The fake, answering the second create of a batch as Wiki.js does when its
    page-tree rebuild collides with another client's write: stored, yet failed."""

    def __init__(self, fake: FakeWikiJS) -> None:
        self.inner = fake.sync_transport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        body = json.loads(response.read())
        creates = b"create(" in request.content  # (read-backs use the same aliases)
        if creates and isinstance(body, dict) and "b1_pages" in (body.get("data") or {}):
            body["data"]["b1_pages"]["create"] = {
                "responseResult": {
                    "succeeded": False,
                    "errorCode": 1,
                    "slug": "Error",
                    "message": 'Error when running job rebuild-tree: insert into "pageTree" '
                    '... violates foreign key constraint "pagetree_pageid_foreign"',
                },
                "page": None,
            }
        return httpx.Response(response.status_code, json=body)


def test_a_create_reported_failed_but_stored_counts_as_created(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    write(tmp_path, "docs/a.md", "# A\n")
    write(tmp_path, "docs/b.md", "# B\n")
    write(tmp_path, "docs/c.md", "---\neditor: wysiwyg\n---\n# C\n")  # really refused
    result = run(
        "pages", "import", "--directory", str(tmp_path), "--concurrency", "1",
        obj=Runtime(transport=TreeRace(fake)),
    )  # fmt: skip
    out = lines(result.stdout)
    assert out[-1] == "2 created, 0 updated, 0 unchanged, 1 failed"
    b = json.loads(run("pages", "get", "docs/b", "--json").stdout)
    assert out[1].startswith(f"created        docs/b.md  en/docs/b #{b['id']}")
    assert result.exit_code == 1


def test_batches_are_sent_several_at_once_and_reported_whole(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    # Writes that take time on the server, as Wiki.js's do: the write lanes keep
    # two or more batches in flight (the fake counts those that overlapped).
    fake.write_costs = WriteCosts({"pages.create": 0.05, "pages.update": 0.05})
    for n in range(16):
        write(tmp_path, f"docs/n-{n:02}.md", f"# N {n}\n")
    result = run("pages", "import", "--directory", str(tmp_path), "--batch-size", "2")
    assert result.exit_code == 0, result.output
    out = lines(result.stdout)
    assert sorted(line.split()[1] for line in out if line.startswith("created")) == [
        f"docs/n-{n:02}.md" for n in range(16)
    ]
    assert out[-1] == "16 created, 0 updated, 0 unchanged, 0 failed"
    assert len(fake.core.state.pages) == 16
    assert fake.core.meter is not None
    assert fake.core.meter.peak >= 2
    for n in range(16):
        write(tmp_path, f"docs/n-{n:02}.md", f"# N {n} again\n")
    again = run("pages", "import", "--directory", str(tmp_path), "--concurrency", "3")
    assert again.exit_code == 0, again.output
    assert lines(again.stdout)[-1] == "0 created, 16 updated, 0 unchanged, 0 failed"
