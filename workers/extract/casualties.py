"""Casualty findings in one sentence: which amounts are victims, killed or injured, and how."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

from workers.extract import lexicon as lx
from workers.extract.numbers import Amount, Token, find_amounts
from workers.records import Metric, Qualifier

_COORD = frozenset({"and", ",", "with", "plus", "while", "as", "well", "another", "&"})
_SUBSET_BEFORE = frozenset({"including", "includes", "include", "included"})
_DETERMINERS = frozenset({"a", "an", "one", "her", "his", "their", "the", "its"})
_POSSESSIVES = frozenset({"her", "his", "their", "its"})
_SUFFER = frozenset({"suffering", "suffered", "sustained", "sustaining", "sustain", "suffer"})
_WOUNDS = frozenset({"injuries", "wounds", "injury", "burns", "wound"})
_TOLL_SUBJECTS = frozenset({"toll", "number", "total", "tally", "count", "figure"})
_STOP = frozenset({".", ";", ":", "?", "!", "(", ")", "“", "”", '"'})


@dataclass(frozen=True, slots=True)
class Finding:
    """A casualty figure found in a sentence, before places, actors and dates are attached."""

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


@dataclass(frozen=True, slots=True)
class _Phrase:
    """What follows an amount: its head noun and what it says."""

    end: int  # one past the last token of the phrase
    kind: str  # "person", "casualty", "life", "trap", "unknown" or "none"
    group: str | None = None
    metric: Metric | None = None


def _person_group(tok: Token) -> str | None:
    low = tok.low
    if low in lx.PERSON_GROUPS:
        return lx.PERSON_GROUPS[low]
    if lx.DEMONYM.match(tok.text):
        return "civilians"
    return None


def _head(tokens: list[Token], k: int, j: int, metric: Metric | None,
          group: str | None) -> _Phrase | None:
    """The phrase if token ``k`` ends it (a victim, casualty, trap or stop word), else None."""
    tok, low = tokens[k], tokens[k].low
    person = _person_group(tok)
    if low in lx.CASUALTY_NOUNS or low in lx.LIFE_NOUNS:
        life = low in lx.LIFE_NOUNS
        return _Phrase(k + 1, "life" if life else "casualty", group or ("people" if life else None),
                       lx.CASUALTY_NOUNS.get(low, "killed"))
    if person is not None:
        end = k + 1
        while end < len(tokens) and _person_group(tokens[end]) is not None:
            person, end = _person_group(tokens[end]), end + 1
        return _Phrase(end, "person", person, metric)
    if low in lx.TRAP_NOUNS:
        return _Phrase(k + 1, "trap")
    if low in lx.SINGULAR_GROUPS and k > j:
        return _Phrase(k + 1, "person", lx.SINGULAR_GROUPS[low], metric)
    if low in _STOP or low in lx.AUX or low in lx.AFTER_CUES or low in lx.BEFORE_CUES \
            or not tok.text[0].isalnum():
        return _Phrase(k, "none" if k == j else "unknown", group, metric)
    return None


def _read_phrase(tokens: list[Token], j: int) -> _Phrase:
    """Read the noun phrase after an amount ending at token ``j`` ("of Iranian-backed fighters")."""
    metric: Metric | None = None
    group: str | None = None
    for k in range(j, min(j + 6, len(tokens))):
        low = tokens[k].low
        if (low == "of" and k == j) or low in {"other", "more", "additional", "further"}:
            continue
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        if low in lx.CASUALTY_NOUNS and nxt is not None \
                and (_person_group(nxt) or nxt.low in lx.SINGULAR_GROUPS):
            metric = lx.CASUALTY_NOUNS[low]  # "17 wounded civilians"
            continue
        phrase = _head(tokens, k, j, metric, group)
        if phrase is not None:
            return phrase
        if low == "civilian":
            group = "civilians"
    return _Phrase(j, "none", group, metric)


def _verb_at(tokens: list[Token], k: int, subset: bool) -> tuple[Metric, int] | None:
    """A casualty verb starting at token ``k``: (metric, index one past it)."""
    low = tokens[k].low
    nxt = tokens[k + 1].low if k + 1 < len(tokens) else ""
    if low in lx.AFTER_CUES:
        return lx.AFTER_CUES[low], k + 1
    if low in _SUFFER and nxt in _WOUNDS:
        return "injured", k + 2
    if low in {"lost", "lose"} and k + 2 < len(tokens) and tokens[k + 2].low in lx.LIFE_NOUNS:
        return "killed", k + 3
    if subset and low in {"victims", "dead", "deaths", "fatalities", "martyrs"}:
        return "killed", k + 1
    return None


def _after_cue(tokens: list[Token], j: int) -> tuple[Metric, int, bool] | None:
    """A verb after a victim phrase ("were killed", "lost their lives"): (metric, end, subset)."""
    subset = False
    for k in range(j, min(j + 7, len(tokens))):
        low = tokens[k].low
        if low in lx.STOP_AUX:
            break
        verb = _verb_at(tokens, k, subset)
        if verb is not None:
            return verb[0], verb[1], subset
        subset = subset or low == "among"
        skippable = low in lx.AUX or (low.endswith("ly") and len(low) > 4) or low == ","
        if not (skippable or (subset and low in {"those", "the"})):
            break
    return None


def _before_cue(tokens: list[Token], i: int) -> tuple[Metric, int] | None:
    """A verb or noun before the amount at ``i`` ("killing 12", "the death of a woman")."""
    k = i - 1
    if k >= 0 and tokens[k].low in lx.BEFORE_CUES and tokens[k].low not in lx.WEAK_BEFORE:
        return lx.BEFORE_CUES[tokens[k].low], k
    if k >= 1 and tokens[k].low in {"of", "to"}:
        noun = k - 1
        if tokens[noun].low in {"tragic", "brutal"} and noun > 0:
            noun -= 1
        if tokens[noun].low in lx.OF_CUES and not (
                tokens[k].low == "to" and tokens[noun].low in lx.OF_CUES
                and lx.OF_CUES[tokens[noun].low] == "killed"):
            return lx.OF_CUES[tokens[noun].low], noun
    return None


def _toll_metric(tokens: list[Token], subject: int, verb: int) -> Metric:
    """Killed or injured, from the words around a toll subject ("number of injured")."""
    words = {t.low for t in tokens[max(0, subject - 2):verb]}
    if words & lx.TOLL_INJURED or "injury" in words:
        return "injured"
    return "killed"


def _toll_cue(tokens: list[Token], i: int) -> tuple[Metric, int, bool] | None:
    """A toll subject and verb before the amount ("the death toll rose to").

    Returns (metric, index of the subject, whether the verb says the toll rose).
    """
    k = i - 1
    rising = False
    while k >= 0 and i - k <= 5 and tokens[k].low in lx.TOLL_VERBS:
        rising = rising or tokens[k].low in lx.RISE_WORDS
        k -= 1
    if k == i - 1:
        return None
    for s in range(k, max(-1, k - 16), -1):
        low = tokens[s].low
        if low in _STOP:
            return None
        if low in _TOLL_SUBJECTS:
            words = {t.low for t in tokens[s:k + 1]} | {tokens[s - 1].low if s else ""}
            if low != "toll" and not words & (lx.TOLL_KILLED | lx.TOLL_INJURED):
                return None
            return _toll_metric(tokens, s, k + 1), s, rising
    return None


def _singular_at(tokens: list[Token], i: int) -> Amount | None:
    """"a woman", "her husband", "a 7-year-old child", "a senior adviser": one person."""
    if tokens[i].low not in _DETERMINERS:
        return None
    for k in range(i + 1, min(i + 4, len(tokens))):
        low = tokens[k].low
        if low in lx.SINGULAR_GROUPS:
            if tokens[i].low == "the" and low not in {"child", "boy", "girl", "baby"}:
                return None
            return Amount(i, i, k + 1, 1, "exact")
        if low in _STOP or not tokens[k].text[0].isalnum() or low in lx.AUX:
            return None
        if low.endswith("s") and low not in {"us"} and not low.endswith("ss"):
            return None
    return None


def _amounts(tokens: list[Token]) -> list[Amount]:
    numeric = find_amounts(tokens)
    taken = {k for a in numeric for k in range(a.first, a.last)}
    singles: list[Amount] = []
    for i in range(len(tokens)):
        if i in taken:
            continue
        single = _singular_at(tokens, i)
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


def _own_cue(tokens: list[Token], amount: Amount, phrase: _Phrase) -> _Cue:
    """The cue from the amount's own phrase, the verb after it, the verb or toll before it."""
    cue = _Cue(None, amount.first, max(phrase.end, amount.last))
    cue.subset = amount.first > 0 and tokens[amount.first - 1].low in _SUBSET_BEFORE
    before = _before_cue(tokens, amount.first)
    if phrase.kind == "life":
        loss = amount.first > 0 and tokens[amount.first - 1].low in lx.LIFE_CUES
        cue.metric = "killed" if loss or before is not None else None
    elif phrase.kind == "casualty" or phrase.metric is not None:
        cue.metric = phrase.metric
    after = _after_cue(tokens, phrase.end) if phrase.kind != "casualty" else None
    if cue.metric is None and after is not None:
        cue.metric, cue.end, cue.subset = after[0], after[1], cue.subset or after[2]
    if cue.metric is None and before is not None:
        cue.metric, cue.start = before
    toll = _toll_cue(tokens, amount.first)
    if toll is not None:
        cue.metric = cue.metric or toll[0]
        cue.running = toll[2]
    return cue


