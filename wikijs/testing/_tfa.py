"""TOTP for the fake: secrets, the QR code of a TFA set-up, and code checks.

As ``server/models/users.js`` does with node-2fa and qr-image: a 32-character
base32 secret, ``otpauth://totp/<title>:<email>?secret=…`` drawn as an SVG QR
code (one filled ``<path>`` in a ``viewBox`` of modules; here one square per
dark module), and a code accepted only for the current 30-second step
(Wiki.js requires ``delta === 0``). segno draws the code and pyotp checks
it: both are the maintained pure-Python libraries for the job.
"""

from __future__ import annotations

import re

# pyotp and segno (the ``testing`` extra) are imported when a TFA is set up or
# checked: the fake runs in process without them (``wikijs demo`` on [cli]).

# Wiki.js strips these from the site title before putting it in the URI.
_UNSAFE_TITLE = re.compile(r"[\s\-.,=!@#$%?&*()+\[\]{}/\\;<>]")


def new_secret() -> str:
    import pyotp

    return pyotp.random_base32(32)


def otpauth_uri(title: str, email: str, secret: str) -> str:
    return f"otpauth://totp/{_UNSAFE_TITLE.sub('', title)}:{email}?secret={secret}"


def qr_svg(text: str) -> str:
    """An SVG QR code of ``text`` in qr-image's shape (error correction M, margin 1)."""
    import segno

    code = segno.make(text, error="m", micro=False, boost_error=False)
    rows = [list(row) for row in code.matrix]
    size = len(rows) + 2
    squares = "".join(
        f"M{x + 1} {y + 1}h1v1h-1z"
        for y, row in enumerate(rows)
        for x, dark in enumerate(row)
        if dark
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}">'
        f'<path d="{squares}"/></svg>'
    )


def verify(secret: str | None, code: str, now: float) -> bool:
    """Whether ``code`` is the secret's code for the 30-second step of ``now``."""
    if not secret:
        return False
    import pyotp

    return pyotp.TOTP(secret).verify(code, for_time=int(now), valid_window=0)
