"""The one outbound HTTP client: SSRF-checked connects, hard deadlines, capped decoded bodies."""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any
from urllib.parse import urljoin

from workers.errors import PermanentFetchError, TooLargeError, TransientFetchError
from workers.net.decoding import BoundedDecoder
from workers.net.policy import AddressPolicy
from workers.net.urls import Target, parse_target, redact_url

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
_AUTH_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization"})


@dataclass(frozen=True)
class HttpOptions:
    """Limits for one exchange; ``total_timeout`` bounds everything, redirects included."""

    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    total_timeout: float = 30.0
    max_bytes: int = 5_000_000
    max_redirects: int = 3
    user_agent: str = "tollwatch/0.1 (+https://github.com/tollwatch/tollwatch)"
    policy: AddressPolicy = field(default_factory=AddressPolicy)


@dataclass(frozen=True)
class HttpResponse:
    """A final response: its URL after redirects, status, lower-cased headers, decoded body."""

    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes


class _Deadline:
    """Seconds left before the whole exchange must end."""

    def __init__(self, seconds: float, url: str) -> None:
        self._end = time.monotonic() + seconds
        self._seconds = seconds
        self._url = url

    def left(self, cap: float) -> float:
        """Time for the next operation: ``cap``, or less if the deadline is nearer."""
        remaining = self._end - time.monotonic()
        if remaining <= 0:
            raise self.expired()
        return min(cap, remaining)

    def passed(self) -> bool:
        """True once the deadline has gone by."""
        return time.monotonic() >= self._end

    def expired(self) -> TransientFetchError:
        """The error for an exchange cut by its deadline."""
        return TransientFetchError(f"{self._url} took longer than {self._seconds:g} s in total")


def request(
    method: str,
    url: str,
    *,
    options: HttpOptions,
    headers: Mapping[str, str] | None = None,
    body: bytes | None = None,
    follow_redirects: bool = True,
) -> HttpResponse:
    """Send one request through the SSRF guard and return the final response, any status.

    Redirects are followed by hand (up to ``options.max_redirects``), each hop resolved and
    checked again; credentials are dropped when a redirect changes origin.
    """
    first = redact_url(url)
    deadline = _Deadline(options.total_timeout, first)
    seen = {url}
    sent = {k.lower(): v for k, v in (headers or {}).items()}
    for _hop in range(options.max_redirects + 1):
        target = parse_target(url)
        response = _exchange(_Hop(method, url, target, options, deadline), sent, body)
        location = response.headers.get("location")
        if not (follow_redirects and response.status in _REDIRECTS and location):
            return response
        next_url = urljoin(url, location)
        if next_url in seen:
            raise PermanentFetchError(f"redirect loop at {redact_url(next_url)}")
        seen.add(next_url)
        if parse_target(next_url).origin != target.origin:
            sent = {k: v for k, v in sent.items() if k not in _AUTH_HEADERS}
        if response.status == 303 or (response.status in (301, 302) and method != "HEAD"):
            method, body = ("GET" if method != "HEAD" else method), None
        url = next_url
    raise PermanentFetchError(f"more than {options.max_redirects} redirects from {first}")


@dataclass(frozen=True, slots=True)
class _Hop:
    """One request of an exchange: where it goes and under which limits."""

    method: str
    url: str
    target: Target
    options: HttpOptions
    deadline: _Deadline

    @property
    def shown(self) -> str:
        """The URL as errors may print it."""
        return redact_url(self.url)


def _exchange(hop: _Hop, headers: Mapping[str, str], body: bytes | None) -> HttpResponse:
    sock = _connect(hop)
    try:
        with _cut_at(hop.deadline, sock):
            return _talk(hop, headers, body, sock)
    except (OSError, http.client.HTTPException) as exc:
        if hop.deadline.passed():
            raise hop.deadline.expired() from None
        raise _network_error(exc, hop.shown) from None
    finally:
        sock.close()


@contextmanager
def _cut_at(deadline: _Deadline, sock: socket.socket) -> Iterator[None]:
    """Shut the socket down when the deadline passes, whatever call is blocked on it.

    Per-call socket timeouts restart on every byte, so a server dripping one byte at a time
    would never trip them; this timer is what makes ``total_timeout`` a hard limit.
    """
    timer = threading.Timer(deadline.left(float("inf")), _shutdown, args=(sock,))
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def _shutdown(sock: socket.socket) -> None:
    # The plain-socket method: SSLSocket.shutdown would also drop its TLS state mid-read.
    with suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _connect(hop: _Hop) -> socket.socket:
    """Resolve once, check every address, connect to a checked one; wrap in TLS if https."""
    addresses = _resolve(hop)
    for *_, sockaddr in addresses:
        hop.options.policy.check(str(sockaddr[0]))
    last_error: OSError | None = None
    for family, kind, proto, _name, sockaddr in addresses:
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(hop.deadline.left(hop.options.connect_timeout))
            sock.connect(sockaddr)
        except OSError as exc:
            sock.close()
            last_error = exc
            continue
        return _wrap_tls(sock, hop)
    if hop.deadline.passed():
        raise hop.deadline.expired()
    raise TransientFetchError(f"cannot connect to {hop.shown}: {last_error}")


