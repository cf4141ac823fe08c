"""Execute a report notebook with papermill and write its three outputs atomically.

Outputs per report: the executed notebook, a self-contained HTML page without code cells (opens in
a browser with no server: styles inline, charts as embedded PNG) and a JSON sidecar with the key
figures and provenance. A failed run still writes the partial notebook and HTML with papermill's
error banner, then raises :class:`ReportExecutionError`.

The outputs are byte-for-byte reproducible: the same store, reference date, parameters and
versions give the same three files, from ``mlkit report`` or from a warm batch kernel. Run times,
random cell ids and machine paths are taken out of the notebook; the only clock reading is the
sidecar's ``provenance.rendered_at``, which ``SOURCE_DATE_EPOCH`` fixes.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib.resources import as_file
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import nbformat
from jinja2 import Environment, PackageLoader, select_autoescape
from pydantic import ValidationError

from mlkit import __version__
from mlkit._resources import data_root
from mlkit.atomic import write_text_atomic
from mlkit.errors import MlkitError
from mlkit.reports.params import ReportParams, safe_filename
from mlkit.reports.sidecar import KernelSidecar, Provenance, ReportSidecar, validation_reason

SIDECAR_MIME = "application/vnd.mlkit.sidecar+json"
SIDECAR_TAG = "mlkit-sidecar"
NOTE_TAG = "mlkit-template-note"
_EXPORT_LOCK = threading.Lock()
_HIDDEN_TAGS = {SIDECAR_TAG, NOTE_TAG, "parameters", "injected-parameters"}


class ReportExecutionError(MlkitError, RuntimeError):
    """A report notebook failed; the partial outputs were written with an error banner."""

    def __init__(self, aios_id: str, kind: str, reason: str, outputs: ReportOutputs) -> None:
        self.aios_id = aios_id
        self.kind = kind
        self.reason = reason
        self.outputs = outputs
        super().__init__(
            f"{kind} report for aios {aios_id!r} failed: {reason} "
            f"(partial notebook: {outputs.notebook})"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.aios_id, self.kind, self.reason, self.outputs))


@dataclass(frozen=True)
class ReportOutputs:
    """Paths of the files one report run wrote."""

    notebook: Path
    html: Path
    sidecar: Path
    ok: bool
    error: str | None = None


def templates_dir() -> Traversable:
    """Return the directory of the bundled notebook templates."""
    return data_root() / "notebooks"


def output_stem(params: ReportParams) -> str:
    """Return the file-name stem of a report's outputs, e.g. ``A0001_progress``."""
    return f"{safe_filename(params.aios_id)}_{params.kind}"


def sidecar_from_notebook(nb: nbformat.NotebookNode) -> dict[str, Any] | None:
    """Return the sidecar payload a report notebook emitted (unvalidated), or None."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if SIDECAR_MIME in data:
                found: dict[str, Any] = dict(data[SIDECAR_MIME])
                return found
    return None


def _kernel_sidecar(nb: nbformat.NotebookNode) -> tuple[KernelSidecar, str | None]:
    """The notebook's validated sidecar payload, or an empty one and why it does not validate."""
    payload = sidecar_from_notebook(nb)
    if payload is None:
        return KernelSidecar(), None
    try:
        return KernelSidecar.model_validate(payload), None
    except ValidationError as exc:
        return KernelSidecar(), f"sidecar does not validate: {validation_reason(exc)}"


def _env() -> Environment:
    return Environment(
        loader=PackageLoader("mlkit.reports", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )


@cache
def _exporter() -> Any:
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags=_HIDDEN_TAGS, enabled=True), enabled=True
    )
    return exporter


def notebook_to_html(nb: nbformat.NotebookNode, title: str, lang: str) -> str:
    """Render an executed notebook as one self-contained HTML page without code cells."""
    with _EXPORT_LOCK:  # one exporter per process, shared by batch threads
        body, _ = _exporter().from_notebook_node(nb)
    page = _env().get_template("page.html.j2")
    return page.render(title=title, lang=lang, body=body, version=__version__)


_RUN_KEYS = ("start_time", "end_time", "duration")
_GENERATED_CELLS = {
    "injected-parameters": "injected-parameters",
    "papermill-error-cell-tag": "papermill-error",
}


