"""Build the packaged gazetteer (workers/extract/data/) from the source tables in shared/gazetteer.

Run: ``.venv/bin/python tools/build_gazetteer.py [--src ../shared/gazetteer]``. The output is
deterministic for the same inputs. Country names come from Debian's iso-codes
(/usr/share/iso-codes/json/iso_3166-1.json) plus the hand aliases below; the common-word list
comes from /usr/share/dict/words (Debian wamerican), cut down to words that are also place keys.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import math
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workers.extract.gazetteer import COMMON_WORDS_FILE, PLACES_FILE, loose_key, normalize

OUT = Path(__file__).resolve().parents[1] / "workers" / "extract" / "data"
ISO_JSON = Path("/usr/share/iso-codes/json/iso_3166-1.json")
WORDS = Path("/usr/share/dict/words")
ATTRIBUTION = (
    "Contains data from GeoNames (CC BY 4.0), Who's On First (CC0/CC BY), and OCHA Syria\n"
    "COD via HDX (CC BY-IGO).\n"
)

# Names news uses for countries that ISO's own names miss. General, not article-specific.
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "RU": ("Russia",), "GB": ("Britain", "Great Britain", "England", "Scotland", "Wales"),
    "US": ("United States of America", "America"), "CD": ("Democratic Republic of the Congo",
    "Democratic Republic of Congo", "DR Congo", "Congo-Kinshasa"),
    "CG": ("Republic of the Congo", "Congo-Brazzaville"), "CI": ("Ivory Coast",),
    "PS": ("Palestine", "Palestinian Territories", "occupied Palestinian territory"),
    "MM": ("Burma",), "TR": ("Turkey", "Türkiye"), "CZ": ("Czech Republic", "Czechia"),
    "KP": ("North Korea",), "KR": ("South Korea",), "MK": ("Macedonia", "North Macedonia"),
    "CV": ("Cape Verde",), "SZ": ("Swaziland",), "TL": ("East Timor",), "VA": ("Vatican",),
    "MD": ("Moldova",), "FM": ("Micronesia",), "LY": ("Libya",), "SY": ("Syria",),
    "IR": ("Iran",), "VE": ("Venezuela",), "TZ": ("Tanzania",), "LA": ("Laos",),
    "BO": ("Bolivia",), "VN": ("Vietnam",), "TW": ("Taiwan",), "NL": ("Holland",),
}
COUNTRY_ACRONYMS: dict[str, tuple[str, ...]] = {
    "US": ("US", "USA", "U.S."), "GB": ("UK", "U.K."), "CD": ("DRC",), "AE": ("UAE",),
    "CF": ("CAR",),
}
EXTRA_COUNTRIES = {"XK": "Kosovo"}

# (country, admin1 id or "", slug, names): areas news treats as places but P/A tables lack.
REGIONS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("SY", "ocha:SY07", "jabal-al-zawiya", ("Jabal al-Zawiya", "Jabal Zawiya", "Jebel Zawiya",
                                             "Jabal al-Zawiyah", "Jebel al-Zawiya")),
    ("SY", "ocha:SY07", "jabal-al-arbaeen", ("Jabal al-Arbaeen", "Jabal al-Arba'in",
                                              "Jebel al-Arbaeen", "Jabal Arbaeen")),
    ("SY", "ocha:SY05", "sahl-al-ghab", ("Sahl al-Ghab", "Al-Ghab Sahl", "Ghab Plain",
                                          "al-Ghab plain", "Ghab")),
    ("SY", "ocha:SY03", "eastern-ghouta", ("Eastern Ghouta", "East Ghouta", "Ghouta")),
    ("SY", "ocha:SY06", "jabal-al-akrad", ("Jabal al-Akrad", "Jebel al-Akrad")),
    ("SY", "ocha:SY06", "jabal-al-turkman", ("Jabal al-Turkman", "Jebel Turkman")),
    ("SY", "", "golan-heights", ("Golan Heights", "Golan")),
    ("UA", "", "donbas", ("Donbas", "Donbass")),
    ("SD", "", "darfur", ("Darfur",)), ("SD", "", "kordofan", ("Kordofan",)),
    ("SD", "a1:SD.47", "west-darfur", ("West Darfur",)),
    ("SD", "a1:SD.49", "south-darfur", ("South Darfur",)),
    ("SD", "a1:SD.55", "north-darfur", ("North Darfur",)),
    ("SD", "a1:SD.60", "east-darfur", ("East Darfur",)),
    ("SD", "a1:SD.50", "south-kordofan", ("South Kordofan",)),
    ("EG", "", "sinai", ("Sinai", "Sinai Peninsula", "North Sinai")),
    ("AZ", "", "nagorno-karabakh", ("Nagorno-Karabakh", "Karabakh")),
    ("IN", "", "kashmir", ("Kashmir", "Jammu and Kashmir")),
    ("IQ", "", "kurdistan-region", ("Kurdistan Region", "Iraqi Kurdistan")),
    ("ML", "", "central-sahel-mali", ("Liptako-Gourma",)),
    ("NG", "", "lake-chad-basin", ("Lake Chad Basin",)),
    ("YE", "", "red-sea-coast", ("Tihama", "Tihamah")),
)
ADMIN_SUFFIXES = (" oblast", " province", " governorate", " region", " state", " district",
                  " prefecture", " department", " county", " city", " muhafazat", " division",
                  " territory", " municipality", " autonomous republic", " kray", " krai")


@dataclass
class Entry:
    """One place being built: its row fields and the names that will become its keys."""

    id: str
    level: str
    cc: str
    admin: tuple[str, ...]
    lat: str
    lon: str
    pop: int
    name: str
    names: list[str] = field(default_factory=list)
    acronyms: list[str] = field(default_factory=list)
    display_pool: list[str] = field(default_factory=list)  # display names, not keys


def tsv(path: Path) -> Iterator[dict[str, str]]:
    """Rows of a headed TSV file."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)


