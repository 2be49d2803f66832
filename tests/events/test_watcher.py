"""The watcher against the fake: exact events between polls, none twice, errors survived."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import pytest

from wikijs import WikiJSClient
from wikijs.aio import AsyncWikiJSClient
from wikijs.errors import AuthenticationError, HTTPStatusError, ValidationError
from wikijs.events import AsyncWatcher, PageEvent, UserEvent, Watcher
from wikijs.testing import FakeWikiJS, Fault


@pytest.fixture
def wiki(fake: FakeWikiJS) -> Iterator[WikiJSClient]:
    # No retries: a fault must reach the watcher, not be absorbed by the client.
    with WikiJSClient(
        fake.url, auth=fake.api_key, transport=fake.sync_transport(), retry_strategy=None
    ) as client:
        yield client


def summary(events: list[PageEvent | UserEvent]) -> list[tuple[str, int]]:
    return [(e.type, e.page.id if isinstance(e, PageEvent) else e.user.id) for e in events]


def test_the_first_poll_is_a_baseline(fake: FakeWikiJS, wiki: WikiJSClient) -> None:
    page = fake.add_page("docs/a")
    watcher = Watcher(wiki)
    assert watcher.snapshot is None
    assert watcher.poll() == []
    assert watcher.snapshot is not None
    assert list(watcher.snapshot.pages or {}) == [page.id]


def test_changes_between_polls_become_exact_events(fake: FakeWikiJS, wiki: WikiJSClient) -> None:
    a, b, c = (
        fake.add_page(path, title=path.upper()).id for path in ("docs/a", "docs/b", "docs/c")
    )
    watcher = Watcher(wiki, interval=30)
    watcher.poll()
    wiki.pages.update(a, title="A, renamed")
    wiki.pages.move(b, "docs/b-moved")
    wiki.pages.delete(c)
    created = wiki.pages.create(title="D", path="docs/d", content="# D")
    events = watcher.poll()
    assert summary(events) == [
        ("page.updated", a),
        ("page.moved", b),
        ("page.deleted", c),
        ("page.created", created.id),
    ]
    updated, moved, deleted, new = events
    assert isinstance(updated, PageEvent)
    assert "title" in updated.changes
    assert updated.page.title == "A, renamed"
    assert isinstance(moved, PageEvent)
    assert moved.previous is not None
    assert (moved.previous.path, moved.page.path) == ("docs/b", "docs/b-moved")
    assert isinstance(deleted, PageEvent)
    assert deleted.page.title == "DOCS/C"
    assert isinstance(new, PageEvent)
    assert new.page.title == "D"
    assert watcher.poll() == []


def test_iterating_polls_every_interval(fake: FakeWikiJS, wiki: WikiJSClient) -> None:
    first = fake.add_page("docs/a").id
    made: list[int] = []
    steps: list[Callable[[], object]] = [
        lambda: made.append(wiki.pages.create(title="B", path="docs/b", content="b").id),
        lambda: None,
        lambda: wiki.pages.delete(first),
    ]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        steps.pop(0)()

    watcher = Watcher(wiki, interval=7, sleep=sleep)
    events = list(watcher.events(polls=4))
    assert summary(events) == [("page.created", made[0]), ("page.deleted", first)]
    assert waits == [7, 7, 7]


def test_a_failed_poll_is_logged_and_nothing_is_lost(
    fake: FakeWikiJS, wiki: WikiJSClient, caplog: pytest.LogCaptureFixture
) -> None:
    made: list[int] = []

    def sleep(seconds: float) -> None:
        if not wiki.pages.list():
            made.append(wiki.pages.create(title="A", path="docs/a", content="a").id)
            fake.faults.push(Fault.http(503, operation="pages.list"))

    watcher = Watcher(wiki, interval=1, sleep=sleep)
    with caplog.at_level(logging.WARNING, logger="wikijs.events"):
        events = list(watcher.events(polls=3))
    assert summary(events) == [("page.created", made[0])]
    [record] = caplog.records
    assert "polling the wiki failed (HTTPStatusError" in record.getMessage()
    assert fake.api_key not in record.getMessage()


def test_too_many_failures_in_a_row_raise(fake: FakeWikiJS, wiki: WikiJSClient) -> None:
    for _ in range(3):
        fake.faults.push(Fault.http(502, operation="pages.list"))
    watcher = Watcher(wiki, interval=0, max_failures=2)
    with pytest.raises(HTTPStatusError):
        list(watcher.events())


def test_a_lasting_problem_is_raised_at_once(fake: FakeWikiJS) -> None:
    with WikiJSClient(fake.url, auth="not-a-key", transport=fake.sync_transport()) as guest:
        watcher = Watcher(guest, interval=0)
        with pytest.raises(AuthenticationError):
            next(iter(watcher))


def test_users_can_be_watched_too(fake: FakeWikiJS, wiki: WikiJSClient) -> None:
    watcher = Watcher(wiki, namespaces=("pages", "users"))
    watcher.poll()
    page = fake.add_page("docs/a")
    user = fake.add_user("ada@example.com", name="Ada")
    events = watcher.poll()
    assert summary(events) == [("page.created", page.id), ("user.created", user.id)]
    wiki.users.delete(user.id)
    [gone] = watcher.poll()
    assert isinstance(gone, UserEvent)
    assert (gone.type, gone.user.email) == ("user.deleted", "ada@example.com")


def test_a_kept_snapshot_resumes_without_a_new_baseline(
    fake: FakeWikiJS, wiki: WikiJSClient
) -> None:
    first = Watcher(wiki)
    first.poll()
    page = fake.add_page("docs/while-away")
    resumed = Watcher(wiki, snapshot=first.snapshot)
    assert summary(resumed.poll()) == [("page.created", page.id)]


def test_stop_ends_the_iteration(fake: FakeWikiJS, wiki: WikiJSClient) -> None:
    polls: list[int] = []
    watcher = Watcher(wiki, interval=0, sleep=lambda s: polls.append(1) or watcher.stop())
    assert list(watcher) == []
    assert polls == [1]


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"namespaces": ("comments",)}, "namespaces"),
        ({"namespaces": ()}, "namespaces"),
        ({"interval": -1}, "interval"),
        ({"max_failures": -1}, "max_failures"),
    ],
)
def test_bad_settings_are_refused(
    wiki: WikiJSClient, options: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        Watcher(wiki, **options)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_a_single_namespace_name_is_accepted(wiki: WikiJSClient) -> None:
    watcher = Watcher(wiki, namespaces="users", interval=5)
    assert (watcher.namespaces, watcher.interval) == (("users",), 5.0)
    assert repr(watcher) == "Watcher(interval=5, namespaces=('users',))"


async def test_the_async_watcher(fake: FakeWikiJS) -> None:
    async with AsyncWikiJSClient(
        fake.url, auth=fake.api_key, transport=fake.async_transport()
    ) as client:
        page = fake.add_page("docs/a")

        async def sleep(seconds: float) -> None:
            await client.pages.update(page.id, title="changed")

        watcher = AsyncWatcher(client, interval=3, sleep=sleep)
        events = [event async for event in watcher.events(polls=2)]
        assert summary(events) == [("page.updated", page.id)]
        assert [event async for event in AsyncWatcher(client).events(polls=1)] == []


async def test_the_async_watcher_survives_a_failed_poll(
    fake: FakeWikiJS, caplog: pytest.LogCaptureFixture
) -> None:
    async with AsyncWikiJSClient(
        fake.url, auth=fake.api_key, transport=fake.async_transport(), retry_strategy=None
    ) as client:
        waits = 0
        made: list[int] = []

        async def sleep(seconds: float) -> None:
            nonlocal waits
            waits += 1
            if waits == 1:
                made.append(fake.add_page("docs/a").id)
                fake.faults.push(Fault.http(503, operation="pages.list"))
            elif waits == 2:
                watcher.stop()  # after the third poll, which sees the page

        watcher = AsyncWatcher(client, interval=2, sleep=sleep, namespaces=("pages", "users"))
        assert (watcher.interval, watcher.namespaces) == (2.0, ("pages", "users"))
        with caplog.at_level(logging.WARNING, logger="wikijs.events"):
            events = [event async for event in watcher]
        assert summary(events) == [("page.created", made[0])]
        assert "HTTPStatusError" in caplog.text


async def test_the_async_watcher_gives_up_and_validates(fake: FakeWikiJS) -> None:
    async with AsyncWikiJSClient(
        fake.url, auth=fake.api_key, transport=fake.async_transport(), retry_strategy=None
    ) as client:
        fake.faults.push(Fault.http(502, operation="pages.list"))
        with pytest.raises(HTTPStatusError):
            [event async for event in AsyncWatcher(client, max_failures=0).events()]
        for bad in ({"namespaces": ("x",)}, {"interval": -1}, {"max_failures": -1}):
            with pytest.raises(ValidationError):
                AsyncWatcher(client, **bad)  # type: ignore[arg-type]
        watcher = AsyncWatcher(client, namespaces="pages")
        watcher.stop()
        assert [event async for event in watcher] == []
        assert watcher.snapshot is None
