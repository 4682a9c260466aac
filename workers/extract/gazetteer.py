"""The place gazetteer: names and admin hierarchy loaded from package data, looked up by key.

Place ids (see ``tools/build_gazetteer.py`` for how each is made):

- ``cc:SY``            a country (ISO 3166-1 alpha-2)
- ``a1:UA.07``         a GeoNames admin1 unit (every country except Syria)
- ``ocha:SY07``        Syrian admin units by OCHA P-code (admin1 ``SY##``, admin2 ``SY####``,
                       admin3 ``SY######``), ``ocha:C####`` communities, ``ocha:C1001####``
                       Damascus neighbourhoods
- ``gn:169389``        a GeoNames populated place that is not an OCHA community
- ``wof:421193661``    a Who's On First Syrian locality with no GeoNames id
- ``reg:SY.jabal-al-zawiya``  a curated region (terrain or area that news names as a place)

A Syrian town known to both OCHA and GeoNames is one place under its OCHA id, with the
GeoNames and WOF spellings as its aliases. Display names are Latin-script: where OCHA spells
a unit's name its own way, GeoNames' common English form is shown ("Idlib", "Deir ez-Zor";
"Idleb" stays an alias), and a place named like such a unit inside it shows the same form.
"""

from __future__ import annotations

import functools
import gzip
import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

from workers import records

DATA_PACKAGE = "workers.extract.data"
PLACES_FILE = "places.tsv.gz"
COMMON_WORDS_FILE = "common_words.txt"

ARTICLES = frozenset({"al", "el", "an", "ar", "as", "ash", "at", "az", "ad"})
# In the loose key every Arabic article goes, wherever it stands, with its assimilated forms.
LOOSE_ARTICLES = ARTICLES | {"ez", "es", "ed", "et", "en", "er", "ul", "il", "l"}
_DROP = frozenset("'’‘`´ʼʻʿʾ′")
_FOLD = str.maketrans({"ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ı": "i",
                       "ð": "d", "þ": "th", "ħ": "h"})
_VOWELS = frozenset("aeiou")
LEVEL_ORDER: dict[str, int] = {"country": 0, "admin1": 1, "region": 2, "admin2": 3, "admin3": 4,
                               "locality": 5, "neighbourhood": 6}


def _fold(text: str) -> str:
    if text.isascii():  # most news words: no accents to strip, nothing for _FOLD to map
        return text.lower().replace("'", "").replace("`", "")
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c) and c not in _DROP)


def normalize_token(token: str) -> str:
    """Fold one word: lower-case, no accents, no apostrophes or ayn marks."""
    return _fold(token).translate(_FOLD)


def normalize(name: str) -> str:
    """The matching key of a name: folded, punctuation to spaces, leading article dropped.

    "Al-Nayrab" -> "nayrab", "Kafr Ta‘āl" -> "kafr taal", "Deir ez-Zor" -> "deir ez zor".
    """
    folded = _fold(name)
    tokens = "".join(c if c.isalnum() else " " for c in folded).split()
    if len(tokens) > 1 and tokens[0] in ARTICLES:
        tokens = tokens[1:]
    return " ".join(tokens)


def _skeleton(token: str) -> str:
    """A word's consonant skeleton, so that vowel spellings and diphthongs compare equal."""
    if len(token) > 2 and token.endswith("h") and token[-2] in _VOWELS:
        token = token[:-1]  # ta marbuta: Raqqah / Raqqa
    token = token.replace("q", "k").replace("ph", "f").replace("dh", "d")
    if "g" in token:  # Egyptian and Sudanese write jim as g (Gezira / Al Jazirah); gh is ghayn
        token = token.replace("gh", "\0").replace("g", "j").replace("\0", "gh")
    out: list[str] = []
    for i, c in enumerate(token):
        nxt = token[i + 1] if i + 1 < len(token) else ""
        prev = token[i - 1] if i else ""
        if c in _VOWELS:
            continue
        # y and w after a vowel and before a consonant are diphthongs (Dayr/Deir, Zawr/Zour)
        if c in "yw" and prev in _VOWELS and nxt not in _VOWELS:
            continue
        if c == "y" and nxt not in _VOWELS:
            continue
        if out and out[-1] == c:
            continue
        out.append(c)
    return "".join(out)


@functools.lru_cache(maxsize=1 << 15)
def loose_piece(word: str) -> str:
    """One word's share of a loose key (cached: the finder asks for the same words often)."""
    return join_loose(_skeleton(t) for t in normalize(word).split() if t not in LOOSE_ARTICLES)


