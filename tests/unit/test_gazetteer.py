"""The gazetteer: keys, transliteration variants, hierarchy, and global coverage."""

from __future__ import annotations

import unicodedata

import pytest

from workers.extract.gazetteer import (
    PLACES_FILE,
    Gazetteer,
    _read_lines,
    load_gazetteer,
    loose_key,
    normalize,
)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Al-Nayrab", "nayrab"),
        ("Kafr Ta‘āl", "kafr taal"),
        ("Deir ez-Zor", "deir ez zor"),
        ("Ma'arrat al-Nu'man", "maarrat al numan"),
        ("ash-Shaykh Maqsud", "shaykh maqsud"),
        ("Al", "al"),
        ("Köln", "koln"),
    ],
)
def test_normalize(name: str, key: str) -> None:
    assert normalize(name) == key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Nubl", "Nubul"),
        ("Nairab", "Al-Nayrab"),
        ("Idleb", "Idlib"),
        ("Deir ez-Zor", "Deir el-Zour"),
        ("Kafrta'al", "Kafr Ta‘āl"),
        ("Kharab al-Sheikh", "Kharāb ash Shaykh"),
        ("Raqqa", "Ar-Raqqah"),
    ],
)
def test_loose_key_merges_transliterations(a: str, b: str) -> None:
    assert loose_key(a) == loose_key(b)


def test_loose_key_keeps_different_towns_apart() -> None:
    assert loose_key("Homs") != loose_key("Hama")
    assert loose_key("Sarmin") != loose_key("Saraqib")


@pytest.mark.parametrize(
    ("a", "b"),
    [("Nubl", "Nubul"), ("Nairab", "Al-Nayrab"), ("Idleb", "Idlib"),
     ("Deir ez-Zor", "Deir el-Zour"), ("Kafrta'al", "Kafr Ta'al")],
)
def test_variants_resolve_to_one_place(gaz: Gazetteer, a: str, b: str) -> None:
    pa = gaz.resolve(a, level="locality", country="SY")
    pb = gaz.resolve(b, level="locality", country="SY")
    assert pa is not None
    assert pa == pb


def test_governorate_and_city(gaz: Gazetteer) -> None:
    province = gaz.resolve("Idlib", level="admin1")
    city = gaz.resolve("Idlib", level="locality")
    assert province is not None and city is not None
    assert province.id == "ocha:SY07"
    assert city.within(province.id)
    assert gaz.resolve("Idlib") == province  # the most prominent


def test_town_carries_its_governorate(gaz: Gazetteer) -> None:
    sarmin = gaz.resolve("Sarmin", level="locality")
    assert sarmin is not None
    assert sarmin.admin_ids[:2] == ("cc:SY", "ocha:SY07")
    assert sarmin.admin_names[0] == "Syria"
    assert sarmin.admin_names[1] == "Idlib"
    assert sarmin.within("ocha:SY07") and sarmin.within("cc:SY")
    assert not sarmin.within("ocha:SY02")


def test_ocha_and_geonames_records_are_merged(gaz: Gazetteer) -> None:
    # GeoNames 169389 (Idlib city) is an alias of the OCHA community, not a second place
    assert [p.id for p in gaz.candidates("Idlib") if p.level == "locality"] == ["ocha:C3871"]
    assert len([p for p in gaz.candidates("Saraqib") if p.level == "locality"]) == 1


@pytest.mark.parametrize(
    ("name", "country"),
    [
        ("Kharkiv", "UA"), ("Khan Younis", "PS"), ("Rafah", "PS"), ("El Fasher", "SD"),
        ("Goma", "CD"), ("Mogadishu", "SO"), ("Port-au-Prince", "HT"), ("Maiduguri", "NG"),
        ("Mariupol", "UA"), ("Khartoum", "SD"), ("Sanaa", "YE"), ("Kabul", "AF"),
    ],
)
def test_international_towns(gaz: Gazetteer, name: str, country: str) -> None:
    place = gaz.resolve(name, level="locality")
    assert place is not None
    assert place.country_code == country
    assert place.admin_ids[0] == f"cc:{country}"