def plain(path: Path) -> Iterator[list[str]]:
    """Rows of a headerless GeoNames table."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            yield line.rstrip("\n").split("\t")


def strip_suffix(name: str) -> str:
    """'Kharkiv Oblast' -> 'Kharkiv'; names without an admin suffix come back unchanged."""
    low = name.lower()
    for suffix in ADMIN_SUFFIXES:
        if low.endswith(suffix) and len(name) > len(suffix) + 2:
            return name[: -len(suffix)]
    return name


def uncomma(name: str) -> str:
    """ISO's inverted names read forwards: 'Korea, Republic of' -> 'Republic of Korea'."""
    head, sep, tail = name.partition(", ")
    return f"{tail} {head}" if sep else name


def countries() -> list[Entry]:
    """One entry per ISO country, with common and official names and news aliases."""
    data = json.loads(ISO_JSON.read_text(encoding="utf-8"))["3166-1"]
    out = []
    for c in data:
        cc = c["alpha_2"]
        names = [c.get("common_name", ""), c["name"], c.get("official_name", "")]
        names = [uncomma(n) for n in names if n] + list(COUNTRY_ALIASES.get(cc, ()))
        out.append(Entry(f"cc:{cc}", "country", cc, (), "", "", 0, names[0], names,
                         list(COUNTRY_ACRONYMS.get(cc, ()))))
    out += [Entry(f"cc:{cc}", "country", cc, (), "", "", 0, n, [n])
            for cc, n in EXTRA_COUNTRIES.items()]
    return out


def world_admin1(src: Path) -> list[Entry]:
    """GeoNames admin1 units outside Syria (Syria's come from OCHA)."""
    out = []
    for code, name, ascii_name, _gid in plain(src / "geonames_admin1CodesASCII.txt"):
        cc = code.split(".")[0]
        if cc == "SY":
            continue
        names = [name, ascii_name, strip_suffix(name), strip_suffix(ascii_name)]
        out.append(Entry(f"a1:{code}", "admin1", cc, (f"cc:{cc}",), "", "", 0, name, names))
    return out


def keep_alias(alias: str) -> bool:
    """Alternate names worth matching: no codes, digits or one-letter fragments."""
    return len(alias) > 2 and not any(ch.isdigit() for ch in alias) and not alias.isupper()


def _names(row: dict[str, str]) -> list[str]:
    """A Syrian table row's name, ASCII name and the Latin alternate names worth keeping."""
    return [row["name"], row["asciiname"], *filter(keep_alias, row["alt_names_latin"].split("|"))]


