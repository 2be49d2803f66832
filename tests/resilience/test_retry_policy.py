"""The retry policy and its pure decision function."""

from __future__ import annotations

import random

import pytest

from wikijs._protocol.retry import build_retry_strategy, mutations_opted_in
from wikijs.errors import (
    AuthenticationError,
    CircuitOpenError,
    ConnectError,
    ConnectionLostError,
    GraphQLError,
    HTTPStatusError,
    NotFoundError,
    QueryError,
    RateLimitedError,
    RateLimitExceededError,
    RequestTimeoutError,
    TransportError,
    ValidationError,
)
from wikijs.middleware import RetryStrategy, decide, never_sent, retry_mutations
from wikijs.middleware._hooks import AsyncHooks, Hooks

NO_JITTER = RetryStrategy(initial_delay=1, max_delay=60, jitter=False, max_retries=10)


def http(status: int, retry_after: float | None = None) -> HTTPStatusError:
    return HTTPStatusError("x", operation="GetPage", status_code=status, retry_after=retry_after)


class TestBackoff:
    def test_exponential_doubles_from_the_initial_delay_up_to_the_cap(self) -> None:
        delays = [NO_JITTER.backoff_delay(n) for n in range(1, 9)]
        assert delays == [1, 2, 4, 8, 16, 32, 60, 60]

    def test_linear_grows_by_the_initial_delay(self) -> None:
        policy = RetryStrategy(backoff="linear", initial_delay=2, max_delay=7, jitter=False)
        assert [policy.backoff_delay(n) for n in range(1, 6)] == [2, 4, 6, 7, 7]

    def test_constant_stays_put(self) -> None:
        policy = RetryStrategy(backoff="constant", initial_delay=3, jitter=False)
        assert [policy.backoff_delay(n) for n in range(1, 4)] == [3, 3, 3]

    def test_huge_attempt_numbers_do_not_overflow(self) -> None:
        assert NO_JITTER.backoff_delay(10_000) == 60

    def test_jitter_spreads_delays_over_the_upper_half(self) -> None:
        policy = RetryStrategy(initial_delay=8, max_delay=8, jitter=True)
        rng = random.Random(7)
        delays = [policy.backoff_delay(1, rng) for _ in range(500)]
        assert all(4 <= d <= 8 for d in delays)
        assert max(delays) - min(delays) > 3  # actually spread, not constant

    def test_jitter_is_reproducible_with_a_seeded_rng(self) -> None:
        policy = RetryStrategy(initial_delay=1, jitter=0.2)
        first = [policy.backoff_delay(n, random.Random(3)) for n in range(1, 5)]
        again = [policy.backoff_delay(n, random.Random(3)) for n in range(1, 5)]
        assert first == again
        assert all(0.8 * (2 ** (n - 1)) <= d <= 2 ** (n - 1) for n, d in enumerate(first, 1))

    def test_zero_delays_for_tests(self) -> None:
        policy = RetryStrategy(initial_delay=0)
        assert policy.backoff_delay(5) == 0


