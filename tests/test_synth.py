"""Tests of the synthetic cohort generator and the ``mlkit demo-data`` command."""

from __future__ import annotations

import csv
import statistics
from collections import Counter, defaultdict
from datetime import date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mlkit.assessments import curriculum_for, load_curricula, load_instruments, specialties
from mlkit.cli import app
from mlkit.frameworks import load_all
from mlkit.synth import CohortFiles, generate_cohort

AS_OF = date(2025, 3, 31)
N = 150
NA = {"", "kan niet beoordelen"}


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def _day(text: str) -> date:
    return datetime.strptime(text, "%d-%m-%Y").date()


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> CohortFiles:
    return generate_cohort(N, seed=11, out_dir=tmp_path_factory.mktemp("cohort"), as_of=AS_OF)


@pytest.fixture(scope="module")
def rows(cohort: CohortFiles) -> dict[str, list[dict[str, str]]]:
    return {
        "roster": _read(cohort.roster),
        "assessments": _read(cohort.assessments),
        "activities": _read(cohort.activities),
        "reflections": _read(cohort.reflections),
    }


def test_same_seed_same_bytes_other_seed_differs(tmp_path: Path) -> None:
    a = generate_cohort(25, seed=5, out_dir=tmp_path / "a", as_of=AS_OF)
    b = generate_cohort(25, seed=5, out_dir=tmp_path / "b", as_of=AS_OF)
    c = generate_cohort(25, seed=6, out_dir=tmp_path / "c", as_of=AS_OF)
    for pa, pb in zip(a.paths(), b.paths(), strict=True):
        assert pa.read_bytes() == pb.read_bytes()
    assert a.assessments.read_bytes() != c.assessments.read_bytes()
    assert a.roster.read_bytes() != c.roster.read_bytes()


def test_headers_and_counts(cohort: CohortFiles, rows: dict[str, list[dict[str, str]]]) -> None:
    first = cohort.assessments.read_text(encoding="utf-8").splitlines()[0]
    assert first == (
        "formulier_id;aios_id;instrument;datum;beoordelaar;rol_beoordelaar;item;score;toelichting"
    )
    assert cohort.roster.read_text(encoding="utf-8").splitlines()[0] == (
        "aios_id;naam;specialisme;startdatum;ziekenhuis;opleider;"
        "deeltijdfactor;verlenging_maanden;onderbreking_maanden"
    )
    assert cohort.activities.read_text(encoding="utf-8").startswith(
        "activiteit_id;aios_id;soort;omschrijving;startdatum;einddatum;traject;domeinen\n"
    )
    assert cohort.reflections.read_text(encoding="utf-8").startswith(
        "reflectie_id;aios_id;datum;domein;tekst\n"
    )
    for kind, data in rows.items():
        assert cohort.rows[kind] == len(data)
    assert len(rows["roster"]) == N
    assert len({r["aios_id"] for r in rows["roster"]}) == N
    assert rows["roster"][0]["aios_id"] == "A0001"


