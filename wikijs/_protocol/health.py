"""What ``client.health()`` reports. Pure: no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field

from wikijs._generated.fragments import UserProfile
from wikijs._generated.versions import SCHEMA_VERSION

from ..versions import api_release, parse_version
from .identity import Identity


@dataclass(frozen=True)
class HealthReport:
    """The outcome of :meth:`WikiJSClient.health`: never raised, always returned.

    Example::

        report = client.health()
        if not report.ok:
            print(report.summary())

    Attributes:
        url: the wiki's base URL.
        reachable: the server answered ``GET /healthz`` at all.
        healthy: it answered ``200 {"ok": true}``.
        status_code: the status of ``/healthz``, when it answered.
        latency: seconds the ``/healthz`` round trip took, when it answered.
        credentials: the client has credentials (``False`` for Guest).
        authenticated: the credentials act as a real user, not Guest.
        user: who they act as (an :class:`~wikijs.models.Identity`: for an
            API key, user 1 and which key it is), when authenticated.
        version: the Wiki.js version, when the credentials may read it
            (``system.info`` needs ``manage:system``).
        problems: what went wrong, one line per failed check.
        schema_version: the Wiki.js release the SDK was generated from
            (``wikijs.versions.SCHEMA_VERSION``).
    """

    url: str
    reachable: bool
    healthy: bool = False
    status_code: int | None = None
    latency: float | None = None
    credentials: bool = False
    authenticated: bool = False
    user: UserProfile | None = None
    version: str | None = None
    problems: tuple[str, ...] = field(default=())
    schema_version: str = SCHEMA_VERSION

    @property
    def same_api(self) -> bool | None:
        """Whether the server has the API the SDK was generated for (``None``: version unknown).

        Releases that share an API count as the same (2.5.300 is 2.5.314's);
        see ``docs/versions.md`` for what an older one lacks.
        """
        if self.version is None:
            return None
        if _newer(self.version, self.schema_version):
            return False
        release = api_release(self.version)
        return release is not None and release == api_release(self.schema_version)

    @property
    def ok(self) -> bool:
        """Healthy, and authenticated when the client has credentials."""
        return self.healthy and (self.authenticated or not self.credentials)

    def summary(self) -> str:
        """One line for logs and command lines."""
        if not self.reachable:
            state = "unreachable"
        elif not self.healthy:
            state = f"unhealthy (HTTP {self.status_code})"
        else:
            state = "up"
        parts = [f"{self.url}: {state}"]
        if self.version:
            built = "" if self.same_api else f" (the SDK is built for {self.schema_version})"
            parts.append(f"Wiki.js {self.version}{built}")
        if self.authenticated and self.user is not None:
            user = self.user
            parts.append(
                f"with {user.describe()}"
                if isinstance(user, Identity) and user.api_key is not None
                else f"as {user.name} <{user.email}>"
            )
        elif self.credentials and self.reachable:
            parts.append("credentials NOT accepted")
        elif not self.credentials:
            parts.append("as Guest")
        if self.problems:
            parts.append("; ".join(self.problems))
        return ", ".join(parts)


def _newer(version: str, than: str) -> bool:
    return (parse_version(version) or (0, 0, 0)) > (parse_version(than) or (0, 0, 0))