def world_cities(src: Path, admin1_ids: set[str]) -> list[Entry]:
    """GeoNames cities500 outside Syria; alternate names kept only for towns of some size."""
    out = []
    for r in tsv(src / "geonames_cities500_latin.tsv.gz"):
        cc = r["country_code"]
        if cc == "SY":
            continue
        pop = int(r["population"] or 0)
        a1 = f"a1:{cc}.{r['admin1_code']}"
        admin = (f"cc:{cc}", a1) if a1 in admin1_ids else (f"cc:{cc}",)
        names = [r["name"], r["asciiname"]]
        if pop >= ALIAS_MIN_POP:
            names += [a for a in r["alt_names_latin"].split("|") if keep_alias(a)]
        out.append(Entry(f"gn:{r['geonameid']}", "locality", cc, admin, r["lat"], r["lon"],
                         pop, r["name"], names, display_pool=r["alt_names_latin"].split("|")))
    return out


SYRIA_ROOT = ("cc:SY",)
ALIAS_MIN_POP = 15000
# Countries whose place names are mostly transliterated from Arabic script: the loose key helps
# there and only adds noise elsewhere.
LOOSE_COUNTRIES = frozenset([
    "DZ", "BH", "KM", "DJ", "EG", "IQ", "JO", "KW", "LB", "LY", "MR", "MA", "OM", "PS", "QA",
    "SA", "SO", "SD", "SS", "SY", "TN", "AE", "YE", "EH", "IL", "IR", "AF", "PK", "TD",
])
MERGE_KM = 2.0


def km(lat1: str, lon1: str, lat2: str, lon2: str) -> float:
    """Great-circle distance in kilometres (equirectangular: fine at village scale)."""
    if not (lat1 and lon1 and lat2 and lon2):
        return math.inf
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dx = math.radians(float(lon2) - float(lon1)) * math.cos((p1 + p2) / 2)
    return 6371.0 * math.hypot(dx, p2 - p1)


def same_name(a: Iterable[str], b: Iterable[str]) -> bool:
    """True if some name of ``a`` and some name of ``b`` share an exact or loose key."""
    ka = {normalize(n) for n in a} | {loose_key(n) for n in a}
    return any(normalize(n) in ka or loose_key(n) in ka for n in b)


def latin_primary(r: dict[str, str], names: list[str]) -> list[str]:
    """The record's own Latin names; WOF-only records may carry an Arabic ``name``."""
    own = [n for n in (r["asciiname"], r["name"]) if n and n.isascii()]
    return own or [n for n in names if n and n.isascii()][:2] or [r["name"]]


