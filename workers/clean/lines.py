"""Drop the lines that page chrome leaves inside extracted article text, keeping every other line.

The rules describe shapes of boilerplate (form prompts, counters, credits, labels, disclaimers,
teasers), never the strings of one site. Each rule looks at one line, except the caption rule,
which also drops a caption that a neighbouring credit line repeats ("Aleppo" / "Aleppophoto: X").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

# List markers that trafilatura or scrapers put in front of a line; they are not the line's words.
_MARKER = re.compile(r"^[\s\-*•·–—>»|\[(]+|[\s\]):.!|›»→•·–—-]+$")
_WORD = re.compile(r"\S+")

# Whole lines that are a widget label, a navigation link or a section title of the page frame.
_LABELS = frozenset(
    label.strip()
    for label in """
    latest|latest news|latest stories|breaking|read more|read next|read also|also read|see also
    related|related articles|related stories|related posts|related news|related content
    related topics|related coverage|more|more stories|more news|more on this|more from us
    advertisement|advertisements|ad|ads|sponsored|sponsored content|promoted|paid content
    share|share this|share this article|share this story|share this post|share article
    tweet|print|email|e-mail|whatsapp|telegram|facebook|twitter|linkedin|copy link|link copied
    subscribe|newsletter|sign up|log in|login|register|menu|search|home|close|skip to content
    skip to main content|back to top|next|previous|next article|previous article|next story
    trending|trending now|most read|most popular|popular|top stories|editor's picks|recommended
    recommended for you|you may also like|you might also like|don't miss|must read|follow us
    continue reading|continue reading below|story continues below
    story continues below advertisement|article continues below advertisement|loading|comments
    scroll to continue with content
    comment|leave a reply|leave a comment|post a comment|add a comment|cancel reply|reply
    no comments|no comments yet|show comments|view comments|load more|see more|show more
    bonus video|video|videos|watch|watch video|watch now|photos|photo gallery|gallery|image
    photo|listen|listen to this article|audio|click to tweet|tags|topics|categories|filed under
    baca juga|lire aussi|leia também|leia mais|lesen sie auch|leer más|ver más|lee también
    """.replace("\n", "|").split("|")
)

_SHARE_WORDS = frozenset(
    re.split(
        r"\s+",
        "facebook twitter x whatsapp telegram email e-mail linkedin pinterest reddit print share "
        "tweet messenger tumblr vk viber copy link sms mail flipboard",
    )
)

# Lines that a comment form, a login box or a comment section header consists of.
_FORM = re.compile(
    r"please enter (?:your|a valid|an?) (?:comment|name|e-?mail|website|message)"
    r"|you have entered an incorrect e-?mail"
    r"|your e-?mail address will not be published|required fields are marked"
    r"|save my name,? e-?mail,? and website|notify me of (?:follow-?up comments|new posts)"
    r"|you must be logged in to (?:post|leave) a comment|comments are closed"
    r"|this site uses akismet|^(?:leave|post|add|write|submit|cancel) (?:a |your )?"
    r"(?:reply|comment|response)s?\b|^(?:name|e-?mail|website|comment)\s*\*?$",
    re.IGNORECASE,
)

# "8064 views 4 comment(s)", "1.2K shares | 30 comments": page counters, never article numbers.
_COUNTER = re.compile(
    r"^(?:[\d.,]+\s*[km]?\s*(?:views?|comments?(?:\(s\)?)?|shares?|likes?|reads?|reactions?"
    r"|replies|responses)\s*[|·•,/-]?\s*)+$",
    re.IGNORECASE,
)

_CREDIT_WORD = r"(?:photo|image|picture|foto|graphic|video)s?(?:\s+(?:credit|courtesy|source)s?)?"
# "Photo: Reuters", "Credit: (Social Media)", "Image credit: Getty", "Source: Al Jazeera".
_CREDIT_LINE = re.compile(
    rf"^(?:(?:{_CREDIT_WORD}|credits?|courtesy|source)\s*(?::|/|\bby\b)"
    r"|(?:image|media|video) (?:copyright|caption|source)\b)\s*\S.*$",
    re.IGNORECASE,
)
# A caption with its credit glued or appended: "Idlib, Photo: Reuters", "Aleppophoto: Reuters",
# "Smoke rises (AP Photo/John Doe)", "A man walks. REUTERS/Jane Roe", "... Photo by X/Getty Images".
_CREDIT_TAIL = re.compile(
    rf"[\s,;|(\[–—-]*{_CREDIT_WORD}\s*(?::|\bby\b)\s*(?P<a>[^.!?:]{{1,60}})[)\]]?$",
    re.IGNORECASE,
)
# Wire-photo bylines are upper-case agency, slash, photographer: case matters here.
_AGENCY_TAIL = re.compile(
    r"\s*\(?\b[A-Z]{2,}(?:\s+Photo)?/[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3}[)\]]?$"
)

_DISCLAIMER = re.compile(
    r"^disclaimer\s*:|\bthis (?:article|story|content|text|report|translation) (?:was|has been|is)"
    r" (?:(?:partly |partially )?(?:auto(?:matically)?-?generated|generated|translated|produced|"
    r"written|created)) (?:by|with|using|from|through)\b|\b(?:machine|automatic|automated|ai)"
    r"[- ]translat|\btranslat\w* (?:are |is |was |were )?(?:mostly |partly |partially )?"
    r"(?:done |made |produced )?(?:through|by|with|using) (?:an? )?(?:ai|artificial intelligence"
    r"|machine|automat)",
    re.IGNORECASE,
)
_NEWSLETTER = re.compile(
    r"\b(?:sign up|subscribe|register)\b.{0,80}\b(?:newsletters?|inbox|e-?mail (?:updates|alerts))"
    r"|\b(?:delivered|straight|direct(?:ly)?) to your inbox\b",
    re.IGNORECASE,
)
_COOKIES = re.compile(
    r"\b(?:we|this (?:web)?site|our (?:web)?site) uses? cookies\b|\bcookie (?:policy|settings|"
    r"preferences|consent)\b|\baccept (?:all )?cookies\b|by continuing to (?:use|browse) "
    r"(?:this|our) (?:site|website)",
    re.IGNORECASE,
)
# "Read more: <headline>", "[Related: <headline>]", "Filed under: X". Shopping lines ("See it
# now: Amazon") stay: annotators count them as part of product-review articles.
_TEASER = re.compile(
    r"^(?:read more|read also|also read|read next|related|see also|more|also|recommended|watch"
    r"|listen|baca juga|lire aussi|leia também|leia mais|lesen sie auch|lee también|filed under"
    r"|posted in|tags|topics|categories|tagged|advertisement|sponsored)\s*(?:[:|»>–—]|\s-\s)",
    re.IGNORECASE,
)
_READING_TIME = re.compile(
    r"^(?:[^\d:]{1,30}:\s*)?\d+\s*(?:min|mins|minutes?|minutos?|minuti|minuten)\.?(?:\s+read)?$",
    re.IGNORECASE,
)
_EMAIL_ONLY = re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$")


def _core(line: str) -> str:
    """The line without list markers, brackets and trailing punctuation."""
    return _MARKER.sub("", line).strip()


def _words(line: str) -> int:
    return len(_WORD.findall(line))


def _is_label(core: str) -> bool:
    return core.casefold() in _LABELS


def _is_share_row(core: str) -> bool:
    parts = [p for p in re.split(r"[\s|,·•/]+", core.casefold()) if p]
    return bool(parts) and all(p in _SHARE_WORDS for p in parts)


def _short(limit: int, pattern: re.Pattern[str]) -> Callable[[str], bool]:
    """A rule that fires when ``pattern`` matches a line of at most ``limit`` words."""

    def rule(core: str) -> bool:
        return _words(core) <= limit and pattern.search(core) is not None

    return rule


_RULES: tuple[Callable[[str], bool], ...] = (
    _is_label,
    _is_share_row,
    _short(30, _FORM),
    _short(12, _COUNTER),
    _short(12, _CREDIT_LINE),
    _short(60, _DISCLAIMER),
    _short(40, _NEWSLETTER),
    _short(60, _COOKIES),
    _short(25, _TEASER),
    _short(6, _READING_TIME),
    _short(1, _EMAIL_ONLY),
)


def is_boilerplate_line(line: str) -> bool:
    """True if ``line`` on its own is page chrome rather than article text."""
    core = _core(line)
    if not core:
        return False
    return any(rule(core) for rule in _RULES) or caption_stem(line) is not None


def caption_stem(line: str) -> str | None:
    """The caption before a photo credit ("Aleppo" for "Aleppophoto: Reuters"), else None.

    Only short lines count: a credit ends a caption, not a paragraph of reporting.
    """
    core = line.strip()
    if not core or _words(core) > 40:
        return None
    match = _CREDIT_TAIL.search(core) or _AGENCY_TAIL.search(core)
    if match is None:
        return None
    agency = match.groupdict().get("a")
    if agency is not None and _words(agency) > 6:
        return None
    return core[: match.start()].strip(" ,;|-–—(")


def _norm(line: str) -> str:
    return " ".join(line.split()).strip(" .,;").casefold()


def _caption_neighbours(lines: Sequence[str], index: int) -> list[int]:
    """Lines next to a credit line that repeat its caption without the credit."""
    stem = caption_stem(lines[index])
    if not stem:
        return []
    return [
        j for j in (index - 1, index + 1) if 0 <= j < len(lines) and _norm(lines[j]) == _norm(stem)
    ]


def boilerplate_indices(lines: Sequence[str]) -> set[int]:
    """Indices of the lines that ``filter_boilerplate_lines`` removes."""
    drop = {i for i, line in enumerate(lines) if is_boilerplate_line(line)}
    for i in list(drop):
        drop.update(_caption_neighbours(lines, i))
    return drop


def filter_boilerplate_lines(text: str) -> str:
    """Remove boilerplate lines from ``text``; runs of blank lines collapse to one blank line."""
    lines = text.splitlines()
    drop = boilerplate_indices(lines)
    kept: list[str] = []
    for i, line in enumerate(lines):
        if i in drop:
            continue
        if not line.strip() and (not kept or not kept[-1].strip()):
            continue
        kept.append(line.rstrip())
    while kept and not kept[-1].strip():
        kept.pop()
    return "\n".join(kept)