def _resolve(hop: _Hop) -> list[tuple[int, int, int, str, tuple[Any, ...]]]:
    try:
        found = socket.getaddrinfo(hop.target.host, hop.target.port, type=socket.SOCK_STREAM)
    except UnicodeError:
        raise PermanentFetchError(f"invalid host name in {hop.shown}") from None
    except socket.gaierror as exc:
        if exc.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)):
            raise PermanentFetchError(f"host of {hop.shown} does not exist") from None
        raise TransientFetchError(f"cannot resolve host of {hop.shown}: {exc}") from None
    return [(int(f), int(k), p, n, tuple(a)) for f, k, p, n, a in found]


def _wrap_tls(sock: socket.socket, hop: _Hop) -> socket.socket:
    if hop.target.scheme != "https":
        return sock
    context = ssl.create_default_context()
    try:
        sock.settimeout(hop.deadline.left(hop.options.connect_timeout))
        return context.wrap_socket(sock, server_hostname=hop.target.host)
    except ssl.SSLCertVerificationError as exc:
        sock.close()
        message = f"TLS certificate of {hop.shown} rejected: {exc.verify_message}"
        raise PermanentFetchError(message) from None
    except OSError as exc:
        sock.close()
        if hop.deadline.passed():
            raise hop.deadline.expired() from None
        raise TransientFetchError(f"TLS handshake with {hop.shown} failed: {exc}") from None


def _talk(
    hop: _Hop, headers: Mapping[str, str], body: bytes | None, sock: socket.socket
) -> HttpResponse:
    conn = http.client.HTTPConnection(hop.target.host, hop.target.port)
    conn.sock = sock  # already connected to the checked address: http.client must not dial again
    sock.settimeout(hop.deadline.left(hop.options.read_timeout))
    conn.putrequest(hop.method, hop.target.path, skip_accept_encoding=True)
    for name, value in _outgoing_headers(hop, headers, body).items():
        conn.putheader(name, value)
    conn.endheaders(body)
    sock.settimeout(hop.deadline.left(hop.options.read_timeout))
    raw = conn.getresponse()
    received = _header_map(raw.getheaders())
    if hop.method == "HEAD" or raw.status in _REDIRECTS or raw.status in (204, 304):
        return HttpResponse(url=hop.url, status=raw.status, headers=received, body=b"")
    payload = _read_body(hop, raw, received, sock)
    return HttpResponse(url=hop.url, status=raw.status, headers=received, body=payload)


def _header_map(pairs: list[tuple[str, str]]) -> Mapping[str, str]:
    """Lower-cased names; repeated headers joined with commas as RFC 9110 allows."""
    merged: dict[str, str] = {}
    for name, value in pairs:
        key = name.lower()
        merged[key] = f"{merged[key]}, {value}" if key in merged else value
    return MappingProxyType(merged)


def _outgoing_headers(hop: _Hop, headers: Mapping[str, str], body: bytes | None) -> dict[str, str]:
    out = {"user-agent": hop.options.user_agent, "accept-encoding": "gzip, deflate"}
    if hop.target.authorization:
        out["authorization"] = hop.target.authorization
    out.update(headers)
    out["connection"] = "close"
    if body is not None:
        out["content-length"] = str(len(body))
    return out


def _read_body(
    hop: _Hop, raw: http.client.HTTPResponse, headers: Mapping[str, str], sock: socket.socket
) -> bytes:
    options, deadline, shown = hop.options, hop.deadline, hop.shown
    decoder = BoundedDecoder(headers.get("content-encoding", ""), options.max_bytes, shown)
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > options.max_bytes:
        raise TooLargeError(f"{shown} declares {declared} bytes, over {options.max_bytes}")
    while True:
        sock.settimeout(deadline.left(options.read_timeout))
        chunk = raw.read1(_CHUNK)
        if not chunk:
            break
        decoder.feed(chunk)
    if deadline.passed():
        raise deadline.expired()
    return decoder.result()


def _network_error(exc: BaseException, shown: str) -> TransientFetchError:
    if isinstance(exc, TimeoutError):
        return TransientFetchError(f"timed out talking to {shown}")
    kind = type(exc).__name__
    return TransientFetchError(f"network error talking to {shown}: {kind}")
