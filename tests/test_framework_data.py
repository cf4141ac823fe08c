"""The bundled framework files: they load, hold the expected items and invent nothing."""

from __future__ import annotations

from collections import Counter

import pytest
import yaml

from mlkit._resources import bundled_frameworks
from mlkit.frameworks.loader import load_all, load_framework_file, parse_framework
from mlkit.frameworks.models import Framework, Relation, Status, talent_track_index

BUNDLED_FILES = {
    "rml.yaml": "rml",
    "handreiking.yaml": "handreiking",
    "hilders.yaml": "hilders",
    "talent_tracks.yaml": "talent",
    "santeon.yaml": "santeon",
    "canmeds2015_leader.yaml": "canmeds2015",
    "mlcf.yaml": "mlcf",
    "leads.yaml": "leads",
    "crosswalks.yaml": "crosswalks",
}
IDS = sorted(BUNDLED_FILES.values())


@pytest.fixture(scope="module")
def frameworks() -> dict[str, Framework]:
    # An empty list of user directories: only the bundled files, whatever the environment says.
    return load_all(frameworks_dir=[])


@pytest.mark.parametrize(("file_name", "framework_id"), sorted(BUNDLED_FILES.items()))
def test_bundled_file_loads_on_its_own(file_name: str, framework_id: str) -> None:
    fw = load_framework_file(bundled_frameworks() / file_name)
    assert fw.id == framework_id


def test_bundled_set_is_exactly_the_expected_files(frameworks: dict[str, Framework]) -> None:
    names = {p.name for p in bundled_frameworks().iterdir() if p.name.endswith(".yaml")}
    assert names == set(BUNDLED_FILES)
    assert sorted(frameworks) == IDS


@pytest.mark.parametrize(
    ("framework_id", "field", "expected"),
    [
        ("rml", "dimensions", 3),
        ("rml", "domains", 12),
        ("rml", "competencies", 48),
        ("canmeds2015", "domains", 4),
        ("canmeds2015", "competencies", 11),
        ("mlcf", "domains", 5),
        ("mlcf", "competencies", 20),
        ("leads", "domains", 5),
        ("leads", "competencies", 20),
        ("handreiking", "levels", 3),
        ("hilders", "levels", 4),
        ("talent", "talent_tracks", 8),
        ("santeon", "characteristic_clusters", 3),
        ("santeon", "roles", 4),
    ],
)
def test_item_counts(
    frameworks: dict[str, Framework], framework_id: str, field: str, expected: int
) -> None:
    assert len(getattr(frameworks[framework_id], field)) == expected


@pytest.mark.parametrize(
    ("framework_id", "per_domain"),
    [
        ("rml", [4] * 12),
        ("canmeds2015", [4, 2, 2, 3]),
        ("mlcf", [4] * 5),
        ("leads", [4] * 5),
    ],
)
def test_competencies_per_domain(
    frameworks: dict[str, Framework], framework_id: str, per_domain: list[int]
) -> None:
    fw = frameworks[framework_id]
    counts = [len(fw.competencies_of(d.code)) for d in sorted(fw.domains, key=lambda d: d.order)]
    assert counts == per_domain


@pytest.mark.parametrize("framework_id", ["rml", "canmeds2015", "mlcf"])
def test_competency_numbers_follow_domain_order(
    frameworks: dict[str, Framework], framework_id: str
) -> None:
    fw = frameworks[framework_id]
    for d in fw.domains:
        numbers = [c.number for c in fw.competencies_of(d.code)]
        if ".x_" in d.code:  # a domain whose number is unconfirmed numbers no competency
            assert numbers == [None] * len(numbers)
        else:
            assert numbers == [f"{d.order}.{i}" for i in range(1, len(numbers) + 1)]


