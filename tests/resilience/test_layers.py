"""The layers on the pipeline, through both clients, against scripted HTTP answers."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from wikijs import WikiJSClient
from wikijs.aio import AsyncWikiJSClient
from wikijs.auth import APIKeyAuth
from wikijs.errors import (
    CircuitOpenError,
    ConnectionLostError,
    HTTPStatusError,
    NotFoundError,
    RateLimitedError,
    RateLimitExceededError,
    ValidationError,
)
from wikijs.middleware import (
    CircuitBreaker,
    RateLimiter,
    RateLimitEvent,
    RetryStrategy,
    retry_mutations,
)
from wikijs.plugins import RequestInfo, ResponseInfo

from .conftest import ManualClock, Script, ok

URL = "https://wiki.example.com"
QUERY = "query Ping { site { ping } }"
MUTATION = "mutation Touch { pages { touch } }"
DELETED = {"pages": {"delete": {"responseResult": {
    "succeeded": True, "errorCode": 0, "slug": "ok", "message": "",
}}}}  # fmt: skip


def status(code: int, **headers: str) -> httpx.Response:
    return httpx.Response(code, text=f"{code} from a proxy", headers=headers)


def lost() -> httpx.ReadError:
    return httpx.ReadError("connection reset by peer")


def refused() -> httpx.ConnectError:
    return httpx.ConnectError("connection refused")


class Build:
    """Builds clients over a script, with zero-delay retries by default."""

    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock
        self.opened: list[WikiJSClient] = []

    def retry(self, **kwargs: Any) -> RetryStrategy:
        options: dict[str, Any] = {
            "initial_delay": 1,
            "jitter": False,
            "sleep": self.clock.sleep,
            "clock": self.clock,
        }
        options.update(kwargs)
        return RetryStrategy(**options)

    def sync(self, script: Script, **kwargs: Any) -> WikiJSClient:
        kwargs.setdefault("retry_strategy", self.retry())
        client = WikiJSClient(
            URL,
            auth=APIKeyAuth("key", verify=False),
            transport=httpx.MockTransport(script.handle),
            **kwargs,
        )
        self.opened.append(client)
        return client

    def aio(self, script: Script, **kwargs: Any) -> AsyncWikiJSClient:
        kwargs.setdefault("retry_strategy", self.retry(sleep=self.clock.async_sleep))
        return AsyncWikiJSClient(
            URL,
            auth=APIKeyAuth("key", verify=False),
            transport=httpx.MockTransport(script.ahandle),
            **kwargs,
        )


@pytest.fixture
def build(clock: ManualClock) -> Iterator[Build]:
    builder = Build(clock)
    yield builder
    for client in builder.opened:
        client.close()


class TestRetry:
    def test_a_query_is_retried_with_backoff_until_it_succeeds(
        self, build: Build, script: Callable[..., Script], clock: ManualClock
    ) -> None:
        answers = script(status(503), status(502), ok({"site": {"ping": 1}}))
        client = build.sync(answers)
        assert client.execute(QUERY) == {"site": {"ping": 1}}
        assert answers.count == 3
        assert clock.sleeps == [1, 2]

    async def test_the_async_client_retries_the_same_way(
        self, build: Build, script: Callable[..., Script], clock: ManualClock
    ) -> None:
        answers = script(refused(), lost(), ok())
        async with build.aio(answers) as client:
            assert await client.execute(QUERY) == {"ok": True}
        assert answers.count == 3
        assert clock.sleeps == [1, 2]

    def test_gives_up_after_max_retries_with_the_last_error(
        self, build: Build, script: Callable[..., Script]
    ) -> None:
        answers = script(status(503))
        client = build.sync(answers, retry_strategy=build.retry(max_retries=2))
        with pytest.raises(HTTPStatusError) as caught:
            client.execute(QUERY)
        assert caught.value.status_code == 503
        assert answers.count == 3

    def test_a_final_answer_is_not_retried(
        self, build: Build, script: Callable[..., Script]
    ) -> None:
        missing = {"errors": [{"message": "This page does not exist.",
                               "extensions": {"exception": {"code": 6003}}}]}  # fmt: skip
        answers = script(httpx.Response(200, json=missing))
        with pytest.raises(NotFoundError):
            build.sync(answers).execute(QUERY)
        assert answers.count == 1

    def test_a_mutation_that_may_have_landed_is_not_repeated(
        self, build: Build, script: Callable[..., Script]
    ) -> None:
        for failure in (lost(), status(503)):
            answers = script(failure, ok())
            with pytest.raises((ConnectionLostError, HTTPStatusError)):
                build.sync(answers).execute(MUTATION)
            assert answers.count == 1

    def test_a_mutation_that_never_left_is_retried(
        self, build: Build, script: Callable[..., Script]
    ) -> None:
        answers = script(refused(), ok())
        assert build.sync(answers).execute(MUTATION) == {"ok": True}
        assert answers.count == 2

    def test_a_call_may_opt_in_to_mutation_retries(
        self, build: Build, script: Callable[..., Script]
    ) -> None:
        answers = script(lost(), httpx.Response(200, json={"data": DELETED}))
        client = build.sync(answers)
        client.graphql.delete_page(id=7, retry=True)
        assert answers.operations() == ["DeletePage", "DeletePage"]

    async def test_a_block_may_opt_in_to_mutation_retries(
        self, build: Build, script: Callable[..., Script]
    ) -> None:
        answers = script(lost(), ok())
        async with build.aio(answers) as client:
            with retry_mutations():
                assert await client.execute(MUTATION) == {"ok": True}
        assert answers.count == 2

    def test_a_call_may_turn_retries_off_or_use_its_own_policy(
        self, build: Build, script: Callable[..., Script], clock: ManualClock
    ) -> None:
        answers = script(status(503))
        client = build.sync(answers)
        with pytest.raises(HTTPStatusError):
            client.graphql.get_page(id=1, retry=False)
        assert answers.count == 1
        own = build.retry(max_retries=1, initial_delay=5)
        with pytest.raises(HTTPStatusError):
            client.graphql.get_page(id=1, retry=own)
        assert answers.count == 3
        assert clock.sleeps == [5]

    def test_retries_can_be_switched_off(self, build: Build, script: Callable[..., Script]) -> None:
        for off in (None, False, 0):
            answers = script(status(503))
            with pytest.raises(HTTPStatusError):
                build.sync(answers, retry_strategy=off).execute(QUERY)
            assert answers.count == 1

    def test_retries_are_on_by_default(self, script: Callable[..., Script]) -> None:
        with WikiJSClient(URL, transport=httpx.MockTransport(script().handle)) as client:
            retry = client._resilience.retry
            assert retry is not None
            assert retry.policy == RetryStrategy()

    def test_a_retry_after_is_honoured(
        self, build: Build, script: Callable[..., Script], clock: ManualClock
    ) -> None:
        answers = script(
            status(429, **{"Retry-After": "4"}), status(503, **{"Retry-After": "2"}), ok()
        )
        build.sync(answers).execute(QUERY)
        assert clock.sleeps == [4, 2]

    def test_a_too_long_retry_after_is_final(
        self, build: Build, script: Callable[..., Script]
    ) -> None:
        answers = script(status(429, **{"Retry-After": "600"}), ok())
        with pytest.raises(RateLimitedError) as caught:
            build.sync(answers).execute(QUERY)
        assert caught.value.retry_after == 600
        assert answers.count == 1

    def test_the_sync_client_refuses_an_async_sleep(self, build: Build) -> None:
        with pytest.raises(ValidationError, match="sync client"):
            build.sync(Script([ok()]), retry_strategy=build.retry(sleep=build.clock.async_sleep))


class TestCircuitBreaker:
    def test_opens_on_the_threshold_and_then_sends_nothing(
        self, build: Build, script: Callable[..., Script]
    ) -> None:
        answers = script(status(503))
        client = build.sync(
            answers, retry_strategy=None, circuit_breaker=CircuitBreaker(failure_threshold=2)
        )
        for _ in range(2):
            with pytest.raises(HTTPStatusError):
                client.execute(QUERY)
        assert client.circuit_breaker is not None
        assert client.circuit_breaker.stats().state == "open"
        for _ in range(5):
            with pytest.raises(CircuitOpenError):
                client.execute(QUERY)
        assert answers.count == 2

    def test_an_opening_circuit_ends_a_retry_loop(
        self, build: Build, script: Callable[..., Script]
    ) -> None:
        answers = script(status(503))
        client = build.sync(
            answers,
            retry_strategy=build.retry(max_retries=10),
            circuit_breaker=CircuitBreaker(failure_threshold=3),
        )
        with pytest.raises(CircuitOpenError):
            client.execute(QUERY)
        assert answers.count == 3

    def test_closes_again_after_successful_trials(
        self, build: Build, script: Callable[..., Script], clock: ManualClock
    ) -> None:
        answers = script(status(500), ok())
        breaker = CircuitBreaker(
            failure_threshold=1, recovery_timeout=10, success_threshold=2, clock=clock
        )
        client = build.sync(answers, retry_strategy=None, circuit_breaker=breaker)
        with pytest.raises(HTTPStatusError):
            client.execute(QUERY)
        clock.advance(10)
        client.execute(QUERY)
        assert breaker.stats().state == "half_open"
        client.execute(QUERY)
        assert breaker.stats().state == "closed"
        assert answers.count == 3

    def test_a_batch_answered_with_a_server_error_counts(
        self, build: Build, script: Callable[..., Script]
    ) -> None:
        broken = httpx.Response(500, json={"data": {}, "errors": [{"message": "db down"}]})
        breaker = CircuitBreaker(failure_threshold=1)
        client = build.sync(script(broken), retry_strategy=None, circuit_breaker=breaker)
        result = client.pages.get_many([1, 2])
        assert len(result.errors) == 2
        assert breaker.stats().state == "open"

    def test_the_property_is_none_without_a_breaker(
        self, build: Build, script: Callable[..., Script]
    ) -> None:
        assert build.sync(script()).circuit_breaker is None

    def test_only_a_circuit_breaker_is_accepted(self, build: Build) -> None:
        with pytest.raises(ValidationError):
            build.sync(Script([ok()]), circuit_breaker="on")


class TestRateLimiter:
    def test_waits_for_its_turn(
        self, build: Build, script: Callable[..., Script], clock: ManualClock
    ) -> None:
        limiter = RateLimiter(2, burst_size=1, clock=clock, sleep=clock.sleep)
        answers = script()
        client = build.sync(answers, rate_limiter=limiter)
        for _ in range(3):
            client.execute(QUERY)
        assert clock.sleeps == [0.5, 0.5]
        assert answers.count == 3

    def test_raise_mode_refuses_without_sending(
        self, build: Build, script: Callable[..., Script], clock: ManualClock
    ) -> None:
        limiter = RateLimiter(1, burst_size=1, on_limit="raise", clock=clock)
        answers = script()
        client = build.sync(answers, rate_limiter=limiter)
        client.execute(QUERY)
        with pytest.raises(RateLimitExceededError) as caught:
            client.execute(QUERY)
        assert caught.value.retry_after == pytest.approx(1)
        assert answers.count == 1

    def test_a_callback_hears_of_each_wait(
        self, build: Build, script: Callable[..., Script], clock: ManualClock
    ) -> None:
        events: list[RateLimitEvent] = []
        limiter = RateLimiter(
            1, burst_size=1, on_limit=events.append, clock=clock, sleep=clock.sleep
        )
        client = build.sync(script(), rate_limiter=limiter)
        client.execute(QUERY, operation_name="Ping")
        client.execute(QUERY, operation_name="Ping")
        assert events == [RateLimitEvent("Ping", "query", 1.0)]
        assert clock.sleeps == [1.0]

    def test_a_callback_may_refuse(
        self, build: Build, script: Callable[..., Script], clock: ManualClock
    ) -> None:
        def refuse(event: RateLimitEvent) -> None:
            raise RateLimitExceededError("not now", retry_after=event.wait)

        answers = script()
        limiter = RateLimiter(1, burst_size=1, on_limit=refuse, clock=clock, sleep=clock.sleep)
        client = build.sync(answers, rate_limiter=limiter)
        client.execute(QUERY)
        with pytest.raises(RateLimitExceededError, match="not now"):
            client.execute(QUERY)
        assert answers.count == 1
        assert clock.sleeps == []

    async def test_the_async_client_awaits_an_async_callback(
        self, build: Build, script: Callable[..., Script], clock: ManualClock
    ) -> None:
        events: list[float] = []

        async def note(event: RateLimitEvent) -> None:
            await asyncio.sleep(0)
            events.append(event.wait)

        limiter = RateLimiter(4, burst_size=1, on_limit=note, clock=clock, sleep=clock.async_sleep)
        async with build.aio(script(), rate_limiter=limiter) as client:
            await client.execute(QUERY)
            await client.execute(QUERY)
        assert events == [0.25]

    def test_the_sync_client_refuses_an_async_callback(self, build: Build) -> None:
        async def note(event: RateLimitEvent) -> None: ...

        with pytest.raises(ValidationError, match="sync client"):
            build.sync(Script([ok()]), rate_limiter=RateLimiter(1, on_limit=note))

    def test_a_server_refusal_holds_every_request(
        self, build: Build, script: Callable[..., Script], clock: ManualClock
    ) -> None:
        limiter = RateLimiter(100, clock=clock, sleep=clock.sleep)
        answers = script(status(429, **{"Retry-After": "3"}), ok())
        client = build.sync(answers, rate_limiter=limiter, retry_strategy=None)
        with pytest.raises(RateLimitedError):
            client.execute(QUERY)
        client.execute(QUERY)
        assert clock.sleeps == [3.0]

    def test_a_retry_after_the_server_refusal_waits_only_once(
        self, build: Build, script: Callable[..., Script], clock: ManualClock
    ) -> None:
        limiter = RateLimiter(100, clock=clock, sleep=clock.sleep)
        answers = script(status(429, **{"Retry-After": "3"}), ok())
        build.sync(answers, rate_limiter=limiter).execute(QUERY)
        assert clock.sleeps == [3.0]  # the retry's wait covered the limiter's hold

    def test_only_a_rate_limiter_is_accepted(self, build: Build) -> None:
        with pytest.raises(ValidationError):
            build.sync(Script([ok()]), rate_limiter=10)


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, Any]] = []

    def before_request(self, method: str, url: str, **kwargs: Any) -> None:
        request: RequestInfo = kwargs["request"]
        self.events.append(("before", (method, url, request.operation, request.attempt)))

    def after_request(self, response: ResponseInfo) -> None:
        self.events.append(("after", (response.operation, response.ok, response.status)))

    def on_error(self, error: BaseException, response: ResponseInfo) -> None:
        self.events.append(("error", (type(error).__name__, response.status, response.ok)))


class TestPlugins:
    def test_hooks_run_once_per_attempt(self, build: Build, script: Callable[..., Script]) -> None:
        recorder = Recorder()
        client = build.sync(script(status(503), ok()), plugins=[recorder])
        client.execute(QUERY, operation_name="Ping")
        assert recorder.events == [
            ("before", ("POST", f"{URL}/graphql", "Ping", 1)),
            ("error", ("HTTPStatusError", 503, False)),
            ("before", ("POST", f"{URL}/graphql", "Ping", 2)),
            ("after", ("Ping", True, 200)),
        ]

    async def test_async_hooks_are_awaited_in_the_async_client(
        self, build: Build, script: Callable[..., Script]
    ) -> None:
        seen: list[str] = []

        class AsyncPlugin:
            async def before_request(self, method: str, url: str, **kwargs: Any) -> None:
                await asyncio.sleep(0)
                seen.append(kwargs["request"].operation)

            async def after_request(self, response: ResponseInfo) -> None:
                seen.append(f"{response.duration >= 0}")

        async with build.aio(script(), plugins=[AsyncPlugin()]) as client:
            await client.execute(QUERY, operation_name="Ping")
        assert seen == ["Ping", "True"]

    def test_the_sync_client_refuses_async_hooks(self, build: Build) -> None:
        class AsyncPlugin:
            async def after_request(self, response: ResponseInfo) -> None: ...

        with pytest.raises(ValidationError, match=r"AsyncPlugin\.after_request.*sync client"):
            build.sync(Script([ok()]), plugins=[AsyncPlugin()])

    def test_before_request_may_veto(self, build: Build, script: Callable[..., Script]) -> None:
        class Veto:
            def before_request(self, method: str, url: str, **kwargs: Any) -> None:
                raise PermissionError("not during the freeze")

        answers = script()
        with pytest.raises(PermissionError):
            build.sync(answers, plugins=[Veto()]).execute(QUERY)
        assert answers.count == 0

    def test_a_failing_observer_does_not_change_the_outcome(
        self, build: Build, script: Callable[..., Script], caplog: pytest.LogCaptureFixture
    ) -> None:
        class Broken:
            def after_request(self, response: ResponseInfo) -> None:
                raise RuntimeError("plugin bug")

            def on_error(self, error: BaseException, response: ResponseInfo) -> None:
                raise RuntimeError("plugin bug")

        client = build.sync(script(status(503), ok()), plugins=[Broken()])
        assert client.execute(QUERY) == {"ok": True}
        ignored = [r for r in caplog.records if r.name == "wikijs.plugins"]
        assert [r.getMessage().split(".")[-1] for r in ignored] == [
            "on_error raised; ignored",
            "after_request raised; ignored",
        ]

    def test_an_object_without_hooks_is_not_a_plugin(self, build: Build) -> None:
        with pytest.raises(ValidationError, match="not a plugin"):
            build.sync(Script([ok()]), plugins=[object()])
        with pytest.raises(ValidationError):
            build.sync(Script([ok()]), plugins="LoggingPlugin")

    def test_variables_reach_plugins_redacted(
        self, build: Build, script: Callable[..., Script]
    ) -> None:
        seen: list[Any] = []

        class Spy:
            def before_request(self, method: str, url: str, *, request: RequestInfo) -> None:
                seen.append(request.variables)
                seen.append((request.kind, request.batch_size))

        client = build.sync(script(), plugins=[Spy()])
        client.execute(
            "mutation Login($u: String!, $password: String!) { x }",
            {"u": "admin", "password": "hunter2", "input": {"passwordRaw": "x", "n": [{"jwt": 1}]}},
        )
        assert seen[0] == {
            "u": "admin",
            "password": "***",
            "input": {"passwordRaw": "***", "n": [{"jwt": "***"}]},
        }
        assert seen[1] == ("mutation", 1)


class TestOrder:
    def test_user_middleware_is_outermost_and_plugins_innermost(
        self, build: Build, script: Callable[..., Script]
    ) -> None:
        trail: list[str] = []

        def outer(operation: Any, call_next: Any) -> Any:
            trail.append("middleware")
            return call_next(operation)

        class Plugin:
            def before_request(self, method: str, url: str, **kwargs: Any) -> None:
                trail.append(f"plugin {kwargs['request'].attempt}")

        client = build.sync(script(status(503), ok()), middleware=[outer], plugins=[Plugin()])
        client.execute(QUERY)
        assert trail == ["middleware", "plugin 1", "plugin 2"]
        layers = [type(layer).__name__ for layer in client._resilience.middleware]
        assert layers == ["function", "RetryLayer", "PluginLayer"]

    def test_the_full_stack_in_order(self, build: Build, script: Callable[..., Script]) -> None:
        client = build.sync(
            script(),
            circuit_breaker=CircuitBreaker(),
            rate_limiter=RateLimiter(10),
            plugins=[Recorder()],
        )
        names = [type(layer).__name__ for layer in client._resilience.middleware]
        assert names == ["RetryLayer", "BreakerLayer", "RateLimitLayer", "PluginLayer"]

    async def test_closing_detaches_plugin_listeners(
        self, build: Build, script: Callable[..., Script]
    ) -> None:
        class Watcher:
            def __init__(self) -> None:
                self.changes: list[str] = []

            def on_circuit_change(self, old: Any, new: Any, stats: Any) -> None:
                self.changes.append(new.value)

        watcher = Watcher()
        breaker = CircuitBreaker(failure_threshold=1)
        async with build.aio(
            script(status(503)), circuit_breaker=breaker, plugins=[watcher], retry_strategy=None
        ) as client:
            with pytest.raises(HTTPStatusError):
                await client.execute(QUERY)
        assert watcher.changes == ["open"]
        breaker.reset()
        assert watcher.changes == ["open"]
