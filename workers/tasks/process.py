"""Article processing: clean the stored body, extract mentions, store them, wake the alerts."""

from __future__ import annotations

from workers import pipeline
from workers.clean import clean_html, clean_text
from workers.errors import PermanentError
from workers.extract import load_gazetteer
from workers.records import CleanArticle
from workers.storage import articles as articles_db
from workers.storage import extractions as extractions_db
from workers.storage.articles import ArticleRow
from workers.storage.common import record_error
from workers.storage.db import transaction
from workers.tasks.alerts import evaluate_watches
from workers.tasks.base import CLOCK, event, pipeline_task, settings


@pipeline_task(name="tollwatch.process.process_article", queue="process", idempotent=True)
def process_article(article_id: str) -> None:
    """Clean and extract one article revision and store its mentions.

    Idempotency: extractions are unique on (article, revision, extractor version).
    Retries: none; bad content is a recorded PermanentError (the article is marked failed).
    """
    s = settings()
    with transaction(s.database_url) as conn:
        article = articles_db.get_article(conn, article_id)
    if article is None or article.body is None:
        return
    try:
        clean = _clean(article)
        extraction = pipeline.analyse(clean, load_gazetteer())
    except PermanentError as exc:
        with transaction(s.database_url) as conn:
            articles_db.record_failure(conn, article_id, error=str(exc), final=True)
            record_error(conn, stage="process", subject=article_id, error=exc, now=CLOCK.now())
        event("article.rejected", article=article_id, error=str(exc))
        evaluate_watches.delay()  # the watermark may move past a failed article
        return
    with transaction(s.database_url) as conn:
        extractions_db.save_extraction(
            conn, article_id=article_id, revision=article.revision, main_text=clean.text,
            extraction=extraction, now=CLOCK.now())
        articles_db.mark_processed(conn, article_id, now=CLOCK.now(),
                                   title=clean.title or article.title)
    event("article.extracted", article=article_id, mentions=len(extraction.mentions),
          killed=extraction.killed, injured=extraction.injured)
    evaluate_watches.delay()


def _clean(article: ArticleRow) -> CleanArticle:
    body = article.body or b""
    if (article.content_type or "").startswith("text/plain"):
        return clean_text(body.decode("utf-8", errors="replace"), published=article.published)
    return clean_html(body, url=article.url, published=article.published)
