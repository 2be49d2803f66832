"""A small Markdown renderer shaped like Wiki.js's output (headers with TOC anchors)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote


@dataclass
class Rendered:
    html: str
    toc: list[dict[str, Any]] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)


_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|(\d+)[.)])\s+(.*)$")
_LINK = re.compile(r"(!?)\[([^\]]*)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_LOCALE_PREFIX = re.compile(r"^([a-z]{2}(?:-[a-z]{2})?)/(.+)$", re.IGNORECASE)
#: What markdown-it's ``normalizeLink`` leaves unencoded in a link (mdurl).
_HREF_SAFE = ";/?:@&=+$,-_.!~*'()#%"
#: An internal link as Wiki.js's html-core renderer writes it.
INTERNAL_LINK = re.compile(r'<a href="(/[^"]*)" class="is-internal-link is-(?:in)?valid-page">')


def link_target(href: str, locale: str) -> tuple[str, str]:
    """``(locale, path)`` an internal link's ``href`` names (fragment dropped)."""
    inner = unquote(href[1:].split("#", 1)[0])
    prefixed = _LOCALE_PREFIX.match(inner)
    return (prefixed.group(1), prefixed.group(2)) if prefixed else (locale, inner)


def _heading(line: str) -> tuple[int, str] | None:
    """``(level, title)`` of an ATX heading line, closing ``#``s dropped; linear time.

    (The pattern ``^(#{1,6})\\s+(.*?)\\s*#*\\s*$`` it replaces backtracked
    cubically over a line of many spaces.)
    """
    level = len(line) - len(line.lstrip("#"))
    if not 1 <= level <= 6 or len(line) == level or not line[level].isspace():
        return None
    return level, line[level:].strip().rstrip("#").strip()


def slugify(text: str) -> str:
    slug = re.sub(r"[^\w\- ]+", "", text.lower()).strip()
    return re.sub(r"[\s]+", "-", slug)


def _inline(text: str, links: list[tuple[str, str]], locale: str) -> str:
    out = html.escape(text, quote=False)

    def link(match: re.Match[str]) -> str:
        bang, label, target = match.group(1), match.group(2), match.group(3)
        if bang:
            return f'<img src="{target}" alt="{label}">'
        if target.startswith("/"):
            inner = target[1:].split("#", 1)[0]
            prefixed = _LOCALE_PREFIX.match(inner)
            entry = (prefixed.group(1), prefixed.group(2)) if prefixed else (locale, inner)
            if entry[1] and entry not in links:
                links.append(entry)
            # As markdown-it writes it (non-ASCII percent-encoded) and html-core
            # marks it; Core.render_page makes it invalid when the page is missing.
            href = quote(target, safe=_HREF_SAFE)
            return f'<a href="{href}" class="is-internal-link is-valid-page">{label}</a>'
        return f'<a class="is-external-link" href="{target}">{label}</a>'

    out = _LINK.sub(link, out)
    out = re.sub(r"`([^`]+)`", r"<code>\1</code>", out)
    out = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", out)
    out = re.sub(r"__(.+?)__", r"<strong>\1</strong>", out)
    return re.sub(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?!\w)", r"<em>\1</em>", out)


def render_markdown(source: str, locale: str = "en") -> Rendered:
    """Render Markdown to HTML plus Wiki.js's TOC tree and internal links."""
    lines = source.replace("\r\n", "\n").split("\n")
    parts: list[str] = []
    toc: list[dict[str, Any]] = []
    stack: list[tuple[int, dict[str, Any]]] = []
    links: list[tuple[str, str]] = []
    paragraph: list[str] = []
    list_kind: str | None = None
    i = 0

    def flush_paragraph() -> None:
        if paragraph:
            parts.append("<p>" + _inline("\n".join(paragraph), links, locale) + "</p>\n")
            paragraph.clear()

    def close_list() -> None:
        nonlocal list_kind
        if list_kind:
            parts.append(f"</{list_kind}>\n")
            list_kind = None

    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            flush_paragraph()
            close_list()
            lang = line[3:].strip()
            body: list[str] = []
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                body.append(lines[i])
                i += 1
            cls = f' class="language-{html.escape(lang)}"' if lang else ""
            code = html.escape("\n".join(body), quote=False)
            parts.append(f"<pre><code{cls}>{code}\n</code></pre>\n")
            i += 1
            continue
        heading = _heading(line)
        if heading:
            flush_paragraph()
            close_list()
            level, title = heading
            anchor = slugify(title)
            parts.append(
                f'<h{level} id="{anchor}" class="toc-header">'
                f'<a class="toc-anchor" href="#{anchor}">\u00b6</a> '
                f"{_inline(title, links, locale)}</h{level}>\n"
            )
            entry: dict[str, Any] = {"title": title, "anchor": f"#{anchor}", "children": []}
            while stack and stack[-1][0] >= level:
                stack.pop()
            (stack[-1][1]["children"] if stack else toc).append(entry)
            stack.append((level, entry))
            i += 1
            continue
        item = _LIST_ITEM.match(line)
        if item:
            flush_paragraph()
            kind = "ol" if item.group(1) else "ul"
            if list_kind != kind:
                close_list()
                parts.append(f"<{kind}>\n")
                list_kind = kind
            parts.append(f"<li>{_inline(item.group(2), links, locale)}</li>\n")
            i += 1
            continue
        if not line.strip():
            flush_paragraph()
            close_list()
            i += 1
            continue
        close_list()
        paragraph.append(line)
        i += 1
    flush_paragraph()
    close_list()
    return Rendered("".join(parts), toc, links)


def render_content(content: str, content_type: str, locale: str) -> Rendered:
    """Render page content by its content type (HTML passes through)."""
    if content_type == "markdown":
        return render_markdown(content, locale)
    if content_type == "html":
        links = [
            (m.group(1), m.group(2)) if m else (locale, href[1:])
            for href in re.findall(r'href="(/[^"#]+)', content)
            for m in [_LOCALE_PREFIX.match(href[1:])]
        ]
        return Rendered(content, [], links)
    return Rendered("<pre>" + html.escape(content) + "</pre>", [], [])


def strip_html(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", text))
