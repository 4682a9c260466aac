"""Casualty findings in one sentence: which amounts are victims, killed or injured, and how."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

from workers.extract import lexicon as lx
from workers.extract.cues import (
    STOP,
    Phrase,
    after_cue,
    among_dead,
    before_cue,
    read_phrase,
    toll_cue,
)
from workers.extract.numbers import Amount, Token, find_amounts, lows, where
from workers.records import Metric, Qualifier

_COORD = frozenset({"and", ",", "with", "plus", "while", "as", "well", "another", "&", "her",
                    "his", "their", "its", "the", "them", "among", "whom", "of"})
_SUBSET_BEFORE = frozenset({"including", "includes", "include", "included", "among"})
# After a phrase that inherits its verb from the figure before it ("killed 4 people and 2
# soldiers"), only a boundary may follow; "and two are missing" has a verb of its own.
_INHERIT_NEXT = frozenset({",", ".", ";", "and", "in", "on", "at", "near", "from", "across",
                           "during", "when", "as", "after", "while", "”", '"', ")", "inside",
                           "including", "according", "by", "with"})
_CAUSING = frozenset({"causing", "caused", "leaving", "inflicting"})
# Words that may open a casualty with no amount: a cause, or a strong verb before its victims.
_VAGUE_CUES = _CAUSING | (frozenset(lx.BEFORE_CUES) - lx.WEAK_BEFORE)
_DETERMINERS = frozenset({"a", "an", "one", "her", "his", "their", "the", "its"})
_YOUNG = frozenset({"child", "boy", "girl", "baby"})  # the singular victims "the" may open
_NOT_THE = _DETERMINERS - {"the"}
# What may stand between victims who share one verb: "a woman and her two children".
_SHARED_GAP = frozenset({"and", ",", "her", "his", "their", "its"})


@dataclass(slots=True)
class Finding:
    """A casualty figure found in a sentence, before places, actors and dates are attached.

    Not frozen, though nothing changes one once built (``replace`` makes a new one): one is
    built per figure, and a frozen dataclass takes several times longer to build.
    """

    metric: Metric
    count: int | None
    qualifier: Qualifier
    first: int  # token index where the mention starts
    last: int  # token index one past its end
    confidence: float
    vague: str | None = None
    group: str | None = None
    subset: bool = False
    running: bool = False
    verb: bool = False  # the figure has a verb of its own after it ("were killed")


def _bare_person(tokens: list[Token], k: int) -> bool:
    """"a Palestinian was killed", "a 15-year-old was shot": a person word with no noun after."""
    tok = tokens[k]
    if not (lx.SINGULAR_DEMONYM.match(tok.text) or tok.low.endswith("-year-old")):
        return False
    nxt = tokens[k + 1] if k + 1 < len(tokens) else None
    return nxt is None or nxt.low in lx.AUX or nxt.low in lx.AFTER_CUES \
        or not nxt.text[0].isalnum()


def _singular_at(tokens: list[Token], words: list[str], i: int) -> Amount | None:
    """"a woman", "her husband", "a 7-year-old child", "a senior adviser": one person."""
    the = words[i] == "the"
    # after "the" only a child's word names one victim: most "the"s end here
    if the and _YOUNG.isdisjoint(words[i + 1:i + 4]):
        return None
    for k in range(i + 1, min(i + 4, len(tokens))):
        low = words[k]
        if low in lx.SINGULAR_GROUPS or (not the and _bare_person(tokens, k)):
            if the and low not in _YOUNG:
                return None
            return Amount(i, i, k + 1, 1, "exact")
        if low in STOP or not tokens[k].text[0].isalnum() or low in lx.AUX:
            return None
        if low.endswith("s") and low != "us" and not low.endswith("ss"):
            return None
    return None


def _amounts(tokens: list[Token], words: list[str]) -> list[Amount]:
    numeric = find_amounts(tokens, words)
    # "the" opens a single victim only before a child's word: without one, no "the" is read
    openers = _DETERMINERS if not _YOUNG.isdisjoint(words) else _NOT_THE
    taken = {k for a in numeric for k in range(a.first, a.last)}
    singles: list[Amount] = []
    for i in where(words, openers.__contains__):
        if i in taken:
            continue
        single = _singular_at(tokens, words, i)
        if single is not None and not any(k in taken for k in range(single.first, single.last)):
            singles.append(single)
            taken.update(range(single.first, single.last))
    return sorted(numeric + singles, key=lambda a: a.first)


def _is_date_or_year(tokens: list[Token], amount: Amount) -> bool:
    """Numbers that are dates or years: "Nov. 27", "27 November", "in 2016"."""
    before = tokens[amount.core - 1].low if amount.core > 0 else ""
    before2 = tokens[amount.core - 2].low if amount.core > 1 else ""
    after = tokens[amount.last].low if amount.last < len(tokens) else ""
    if before in lx.MONTHS or (before == "." and before2 in lx.MONTHS) or after in lx.MONTHS:
        return True
    if before in {"st", "nd", "rd", "th"}:
        return True
    digits = tokens[amount.core].text
    return digits.isdigit() and len(digits) == 4 and 1900 <= amount.value <= 2100


@dataclass(slots=True)
class _Cue:
    """What the words around an amount say about it, gathered rule by rule."""

    metric: Metric | None
    start: int
    end: int
    conf: float = 0.9
    subset: bool = False
    running: bool = False
    toll: bool = False
    verb: bool = False  # the figure has a verb of its own ("30 people were wounded")


def _own_cue(tokens: list[Token], words: list[str], amount: Amount, phrase: Phrase) -> _Cue:
    """The cue from the amount's own phrase, the verb before or after it, or a toll before it."""
    cue = _Cue(None, amount.first, max(phrase.end, amount.last))
    cue.subset = phrase.partitive or _subset_before(words, amount.first)
    before = before_cue(tokens, amount.first)
    if phrase.kind == "life":
        loss = amount.first > 0 and tokens[amount.first - 1].low in lx.LIFE_CUES
        cue.metric = "killed" if loss or before is not None else None
    elif phrase.kind == "casualty" or phrase.metric is not None:
        cue.metric = phrase.metric
    if cue.metric is None and before is not None:
        cue.metric, cue.start = before
    after = after_cue(tokens, phrase.end) if phrase.kind != "casualty" else None
    if after is not None:
        cue.verb = True
    if cue.metric is None and after is not None:
        cue.metric, cue.end, cue.subset = after[0], after[1], cue.subset or after[2]
    elif before is not None and tokens[before[1]].low in lx.NONFATAL \
            and _fatal_after(tokens, phrase.end, after):
        cue.metric = "killed"  # "stabbed four people to death"
        cue.end = after[1] if after is not None else cue.end
    toll = toll_cue(tokens, amount.first)
    if toll is not None:
        cue.metric, cue.running, cue.toll = cue.metric or toll[0], toll[2], True
    among = among_dead(words, amount.first)
    if among is not None:
        cue.metric, cue.subset = cue.metric or among, True
    return cue


