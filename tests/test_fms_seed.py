"""handreiking.yaml and talent_tracks.yaml against the FMS page they come from (seed 000).

``tests/data/seeds/000_fms_medisch_leiderschap.txt`` is the stored copy of
https://www.medischevervolgopleidingen.nl/medisch-leiderschap that mlkit read (seed
000_3185d7be2993ee8b). The checks count what the page lists and look for pasted sentences.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mlkit.frameworks.loader import load_all
from mlkit.frameworks.models import Framework, talent_track_index

SEED = Path(__file__).parent / "data" / "seeds" / "000_fms_medisch_leiderschap.txt"


@pytest.fixture(scope="module")
def page() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def frameworks() -> dict[str, Framework]:
    return load_all([])


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("‘", "'")).strip().lower()


def test_levels_match_the_bullets_of_the_page(page: str, frameworks: dict[str, Framework]) -> None:
    section = page.split("Opleiden in medisch leiderschap", 1)[1].split(
        "Talentontwikkeling", maxsplit=1
    )[0]
    bullets = [line for line in section.splitlines() if line.strip().startswith("•")]
    assert len(bullets) == 2  # frontline and klinisch; bestuurlijk is only mentioned
    assert "bestuurlijk leiderschap" in section.lower()
    levels = sorted(frameworks["handreiking"].levels, key=lambda lv: lv.order)
    assert [lv.code for lv in levels] == [
        "handreiking.frontline",
        "handreiking.klinisch",
        "handreiking.bestuurlijk",
    ]
    assert [lv.expected_in_residency for lv in levels] == [True, True, False]


def test_every_talent_example_of_the_page_matches_a_track(
    page: str, frameworks: dict[str, Framework]
) -> None:
    examples = ["Pareltraject", "Beleid en management", "Talentklas"]
    assert all(name in page for name in examples)
    index = talent_track_index(frameworks.values())
    assert [index.get(name.lower()) for name in examples] == [
        "talent.pareltraject",
        "talent.beleid_en_management",
        "talent.talentenklas",
    ]


def test_page_facts_are_encoded(page: str, frameworks: dict[str, Framework]) -> None:
    fw = frameworks["handreiking"]
    assert "eind 2018" in page and "inspiratiesessies" in page and "CanBetter" in page
    assert fw.item("handreiking.opleidersprogramma").start == "2018-Q4"  # type: ignore[attr-defined]
    assert fw.item("handreiking.inspiratiesessies")
    assert "CanBetter" in (fw.description.nl or "")


def test_nothing_is_pasted_from_the_page(page: str, frameworks: dict[str, Framework]) -> None:
    source = _norm(page)
    texts = [(frameworks["handreiking"].id, frameworks["handreiking"].description.nl or "")]
    for fid in ("handreiking", "talent"):
        for item in frameworks[fid].items():
            for text in (item.title, getattr(item, "description", None)):  # type: ignore[attr-defined]
                if text is not None and text.nl:
                    texts.append((item.code, text.nl))
    pasted = []
    for code, text in texts:
        words = _norm(text).split()
        # no run of eight words is taken over from the page
        runs = {" ".join(words[i : i + 8]) for i in range(max(0, len(words) - 7))}
        pasted += [(code, run) for run in runs if run in source]
    assert pasted == []
