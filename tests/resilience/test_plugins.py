"""LoggingPlugin and MetricsPlugin, over the fake server (in-process)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from prometheus_client import CollectorRegistry

from wikijs import WikiJSClient
from wikijs.auth import JWTAuth
from wikijs.errors import (
    CircuitOpenError,
    HTTPStatusError,
    NotFoundError,
    ValidationError,
    WikiJSError,
)
from wikijs.middleware import CircuitBreaker, RetryStrategy
from wikijs.plugins import LoggingPlugin, MetricsPlugin, is_secret, redact
from wikijs.testing import FakeWikiJS, Fault

FAST = RetryStrategy(initial_delay=0)


@pytest.fixture
def make(fake: FakeWikiJS) -> Iterator[Any]:
    opened: list[WikiJSClient] = []

    def build(auth: Any = None, **kwargs: Any) -> WikiJSClient:
        kwargs.setdefault("retry_strategy", FAST)
        client = WikiJSClient(
            fake.url, auth=auth or fake.api_key, transport=fake.sync_transport(), **kwargs
        )
        opened.append(client)
        return client

    yield build
    for client in opened:
        client.close()


class TestLoggingPlugin:
    def test_one_structured_record_per_request_and_answer(
        self, fake: FakeWikiJS, make: Any, caplog: pytest.LogCaptureFixture
    ) -> None:
        page_id = fake.add_page("docs/a", title="A").id
        client = make(plugins=[LoggingPlugin(level="DEBUG")])
        with caplog.at_level(logging.DEBUG, logger="wikijs.requests"):
            client.pages.get(page_id)
        records = [r for r in caplog.records if r.name == "wikijs.requests"]
        # The API key's one-time identity check goes out inside the first request.
        assert [r.getMessage().split(" in ")[0] for r in records] == [
            "wikijs -> query GetPage",
            "wikijs -> query GetProfile",
            "wikijs <- GetProfile ok",
            "wikijs <- GetPage ok",
        ]
        request, answer = records[0], records[-1]
        assert request.wikijs_event == "request"  # type: ignore[attr-defined]
        assert request.wikijs_operation == "GetPage"  # type: ignore[attr-defined]
        assert request.wikijs_attempt == 1  # type: ignore[attr-defined]
        assert answer.wikijs_status == 200  # type: ignore[attr-defined]
        assert answer.wikijs_duration_ms >= 0  # type: ignore[attr-defined]

    def test_failures_and_retries_are_logged(
        self, fake: FakeWikiJS, make: Any, caplog: pytest.LogCaptureFixture
    ) -> None:
        client = make(plugins=[LoggingPlugin(level=logging.INFO)])
        fake.faults.push(Fault.http(503, operation="GetPage"))
        with caplog.at_level(logging.INFO, logger="wikijs.requests"), pytest.raises(NotFoundError):
            client.pages.get(4242)
        messages = [
            r.getMessage()
            for r in caplog.records
            if r.name == "wikijs.requests" and "GetProfile" not in r.getMessage()
        ]
        assert messages[0] == "wikijs -> query GetPage"
        assert messages[1].startswith("wikijs !! GetPage failed after")
        assert "HTTPStatusError" in messages[1]
        assert messages[2] == "wikijs -> query GetPage (attempt 2)"
        assert "NotFoundError" in messages[3]
        warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert [r.wikijs_error for r in warnings] == ["HTTPStatusError", "NotFoundError"]  # type: ignore[attr-defined]

    def test_credentials_never_reach_the_log(
        self, fake: FakeWikiJS, make: Any, caplog: pytest.LogCaptureFixture
    ) -> None:
        plugin = LoggingPlugin(level="DEBUG", include_variables=True)
        client = make(plugins=[plugin])
        jwt_client = make(auth=JWTAuth(fake.admin_email, fake.admin_password), plugins=[plugin])
        with caplog.at_level(logging.DEBUG):
            client.graphql.login(
                username=fake.admin_email, password=fake.admin_password, strategy="local"
            )
            client.pages.list()
            jwt_client.pages.list()
            with pytest.raises(WikiJSError):
                client.execute(
                    'mutation ($p: String!) { users { create(email: "x", name: "x", '
                    'passwordRaw: $p, providerKey: "local", groups: []) '
                    "{ responseResult { succeeded } } } }",
                    {"p": "hunter2-hunter2"},
                )
        text = caplog.text + repr([r.__dict__ for r in caplog.records])
        assert "Login" in text  # the login was logged…
        assert fake.admin_password not in text  # …without its password
        assert "hunter2-hunter2" not in text
        assert fake.api_key not in text
        token = jwt_client.auth.bearer_token()
        assert token
        assert token not in text
        assert "***" in text

    def test_plugins_see_the_sdks_own_login_without_its_secrets(
        self, fake: FakeWikiJS, make: Any
    ) -> None:
        user = fake.add_user("steps@example.com", password="old-pass-1", groups=[])
        fake.core.state.users[user.id].must_change_pwd = True
        seen: list[tuple[str, dict[str, Any]]] = []
        answers: list[Any] = []

        class Spy:
            def before_request(self, method: str, url: str, **kwargs: Any) -> None:
                request = kwargs["request"]
                seen.append((request.operation, dict(request.variables)))

            def after_request(self, response: Any) -> None:
                answers.append(response.data)

        auth = JWTAuth(user.email, "old-pass-1", new_password=lambda: "new-pass-2")
        make(auth=auth, plugins=[Spy()]).whoami()
        assert seen == [
            ("GetProfile", {}),
            ("Login", {"username": user.email, "password": "***", "strategy": "local"}),
            ("LoginChangePassword", {"continuationToken": "***", "newPassword": "***"}),
        ]
        token = auth.bearer_token()
        assert token is not None
        assert token not in repr(answers)
        assert "new-pass-2" not in repr(seen) + repr(answers)

    def test_plugins_see_the_api_keys_identity_check(self, make: Any) -> None:
        seen: list[str] = []

        class Spy:
            def before_request(self, method: str, url: str, **kwargs: Any) -> None:
                seen.append(kwargs["request"].operation)

        client = make(plugins=[Spy()])
        client.pages.list()
        client.pages.list()
        assert seen == ["ListPages", "GetProfile", "ListPages"]

    def test_levels_and_loggers(self) -> None:
        custom = logging.getLogger("my.app")
        plugin = LoggingPlugin("info", error_level=logging.ERROR, logger=custom)
        assert (plugin.level, plugin.error_level, plugin.logger) == (20, 40, custom)
        assert "INFO" in repr(plugin)
        for bad in ("LOUD", True, 2.5):
            with pytest.raises(ValidationError):
                LoggingPlugin(bad)  # type: ignore[arg-type]

    def test_nothing_is_formatted_when_the_level_is_off(
        self, fake: FakeWikiJS, make: Any, caplog: pytest.LogCaptureFixture
    ) -> None:
        client = make(plugins=[LoggingPlugin(level="DEBUG", error_level="DEBUG")])
        fake.faults.push(Fault.http(503))
        with caplog.at_level(logging.WARNING, logger="wikijs.requests"):
            client.pages.list()
        assert [r for r in caplog.records if r.name == "wikijs.requests"] == []

    def test_breaker_changes_are_logged(
        self, fake: FakeWikiJS, make: Any, caplog: pytest.LogCaptureFixture
    ) -> None:
        client = make(
            retry_strategy=None,
            circuit_breaker=CircuitBreaker(failure_threshold=1),
            plugins=[LoggingPlugin()],
        )
        fake.faults.push(Fault.http(502))
        with (
            caplog.at_level(logging.INFO, logger="wikijs.requests"),
            pytest.raises(HTTPStatusError),
        ):
            client.pages.list()
        assert "circuit breaker closed -> open" in caplog.text


class TestMetricsPlugin:
    def sample(self, registry: CollectorRegistry, name: str, **labels: str) -> float:
        return registry.get_sample_value(name, labels) or 0.0

    def test_requests_latency_errors_retries_and_breaker_state(
        self, fake: FakeWikiJS, make: Any
    ) -> None:
        registry = CollectorRegistry()
        breaker = CircuitBreaker(failure_threshold=2, recovery_timeout=0.0)
        client = make(
            retry_strategy=RetryStrategy(initial_delay=0, max_retries=1),
            circuit_breaker=breaker,
            plugins=[MetricsPlugin(backend="prometheus", registry=registry)],
        )
        page_id = fake.add_page("docs/m").id
        client.pages.get(page_id)
        fake.faults.extend([Fault.http(503, operation="GetPage")] * 2)
        with pytest.raises(HTTPStatusError):
            client.pages.get(page_id)

        ok = {"operation": "GetPage", "kind": "query"}
        assert self.sample(registry, "wikijs_requests_total", **ok, outcome="ok") == 1
        assert self.sample(registry, "wikijs_requests_total", **ok, outcome="error") == 2
        assert self.sample(registry, "wikijs_request_duration_seconds_count", **ok) == 3
        assert (
            self.sample(
                registry, "wikijs_errors_total", operation="GetPage", error="HTTPStatusError"
            )
            == 2
        )
        assert self.sample(registry, "wikijs_retries_total", operation="GetPage") == 1
        assert self.sample(registry, "wikijs_circuit_breaker_state") == 2  # open
        breaker.stats()  # recovery_timeout=0: half-open at the next look
        assert self.sample(registry, "wikijs_circuit_breaker_state") == 1
        client.pages.get(page_id)
        client.pages.get(page_id)
        assert self.sample(registry, "wikijs_circuit_breaker_state") == 0

    def test_batches_are_labelled_without_their_size(self, fake: FakeWikiJS, make: Any) -> None:
        registry = CollectorRegistry()
        client = make(plugins=[MetricsPlugin(registry=registry)])
        ids = [fake.add_page(f"docs/{i}").id for i in range(3)]
        client.pages.get_many(ids)
        client.pages.get_many(ids[:2])
        labels = {"operation": "Batch[GetPage]", "kind": "query", "outcome": "ok"}
        assert self.sample(registry, "wikijs_requests_total", **labels) == 2

    def test_plugins_sharing_a_registry_share_metrics(self) -> None:
        registry = CollectorRegistry()
        MetricsPlugin(registry=registry)
        MetricsPlugin(registry=registry)  # registering twice would raise
        MetricsPlugin(registry=registry, namespace="other")

    def test_the_memory_backend(self, fake: FakeWikiJS, make: Any) -> None:
        metrics = MetricsPlugin(backend="memory")
        client = make(
            plugins=[metrics],
            retry_strategy=None,
            circuit_breaker=CircuitBreaker(failure_threshold=1),
        )
        client.pages.list()
        fake.faults.push(Fault.http(500))
        with pytest.raises(HTTPStatusError):
            client.pages.list()
        with pytest.raises(CircuitOpenError):
            client.pages.list()
        assert metrics.memory is not None
        snapshot = metrics.memory.snapshot()
        assert snapshot["requests"] == {
            ("GetProfile", "query", "ok"): 1,  # the API key's identity check
            ("ListPages", "query", "ok"): 1,
            ("ListPages", "query", "error"): 1,
        }
        assert snapshot["errors"] == {("ListPages", "HTTPStatusError"): 1}
        assert snapshot["breaker_state"] == 2
        assert len(snapshot["durations"][("ListPages", "query")]) == 2
        assert repr(metrics) == "MetricsPlugin(backend='memory')"

    def test_the_memory_backend_counts_retries(self, fake: FakeWikiJS, make: Any) -> None:
        metrics = MetricsPlugin(backend="memory")
        client = make(plugins=[metrics])
        fake.faults.push(Fault.http(503))
        client.pages.list()
        assert metrics.memory is not None
        assert metrics.memory.snapshot()["retries"] == {"ListPages": 1}

    def test_an_unknown_backend_is_refused(self) -> None:
        with pytest.raises(ValidationError):
            MetricsPlugin(backend="statsd")

    def test_a_missing_prometheus_client_says_what_to_install(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setitem(sys.modules, "prometheus_client", None)
        with pytest.raises(ImportError, match=r"wikijs\[metrics\]"):
            MetricsPlugin(registry=CollectorRegistry())


def test_redaction() -> None:
    assert is_secret("passwordRaw")
    assert is_secret("new_password")
    assert is_secret("Authorization")
    assert is_secret("continuationToken")
    assert not is_secret("title")
    nested = {"a": [{"apiKey": 1}, 2], "b": ("x",)}
    assert redact(nested) == {"a": [{"apiKey": "***"}, 2], "b": ["x"]}
    assert redact({"p": "x", "q": 1}, secrets={"p"}) == {"p": "***", "q": 1}
