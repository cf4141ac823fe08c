"""The wheel ships frameworks/ and assessments/ and loads them through importlib.resources."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow

CHECK = """
import sys
import mlkit
from mlkit.frameworks import load_all
from mlkit.assessments import load_instruments, load_curricula
assert "site-packages" in mlkit.__file__, mlkit.__file__
fws = load_all()
print(len(fws), sum(len(f.codes()) for f in fws.values()), len(load_instruments()),
      len(load_curricula()))
from mlkit.ingest.profiles import load_profiles
print(len(load_profiles([])))
from mlkit.analysis.rules_files import bundled_evidence_rules
assert bundled_evidence_rules().version, "bundled evidence rules"
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(out),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    [whl] = out.glob("mlkit-*.whl")
    return whl


def test_wheel_contains_data(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    bundled = sorted(p.name for p in (ROOT / "frameworks").glob("*.yaml"))
    shipped = sorted(n.rsplit("/", 1)[1] for n in names if n.startswith("mlkit/_data/frameworks/"))
    assert bundled and shipped == bundled
    instruments = [n for n in names if n.startswith("mlkit/_data/assessments/instruments/")]
    assert len(instruments) == len(list((ROOT / "assessments" / "instruments").glob("*.yaml")))
    assert "mlkit/py.typed" in names
    profiles = [n for n in names if n.startswith("mlkit/_data/assessments/import_profiles/")]
    assert len(profiles) == len(list((ROOT / "assessments" / "import_profiles").glob("*.yaml")))
    assert "mlkit/_data/assessments/evidence_rules/default.yaml" in names


def test_installed_wheel_loads_every_framework(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    subprocess.run(
        [str(py), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
        text=True,
    )
    site = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # Dependencies come from the test environment; mlkit itself only from the wheel.
    (Path(site) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    result = subprocess.run(
        [str(py), "-c", CHECK], check=False, capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr  # say why the installed package failed
    n_frameworks, n_items, n_instruments, n_curricula, n_profiles = map(int, result.stdout.split())
    assert n_frameworks == len(list((ROOT / "frameworks").glob("*.yaml")))
    assert n_items > 150
    assert n_instruments >= 9
    assert n_curricula >= 2
    assert n_profiles == len(list((ROOT / "assessments" / "import_profiles").glob("*.yaml")))
