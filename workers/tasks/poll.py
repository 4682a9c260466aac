"""Feed polling: claim due feeds, fetch and parse one feed, record its new entries."""

from __future__ import annotations

from datetime import datetime, timedelta

from workers.errors import PipelineError
from workers.feeds import article_id as feed_article_id
from workers.feeds import next_check, parse_feed
from workers.fetch import fetch_page
from workers.records import FetchedPage, ParsedFeed
from workers.storage import articles as articles_db
from workers.storage import feeds as feeds_db
from workers.storage.common import record_error
from workers.storage.db import transaction
from workers.tasks.base import CLOCK, event, http_options, pipeline_task, settings
from workers.tasks.fetch import fetch_article


@pipeline_task(name="tollwatch.poll.schedule_due_feeds", queue="poll", idempotent=False)
def schedule_due_feeds() -> int:
    """Beat tick: claim every due feed (compare-and-set lease) and fan out one poll each.

    Idempotency: the lease on feeds.claimed_until; a skipped tick is caught by the next.
    Retries: none.
    """
    s = settings()
    with transaction(s.database_url) as conn:
        claimed = feeds_db.claim_due(conn, now=CLOCK.now(),
                                     lease=timedelta(seconds=s.task_time_limit * 2))
    for feed_id in claimed:
        poll_feed.delay(feed_id)
    return len(claimed)


@pipeline_task(name="tollwatch.poll.poll_feed", queue="poll", idempotent=True)
def poll_feed(feed_id: int) -> int:
    """Fetch one feed (conditional GET), parse it from bytes, record entries, fan out fetches.

    Idempotency: entries are unique on (feed, entry key), articles on their URL hash.
    Retries: none in Celery; a failure backs the feed's next check off (miniflux-style).
    """
    with transaction(settings().database_url) as conn:
        feed = feeds_db.get_feed(conn, feed_id)
    if feed is None:
        return 0
    now = CLOCK.now()
    try:
        page = fetch_page(feed.url, options=http_options(allow_private=feed.allow_private),
                          etag=feed.etag, last_modified=feed.last_modified)
        parsed = None if page.not_modified else parse_feed(
            page.body, content_type=page.content_type, base_url=page.final_url)
    except PipelineError as exc:
        _record_failure(feed, exc, now)
        return 0
    new = _record_entries(feed, page, parsed, now)
    for article_id in new:
        fetch_article.delay(article_id)
    event("feed.polled", feed=feed.name, new=len(new), not_modified=page.not_modified)
    return len(new)


def _record_entries(
    feed: feeds_db.FeedRow, page: FetchedPage, parsed: ParsedFeed | None, now: datetime
) -> list[str]:
    new: list[str] = []
    ttl = parsed.ttl_minutes if parsed else None
    with transaction(settings().database_url) as conn:
        for entry in parsed.entries if parsed else ():
            article_id = feed_article_id(entry.url)
            if articles_db.add_entry(conn, feed_id=feed.id, entry=entry, article_id=article_id,
                                     allow_private=feed.allow_private, now=now):
                new.append(article_id)
        feeds_db.record_poll(
            conn, feed.id, now=now, etag=page.etag, last_modified=page.last_modified,
            ttl_minutes=ttl, next_check_at=next_check(
                now, ttl_minutes=ttl, retry_after=page.retry_after, error_count=0,
                min_interval=feed.min_interval, max_interval=feed.max_interval))
    return new


def _record_failure(feed: feeds_db.FeedRow, exc: PipelineError, now: datetime) -> None:
    retry_after = getattr(exc, "retry_after", None)
    with transaction(settings().database_url) as conn:
        record_error(conn, stage="poll", subject=feed.name, error=exc, now=now)
        feeds_db.record_poll(conn, feed.id, now=now, error=str(exc), next_check_at=next_check(
            now, ttl_minutes=None, retry_after=retry_after, error_count=feed.error_count + 1,
            min_interval=feed.min_interval, max_interval=feed.max_interval))
    event("feed.failed", feed=feed.name, error=str(exc))