def _fatal_after(tokens: list[Token], end: int, after: tuple[Metric, int, bool] | None) -> bool:
    if after is not None:
        return after[0] == "killed"
    return end < len(tokens) and tokens[end].low == "dead"


def _subset_before(words: list[str], first: int) -> bool:
    """"including 20 children", "among them two women", "of whom five"."""
    window = words[max(0, first - 2):first]
    return bool(window) and (window[-1] in {"including", "includes", "include"}
                             or window in (["among", "them"], ["among", "whom"],
                                           ["of", "whom"], ["of", "them"]))


def _inherits(tokens: list[Token], phrase: Phrase, cue: _Cue) -> bool:
    """Whether a figure without a verb of its own can share the verb of the one before it."""
    nxt = tokens[phrase.end].low if phrase.end < len(tokens) else "."
    return cue.metric is None and (nxt in _INHERIT_NEXT or phrase.end == len(tokens))


def _phrase_of(tokens: list[Token], amount: Amount) -> Phrase | None:
    """The phrase after ``amount``, or None when the amount is a date, a year or an age."""
    if amount.vague is None and amount.value != 1 and _is_date_or_year(tokens, amount):
        return None
    if amount.first > 0 and tokens[amount.first - 1].low in {"no", "none", "aged", "age", "ages"}:
        return None
    if amount.value == 1 and tokens[amount.core].low in _DETERMINERS:  # "a woman", noun inside
        return Phrase(amount.last, "person", lx.SINGULAR_GROUPS.get(tokens[amount.last - 1].low))
    return read_phrase(tokens, amount.last)


def _classify(tokens: list[Token], words: list[str], amount: Amount, phrase: Phrase,
              prev: Finding | None) -> Finding | None:
    """Decide whether ``amount`` (``phrase`` after it) is a casualty figure, and of which kind."""
    if phrase.kind == "trap":
        return None
    cue = _own_cue(tokens, words, amount, phrase)
    if prev is not None and _coordinated(words, prev.last, amount.first):
        if _inherits(tokens, phrase, cue):
            cue.metric, cue.conf, cue.verb = prev.metric, 0.75, False
            cue.subset = cue.subset or prev.subset \
                or _has_subset_word(words, prev.last, amount.first)
        # "rose to four martyrs and 17 wounded": a conjunct without a verb shares "rose to".
        cue.running = cue.running or (prev.running and not cue.subset and not cue.verb)
    elif prev is not None and cue.metric is None and cue.subset and _inherits(tokens, phrase, cue):
        cue.metric, cue.conf = prev.metric, 0.75  # "..., medics said, including 20 in one house"
    elif prev is not None and cue.toll and prev.running:
        cue.running = True  # "risen to 23 and the number of injured to 65"
    if cue.metric is None:
        return None
    return _finding(tokens, amount, phrase, cue, cue.metric)


