"""The schema, with the unique keys that make every writer idempotent (see DESIGN.md Storage)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _ts(name: str, *, nullable: bool = True) -> Column[object]:
    return Column(name, DateTime(timezone=True), nullable=nullable)


feeds = Table(
    "feeds",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("url", Text, nullable=False),
    Column("allow_private", Boolean, nullable=False, default=False),
    Column("min_interval_s", Float, nullable=False),
    Column("max_interval_s", Float, nullable=False),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("ttl_minutes", Integer),
    Column("error_count", Integer, nullable=False, default=0),
    Column("last_error", Text),
    _ts("next_check_at"),
    _ts("claimed_until"),
    _ts("last_polled_at"),
)

articles = Table(
    "articles",
    metadata,
    Column("id", String(40), primary_key=True),  # sha256(canonical url)[:40]
    Column("url", Text, nullable=False),
    Column("title", Text, nullable=False, default=""),
    _ts("published"),
    Column("status", String(20), nullable=False, index=True),  # pending|fetched|processed|failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text),
    Column("allow_private", Boolean, nullable=False, default=False),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("body", LargeBinary),
    Column("content_type", Text),
    Column("content_hash", String(64)),
    Column("revision", Integer, nullable=False, default=0),
    _ts("discovered_at", nullable=False),
    _ts("fetched_at"),
    _ts("processed_at"),
)

entries = Table(
    "entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("feed_id", Integer, ForeignKey("feeds.id"), nullable=False),
    Column("entry_key", Text, nullable=False),
    Column("article_id", String(40), ForeignKey("articles.id"), nullable=False),
    Column("title", Text, nullable=False, default=""),
    _ts("published"),
    _ts("first_seen", nullable=False),
    UniqueConstraint("feed_id", "entry_key"),
)

extractions = Table(
    "extractions",
    metadata,
    Column("article_id", String(40), ForeignKey("articles.id"), primary_key=True),
    Column("revision", Integer, primary_key=True),
    Column("extractor_version", String(40), primary_key=True),
    Column("main_text", Text, nullable=False),
    Column("data", JSON, nullable=False),  # the ArticleExtraction
    _ts("created_at", nullable=False),
)

mentions = Table(
    "mentions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", String(40), ForeignKey("articles.id"), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("extractor_version", String(40), nullable=False),
    Column("ordinal", Integer, nullable=False),
    Column("metric", String(20), nullable=False),
    Column("count", Integer),
    Column("qualifier", String(20), nullable=False),
    Column("data", JSON, nullable=False),
    UniqueConstraint("article_id", "revision", "extractor_version", "ordinal"),
)

incidents = Table(
    "incidents",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("place_id", String(64), nullable=False, index=True),
    Column("event_date", Date),
    Column("period_total", Boolean, nullable=False, default=False),
    Column("data", JSON, nullable=False),
    _ts("updated_at", nullable=False),
)

incident_members = Table(
    "incident_members",
    metadata,
    Column("incident_id", String(64), ForeignKey("incidents.id", ondelete="CASCADE"),
           primary_key=True),
    Column("article_id", String(40), ForeignKey("articles.id"), primary_key=True),
    Column("ordinal", Integer, primary_key=True),
)

endpoints = Table(
    "endpoints",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("url", Text, nullable=False),
    Column("secret_ref", String(200), nullable=False),
    Column("allow_private", Boolean, nullable=False, default=False),
    Column("enabled", Boolean, nullable=False, default=True),
    Column("disabled_reason", Text),
)

watches = Table(
    "watches",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("data", JSON, nullable=False),  # the Watch
    _ts("updated_at", nullable=False),
)

watch_state = Table(
    "watch_state",
    metadata,
    Column("watch", String(200), ForeignKey("watches.name"), primary_key=True),
    Column("data", JSON, nullable=False),  # the WatchState
    _ts("evaluated_through"),
)

transitions = Table(
    "transitions",
    metadata,
    Column("id", String(80), primary_key=True),  # the webhook-id
    Column("watch", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("band", Integer, nullable=False),
    _ts("at", nullable=False),
    Column("event_type", String(80), nullable=False),
    Column("body", Text, nullable=False),  # the exact JSON sent
    _ts("created_at", nullable=False),
    UniqueConstraint("watch", "seq"),
)

deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("transition_id", String(80), ForeignKey("transitions.id"), nullable=False),
    Column("endpoint", String(200), ForeignKey("endpoints.name"), nullable=False),
    # pending -> delivering -> delivered | pending (retry) | dead | disabled
    Column("status", String(20), nullable=False, index=True),
    Column("attempts", Integer, nullable=False, default=0),
    _ts("next_attempt_at", nullable=False),
    _ts("claimed_until"),
    Column("last_error", Text),
    _ts("delivered_at"),
    UniqueConstraint("transition_id", "endpoint"),
)

attempts = Table(
    "attempts",
    metadata,
    Column("delivery_id", Integer, ForeignKey("deliveries.id"), primary_key=True),
    Column("n", Integer, primary_key=True),
    _ts("at", nullable=False),
    Column("status_code", Integer),
    Column("outcome", String(20), nullable=False),
    Column("error", Text),
    Column("duration_ms", Float),
)

errors = Table(
    "errors",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("stage", String(40), nullable=False),
    Column("subject", Text, nullable=False),  # feed name, article id, delivery id
    Column("kind", String(80), nullable=False),
    Column("message", Text, nullable=False),
    _ts("at", nullable=False),
)
