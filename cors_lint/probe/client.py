"""The only code in cors-lint that sends anything over the network.

Safety is enforced here, not left to callers:

* every request goes to the host and port of the base URL; a request target
  is a path, never a URL, and redirects are followed only within that
  origin (a redirect elsewhere is reported, never followed);
* only ``GET``, ``HEAD`` and ``OPTIONS``: anything else raises before a
  socket is opened;
* a timeout per request, a cap on the number of requests, and a delay
  between them;
* every request sent is recorded in ``log`` (method, host, port, target).

The standard library's ``http.client`` is enough: CORS needs a handful of
headers, and a WebSocket handshake is an ordinary HTTP/1.1 request whose
answer is read up to its headers.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .plan import Request

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_REDIRECTS = 3


class UnsafeRequest(ValueError):
    """A request the probe must never send."""


@dataclass(frozen=True)
class Response:
    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]  # as received, names as sent by the server
    target: str  # the path finally answered (after same-origin redirects)

    def all(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k.lower() == name.lower()]

    def first(self, name: str) -> str | None:
        values = self.all(name)
        return values[0] if values else None


@dataclass(frozen=True)
class Failure:
    """No usable answer: a network error, a timeout, the cap, or a redirect
    to another origin (not followed)."""

    reason: str


@dataclass(frozen=True)
class LogEntry:
    method: str
    host: str
    port: int
    target: str


@dataclass
class Client:
    base_url: str
    timeout: float = 5.0
    max_requests: int = 50
    delay: float = 0.1
    log: list[LogEntry] = field(default_factory=list)
    _last: float = 0.0

    def __post_init__(self) -> None:
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"base URL must be http:// or https:// with a host: {self.base_url!r}")
        if parts.username or parts.password:
            raise ValueError("base URL must not carry credentials")
        self.scheme = parts.scheme
        self.host = parts.hostname
        try:
            self.port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise ValueError(f"base URL has an invalid port: {self.base_url!r}") from None

    @property
    def remaining(self) -> int:
        return self.max_requests - len(self.log)

    def send(self, request: Request) -> Response | Failure:
        method = request.method.upper()
        if method not in SAFE_METHODS:
            raise UnsafeRequest(f"refusing to send {method}: the probe only sends GET, HEAD and OPTIONS")
        target = request.target
        for _ in range(MAX_REDIRECTS + 1):
            if not target.startswith("/") or target.startswith("//"):
                raise UnsafeRequest(f"request target must be a path on the base URL's host: {target!r}")
            answer = self._send_once(method, target, request.headers, request.kind == "websocket")
            if isinstance(answer, Failure) or answer.status not in (301, 302, 303, 307, 308) or method == "OPTIONS":
                return answer
            location = answer.first("Location") or ""
            parts = urlsplit(location)
            same_origin = not parts.netloc or (
                parts.scheme in ("", self.scheme) and parts.hostname == self.host and (parts.port or self.port) == self.port
            )
            if not same_origin:
                return Failure(f"HTTP {answer.status} redirect to {location} (another host; not followed)")
            if not parts.path.startswith("/"):
                return answer  # a relative redirect we do not resolve: judge what came back
            target = parts.path + (f"?{parts.query}" if parts.query else "")
        return Failure(f"more than {MAX_REDIRECTS} redirects")

    def _send_once(self, method: str, target: str, headers, websocket: bool) -> Response | Failure:
        if self.remaining <= 0:
            return Failure(f"request cap reached ({self.max_requests}; raise it with --max-requests)")
        wait = self._last + self.delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self.log.append(LogEntry(method, self.host, self.port, target))
        if self.scheme == "https":
            conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
            )
        else:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.putrequest(method, target, skip_accept_encoding=True)
            for name, value in headers:
                conn.putheader(name, value)
            if not websocket:
                conn.putheader("Connection", "close")
            conn.endheaders()
            raw = conn.getresponse()
            # the body is never read: only headers are judged, and a streaming
            # endpoint would otherwise hold the probe until its timeout
            return Response(raw.status, raw.reason, tuple(raw.getheaders()), target)
        except (OSError, http.client.HTTPException, socket.timeout) as exc:
            return Failure(_describe(exc))
        finally:
            conn.close()
            self._last = time.monotonic()


def _describe(exc: BaseException) -> str:
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return "timed out"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if str(exc) else text