def _finding(tokens: list[Token], amount: Amount, phrase: Phrase, cue: _Cue,
             metric: Metric) -> Finding:
    conf = cue.conf - (0.15 if phrase.kind == "unknown" else 0.0)
    if amount.vague is not None:
        conf = min(conf, 0.6)
    running = cue.running and amount.qualifier == "exact"
    qualifier: Qualifier = "cumulative" if running and amount.vague is None \
        else amount.qualifier
    count = None if amount.vague is not None else amount.value
    group = phrase.group or lx.SINGULAR_GROUPS.get(tokens[amount.last - 1].low)
    return Finding(metric, count, qualifier, min(cue.start, amount.first),
                   max(cue.end, amount.last), round(conf, 2), amount.vague, group, cue.subset,
                   cue.running, cue.verb)


def _coordinated(words: list[str], prev_end: int, start: int) -> bool:
    gap = words[prev_end:start]
    return len(gap) <= 3 and all(w in _COORD or w in _SUBSET_BEFORE or w == "them" for w in gap)


def _has_subset_word(words: list[str], prev_end: int, start: int) -> bool:
    return not _SUBSET_BEFORE.isdisjoint(words[prev_end:start])


def _so_far_after(words: list[str], end: int) -> bool:
    window = words[end:end + 4]
    return any(a == "so" and b == "far" for a, b in itertools.pairwise(window))


def _shared_verb(tokens: list[Token], pending: list[tuple[Amount, Phrase]],
                 finding: Finding) -> list[Finding]:
    """"A woman and her two children were killed": earlier conjuncts share the last one's verb."""
    if not finding.verb or finding.subset or finding.metric is None:
        return []
    shared: list[Finding] = []
    start = finding.first
    for amount, phrase in reversed(pending):
        gap = tokens[phrase.end:start]
        if not gap or not all(t.low in _SHARED_GAP for t in gap) \
                or gap[0].low not in {"and", ","}:
            break
        count = None if amount.vague is not None else amount.value
        group = phrase.group if amount.value != 1 \
            else lx.SINGULAR_GROUPS.get(tokens[amount.last - 1].low)
        shared.append(Finding(finding.metric, count, amount.qualifier, amount.first, phrase.end,
                              0.75, amount.vague, group))
        start = amount.first
    return shared[::-1]


def find_casualties(tokens: list[Token]) -> list[Finding]:
    """Every casualty figure stated in one sentence's tokens, left to right."""
    found: list[Finding] = []
    # victims still waiting for a verb, with their phrase (it names people)
    pending: list[tuple[Amount, Phrase]] = []
    words = lows(tokens)  # read once, by every scan below
    for amount in _amounts(tokens, words):
        phrase = _phrase_of(tokens, amount)
        finding = None if phrase is None \
            else _classify(tokens, words, amount, phrase, found[-1] if found else None)
        if finding is None:
            if phrase is not None and phrase.kind == "person":
                pending = [*pending, (amount, phrase)]
            else:
                pending = []
            continue
        found.extend(_shared_verb(tokens, pending, finding))
        pending = []
        if not finding.running and _so_far_after(words, finding.last):
            qualifier: Qualifier = "cumulative" if finding.count is not None else "vague"
            finding = replace(finding, running=True, qualifier=qualifier)
        found.append(finding)
    return sorted(found + vague_findings(tokens, found, words), key=lambda f: f.first)


def vague_findings(tokens: list[Token], found: list[Finding],
                   words: list[str] | None = None) -> list[Finding]:
    """Casualties with no amount at all ("injured children", "causing injuries").

    ``words`` are ``lows(tokens)``, when the caller has them already.
    """
    words = lows(tokens) if words is None else words
    cues = list(where(words[:-1], _VAGUE_CUES.__contains__))
    if not cues:
        return []
    taken = {k for f in found for k in range(f.first, f.last)}
    out: list[Finding] = []
    for k in cues:
        low, nxt = tokens[k].low, tokens[k + 1]
        if k in taken or k + 1 in taken:
            continue
        if low in _CAUSING:
            if nxt.low in {"injuries", "deaths"}:
                metric: Metric = "injured" if nxt.low == "injuries" else "killed"
                out.append(Finding(metric, None, "vague", k, k + 2, 0.5, nxt.low))
        elif nxt.low in lx.PERSON_GROUPS and not (k > 0 and tokens[k - 1].low in lx.AUX):
            out.append(Finding(lx.BEFORE_CUES[low], None, "vague", k, k + 2, 0.5, nxt.low,
                               lx.PERSON_GROUPS[nxt.low]))
    return out
