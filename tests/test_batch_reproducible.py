"""Byte-for-byte reproducible reports: two ``mlkit report`` runs, and a warm batch, agree."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mlkit.cli import app

SUFFIXES = (".ipynb", ".html", ".json")
AS_OF = "30-06-2026"  # the Dutch form; stored as 2026-06-30


def _report(aios_id: str, db: Path, out: Path) -> dict[str, bytes]:
    result = CliRunner().invoke(
        app, ["report", aios_id, "--db", str(db), "--out", str(out), "--as-of", AS_OF]
    )
    assert result.exit_code == 0, result.output
    return {s: (out / f"{aios_id}_progress{s}").read_bytes() for s in SUFFIXES}


def test_svg_charts_are_reproducible() -> None:
    from matplotlib.figure import Figure

    from mlkit.charts import figure_to_svg_data_uri

    def draw() -> str:
        fig = Figure(figsize=(3, 2))
        ax = fig.add_subplot()
        ax.bar(["a", "b"], [1, 2], clip_on=True)
        ax.set_title("<chart>")
        return figure_to_svg_data_uri(fig)

    import base64

    first, second = draw(), draw()
    assert first == second
    svg = base64.b64decode(first.split(",", 1)[1]).decode("utf-8")
    assert "<dc:date>" not in svg


@pytest.mark.slow
def test_two_report_runs_are_byte_identical(
    test_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    first = _report("X0001", test_store, tmp_path / "one")
    second = _report("X0001", test_store, tmp_path / "two")
    for suffix in SUFFIXES:
        assert first[suffix] == second[suffix], suffix
    sidecar = json.loads(first[".json"])
    assert sidecar["provenance"]["rendered_at"] == "2026-01-01T00:00:00+00:00"
    assert sidecar["provenance"]["parameters"]["as_of"] == "2026-06-30"
    assert b"start_time" not in first[".ipynb"] and b"duration" not in first[".ipynb"]

    monkeypatch.delenv("SOURCE_DATE_EPOCH")  # without it only the sidecar's render time moves
    third = _report("X0001", test_store, tmp_path / "three")
    assert (third[".ipynb"], third[".html"]) == (first[".ipynb"], first[".html"])
    left, right = json.loads(third[".json"]), sidecar
    left["provenance"].pop("rendered_at")
    right["provenance"].pop("rendered_at")
    assert left == right


@pytest.mark.slow
def test_a_warm_batch_report_equals_mlkit_report(
    test_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mlkit.batch import BatchRequest, run_batch, select_aios

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    chosen = [a for a in select_aios(test_store, as_of=AS_OF) if a.aios_id in ("S0001", "X0001")]
    result = run_batch(
        chosen,
        BatchRequest(
            out=tmp_path / "batch",
            db=test_store,
            kinds=["progress"],
            as_of=AS_OF,
            workers=1,
            restart_every=0,
        ),
    )
    assert result.count("ok") == 2
    assert {r.key: r.status for r in result.results} == {
        "S0001_progress": "ok",
        "X0001_progress": "ok",
    }
    for aios_id in ("S0001", "X0001"):  # one of them ran on a kernel that served the other
        fresh = _report(aios_id, test_store, tmp_path / "report")
        for suffix in SUFFIXES:
            warm = (tmp_path / "batch" / f"{aios_id}_progress{suffix}").read_bytes()
            assert warm == fresh[suffix], f"{aios_id}{suffix}"