def _classify(tokens: list[Token], amount: Amount, prev: Finding | None) -> Finding | None:
    """Decide whether ``amount`` is a casualty figure, and of which kind."""
    if amount.vague is None and amount.value != 1 and _is_date_or_year(tokens, amount):
        return None
    phrase = _read_phrase(tokens, amount.last)
    if phrase.kind == "trap":
        return None
    cue = _own_cue(tokens, amount, phrase)
    linked = prev is not None and _coordinated(tokens, prev.last, amount.first)
    if prev is not None and linked:
        if cue.metric is None:
            cue.metric, cue.conf = prev.metric, 0.75
            cue.subset = cue.subset or _has_subset_word(tokens, prev.last, amount.first)
        cue.running = cue.running or (prev.running and not cue.subset)
    if cue.metric is None:
        return None
    return _finding(tokens, amount, phrase, cue, cue.metric)


def _finding(tokens: list[Token], amount: Amount, phrase: _Phrase, cue: _Cue,
             metric: Metric) -> Finding:
    conf = cue.conf - (0.15 if phrase.kind == "unknown" else 0.0)
    if amount.vague is not None:
        conf = min(conf, 0.6)
    qualifier: Qualifier = "cumulative" if cue.running and amount.vague is None \
        else amount.qualifier
    count = None if amount.vague is not None else amount.value
    group = phrase.group or lx.SINGULAR_GROUPS.get(tokens[amount.last - 1].low)
    return Finding(metric, count, qualifier, min(cue.start, amount.first),
                   max(cue.end, amount.last), round(conf, 2), amount.vague, group, cue.subset,
                   cue.running)