class TestDecide:
    @pytest.mark.parametrize(
        "error",
        [
            ConnectError("x"),
            ConnectionLostError("x"),
            RequestTimeoutError("x"),
            TransportError("x"),
            http(500),
            http(502),
            http(503),
            http(504),
            RateLimitedError("x", status_code=429),
            GraphQLError("x", status_code=503),
        ],
    )
    def test_a_query_is_retried_on_transient_failures(self, error: Exception) -> None:
        decision = decide(NO_JITTER, 1, error, 0.0)
        assert decision.retry
        assert decision.delay == 1

    @pytest.mark.parametrize(
        "error",
        [
            http(400),
            http(404),
            NotFoundError("x", code=6003),
            ValidationError("x"),
            QueryError("x", status_code=400),
            AuthenticationError("x", status_code=500),
            GraphQLError("x", status_code=200),
            ValueError("not ours"),
        ],
    )
    def test_answers_that_will_not_change_are_final(self, error: Exception) -> None:
        assert not decide(NO_JITTER, 1, error, 0.0).retry

    def test_the_client_side_guards_are_final(self) -> None:
        assert not decide(NO_JITTER, 1, CircuitOpenError("x", retry_after=1), 0).retry
        assert not decide(NO_JITTER, 1, RateLimitExceededError("x", retry_after=1), 0).retry

    def test_retry_on_picks_the_statuses(self) -> None:
        policy = RetryStrategy(retry_on=[503], jitter=False)
        assert decide(policy, 1, http(503), 0).retry
        assert not decide(policy, 1, http(502), 0).retry
        assert not decide(policy, 1, RateLimitedError("x"), 0).retry

    def test_transport_errors_can_be_excluded(self) -> None:
        policy = RetryStrategy(retry_transport_errors=False)
        assert not decide(policy, 1, ConnectError("x"), 0).retry

    def test_stops_after_max_retries(self) -> None:
        policy = RetryStrategy(max_retries=2, initial_delay=0)
        assert decide(policy, 1, ConnectError("x"), 0).retry
        assert decide(policy, 2, ConnectError("x"), 0).retry
        final = decide(policy, 3, ConnectError("x"), 0)
        assert not final.retry
        assert "3 attempts" in final.reason

    def test_zero_retries_never_retries(self) -> None:
        assert not decide(RetryStrategy(max_retries=0), 1, ConnectError("x"), 0).retry

    def test_the_total_time_budget_ends_retries(self) -> None:
        policy = RetryStrategy(initial_delay=10, jitter=False, max_elapsed=25)
        assert decide(policy, 1, ConnectError("x"), 14.0).retry  # 14 + 10 <= 25
        assert not decide(policy, 1, ConnectError("x"), 16.0).retry

    def test_retry_after_replaces_the_backoff(self) -> None:
        decision = decide(NO_JITTER, 1, http(503, retry_after=7.5), 0)
        assert decision.retry
        assert decision.delay == 7.5
        limited = decide(NO_JITTER, 3, RateLimitedError("x", retry_after=2.0), 0)
        assert limited.delay == 2.0

    def test_a_retry_after_beyond_the_cap_ends_retries(self) -> None:
        policy = RetryStrategy(max_retry_after=30)
        decision = decide(policy, 1, RateLimitedError("x", retry_after=45.0), 0)
        assert not decision.retry
        assert "45" in decision.reason


class TestMutations:
    def test_a_mutation_that_never_left_is_retried(self) -> None:
        assert decide(NO_JITTER, 1, ConnectError("x"), 0, mutation=True).retry
        unsent_timeout = RequestTimeoutError("pool", request_sent=False)
        assert decide(NO_JITTER, 1, unsent_timeout, 0, mutation=True).retry

    @pytest.mark.parametrize(
        "error",
        [ConnectionLostError("x"), RequestTimeoutError("read"), http(503), http(502)],
    )
    def test_a_mutation_that_may_have_landed_is_not_repeated(self, error: Exception) -> None:
        decision = decide(NO_JITTER, 1, error, 0, mutation=True, operation="CreatePage")
        assert not decision.retry
        assert "mutation" in decision.reason

    @pytest.mark.parametrize(
        "error",
        [http(429), http(429, retry_after=2), http(503, retry_after=1), RateLimitedError("x")],
    )
    def test_a_mutation_refused_unprocessed_is_sent_again(self, error: Exception) -> None:
        # 429, and 503 with Retry-After, mean the server did not process it.
        assert decide(NO_JITTER, 1, error, 0, mutation=True, operation="CreatePage").retry

    def test_a_bare_503_may_have_been_processed(self) -> None:
        assert not decide(NO_JITTER, 1, http(503), 0, mutation=True, operation="CreatePage").retry

    @pytest.mark.parametrize(
        "error",
        [ConnectionLostError("x"), RequestTimeoutError("read"), http(503), http(502)],
    )
    def test_an_idempotent_mutation_is_sent_again_after_an_unknown_outcome(
        self, error: Exception
    ) -> None:
        decision = decide(
            NO_JITTER, 1, error, 0, mutation=True, idempotent=True, operation="UpdatePage"
        )
        assert decision.retry

    def test_an_idempotent_mutation_refused_by_wikijs_is_not_repeated(self) -> None:
        refused = NotFoundError("Invalid Page Id", operation="UpdatePage")
        assert not decide(NO_JITTER, 1, refused, 0, mutation=True, idempotent=True).retry

    def test_the_write_table_says_which_mutations_are_idempotent(self) -> None:
        from wikijs._protocol.writes import is_idempotent

        idempotent = ["UpdatePage", "DeletePage", "MovePage", "UpdateGroup", "DeleteUser"]
        assert all(is_idempotent(name) for name in idempotent)
        repeated = ["CreatePage", "CreateUser", "ChangePassword", "SomeMutationNobodyKnows"]
        assert not any(is_idempotent(name) for name in repeated)

    def test_opting_in_retries_a_mutation_like_a_query(self) -> None:
        error = ConnectionLostError("x")
        assert decide(NO_JITTER, 1, error, 0, mutation=True, opted_in=True).retry

    def test_a_failed_login_before_the_mutation_proves_it_was_not_sent(self) -> None:
        limited = RateLimitedError("Too many requests", operation="Login", retry_after=3.0)
        decision = decide(NO_JITTER, 1, limited, 0, mutation=True, operation="CreatePage")
        assert decision.retry
        assert decision.delay == 3.0
        lost = ConnectionLostError("x", operation="GetProfile")
        assert decide(NO_JITTER, 1, lost, 0, mutation=True, operation="DeletePage").retry

    def test_the_login_mutation_itself_is_not_mistaken_for_unsent(self) -> None:
        lost = ConnectionLostError("x", operation="Login")
        assert not never_sent(lost, "Login")
        assert not decide(NO_JITTER, 1, lost, 0, mutation=True, operation="Login").retry

    def test_never_sent(self) -> None:
        assert never_sent(ConnectError("x"))
        assert not never_sent(ConnectionLostError("x"))
        assert not never_sent(http(503), "GetPage")
        assert not never_sent(ValueError("x"), "GetPage")

    def test_the_retry_mutations_block_is_scoped(self) -> None:
        assert not mutations_opted_in()
        with retry_mutations():
            assert mutations_opted_in()
            with retry_mutations(False):
                assert not mutations_opted_in()
            assert mutations_opted_in()
        assert not mutations_opted_in()