def test_rml_codes_claim_no_unconfirmed_number(frameworks: dict[str, Framework]) -> None:
    """A domain code carries a number only where a source confirms that number (AUDIT 6)."""
    rml = frameworks["rml"]
    named_by_news = [d for d in rml.domains if d.source == "skipr_2015"]
    assert [d.code for d in named_by_news] == [
        "rml.x_verbinden",
        "rml.x_innoveren",
        "rml.x_kwaliteit",
    ]
    for d in rml.domains:
        assert (d.source == "medischcontact_2015") is (
            d.code in {f"rml.d0{n}" for n in range(1, 7)}
        )
    assert all(d.order > 6 for d in named_by_news)


def test_crosswalk_has_a_sensible_number_of_links(frameworks: dict[str, Framework]) -> None:
    assert 25 <= len(frameworks["crosswalks"].links) <= 45


@pytest.mark.parametrize("framework_id", IDS)
def test_every_item_has_a_known_source_and_status(
    frameworks: dict[str, Framework], framework_id: str
) -> None:
    fw = frameworks[framework_id]
    source_ids = {s.id for s in fw.sources}
    assert fw.source in source_ids
    for item in fw.items():
        assert item.source in source_ids, item.code
        assert isinstance(item.status, Status), item.code
        assert item.code.startswith(f"{fw.id}."), item.code
    for link in fw.links:
        assert link.source in source_ids


def test_codes_are_unique_across_all_frameworks(frameworks: dict[str, Framework]) -> None:
    counts = Counter(code for fw in frameworks.values() for code in fw.codes())
    assert [code for code, n in counts.items() if n > 1] == []


@pytest.mark.parametrize("framework_id", IDS)
def test_items_without_title_are_unverified_and_explained(
    frameworks: dict[str, Framework], framework_id: str
) -> None:
    for item in frameworks[framework_id].items():
        title = getattr(item, "title", None)
        assert title is not None, item.code
        if title.empty:
            assert item.status is Status.UNVERIFIED, item.code
            assert item.note, item.code


@pytest.mark.parametrize("framework_id", IDS)
def test_items_not_confirmed_carry_a_note(
    frameworks: dict[str, Framework], framework_id: str
) -> None:
    for item in frameworks[framework_id].items():
        if item.status is not Status.CONFIRMED:
            assert item.note, item.code


@pytest.mark.parametrize(
    ("code", "status", "has_title"),
    [
        *[(f"rml.d{n:02d}", Status.PARTIAL, True) for n in range(1, 7)],
        *[(f"rml.x_{n}", Status.PARTIAL, True) for n in ("verbinden", "innoveren", "kwaliteit")],
        *[(f"rml.d{n:02d}", Status.UNVERIFIED, False) for n in range(10, 13)],
        *[
            (f"rml.dim_{d}", Status.CONFIRMED, True)
            for d in ("individu", "anderen", "maatschappij")
        ],
    ],
)
def test_rml_domain_provenance(
    frameworks: dict[str, Framework], code: str, status: Status, has_title: bool
) -> None:
    item = frameworks["rml"].item(code)
    assert item.status is status
    assert item.title.empty is not has_title


def test_rml_invents_no_competency_text(frameworks: dict[str, Framework]) -> None:
    rml = frameworks["rml"]
    assert rml.status is Status.PARTIAL
    for comp in rml.competencies:
        assert comp.status is Status.UNVERIFIED, comp.code
        assert comp.title.empty, comp.code
        assert comp.description.empty, comp.code
        assert "MLKIT_FRAMEWORKS_PATH" in (comp.note or ""), comp.code


def test_rml_domains_leave_dimension_membership_open(frameworks: dict[str, Framework]) -> None:
    assert all(d.dimensions == () for d in frameworks["rml"].domains)


@pytest.mark.parametrize(
    ("framework_id", "code", "expected"),
    [
        ("handreiking", "handreiking.frontline", True),
        ("handreiking", "handreiking.klinisch", True),
        ("handreiking", "handreiking.bestuurlijk", False),
        ("hilders", "hilders.persoonlijk", None),
        ("hilders", "hilders.klinisch", None),
        ("hilders", "hilders.medisch_management", None),
        ("hilders", "hilders.bestuurlijk", None),
    ],
)
def test_expected_in_residency(
    frameworks: dict[str, Framework], framework_id: str, code: str, expected: bool | None
) -> None:
    assert frameworks[framework_id].item(code).expected_in_residency is expected


