"""Where the web UI's operations found the fake answering unlike Wiki.js 2.5.314 (issue 21).

Each test runs on the fake and, with ``--wikijs-url``, on a real server.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import secrets
import time
from typing import Any

from wikijs.aio import AsyncWikiJSClient
from wikijs.auth import JWTAuth
from wikijs.events import LogEvent
from wikijs.testing import FakeWikiJS

from .conftest import Caller

RR = "responseResult { succeeded errorCode slug message }"


def test_restoring_a_version_leaves_the_page_without_tags(fake: FakeWikiJS, gql: Caller) -> None:
    # pageHistory.getVersion hands updatePage `tags: []`: the page loses its tags,
    # and a tag no other page has leaves pages.tags
    tag = f"restore-{secrets.token_hex(4)}"
    page = fake.add_page(f"conformance/restore-{tag}", tags=[tag])
    fake.edit_page(page.id, "# Page\n\nA second version.")
    trail = gql(
        "query ($id: Int!) { pages { history(id: $id) { trail { versionId actionType } } } }",
        {"id": page.id},
    )["data"]["pages"]["history"]["trail"]
    restore = gql(
        "mutation ($p: Int!, $v: Int!) { pages { restore(pageId: $p, versionId: $v) "
        f"{{ {RR} }} }} }}",
        {"p": page.id, "v": trail[0]["versionId"]},
    )
    assert restore["data"]["pages"]["restore"]["responseResult"]["succeeded"]
    single = gql(
        "query ($id: Int!) { pages { single(id: $id) { content tags { tag } } } }", {"id": page.id}
    )["data"]["pages"]["single"]
    assert single == {"content": "# Page\n\nContent.", "tags": []}
    tags = gql("{ pages { tags { tag } } }")["data"]["pages"]["tags"]
    assert tag not in [t["tag"] for t in tags]


LOGIN_PAGE = "{ site { config { authAutoLogin authEnforce2FA authHideLocal authLoginBgUrl } } }"
UNSET = {
    "authAutoLogin": None,
    "authEnforce2FA": None,
    "authHideLocal": None,
    "authLoginBgUrl": None,
}
DEFAULTS = {
    "authAutoLogin": False,
    "authEnforce2FA": False,
    "authHideLocal": False,
    "authLoginBgUrl": "",
}


def test_login_page_settings_are_null_until_a_restart_fills_in_the_defaults(
    fake: FakeWikiJS, gql: Caller
) -> None:
    # setup saves WIKI.config.auth without autoLogin, enforce2FA, hideLocal and loginBgUrl;
    # each start merges app/data.yml's defaults into what the database holds
    config = gql(LOGIN_PAGE)["data"]["site"]["config"]
    if getattr(fake, "is_real", False):
        # a real server's history is unknown here: as set up, or started since
        assert config in (UNSET, DEFAULTS)
        return
    assert config == UNSET
    fake.restart()
    assert gql(LOGIN_PAGE)["data"]["site"]["config"] == DEFAULTS


def test_ssl_status_is_ok_without_ssl(gql: Caller) -> None:
    # server/graph/resolvers/system.js: sslStatus () { return 'OK' }
    info = gql("{ system { info { sslStatus sslProvider sslDomain } } }")["data"]["system"]["info"]
    assert info == {"sslStatus": "OK", "sslProvider": None, "sslDomain": None}


def test_translations_need_a_downloaded_locale(gql: Caller) -> None:
    # a server set up offline has the en row but no strings: i18next has no bundle
    body = gql('{ localization { translations(locale: "en", namespace: "common") { key } } }')
    assert body["data"] == {"localization": {"translations": None}}
    assert body["errors"][0]["message"] == "Invalid locale or namespace"


_SERVER_LINE = re.compile(
    r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \[MASTER\] \x1b\[32minfo\x1b\[39m: "
    r"Authentication Strategy .+: \[ OK \]"
)


async def test_the_live_trail_streams_the_servers_own_log(fake: FakeWikiJS) -> None:
    # a strategies update makes Wiki.js activate them again, logging a line for each
    if not getattr(fake, "is_real", False):
        fake.clock.advance(time.time() - fake.clock.now())  # the SDK judges JWTs by wall time
    with fake.serve() as url:
        async with (
            AsyncWikiJSClient(url, auth=JWTAuth(fake.admin_email, fake.admin_password)) as admin,
            AsyncWikiJSClient(url, auth=fake.api_key) as keyed,
        ):
            lines: asyncio.Queue[LogEvent] = asyncio.Queue()

            async def listen() -> None:
                async for line in admin.logging.live_trail():
                    await lines.put(line)

            task = asyncio.ensure_future(listen())
            try:
                loop = asyncio.get_running_loop()
                deadline = loop.time() + 30
                found: Any = None
                while found is None:
                    # the subscription starts asynchronously: write until a line arrives
                    local = await keyed.authentication.get("local")
                    await keyed.authentication.update("local", display_name=local.display_name)
                    with contextlib.suppress(asyncio.TimeoutError):
                        while found is None:
                            line = await asyncio.wait_for(lines.get(), timeout=2)
                            if "Authentication Strategy" in line.output:
                                found = line
                    assert loop.time() < deadline, "no log line arrived"
            finally:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
    assert found.level == "info"
    assert _SERVER_LINE.fullmatch(found.output), found.output
