"""Warm-kernel isolation, proven against an adversarial template.

The template below first looks for every kind of state a previous report could have left
(module and class attributes, cached values, builtins, ``os.environ``, pandas options, the
matplotlib style registry, warnings filters, the global random states, IPython hooks, a
background thread, an import hook and a signal timer), then plants all of them with its own
aios id. Rendered for three aios on one kernel pool with ``restart_every=0``, no report may see
anything of the one before it, and no report's files may contain another aios' id.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
import pytest

from mlkit.batch import AiosEntry, BatchRequest, run_batch
from mlkit.reports.params import parameters_cell_source
from mlkit.reports.render import SIDECAR_MIME

pytestmark = pytest.mark.slow
IDS = ["ADV1", "ADV2", "ADV3"]

OBSERVE = """\
import builtins, os, random, signal, sys, time, warnings
import matplotlib, matplotlib.style, numpy as np, pandas as pd
import mlkit
from mlkit.reports import blocks, inputs

time.sleep(0.3)  # give a left-over thread time to act
seen = {
    "module_attribute": hasattr(mlkit, "_leak"),
    "class_attribute": hasattr(pd.DataFrame, "_leak"),
    "lru_cache_value": hasattr(blocks._template(), "mlkit_leak"),
    "reference_cache": hasattr(inputs.load_reference(), "_leak"),
    "builtins": hasattr(builtins, "_leak"),
    "os_environ": "MLKIT_LEAK" in os.environ,
    "pandas_option": pd.get_option("display.max_rows") == 7,
    "matplotlib_style": "mlkit-leak" in matplotlib.style.library
    or "mlkit-leak" in matplotlib.style.available,
    "warnings_filter": any(
        f[1] is not None and f[1].pattern == "mlkit-leak" for f in warnings.filters
    ),
    "numpy_rng": np.random.rand() == np.random.RandomState(1234).rand(),
    "random_rng": random.random() == random.Random(1234).random(),
    "pre_run_cell_hook": "_hook_from" in globals(),
    "background_thread": "_thread_from" in globals(),
    "import_hook": any(type(f).__name__ == "_Finder" for f in sys.meta_path),
    "signal_timer": getattr(signal.getsignal(signal.SIGALRM), "__name__", "") == "_alarm"
    or signal.getitimer(signal.ITIMER_REAL)[0] > 0,
}
"""

PLANT = """\
import functools, threading
from IPython import get_ipython

mlkit._leak = aios_id
pd.DataFrame._leak = aios_id
blocks._template().mlkit_leak = aios_id
object.__setattr__(inputs.load_reference(), "_leak", aios_id)
builtins._leak = aios_id
os.environ["MLKIT_LEAK"] = aios_id
pd.set_option("display.max_rows", 7)
matplotlib.style.library["mlkit-leak"] = {"lines.linewidth": 9.0}
matplotlib.style.available.append("mlkit-leak")
warnings.filterwarnings("ignore", message="mlkit-leak")
np.random.seed(1234)
random.seed(1234)
_shell = get_ipython()
_planted = str(aios_id)


def _hook(info, _shell=_shell, _planted=_planted):
    _shell.user_ns["_hook_from"] = _planted
    print("hook of", _planted)


_shell.events.register("pre_run_cell", _hook)


def _loop(_shell=_shell, _planted=_planted):
    while True:
        _shell.user_ns["_thread_from"] = _planted
        print("thread of", _planted)
        time.sleep(0.05)


threading.Thread(target=_loop, daemon=True).start()


class _Finder:
    def find_spec(self, name, path=None, target=None):
        return None


sys.meta_path.insert(0, _Finder())


def _alarm(signum, frame, _planted=_planted):
    print("alarm of", _planted)


signal.signal(signal.SIGALRM, _alarm)
signal.setitimer(signal.ITIMER_REAL, 30)
"""

SIDECAR = """\
from IPython.display import display