def join_loose(pieces: Iterable[str]) -> str:
    """The loose key of a name from its words' pieces: doubled letters across joins collapse.

    Each piece (a ``_skeleton`` or a ``loose_piece``) has no doubled letter of its own.
    """
    out = ""
    for piece in pieces:
        out += piece[1:] if out and piece[:1] == out[-1] else piece
    return out


def loose_key(name: str) -> str:
    """A looser key for Arabic transliteration variants, used only when the exact key misses.

    Articles anywhere go (sun-letter forms too), word breaks go, doubled letters collapse and
    vowels are ignored: "Kafrta'al" and "Kafr Ta‘āl" -> "kfrtl", "Deir el-Zour" and
    "Deir ez-Zor" -> "drzr".
    """
    return join_loose(_skeleton(t) for t in normalize(name).split() if t not in LOOSE_ARTICLES)


@dataclass(frozen=True, slots=True)
class _Row:
    id: str
    level: records.PlaceLevel
    country_code: str
    admin_ids: tuple[str, ...]
    lat: float | None
    lon: float | None
    population: int
    name: str


def prominence(level: str, population: int) -> float:
    """How prominent a place is, for picking among homonyms: admin rank, then population."""
    base = {"country": 30.0, "admin1": 16.0, "region": 16.0, "admin2": 14.0, "admin3": 12.0,
            "locality": 8.0}.get(level, 6.0)
    # a city of a million outranks a foreign province of the same name (Moscow, Gaza)
    return base + 1.5 * math.log10(population + 1)


def _index_add(index: dict[str, int | tuple[int, ...]], key: str, idx: int) -> None:
    # Most keys name one place: an int instead of a list keeps the index small and quick to build.
    old = index.get(key)
    if old is None:
        index[key] = idx
    elif isinstance(old, int):
        index[key] = (old, idx)
    else:
        index[key] = (*old, idx)


def _index_get(index: dict[str, int | tuple[int, ...]], key: str) -> tuple[int, ...]:
    found = index.get(key)
    if found is None:
        return ()
    return (found,) if isinstance(found, int) else found


