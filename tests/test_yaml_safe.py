"""Safe YAML: alias bombs, deep nesting, huge files and non-UTF-8 files give one clear error."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from mlkit.assessments import AssessmentValidationError, load_instruments
from mlkit.cli import app
from mlkit.errors import FrameworkValidationError
from mlkit.frameworks import load_framework, validate_path
from mlkit.frameworks.loader import load_framework_file
from mlkit.frameworks.tables import export_markdown

DATA = Path(__file__).parent / "data" / "frameworks"
runner = CliRunner()


def _bomb(levels: int = 9) -> str:
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    previous = "a"
    for name in "bcdefghijklmnop"[: levels - 1]:
        text += f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]\n"
        previous = name
    return text


def _single(exc: pytest.ExceptionInfo[FrameworkValidationError]) -> str:
    assert len(exc.value.problems) == 1
    (problem,) = exc.value.problems
    assert "\n" not in str(exc.value)
    return f"{problem.location} [{problem.code}] {problem.message}"


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(_bomb(), encoding="utf-8")
    with pytest.raises(FrameworkValidationError) as exc:
        load_framework_file(path)
    assert "yaml_limit" in _single(exc) and "alias" in _single(exc)
    result = runner.invoke(app, ["frameworks", "validate", str(path)])
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "alias bomb" in lines[0]


def test_alias_bomb_in_a_user_directory_stops_loading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "bomb.yaml").write_text(_bomb(), encoding="utf-8")
    with pytest.raises(FrameworkValidationError, match="alias bomb"):
        load_framework("rml", tmp_path)


def test_small_aliases_still_work(tmp_path: Path) -> None:
    text = (DATA / "valid_small.yaml").read_text(encoding="utf-8")
    text = text.replace("source: tests\n", "source: &src tests\n", 1)
    head, tail = text.split("source: &src tests\n", 1)
    text = (
        head + "source: &src tests\n" + tail.replace("    source: tests\n", "    source: *src\n", 1)
    )
    assert "*src" in text
    path = tmp_path / "aliases.yaml"
    path.write_text(text, encoding="utf-8")
    [fw] = validate_path(path)
    assert fw.domains[0].source == "tests"


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    lines = [f"{'  ' * depth}k{depth}:" for depth in range(80)]
    path.write_text("\n".join(lines) + " end\n", encoding="utf-8")
    with pytest.raises(FrameworkValidationError) as exc:
        load_framework_file(path)
    assert "nested more than 64 levels" in _single(exc)


def test_huge_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("mlkit.frameworks.yaml_safe.MAX_BYTES", 1000)
    path = tmp_path / "big.yaml"
    path.write_text("id: x\n" + "# filler\n" * 200, encoding="utf-8")
    with pytest.raises(FrameworkValidationError) as exc:
        load_framework_file(path)
    assert "larger than" in _single(exc)


def test_windows_1252_framework_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "cp.yaml"
    text = (DATA / "valid_small.yaml").read_text(encoding="utf-8").replace("Eerste", "Eerste café")
    path.write_bytes(text.encode("cp1252"))
    line = 1 + text[: text.index("café")].count("\n")
    with pytest.raises(FrameworkValidationError) as exc:
        load_framework_file(path)
    message = _single(exc)
    assert f"line {line} [encoding] not UTF-8 (byte 0xe9" in message
    result = runner.invoke(app, ["frameworks", "validate", str(path)])
    lines = result.stderr.strip().splitlines()
    assert result.exit_code != 0 and len(lines) == 1
    assert "not UTF-8" in lines[0] and f"line {line}" in lines[0] and "Traceback" not in lines[0]


def test_windows_1252_instrument_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "kpb.yaml").write_bytes(
        "code: kpb\nname: {nl: Beoordeling café}\n".encode("cp1252")
    )
    with pytest.raises(AssessmentValidationError, match=r"line 2: not UTF-8"):
        load_instruments(tmp_path)


def test_markdown_export_escapes_html(tmp_path: Path) -> None:
    text = (DATA / "valid_small.yaml").read_text(encoding="utf-8")
    text = text.replace("nl: Testraamwerk", 'nl: "<script>alert(1)</script>"')
    text = text.replace("nl: Eerste domein", 'nl: "<img src=x onerror=alert(1)>"')
    path = tmp_path / "xss.yaml"
    path.write_text(text, encoding="utf-8")
    markdown = export_markdown(load_framework_file(path), "nl")
    assert "<script>" not in markdown and "<img" not in markdown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markdown
