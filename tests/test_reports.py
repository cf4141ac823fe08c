"""Reports: in-process analysis, papermill runs asserting on the JSON sidecar, privacy, escaping."""

from __future__ import annotations

import json
import re
from html import escape as html_escape
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from mlkit.reports import ReportExecutionError, build_report, params_for, render_report
from mlkit.reports.inputs import StoreMissingError
from mlkit.store import AiosNotFoundError, Store

AS_OF = "2026-06-30"
IMG = re.compile(r'src="data:image/[^"]+"')


def _params(kind: str, aios_id: str, db: Path, **extra: str) -> dict[str, str]:
    return {"aios_id": aios_id, "db": str(db), "as_of": AS_OF, **extra}


def _synthetic_ids(db: Path) -> list[str]:
    with Store.open(db) as store:
        forms = store.forms().groupby("aios_id").size().sort_values(ascending=False)
    return [i for i in forms.index if i.startswith("A")][:3]


@pytest.fixture(scope="module")
def rendered(test_store: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("reports")
    sidecars = {}
    for aios_id in _synthetic_ids(test_store):
        outputs = render_report(
            params_for("progress", _params("progress", aios_id, test_store)), out
        )
        sidecars[aios_id] = outputs.sidecar
    return sidecars


@pytest.mark.slow
def test_sidecar_figures_equal_the_library_analysis(
    rendered: dict[str, Path], test_store: Path
) -> None:
    assert len(rendered) == 3
    for aios_id, path in rendered.items():
        sidecar = json.loads(path.read_text(encoding="utf-8"))
        assert sidecar["ok"] is True and sidecar["report"] == "progress"
        expected = build_report(params_for("progress", _params("progress", aios_id, test_store)))
        assert sidecar["key_figures"] == json.loads(json.dumps(expected.key_figures()))
        counts = sidecar["key_figures"]["status_counts"]
        assert sum(counts.values()) == 12
        prov = sidecar["provenance"]
        assert prov["data_sha256"] == expected.inputs.data_sha256
        assert prov["frameworks"]["rml"] == "1.0"
        assert prov["parameters"]["aios_id"] == aios_id
        assert set(prov["outputs_sha256"]) == {"notebook", "html"}


@pytest.mark.slow
def test_outputs_are_complete_and_html_has_no_code(rendered: dict[str, Path]) -> None:
    for path in rendered.values():
        html = path.with_suffix(".html").read_text(encoding="utf-8")
        assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
        assert "Voortgangsrapportage medisch leiderschap" in html
        assert "open_report(" not in html and "report.show" not in html
        assert "<script" not in html.lower()  # self-contained, nothing to execute
        # radar, trajectories and evidence always; MSF and activities only when there are any
        assert html.count('src="data:image/svg+xml;base64,') in {3, 4, 5}
        assert "data:image/png" not in html
        assert 'src="http' not in html and 'href="http' not in html
        nb = nbformat.read(path.with_suffix(".ipynb"), as_version=4)
        assert any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells)


@pytest.mark.slow
def test_report_holds_no_other_aios_data(rendered: dict[str, Path], test_store: Path) -> None:
    with Store.open(test_store) as store:
        roster = store.aios()
        forms = store.forms()
    for aios_id, path in rendered.items():
        text = IMG.sub("", path.with_suffix(".html").read_text(encoding="utf-8"))
        text += IMG.sub("", path.with_suffix(".ipynb").read_text(encoding="utf-8"))
        own_comments = set(forms.loc[forms.aios_id == aios_id, "comment"].dropna())
        for _, other in roster[roster.aios_id != aios_id].iterrows():
            assert other.aios_id not in text
            assert other.display_name not in text
        foreign = set(forms.loc[forms.aios_id != aios_id, "comment"].dropna()) - own_comments
        leaked = [c for c in foreign if len(c) > 25 and c in text]
        assert leaked == []


@pytest.mark.slow
def test_script_in_comment_is_shown_as_text(test_store: Path, tmp_path: Path) -> None:
    outputs = render_report(
        params_for("summary", _params("summary", "X0001", test_store)), tmp_path
    )
    html = outputs.html.read_text(encoding="utf-8")
    assert re.search(r"&lt;script&gt;alert\((&#39;|')x(&#39;|')\)&lt;/script&gt;", html)
    assert "&lt;b&gt;vet&lt;/b&gt; &amp; meer" in html
    assert "<script" not in html.lower() and "<b>vet</b>" not in html


@pytest.mark.slow
def test_english_report(test_store: Path, tmp_path: Path) -> None:
    aios_id = _synthetic_ids(test_store)[0]
    outputs = render_report(
        params_for("summary", _params("summary", aios_id, test_store, lang="en")), tmp_path
    )
    html = outputs.html.read_text(encoding="utf-8")
    assert "Medical leadership assessment summary" in html
    assert "Beoordelingsoverzicht" not in html
    assert '<html lang="en">' in html


def test_aios_without_evidence(test_store: Path) -> None:
    report = build_report(params_for("progress", _params("progress", "E0001", test_store)))
    figures = report.key_figures()
    assert figures["status_counts"]["not_enough_evidence"] == 9
    assert figures["status_counts"]["not_assessable"] == 3
    named = {c: d for c, d in figures["domains"].items() if d["status"] != "not_assessable"}
    assert all(d["reasons"] == ["no_evidence"] for d in named.values())
    assert figures["n_forms"] == 0
    assert "Voortgangsrapportage" in report.html()


