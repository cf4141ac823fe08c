"""The committee overview on a batch's ``index.html``, built from the progress-report sidecars.

It lists every aios (committee members see individuals): a cohort x domain status grid, evidence
sufficiency per aios, who is behind or lacks evidence, talent-track candidates and failed
reports. Aggregates over groups (the cohort, each training year) are suppressed below
``min_group`` aios.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from mlkit.analysis import label
from mlkit.analysis.cohort import CohortAggregate, CohortRow, overview_from_rows
from mlkit.analysis.models import ProgressStatus
from mlkit.catalogue import long_date, word
from mlkit.frameworks.models import Lang
from mlkit.reports.blocks import Cell, Section, bullets, heading, paragraph, table
from mlkit.reports.proposal import overview_blocks

MIN_GROUP = 5


def _w(key: str, lang: Lang, **values: object) -> str:
    return word(f"overview.{key}", lang, **values)


def _row(figures: dict[str, Any]) -> CohortRow:
    return CohortRow(
        aios_id=str(figures["aios_id"]),
        display_name=str(figures.get("display_name") or ""),
        training_year=int(figures["training_year"]),
        specialty=figures.get("specialty"),
        hospital=figures.get("hospital"),
        statuses={code: ProgressStatus(d["status"]) for code, d in figures["domains"].items()},
    )


_NEEDED = ("aios_id", "training_year", "as_of", "domains", "status_counts", "evidence", "talent")


def _usable(figures: object) -> bool:
    """True for key figures written by mlkit's progress report (other templates are skipped)."""
    return isinstance(figures, dict) and all(k in figures for k in _NEEDED)


def _who(figures: dict[str, Any]) -> str:
    return f"{figures.get('display_name') or ''} ({figures['aios_id']})"


def _aggregate_row(agg: CohortAggregate, lang: Lang, k: int) -> list[Cell | str]:
    name = _w("all", lang) if agg.by == "all" else _w("year", lang, g=agg.group)
    if agg.suppressed:
        return [name, Cell(_w("suppressed", lang, k=k), cls="mlkit-muted"), ""]
    shares = sorted(agg.share_on_track_or_ahead.values())
    median = shares[len(shares) // 2] if shares else 0.0
    return [name, str(agg.n), f"{median:.0%}"]


_LETTERS = ("ahead", "on_track", "behind", "not_enough_evidence")


def _status_letter(status: str, lang: Lang) -> Cell:
    return Cell(_w(f"short.{status}", lang), badge=f"status-{status}")


def _domain_names(figures: Sequence[dict[str, Any]]) -> dict[str, str]:
    """Domain names as the progress reports wrote them (in the batch's language)."""
    out: dict[str, str] = {}
    for f in figures:
        for code, d in f["domains"].items():
            if d.get("name"):
                out.setdefault(code, str(d["name"]))
    return out


def overview_section(
    sidecars: Sequence[dict[str, Any]], lang: Lang = "nl", min_group: int = MIN_GROUP
) -> Section:
    """Build the committee overview from the batch's sidecars (progress reports only)."""
    progress = [s for s in sidecars if s.get("report") == "progress"]
    figures = [s["key_figures"] for s in progress if s.get("ok") and _usable(s.get("key_figures"))]
    figures.sort(key=lambda f: str(f["aios_id"]))
    failed = [s for s in sidecars if not s.get("ok")]
    as_of = long_date(date.fromisoformat(figures[0]["as_of"]), lang) if figures else "—"
    blocks = [heading(_w("title", lang)), paragraph(_w("intro", lang, n=len(figures), as_of=as_of))]
    overview = overview_from_rows([_row(f) for f in figures], min_group=min_group)
    names = _domain_names(figures)
    short = [str(i) for i, _ in enumerate(overview.domains, start=1)]
    grid_rows: list[list[Cell | str]] = [
        [_who(f), str(f["training_year"])]
        + [_status_letter(f["domains"][d]["status"], lang) for d in overview.domains]
        for f in figures
    ]
    columns = "; ".join(
        f"{n} = {names.get(d, d)}" for n, d in zip(short, overview.domains, strict=True)
    )
    letters = ", ".join(
        f"{_w(f'short.{s}', lang)} = {label(f'status.{s}', lang)}" for s in _LETTERS
    )
    blocks += [
        heading(_w("grid", lang), 3),
        paragraph(_w("legend", lang, columns=columns, letters=letters), "mlkit-muted"),
        table([_w("col.aios", lang), _w("col.year", lang), *short], grid_rows),
    ]
    suff_rows: list[list[Cell | str]] = []
    for f in figures:
        named = [d for d in f["domains"].values() if d["status"] != "not_assessable"]
        judged = sum(d["status"] != "not_enough_evidence" for d in named)
        this_year = [e for e in f["evidence"] if e["year"] == f["training_year"]]
        met = sum(e["state"] == "met" for e in this_year)
        suff_rows.append([_who(f), f"{judged}/{len(named)}", f"{met}/{len(this_year)}"])
    blocks += [
        heading(_w("sufficiency", lang), 3),
        table(
            [_w("col.aios", lang), _w("col.domains_judged", lang), _w("col.evidence", lang)],
            suff_rows,
        ),
    ]
    attention = []
    for f in figures:
        behind = [names.get(c, c) for c, d in f["domains"].items() if d["status"] == "behind"]
        missing = f["status_counts"].get("not_enough_evidence", 0)
        if behind or missing:
            parts = []
            if behind:
                parts.append(f"{label('status.behind', lang)}: {', '.join(behind)}")
            if missing:
                parts.append(f"{label('status.not_enough_evidence', lang)}: {missing}")
            attention.append(f"{_who(f)} — {'; '.join(parts)}")
    blocks += [heading(_w("attention", lang), 3), bullets(attention or [_w("none", lang)])]
    blocks += overview_blocks(figures, lang)
    talent = []
    for f in figures:
        t = f["talent"]
        reasons = []
        if t["consistently_ahead"]:
            reasons.append(_w("reason.ahead", lang, n=f["status_counts"].get("ahead", 0)))
        if t["interest"]:
            reasons.append(_w("reason.interest", lang))
        if t["enrolments"]:
            reasons.append(_w("reason.enrolled", lang, t=", ".join(t["enrolments"])))
        if reasons:
            talent.append(f"{_who(f)} — {'; '.join(reasons)}")
    blocks += [heading(_w("talent", lang), 3), bullets(talent or [_w("none", lang)])]
    groups = [_aggregate_row(a, lang, min_group) for a in overview.aggregates]
    blocks += [
        heading(_w("groups", lang, k=min_group), 3),
        table([_w("col.group", lang), _w("col.n", lang), _w("col.share", lang)], groups),
    ]
    failures = [
        f"{s.get('provenance', {}).get('parameters', {}).get('aios_id', '?')} "
        f"({s.get('report')}): {s.get('error')}"
        for s in failed
    ]
    blocks += [heading(_w("failed", lang), 3), bullets(failures or [_w("none", lang)])]
    return Section("overview", blocks)


def overview_html(
    sidecars: Sequence[dict[str, Any]], lang: Lang = "nl", min_group: int = MIN_GROUP
) -> str:
    """Return the committee overview as an HTML fragment (every text escaped)."""
    return overview_section(sidecars, lang, min_group).html()