def rendered_at() -> str:
    """Return the render time for the sidecar: ``SOURCE_DATE_EPOCH`` when set, else now (UTC).

    A ``SOURCE_DATE_EPOCH`` that is not a whole number of seconds is ignored.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() else datetime.now(UTC)
    return moment.isoformat(timespec="seconds")


def normalise_notebook(nb: nbformat.NotebookNode, template: str, output: str) -> None:
    """Take everything out of an executed notebook that differs between two identical runs.

    Removes papermill's and nbclient's timings, names the template and output by file name
    only (not by machine path), and gives the cells papermill inserts (injected parameters,
    error banner) fixed ids instead of random ones.
    """
    meta = nb.metadata.get("papermill")
    if meta is not None:
        for key in _RUN_KEYS:
            meta.pop(key, None)
        meta["input_path"] = Path(template).name
        meta["output_path"] = output
    for index, cell in enumerate(nb.cells):
        cell.metadata.pop("execution", None)
        run = cell.metadata.get("papermill")
        if run is not None:
            for key in _RUN_KEYS:
                run.pop(key, None)
        for tag in cell.metadata.get("tags", []):
            if tag in _GENERATED_CELLS:
                cell["id"] = f"{_GENERATED_CELLS[tag]}-{index}"


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of a file's bytes (how outputs, templates and the packet are named)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def write_outputs(
    nb: nbformat.NotebookNode,
    params: ReportParams,
    out_dir: Path,
    *,
    error: str | None,
    template_sha256: str,
    seconds: float,
) -> ReportOutputs:
    """Write the notebook, HTML and sidecar of one report run, each atomically.

    The sidecar payload the notebook emitted is validated (:class:`KernelSidecar`); one that
    does not validate makes the report failed, with the reason in ``error`` of the sidecar and
    of the returned :class:`ReportOutputs`.

    ``seconds`` is accepted for the callers' bookkeeping (the batch manifest records it) but is
    not written: a run time in the outputs would make them differ between identical runs.
    """
    kernel, invalid = _kernel_sidecar(nb)
    error = error or invalid
    stem = output_stem(params)
    paths = ReportOutputs(
        out_dir / f"{stem}.ipynb",
        out_dir / f"{stem}.html",
        out_dir / f"{stem}.json",
        error is None,
        error,
    )
    title = kernel.title or f"{params.kind} — {params.aios_id}"
    normalise_notebook(nb, params.template, paths.notebook.name)
    nb_text = nbformat.writes(nb)
    html_text = notebook_to_html(nb, title, params.lang)
    run = {
        "parameters": params.notebook_parameters(),
        "template": params.template,
        "template_sha256": template_sha256,
        "mlkit_version": __version__,
        "rendered_at": rendered_at(),
        "outputs_sha256": {"notebook": _sha256_text(nb_text), "html": _sha256_text(html_text)},
    }
    sidecar = ReportSidecar(
        report=params.kind,
        ok=error is None,
        error=error,
        key_figures=kernel.key_figures,
        provenance=Provenance.model_validate({**kernel.provenance.model_dump(), **run}),
    )
    write_text_atomic(paths.notebook, nb_text)
    write_text_atomic(paths.html, html_text)
    write_text_atomic(paths.sidecar, sidecar.to_json())
    return paths


def render_report(
    params: ReportParams,
    out_dir: Path,
    *,
    kernel_name: str | None = None,
    execution_timeout: int = 600,
) -> ReportOutputs:
    """Execute the report notebook for ``params`` with papermill and write its outputs.

    The notebook runs through :func:`mlkit.reports.execute.execute` on a kernel started for
    this report, as every mlkit notebook run does.

    Example:
        >>> render_report(ProgressReportParams(aios_id="A0001", db="demo.db"), Path("out"))

    Raises:
        StoreMissingError: when the store does not exist (checked before a kernel starts).
        AiosNotFoundError: when the aios is not in the store (checked before a kernel starts).
        ReportExecutionError: when a cell failed; the partial notebook is kept with a banner.
            The kernel fails when the store changed after the host's check (the report never
            shows data other than the data whose hash it carries).
    """
    from mlkit.reports.execute import execute
    from mlkit.reports.inputs import check_store

    params = check_store(params)
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with as_file(templates_dir() / params.template) as template:
        template_sha = file_sha256(template)
        run = execute(
            template,
            params.notebook_parameters(),
            kernel_name=kernel_name,
            execution_timeout=execution_timeout,
        )
    outputs = write_outputs(
        run.nb,
        params,
        out_dir,
        error=run.error,
        template_sha256=template_sha,
        seconds=time.perf_counter() - started,
    )
    if not outputs.ok:
        reason = outputs.error or str(run.error)
        raise ReportExecutionError(params.aios_id, params.kind, reason, outputs)
    return outputs
