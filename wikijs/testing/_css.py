"""Page CSS as Wiki.js stores it: ``new CleanCSS({ inline: false }).minify(css).styles``.

Wiki.js 2.5.314 minifies ``scriptCss`` on create and update with clean-css
5.3.3 at its default level 1 (``server/models/pages.js``). This module
reproduces the common cases of that level on top of tinycss2's parser (a
small, well-kept CSS tokenizer, so strings, URLs and escapes are read right and
only the output is ours): comments go (``/*! … */`` stay), whitespace and last
semicolons go, rules and ``@media`` blocks left empty go, selectors are tidied,
de-duplicated and sorted, and values are shortened — zero lengths to ``0``,
``0.50`` to ``.5``, ``#ffffff`` to ``#fff``, ``rgb(0,0,128)`` to ``navy``,
``white`` to ``#fff``, ``bold`` to ``700``, ``1000ms`` to ``1s``, four zero
margins to one. Text that does not parse as CSS is dropped, as clean-css does.

Not modelled: clean-css's rarer rewrites (unit conversions such as ``96px`` to
``1in``, ``hsl()``, ``:nth-child(2n+1)`` to ``odd``, ``@import`` URL unquoting,
vendor-specific fixes, merging of shorthand values).
"""

from __future__ import annotations

import functools
import re
from typing import Any

# clean-css's named colours (lib/optimizer/level-1/value-optimizers/color/shorten-hex.js)
_COLORS = (
    "aliceblue:f0f8ff antiquewhite:faebd7 aqua:0ff aquamarine:7fffd4 azure:f0ffff "
    "beige:f5f5dc bisque:ffe4c4 black:000 blanchedalmond:ffebcd blue:00f blueviolet:8a2be2 "
    "brown:a52a2a burlywood:deb887 cadetblue:5f9ea0 chartreuse:7fff00 chocolate:d2691e "
    "coral:ff7f50 cornflowerblue:6495ed cornsilk:fff8dc crimson:dc143c cyan:0ff "
    "darkblue:00008b darkcyan:008b8b darkgoldenrod:b8860b darkgray:a9a9a9 darkgreen:006400 "
    "darkgrey:a9a9a9 darkkhaki:bdb76b darkmagenta:8b008b darkolivegreen:556b2f "
    "darkorange:ff8c00 darkorchid:9932cc darkred:8b0000 darksalmon:e9967a darkseagreen:8fbc8f "
    "darkslateblue:483d8b darkslategray:2f4f4f darkslategrey:2f4f4f darkturquoise:00ced1 "
    "darkviolet:9400d3 deeppink:ff1493 deepskyblue:00bfff dimgray:696969 dimgrey:696969 "
    "dodgerblue:1e90ff firebrick:b22222 floralwhite:fffaf0 forestgreen:228b22 fuchsia:f0f "
    "gainsboro:dcdcdc ghostwhite:f8f8ff gold:ffd700 goldenrod:daa520 gray:808080 green:008000 "
    "greenyellow:adff2f grey:808080 honeydew:f0fff0 hotpink:ff69b4 indianred:cd5c5c "
    "indigo:4b0082 ivory:fffff0 khaki:f0e68c lavender:e6e6fa lavenderblush:fff0f5 "
    "lawngreen:7cfc00 lemonchiffon:fffacd lightblue:add8e6 lightcoral:f08080 lightcyan:e0ffff "
    "lightgoldenrodyellow:fafad2 lightgray:d3d3d3 lightgreen:90ee90 lightgrey:d3d3d3 "
    "lightpink:ffb6c1 lightsalmon:ffa07a lightseagreen:20b2aa lightskyblue:87cefa "
    "lightslategray:778899 lightslategrey:778899 lightsteelblue:b0c4de lightyellow:ffffe0 "
    "lime:0f0 limegreen:32cd32 linen:faf0e6 magenta:ff00ff maroon:800000 "
    "mediumaquamarine:66cdaa mediumblue:0000cd mediumorchid:ba55d3 mediumpurple:9370db "
    "mediumseagreen:3cb371 mediumslateblue:7b68ee mediumspringgreen:00fa9a "
    "mediumturquoise:48d1cc mediumvioletred:c71585 midnightblue:191970 mintcream:f5fffa "
    "mistyrose:ffe4e1 moccasin:ffe4b5 navajowhite:ffdead navy:000080 oldlace:fdf5e6 "
    "olive:808000 olivedrab:6b8e23 orange:ffa500 orangered:ff4500 orchid:da70d6 "
    "palegoldenrod:eee8aa palegreen:98fb98 paleturquoise:afeeee palevioletred:db7093 "
    "papayawhip:ffefd5 peachpuff:ffdab9 peru:cd853f pink:ffc0cb plum:dda0dd powderblue:b0e0e6 "
    "purple:800080 rebeccapurple:663399 red:f00 rosybrown:bc8f8f royalblue:4169e1 "
    "saddlebrown:8b4513 salmon:fa8072 sandybrown:f4a460 seagreen:2e8b57 seashell:fff5ee "
    "sienna:a0522d silver:c0c0c0 skyblue:87ceeb slateblue:6a5acd slategray:708090 "
    "slategrey:708090 snow:fffafa springgreen:00ff7f steelblue:4682b4 tan:d2b48c teal:008080 "
    "thistle:d8bfd8 tomato:ff6347 turquoise:40e0d0 violet:ee82ee wheat:f5deb3 white:fff "
    "whitesmoke:f5f5f5 yellow:ff0 yellowgreen:9acd32"
)