class Gazetteer:
    """Every known place, with an exact-key index and a loose-key fallback index.

    Rows stay as raw text until a place is asked for, so loading is one pass over the keys.
    """

    def __init__(self, lines: Sequence[str], common_words: frozenset[str]) -> None:
        self._lines: list[str] = []
        self._rows: dict[int, _Row] = {}
        self._by_id: dict[str, int] | None = None
        self._exact: dict[str, int | tuple[int, ...]] = {}
        self._loose: dict[str, int | tuple[int, ...]] = {}
        self._places: dict[int, records.Place] = {}
        self._prominence: dict[str, float] = {}
        self._population: dict[str, int] = {}  # by place id, for the places asked about
        # Ranked candidate lists per key, built once: the finder asks for the same names often.
        self._ranked_exact = functools.lru_cache(maxsize=1 << 14)(self._rank_exact)
        self._ranked_loose = functools.lru_cache(maxsize=1 << 14)(self._rank_loose)
        self._candidates = functools.lru_cache(maxsize=1 << 14)(self._find)
        self.loose_run = functools.lru_cache(maxsize=1 << 15)(self._loose_run)
        self.first_tokens: dict[str, int] = {}
        self.common_words = common_words
        loose_countries: set[str] = set()
        exact, loose, widths = self._exact, self._loose, self.first_tokens
        for idx, line in enumerate(lines):
            keys, loose_keys, rest = line.split("\t", 2)
            self._lines.append(rest)
            for key in keys.split("|"):
                _index_add(exact, key, idx)
                first, _, tail = key.partition(" ")
                width = tail.count(" ") + 2 if tail else 1
                if widths.get(first, 0) < width:
                    widths[first] = width
            if loose_keys:
                loose_countries.add(rest.split("\t", 3)[2])
                for key in loose_keys.split("|"):
                    _index_add(loose, key, idx)
        # Countries with any loose key: for a story elsewhere the loose fallback finds nothing.
        self.loose_countries = frozenset(loose_countries)

    def _row(self, idx: int) -> _Row:
        row = self._rows.get(idx)
        if row is None:
            pid, level, cc, admin, lat, lon, pop, name = self._lines[idx].split("\t")
            row = _Row(pid, level, cc, tuple(admin.split("|")) if admin else (),  # type: ignore[arg-type]
                       float(lat) if lat else None, float(lon) if lon else None,
                       int(pop or 0), name)
            self._rows[idx] = row
        return row

    def _index_of(self, place_id: str) -> int:
        if self._by_id is None:
            self._by_id = {line.partition("\t")[0]: i for i, line in enumerate(self._lines)}
        return self._by_id[place_id]

    def __len__(self) -> int:
        return len(self._lines)

    def _place(self, idx: int) -> records.Place:
        place = self._places.get(idx)
        if place is None:
            row = self._row(idx)
            names = tuple(self._row(self._index_of(a)).name for a in row.admin_ids)
            place = records.Place(id=row.id, name=row.name, level=row.level,
                                  country_code=row.country_code, admin_ids=row.admin_ids,
                                  admin_names=names, lat=row.lat, lon=row.lon)
            self._places[idx] = place
        return place

    def population(self, place_id: str) -> int:
        """The population recorded for a place (0 when unknown)."""
        found = self._population.get(place_id)
        if found is None:
            found = self._population[place_id] = self._row(self._index_of(place_id)).population
        return found

    def prominence(self, place: records.Place) -> float:
        """How prominent ``place`` is: admin rank first, then population."""
        found = self._prominence.get(place.id)
        if found is None:
            found = self._prominence[place.id] = prominence(place.level,
                                                            self.population(place.id))
        return found

    def get(self, place_id: str) -> records.Place:
        """The place with this id; KeyError if there is none."""
        return self._place(self._index_of(place_id))

    def _ranked(self, indices: Sequence[int]) -> tuple[records.Place, ...]:
        rows = sorted(indices, key=lambda i: -prominence(self._row(i).level,
                                                         self._row(i).population))
        return tuple(self._place(i) for i in rows)

    def _rank_exact(self, key: str) -> tuple[records.Place, ...]:
        return self._ranked(_index_get(self._exact, key))

    def _rank_loose(self, key: str) -> tuple[records.Place, ...]:
        return self._ranked(_index_get(self._loose, key))

    def candidates(self, key: str) -> Sequence[records.Place]:
        """Places whose name or alias has this key (normalized here), most prominent first."""
        return self._candidates(key)

    def _find(self, key: str) -> tuple[records.Place, ...]:
        key = normalize(key)
        return self._ranked_exact(key) if key in self._exact else ()

    def loose_candidates(self, key: str) -> Sequence[records.Place]:
        """Places whose loose key equals the loose key of ``key``, most prominent first."""
        return self.loose_lookup(loose_key(key))

    def loose_lookup(self, loose: str) -> Sequence[records.Place]:
        """Places with this (already computed) loose key, most prominent first."""
        if len(loose) < 3 or loose not in self._loose:
            return ()
        return self._ranked_loose(loose)

    def _loose_run(self, pieces: tuple[str, ...]) -> Sequence[records.Place]:
        """Places whose loose key is that of a run of words with these ``loose_piece``s.

        Bound per instance as ``loose_run``, cached: the finder tries the same runs often.
        """
        return self.loose_lookup(pieces[0] if len(pieces) == 1 else join_loose(pieces))

    def exact_names(self, key: str) -> Sequence[records.Place]:
        """``candidates(key)`` when some place has exactly this (already normalized) key, else
        nothing: one lookup for the finder, which tries many keys no place has."""
        return self._candidates(key) if key in self._exact else ()

    def has_key(self, key: str) -> bool:
        """True if some place has exactly this (already normalized) key."""
        return key in self._exact

    def resolve(self, name: str, *, level: records.PlaceLevel | None = None,
                country: str | None = None) -> records.Place | None:
        """The place a person means by ``name`` (for watch configuration).

        Exact keys first, then the loose key; filtered by ``level`` and ``country``; the most
        prominent remaining place wins (a country over a province over a town).
        """
        for found in (self.candidates(name), self.loose_candidates(name)):
            fits = [p for p in found if (level is None or p.level == level)
                    and (country is None or p.country_code == country.upper())]
            if fits:
                return fits[0]
        return None


def _read_lines(name: str) -> list[str]:
    data = resources.files(DATA_PACKAGE).joinpath(name).read_bytes()
    if name.endswith(".gz"):
        data = gzip.decompress(data)
    return data.decode("utf-8").splitlines()


@functools.cache
def load_gazetteer() -> Gazetteer:
    """The gazetteer built from this package's data, loaded once per process."""
    lines = _read_lines(PLACES_FILE)
    words = frozenset(w for w in _read_lines(COMMON_WORDS_FILE) if w and not w.startswith("#"))
    return Gazetteer(lines[1:], words)