class Syria:
    """Syria: OCHA admin units and communities, merged with WOF/GeoNames names and ranks."""

    def __init__(self, src: Path) -> None:
        self.src = src
        self.by_id: dict[str, Entry] = {}
        self.gn_to_id: dict[str, str] = {}
        self.gn_admin1: dict[str, str] = {}  # GeoNames "01" -> "ocha:SY08"
        self.loose_index: dict[str, list[Entry]] = {}
        self.renamed: dict[str, tuple[str, str]] = {}  # unit id -> (OCHA key, display name)

    def add(self, e: Entry) -> None:
        """Register an entry."""
        self.by_id[e.id] = e

    def admin_units(self) -> None:
        """OCHA governorates, districts and sub-districts, with GeoNames names as aliases."""
        for r in tsv(self.src / "syria_ocha_admin_units.tsv"):
            code, parent = r["pcode"], r["parent_pcode"]
            chain = SYRIA_ROOT + tuple(f"ocha:{parent[:n]}" for n in (4, 6) if len(parent) >= n)
            level = {"1": "admin1", "2": "admin2", "3": "admin3"}[r["level"]]
            name = r["name_en"]
            self.add(Entry(f"ocha:{code}", level, "SY", chain, "", "", 0, name,
                           [name, strip_suffix(name)]))
        for r in tsv(self.src / "syria_admin_crosswalk.tsv"):
            entry = self.by_id[f"ocha:{r['ocha_pcode']}"]
            gn_name = strip_suffix(r["geonames_name"])
            entry.names += [r["geonames_name"], gn_name]
            if spelling_variant(entry.name, gn_name):
                # OCHA spells some names its own way (Idleb); news writes GeoNames' form (Idlib)
                self.renamed[entry.id] = (normalize(entry.name), gn_name)
                entry.name = gn_name
            if r["level"] == "1":
                self.gn_admin1[r["geonames_code"].split(".")[1]] = entry.id

    def communities(self) -> None:
        """OCHA communities (admin4) and the Damascus neighbourhoods."""
        for r in tsv(self.src / "syria_ocha_admin4_communities.tsv"):
            chain = SYRIA_ROOT + tuple(f"ocha:{r[f'admin{n}_pcode']}" for n in (1, 2, 3))
            e = Entry(f"ocha:{r['pcode']}", "locality", "SY", chain, r["lat"], r["lon"],
                      0, r["name_en"], [r["name_en"], r["name_en_ref"]])
            self.add(e)
            self.loose_index.setdefault(loose_key(e.name), []).append(e)
        damascus = self.by_id["ocha:C1001"]
        for r in tsv(self.src / "syria_ocha_damascus_neighbourhoods.tsv"):
            self.add(Entry(f"ocha:{r['pcode']}", "neighbourhood", "SY",
                           (*damascus.admin, damascus.id), r["lat"], r["lon"], 0, r["name_en"],
                           [r["name_en"]]))

    def wof(self) -> None:
        """WOF/GeoNames records: aliases of their OCHA community when they name the same town."""
        for r in tsv(self.src / "syria_places_wof_geonames.tsv"):
            names = _names(r)
            if r["wof_placetype"] == "region" and r["ocha_admin1_pcode"]:
                self.by_id[f"ocha:{r['ocha_admin1_pcode']}"].names += names
                continue
            if (r["wof_placetype"] not in ("locality", "neighbourhood")
                    or r["feature_code"] == "PPLQ"):
                continue
            self.wof_locality(r, names, int(r["population"] or 0))

    def wof_locality(self, r: dict[str, str], names: list[str], pop: int) -> None:
        """Merge one WOF locality into its OCHA community, a twin WOF record, or keep it."""
        near = self.by_id.get(f"ocha:{r['ocha_nearest_pcode']}")
        target = None
        primary = latin_primary(r, names)
        if (near and float(r["ocha_nearest_km"] or "inf") <= MERGE_KM
                and same_name(near.names[:2], primary)):
            target = near
        target = target or self.twin(primary, r["lat"], r["lon"], pop)
        if target is None:
            target = self.standalone(r, pop)
        target.names += names
        target.pop = max(target.pop, pop)
        if r["geonameid"]:
            self.gn_to_id[r["geonameid"]] = target.id

    def twin(self, names: list[str], lat: str, lon: str, pop: int) -> Entry | None:
        """A known place nearby with a name of the same loose key (cities spread wider)."""
        radius = 8.0 if pop >= 50000 else MERGE_KM
        for key in dict.fromkeys(loose_key(n) for n in names):
            for e in self.loose_index.get(key, ()):
                if km(e.lat, e.lon, lat, lon) <= radius:
                    return e
        return None

    def standalone(self, r: dict[str, str], pop: int) -> Entry:
        """A WOF locality that is no OCHA community: placed in the OCHA hierarchy."""
        chain = SYRIA_ROOT + tuple(f"ocha:{r[f'ocha_admin{n}_pcode']}" for n in (1, 2, 3)
                                   if r[f"ocha_admin{n}_pcode"])
        if len(chain) == 1 and r["gn_admin1_code"] in self.gn_admin1:
            chain += (self.gn_admin1[r["gn_admin1_code"]],)
        pid = f"gn:{r['geonameid']}" if r["geonameid"] else f"wof:{r['wof_id']}"
        e = Entry(pid, "locality", "SY", chain, r["lat"], r["lon"], pop,
                  latin_primary(r, [r["name"], *r["alt_names_latin"].split("|")])[0])
        self.add(e)
        self.loose_index.setdefault(loose_key(e.name), []).append(e)
        return e

    def cities500(self) -> None:
        """The Syrian rows of cities500: population and names for places already known."""
        for r in tsv(self.src / "geonames_cities500_latin.tsv.gz"):
            if r["country_code"] != "SY":
                continue
            pop = int(r["population"] or 0)
            names = _names(r)
            known = self.gn_to_id.get(r["geonameid"])
            e = self.by_id[known] if known else self.twin(names[:2], r["lat"], r["lon"], pop)
            if e is not None:
                e.names += names
                e.pop = max(e.pop, pop)
                continue
            chain = SYRIA_ROOT + ((self.gn_admin1[r["admin1_code"]],)
                                  if r["admin1_code"] in self.gn_admin1 else ())
            self.add(Entry(f"gn:{r['geonameid']}", "locality", "SY", chain, r["lat"], r["lon"],
                           pop, r["name"], names))


    def exonyms(self) -> None:
        """A place named like a renamed unit it lies in takes that unit's display name too
        (Idleb city and sub-district become Idlib with their governorate)."""
        for e in self.by_id.values():
            if e.id in self.renamed:
                continue
            key = normalize(e.name)
            for unit in reversed(e.admin):
                old_key, display = self.renamed.get(unit, ("", ""))
                if old_key == key:
                    e.name = display
                    break