@functools.cache
def _color_tables() -> tuple[dict[str, str], dict[str, str]]:
    """(name → hex when the hex is no longer, hex → name when the name is shorter)."""
    to_hex: dict[str, str] = {}
    to_name: dict[str, str] = {}
    for pair in _COLORS.split():
        name, digits = pair.split(":")
        hex_value = "#" + digits
        if len(name) < len(hex_value):
            to_name[hex_value] = name
        else:
            to_hex[name] = hex_value
    return to_hex, to_name


_LENGTHS = frozenset(
    [
        "px",
        "em",
        "ex",
        "cm",
        "mm",
        "in",
        "pt",
        "pc",
        "ch",
        "rem",
        "vh",
        "vw",
        "vmin",
        "vmax",
        "deg",
        "rad",
        "grad",
        "turn",
    ]
)  # clean-css's zero-unit list (degrees included, as rotate(0deg) becomes rotate(0))
_SKIP_ZERO_FUNCTIONS = frozenset({"calc", "-moz-calc", "-webkit-calc", "min", "max", "clamp"})
_COLOR_PROPERTIES = re.compile(r"color|background|border|outline|shadow|fill|stroke|column-rule")
_NO_SPACE_AROUND = frozenset({",", "/", ">", "+", "~"})


def minify_css(css: str) -> str:
    """Minify page CSS like clean-css 5 level 1 (the common cases)."""
    if not css or not css.strip():
        return ""
    try:
        import tinycss2
    except ImportError as error:
        raise ImportError(
            "the fake Wiki.js minifies page CSS with tinycss2: pip install 'wikijs[testing]'"
        ) from error

    source = _Source(css)
    rules = tinycss2.parse_stylesheet(css, skip_comments=False, skip_whitespace=True)
    return "".join(_rule(node, source) for node in rules)


