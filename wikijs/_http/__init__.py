"""The one door to the network: every HTTP exchange of the SDK passes here.

``base.py`` (the request, headers and body readers, the failure mapping),
``config.py`` (the frozen client settings), ``deadline.py``,
``environment.py`` (proxies, TLS), and one backend per library under
``_async/`` (derived into ``_sync/``): ``transport.py`` writes the exchange
once, ``aiohttp.py`` and ``httpx.py`` supply their library's calls. See
docs/architecture.md.
"""