@pytest.mark.parametrize(
    ("name", "cc"),
    [("Syria", "SY"), ("Russia", "RU"), ("Democratic Republic of the Congo", "CD"),
     ("Ivory Coast", "CI"), ("Palestine", "PS"), ("Sudan", "SD"), ("South Sudan", "SS")],
)
def test_countries(gaz: Gazetteer, name: str, cc: str) -> None:
    assert gaz.resolve(name) == gaz.get(f"cc:{cc}")


def test_every_admin_parent_exists(gaz: Gazetteer) -> None:
    for name in ("Sarmin", "Kharkiv", "Goma", "Jabal al-Zawiya", "Gaza Strip", "Darfur"):
        for place in gaz.candidates(name):
            assert [gaz.get(a).name for a in place.admin_ids] == list(place.admin_names)


def test_unknown_id_and_name(gaz: Gazetteer) -> None:
    with pytest.raises(KeyError):
        gaz.get("gn:0")
    assert gaz.resolve("Xqzzyplace") is None
    assert gaz.resolve("Idlib", level="admin1", country="UA") is None


def _latin(name: str) -> bool:
    return any(c.isalpha() for c in name) and all(
        not c.isalpha() or unicodedata.name(c, "").startswith(("LATIN", "MODIFIER"))
        for c in name)


SYRIAN_GOVERNORATES = {
    "SY01": "Damascus", "SY02": "Aleppo", "SY03": "Rural Damascus", "SY04": "Homs",
    "SY05": "Hama", "SY06": "Latakia", "SY07": "Idlib", "SY08": "Al-Hasakah",
    "SY09": "Deir ez-Zor", "SY10": "Tartus", "SY11": "Ar-Raqqah", "SY12": "Daraa",
    "SY13": "As-Suwayda", "SY14": "Quneitra",
}


@pytest.mark.parametrize(("code", "name"), sorted(SYRIAN_GOVERNORATES.items()))
def test_syrian_governorates_carry_english_names(gaz: Gazetteer, code: str, name: str) -> None:
    place = gaz.get(f"ocha:{code}")
    assert place.level == "admin1"
    assert place.name == name


@pytest.mark.parametrize(
    ("name", "display"),
    [("Aleppo", "Aleppo"), ("Halab", "Aleppo"), ("Deir el-Zour", "Deir ez-Zor"),
     ("Dayr az Zawr", "Deir ez-Zor"), ("Idleb", "Idlib"), ("Idlib", "Idlib"), ("Homs", "Homs"),
     ("Raqqa", "Ar-Raqqah"), ("Hasakah", "Al-Hasakah"), ("Tartous", "Tartus"),
     ("Damascus", "Damascus"), ("Manbij", "Manbij"), ("Latakia", "Latakia")],
)
def test_main_syrian_cities_carry_english_names(gaz: Gazetteer, name: str,
                                                display: str) -> None:
    city = gaz.resolve(name, level="locality", country="SY")
    assert city is not None
    assert city.name == display
    assert all(_latin(n) for n in city.admin_names)


def test_ocha_spellings_stay_aliases(gaz: Gazetteer) -> None:
    assert gaz.resolve("Idleb", level="admin1") == gaz.get("ocha:SY07")
    assert gaz.resolve("Deir-ez-Zor", level="admin1") == gaz.get("ocha:SY09")


def test_place_names_are_latin_script() -> None:
    # A handful of GeoNames villages have no Latin name in any source: Cyrillic only.
    rows = [line.split("\t") for line in _read_lines(PLACES_FILE)[1:]]
    assert len(rows) > 200_000
    non_latin = [(r[2], r[4]) for r in rows if not _latin(r[-1])]
    assert len(non_latin) <= 4, non_latin
    assert {cc for _, cc in non_latin} <= {"RU", "BY", "MK"}
