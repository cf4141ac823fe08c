"""Shared pytest fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data_dir() -> Path:
    """The directory of small named test fixtures."""
    return DATA


@pytest.fixture(autouse=True)
def _isolate_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the user's environment out of tests."""
    monkeypatch.delenv("MLKIT_FRAMEWORKS_PATH", raising=False)
    monkeypatch.delenv("MLKIT_CURRICULA_PATH", raising=False)
    monkeypatch.delenv("MLKIT_DB", raising=False)
    monkeypatch.setenv("MPLBACKEND", "Agg")


SPECIAL_ROSTER = """aios_id;naam;specialisme;startdatum;ziekenhuis;opleider
E0001;Eva Leegveld;psychiatrie;01-09-2023;Testziekenhuis;dr. T. Est
S0001;Sam Zelfkens;radiologie;01-09-2022;Testziekenhuis;dr. T. Est
X0001;Xander Scriptsma;chirurgie;01-09-2021;Testziekenhuis;dr. T. Est
"""

SPECIAL_FORMS = """\
formulier_id;aios_id;instrument;datum;beoordelaar;rol_beoordelaar;item;score;toelichting
SX1;S0001;self_assessment;01-03-2026;S0001;aios;rml_d01;3;Ik vind dat ik goed leiding gaf.
SX1;S0001;self_assessment;01-03-2026;S0001;aios;rml_d02;2;
{self_rest}XK1;X0001;kpb;15-02-2026;dr. A. Nders;opleider;{item};4;\
<script>alert('x')</script> <b>vet</b> & meer
{kpb_rest}"""


def _complete_rows(instrument: str, head: str, skip: set[str], score: int) -> str:
    """Rows for the other required items of a form, so the form is complete."""
    from mlkit.assessments import load_instrument
    from mlkit.forms.rules import required_items, untitled_codes
    from mlkit.frameworks import load_all

    inst = load_instrument(instrument)
    need = required_items(inst, untitled_codes(load_all().values()))
    codes = [it.code for it in inst.items if it.code in need and it.code not in skip]
    return "".join(f"{head};{code};{score};\n" for code in codes)


def build_test_store(root: Path) -> Path:
    """A small synthetic store: 8 generated aios plus three special ones."""
    from datetime import date

    from mlkit.assessments import load_instrument
    from mlkit.demo import build_demo_store
    from mlkit.ingest import import_file
    from mlkit.store import Store

    db = root / "test.db"
    as_of = date(2026, 6, 30)
    build_demo_store(root / "data", db, n_aios=8, seed=7, as_of=as_of)
    kpb_item = load_instrument("kpb").items[0].code
    (root / "special_roster.csv").write_text(SPECIAL_ROSTER, encoding="utf-8")
    forms = SPECIAL_FORMS.format(
        item=kpb_item,
        self_rest=_complete_rows(
            "self_assessment",
            "SX1;S0001;self_assessment;01-03-2026;S0001;aios",
            {"rml_d01", "rml_d02"},
            2,
        ),
        kpb_rest=_complete_rows(
            "kpb", "XK1;X0001;kpb;15-02-2026;dr. A. Nders;opleider", {kpb_item}, 3
        ),
    )
    (root / "special_forms.csv").write_text(forms, encoding="utf-8")
    with Store.open(db) as store:
        for name in ("special_roster.csv", "special_forms.csv"):
            summary = import_file(root / name, store, today=as_of)
            assert summary.rejected == 0, summary.line()
    return db


@pytest.fixture(scope="session")
def test_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of the shared small synthetic store (read-only for tests)."""
    return build_test_store(tmp_path_factory.mktemp("store"))
