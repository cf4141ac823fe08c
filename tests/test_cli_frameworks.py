"""The ``mlkit frameworks`` commands, in-process through Typer's runner plus a subprocess smoke."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mlkit import __version__
from mlkit.cli import app
from mlkit.cli.app import EXIT_ERROR
from mlkit.frameworks import load_all
from mlkit.frameworks._case_foreign import CaseImportWarning
from mlkit.frameworks.case import check_case_package, import_case

runner = CliRunner()
BROKEN = Path(__file__).parent / "data" / "frameworks"


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"mlkit {__version__}"


def test_list_json_names_every_bundled_framework() -> None:
    result = runner.invoke(app, ["frameworks", "list", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert sorted(r["id"] for r in rows) == sorted(load_all())
    rml = next(r for r in rows if r["id"] == "rml")
    assert rml["status"] == "partial"
    assert rml["origin"].endswith("rml.yaml")


def test_list_text_marks_partial_frameworks() -> None:
    result = runner.invoke(app, ["frameworks", "list"])
    assert result.exit_code == 0
    line = next(x for x in result.stdout.splitlines() if x.startswith("rml "))
    assert "[partly confirmed]" in line


@pytest.mark.parametrize(
    ("lang", "placeholder", "marker"),
    [
        ("nl", "naam nog niet geladen", "[niet geverifieerd]"),
        ("en", "name not yet loaded", "[unverified]"),
    ],
)
def test_show_marks_unverified_slots(lang: str, placeholder: str, marker: str) -> None:
    result = runner.invoke(app, ["frameworks", "show", "rml", "--lang", lang])
    assert result.exit_code == 0, result.output
    d12 = next(x for x in result.stdout.splitlines() if x.startswith("rml.d12 "))
    assert marker in d12 and placeholder in d12


def test_show_json_is_the_model() -> None:
    result = runner.invoke(app, ["frameworks", "show", "santeon", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["id"] == "santeon"
    assert len(data["roles"]) == 4


def test_show_unknown_id_is_one_line_error() -> None:
    result = runner.invoke(app, ["frameworks", "show", "nope"])
    assert result.exit_code == 2
    assert result.stderr.startswith("mlkit: error: unknown framework 'nope'")


def test_show_rejects_bad_language() -> None:
    result = runner.invoke(app, ["frameworks", "show", "rml", "--lang", "de"])
    assert result.exit_code == 2
    assert "choose nl or en" in result.output


def test_export_case_to_file_round_trips(tmp_path: Path) -> None:
    out = tmp_path / "mlcf.case.json"
    result = runner.invoke(
        app, ["frameworks", "export", "mlcf", "--format", "case", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    package = json.loads(out.read_text(encoding="utf-8"))
    assert check_case_package(package) == []
    assert import_case(package) == load_all()["mlcf"]


def test_export_csv_and_markdown_to_stdout() -> None:
    csv_out = runner.invoke(app, ["frameworks", "export", "leads", "--format", "csv"])
    assert csv_out.exit_code == 0
    assert "leads.lead_self.1" in csv_out.stdout
    md = runner.invoke(app, ["frameworks", "export", "rml", "--format", "md", "--lang", "en"])
    assert md.exit_code == 0
    assert "|" in md.stdout and "[unverified]" in md.stdout


def test_validate_ok_and_broken() -> None:
    ok = runner.invoke(app, ["frameworks", "validate", str(BROKEN / "valid_small.yaml")])
    assert ok.exit_code == 0
    assert ok.stdout.strip() == "ok: testfw"
    bad = runner.invoke(
        app, ["frameworks", "validate", "--json", str(BROKEN / "duplicate_code.yaml")]
    )
    assert bad.exit_code == 1
    report = json.loads(bad.stdout)
    assert report["valid"] is False
    assert {p["code"] for p in report["problems"]} == {
        "duplicate_code",
        "unknown_reference",
        "unknown_source",
    }
    assert all(p["file"].endswith("duplicate_code.yaml") for p in report["problems"])


def test_validate_missing_path() -> None:
    result = runner.invoke(app, ["frameworks", "validate", "no/such/file.yaml"])
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_python_dash_m_smoke() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mlkit", "frameworks", "list", "--json"],
        check=True,
        capture_output=True,
        text=True,
    )
    assert {r["id"] for r in json.loads(result.stdout)} >= {"rml", "santeon", "canmeds2015"}


FOREIGN = Path(__file__).parent / "data" / "case" / "foreign"


def test_import_writes_a_framework_file_that_exports_the_package_back(tmp_path: Path) -> None:
    source = FOREIGN / "server_style.json"
    result = runner.invoke(app, ["frameworks", "import", str(source), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    target = tmp_path / "leadership_outcomes_test.yaml"
    assert f"wrote {target}: framework 'leadership_outcomes_test', 9 items" in result.stderr
    assert "mlkit: warning:" in result.stderr and "RFC 4122" in result.stderr
    fw = load_all([tmp_path])["leadership_outcomes_test"]
    package = json.loads(source.read_text(encoding="utf-8"))
    exported = runner.invoke(
        app,
        ["frameworks", "export", fw.id, "--format", "case", "--frameworks", str(tmp_path)],
    )
    assert exported.exit_code == 0, exported.output
    assert json.loads(exported.stdout) == package
    again = runner.invoke(app, ["frameworks", "import", str(source), "--out", str(tmp_path)])
    assert again.exit_code == EXIT_ERROR and "already exists (use --force" in again.stderr
    forced = ["frameworks", "import", str(source), "--out", str(tmp_path), "--force"]
    assert runner.invoke(app, forced).exit_code == 0


def test_import_of_something_that_is_not_case(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"CFDocument": {"identifier": "x"}}', encoding="utf-8")
    result = runner.invoke(app, ["frameworks", "import", str(bad), "--out", str(tmp_path)])
    assert result.exit_code == EXIT_ERROR
    assert f"{bad}: CFDocument.title: missing or empty" in result.stderr
    assert list(tmp_path.iterdir()) == [bad]


def test_case_packages_load_from_the_frameworks_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "werk.json").write_bytes((FOREIGN / "urn_style.json").read_bytes())
    monkeypatch.setenv("MLKIT_FRAMEWORKS_PATH", str(tmp_path))
    with pytest.warns(CaseImportWarning) as caught:
        result = runner.invoke(app, ["frameworks", "list", "--json"])
    assert any("werk.json: CFItems[2].identifier" in str(w.message) for w in caught)
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    assert rows["werkplekleren_leiderschap"]["origin"] == str(tmp_path / "werk.json")
    assert rows["werkplekleren_leiderschap"]["status"] == "unverified"


def test_validate_reads_a_case_file_as_case_with_warnings(tmp_path: Path) -> None:
    source = FOREIGN / "server_style.json"
    result = runner.invoke(app, ["frameworks", "validate", str(source), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["valid"] is True and report["frameworks"] == ["leadership_outcomes_test"]
    assert any("strict CASE check" in w and "RFC 4122" in w for w in report["warnings"])
    assert any("no isChildOf path" in w for w in report["warnings"])
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    result = runner.invoke(app, ["frameworks", "validate", str(broken)])
    assert result.exit_code == 1
    assert "line 1, column 2" in result.stderr and "yaml" not in result.stderr.lower()
