"""The committee overview on a batch's ``index.html``: who to discuss and why, then everyone.

Built from the reports of one batch (their validated sidecars, :mod:`mlkit.reports.sidecar`):

1. **to discuss** — aios whose proposal is not *voldoende*, whose report failed or whose decision
   is due, each with a one-line reason (:mod:`mlkit.reports.discuss`), most serious first;
2. the legend: each RML domain by its name in the page's language, and the status letters;
3. one section per specialty and, within it, per training year (anchors and a table of contents,
   no script): the status grid, the proposal, the latest decision and links to the reports;
4. the normative cohort view: per domain and training year the distribution of statuses, years
   with fewer than ``min_group`` aios suppressed (:mod:`mlkit.reports.cohort_view`);
5. talent-track candidates.

Failed reports are listed once, by ``index.html`` (:mod:`mlkit.reports.index`). Every text is
escaped (Jinja2 autoescape); links are the sanitised output file names of the batch.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

from jinja2 import Environment, PackageLoader, Template, select_autoescape
from pydantic import ValidationError

from mlkit.analysis.cohort import CohortRow
from mlkit.analysis.names import specialty_name
from mlkit.catalogue import Lang, long_date, word
from mlkit.reports.cohort_view import STATUSES, CohortView, cohort_view
from mlkit.reports.discuss import Discussion, Failure, discussion, domain_label, kind_name
from mlkit.reports.params import safe_filename
from mlkit.reports.sidecar import KeyFigures, ReportSidecar, validation_reason

MIN_GROUP = 5
_OUTPUT_SUFFIX = {"html": ".html", "notebook": ".ipynb", "sidecar": ".json"}


class AiosLike(Protocol):
    """What the overview needs of a selected aios (e.g. :class:`mlkit.batch.AiosEntry`)."""

    @property
    def aios_id(self) -> str:
        """The aios id."""

    @property
    def display_name(self) -> str:
        """The name shown."""

    @property
    def specialty(self) -> str | None:
        """The specialty code."""

    @property
    def training_year(self) -> int | None:
        """The training year on the reference date."""


@dataclass(frozen=True)
class BatchReport:
    """One report of a batch as the index sees it: status, files and the validated sidecar."""

    aios_id: str
    kind: str
    ok: bool
    reason: str | None = None
    files: Mapping[str, str] = field(default_factory=dict)
    sidecar: ReportSidecar | None = None


@dataclass(frozen=True)
class BatchView:
    """What ``index.html`` shows: the selected aios and the reports of the batch."""

    reports: tuple[BatchReport, ...]
    aios: tuple[AiosLike, ...] = ()

    @property
    def failures(self) -> list[BatchReport]:
        """The reports that failed (also those whose sidecar does not validate)."""
        return [r for r in self.reports if not r.ok]


@dataclass
class AiosLine:
    """One aios on the overview."""

    aios_id: str
    name: str
    specialty: str
    year: int | None
    figures: KeyFigures | None
    links: list[tuple[str, str]]  # (report kind for people, relative file name)
    discussion: Discussion
    proposal: str = ""
    outcome: str = ""
    decision: str = ""

    @property
    def who(self) -> str:
        """Name and id, as people read them."""
        return f"{self.name} ({self.aios_id})" if self.name else self.aios_id


def _conventional_files(aios_id: str, kind: str) -> dict[str, str]:
    stem = f"{safe_filename(aios_id)}_{kind}"
    return {name: stem + suffix for name, suffix in _OUTPUT_SUFFIX.items()}


def report_from_sidecar(data: ReportSidecar | Mapping[str, Any]) -> BatchReport:
    """A :class:`BatchReport` from a sidecar (or its JSON object), files named by convention.

    A JSON object that does not validate becomes a failed report with the reason.
    """
    if not isinstance(data, ReportSidecar):
        raw = data
        try:
            data = ReportSidecar.model_validate(raw)
        except ValidationError as exc:
            kind = str(raw.get("report") or "?")
            params = (raw.get("provenance") or {}).get("parameters") or {}
            aios_id = str(params.get("aios_id") or "?")
            reason = f"sidecar does not validate: {validation_reason(exc)}"
            return BatchReport(aios_id, kind, False, reason, _conventional_files(aios_id, kind))
    return BatchReport(
        data.aios_id,
        data.report,
        data.ok,
        data.error,
        _conventional_files(data.aios_id, data.report),
        data,
    )


def _view(source: BatchView | Sequence[ReportSidecar | Mapping[str, Any]]) -> BatchView:
    if isinstance(source, BatchView):
        return source
    return BatchView(tuple(report_from_sidecar(s) for s in source))


def _has_html(report: BatchReport) -> bool:
    return bool(report.files.get("html"))


def _decision_text(f: KeyFigures | None, lang: Lang) -> str:
    d = f.latest_decision if f else None
    if d is None:
        return word("none", lang)
    besluit = word(f"decision.besluit.{d.besluit.value}", lang)
    text = word("decision.short", lang, besluit=besluit, date=long_date(d.recorded_at.date(), lang))
    if d.next_evaluation is not None:
        text += " · " + word("overview.next", lang, date=long_date(d.next_evaluation, lang))
    return text


def aios_lines(view: BatchView, lang: Lang = "nl") -> list[AiosLine]:
    """One line per aios of the batch, in id order (figures from the progress report)."""
    entries = {a.aios_id: a for a in view.aios}
    by_aios: dict[str, list[BatchReport]] = {a: [] for a in entries}
    for r in view.reports:
        by_aios.setdefault(r.aios_id, []).append(r)
    numbers = {code: i for i, code in enumerate(domain_order(_progress_figures(view)), start=1)}
    lines = []
    for aios_id in sorted(by_aios):
        reports = sorted(by_aios[aios_id], key=lambda r: (r.kind != "progress", r.kind))
        entry = entries.get(aios_id)
        progress = next((r for r in reports if r.kind == "progress" and r.ok), None)
        f = progress.sidecar.figures if progress and progress.sidecar else None
        failures = [Failure(r.kind, r.reason or "") for r in reports if not r.ok]
        disc = discussion(f, failures, lang, numbers)
        outcome = f.proposal.outcome.value if f and f.proposal else ""
        year = f.training_year if f else (entry.training_year if entry else None)
        spec = f.specialty if f else (entry.specialty if entry else None)
        lines.append(
            AiosLine(
                aios_id=aios_id,
                name=(f.display_name if f else "") or (entry.display_name if entry else ""),
                specialty=specialty_name(spec or None, lang),
                year=year,
                figures=f,
                links=[(kind_name(r.kind, lang), r.files["html"]) for r in reports if _has_html(r)],
                discussion=disc,
                proposal=word(f"proposal.outcome.{outcome}", lang) if outcome else "",
                outcome=outcome,
                decision=_decision_text(f, lang),
            )
        )
    return lines


@dataclass
class Group:
    """A section of the overview: one specialty, or one training year within it."""

    anchor: str
    title: str
    lines: list[AiosLine]
    years: list[Group] = field(default_factory=list)


def _groups(lines: Sequence[AiosLine], lang: Lang) -> list[Group]:
    specialties: dict[str, list[AiosLine]] = {}
    for line in lines:
        specialties.setdefault(line.specialty, []).append(line)
    groups = []
    for i, name in enumerate(sorted(specialties), start=1):
        members = sorted(specialties[name], key=lambda x: (x.discussion.rank, x.aios_id))
        years: dict[int | None, list[AiosLine]] = {}
        for line in members:
            years.setdefault(line.year, []).append(line)
        group = Group(f"s{i}", name, members)
        for y in sorted(years, key=lambda v: (v is None, v or 0)):
            title = word("overview.year", lang, g=y) if y is not None else word("none", lang)
            group.years.append(Group(f"s{i}-y{y if y is not None else 0}", title, years[y]))
        groups.append(group)
    return groups


def _progress_figures(view: BatchView) -> list[KeyFigures]:
    return [
        f
        for r in view.reports
        if r.kind == "progress" and r.ok and r.sidecar and (f := r.sidecar.figures) is not None
    ]


def domain_order(figures: Sequence[KeyFigures]) -> list[str]:
    """Domains with a status for anyone (not assessable everywhere: left out), in report order."""
    out: list[str] = []
    for f in sorted(figures, key=lambda x: x.aios_id):
        for code, d in f.domains.items():
            if code not in out and d.status.value != "not_assessable":
                out.append(code)
    return out


def _names(lines: Sequence[AiosLine], domains: Sequence[str], lang: Lang) -> dict[str, str]:
    names: dict[str, str] = {}
    for code in domains:
        for line in lines:
            if line.figures is not None and code in line.figures.domains:
                names[code] = domain_label(line.figures, code, lang)
                break
    return names


def _rows(lines: Sequence[AiosLine]) -> list[CohortRow]:
    return [
        CohortRow(
            aios_id=x.aios_id,
            display_name=x.name,
            training_year=x.figures.training_year,
            specialty=x.figures.specialty,
            hospital=x.figures.hospital,
            statuses={c: d.status for c, d in x.figures.domains.items()},
        )
        for x in lines
        if x.figures is not None
    ]


def _talent(lines: Sequence[AiosLine], lang: Lang) -> list[str]:
    out = []
    for x in lines:
        f = x.figures
        if f is None:
            continue
        reasons = []
        if f.talent.consistently_ahead:
            n = f.status_counts.get(STATUSES[0], 0)
            reasons.append(word("overview.reason.ahead", lang, n=n))
        if f.talent.interest:
            reasons.append(word("overview.reason.interest", lang))
        if f.talent.enrolments:
            reasons.append(word("overview.reason.enrolled", lang, t=", ".join(f.talent.enrolments)))
        if reasons:
            out.append(f"{x.who} — {'; '.join(reasons)}")
    return out


@cache
def _template() -> Template:
    env = Environment(
        loader=PackageLoader("mlkit.reports", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("overview.html.j2")


def overview_context(view: BatchView, lang: Lang, min_group: int) -> dict[str, Any]:
    """Everything the overview template shows (for tests and other layouts)."""
    lines = aios_lines(view, lang)
    discuss = sorted(
        (x for x in lines if x.discussion.to_discuss),
        key=lambda x: (x.discussion.rank, x.aios_id),
    )
    domains = domain_order([x.figures for x in lines if x.figures is not None])
    names = _names(lines, domains, lang)
    as_ofs = sorted({x.figures.as_of for x in lines if x.figures is not None})
    cohort: CohortView = cohort_view(_rows(lines), min_group)
    return {
        "lang": lang,
        "w": lambda key, **values: word(key, lang, **values),
        "n_figures": sum(x.figures is not None for x in lines),
        "as_of": long_date(as_ofs[-1], lang) if as_ofs else word("none", lang),
        "discuss": discuss,
        "n_rest": len(lines) - len(discuss),
        "groups": _groups(lines, lang),
        "domains": domains,
        "numbers": {code: i for i, code in enumerate(domains, start=1)},
        "names": names,
        "statuses": [s.value for s in STATUSES],
        "cohort": cohort,
        "min_group": min_group,
        "talent": _talent(lines, lang),
        "n_failed": len(view.failures),
    }


def overview_html(
    source: BatchView | Sequence[ReportSidecar | Mapping[str, Any]],
    lang: Lang = "nl",
    min_group: int = MIN_GROUP,
) -> str:
    """Return the committee overview as an HTML fragment (every text escaped).

    ``source`` is the batch (:class:`BatchView`, as ``index.html`` passes it) or a list of
    sidecars; a sidecar that does not validate counts as a failed report.

    Example:
        >>> html = overview_html([read_sidecar(p) for p in out.glob("*_progress.json")])
    """
    return _template().render(**overview_context(_view(source), lang, min_group))
