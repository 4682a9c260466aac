"""A real HTTP server on 127.0.0.1 for the net, fetch and feed tests: routes are plain functions."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Route = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class LocalServer:
    """A running server: register routes, read back what it was asked."""

    port: int
    routes: dict[str, Route] = field(default_factory=dict)
    seen: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        """An absolute URL on this server."""
        return f"http://{host}:{self.port}{path}"

    def paths(self) -> list[str]:
        """The request paths received so far, in order."""
        return [path for _, path, _ in self.seen]


def reply(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> Route:
    """A route that answers with a fixed status, headers and body (Content-Length set)."""

    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return route


def redirect(location: str, status: int = 302) -> Route:
    """A route that redirects to ``location``."""
    return reply(status, headers={"Location": location})


@contextmanager
def local_server() -> Iterator[LocalServer]:
    """Serve on an ephemeral loopback port until the block ends."""
    state = LocalServer(port=0)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _any(self) -> None:
            state.seen.append(
                (self.command, self.path, {k.lower(): v for k, v in self.headers.items()})
            )
            route = state.routes.get(self.path.split("?")[0])
            if route is None:
                reply(404, b"no route")(self)
                return
            # The client hanging up early is what several tests want.
            with suppress(BrokenPipeError, ConnectionResetError):
                route(self)

        do_GET = do_POST = do_HEAD = _any  # noqa: N815 (http.server's naming)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.stop.set()
        server.shutdown()
        server.server_close()
