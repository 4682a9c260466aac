"""Article fetching: one safe GET per article, the body stored as a revision."""

from __future__ import annotations

import random
from typing import Any

from celery import Task

from workers.errors import PermanentError, TransientError
from workers.fetch import fetch_page
from workers.storage import articles as articles_db
from workers.storage.common import record_error
from workers.storage.db import transaction
from workers.tasks.base import CLOCK, event, http_options, pipeline_task, settings
from workers.tasks.process import process_article

MAX_FETCH_RETRIES = 3
_RNG = random.Random()


@pipeline_task(name="tollwatch.fetch.fetch_article", queue="fetch", idempotent=True, bind=True,
               max_retries=MAX_FETCH_RETRIES)
def fetch_article(self: Task[Any, Any], article_id: str) -> None:
    """GET the article (conditional on its validators) and store the body as a new revision.

    Idempotency: the body's hash; an unchanged body is not processed again.
    Retries: TransientError only, at most MAX_FETCH_RETRIES times with jittered backoff
    (Retry-After honoured); then, like any PermanentError, the failure is recorded.
    """
    s = settings()
    with transaction(s.database_url) as conn:
        article = articles_db.get_article(conn, article_id)
    if article is None or article.status in (articles_db.FAILED,):
        return
    try:
        page = fetch_page(article.url, options=http_options(allow_private=article.allow_private),
                          etag=article.etag, last_modified=article.last_modified)
    except TransientError as exc:
        if self.request.retries < MAX_FETCH_RETRIES:
            raise self.retry(exc=exc, countdown=_backoff(self.request.retries, exc)) from exc
        _fail(article_id, exc)
        return
    except PermanentError as exc:
        _fail(article_id, exc)
        return
    with transaction(s.database_url) as conn:
        changed = not page.not_modified and articles_db.record_fetch(
            conn, article_id, body=page.body, content_type=page.content_type,
            etag=page.etag, last_modified=page.last_modified, now=CLOCK.now())
    event("article.fetched", article=article_id, changed=changed)
    if changed:
        process_article.delay(article_id)


def _backoff(retries: int, exc: TransientError) -> float:
    """Full jitter on an exponential base, never sooner than the server's Retry-After."""
    base = min(60.0, 2.0 * 2**retries)
    return max(exc.retry_after or 0.0, _RNG.uniform(0, base))


def _fail(article_id: str, exc: Exception) -> None:
    with transaction(settings().database_url) as conn:
        articles_db.record_failure(conn, article_id, error=str(exc), final=True)
        record_error(conn, stage="fetch", subject=article_id, error=exc, now=CLOCK.now())
    event("article.failed", article=article_id, error=str(exc))
