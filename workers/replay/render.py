"""Pure rendering of a replay feed: the RSS 2.0 document and one realistic news page per article."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from email.utils import format_datetime
from html import escape

from .items import ReplayItem

SITE_NAME = "Replay Daily News"
_NAV = ("Home", "World", "Middle East", "Politics", "Opinion", "Videos", "Contact")
_SHARE = ("Facebook", "Twitter", "WhatsApp", "Telegram", "Email")
_RELATED = (
    "Aid convoys reach northern districts after weeks of delay",
    "Winter storms threaten displacement camps",
    "UN envoy calls for renewed ceasefire talks",
)


def _summary(item: ReplayItem) -> str:
    if item.kind == "html":
        return ""
    paragraphs = [line.strip() for line in item.text.splitlines() if line.strip()]
    return paragraphs[0][:300] if paragraphs else ""


def _feed_item(item: ReplayItem, base_url: str) -> str:
    link = escape(base_url + item.path)
    return (
        "<item>"
        f"<title>{escape(item.title)}</title>"
        f"<link>{link}</link>"
        f'<guid isPermaLink="true">{link}</guid>'
        f"<pubDate>{format_datetime(item.published, usegmt=True)}</pubDate>"
        f"<description>{escape(_summary(item))}</description>"
        "</item>"
    )


def render_feed(items: Sequence[ReplayItem], base_url: str, *, title: str = SITE_NAME) -> bytes:
    """An RSS 2.0 document listing ``items``, newest first, with links under ``base_url``."""
    newest_first = sorted(items, key=lambda item: (item.published, item.stem), reverse=True)
    body = "".join(_feed_item(item, base_url) for item in newest_first)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>{escape(base_url)}/</link>"
        f"<description>{escape(title)}: replayed articles</description>"
        f"{body}</channel></rss>\n"
    ).encode()


def feed_etag(feed: bytes) -> str:
    """A strong ETag for a rendered feed: it changes exactly when the bytes do."""
    return '"' + hashlib.sha256(feed).hexdigest()[:32] + '"'


def feed_last_modified(items: Sequence[ReplayItem], fallback: datetime) -> datetime:
    """The publication time of the newest item, or ``fallback`` for an empty feed."""
    return max((item.published for item in items), default=fallback)


def _header(base_url: str) -> str:
    links = "".join(f'<li><a href="{base_url}/section/{n.lower()}">{n}</a></li>' for n in _NAV)
    return (
        f'<header class="site-header"><div class="logo"><a href="{base_url}/">{SITE_NAME}</a>'
        f'</div><nav class="main-nav"><ul>{links}</ul></nav>'
        '<form class="search" action="/search"><input name="q" placeholder="Search">'
        "<button>Search</button></form></header>"
    )


def _share() -> str:
    buttons = "".join(f'<a class="share-{n.lower()}" href="#">{n}</a>' for n in _SHARE)
    return f'<div class="share-buttons"><span>Share this:</span>{buttons}</div>'


def _comment_form() -> str:
    return (
        '<div id="comments" class="comments-area"><div id="respond" class="comment-respond">'
        '<h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3>'
        '<a rel="nofollow" id="cancel-comment-reply-link" href="#respond">Cancel reply</a>'
        '<form id="commentform" class="comment-form" method="post">'
        '<p class="comment-form-comment"><textarea placeholder="Comment:" name="comment">'
        "</textarea></p>"
        '<p class="comment-notes">Please enter your comment!</p>'
        '<p class="comment-form-author"><input placeholder="Name:*" name="author"></p>'
        "<p>Please enter your name here</p>"
        '<p class="comment-form-email"><input placeholder="Email:*" name="email"></p>'
        "<p>You have entered an incorrect email address!</p>"
        "<p>Please enter your email address here</p>"
        '<p class="comment-form-cookies-consent"><input type="checkbox"> Save my name, email, '
        "and website in this browser for the next time I comment.</p>"
        '<p class="form-submit"><input type="submit" value="Post Comment"></p>'
        "</form></div></div>"
    )


def _related(base_url: str) -> str:
    links = "".join(
        f'<li><a href="{base_url}/related/{n}.html">{escape(t)}</a></li>'
        for n, t in enumerate(_RELATED)
    )
    return f'<aside class="related-posts"><h4>Related</h4><ul>{links}</ul></aside>'


def _footer() -> str:
    return (
        '<footer class="site-footer"><p>About us | Advertise | Privacy policy | Contact</p>'
        f"<p>© {SITE_NAME}. All rights reserved.</p>"
        "<p>We use cookies to improve your experience on our website.</p></footer>"
    )


def _article_body(text: str) -> str:
    return "\n".join(f"<p>{escape(line.strip())}</p>" for line in text.splitlines() if line.strip())


def render_page(item: ReplayItem, base_url: str) -> bytes:
    """The page for ``item``: an .html item as it is, a .txt item inside a news-site frame.

    The .txt body is the file's text verbatim, one paragraph per line, HTML-escaped.
    """
    if item.kind == "html":
        return item.text.encode()
    when = item.published.isoformat()
    head = (
        f'<head><meta charset="utf-8"><title>{escape(item.title)} - {SITE_NAME}</title>'
        f'<meta property="og:title" content="{escape(item.title)}">'
        f'<meta property="article:published_time" content="{when}">'
        f'<link rel="canonical" href="{escape(base_url + item.path)}"></head>'
    )
    article = (
        f'<main><article class="post"><h1 class="entry-title">{escape(item.title)}</h1>'
        f'<div class="meta"><time datetime="{when}">{item.published:%B %d, %Y}</time></div>'
        f'<div class="entry-content">{_article_body(item.text)}</div>{_share()}</article>'
        f"{_related(base_url)}{_comment_form()}</main>"
    )
    page = f'<!DOCTYPE html><html lang="en">{head}<body>{_header(base_url)}{article}'
    return (page + f"{_footer()}</body></html>\n").encode()
