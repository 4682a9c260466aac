"""The words around an amount: the noun phrase after it and the verbs that make it a toll."""

from __future__ import annotations

from typing import NamedTuple

from workers.extract import lexicon as lx
from workers.extract.numbers import Token, word_value
from workers.records import Metric

SUFFER = frozenset({"suffering", "suffered", "sustained", "sustaining", "sustain", "suffer"})
WOUNDS = frozenset({"injuries", "wounds", "injury", "burns", "wound"})
# Care that names wounds: "83 others were being treated for injuries", "admitted ... with wounds".
_CARE = frozenset({"treated", "admitted", "hospitalised", "hospitalized", "receiving"})
_CARE_REACH = 9
TOLL_SUBJECTS = frozenset({"toll", "number", "total", "tally", "count", "figure"})
STOP = frozenset({".", ";", ":", "?", "!", "(", ")", "“", "”", '"'})
# A parenthesis of victims between a phrase and its verb: "11 people, including a girl, were".
_ASIDE = frozenset({"including", "among", "most", "mostly", "many", "all", "some", "half"})
# Words of a partitive that name the family or unit the victims belong to.
_OF_WORDS = frozenset({"of", "the", "same", "family", "household", "one", "a", "single"})
_CLAUSE_WORDS = frozenset({"and", "or", "but", "who", "which", "that", "while", "whose", "as"})
_AND_THEN = frozenset({"shot", "stabbed", "beaten", "attacked", "hit", "run"})
_ACTIVE_OBJECT = frozenset({"a", "an", "at", "more", "over", "dozens", "hundreds", "scores",
                            "nearly", "about", "some", "up", "no", "the", "his", "her",
                            "their", "two", "three", "several", "many", "another"})


_FATAL_PAIRS = frozenset({("dead", "shot"), ("dead", "gunned"), ("down", "gunned")})
_FRONTED: dict[str, Metric] = {"killed": "killed", "dead": "killed", "wounded": "injured",
                               "injured": "injured", "hurt": "injured"}


class Phrase(NamedTuple):
    """What follows an amount: its head noun and what it says (a named tuple: quick to build)."""

    end: int  # one past the last token of the phrase
    kind: str  # "person", "casualty", "life", "trap", "unknown" or "none"
    group: str | None = None
    metric: Metric | None = None
    partitive: bool = False  # "eight of the injured", "five of them"


def person_group(tok: Token) -> str | None:
    """The victim group a plural person noun names ("children" -> "children"), else None."""
    low = tok.low
    if low in lx.PERSON_GROUPS:
        return lx.PERSON_GROUPS[low]
    if lx.DEMONYM.match(tok.text):
        return "civilians"
    return None


def _stops(tok: Token) -> bool:
    low = tok.low
    return low in STOP or low in lx.AUX or low in lx.AFTER_CUES or low in lx.BEFORE_CUES \
        or low in _CLAUSE_WORDS or not tok.text[0].isalnum()


def _head(tokens: list[Token], k: int, j: int, metric: Metric | None,
          group: str | None) -> Phrase | None:
    """The phrase if token ``k`` ends it (a victim, casualty, trap or stop word), else None.

    A casualty verb after other words ("three bombers killed") ends the phrase as a verb.
    """
    tok, low = tokens[k], tokens[k].low
    person = person_group(tok)
    if (low in lx.CASUALTY_NOUNS or low in lx.LIFE_NOUNS) and not (low in lx.AFTER_CUES and k > j):
        life = low in lx.LIFE_NOUNS
        return Phrase(k + 1, "life" if life else "casualty", group or ("people" if life else None),
                      lx.CASUALTY_NOUNS.get(low, "killed"))
    if person is not None or (low in lx.SINGULAR_GROUPS and k > j):
        end = k + 1
        while person is not None and end < len(tokens) and person_group(tokens[end]) is not None:
            person, end = person_group(tokens[end]), end + 1
        return Phrase(end, "person", person or lx.SINGULAR_GROUPS[low], metric)
    if low in lx.TRAP_NOUNS or low in lx.NOT_VICTIMS:
        return Phrase(k + 1, "trap")
    if _stops(tok):
        return Phrase(k, "none" if k == j else "unknown", group, metric)
    return None


