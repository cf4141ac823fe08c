"""One catalogue of words per language: the same keys and placeholders in both, every key used."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from mlkit.catalogue import en as catalogue_en
from mlkit.catalogue import keys, long_date, number, placeholders, plural, word
from mlkit.catalogue import nl as catalogue_nl

ROOT = Path(__file__).resolve().parents[1] / "mlkit"


def test_both_languages_have_the_same_keys() -> None:
    missing_en = sorted(set(catalogue_nl.WORDS) - set(catalogue_en.WORDS))
    missing_nl = sorted(set(catalogue_en.WORDS) - set(catalogue_nl.WORDS))
    assert missing_en == [] and missing_nl == []


@pytest.mark.parametrize("key", keys("nl"))
def test_placeholders_match(key: str) -> None:
    assert placeholders(word(key, "nl")) == placeholders(word(key, "en")), key


def test_plural_keys_come_in_pairs() -> None:
    for key in keys("nl"):
        if key.endswith(".one"):
            assert key[: -len(".one")] + ".other" in keys("nl"), key


def _literal_keys() -> set[str]:
    """Keys passed as string literals to word(), label() or plural() anywhere in mlkit."""
    pattern = re.compile(r"(?<![.\w])(?:word|label|plural)\(\s*\"([a-z_.0-9]+)\"")
    found: set[str] = set()
    for path in ROOT.rglob("*.py"):
        keys = set(pattern.findall(path.read_text(encoding="utf-8")))
        if path.parent.name == "forms":  # the forms' word() reads catalogue key form.<key>
            keys = {f"form.{k}" for k in keys}
        found |= keys
    return found


def test_every_literal_key_exists_in_both_languages() -> None:
    used = _literal_keys()
    assert len(used) > 50
    known = set(keys("nl"))
    plurals = {k.rsplit(".", 1)[0] for k in known if k.endswith((".one", ".other"))}
    assert sorted(k for k in used if k not in known and k not in plurals) == []


def test_unknown_key_raises() -> None:
    with pytest.raises(KeyError):
        word("no.such.key", "nl")


@pytest.mark.parametrize(
    ("key", "n", "nl", "en"),
    [
        ("count.observations", 1, "1 observatie", "1 observation"),
        ("count.observations", 3, "3 observaties", "3 observations"),
        ("count.assessors", 1, "1 beoordelaar", "1 assessor"),
        ("count.assessors", 0, "0 beoordelaars", "0 assessors"),
    ],
)
def test_singular_and_plural(key: str, n: int, nl: str, en: str) -> None:
    assert plural(key, n, "nl") == nl and plural(key, n, "en") == en


def test_numbers_and_dates_follow_the_language() -> None:
    assert number(3.75, "nl") == "3,8" and number(3.75, "en") == "3.8"
    assert long_date(date(2026, 6, 30), "nl") == "30 juni 2026"
    assert long_date(date(2026, 6, 30), "en") == "30 June 2026"
    assert long_date(None, "nl") == "—"


def test_every_bundled_specialty_has_its_curriculum_title_in_both_languages() -> None:
    """The overview and reports name a specialty as its curriculum does, in either language."""
    from mlkit.analysis.names import specialty_name
    from mlkit.assessments import load_curricula

    curricula = [c for c in load_curricula().values() if c.specialty]
    assert len(curricula) >= 6
    for c in curricula:
        for lang in ("nl", "en"):
            assert specialty_name(c.specialty, lang) == c.title.get(lang), (c.id, lang)
