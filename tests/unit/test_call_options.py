"""The pure parts of views and raw responses: options, requests, records, declarations."""

from __future__ import annotations

import textwrap

import httpx
import pytest

from codegen.raw_responses import BEGIN, END, RawResponseError, raw_block, with_block
from wikijs._http._sync.httpx import HttpxTransport
from wikijs._http.base import Request, ResponseHeaders
from wikijs._http.config import NOT_GIVEN, build_config
from wikijs._http.options import (
    VIEW_OPTION,
    CallOptions,
    options_key,
    view_config,
    view_options,
)
from wikijs._http.raw import CALLS_OPTION, RawResponse, Recorder
from wikijs._protocol.operation import VIEW_CACHE_OPTION, Operation
from wikijs._protocol.retry import ATTEMPT_OPTION, POLICY_OPTION, RetryStrategy

CONFIG = build_config("https://wiki.example.com", timeout=10, headers={"X-Team": "docs"})
REQUEST = Request(
    "POST",
    "https://wiki.example.com/graphql",
    {"X-Team": "docs", "Content-Type": "application/json", "Authorization": "Bearer k"},
    b"{}",
    "GetPage",
)


# -- view options ----------------------------------------------------------------------


def test_a_view_without_changes_carries_no_options() -> None:
    options = view_options({}, CONFIG)
    assert options == {}
    assert view_config(CONFIG, options) is CONFIG


def test_exchange_settings_travel_as_call_options() -> None:
    options = view_options({}, CONFIG, timeout=30, headers={"X-Trace": "1"})
    config = view_config(CONFIG, options)
    view = options[VIEW_OPTION]
    assert isinstance(view, CallOptions)
    assert view.timeout is not None
    assert view.timeout.read == 30
    assert view.deadline == 120  # the client's 120, not shorter than 4 x 30
    assert dict(view.headers) == {"X-Trace": "1"}
    assert (config.timeout.read, config.deadline) == (30, 120)
    assert config.headers == {"X-Team": "docs", "X-Trace": "1"}
    assert CONFIG.timeout.read == 10  # the parent's is untouched


def test_a_view_without_timeouts_has_no_deadline() -> None:
    options = view_options({}, CONFIG, timeout=None)
    config = view_config(CONFIG, options)
    assert options[VIEW_OPTION].deadline is None
    assert config.deadline is None
    assert config.timeout.read is None


def test_retry_and_cache_travel_as_their_layers_options() -> None:
    options = view_options({}, CONFIG, retry_strategy=None, cache="refresh")
    assert options == {POLICY_OPTION: None, VIEW_CACHE_OPTION: "refresh"}
    assert view_config(CONFIG, options) is CONFIG
    options = view_options(options, CONFIG, retry_strategy=2, cache=None)
    assert options[POLICY_OPTION] == RetryStrategy(max_retries=2)
    assert VIEW_CACHE_OPTION not in options


def test_applying_a_view_replaces_headers_without_regard_to_case() -> None:
    options = view_options({}, CONFIG, headers={"x-team": "ops"}, deadline=None)
    sent = options[VIEW_OPTION].apply(REQUEST)
    assert sent.headers == {
        "Content-Type": "application/json",
        "Authorization": "Bearer k",
        "x-team": "ops",
    }
    assert sent.deadline is None
    assert sent.timeout is None  # the client's
    assert REQUEST.deadline is NOT_GIVEN


def test_option_keys_tell_types_apart_and_unhashable_values_fail_to_hash() -> None:
    assert options_key(30, NOT_GIVEN, None, True, NOT_GIVEN) != options_key(
        30, NOT_GIVEN, None, 1, NOT_GIVEN
    )
    assert options_key(1, NOT_GIVEN, {"A": "1"}, NOT_GIVEN, False) == options_key(
        1, NOT_GIVEN, {"A": "1"}, NOT_GIVEN, False
    )
    with pytest.raises(TypeError):
        hash(options_key(httpx.Timeout(5), NOT_GIVEN, None, NOT_GIVEN, NOT_GIVEN))


# -- the transport's deadline per request --------------------------------------------


def test_the_transport_keeps_one_deadline_watcher_per_length() -> None:
    transport = HttpxTransport(build_config("https://wiki.example.com", deadline=5))
    client = transport._deadline_for(REQUEST)
    assert client.seconds == 5
    longer = Request(REQUEST.method, REQUEST.url, REQUEST.headers, deadline=600)
    assert transport._deadline_for(longer).seconds == 600
    assert transport._deadline_for(longer) is transport._deadline_for(longer)
    same = Request(REQUEST.method, REQUEST.url, REQUEST.headers, deadline=5)
    assert transport._deadline_for(same) is client
    assert transport._deadline_for(Request("GET", REQUEST.url, {}, deadline=None)).seconds is None
    for seconds in range(1, 40):  # a bounded set: forgetting one is safe
        transport._deadline_for(Request("GET", REQUEST.url, {}, deadline=float(seconds)))
    assert len(transport._deadlines) <= 16
    transport.close()


