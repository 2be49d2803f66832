"""The MCP server: the tools and page resources over stdio or streamable HTTP."""

from __future__ import annotations

import hmac
import json
import logging
import socket
from collections.abc import Callable
from typing import Any

import mcp_types as types
import pydantic
from mcp.server import Server, ServerRequestContext
from mcp.server.auth.provider import AccessToken
from mcp.server.auth.settings import AuthSettings
from mcp.server.stdio import stdio_server
from mcp.shared.exceptions import MCPError

from wikijs import __version__
from wikijs.aio import AsyncWikiJSClient
from wikijs.errors import NotFoundError, WikiJSError

from . import _resources as resources
from ._errors import explain, invalid_arguments
from ._policy import Policy, Refused
from ._tools import BY_NAME, TOOLS, Tool, ToolError

logger = logging.getLogger("wikijs.mcp")

Context = ServerRequestContext[Any, Any]


def _annotations(tool: Tool) -> types.ToolAnnotations:
    return types.ToolAnnotations(
        title=tool.title,
        read_only_hint=tool.access == "read",
        destructive_hint=tool.destructive if tool.access != "read" else None,
        idempotent_hint=tool.idempotent if tool.access != "read" else None,
        open_world_hint=False,
    )


def _error(text: str) -> types.CallToolResult:
    return types.CallToolResult(content=[types.TextContent(text=text)], is_error=True)


def instructions(policy: Policy) -> str:
    """What the assistant is told about this server when it connects."""
    return (
        "Tools for one Wiki.js wiki. Page paths have no leading slash and no locale "
        "('docs/start'); the locale ('en') is a separate argument. Find pages with "
        "search_pages, list_pages or list_folder, then read them with get_page_by_path. "
        f"{policy.describe()} Pages are also resources, wikijs://<locale>/<path>."
    )