def _coordinated(tokens: list[Token], prev_end: int, start: int) -> bool:
    gap = [t.low for t in tokens[prev_end:start]]
    return len(gap) <= 3 and all(w in _COORD or w in _SUBSET_BEFORE or w == "them" for w in gap)


def _has_subset_word(tokens: list[Token], prev_end: int, start: int) -> bool:
    return any(t.low in _SUBSET_BEFORE for t in tokens[prev_end:start])


def _so_far_after(tokens: list[Token], end: int) -> bool:
    window = [t.low for t in tokens[end:end + 4]]
    return any(a == "so" and b == "far" for a, b in itertools.pairwise(window))


def find_casualties(tokens: list[Token]) -> list[Finding]:
    """Every casualty figure stated in one sentence's tokens, left to right."""
    found: list[Finding] = []
    for amount in _amounts(tokens):
        finding = _classify(tokens, amount, found[-1] if found else None)
        if finding is None:
            continue
        if not finding.running and _so_far_after(tokens, finding.last):
            qualifier: Qualifier = "cumulative" if finding.count is not None else "vague"
            finding = replace(finding, running=True, qualifier=qualifier)
        found.append(finding)
    return sorted(found + vague_findings(tokens, found), key=lambda f: f.first)


def vague_findings(tokens: list[Token], found: list[Finding]) -> list[Finding]:
    """Casualties with no amount at all ("injured children", "causing injuries")."""
    taken = {k for f in found for k in range(f.first, f.last)}
    out: list[Finding] = []
    for k, tok in enumerate(tokens[:-1]):
        low, nxt = tok.low, tokens[k + 1]
        if k in taken or k + 1 in taken:
            continue
        group = _person_group(nxt)
        if low in lx.BEFORE_CUES and low not in lx.WEAK_BEFORE and group is not None \
                and nxt.low in lx.PERSON_GROUPS and not (k > 0 and tokens[k - 1].low in lx.AUX):
            out.append(Finding(lx.BEFORE_CUES[low], None, "vague", k, k + 2, 0.5, nxt.low, group))
        elif low in {"causing", "caused", "leaving", "inflicting"} \
                and nxt.low in {"injuries", "deaths"}:
            metric: Metric = "injured" if nxt.low == "injuries" else "killed"
            out.append(Finding(metric, None, "vague", k, k + 2, 0.5, nxt.low))
    return out