# -- records ---------------------------------------------------------------------------


def test_a_record_masks_credentials_and_secret_variables() -> None:
    recorder = Recorder()
    operation = Operation(
        "ChangePassword",
        "mutation ChangePassword($a: String!, $b: String!) "
        "{ users { changePassword(current: $a, new: $b) { responseResult { succeeded } } } }",
        {"a": "old-secret", "b": "new-secret"},
        {ATTEMPT_OPTION: 2},
    )
    recorder.record(REQUEST, operation, 200, ResponseHeaders({"new-jwt": "t0k3n"}), 0.5)
    raw = recorder.done(True)
    assert raw.request.variables == {"a": "***", "b": "***"}
    assert raw.request.headers["Authorization"] == "***"
    assert raw.request.attempt == 2
    assert raw.headers["NEW-JWT"] == "t0k3n"
    assert "t0k3n" not in repr(raw)
    assert "secret" not in repr(raw)


def test_an_aliased_batch_shows_the_calls_as_written() -> None:
    recorder = Recorder()
    document = "query GetPage($id: Int!) { pages { single(id: $id) { id } } }"
    batch = Operation(
        "Batch[GetPage x2]",
        "query { a: pages { single(id: 1) { id } } }",
        {},
        {CALLS_OPTION: (("GetPage", document, {"id": 1}), ("GetPage", document, {"id": 2}))},
    )
    recorder.record(REQUEST, batch, 200, ResponseHeaders({}), 0.1)
    (exchange,) = recorder.exchanges
    assert [(o.name, o.variables) for o in exchange.request.operations] == [
        ("GetPage", {"id": 1}),
        ("GetPage", {"id": 2}),
    ]
    assert exchange.request.variables == {}  # more than one operation


def test_a_raw_response_of_a_page_is_one_of_a_page_or_nothing() -> None:
    raw: RawResponse[int | None] = RawResponse(1, ())  # covariant: a RawResponse[int] fits
    assert raw.parsed == 1


# -- the declarations scripts/unasync writes ---------------------------------------------

MODULE = textwrap.dedent(
    """\
    from __future__ import annotations

    from functools import cached_property
    from typing import TYPE_CHECKING, overload

    from ._base import AsyncResource, AsyncWithRawResponse

    if TYPE_CHECKING:
        from ..._http.raw import RawResponse


    class AsyncThings(AsyncResource):
        @cached_property
        def with_raw_response(self) -> AsyncThingsWithRawResponse:
            return AsyncThingsWithRawResponse(self)

        async def get(self, thing_id: int, *, fresh: bool = False) -> Thing:
            return await self._fetch(thing_id)

        @overload
        async def put(self, thing: Thing) -> Thing: ...
        @overload
        async def put(self, *, name: str) -> Thing: ...
        async def put(self, thing: Thing | None = None, **fields: str) -> Thing:
            async def inner() -> AsyncIterator[int]:
                yield 1  # a nested generator does not make put one
            return thing

        async def iter_all(self) -> AsyncIterator[Thing]:
            yield Thing()

        async def _fetch(self, thing_id: int) -> Thing:
            return Thing()
    """
)


def test_the_declarations_wrap_each_result_and_keep_parameters_and_overloads() -> None:
    block = raw_block(MODULE, "things.py")
    assert block is not None
    assert block.startswith(BEGIN)
    assert block.rstrip().endswith(END)
    assert "class AsyncThingsWithRawResponse(AsyncWithRawResponse):" in block
    assert "_methods = frozenset({'get', 'put'})" in block
    get = "async def get(self, thing_id: int, *, fresh: bool=False) -> RawResponse[Thing]:"
    assert get in block
    assert block.count("@overload") == 2
    assert "async def put(self, *, name: str) -> RawResponse[Thing]:" in block
    assert "iter_all" not in block
    assert "_fetch" not in block


def test_a_block_is_replaced_in_place_and_removed_with_its_methods() -> None:
    block = raw_block(MODULE, "things.py")
    once = with_block(MODULE, block)
    assert with_block(once, block) == once
    assert with_block(once, None).rstrip() == MODULE.rstrip()


def test_a_module_missing_what_its_block_needs_is_named() -> None:
    without_import = MODULE.replace("    from ..._http.raw import RawResponse\n", "    pass\n")
    with pytest.raises(RawResponseError, match=r"things\.py: import RawResponse"):
        raw_block(without_import, "things.py")
    without_accessor = MODULE.replace("def with_raw_response", "def other_property")
    with pytest.raises(RawResponseError, match="needs its accessor"):
        raw_block(without_accessor, "things.py")
