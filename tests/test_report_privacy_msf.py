"""Nothing of an MSF respondent group below the minimum reaches any output of any report.

Not its scores, not its comments, not its role and not its date: checked on the progress report
and the assessment summary, in the HTML page, the executed notebook and the JSON sidecar.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mlkit.assessments import load_instruments
from mlkit.ingest import import_file
from mlkit.reports import render_report
from mlkit.reports.params import params_for
from mlkit.store import Store

SECRET = "GEHEIM-ondersteuning-7731"
SMALL_DAY = "14-02-2026"  # only the small group answered on this day


def _msf_form(form: str, day: str, role: str, score: int, comment: str = "") -> list[str]:
    items = ["geeft_richting", "neemt_initiatief", "verbindt", "communiceert_helder"]
    return [
        f"{form};P1;msf;{day};anoniem;{role};{item};{score};{comment if i == 0 else ''}"
        for i, item in enumerate(items)
    ]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("privacy")
    (base / "roster.csv").write_text(
        "aios_id;naam;specialisme;startdatum;ziekenhuis;opleider\n"
        "P1;Pim Privé;Psychiatrie;01-09-2023;Z;Dr. O\n",
        encoding="utf-8",
    )
    rows = [
        "formulier_id;aios_id;instrument;datum;beoordelaar;rol_beoordelaar;item;score;toelichting"
    ]
    for i in range(3):  # a group that reaches the minimum of 3
        rows += _msf_form(f"S{i}", "10-01-2026", "specialist", 4, "Goede samenwerking.")
    for i in range(2):  # a group below the minimum, in a round of its own
        rows += _msf_form(f"O{i}", SMALL_DAY, "ondersteuning", 1, SECRET)
    instruments = load_instruments()
    for form, code, day, who, role, score in (
        ("K1", "kpb", "05-03-2026", "Dr. X", "specialist", 4),
        ("R1", "self_assessment", "06-03-2026", "Dr. O", "opleider", 3),
    ):
        rows += [  # a complete form: every required item, a narrative on the first
            f"{form};P1;{code};{day};{who};{role};{item.code};{score};"
            + ("Tops en tips." if i == 0 else "")
            for i, item in enumerate(it for it in instruments[code].items if it.required)
        ]
    (base / "forms.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    db = base / "p.db"
    with Store.open(db) as s:
        import_file(base / "roster.csv", s)
        summary = import_file(base / "forms.csv", s, rejects_path=base / "rejects.csv")
    assert summary.rejected == 0, (base / "rejects.csv").read_text(encoding="utf-8")
    return db


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["progress", "summary"])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_nothing_of_a_suppressed_group_in_any_output(
    store: Path, tmp_path: Path, kind: str, lang: str
) -> None:
    params = params_for(
        kind, {"aios_id": "P1", "db": str(store), "lang": lang, "as_of": "2026-06-30"}
    )
    outputs = render_report(params, tmp_path)
    texts = {p.suffix: p.read_text(encoding="utf-8") for p in tmp_path.iterdir()}
    assert set(texts) == {".html", ".ipynb", ".json"}
    role_words = ("ondersteuning", "secretariaat", "support staff", "secretariat")
    for suffix, text in texts.items():
        assert SECRET not in text, suffix
        assert all(w not in text.lower() for w in role_words), suffix
        # the small group's day appears nowhere: not as 14-02-2026, 2026-02-14 or 14 februari
        assert "2026-02-14" not in text and "14 februari 2026" not in text, suffix
        assert "14 February 2026" not in text, suffix
    # the group that reaches the minimum is shown, so the report is not simply empty
    html = texts[".html"]
    assert ("Goede samenwerking." in html) == (kind == "summary")
    assert outputs.sidecar.is_file()
