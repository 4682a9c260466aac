"""The English news vocabulary casualty rules read: victim nouns, casualty words, trap nouns."""

from __future__ import annotations

import re

from workers.records import Metric

# Plural or collective nouns for people, mapped to the victim group they name.
PERSON_GROUPS: dict[str, str] = {
    "people": "people", "persons": "people", "individuals": "people", "residents": "residents",
    "villagers": "civilians", "civilians": "civilians", "children": "children",
    "kids": "children", "boys": "children", "girls": "children", "babies": "children",
    "infants": "children", "minors": "children", "students": "students", "pupils": "children",
    "schoolchildren": "children", "women": "women", "men": "men", "worshippers": "civilians",
    "farmers": "civilians", "fishermen": "civilians", "miners": "workers", "workers": "workers",
    "journalists": "journalists", "reporters": "journalists", "doctors": "health workers",
    "nurses": "health workers", "medics": "health workers", "paramedics": "health workers",
    "patients": "civilians", "passengers": "civilians", "pilgrims": "civilians",
    "refugees": "refugees", "migrants": "migrants", "soldiers": "soldiers", "troops": "soldiers",
    "servicemen": "soldiers", "officers": "officers", "policemen": "police",
    "police": "police", "militants": "militants",
    "fighters": "fighters", "rebels": "fighters", "insurgents": "fighters",
    "gunmen": "fighters", "jihadists": "fighters", "militiamen": "fighters",
    "members": "people", "personnel": "soldiers", "guards": "soldiers", "officials": "officials",
    "protesters": "protesters", "demonstrators": "protesters", "teenagers": "children",
    "relatives": "civilians", "victims": "people", "pedestrians": "civilians",
    "shoppers": "civilians", "commuters": "civilians", "tourists": "civilians",
    "guests": "civilians", "prisoners": "detainees", "inmates": "detainees",
    "detainees": "detainees", "hostages": "hostages", "others": "people",
    "worshipers": "civilians", "adults": "people",
    "staff": "workers", "employees": "workers", "volunteers": "aid workers",
    "rescuers": "aid workers", "firefighters": "aid workers", "peacekeepers": "peacekeepers",
    "combatants": "fighters", "sailors": "soldiers", "pilots": "soldiers",
    "teachers": "civilians", "traders": "civilians", "herders": "civilians",
    "herdsmen": "civilians", "motorists": "civilians", "spectators": "civilians",
    "mourners": "civilians", "family": "civilians", "families": "civilians",
    "elderly": "civilians", "siblings": "civilians", "brothers": "civilians",
    "sisters": "civilians", "sons": "children", "daughters": "children",
}

SINGULAR_GROUPS: dict[str, str] = {
    "person": "people", "man": "men", "woman": "women", "child": "children", "boy": "children",
    "girl": "children", "baby": "children", "infant": "children", "toddler": "children",
    "teenager": "children", "civilian": "civilians", "soldier": "soldiers",
    "husband": "civilians", "wife": "civilians", "son": "children", "daughter": "children",
    "mother": "women", "father": "men", "brother": "civilians", "sister": "civilians",
    "resident": "residents", "journalist": "journalists", "paramedic": "health workers",
    "doctor": "health workers", "nurse": "health workers", "policeman": "police",
    "fighter": "fighters", "militant": "militants", "commander": "fighters",
    "officer": "officers", "student": "students", "farmer": "civilians", "worker": "workers",
    "shepherd": "civilians", "passenger": "civilians", "pedestrian": "civilians",
    "villager": "civilians", "girlfriend": "civilians", "grandmother": "women",
    "grandfather": "men", "nephew": "children", "niece": "children", "cousin": "civilians",
    "member": "people", "guard": "soldiers", "official": "officials", "teacher": "civilians",
    "motorist": "civilians", "driver": "civilians", "imam": "civilians", "priest": "civilians",
    "volunteer": "aid workers", "rescuer": "aid workers", "peacekeeper": "peacekeepers",
    "adviser": "officers", "advisor": "officers", "general": "officers", "colonel": "officers",
    "pilot": "soldiers", "photographer": "journalists", "reporter": "journalists",
    "cameraman": "journalists", "protester": "protesters", "demonstrator": "protesters",
    "toddlers": "children", "trader": "civilians", "herder": "civilians", "miner": "workers",
    "fisherman": "civilians", "worshipper": "civilians", "prisoner": "detainees",
    "detainee": "detainees", "patient": "civilians", "mayor": "officials",
    "employee": "workers", "staffer": "workers", "chief": "officials",
}

# Capitalised plural demonyms ("12 Palestinians were killed").
DEMONYM = re.compile(r"^[A-Z][a-z]+(?:ians|ans|is|ese|ers|ites|ans)$")

# Capitalised singular demonyms standing for a person ("a Palestinian was killed").
SINGULAR_DEMONYM = re.compile(r"^[A-Z][a-z]+(?:ian|an|i|ese)$")