def test_talent_tracks_reference_handreiking_levels_only(frameworks: dict[str, Framework]) -> None:
    levels = {lv.code for lv in frameworks["handreiking"].levels}
    for track in frameworks["talent"].talent_tracks:
        assert track.level_focus is None or track.level_focus in levels, track.code


@pytest.mark.parametrize(
    ("code", "status", "duration_months"),
    [
        ("talent.pareltraject", Status.PARTIAL, None),
        ("talent.beleid_en_management", Status.PARTIAL, None),
        ("talent.talentenklas", Status.CONFIRMED, None),
        ("talent.lumc_individueel", Status.CONFIRMED, None),
        ("talent.excellente_aios", Status.CONFIRMED, None),
        ("talent.nfu_master_kwaliteit_veiligheid", Status.CONFIRMED, 24),
        ("talent.jong_santeon", Status.CONFIRMED, None),
        ("talent.ml_voor_opleiders", Status.CONFIRMED, None),
    ],
)
def test_talent_track_provenance(
    frameworks: dict[str, Framework], code: str, status: Status, duration_months: float | None
) -> None:
    track = frameworks["talent"].item(code)
    assert track.status is status
    assert track.duration_months == duration_months


def test_talentenklas_records_both_spellings(frameworks: dict[str, Framework]) -> None:
    note = frameworks["talent"].item("talent.talentenklas").note or ""
    assert "Talentklas" in note
    assert "Talentenklas" in note


def test_opleiders_track_is_not_for_aios(frameworks: dict[str, Framework]) -> None:
    track = frameworks["talent"].item("talent.ml_voor_opleiders")
    assert "niet aios" in (track.target_audience.nl or "")


def test_leads_items_are_confirmed_with_official_develop_coalitions_wording(
    frameworks: dict[str, Framework],
) -> None:
    leads = frameworks["leads"]
    assert all(item.status is Status.CONFIRMED for item in leads.items())
    official = {
        "leads.develop_coalitions.1": (
            "Purposefully build partnerships and networks to create results"
        ),
        "leads.develop_coalitions.2": "Demonstrate a commitment to customers and service",
        "leads.develop_coalitions.3": "Mobilize knowledge",
        "leads.develop_coalitions.4": "Navigate socio-political environments",
    }
    for code, wording in official.items():
        item = leads.item(code)
        assert item.title.en == wording, code  # type: ignore[attr-defined]
        assert (
            leads.source_by_id(item.source).url
            == "https://www.cma.ca/En/Pages/develop-coalitions.aspx"
        )
    assert leads.item("leads.lead_self.2").title.nl == "Stuurt zichzelf aan"  # type: ignore[attr-defined]


@pytest.mark.parametrize("framework_id", ["rml", "leads", "mlcf"])
def test_cited_sources_have_urls(frameworks: dict[str, Framework], framework_id: str) -> None:
    fw = frameworks[framework_id]
    cited = {item.source for item in fw.items()} | {fw.source}
    assert [s.id for s in fw.sources if s.id in cited and not s.url] == []


def test_handreiking_says_what_is_inferred(frameworks: dict[str, Framework]) -> None:
    fw = frameworks["handreiking"]
    assert fw.status is Status.PARTIAL
    assert "inferred" in (fw.note or "").lower() and "not from the 2016 handreiking" in (
        fw.note or ""
    )
    assert fw.item("handreiking.bestuurlijk").status is Status.PARTIAL
    assert "Residency focuses on the foundations" in (fw.description.en or "")
    assert "CanBetter" in (fw.description.nl or "") and "financi" in (fw.description.nl or "")
    programme = fw.item("handreiking.opleidersprogramma")
    assert programme.start == "2018-Q4"  # type: ignore[attr-defined]
    assert fw.item("handreiking.inspiratiesessies").status is Status.PARTIAL
    klinisch = fw.item("handreiking.klinisch").description  # type: ignore[attr-defined]
    assert "schakel tussen" not in (klinisch.nl or "") and "organising the care" not in klinisch.en