def test_aios_with_only_self_assessments(test_store: Path) -> None:
    report = build_report(params_for("progress", _params("progress", "S0001", test_store)))
    d01 = report.key_figures()["domains"]["rml.d01"]
    assert d01["self"] == 3 and d01["current"] is None
    assert d01["status"] == "not_enough_evidence"
    assert "only_self_assessment" in d01["reasons"]


def test_missing_aios_is_a_clear_error_before_a_kernel(test_store: Path, tmp_path: Path) -> None:
    params = params_for("progress", _params("progress", "Z9999", test_store))
    with pytest.raises(AiosNotFoundError, match="unknown aios 'Z9999'"):
        build_report(params)
    with pytest.raises(AiosNotFoundError):
        render_report(params, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_missing_store_is_never_created(tmp_path: Path) -> None:
    params = params_for("progress", {"aios_id": "A0001", "db": str(tmp_path / "nope.db")})
    with pytest.raises(StoreMissingError, match=r"nope\.db: no such store"):
        build_report(params)
    assert not (tmp_path / "nope.db").exists()


def test_report_of_one_aios_reads_only_that_aios(test_store: Path) -> None:
    report = build_report(params_for("summary", _params("summary", "X0001", test_store)))
    for frame in (
        report.inputs.scores,
        report.inputs.forms,
        report.inputs.activities,
        report.inputs.reflections,
    ):
        assert set(frame["aios_id"]) <= {"X0001"}
    assert isinstance(report.inputs.scores, pd.DataFrame)


@pytest.mark.slow
def test_failed_cell_keeps_partial_notebook_with_banner(
    test_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A framework directory whose RML file is broken makes the notebook's first library call fail
    # inside the kernel (the parameters themselves are valid).
    broken = tmp_path / "fw"
    broken.mkdir()
    (broken / "rml.yaml").write_text("schema: mlkit.framework/1\nid: rml\n", encoding="utf-8")
    params = params_for(
        "progress", _params("progress", "E0001", test_store, frameworks_dir=str(broken))
    )
    with pytest.raises(ReportExecutionError, match="FrameworkValidationError") as info:
        render_report(params, tmp_path / "out")
    outputs = info.value.outputs
    nb = nbformat.read(outputs.notebook, as_version=4)
    assert "papermill-error-cell-tag" in json.dumps(nb.cells[0].metadata)
    sidecar = json.loads(outputs.sidecar.read_text(encoding="utf-8"))
    assert sidecar["ok"] is False and "FrameworkValidationError" in sidecar["error"]
    assert not list((tmp_path / "out").glob(".*"))


def test_domain_table_separates_level_from_evidence_counts(test_store: Path) -> None:
    aios_id = _synthetic_ids(test_store)[0]
    report = build_report(params_for("progress", _params("progress", aios_id, test_store)))
    html = report.section("domains").html()
    assert "<th>bewijs (laatste 12 mnd)</th>" in html
    rows = re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)[1:]
    named = [d for d in report.analysis.domains if d.status.value != "not_assessable"]
    assert len(rows) == len(named) == 9
    for row, d in zip(rows, named, strict=True):
        suf = d.sufficiency
        obs = "observatie" if suf.n_observations == 1 else "observaties"
        who = "beoordelaar" if suf.n_assessors == 1 else "beoordelaars"
        assert f"{suf.n_observations} {obs}, {suf.n_assessors} {who}" in row
        if d.current is not None:
            n = d.current.n_observations
            # a single rating is said once; otherwise the ratings and the assessors behind it
            assert ("berust op één oordeel" in row) == (n == 1)
            assert (f"{n} oordelen van" in row) == (n > 1)
    # the empty slots are one line, not three rows of dashes
    assert (
        html.count("Niet beoordeelbaar, domein niet geladen: domein 10, domein 11 en domein 12.")
        == 1
    )
    assert "rml." not in html and "[deels bevestigd]" not in html


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_progress_report_leads_with_a_summary_by_name(test_store: Path, lang: str) -> None:
    from mlkit.analysis.names import domain_name

    aios_id = _synthetic_ids(test_store)[0]
    report = build_report(
        params_for("progress", _params("progress", aios_id, test_store, lang=lang))
    )
    html = report.section("at_a_glance").html()
    a = report.analysis
    for d in a.domains:
        if d.status.value != "not_assessable":
            assert html_escape(domain_name(d.domain, lang)) in html  # every named domain, by name
    meeting = a.latest_progress_meeting
    if meeting is not None:
        assert ("Laatste voortgangsgesprek" if lang == "nl" else "Latest progress meeting") in html
        if meeting.agreements:
            assert html_escape(meeting.agreements) in html
    assert ("Nieuwste bewijs van anderen" if lang == "nl" else "Newest evidence") in html
    note = "geen landelijke norm" if lang == "nl" else "not a national standard"
    assert html.count(note) == 1  # the expectations' status, once
    whole = report.html()
    assert "rml." not in whole and "interne_geneeskunde" not in whole
    assert whole.index('data-section="at_a_glance"') < whole.index('data-section="domains"')