# Nouns that are casualties in themselves: the count they follow is a toll.
CASUALTY_NOUNS: dict[str, Metric] = {
    "dead": "killed", "deaths": "killed", "fatalities": "killed", "martyrs": "killed",
    "martyr": "killed", "bodies": "killed", "corpses": "killed", "killed": "killed",
    "injured": "injured", "wounded": "injured", "injuries": "injured", "hurt": "injured",
}
# "lives" is a toll only after a verb of loss ("claimed 25 lives", "the loss of 50 lives").
LIFE_NOUNS = frozenset({"lives", "life"})
LIFE_CUES = frozenset({"claim", "claimed", "claims", "claiming", "loss", "lost", "cost",
                       "costing", "took", "taken", "taking", "take", "costs"})

# Verbs and adjectives after a victim phrase ("were killed", "died").
AFTER_CUES: dict[str, Metric] = {
    "killed": "killed", "dead": "killed", "died": "killed", "die": "killed",
    "perished": "killed", "slain": "killed", "murdered": "killed", "executed": "killed",
    "massacred": "killed", "drowned": "killed", "martyred": "killed", "beheaded": "killed",
    "lynched": "killed", "electrocuted": "killed",
    "injured": "injured", "wounded": "injured", "hurt": "injured", "hospitalised": "injured",
    "hospitalized": "injured", "maimed": "injured",
}
# Auxiliaries and adverbs allowed between a victim phrase and its verb.
AUX = frozenset({
    "were", "was", "are", "is", "have", "has", "had", "been", "being", "be", "also", "all",
    "reportedly", "later", "allegedly", "confirmed", "believed", "feared", "reported", "said",
    "to", "who", "that", "subsequently", "then", "since", "now", "both", "either", "shot",
    "badly", "seriously", "critically", "severely", "slightly", "fatally",
    "gravely", "lightly", "mortally", "left", "found", "got", "get", "among", "not",
    "burned", "burnt", "stabbed", "hacked", "crushed", "beaten", "stoned",
    "trapped", "presumed", "declared", "pronounced", "initially", "so", "far", "in", "total",
    "altogether", "each", "respectively", "more", "other", "others",
})
STOP_AUX = frozenset({"not", "no", "never"})

# Verbs before a number that make it a toll ("killing 12", "wounded dozens").
BEFORE_CUES: dict[str, Metric] = {
    "killed": "killed", "killing": "killed", "kills": "killed", "kill": "killed",
    "claimed": "killed", "claiming": "killed", "claim": "killed", "claims": "killed",
    "left": "killed", "leaving": "killed", "massacred": "killed", "slaughtered": "killed",
    "executed": "killed", "murdered": "killed", "shot": "injured", "beheaded": "killed",
    "stabbed": "injured", "stabbing": "injured", "lynched": "killed",
    "beheading": "killed", "slaying": "killed", "slew": "killed",
    "injured": "injured", "injuring": "injured", "injures": "injured", "injure": "injured",
    "wounded": "injured", "wounding": "injured", "wounds": "injured", "wound": "injured",
    "hurt": "injured", "hurting": "injured", "maiming": "injured", "maimed": "injured",
}
# "left", "leaving" and "claimed" set no metric by themselves: the noun after the number does.
WEAK_BEFORE = frozenset({"left", "leaving", "claimed", "claiming", "claim", "claims"})
# Attacks a victim may survive: injured, unless "to death" or "dead" follows ("shot dead").
NONFATAL = frozenset({"shot", "stabbed", "stabbing"})
# Fatal words after a non-fatal verb ("shot dead", "stabbed to death", "shot ... and died").
FATAL_AFTER = frozenset({"dead", "death", "died", "killed", "succumbed", "fatally"})
# Nouns followed by "of" or "to" then the victims ("the death of a woman", "injuries to 30").
OF_CUES: dict[str, Metric] = {
    "death": "killed", "deaths": "killed", "killing": "killed", "killings": "killed",
    "loss": "killed", "murder": "killed", "lives": "killed", "martyrdom": "killed",
    "injury": "injured", "injuries": "injured", "injuring": "injured", "wounding": "injured",
    "bodies": "killed", "remains": "killed", "corpses": "killed",
}

# Toll subjects: the number reached by a verb after them is the toll.
TOLL_KILLED = frozenset({"toll", "dead", "deaths", "killed", "fatalities", "martyrs",
                         "victims", "died", "fatality", "lives"})
TOLL_INJURED = frozenset({"injured", "wounded", "injuries", "hurt"})
TOLL_VERBS = frozenset({"rose", "risen", "rises", "rising", "climbed", "climbs", "increased",
                        "jumped", "reached", "reaches", "hit", "hits", "passed", "surpassed",
                        "exceeded", "mounted", "grew", "grown", "bringing", "brought", "brings",
                        "stands", "stood", "stand", "is", "was", "now", "to", "at", "of",
                        "topped", "crossed", "soared", "doubled", "raised", "raising", "has",
                        "had", "been", "reportedly", "further", "climbing", "increasing",
                        "passes", "tops", "nears", "neared", "exceeds", "surpasses", "crosses",
                        "soars", "jumps", "mounts", "grows", "reach", "rise", "climb", "top",
                        "pass", "exceed", "surpass"})