display(
    {
        "MIME": {
            "title": "Adversary " + aios_id,
            "key_figures": {"aios_id": aios_id, "seen": seen},
            "provenance": {},
        },
        "text/plain": "sidecar",
    },
    raw=True,
)
""".replace("MIME", SIDECAR_MIME)


@pytest.fixture
def adversary(tmp_path: Path) -> Path:
    from mlkit.reports.params import ProgressReportParams

    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(parameters_cell_source(ProgressReportParams))
    params.metadata["tags"] = ["parameters"]
    sidecar = nbformat.v4.new_code_cell(SIDECAR)
    sidecar.metadata["tags"] = ["mlkit-sidecar"]
    nb.cells = [params, nbformat.v4.new_code_cell(OBSERVE), nbformat.v4.new_code_cell(PLANT)]
    nb.cells.append(sidecar)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    folder = tmp_path / "templates"
    folder.mkdir()
    nbformat.write(nb, folder / "progress_report.ipynb")
    return folder


def _render(out: Path, templates: Path, **kw: Any) -> dict[str, dict[str, bool]]:
    result = run_batch(
        [AiosEntry(a, f"hash-{a}") for a in IDS],
        BatchRequest(
            out=out,
            db=out / "none.db",
            kinds=["progress"],
            as_of="2025-06-30",
            template_dir=templates,
            workers=1,
            restart_every=0,
            **kw,
        ),
    )
    assert [r.status for r in result.results] == ["ok"] * len(IDS), result.results
    seen: dict[str, dict[str, bool]] = {}
    for aios_id in IDS:
        sidecar = json.loads((out / f"{aios_id}_progress.json").read_text(encoding="utf-8"))
        seen[aios_id] = sidecar["key_figures"]["seen"]
        for other in set(IDS) - {aios_id}:
            for suffix in (".ipynb", ".html", ".json"):
                text = (out / f"{aios_id}_progress{suffix}").read_text(encoding="utf-8")
                assert other not in text, f"{other} leaked into {aios_id}_progress{suffix}"
    return seen


def test_custom_template_gets_a_fresh_kernel_and_nothing_leaks(
    tmp_path: Path, adversary: Path
) -> None:
    seen = _render(tmp_path / "out", adversary)
    assert len(seen["ADV1"]) == 15
    for aios_id, found in seen.items():
        assert [name for name, leaked in found.items() if leaked] == [], aios_id


RESET_OR_DETECTED = [
    "module_attribute",
    "class_attribute",
    "builtins",
    "os_environ",
    "pandas_option",
    "matplotlib_style",
    "warnings_filter",
    "numpy_rng",
    "random_rng",
    "pre_run_cell_hook",
    "background_thread",
    "import_hook",
    "signal_timer",
]


def test_trusted_warm_kernel_resets_or_restarts_for_each_listed_leak(
    tmp_path: Path, adversary: Path
) -> None:
    """With warm kernels kept (trust_templates), the reset undoes settings and hooks, and a
    thread or a changed module or class attribute makes the engine restart the kernel.

    Cached values changed in place (lru_cache, mlkit's reference data) are the documented gap of
    a warm kernel; they are why untrusted templates get a fresh kernel (test above).
    """
    seen = _render(tmp_path / "out", adversary, trust_templates=True)
    for aios_id, found in seen.items():
        assert [n for n in RESET_OR_DETECTED if found[n]] == [], aios_id


def test_each_leak_alone_is_undone_on_a_warm_kernel(
    tmp_path: Path, adversary: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a thread or attribute to force a restart, the reset alone must undo each setting."""
    template = adversary / "progress_report.ipynb"
    nb = nbformat.read(template, as_version=4)
    plant = nb.cells[2]
    kept = [
        line
        for line in plant.source.splitlines()
        if not line.startswith(("mlkit._leak", "pd.DataFrame._leak", "blocks.", "object."))
        and "Thread(" not in line
    ]
    plant.source = "\n".join(kept)
    nbformat.write(nb, template)
    from mlkit.batch import kernel_pool

    starts: list[int] = []
    original = kernel_pool.WarmKernel.start

    def counting_start(self: kernel_pool.WarmKernel) -> None:
        original(self)
        starts.append(1)

    monkeypatch.setattr(kernel_pool.WarmKernel, "start", counting_start)
    seen = _render(tmp_path / "out", adversary, trust_templates=True)
    assert len(starts) == 1  # one warm kernel served all three: the reset did the work
    for aios_id, found in seen.items():
        assert [n for n in RESET_OR_DETECTED if found[n]] == [], aios_id
