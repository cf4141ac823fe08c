"""``index.html``: one page linking every report of a batch, with an optional overview on top.

Everything mlkit renders here goes through Jinja2 with autoescaping on. The committee overview
comes from an ``overview_builder`` callable that receives the loaded JSON sidecars and returns
HTML; that HTML is embedded as is, so the builder must escape what it renders.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from mlkit import __version__
from mlkit.analysis.names import specialty_name
from mlkit.atomic import write_text_atomic
from mlkit.batch.jobs import JobResult
from mlkit.frameworks.models import Lang
from mlkit.reports.words import word

if TYPE_CHECKING:
    from mlkit.batch.select import AiosEntry

INDEX_NAME = "index.html"


def load_sidecars(out_dir: Path, results: Sequence[JobResult]) -> list[dict[str, Any]]:
    """Return the JSON sidecars written for ``results`` (missing or unreadable ones left out)."""
    sidecars: list[dict[str, Any]] = []
    for result in results:
        name = result.outputs.get("sidecar")
        if not name:
            continue
        try:
            data = json.loads((out_dir / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict):
            sidecars.append(data)
    return sidecars


def render_index(
    out_dir: Path,
    aios: Sequence[AiosEntry],
    results: Sequence[JobResult],
    overview_builder: Callable[[list[dict[str, Any]]], str] | None = None,
    *,
    title: str = "",
    lang: Lang = "nl",
) -> str:
    """Return the HTML of the index page for one batch, in ``lang`` (Dutch by default)."""
    env = Environment(
        loader=PackageLoader("mlkit.batch", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    by_aios: dict[str, dict[str, JobResult]] = {}
    for result in results:
        by_aios.setdefault(result.aios_id, {})[result.kind] = result
    kinds = list(dict.fromkeys(r.kind for r in results))
    rows = [{"entry": entry, "reports": by_aios.get(entry.aios_id, {})} for entry in aios]
    counts = {s: sum(r.status == s for r in results) for s in ("ok", "skipped", "failed")}
    counts["pending"] = max(len(aios) * max(len(kinds), 1) - len(results), 0) if kinds else 0
    overview = None
    if overview_builder is not None:
        overview = Markup(overview_builder(load_sidecars(out_dir, results)))  # noqa: S704
    kind_names = {k: _word(f"kind.{k}", lang, k) for k in kinds}
    return env.get_template("index.html.j2").render(
        title=title or word("index.title", lang),
        lang=lang,
        w=lambda key, **values: word(key, lang, **values),
        specialty=lambda code: specialty_name(code or None, lang),
        kind_names=kind_names,
        version=__version__,
        kinds=kinds,
        rows=rows,
        counts=counts,
        failed=[r for r in results if r.status == "failed"],
        overview=overview,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )


def _word(key: str, lang: Lang, fallback: str) -> str:
    """A word for ``key``, or ``fallback`` for names mlkit has no word for (a custom kind)."""
    try:
        return word(key, lang)
    except KeyError:
        return fallback


def write_index(
    out_dir: Path,
    aios: Sequence[AiosEntry],
    results: Sequence[JobResult],
    overview_builder: Callable[[list[dict[str, Any]]], str] | None = None,
    *,
    lang: Lang = "nl",
) -> Path:
    """Write ``index.html`` atomically and return its path."""
    path = out_dir / INDEX_NAME
    write_text_atomic(path, render_index(out_dir, aios, results, overview_builder, lang=lang))
    return path
