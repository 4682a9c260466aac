"""One conditional GET of a feed or article through the safe client, as a ``FetchedPage``."""

from __future__ import annotations

from workers.net import HttpOptions, classify_status, request
from workers.records import FetchedPage

ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, "
    "text/html;q=0.9, application/xhtml+xml;q=0.9, */*;q=0.5"
)


def fetch_page(
    url: str,
    *,
    options: HttpOptions,
    etag: str | None = None,
    last_modified: str | None = None,
) -> FetchedPage:
    """GET ``url``; a 304 to the validators given comes back as ``not_modified=True``.

    Raises what ``workers.net.request`` and ``classify_status`` raise: transient errors for
    timeouts, resets, 429 and 5xx (with ``retry_after``), permanent ones for the rest.
    """
    headers = {"accept": ACCEPT}
    if etag:
        headers["if-none-match"] = etag
    if last_modified:
        headers["if-modified-since"] = last_modified
    response = request("GET", url, options=options, headers=headers)
    classify_status(response)
    not_modified = response.status == 304
    return FetchedPage(
        url=url,
        final_url=response.url,
        status=response.status,
        body=b"" if not_modified else response.body,
        content_type=response.headers.get("content-type", "").strip(),
        # A 304 may omit validators; the ones we sent are still the current ones.
        etag=response.headers.get("etag") or (etag if not_modified else None),
        last_modified=response.headers.get("last-modified")
        or (last_modified if not_modified else None),
        not_modified=not_modified,
    )
