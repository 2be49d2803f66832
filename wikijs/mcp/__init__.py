"""An MCP (Model Context Protocol) server for a Wiki.js wiki, run by ``wikijs mcp``.

It lets an AI assistant search, read and (when allowed) edit pages through
the SDK: tools whose schemas come from the SDK's signatures and models, and
every page as a ``wikijs://<locale>/<path>`` resource. It needs the ``mcp``
extra (``pip install "wikijs[mcp]"``); ``import wikijs`` never loads it.
See ``docs/mcp.md``.

Example::

    from mcp import Client
    from wikijs.aio import AsyncWikiJSClient
    from wikijs.mcp import Policy, build_server

    async with AsyncWikiJSClient(url, auth=api_key) as wiki:
        async with Client(build_server(wiki, Policy(allow_write=True))) as session:
            print(await session.call_tool("search_pages", {"query": "start"}))
"""

from .._public import publish as _publish
from ._policy import Policy
from ._server import build_server, serve_stdio
from ._tools import TOOLS, Change, Tool, WriteReport

__all__ = ["Change", "Policy", "TOOLS", "Tool", "WriteReport", "build_server", "serve_stdio"]

# Each class's __module__ is this module, where it is documented (wikijs/_public.py).
_publish(globals(), __all__, __name__)