def read_phrase(tokens: list[Token], j: int) -> Phrase:
    """Read the noun phrase after an amount ending at token ``j`` ("of Iranian-backed fighters")."""
    metric: Metric | None = None
    group: str | None = None
    partitive = j + 1 < len(tokens) and tokens[j].low == "of" \
        and tokens[j + 1].low in {"the", "them", "those", "whom"}
    if partitive and tokens[j + 1].low in {"them", "whom"}:
        j += 2
    for k in range(j, min(j + 6, len(tokens))):
        low = tokens[k].low
        if (low == "of" and k == j) or low in {"other", "more", "additional", "further"}:
            continue
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        if low in lx.CASUALTY_NOUNS and nxt is not None \
                and (person_group(nxt) or nxt.low in lx.SINGULAR_GROUPS):
            metric = lx.CASUALTY_NOUNS[low]  # "17 wounded civilians"
            continue
        phrase = _head(tokens, k, j, metric, group)
        if phrase is not None:
            return Phrase(phrase.end, phrase.kind, phrase.group, phrase.metric, partitive)
        if low == "civilian":
            group = "civilians"
    return Phrase(j, "none", group, metric, partitive)


def _verb_at(tokens: list[Token], k: int, subset: bool) -> tuple[Metric, int] | None:
    """A casualty verb starting at token ``k``: (metric, index one past it)."""
    low = tokens[k].low
    nxt = tokens[k + 1].low if k + 1 < len(tokens) else ""
    if low in lx.AFTER_CUES:
        return lx.AFTER_CUES[low], k + 1
    if (low in SUFFER and nxt in WOUNDS) or (low == "to" and nxt == "death"):
        return ("injured" if low in SUFFER else "killed"), k + 2
    if (low == "gunned" and nxt == "down") or low in _CARE:
        end = k + 2 if low == "gunned" else _care_wounds(tokens, k + 1)
        return (("killed" if low == "gunned" else "injured"), end) if end is not None else None
    if low in {"lost", "lose"} and k + 2 < len(tokens) and tokens[k + 2].low in lx.LIFE_NOUNS:
        return "killed", k + 3
    if subset and low in {"victims", "dead", "deaths", "fatalities", "martyrs"}:
        return "killed", k + 1
    return None


def _care_wounds(tokens: list[Token], k: int) -> int | None:
    """Index past "for injuries" / "with wounds" in the clause after a verb of care, if any."""
    for m in range(k, min(k + _CARE_REACH, len(tokens) - 1)):
        low = tokens[m].low
        if low in STOP or low == ",":
            return None
        if low in {"for", "with"} and tokens[m + 1].low in WOUNDS:
            return m + 2
    return None


def _object_at(tokens: list[Token], k: int) -> bool:
    """Whether token ``k`` starts the object of an active verb ("killed 18", "killed six")."""
    if k >= len(tokens):
        return False
    tok = tokens[k]
    return tok.text[0].isdigit() or tok.low in _ACTIVE_OBJECT or word_value(tok.text) is not None


def _skip_aside(tokens: list[Token], k: int) -> int:
    """Index after a ", including a girl," aside starting at comma ``k``; ``k`` if there is none."""
    if k + 1 >= len(tokens) or tokens[k + 1].low not in _ASIDE:
        return k
    for m in range(k + 2, min(k + 12, len(tokens))):
        if tokens[m].low == ",":
            return m
        if tokens[m].low in STOP:
            return k
    return k


def _fatal_ahead(tokens: list[Token], k: int) -> bool:
    """Whether the clause from ``k`` on says the victim died ("in the head and later died")."""
    for tok in tokens[k:k + 8]:
        if tok.low in STOP or tok.low == ",":
            return False
        if tok.low in lx.FATAL_AFTER:
            return True
    return False


def _nonfatal(tokens: list[Token], verb: int | None, k: int,
              subset: bool) -> tuple[Metric, int, bool] | None:
    """"were stabbed", "was shot in the leg": injured, unless the clause goes on to a death."""
    if verb is None:
        return None
    return ("killed" if _fatal_ahead(tokens, k) else "injured"), verb + 1, subset


def after_cue(tokens: list[Token], j: int) -> tuple[Metric, int, bool] | None:
    """A verb after a victim phrase ("were killed", "lost their lives"): (metric, end, subset)."""
    subset, aux, k, limit = False, False, j, min(j + 10, len(tokens))
    hurt: int | None = None  # a non-fatal attack verb passed on the way ("were stabbed")
    while k < limit:
        low = tokens[k].low
        if low in lx.STOP_AUX:
            break
        verb = _verb_at(tokens, k, subset)
        if verb is not None:
            # "Three bombers killed 18 people": an active verb with an object names the agent.
            if not aux and low in lx.BEFORE_CUES and _object_at(tokens, verb[1]):
                return None
            return verb[0], verb[1], subset
        subset = subset or low == "among"
        if low == ",":
            k = _skip_aside(tokens, k) + 1
            continue
        if hurt is None and aux and low in lx.NONFATAL:
            hurt = k
        aux = aux or low in lx.AUX
        skippable = low in lx.AUX or (low.endswith("ly") and len(low) > 4) or low in _OF_WORDS \
            or (low == "and" and k > j and tokens[k - 1].low in _AND_THEN)
        if not (skippable or (subset and low in {"those", "the"})):
            break
        k += 1
    return _nonfatal(tokens, hurt, k, subset)


