"""Preparing form notebooks for opleiders and aios, and opening a folder in JupyterLab or Voilà.

The notebooks are written parameterised but not executed (a form is filled live, in a running
kernel); they carry no outputs. :class:`AssessParams` is the one parameter model of the
assessment notebook: the CLI options, the notebook's parameters cell and the writer use it.
"""

from __future__ import annotations

import json
import shutil
import sys
from importlib.resources import as_file
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from mlkit.atomic import write_text_atomic
from mlkit.errors import MlkitError
from mlkit.kernels import SERVER_ARGS

ASSESS_TEMPLATE = "assessment_form.ipynb"


class AssessParams(BaseModel):
    """Parameters of ``notebooks/assessment_form.ipynb``.

    Attributes:
        db: The cohort store (absolute, so the notebook can be opened from anywhere).
        opleider: Offer only this opleider's aios; all when empty.
        lang: ``nl`` or ``en``.
        out: Where a progress report made from the form goes.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    db: str
    opleider: str = ""
    lang: Literal["nl", "en"] = "nl"
    out: str = ""


class JupyterMissingError(MlkitError, FileNotFoundError):
    """JupyterLab or Voilà is not installed."""

    def __init__(self, program: str) -> None:
        self.program = program
        super().__init__(f"{program} not found: pip install 'mlkit[lab]' (JupyterLab and Voilà)")

    def __reduce__(self) -> tuple[type[JupyterMissingError], tuple[str]]:
        return (type(self), (self.program,))


def parameterised_notebook(template: str, parameters: dict[str, Any]) -> str:
    """Return the bundled notebook ``template`` with ``parameters`` injected, as JSON text.

    Papermill injects them through :func:`mlkit.reports.execute.execute` (``prepare_only``:
    nothing is executed); its run metadata is dropped.
    """
    from mlkit.reports.execute import execute
    from mlkit.reports.render import templates_dir

    with as_file(templates_dir() / template) as path:
        nb = execute(path, parameters, kernel_name="python3", prepare_only=True).nb
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return json.dumps(nb, ensure_ascii=False, indent=1) + "\n"


def prepare_assessment(params: AssessParams, out: Path) -> Path:
    """Write the assessment form notebook into ``out``; return its path.

    Raises:
        StoreMissingError: when the cohort store does not exist.
    """
    from mlkit.reports.inputs import StoreMissingError

    db = Path(params.db).resolve()
    if not db.is_file():
        raise StoreMissingError(db)
    out.mkdir(parents=True, exist_ok=True)
    reports = params.out or str((out / "rapporten").resolve())
    values = params.model_copy(update={"db": str(db), "out": reports}).model_dump()
    target = out / ASSESS_TEMPLATE
    write_text_atomic(target, parameterised_notebook(ASSESS_TEMPLATE, values))
    return target


def lab_command(folder: Path, *, app: bool = False, port: int | None = None) -> list[str]:
    """The command opening ``folder`` in JupyterLab, or with ``app`` in Voilà (code hidden).

    Raises:
        JupyterMissingError: when the program is not installed.
    """
    program = "voila" if app else "jupyter-lab"
    beside = Path(sys.executable).with_name(program)  # the same environment as mlkit
    found = str(beside) if beside.is_file() else shutil.which(program)
    if found is None:
        raise JupyterMissingError(program)
    args = [found, *SERVER_ARGS]
    if app:
        args += [str(folder), "--theme=light"]
    else:
        args += [f"--ServerApp.root_dir={folder}"]
    if port is not None:
        args += [f"--port={port}"]
    return args


__all__ = [
    "AssessParams",
    "JupyterMissingError",
    "lab_command",
    "parameterised_notebook",
    "prepare_assessment",
]
