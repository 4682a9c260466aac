"""Casualty extraction: an article's figures, victims, places, actors, dates and headline."""

from __future__ import annotations

from dataclasses import replace

from workers.errors import PermanentError
from workers.extract.gazetteer import Gazetteer, load_gazetteer
from workers.extract.headline import choose_headline
from workers.extract.mentions import Draft, build_drafts, casualty_hits, relevant_text
from workers.extract.places import find_places
from workers.extract.scope import PlaceIndex
from workers.extract.sentences import split_sentences
from workers.records import ArticleExtraction, CasualtyMention, CleanArticle, Place

__all__ = [
    "COMPILED", "EXTRACTOR_VERSION", "Draft", "ExtractError", "Gazetteer", "extract_article",
    "extract_drafts", "load_gazetteer",
]

# Bump when rules change: stored mentions are keyed by this, so a new version re-extracts.
EXTRACTOR_VERSION = "rules-2026.11.5"
# True when this package runs compiled by mypyc (the image's build, see setup.py): the same
# rules and output, about 1.4x faster.
COMPILED = not __file__.endswith(".py")
MAX_DOCUMENT_CHARS = 400_000
_TOWN_PARAGRAPHS = 2


class ExtractError(PermanentError):
    """The article cannot be read for casualties (not text, or far too long to be one article)."""


def _check(article: CleanArticle) -> str:
    if not isinstance(article.title, str) or not isinstance(article.text, str):
        raise ExtractError("article title and text must be strings")
    document = article.document
    if len(document) > MAX_DOCUMENT_CHARS:
        raise ExtractError(f"article is {len(document)} characters, over {MAX_DOCUMENT_CHARS}")
    return document


def _actors(mentions: tuple[CasualtyMention, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.actor for m in mentions if m.headline and m.actor))


def extract_drafts(article: CleanArticle, gazetteer: Gazetteer) -> list[Draft]:
    """The mentions of ``article`` before the headline choice, with their internal flags.

    For evaluation and debugging: ``Draft.subset`` is true even for a subset whose whole
    figure the article never states ("ten children were among those killed").
    """
    return _drafts(article, gazetteer)[0]


def _drafts(article: CleanArticle, gazetteer: Gazetteer) -> tuple[list[Draft], PlaceIndex]:
    document = _check(article)
    sentences = split_sentences(document)
    title_end = len(article.title) if article.title else 0
    hits = casualty_hits(document)
    places = find_places(relevant_text(document, sentences, title_end, hits), gazetteer)
    index = PlaceIndex(places, sentences, title_end)
    return build_drafts(document, sentences, index, published=article.published,
                        title_end=title_end, hits=hits), index


def _towns(index: PlaceIndex, article: CleanArticle,
           draft: Draft) -> tuple[tuple[Place, ...], list[Place]]:
    """The dateline's towns, and those of the draft's paragraph and the next (the lede's for a
    figure in the title)."""
    start = len(article.title) + 2 if draft.in_title else draft.mention.span[0]
    return index.dateline, index.towns_near(start, _TOWN_PARAGRAPHS)


def extract_article(article: CleanArticle, gazetteer: Gazetteer) -> ArticleExtraction:
    """Every casualty mention in ``article`` and the headline figures of its main incident.

    Spans index ``article.document``; dates resolve against ``article.published``.
    Raises ``ExtractError`` for input that is not an article's text.
    """
    drafts, index = _drafts(article, gazetteer)
    headline = choose_headline(drafts, lambda d: _towns(index, article, d))
    chosen = {o for o in (headline.killed, headline.injured) if o is not None}
    mentions = tuple(d.mention if d.mention.headline == (d.mention.ordinal in chosen)
                     else replace(d.mention, headline=d.mention.ordinal in chosen) for d in drafts)
    killed = mentions[headline.killed] if headline.killed is not None else None
    injured = mentions[headline.injured] if headline.injured is not None else None
    return ArticleExtraction(
        extractor_version=EXTRACTOR_VERSION,
        mentions=mentions,
        killed=killed.count if killed else None,
        injured=injured.count if injured else None,
        killed_qualifier=killed.qualifier if killed else None,
        injured_qualifier=injured.qualifier if injured else None,
        locations=headline.locations,
        actors=_actors(mentions),
        event_date=next((m.event_date for m in (killed, injured) if m and m.event_date), None),
    )
