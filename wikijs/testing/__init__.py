"""A schema-faithful fake Wiki.js 2.5 server for tests, benchmarks and demos.

``FakeWikiJS`` keeps a whole wiki in memory and answers real GraphQL (parsed,
validated and executed by graphql-core against Wiki.js 2.5.314's own schema)
plus the REST endpoints around it: ``POST /u`` uploads, asset downloads,
``/healthz`` and the ``graphql-ws`` websocket for ``loggingLiveTrail``. It
reproduces the server's status codes, error shapes, authentication and quirks
as observed on a real 2.5.314. ``FakeWikiJS(version="2.4.107")`` plays an
older release instead: that release's schema (it refuses what the release
lacks), its version in ``system.info``.

Beneath each client's own HTTP library::

    from wikijs.testing import FakeWikiJS

    fake = FakeWikiJS()
    # httpx, in-process (no sockets)
    client = WikiJSClient(fake.url, auth=fake.api_key, transport=fake.sync_transport())
    # aiohttp, over a loopback socket in the running event loop
    aclient = AsyncWikiJSClient(fake.url, auth=fake.api_key, http_client=fake.aiohttp_session)
    raw = fake.handle("POST", "/graphql", headers={...}, body=b"...")   # sans-I/O

``fake.async_transport()`` is the in-process httpx transport for an
``httpx.AsyncClient`` (the async client accepts it too, and then sends
through httpx).

On a loopback socket (uvicorn in a background thread, websocket included)::

    with fake.serve(host="127.0.0.1", port=0) as url:
        ...                                  # http://127.0.0.1:<port>

    url = fake.start()                       # the same, until fake.close()

From the command line: ``wikijs.testing.server.main(["--port", "0", "--seed-demo"])``
prints the URL and the admin API key, then serves until Ctrl-C/SIGTERM.

With pytest: ``pytest_plugins = ["wikijs.testing.pytest_plugin"]`` gives the
``wikijs_fake`` (fresh fake per test) and ``wikijs_fake_server`` (its URL)
fixtures.

Authentication works like the real server: ``Authorization: Bearer <token>``
with an API key (``fake.api_key`` is a full-access key; ``create_api_key``
makes others) or a user JWT from ``authentication.login`` (admin:
``fake.admin_email`` / ``fake.admin_password``) or ``fake.user_token()``.
JWTs live 30 minutes; expired ones (up to 14 days) and ones issued before
``fake.restart()`` are renewed through the ``new-jwt`` header (only for
``Content-Type: application/json`` requests; otherwise a ``jwt`` cookie).
Bad tokens silently act as the Guest user. Revoked keys and a disabled API
answer HTTP 500. Login is rate limited (5 per 60 s per client).

Time: pass ``FakeWikiJS(clock=FakeClock(frozen=True))`` or call
``fake.clock.advance(seconds)`` to expire tokens and rate limits without
sleeping.

Setup helpers: ``seed_demo(pages=220)`` builds a deterministic wiki (two
locales, tags, users, groups, comments, history, assets); ``add_page``,
``edit_page``, ``add_user``, ``add_group``, ``add_asset_folder``,
``add_asset``, ``add_comment``, ``create_api_key``, ``user_token``.

Knobs for benchmarks and fault tests:

* ``fake.latency = 0.05`` adds 50 ms to every answer (``time.sleep`` in the
  sync transport, ``asyncio.sleep`` in the async one and in the server).
* ``fake.faults.push(Fault.http(503, retry_after=1))`` - scripted faults, one
  consumed per matching request, optionally filtered by ``path`` or GraphQL
  ``operation`` (an operation name or ``namespace.field``). Kinds:
  ``Fault.http`` (status answer, request never processed), ``Fault.refuse``
  (never reaches the server: ``httpx.ConnectError`` in-process, socket cut
  before reading on loopback), ``Fault.drop_after`` (processed, then the
  connection is cut: ``httpx.RemoteProtocolError``), ``Fault.stall(seconds)``.
* ``fake.faults.set_rate(0.1, [Fault.http(502)], seed=1)`` - random faults.
* ``FakeWikiJS(write_costs=WriteCosts.measured())`` - each write holds its
  answer for the seconds it costs a real Wiki.js (page create ≈ 3.9 s), the
  write landing first; concurrent page writes whose tree rebuilds overlap
  answer ``succeeded: false`` after landing, as on the real server.
  ``.scaled(0.01)`` keeps the proportions; off by default.
* ``fake.requests`` - the request log (method, path, operation names,
  ``namespace.field``s, status, fault); ``fake.reset_log()`` clears it.

The same faults in front of any wiki, the real one included: ``FaultProxy(url)``
is a loopback HTTP/1.1 reverse proxy whose ``faults`` and ``records`` work like
the fake's (``Fault.stall(math.inf)`` never answers; ``Fault.drop_after(wait=False)``
cuts the connection while the server is still working).

Quirks: ``FakeWikiJS(quirks=True)`` (the default) reproduces Wiki.js 2.5.314:

* ``pages.create``/``update`` results lack ``locale``/``editor`` (selecting
  them nulls ``page`` with a non-null error), scripts are null and tags carry
  only ``tag``/``title``; selecting ``toc`` is always an error.
* ``pages.update`` is not partial (see FACTS.md): omitted content fails 6004,
  omitted ``isPublished`` unpublishes, omitted scripts blank, omitted tags
  fail after the write.
* ``pages.list(limit)`` counts page x tag rows and applies before access checks.
* ``users.create`` returns ``user: null``; ``users.list`` lists in physical
  (last-written-last) order; ``users.search`` selects only ``id email name
  providerKey createdAt`` (``isSystem``/``isActive`` fail as non-null).
* ``groups.assignUser`` and friends throw into ``errors[]``.
* ``assets.createFolder`` ignores ``name``; ``assets.list`` has null ``folder``/``author``.

``FakeWikiJS(quirks=False)`` is an idealised server: full pages from
create/update (``toc`` as a JSON string), partial updates, ``users.create``
returns the user, group membership failures are ``responseResult`` failures,
``pages.list(limit)`` limits pages after access checks, and folders/authors
are filled in.

Namespaces modelled: pages, users, groups, assets, comments, navigation, site,
system, localization, search, authentication, logging. analytics, mail,
rendering, storage, theming and contribute answer a GraphQL error
"... is not implemented by FakeWikiJS".
"""

from __future__ import annotations

from .._public import publish as _publish
from ._clock import FakeClock
from ._costs import WriteCosts
from ._fake import FakeWikiJS
from ._faults import Fault, FaultInjector, RequestRecord
from ._http import HTTPRequest, HTTPResponse
from ._proxy import FaultProxy, ProxyRecord

__all__ = [
    "FakeClock",
    "FakeWikiJS",
    "Fault",
    "FaultInjector",
    "FaultProxy",
    "HTTPRequest",
    "HTTPResponse",
    "ProxyRecord",
    "RequestRecord",
    "WriteCosts",
]

# Each class's __module__ is this module, where it is documented (wikijs/_public.py).
_publish(globals(), __all__, __name__)