def syria(src: Path) -> list[Entry]:
    """Every Syrian entry, OCHA first."""
    s = Syria(src)
    s.admin_units()
    s.communities()
    s.wof()
    s.cities500()
    s.exonyms()
    return list(s.by_id.values())


def spelling_variant(ocha: str, geonames: str) -> bool:
    """True if GeoNames' ASCII name spells the OCHA name differently (same loose key)."""
    return (geonames.isascii() and geonames != ocha
            and loose_key(geonames) == loose_key(ocha))


def is_latin(name: str) -> bool:
    """True if ``name`` has letters and every one is Latin (modifier apostrophes count)."""
    return any(c.isalpha() for c in name) and all(
        not c.isalpha() or unicodedata.name(c, "").startswith(("LATIN", "MODIFIER"))
        for c in name)


def latin_display(entries: list[Entry]) -> None:
    """Give every entry a Latin display name: non-Latin names stay as aliases only.

    GeoNames sometimes lists several names in one ("Ryasno, Рясно, Расна"): each part counts.
    """
    for e in entries:
        if not is_latin(e.name):
            parts = (p.strip() for n in (*e.names, *e.display_pool) for p in n.split(","))
            e.name = next((p for p in parts if is_latin(p)), e.name)


def main(argv: Iterable[str] | None = None) -> None:
    """Build places.tsv.gz, common_words.txt and ATTRIBUTION.txt."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--src", type=Path,
                        default=Path(__file__).resolve().parents[2] / "shared" / "gazetteer")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(list(argv) if argv is not None else None)
    entries = countries()
    admin1 = world_admin1(args.src)
    entries += admin1
    entries += syria(args.src)
    entries += regions()
    entries += world_cities(args.src, {e.id for e in admin1})
    latin_display(entries)
    write(entries, args.out)


def regions() -> list[Entry]:
    """The curated region list."""
    return [Entry(f"reg:{cc}.{slug}", "region", cc, tuple(x for x in (f"cc:{cc}", a1) if x),
                  "", "", 0, names[0], list(names)) for cc, a1, slug, names in REGIONS]


def keys_of(entry: Entry) -> tuple[list[str], list[str]]:
    """The exact and loose keys of an entry, de-duplicated, in first-seen order."""
    exact = list(dict.fromkeys(k for k in (normalize(n) for n in entry.names) if k))
    exact += [f"={a}" for a in entry.acronyms]
    if entry.cc not in LOOSE_COUNTRIES or entry.level == "country":
        return exact, []
    loose = list(dict.fromkeys(k for k in (loose_key(n) for n in entry.names) if len(k) >= 3))
    return exact, loose


def write(entries: list[Entry], out: Path) -> None:
    """Write the package data files."""
    out.mkdir(parents=True, exist_ok=True)
    lines = ["keys\tloose\tid\tlevel\tcc\tadmin\tlat\tlon\tpop\tname"]
    single: set[str] = set()
    loose_all: set[str] = set()
    for e in entries:
        exact, loose = keys_of(e)
        single.update(k for k in exact if " " not in k)
        loose_all.update(loose)
        lines.append("\t".join(("|".join(exact), "|".join(loose), e.id, e.level, e.cc,
                                "|".join(e.admin), e.lat, e.lon, str(e.pop), e.name)))
    body = ("\n".join(lines) + "\n").encode("utf-8")
    (out / PLACES_FILE).write_bytes(gzip.compress(body, compresslevel=9, mtime=0))
    lower = {w.strip() for w in WORDS.read_text(encoding="utf-8").splitlines()
             if w.strip().isalpha() and w.strip().islower()}
    words = sorted((lower & single) | {w for w in lower if loose_key(w) in loose_all})
    header = "# lower-case English words (wamerican) that are also place keys or loose keys\n"
    (out / COMMON_WORDS_FILE).write_text(header + "\n".join(words) + "\n", encoding="utf-8")
    (out / "ATTRIBUTION.txt").write_text(ATTRIBUTION, encoding="utf-8")
    print(f"{len(entries)} places, {len(words)} common-word keys -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
