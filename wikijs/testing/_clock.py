"""An injectable clock so tests can expire tokens and rate limits without sleeping."""

from __future__ import annotations

import re
import threading
import time
from datetime import datetime, timezone


class FakeClock:
    """Wall-clock time that tests can move forward.

    By default it follows real time; ``advance()`` adds an offset. With
    ``frozen=True`` it only moves when advanced, which makes timestamps fully
    deterministic.

    Example:
        >>> clock = FakeClock(start=datetime(2026, 1, 1, tzinfo=timezone.utc), frozen=True)
        >>> clock.advance(31 * 60)  # a user JWT (30 minutes) has now expired
        >>> clock.isoformat()
        '2026-01-01T00:31:00.000Z'
    """

    def __init__(self, start: datetime | float | None = None, *, frozen: bool = False) -> None:
        if isinstance(start, datetime):
            start = start.timestamp()
        real = time.time()
        self._frozen = frozen
        self._base = real if start is None else float(start)
        self._real_at_base = real
        self._lock = threading.Lock()

    def now(self) -> float:
        """Seconds since the epoch."""
        with self._lock:
            if self._frozen:
                return self._base
            return self._base + (time.time() - self._real_at_base)

    def advance(self, seconds: float) -> None:
        """Move the clock forward by ``seconds``."""
        if seconds < 0:
            raise ValueError("a clock only moves forward")
        with self._lock:
            self._base += seconds

    def utcnow(self) -> datetime:
        return datetime.fromtimestamp(self.now(), tz=timezone.utc)

    def isoformat(self, offset: float = 0.0) -> str:
        """The current time (plus ``offset`` seconds) as Wiki.js writes dates."""
        return iso(self.now() + offset)


def iso(epoch: float) -> str:
    """Format epoch seconds like JavaScript's ``Date.toISOString()``."""
    moment = datetime.fromtimestamp(epoch, tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_iso(value: str) -> float:
    """Parse an ISO-8601 date as Wiki.js accepts it; raise ``ValueError`` otherwise."""
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


_UNITS = {
    "ms": 0.001,
    "s": 1.0,
    "m": 60.0,
    "h": 3600.0,
    "d": 86400.0,
    "w": 7 * 86400.0,
    "y": 365.25 * 86400.0,
}


_ISO_DURATION = re.compile(
    r"^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)
_ISO_SECONDS = (365 * 86400.0, 30 * 86400.0, 7 * 86400.0, 86400.0, 3600.0, 60.0, 1.0)


def parse_duration(text: str) -> float:
    """Seconds in ``"1y"``, ``"30d"``, ``"90m"`` (the ``ms`` package's syntax, used for
    API key expirations) or an ISO 8601 duration such as ``"P1M"`` (moment's, used by
    ``pages.purgeHistory``)."""
    iso = _ISO_DURATION.match(text.strip().upper())
    if iso and text.strip().upper() != "P":
        return sum(float(v) * unit for v, unit in zip(iso.groups(), _ISO_SECONDS, strict=True) if v)
    raw = text.strip().lower()
    for unit in sorted(_UNITS, key=len, reverse=True):
        if raw.endswith(unit):
            number = raw[: -len(unit)].strip()
            return float(number) * _UNITS[unit]
    return float(raw) / 1000.0
