"""Extractions and their mentions, keyed by (article, revision, extractor version); reports."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, func, select

from workers import codec
from workers.records import ArticleExtraction, Report
from workers.storage.common import insert_ignore, must
from workers.storage.tables import articles, extractions, mentions


def save_extraction(
    conn: Connection, *, article_id: str, revision: int, main_text: str,
    extraction: ArticleExtraction, now: datetime,
) -> bool:
    """Store one extraction and its mentions; running it twice writes nothing new."""
    key = {"article_id": article_id, "revision": revision,
           "extractor_version": extraction.extractor_version}
    if not insert_ignore(conn, extractions, {
        **key, "main_text": main_text, "data": codec.to_data(extraction), "created_at": now,
    }):
        return False
    for mention in extraction.mentions:
        insert_ignore(conn, mentions, {
            **key, "ordinal": mention.ordinal, "metric": mention.metric, "count": mention.count,
            "qualifier": mention.qualifier, "data": codec.to_data(mention),
        })
    return True


def load_reports(
    conn: Connection, *, extractor_version: str, through: datetime | None = None,
    since: datetime | None = None,
) -> list[Report]:
    """Each processed article's latest revision as a Report, published in (since, through]."""
    published = func.coalesce(articles.c.published, articles.c.discovered_at)
    query = (
        select(articles.c.id, articles.c.url, articles.c.title, published.label("published"),
               articles.c.revision, extractions.c.data)
        .join(extractions, (extractions.c.article_id == articles.c.id)
              & (extractions.c.revision == articles.c.revision))
        .where(extractions.c.extractor_version == extractor_version)
        .order_by(articles.c.id)
    )
    if through is not None:
        query = query.where(published <= through)
    if since is not None:
        query = query.where(published > since)
    return [
        Report(
            article_id=row.id, url=row.url, title=row.title,
            published=must(row.published),
            extraction=codec.from_data(ArticleExtraction, row.data), revision=row.revision,
        )
        for row in conn.execute(query)
    ]

