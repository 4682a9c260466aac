"""URL checks for outbound requests, and the redacted form of a URL that logs and errors show."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from workers.errors import PermanentFetchError

_SECRET_PARAMS = frozenset(
    {"token", "access_token", "api_key", "apikey", "key", "secret", "password", "sig", "signature"}
)


def redact_url(url: str) -> str:
    """``url`` without the user:password part and with secret-looking query values masked."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc.rpartition("@")[2]
        if "@" in parts.netloc:
            netloc = f"***@{netloc}"
        query = parts.query
        if query:
            pairs = parse_qsl(query, keep_blank_values=True)
            masked = [(k, "***" if k.lower() in _SECRET_PARAMS else v) for k, v in pairs]
            query = urlencode(masked, safe="*/:")
        return urlunsplit((parts.scheme, netloc, parts.path, query, ""))
    except ValueError:
        return "<unparseable url>"


@dataclass(frozen=True, slots=True)
class Target:
    """Where one request goes: scheme, host, port, the request path, optional basic auth."""

    scheme: str
    host: str
    port: int
    path: str
    authorization: str | None

    @property
    def origin(self) -> tuple[str, str, int]:
        """Scheme, host and port: credentials never cross to another origin."""
        return (self.scheme, self.host, self.port)


def parse_target(url: str) -> Target:
    """Split an absolute http(s) URL, or raise ``PermanentFetchError`` naming it redacted."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise PermanentFetchError(f"invalid URL {redact_url(url)}: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise PermanentFetchError(f"unsupported URL scheme {scheme!r} in {redact_url(url)}")
    host = parts.hostname
    if not host:
        raise PermanentFetchError(f"URL has no host: {redact_url(url)}")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    if any(ch in path for ch in "\r\n\t "):
        raise PermanentFetchError(
            f"URL path has whitespace or control characters: {redact_url(url)}"
        )
    return Target(
        scheme=scheme,
        host=host,
        port=port or (443 if scheme == "https" else 80),
        path=path,
        authorization=_basic_auth(parts.username, parts.password),
    )


def _basic_auth(user: str | None, password: str | None) -> str | None:
    if user is None:
        return None
    raw = f"{unquote(user)}:{unquote(password or '')}".encode()
    return "Basic " + base64.b64encode(raw).decode("ascii")
