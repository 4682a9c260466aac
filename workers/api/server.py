"""The read-only HTTP API: liveness, readiness, Prometheus metrics and JSON views of the store."""

from __future__ import annotations

import json
import logging
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import urlsplit

import redis
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from workers.api import metrics, queries, views
from workers.serving import BackgroundServer
from workers.storage.db import engine_for, transaction

log = logging.getLogger(__name__)

# How often serve_forever looks for a shutdown request: stop() returns within this.
# Readiness must answer well inside a probe's timeout, even when Redis blackholes packets.
CHECK_TIMEOUT_SECONDS = 2.0
# A client that stalls mid-request holds one thread for at most this long.
_REQUEST_TIMEOUT_SECONDS = 30


class ApiServer(BackgroundServer):
    """A threaded HTTP server answering GET only; every other method gets 405.

    ``/healthz`` (alive), ``/readyz`` (database and broker answer), ``/metrics`` (Prometheus
    text) and ``/api/v1/{watches,incidents,deliveries,errors}`` (JSON, secrets redacted).
    """

    thread_name = "tollwatch-api"

    def __init__(
        self,
        database_url: str,
        *,
        broker_url: str | None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.database_url = database_url
        self.broker_url = broker_url
        # Built here, once: a malformed URL fails at start, and request threads never race
        # to create the process's engine (nothing connects until the first request).
        engine_for(database_url)
        super().__init__(host, port, _handler_for(self))

    def readiness(self) -> tuple[int, dict[str, Any]]:
        """200 if the database (and the broker, if configured) answer, else 503 naming why."""
        checks = {"database": check_database(self.database_url)}
        if self.broker_url is not None:
            checks["broker"] = check_redis(self.broker_url)
        ok = all(failure is None for failure in checks.values())
        body = {"status": "ready" if ok else "unavailable",
                "checks": {name: failure or "ok" for name, failure in checks.items()}}
        return (200 if ok else 503), body

    def metrics_text(self) -> str:
        """The Prometheus exposition of the store, read in one transaction."""
        with transaction(self.database_url) as conn:
            snap = queries.snapshot(conn)
        return metrics.render(metrics.families(snap))

    def view(self, path: str, query: str) -> tuple[int, dict[str, Any]]:
        """A JSON view under /api/v1; 404 for an unknown path, 400 for bad parameters."""
        route = views.ROUTES.get(path)
        if route is None:
            return 404, {"error": f"no such path: {path}"}
        view, parsers = route
        try:
            params = views.parse_params(query, parsers)
        except views.BadRequest as exc:
            return 400, {"error": str(exc)}
        with transaction(self.database_url) as conn:
            return 200, view(conn, params)


def check_database(url: str) -> str | None:
    """None if the database answers ``select 1``, else what went wrong."""
    try:
        with engine_for(url).connect() as conn:
            conn.execute(text("select 1"))
    except (SQLAlchemyError, OSError) as exc:
        return _failure(exc)
    return None


def check_redis(url: str, timeout: float = CHECK_TIMEOUT_SECONDS) -> str | None:
    """None if Redis at ``url`` answers PING within ``timeout`` seconds, else what went wrong."""
    try:
        client = redis.Redis.from_url(url, socket_timeout=timeout,
                                      socket_connect_timeout=timeout)
    except ValueError as exc:
        return _failure(exc)
    try:
        client.ping()
    except (redis.RedisError, OSError) as exc:
        return _failure(exc)
    finally:
        client.close()
    return None


def _failure(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    # Driver messages can quote the connection URL; never echo its password.
    detail = views.redact_text(lines[0] if lines else "") or ""
    return f"{type(exc).__name__}: {detail}"[:300]


def _handler_for(api: ApiServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "tollwatch-api"
        timeout = _REQUEST_TIMEOUT_SECONDS

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            try:
                status, content_type, data = self._answer(parts.path, parts.query)
            except (SQLAlchemyError, OSError) as exc:
                failure = _failure(exc)
                log.warning("api.database_unavailable", extra={
                    "event": "api.database_unavailable",
                    "fields": {"path": parts.path, "error": failure}})
                status, content_type = 503, "application/json"
                data = _json_bytes({"error": "database unavailable", "detail": failure})
            self._send(status, content_type, data)

        def _answer(self, path: str, query: str) -> tuple[int, str, bytes]:
            if path == "/healthz":
                return 200, "application/json", _json_bytes({"status": "ok"})
            if path == "/metrics":
                return 200, metrics.CONTENT_TYPE, api.metrics_text().encode("utf-8")
            status, body = api.readiness() if path == "/readyz" else api.view(path, query)
            return status, "application/json", _json_bytes(body)

        def do_HEAD(self) -> None:
            self._not_allowed(body=False)

        def do_POST(self) -> None:
            self._not_allowed()

        def do_PUT(self) -> None:
            self._not_allowed()

        def do_PATCH(self) -> None:
            self._not_allowed()

        def do_DELETE(self) -> None:
            self._not_allowed()

        def do_OPTIONS(self) -> None:
            self._not_allowed()

        def _not_allowed(self, *, body: bool = True) -> None:
            data = _json_bytes({"error": f"method {self.command} not allowed; this API is "
                                         "read-only"})
            self._send(405, "application/json", data if body else b"",
                       extra={"allow": "GET"}, length=len(data))

        def _send(self, status: int, content_type: str, data: bytes, *,
                  extra: dict[str, str] | None = None, length: int | None = None) -> None:
            self.send_response(status)
            self.send_header("content-type", content_type)
            self.send_header("content-length", str(len(data) if length is None else length))
            self.send_header("cache-control", "no-store")
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            # Probes and scrapes hit this every few seconds: access lines would drown the logs.
            return

    return Handler


def _json_bytes(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