def test_rml_facts_and_wording(frameworks: dict[str, Framework]) -> None:
    rml = frameworks["rml"]
    assert "uitdragen" not in (rml.item("rml.d01").description.nl or "")  # type: ignore[attr-defined]
    assert "Dutch framework for medical leadership (DFML)" in (rml.description.en or "")
    note = " ".join((rml.note or "").split())
    assert "2 July 2015" in note and "16 September 2015" in note and "method paper" in note


def test_santeon_wording_fixes(frameworks: dict[str, Framework]) -> None:
    santeon = frameworks["santeon"]
    assert "Santeon agreements back" in santeon.item("santeon.rol_santeonbreed.2").description.en  # type: ignore[attr-defined]
    assert "twee à drie korte" in santeon.item("santeon.rol_santeonbreed.4").description.nl  # type: ignore[attr-defined]
    assert "kartrekker" in santeon.item("santeon.rol_focusproject").description.en  # type: ignore[attr-defined]


def test_talentklas_spelling_matches_the_talentenklas_track(
    frameworks: dict[str, Framework],
) -> None:
    index = talent_track_index(frameworks.values())
    for name in ("Talentklas", "talentklas", "Talentenklas", "talent.talentenklas", "talentenklas"):
        assert index[name.lower()] == "talent.talentenklas", name


def test_canmeds_notes_the_unpublished_successor(frameworks: dict[str, Framework]) -> None:
    fw = frameworks["canmeds2015"]
    note = " ".join((fw.note or "").split())
    assert "CanMEDS 2025" in note and "not been published" in note


def test_handreiking_and_hilders_share_clinical_and_executive_links(
    frameworks: dict[str, Framework],
) -> None:
    pairs = {(lk.from_code, lk.to_code) for lk in frameworks["crosswalks"].links}
    assert ("handreiking.klinisch", "hilders.klinisch") in pairs
    assert ("handreiking.bestuurlijk", "hilders.bestuurlijk") in pairs


def test_crosswalk_links_only_known_items(frameworks: dict[str, Framework]) -> None:
    items = {
        item.code: item
        for fw in frameworks.values()
        if fw.id != "crosswalks"
        for item in fw.items()
    }
    for link in frameworks["crosswalks"].links:
        for code in (link.from_code, link.to_code):
            target = items[code]
            assert not target.title.empty, code
            assert target.status is not Status.UNVERIFIED, code
            assert not code.startswith("rml.") or target in frameworks["rml"].domains, code


def test_crosswalk_links_are_marked_as_mlkit_proposals(frameworks: dict[str, Framework]) -> None:
    links = frameworks["crosswalks"].links
    assert all(link.status is Status.UNVERIFIED for link in links)
    assert all(link.proposed_by == "mlkit" for link in links)
    assert all("proposal" in (link.note or "") for link in links)
    assert all(link.rationale.nl and link.rationale.en for link in links)
    pairs = [(link.from_code, link.to_code) for link in links]
    assert len(set(pairs)) == len(pairs)
    exact = [link for link in links if link.relation is Relation.EXACT]
    assert len(exact) <= len(links) // 10


@pytest.mark.parametrize("framework_id", IDS)
def test_model_round_trip(frameworks: dict[str, Framework], framework_id: str) -> None:
    fw = frameworks[framework_id]
    assert Framework.model_validate(fw.model_dump(by_alias=True)) == fw


@pytest.mark.parametrize("framework_id", IDS)
def test_yaml_round_trip(frameworks: dict[str, Framework], framework_id: str) -> None:
    fw = frameworks[framework_id]
    text = yaml.safe_dump(
        fw.model_dump(by_alias=True, mode="json"), allow_unicode=True, sort_keys=False
    )
    assert parse_framework(text, f"<{framework_id} dump>") == fw