class TestConfiguration:
    def test_the_default_is_conservative(self) -> None:
        policy = RetryStrategy()
        assert policy.max_retries == 3
        assert policy.retry_on == frozenset({429, 500, 502, 503, 504})
        assert policy.backoff == "exponential"

    def test_retry_on_is_normalised_to_a_set(self) -> None:
        assert RetryStrategy(retry_on=[503, 503, 500]).retry_on == frozenset({500, 503})

    def test_policies_compare_by_their_numbers(self) -> None:
        assert RetryStrategy(max_retries=2) == RetryStrategy(max_retries=2, sleep=print)

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"max_retries": -1}, "max_retries"),
            ({"max_retries": True}, "max_retries"),
            ({"backoff": "fibonacci"}, "backoff"),
            ({"initial_delay": -1}, "initial_delay"),
            ({"max_delay": "soon"}, "max_delay"),
            ({"jitter": 2}, "jitter"),
            ({"retry_on": [700]}, "retry_on"),
            ({"retry_on": ["x"]}, "retry_on"),
            ({"max_elapsed": -5}, "max_elapsed"),
        ],
    )
    def test_bad_values_are_refused(self, kwargs: dict[str, object], field: str) -> None:
        with pytest.raises(ValidationError) as caught:
            RetryStrategy(**kwargs)  # type: ignore[arg-type]
        assert caught.value.field == field

    def test_client_shorthands(self) -> None:
        assert build_retry_strategy(True) == RetryStrategy()
        assert build_retry_strategy(None) is None
        assert build_retry_strategy(False) is None
        assert build_retry_strategy(0) is None
        assert build_retry_strategy(5) == RetryStrategy(max_retries=5)
        policy = RetryStrategy(max_retries=1)
        assert build_retry_strategy(policy) is policy
        with pytest.raises(ValidationError):
            build_retry_strategy(-2)
        with pytest.raises(ValidationError):
            build_retry_strategy("always")


class TestHooks:
    def test_the_sync_client_refuses_coroutine_functions(self) -> None:
        async def hook() -> None: ...

        class Callable_:
            async def __call__(self) -> None: ...

        with pytest.raises(ValidationError, match="sync client"):
            Hooks.check(hook, "sleep")
        with pytest.raises(ValidationError, match="sync client"):
            Hooks.check(Callable_(), "sleep")
        with pytest.raises(ValidationError, match="callable"):
            Hooks.check(3, "sleep")
        Hooks.check(None, "sleep")
        Hooks.check(print, "sleep")

    def test_the_sync_client_refuses_an_awaitable_at_call_time(self) -> None:
        async def later() -> None: ...

        with pytest.raises(ValidationError, match="sync client"):
            Hooks.call(lambda: later())

    async def test_the_async_client_awaits_what_needs_awaiting(self) -> None:
        async def later(x: int) -> int:
            return x + 1

        assert await AsyncHooks.call(later, 1) == 2
        assert await AsyncHooks.call(lambda x: x * 2, 4) == 8
        AsyncHooks.check(later, "hook")
        with pytest.raises(ValidationError):
            AsyncHooks.check(object(), "hook")
