"""Reports load the programme's curricula: ``curricula_dir`` reaches the kernel."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from ingest_helpers import reference

from mlkit.assessments import UnknownSpecialtyError, load_curricula
from mlkit.ingest import import_file
from mlkit.ingest.reference import Reference
from mlkit.reports import build_report, params_for, render_report
from mlkit.store import Store

ORTHO = """schema: mlkit.curriculum/1
id: orthopedie
extends: default
specialty: orthopedie
title: {nl: Orthopedie, en: Orthopaedics}
duration_years: 6
source: programme's own plan
status: confirmed
years: []
"""


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("cur")
    user = root / "curricula"
    user.mkdir()
    (user / "orthopedie.yaml").write_text(ORTHO, encoding="utf-8")
    roster = root / "roster.csv"
    roster.write_text(
        "aios_id;naam;specialisme;startdatum;ziekenhuis;opleider;deeltijdfactor\n"
        "O1;Olga Orthopeed;Orthopedie;01-09-2019;;;80\n",
        encoding="utf-8",
    )
    ref = reference()
    with_user = Reference(
        ref.instruments, ref.framework_codes, ref.track_codes, load_curricula([user])
    )
    with Store.open(root / "s.db") as store:
        assert import_file(roster, store, today=date(2026, 1, 1), reference=with_user).stored == 1
    return root / "s.db", user


def _values(db: Path, **extra: str) -> dict[str, str]:
    return {"aios_id": "O1", "db": str(db), "as_of": "2026-06-30", **extra}


def test_user_curriculum_is_used_in_process(setup: tuple[Path, Path]) -> None:
    db, user = setup
    report = build_report(params_for("progress", _values(db, curricula_dir=str(user))))
    assert report.inputs.curriculum.id == "orthopedie"
    position = report.analysis.position
    assert position is not None and position.part_time
    # 82 calendar months at 80 %: 65.6 counted months of 72, so year 6 and not yet past the
    # nominal duration (full time it would be)
    assert report.analysis.training_year == 6 and not position.past_nominal_duration
    assert report.analysis.expectation_status is not None
    assert report.analysis.expectation_status.nl == "vastgestelde norm"


def test_without_the_curriculum_the_specialty_is_refused(setup: tuple[Path, Path]) -> None:
    db, _ = setup
    with pytest.raises(UnknownSpecialtyError, match="orthopedie"):
        build_report(params_for("progress", _values(db)))


@pytest.mark.slow
def test_curricula_dir_reaches_the_kernel(setup: tuple[Path, Path], tmp_path: Path) -> None:
    db, user = setup
    outputs = render_report(
        params_for("progress", _values(db, curricula_dir=str(user))), tmp_path / "out"
    )
    sidecar = json.loads(outputs.sidecar.read_text(encoding="utf-8"))
    assert sidecar["ok"] is True
    assert sidecar["provenance"]["parameters"]["curricula_dir"] == str(user.resolve())
    assert sidecar["key_figures"]["training_year"] == 6