def test_roster_spread(rows: dict[str, list[dict[str, str]]]) -> None:
    known = set(specialties(load_curricula()))
    roster = rows["roster"]
    assert {r["specialisme"] for r in roster} <= known
    assert len({r["specialisme"] for r in roster}) >= 4
    years = Counter((AS_OF - _day(r["startdatum"])).days // 365 + 1 for r in roster)
    assert set(years) == {1, 2, 3, 4, 5, 6}


def test_some_aios_part_time_or_extended(rows: dict[str, list[dict[str, str]]]) -> None:
    roster = rows["roster"]
    curricula = load_curricula()
    for r in roster:  # every specialty written resolves to its own curriculum
        assert curriculum_for(r["specialisme"], curricula).specialty == r["specialisme"]
    part_time = [r for r in roster if r["deeltijdfactor"]]
    extended = [r for r in roster if r["verlenging_maanden"]]
    assert 0 < len(part_time) < len(roster) / 4
    assert {r["deeltijdfactor"] for r in part_time} <= {"80", "90"}
    assert extended and {r["verlenging_maanden"] for r in extended} == {"6"}
    assert {r["onderbreking_maanden"] for r in roster} <= {"", "3"}


def test_codes_and_scores_valid(rows: dict[str, list[dict[str, str]]]) -> None:
    instruments = load_instruments()
    ids = {r["aios_id"] for r in rows["roster"]}
    forms: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in rows["assessments"]:
        assert r["aios_id"] in ids
        inst = instruments[r["instrument"]]
        item = inst.item(r["item"])
        scale = inst.scale(item.scale)
        if r["score"] in NA:
            assert r["score"] == "" or scale.not_applicable is not None
        else:
            assert int(r["score"]) in scale.values(), r
        roles = {x.code for x in inst.respondent_roles}
        if roles:
            assert r["rol_beoordelaar"] in roles, r
        forms[r["formulier_id"]].append(r)
    for form in forms.values():
        assert len({(f["aios_id"], f["instrument"], f["datum"]) for f in form}) == 1
        assert len({f["item"] for f in form}) == len(form)
        assert all(f["toelichting"] == "" for f in form[1:])
    used = {r["instrument"] for r in rows["assessments"]}
    assert used == {
        "kpb",
        "msf",
        "epa",
        "self_assessment",
        "santeon_scan",
        "voortgang",
        "geschiktheid",
    }
    activity = instruments["activity"]
    rml = {d.code for d in load_all()["rml"].domains}
    for a in rows["activities"]:
        activity.item(a["soort"])
        assert set(a["domeinen"].split("|")) <= rml
    for r in rows["reflections"]:
        assert r["domein"] in rml and len(r["tekst"]) > 40


def test_dates_inside_training_and_not_in_future(rows: dict[str, list[dict[str, str]]]) -> None:
    start = {r["aios_id"]: _day(r["startdatum"]) for r in rows["roster"]}
    dated = [(r["aios_id"], r["datum"]) for r in rows["assessments"] + rows["reflections"]]
    dated += [(r["aios_id"], r["startdatum"]) for r in rows["activities"]]
    dated += [(r["aios_id"], r["einddatum"]) for r in rows["activities"] if r["einddatum"]]
    for aios, text in dated:
        assert start[aios] <= _day(text) <= AS_OF, (aios, text)
    assert max(start.values()) < AS_OF


def test_incomplete_share(rows: dict[str, list[dict[str, str]]]) -> None:
    """About a third of aios hold much less than the required evidence of their completed years."""
    curricula = load_curricula()
    forms: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in rows["assessments"]:
        instrument = r["instrument"]
        if instrument == "self_assessment" and r["rol_beoordelaar"] != "aios":
            instrument += ":" + r["rol_beoordelaar"]  # the opleider's rating is its own requirement
        key = r["formulier_id"] if r["instrument"] != "msf" else r["datum"]  # MSF: one round
        forms[(r["aios_id"], instrument)].add(key)
    ratios = []
    for person in rows["roster"]:
        start = _day(person["startdatum"])
        done = (AS_OF - start).days // 365
        if done < 1:
            continue
        cur = curriculum_for(person["specialisme"], curricula)
        required: Counter[str] = Counter()
        for year in range(1, min(done, len(cur.years)) + 1):
            for req in cur.year(year).required_evidence:
                if req.instrument != "activity":
                    key = req.instrument + "".join(f":{role}" for role in req.roles)
                    required[key] += req.min_count
        have = sum(min(len(forms[(person["aios_id"], i)]), n) for i, n in required.items())
        ratios.append(have / sum(required.values()))
    far_behind = sum(r < 0.55 for r in ratios) / len(ratios)
    assert 0.2 <= far_behind <= 0.5, far_behind
    assert statistics.median(ratios) > 0.8


def test_self_ratings_run_optimistic(rows: dict[str, list[dict[str, str]]]) -> None:
    by_role: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for r in rows["assessments"]:
        if r["instrument"] == "self_assessment" and r["score"] not in NA:
            by_role[(r["aios_id"], r["item"], r["rol_beoordelaar"])].append(int(r["score"]))
    diffs = [
        statistics.mean(v) - statistics.mean(by_role[(a, i, "opleider")])
        for (a, i, role), v in by_role.items()
        if role == "aios" and (a, i, "opleider") in by_role
    ]
    assert len(diffs) > 500
    assert 0.25 <= statistics.mean(diffs) <= 0.75, statistics.mean(diffs)


def test_entrustment_rises_over_training(rows: dict[str, list[dict[str, str]]]) -> None:
    start = {r["aios_id"]: _day(r["startdatum"]) for r in rows["roster"]}
    early, late = [], []
    for r in rows["assessments"]:
        if r["instrument"] == "epa":
            years = (_day(r["datum"]) - start[r["aios_id"]]).days / 365
            (early if years < 1 else late if years >= 3 else []).append(int(r["score"]))
    assert statistics.median(early) < statistics.median(late)
    assert min(early) == 1 and max(late) == 5


def test_msf_groups_some_below_minimum(rows: dict[str, list[dict[str, str]]]) -> None:
    minimum = load_instruments()["msf"].min_respondents
    assert minimum is not None
    groups: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for r in rows["assessments"]:
        if r["instrument"] == "msf":
            groups[(r["aios_id"], r["datum"], r["rol_beoordelaar"])].add(r["formulier_id"])
    sizes = [len(v) for v in groups.values()]
    assert any(s < minimum for s in sizes) and any(s >= minimum for s in sizes)


def test_talent_tracks_and_narratives(rows: dict[str, list[dict[str, str]]]) -> None:
    tracks = {t.code for t in load_all()["talent"].talent_tracks}
    enrolled = [a for a in rows["activities"] if a["soort"] == "talenttraject"]
    assert 2 <= len({a["aios_id"] for a in enrolled}) <= N // 4
    assert all(a["traject"] in tracks for a in enrolled)
    assert all(a["traject"] == "" for a in rows["activities"] if a["soort"] != "talenttraject")
    comments = {r["toelichting"] for r in rows["assessments"] if r["instrument"] == "kpb"}
    assert len(comments) > 50
    assert all("Top:" in c and "Tip:" in c for c in comments if c)


def test_rejects_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="n_aios"):
        generate_cohort(0, seed=1, out_dir=tmp_path)
    with pytest.raises(ValueError, match="before as_of"):
        generate_cohort(1, seed=1, out_dir=tmp_path, start=AS_OF, as_of=AS_OF)


def test_default_reference_date_is_fixed(tmp_path: Path) -> None:
    files = generate_cohort(5, seed=2, out_dir=tmp_path)
    dates = [_day(r["datum"]) for r in _read(files.assessments)]
    assert max(dates) <= date(2026, 6, 30)


def test_cli_demo_data(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = CliRunner().invoke(
        app,
        ["demo-data", "--aios", "12", "--seed", "3", "--out", str(out), "--as-of", "2025-03-31"],
    )
    assert result.exit_code == 0, result.output
    assert "roster.csv\t12 rows" in result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "activities.csv",
        "assessments.csv",
        "reflections.csv",
        "roster.csv",
    ]
    again = generate_cohort(12, seed=3, out_dir=tmp_path / "lib", as_of=AS_OF)
    assert (out / "assessments.csv").read_bytes() == again.assessments.read_bytes()
