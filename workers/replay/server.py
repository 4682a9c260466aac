"""Serve a folder of articles as a live feed: RSS plus pages, released over a (virtual) clock."""

from __future__ import annotations

import re
import threading
from datetime import datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType

from workers.clock import Clock, SystemClock

from .items import ReplayItem, load_items
from .render import feed_etag, feed_last_modified, render_feed, render_page


class ReplayServer:
    """An RSS 2.0 feed and article pages for every .txt and .html file in ``folder``.

    Item k (in publication order) is released at ``start + k * interval`` on ``clock``; the feed
    lists only released items and unreleased pages answer 404.
    """

    def __init__(
        self,
        folder: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        interval: float = 0.0,
        manifest: Path | None = None,
        clock: Clock | None = None,
    ) -> None:
        if interval < 0:
            raise ValueError("interval must be >= 0 seconds")
        self.items: tuple[ReplayItem, ...] = load_items(Path(folder), manifest)
        self.clock: Clock = clock or SystemClock()
        self._address = (host, port)
        self._interval = timedelta(seconds=interval)
        self._started_at: datetime | None = None
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def total(self) -> int:
        """How many articles the folder holds."""
        return len(self.items)

    @property
    def released(self) -> int:
        """How many articles are out now (0 before ``start``)."""
        if self._started_at is None:
            return 0
        if not self._interval:
            return self.total
        elapsed = self.clock.now() - self._started_at
        return min(self.total, max(0, elapsed // self._interval + 1))

    @property
    def drained(self) -> bool:
        """True once every article has been released."""
        return self.released == self.total

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:8123``; only known after ``start``."""
        if self._httpd is None:
            raise RuntimeError("the replay server is not running")
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def feed_url(self) -> str:
        """The RSS feed's URL."""
        return f"{self.url}/feed.xml"

    def released_items(self) -> tuple[ReplayItem, ...]:
        """The articles visible now, in publication order."""
        return self.items[: self.released]

    def start(self) -> ReplayServer:
        """Bind, start serving in a daemon thread and start the release schedule."""
        if self._httpd is not None:
            raise RuntimeError("the replay server is already running")
        self._httpd = ThreadingHTTPServer(self._address, _handler_for(self))
        self._httpd.daemon_threads = True
        self._started_at = self.clock.now()
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="replay-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port; safe to call twice."""
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join()
        self._httpd = self._thread = None

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _not_modified(headers: dict[str, str], etag: str, modified: datetime) -> bool:
    """Conditional GET: If-None-Match decides when present, else If-Modified-Since."""
    if "if-none-match" in headers:
        tags = {t.strip().removeprefix("W/") for t in headers["if-none-match"].split(",")}
        return etag in tags or "*" in tags
    since = headers.get("if-modified-since")
    if not since:
        return False
    try:
        return modified.replace(microsecond=0) <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False


_HOST = re.compile(r"[A-Za-z0-9.\-]+(:\d{1,5})?|\[[0-9A-Fa-f:.]+\](:\d{1,5})?")


def _handler_for(server: ReplayServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            if path == "/feed.xml":
                self._feed()
                return
            released = {item.path: item for item in server.released_items()}
            item = released.get(path)
            if item is None:
                self._send(404, b"not found\n", "text/plain; charset=utf-8")
                return
            self._send(200, render_page(item, self._base()), "text/html; charset=utf-8")

        def _base(self) -> str:
            # Links must use the name the client reached us by: bound to 0.0.0.0 in a container,
            # our own address is not one another container can fetch.
            host = self.headers.get("Host", "")
            return f"http://{host}" if _HOST.fullmatch(host) else server.url

        def _feed(self) -> None:
            items = server.released_items()
            body = render_feed(items, self._base())
            etag = feed_etag(body)
            modified = feed_last_modified(items, server.clock.now())
            headers = {k.lower(): v for k, v in self.headers.items()}
            validators = {"ETag": etag, "Last-Modified": format_datetime(modified, usegmt=True)}
            if _not_modified(headers, etag, modified):
                self._send(304, b"", None, validators)
                return
            self._send(200, body, "application/rss+xml; charset=utf-8", validators)

        def _send(
            self, status: int, body: bytes, ctype: str | None, extra: dict[str, str] | None = None
        ) -> None:
            self.send_response(status)
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            if ctype is not None:
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Requests are not logged: a replay is driven by tests and demos."""

    return Handler
