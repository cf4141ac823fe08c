"""``index.html``: one page for a batch — the committee overview, failed reports, every report.

The batch (:mod:`mlkit.batch`) only schedules, resets and records; it hands this module the
selected aios and one result per report, and this module reads each report's sidecar back through
:func:`mlkit.reports.sidecar.read_sidecar`. A report whose sidecar does not validate is listed as
failed with the reason. Failed reports are listed once, under one heading, from that one list.

Nothing here imports :mod:`mlkit.batch`: results and aios are taken by their shape
(:class:`ResultLike`, :class:`~mlkit.reports.overview.AiosLike`).

Everything mlkit renders here goes through Jinja2 with autoescaping on. The committee overview
comes from an ``overview_builder`` that receives the :class:`BatchView` and returns HTML; that
HTML is embedded as is, so the builder must escape what it renders
(:func:`mlkit.reports.overview.overview_html` does).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from mlkit import __version__
from mlkit.analysis.names import specialty_name
from mlkit.atomic import write_text_atomic
from mlkit.catalogue import Lang, word
from mlkit.reports.discuss import kind_name
from mlkit.reports.overview import AiosLike, BatchReport, BatchView
from mlkit.reports.sidecar import SidecarReadError, read_sidecar

INDEX_NAME = "index.html"

OverviewBuilder = Callable[[BatchView], str]
"""Receives the batch's aios and reports and returns the overview's HTML (escaped)."""


class ResultLike(Protocol):
    """What the index needs of one report's result (e.g. :class:`mlkit.batch.JobResult`)."""

    @property
    def key(self) -> str:
        """Report key, e.g. ``A0001_progress``."""

    @property
    def kind(self) -> str:
        """Report kind."""

    @property
    def aios_id(self) -> str:
        """The aios."""

    @property
    def status(self) -> str:
        """``ok``, ``skipped`` or ``failed``."""

    @property
    def reason(self) -> str | None:
        """Why it failed."""

    @property
    def outputs(self) -> Mapping[str, str]:
        """Output file names by role (``notebook``, ``html``, ``sidecar``)."""


def batch_report(out_dir: Path, result: ResultLike) -> BatchReport:
    """Read the sidecar of one result; an unreadable or invalid one makes the report failed."""
    ok = result.status != "failed"
    reason = result.reason
    sidecar = None
    name = result.outputs.get("sidecar")
    if name:
        try:
            sidecar = read_sidecar(out_dir / name)
        except SidecarReadError as exc:
            if ok:
                ok, reason = False, str(exc)
    if ok and sidecar is not None and not sidecar.ok:
        ok, reason = False, sidecar.error
    return BatchReport(result.aios_id, result.kind, ok, reason, dict(result.outputs), sidecar)


def load_view(out_dir: Path, aios: Sequence[AiosLike], results: Sequence[ResultLike]) -> BatchView:
    """Return the batch as the index shows it: every result with its validated sidecar."""
    return BatchView(tuple(batch_report(out_dir, r) for r in results), tuple(aios))


def render_index(
    out_dir: Path,
    aios: Sequence[AiosLike],
    results: Sequence[ResultLike],
    overview_builder: OverviewBuilder | None = None,
    *,
    title: str = "",
    lang: Lang = "nl",
) -> str:
    """Return the HTML of the index page for one batch, in ``lang`` (Dutch by default)."""
    env = Environment(
        loader=PackageLoader("mlkit.reports", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    view = load_view(out_dir, aios, results)
    by_aios: dict[str, dict[str, dict[str, object]]] = {}
    statuses = []
    for result, report in zip(results, view.reports, strict=True):
        status = result.status if report.ok else "failed"
        statuses.append(status)
        shown: dict[str, object] = {"status": status, "outputs": dict(result.outputs)}
        by_aios.setdefault(result.aios_id, {})[result.kind] = shown
    kinds = list(dict.fromkeys(r.kind for r in results))
    rows = [{"entry": entry, "reports": by_aios.get(entry.aios_id, {})} for entry in aios]
    counts = {s: statuses.count(s) for s in ("ok", "skipped", "failed")}
    counts["pending"] = max(len(aios) * max(len(kinds), 1) - len(results), 0) if kinds else 0
    overview = None
    if overview_builder is not None:
        overview = Markup(overview_builder(view))  # noqa: S704 - the builder escapes
    failed = [
        {"key": f"{r.aios_id} ({kind_name(r.kind, lang)})", "href": r.files.get("html", "")}
        | {"reason": r.reason or ""}
        for r in view.failures
    ]
    return env.get_template("index.html.j2").render(
        title=title or word("index.title", lang),
        lang=lang,
        w=lambda key, **values: word(key, lang, **values),
        specialty=lambda code: specialty_name(code or None, lang),
        kind_names={k: kind_name(k, lang) for k in kinds},
        version=__version__,
        kinds=kinds,
        rows=rows,
        counts=counts,
        failed=failed,
        overview=overview,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )


def write_index(
    out_dir: Path,
    aios: Sequence[AiosLike],
    results: Sequence[ResultLike],
    overview_builder: OverviewBuilder | None = None,
    *,
    lang: Lang = "nl",
) -> Path:
    """Write ``index.html`` atomically and return its path."""
    path = out_dir / INDEX_NAME
    write_text_atomic(path, render_index(out_dir, aios, results, overview_builder, lang=lang))
    return path