def build_server(client: AsyncWikiJSClient, policy: Policy | None = None) -> Server[Any]:
    """An MCP server whose tools and resources act on the wiki through ``client``.

    The caller keeps ``client`` open while the server runs, and closes it.
    Tools that the policy does not allow are not listed, and a call to one
    is refused.

    Example::

        from mcp import Client
        from wikijs.aio import AsyncWikiJSClient
        from wikijs.mcp import Policy, build_server

        async with AsyncWikiJSClient(url, auth=api_key) as wiki:
            server = build_server(wiki, Policy(allow_write=True, path_prefixes=("docs/",)))
            async with Client(server) as session:
                print(await session.call_tool("search_pages", {"query": "start"}))

    Args:
        client: the wiki, through the SDK's async client.
        policy: what the server allows (default: reading only).
    """
    policy = policy or Policy()
    offered = {tool.name: tool for tool in TOOLS if policy.allows(tool.access)}

    async def list_tools(
        ctx: Context, params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        return types.ListToolsResult(
            tools=[
                types.Tool(
                    name=tool.name,
                    title=tool.title,
                    description=tool.description,
                    input_schema=tool.input_schema,
                    output_schema=tool.output_schema,
                    annotations=_annotations(tool),
                )
                for tool in offered.values()
            ]
        )

    async def call_tool(ctx: Context, params: types.CallToolRequestParams) -> types.CallToolResult:
        tool = offered.get(params.name)
        if tool is None:
            known = BY_NAME.get(params.name)
            why = f": {policy.why_not(known.access)}" if known is not None else ""
            raise MCPError(types.INVALID_PARAMS, f"unknown tool {params.name!r}{why}")
        try:
            arguments = tool.input_model.model_validate(params.arguments or {})
        except pydantic.ValidationError as exc:
            return _error(invalid_arguments(tool.name, exc))
        try:
            result = await tool.run(client, policy, arguments)
        except (Refused, ToolError) as exc:
            return _error(str(exc))
        except WikiJSError as exc:
            return _error(explain(exc, writes=tool.access != "read"))
        except Exception:
            logger.exception("%s failed", tool.name)
            return _error(
                f"{tool.name} failed inside the server (its log has the details); "
                "tell the user rather than retrying."
            )
        data = tool.dump(result)
        text = json.dumps(data, ensure_ascii=False, indent=1)
        return types.CallToolResult(content=[types.TextContent(text=text)], structured_content=data)

    async def list_resources(
        ctx: Context, params: types.PaginatedRequestParams | None
    ) -> types.ListResourcesResult:
        cursor = params.cursor if params is not None else None
        try:
            start = int(cursor) if cursor else 0
        except ValueError:
            raise MCPError(types.INVALID_PARAMS, f"invalid cursor {cursor!r}") from None
        try:
            items = await client.pages.list(
                limit=resources.PAGE_SIZE + 1, offset=start, order_by="path"
            )
        except WikiJSError as exc:
            raise MCPError(types.INTERNAL_ERROR, explain(exc, writes=False)) from None
        listed = [
            types.Resource(
                uri=resources.page_uri(item.locale, item.path),
                name=f"{item.locale}/{item.path}",
                title=item.title or item.path,
                description=item.description or None,
                mime_type=resources.mime_type(item.content_type),
            )
            for item in items[: resources.PAGE_SIZE]
        ]
        more = len(items) > resources.PAGE_SIZE
        return types.ListResourcesResult(
            resources=listed, next_cursor=str(start + resources.PAGE_SIZE) if more else None
        )

    async def list_templates(
        ctx: Context, params: types.PaginatedRequestParams | None
    ) -> types.ListResourceTemplatesResult:
        return types.ListResourceTemplatesResult(
            resource_templates=[
                types.ResourceTemplate(
                    uri_template=resources.TEMPLATE,
                    name="page",
                    title="Wiki page",
                    description="A page's source, by locale and path (wikijs://en/docs/start).",
                )
            ]
        )

    async def read_resource(
        ctx: Context, params: types.ReadResourceRequestParams
    ) -> types.ReadResourceResult:
        try:
            locale, path = resources.parse_uri(params.uri)
        except ValueError as exc:
            raise MCPError(types.INVALID_PARAMS, str(exc)) from None
        try:
            page = await client.pages.get_by_path(path, locale)
        except NotFoundError:
            raise MCPError(types.INVALID_PARAMS, f"resource not found: {params.uri}") from None
        except WikiJSError as exc:
            raise MCPError(types.INTERNAL_ERROR, explain(exc, writes=False)) from None
        return types.ReadResourceResult(
            contents=[
                types.TextResourceContents(
                    uri=params.uri,
                    mime_type=resources.mime_type(page.content_type),
                    text=page.content,
                )
            ]
        )

    def tool_input_schema(name: str) -> dict[str, Any] | None:
        tool = offered.get(name)
        return tool.input_schema if tool is not None else None

    return Server(
        "wikijs",
        version=__version__,
        title="Wiki.js",
        instructions=instructions(policy),
        get_tool_input_schema=tool_input_schema,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
        on_list_resources=list_resources,
        on_list_resource_templates=list_templates,
        on_read_resource=read_resource,
    )


async def serve_stdio(server: Server[Any]) -> None:
    """Serve one client over standard input and output until it closes them."""
    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())


class BearerToken:
    """Accepts exactly one bearer token (compared in constant time); never shows it."""

    def __init__(self, token: str) -> None:
        self._token = token.encode()

    async def verify_token(self, token: str) -> AccessToken | None:
        if hmac.compare_digest(token.encode(), self._token):
            return AccessToken(token="", client_id="wikijs-mcp", scopes=[])
        return None

    def __repr__(self) -> str:
        return "BearerToken(***)"


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0: any free port)."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def endpoint(sock: socket.socket) -> str:
    """The URL of the MCP endpoint served on ``sock``."""
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/mcp"


async def serve_http(
    server: Server[Any],
    sock: socket.socket,
    token: str,
    *,
    ready: Callable[[str], None] = lambda url: None,
) -> None:
    """Serve streamable HTTP on ``sock`` at ``/mcp``; every request needs ``token``.

    A request without ``Authorization: Bearer <token>`` gets 401. On a
    loopback address the MCP SDK also refuses requests naming another host
    (DNS rebinding).

    Args:
        server: what :func:`build_server` made.
        sock: a listening socket (:func:`bind`).
        token: the bearer token clients must send.
        ready: called with the endpoint's URL once requests are accepted.
    """
    import uvicorn

    url = endpoint(sock)
    host = sock.getsockname()[0]
    app = server.streamable_http_app(
        host=host,
        # The SDK's bearer check comes with OAuth settings; this server is its
        # own resource server with one static token and no authorization
        # server, so only the (required) issuer is named: itself.
        auth=AuthSettings(issuer_url=url.removesuffix("/mcp"), resource_server_url=None),
        token_verifier=BearerToken(token),
    )
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    web = uvicorn.Server(config)
    ready(url)
    await web.serve(sockets=[sock])