class _Source:
    """The original text, to recover a string's quote character (tinycss2 keeps only
    the value)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = [0]
        for match in re.finditer("\n", text):
            self.lines.append(match.end())

    def quote_at(self, line: int, column: int) -> str:
        offset = self.lines[line - 1] + column - 1
        char = self.text[offset] if 0 <= offset < len(self.text) else '"'
        return char if char in "'\"" else '"'


def _rule(node: Any, source: _Source) -> str:
    import tinycss2

    kind = node.type
    if kind == "comment":
        return f"/*{node.value}*/" if node.value.startswith("!") else ""
    if kind == "qualified-rule":
        selector = _selector(node.prelude, source)
        body = _declarations(node.content, source)
        return f"{selector}{{{body}}}" if selector and body else ""
    if kind != "at-rule":
        return ""  # parse errors: clean-css drops what it cannot read
    keyword = node.lower_at_keyword
    prelude = _compact(node.prelude, source, tight_colon=True)
    head = f"@{node.at_keyword}{' ' + prelude if prelude else ''}"
    if node.content is None:
        return f"{head};"
    if keyword in ("font-face", "page", "viewport", "counter-style", "property"):
        body = _declarations(node.content, source)
    else:
        inner = tinycss2.parse_rule_list(node.content, skip_comments=False, skip_whitespace=True)
        body = "".join(_rule(child, source) for child in inner)
    return f"{head}{{{body}}}" if body else ""


def _selector(tokens: list[Any], source: _Source) -> str:
    text = _compact(tokens, source)
    seen: list[str] = []
    for part in _split_top_level(text):
        if part and part not in seen:
            seen.append(part)
    return ",".join(sorted(seen))


def _split_top_level(text: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    quote = ""
    current = ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        current += char
    parts.append(current)
    return parts


def _declarations(tokens: list[Any], source: _Source) -> str:
    import tinycss2

    out: list[str] = []
    for item in tinycss2.parse_blocks_contents(tokens, skip_comments=True, skip_whitespace=True):
        if item.type != "declaration":
            continue  # nested rules and parse errors
        name = item.name
        value = _value(name.lower(), item.value, source)
        if value == "":
            continue
        out.append(f"{name}:{value}{'!important' if item.important else ''}")
    return ";".join(out)


def _value(name: str, tokens: list[Any], source: _Source) -> str:
    text = _compact(tokens, source, numbers=True, colors=bool(_COLOR_PROPERTIES.search(name)))
    if name == "font-weight":
        text = {"normal": "400", "bold": "700"}.get(text, text)
    if name in ("margin", "padding") and text == "0 0 0 0":
        text = "0"
    return text


def _shorter_time(value: float, unit: str, original: str) -> str:
    other = f"{_number(value / 1000)}s" if unit == "ms" else f"{_number(value * 1000)}ms"
    return other if len(other) < len(original) else original


def _fraction(text: str) -> str:
    """clean-css's fraction rules on a number as written: ``0.50`` → ``.5``,
    ``1.0`` → ``1``, ``-0`` → ``0``; integers keep their digits (``010``)."""
    if "." in text and "e" not in text.lower():
        whole, _, fraction = text.partition(".")
        fraction = fraction.rstrip("0")
        text = f"{whole}.{fraction}" if fraction else whole
        if whole in ("0", "-0", "+0", "") and fraction:
            text = ("-" if whole.startswith("-") else "") + "." + fraction
    return "0" if text in ("-0", "+0", "-", "") else text


def _number(value: float) -> str:
    text = repr(float(value))
    if text.endswith(".0"):
        text = text[:-2]
    if text.startswith("0."):
        text = text[1:]
    elif text.startswith("-0."):
        text = "-" + text[2:]
    return "0" if text in ("-0", "") else text


def _compact(
    tokens: list[Any],
    source: _Source,
    *,
    numbers: bool = False,
    colors: bool = False,
    tight_colon: bool = False,
    function: str = "",
) -> str:
    """Serialise tokens with the least whitespace that keeps their meaning."""
    pieces: list[str] = []
    pending_space = False
    for token in tokens:
        kind = token.type
        if kind in ("whitespace", "comment"):
            pending_space = bool(pieces)
            continue
        text = _token(token, source, numbers=numbers, colors=colors, function=function)
        glue = kind == "literal" and (text in _NO_SPACE_AROUND or (tight_colon and text == ":"))
        if pending_space and pieces and not glue and pieces[-1] not in _glued_after(tight_colon):
            pieces.append(" ")
        pieces.append(text)
        pending_space = False
    return "".join(pieces)


def _glued_after(tight_colon: bool) -> frozenset[str]:
    return _NO_SPACE_AROUND | ({":", "("} if tight_colon else {"("})


def _token(token: Any, source: _Source, *, numbers: bool, colors: bool, function: str) -> str:
    import tinycss2

    kind = token.type
    if kind == "string":
        quote = source.quote_at(token.source_line, token.source_column)
        escaped = str(token.value).replace("\\", "\\\\").replace(quote, "\\" + quote)
        return quote + escaped.replace("\n", "\\a ") + quote
    if kind == "function":
        inner = _compact(
            token.arguments,
            source,
            numbers=numbers and token.lower_name not in _SKIP_ZERO_FUNCTIONS,
            colors=colors,
            function=token.lower_name,
        )
        if colors and token.lower_name in ("rgb", "rgba"):
            shorter = _rgb(inner)
            if shorter is not None:
                return shorter
        return f"{token.name}({inner})"
    if kind == "[] block":
        return f"[{_attribute(token.content, source)}]"
    if kind == "() block":
        inner = _compact(token.content, source, numbers=numbers, colors=colors, tight_colon=True)
        return f"({inner})"
    if numbers and kind == "dimension":
        unit = token.lower_unit
        if token.value == 0 and unit in _LENGTHS:
            return "0"
        text = _fraction(token.representation) + token.unit
        return _shorter_time(token.value, unit, text) if unit in ("ms", "s") else text
    if numbers and kind == "percentage":
        return _fraction(token.representation) + "%"
    if numbers and kind == "number":
        return _fraction(token.representation)
    if colors and kind == "hash":
        return _hex(token.value)
    if colors and kind == "ident":
        to_hex, _ = _color_tables()
        return str(to_hex.get(token.lower_value, token.value))
    return str(tinycss2.serialize([token]))


_IDENT = re.compile(r"^-?[a-zA-Z_][\w-]*$")


def _attribute(tokens: list[Any], source: _Source) -> str:
    """An attribute selector; a quoted value that is an identifier loses its quotes."""
    text = _compact(tokens, source)
    values = [t for t in tokens if t.type == "string"]
    if len(values) == 1 and _IDENT.match(values[0].value):
        quote = source.quote_at(values[0].source_line, values[0].source_column)
        text = text.replace(f"{quote}{values[0].value}{quote}", values[0].value, 1)
    return text


def _hex(digits: str) -> str:
    lowered = digits.lower()
    if len(lowered) == 6 and lowered[0::2] == lowered[1::2]:
        lowered = lowered[0::2]
    _, to_name = _color_tables()
    value = "#" + lowered
    return to_name.get(value, value)


def _rgb(inner: str) -> str | None:
    parts = inner.split(",")
    if len(parts) == 4 and re.fullmatch(r"0*[1-9]\d*(\.\d*)?", parts[3]):
        parts = parts[:3]  # an opaque rgba() is an rgb()
    if len(parts) != 3 or not all(re.fullmatch(r"-?\d+", p) for p in parts):
        return None
    channels = [max(0, min(255, int(p))) for p in parts]
    return _hex("".join(f"{c:02x}" for c in channels))


# At-rules whose block holds rules (the others hold declarations, like @font-face).
_NESTING_AT_RULES = frozenset(
    {"media", "supports", "document", "-moz-document", "layer", "container"}
)


def beautify_css(css: str) -> str:
    """``new CleanCSS({ format: 'beautify' }).minify(css).styles``: level 1, then laid out.

    One selector per line, two-space indents, ``name: value`` declarations,
    blocks closed on their own line (how ``theming.config`` reads ``injectCSS``).
    """
    minified = minify_css(css)
    if not minified:
        return ""
    import tinycss2

    rules = tinycss2.parse_stylesheet(minified, skip_comments=False, skip_whitespace=True)
    return "\n".join(part for node in rules if (part := _laid_out(node, "")))


def _laid_out(node: Any, indent: str) -> str:
    import tinycss2

    if node.type == "comment":
        return f"{indent}/*{node.value}*/"
    inner = indent + "  "
    if node.type == "qualified-rule":
        selectors = _split_top_level(tinycss2.serialize(node.prelude).strip())
        head = f",\n{indent}".join(s.strip() for s in selectors)
        return f"{indent}{head} {{\n{_laid_out_declarations(node.content, inner)}\n{indent}}}"
    if node.type == "at-rule":
        prelude = tinycss2.serialize(node.prelude).strip()
        head = f"{indent}@{node.at_keyword}" + (f" {prelude}" if prelude else "")
        if node.content is None:
            return f"{head};"
        if node.lower_at_keyword in _NESTING_AT_RULES:
            nested = tinycss2.parse_rule_list(
                node.content, skip_comments=False, skip_whitespace=True
            )
            body = "\n".join(part for child in nested if (part := _laid_out(child, inner)))
        else:
            body = _laid_out_declarations(node.content, inner)
        return f"{head} {{\n{body}\n{indent}}}"
    return ""


def _laid_out_declarations(content: list[Any], indent: str) -> str:
    import tinycss2

    lines = []
    for declaration in tinycss2.parse_declaration_list(
        content, skip_comments=True, skip_whitespace=True
    ):
        if declaration.type != "declaration":
            continue
        value = tinycss2.serialize(declaration.value).strip()
        important = "!important" if declaration.important else ""
        lines.append(f"{indent}{declaration.name}: {value}{important}")
    return ";\n".join(lines)