RISE_WORDS = frozenset({"rose", "risen", "rises", "rising", "climbed", "climbs", "increased",
                        "jumped", "reached", "reaches", "mounted", "grew", "grown", "bringing",
                        "brought", "brings", "stands", "stood", "topped", "crossed", "soared",
                        "raised", "raising", "climbing", "increasing", "surpassed", "passed",
                        "exceeded", "hit", "hits", "passes", "tops", "nears", "neared",
                        "exceeds", "surpasses", "crosses", "soars", "jumps", "mounts", "grows",
                        "reach", "rise", "climb", "top", "pass", "exceed", "surpass"})

# Nouns that make the number before them something other than victims.
TRAP_NOUNS = frozenset({
    "airstrikes", "airstrike", "strikes", "strike", "raids", "raid", "attacks", "attack",
    "rockets", "missiles", "shells", "drones", "bombs", "explosions", "blasts", "sorties",
    "towns", "villages", "cities", "locations", "areas", "sites", "homes", "houses",
    "buildings", "hospitals", "schools", "mosques", "camps", "provinces", "districts",
    "neighbourhoods", "neighborhoods", "regions", "countries", "states", "km", "kilometres",
    "kilometers", "miles", "metres", "meters", "percent", "per", "%", "years", "year",
    "months", "month", "weeks", "week", "days", "day", "hours", "hour", "minutes", "decades",
    "views", "comments", "comment", "sources", "times", "tonnes", "tons", "dollars",
    "vehicles", "cars", "trucks", "tanks", "aircraft", "jets", "planes", "helicopters",
    "hectares", "acres", "points", "pages", "votes", "seats", "magnitude", "degrees",
    "tents", "shelters", "positions", "targets", "incidents", "cases",
    "boats", "ships", "trains", "buses", "companies", "battalions",
    "brigades", "divisions", "units", "groups", "militias", "factions", "am", "pm", "gmt",
    "bn", "billion", "floors", "storeys", "stories", "rounds", "shots", "bullets", "mortar",
    "mortars", "artillery", "fronts", "roads", "bridges", "crossings", "tunnels", "wells",
    "nights", "nations", "ministers", "statements", "reports", "videos", "photos", "cents",
})

# States of people that are not casualties: "thousands more missing", "200 displaced".
NOT_VICTIMS = frozenset({
    "missing", "homeless", "evacuated", "rescued", "arrested", "detained", "abducted",
    "kidnapped", "unaccounted", "displaced", "stranded", "trapped", "survivors", "survived",
    "freed", "released", "captured", "fled", "evacuees", "affected",
})

VICTIM_GROUP_WORDS = PERSON_GROUPS | SINGULAR_GROUPS
ROLE_SUFFIX = re.compile(r"(?:er|or|ist|ian|ant|ent|man|woman|wife|ee)$")

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}

# Every rule needs one of these word starts in the sentence (matched on lower-cased text); the
# other sentences are skipped unread, which is most of an article.
# The look-ahead names the letters those words start with, so most positions fail at once.
CASUALTY_WORDS = re.compile(
    r"(?=[bcdefghiklmprstvw])\b(?:kill|dead|death|died|die\b|injur|wound|hurt|martyr|lives\b"
    r"|life\b|bod(?:y|ies)|toll|casualt|fatalit|perish|drown|behead|massacr|slain|slaughter|victim|murder|execut"
    r"|corpse|remains|maim|hospitali|slew|slaying|lost\b|claim|stab|shot\b|lynch|gunned"
    r"|electrocut)"
)
# The same words as (stem, whether the word must end there), for a scan by ``str.find``: each
# stem is sought once over the whole document, which is several times quicker than the pattern.
CASUALTY_STEMS: tuple[tuple[str, bool], ...] = (
    ("kill", False), ("dead", False), ("death", False), ("died", False), ("die", True),
    ("injur", False), ("wound", False), ("hurt", False), ("martyr", False), ("lives", True),
    ("life", True), ("body", False), ("bodies", False), ("toll", False), ("casualt", False),
    ("fatalit", False), ("perish", False), ("drown", False), ("behead", False),
    ("massacr", False), ("slain", False), ("slaughter", False), ("victim", False),
    ("murder", False), ("execut", False), ("corpse", False), ("remains", False), ("maim", False),
    ("hospitali", False), ("slew", False), ("slaying", False), ("lost", True), ("claim", False),
    ("stab", False), ("shot", True), ("lynch", False), ("gunned", False), ("electrocut", False),
)