def before_cue(tokens: list[Token], i: int) -> tuple[Metric, int] | None:
    """A verb or noun before the amount at ``i`` ("killing 12", "the death of a woman")."""
    k = i - 1
    if k >= 0 and tokens[k].low in lx.BEFORE_CUES and tokens[k].low not in lx.WEAK_BEFORE:
        return lx.BEFORE_CUES[tokens[k].low], k
    # "shot dead two gunmen", "gunned down five villagers"
    if k >= 1 and (tokens[k].low, tokens[k - 1].low) in _FATAL_PAIRS:
        return "killed", k - 1
    fronted = _fronted(tokens, i)
    if fronted is not None:
        return fronted
    if k >= 1 and tokens[k].low in {"of", "to"}:
        noun = k - 1
        if tokens[noun].low in {"tragic", "brutal", "violent"} and noun > 0:
            noun -= 1
        metric = lx.OF_CUES.get(tokens[noun].low)
        # "injuries to 30 people" reads as a toll; "death to" does not.
        if metric is not None and not (tokens[k].low == "to" and metric == "killed"):
            return metric, noun
    return None


def _fronted(tokens: list[Token], i: int) -> tuple[Metric, int] | None:
    """"Killed in the attack on the market were 23 civilians": a participle opening the clause.

    The participle must start the sentence or follow a colon or semicolon, and the amount must
    come right after "were" or "was", so that "killed in the raid, officials said, were" and
    ordinary subjects ("Killed soldiers' families were...") stay apart.
    """
    if i < 2 or tokens[i - 1].low not in {"were", "was"}:
        return None
    for k in range(i - 2, max(-1, i - 14), -1):
        low = tokens[k].low
        if low in STOP or low == ",":
            return None
        metric = _FRONTED.get(low)
        if metric is not None and (k == 0 or tokens[k - 1].low in {":", ";", "“", '"'}):
            return metric, k
    return None


def among_dead(words: list[str], i: int) -> Metric | None:
    """"Among the dead was a boy": the metric a subset takes from the words before it.

    ``words`` are the lower-cased tokens of the sentence.
    """
    window = words[max(0, i - 8):i]
    if "among" not in window:
        return None
    rest = window[len(window) - 1 - window[::-1].index("among") + 1:]
    if any(w in STOP or w == "," for w in rest):
        return None
    for word in rest:
        if word in {"dead", "killed", "victims", "deaths", "fatalities", "martyrs",
                    "casualties"}:
            return "killed"
        if word in {"injured", "wounded", "hurt"}:
            return "injured"
    return None


def _abbreviation_dot(tokens: list[Token], s: int) -> bool:
    """The period of "Nov." or "U.S." inside a sentence."""
    return tokens[s].low == "." and s > 0 and (tokens[s - 1].low in lx.MONTHS
                                               or len(tokens[s - 1].text) <= 2)


def _toll_metric(tokens: list[Token], subject: int, verb: int) -> Metric:
    """Killed or injured, from the words around a toll subject ("number of injured")."""
    words = {t.low for t in tokens[max(0, subject - 2):verb]}
    if words & lx.TOLL_INJURED or "injury" in words:
        return "injured"
    return "killed"


def toll_cue(tokens: list[Token], i: int) -> tuple[Metric, int, bool] | None:
    """A toll subject and verb before the amount ("the death toll rose to").

    Returns (metric, index of the subject, whether the toll is said to have risen).
    """
    k = i - 1
    while k >= 0 and i - k <= 5 and tokens[k].low in lx.TOLL_VERBS:
        k -= 1
    if k == i - 1:
        return None
    for s in range(k, max(-1, k - 16), -1):
        low = tokens[s].low
        if low in STOP and not _abbreviation_dot(tokens, s):
            return None
        if low in TOLL_SUBJECTS:
            words = {t.low for t in tokens[s:k + 1]} | {tokens[s - 1].low if s else ""}
            if low != "toll" and not words & (lx.TOLL_KILLED | lx.TOLL_INJURED):
                return None
            rising = any(t.low in lx.RISE_WORDS for t in tokens[max(0, s - 3):i])
            return _toll_metric(tokens, s, k + 1), s, rising
    return None
