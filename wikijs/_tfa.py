"""Reading the TOTP secret out of the QR code Wiki.js sends for a TFA set-up.

Wiki.js hands a new TOTP secret to the user only as an SVG QR code
(``tfaQRImage``: ``qr-image``'s output, one ``<path>`` of filled polygons in
a ``viewBox`` of modules). A script that sets up TFA for an account needs the
``otpauth://`` URI inside it. :func:`qr_modules` turns the SVG into the
matrix of dark modules (pure: it fills the path by the nonzero rule, as a
browser would); :func:`decode_qr` reads the matrix with zxing-cpp, the
maintained QR reader with wheels for every platform (``pip install
'wikijs[tfa]'``): a QR decoder is error correction and masking, not code we
want to own.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from .errors import ResponseError, WikiJSError

_VIEWBOX = re.compile(r'viewBox="\s*0\s+0\s+(\d+)\s+(\d+)\s*"')
_PATH = re.compile(r'<path\b[^>]*\sd="([^"]*)"')
_COMMAND = re.compile(r"([MmHhVvLlZz])([^MmHhVvLlZz]*)")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")

#: Blank modules added around the code; QR readers want a quiet zone of four.
_QUIET = 4
#: Pixels per module of the image handed to the reader.
_SCALE = 4


class MissingQRReaderError(WikiJSError):
    """Reading the TOTP secret out of Wiki.js's QR code needs zxing-cpp."""


def qr_modules(svg: str) -> list[list[bool]]:
    """The QR code's modules (``True`` = dark), row by row.

    Raises:
        ResponseError: the text is not an SVG of axis-aligned filled paths.
    """
    size = _VIEWBOX.search(svg)
    paths = _PATH.findall(svg)
    if size is None or not paths or size.group(1) != size.group(2):
        raise ResponseError("the server's TFA QR code is not an SVG QR image")
    n = int(size.group(1))
    # Only vertical edges decide the winding number of a ray cast to the right.
    edges: list[tuple[float, float, float]] = []
    for d in paths:
        x = y = start_x = start_y = 0.0
        for command, text in _COMMAND.findall(d):
            numbers = [float(v) for v in _NUMBER.findall(text)]
            if command in "Mm":
                if len(numbers) < 2:
                    raise ResponseError("the server's TFA QR code has a malformed path")
                x, y = (
                    (numbers[0], numbers[1]) if command == "M" else (x + numbers[0], y + numbers[1])
                )
                start_x, start_y = x, y
            elif command in "Hh":
                for value in numbers:
                    x = value if command == "H" else x + value
            elif command in "Vv":
                for value in numbers:
                    to = value if command == "V" else y + value
                    edges.append((x, y, to))
                    y = to
            elif command in "Zz":
                if y != start_y:
                    edges.append((x, y, start_y))
                x, y = start_x, start_y
            else:  # L/l: qr-image never draws diagonals
                raise ResponseError("the server's TFA QR code has a path this reader cannot fill")
    grid: list[list[bool]] = []
    for row in range(n):
        cy = row + 0.5
        crossing = sorted(
            (ex, 1 if y1 > y0 else -1) for ex, y0, y1 in edges if min(y0, y1) < cy < max(y0, y1)
        )
        line = []
        for col in range(n):
            cx = col + 0.5
            winding = sum(direction for ex, direction in crossing if ex > cx)
            line.append(winding != 0)
        grid.append(line)
    return grid


def decode_qr(svg: str) -> str:
    """The text in Wiki.js's SVG QR code (an ``otpauth://totp/…`` URI).

    Raises:
        MissingQRReaderError: zxing-cpp is not installed.
        ResponseError: the image holds no readable QR code.
    """
    try:
        import zxingcpp
    except ImportError:
        raise MissingQRReaderError(
            "reading the TOTP secret from Wiki.js's QR code needs zxing-cpp: "
            "pip install 'wikijs[tfa]' (or scan TFASetup.qr_svg with an authenticator app)"
        ) from None
    grid = qr_modules(svg)
    width = (len(grid) + 2 * _QUIET) * _SCALE
    pixels = bytearray(b"\xff" * (width * width))
    for r, line in enumerate(grid):
        for c, dark in enumerate(line):
            if dark:
                for dy in range(_SCALE):
                    start = ((r + _QUIET) * _SCALE + dy) * width + (c + _QUIET) * _SCALE
                    pixels[start : start + _SCALE] = b"\x00" * _SCALE
    image: Any = memoryview(bytes(pixels)).cast("B", (width, width))
    found = zxingcpp.read_barcodes(image, is_pure=True)
    if not found or not found[0].text:
        raise ResponseError("the server's TFA QR code could not be read")
    return str(found[0].text)


def otpauth_secret(uri: str) -> str:
    """The base32 ``secret`` parameter of an ``otpauth://`` URI.

    Raises:
        ResponseError: not an otpauth URI with a secret.
    """
    parts = urlsplit(uri)
    secret = parse_qs(parts.query).get("secret", [""])[0]
    if parts.scheme != "otpauth" or not secret:
        raise ResponseError("the server's TFA QR code holds no otpauth:// secret")
    return unquote(secret).replace(" ", "").upper()
