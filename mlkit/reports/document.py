"""A report for one aios: its sections, key figures and provenance.

The notebooks call :func:`open_report` and then show one section per cell; the batch benchmark's
in-process baseline calls :meth:`Report.html` to render the same sections without a kernel.

Example (in a notebook)::

    report = open_report("progress", aios_id=aios_id, db=db, lang=lang, as_of=as_of,
                         frameworks_dir=frameworks_dir)
    report.show("domains")
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mlkit import __version__
from mlkit.analysis import ProgressAnalysis
from mlkit.analysis.models import ProgressStatus
from mlkit.analysis.names import domain_name
from mlkit.frameworks.models import Lang
from mlkit.reports import first_page, reflection
from mlkit.reports import proposal as pr
from mlkit.reports import sections as s
from mlkit.reports import sections_summary as ss
from mlkit.reports import sidecar as sc
from mlkit.reports.blocks import Section
from mlkit.reports.inputs import ReferenceData, ReportInputs, analyse, load_inputs
from mlkit.reports.params import ReportParams, params_for
from mlkit.reports.render import SIDECAR_MIME
from mlkit.reports.words import word

_LANGS: tuple[Lang, ...] = ("nl", "en")

SectionBuilder = Callable[[ReportInputs, ProgressAnalysis, Lang], Section]

_BUILDERS: dict[str, SectionBuilder] = {
    "header_progress": lambda i, a, lang: s.header("progress", i, a, lang),
    "header_summary": lambda i, a, lang: s.header("summary", i, a, lang),
    "header_reflection": lambda i, a, lang: s.header("reflection", i, a, lang),
    "at_a_glance": first_page.at_a_glance,
    "proposal": pr.proposal_section,
    "decisions": pr.decisions_section,
    "domains": s.domains,
    "radar": lambda i, a, lang: s.radar(a, lang),
    "trajectories": lambda i, a, lang: s.trajectories(a, lang),
    "evidence": s.evidence,
    "msf": lambda i, a, lang: s.msf(a, lang),
    "talent": s.talent,
    "next": s.next_steps,
    "appendix": s.appendix,
    "appendix_summary": lambda i, a, lang: s.appendix(i, a, lang, rules=False),
    "forms": lambda i, a, lang: ss.forms_overview(i, lang),
    "ordinal": ss.ordinal,
    "gap": lambda i, a, lang: ss.gap(a, lang),
    "comments": lambda i, a, lang: ss.comments(i, lang),
    "reflections": first_page.reflections,
    "prompts": lambda i, a, lang: reflection.prompts(lang),
}

SECTIONS: dict[str, tuple[str, ...]] = {
    "progress": (
        "header_progress",
        "at_a_glance",
        "domains",
        "radar",
        "trajectories",
        "evidence",
        "msf",
        "talent",
        "next",
        "proposal",
        "decisions",
        "reflections",
        "appendix",
    ),
    "summary": (
        "header_summary",
        "forms",
        "ordinal",
        "msf",
        "gap",
        "comments",
        "reflections",
        "appendix_summary",
    ),
    "reflection": ("header_reflection", "gap", "radar", "trajectories", "prompts"),
}


@dataclass
class Report:
    """One aios' report: inputs read for that aios only, the analysis, and rendered sections."""

    params: ReportParams
    inputs: ReportInputs
    analysis: ProgressAnalysis
    _cache: dict[str, Section] = field(default_factory=dict, repr=False)

    @property
    def lang(self) -> Lang:
        """The report language."""
        return self.params.lang

    def section(self, key: str) -> Section:
        """Return section ``key`` (built once).

        Raises:
            KeyError: for an unknown section name.
        """
        if key not in self._cache:
            self._cache[key] = _BUILDERS[key](self.inputs, self.analysis, self.lang)
        return self._cache[key]

    def html(self) -> str:
        """Return every section of this report kind as one HTML fragment."""
        return "\n".join(self.section(k).html() for k in SECTIONS[self.params.kind])

    def show(self, key: str) -> None:
        """Display section ``key`` in the notebook."""
        from IPython.display import HTML, display

        display(HTML(self.section(key).html()))

    def title(self) -> str:
        """The page title: report kind and aios."""
        return f"{word(f'title.{self.params.kind}', self.lang)} — {self.analysis.display_name}"

    def figures(self) -> sc.KeyFigures:
        """The figures a committee or script reads from the JSON sidecar, as a typed model."""
        a = self.analysis
        return sc.KeyFigures(
            aios_id=a.aios_id,
            display_name=a.display_name,
            specialty=a.specialty,
            hospital=a.hospital,
            training_year=a.training_year,
            as_of=a.as_of,
            status_counts={ProgressStatus(k): v for k, v in a.status_counts.items()},
            domains={
                d.code: sc.DomainFigures(
                    name=domain_name(d.domain, self.lang),
                    names={lang: domain_name(d.domain, lang) for lang in _LANGS},
                    status=d.status,
                    expected=d.expected.value if d.expected else None,
                    current=d.current.value if d.current else None,
                    self_level=d.self_level.value if d.self_level else None,
                    gap=d.gap,
                    n_observations=d.sufficiency.n_observations,
                    n_assessors=d.sufficiency.n_assessors,
                    reasons=list(d.reasons),
                )
                for d in a.domains
            },
            evidence=[
                sc.EvidenceFigures(
                    year=e.year,
                    instrument=e.instrument,
                    required=e.required,
                    present=e.present,
                    state=e.state,
                )
                for e in a.evidence
            ],
            msf=None
            if a.msf is None
            else sc.MsfFigures(
                respondents=a.msf.n_respondents,
                groups={
                    g.role: sc.MsfGroupFigures(n=g.n_respondents, mean=g.overall_mean)
                    for g in a.msf.groups
                },
                hidden_groups=a.msf.n_hidden_groups,
            ),
            talent=sc.TalentFigures(
                consistently_ahead=a.talent.consistently_ahead,
                interest=len(a.talent.interest),
                enrolments=[e.track for e in a.talent.enrolments],
            ),
            judgements={
                key: None
                if j is None
                else sc.JudgementFigures(date=j.date, ratings={r.item: r.value for r in j.ratings})
                for key, j in (
                    ("progress_meeting", a.latest_progress_meeting),
                    ("suitability", a.latest_suitability),
                )
            },
            newest_evidence=a.newest_evidence,
            flags={f.kind: dict(f.values) for f in a.flags},
            proposal=pr.proposal_figures(a, self.lang),
            latest_decision=pr.decision_figures(self.inputs),
            n_forms=len(self.inputs.forms),
            n_reflections=len(self.inputs.reflections),
        )

    def key_figures(self) -> dict[str, Any]:
        """The key figures as the sidecar's JSON holds them (:meth:`figures`, dumped)."""
        return self.figures().model_dump(mode="json")

    def provenance(self) -> sc.Provenance:
        """What the report was made from: data hash, framework, curriculum and rules versions."""
        return sc.Provenance(
            data_sha256=self.inputs.data_sha256,
            frameworks={f.id: f.version for f in self.inputs.frameworks.values()},
            curriculum={
                "id": self.inputs.curriculum.id,
                "status": self.inputs.curriculum.status.value,
            },
            instruments=sorted(self.inputs.instruments),
            evidence_rules=self.inputs.evidence_rules.provenance(),
            as_of=self.analysis.as_of,
            mlkit_version=__version__,
        )

    def sidecar(self) -> dict[str, Any]:
        """The payload of the sidecar output the notebook emits (a :class:`KernelSidecar`)."""
        payload = sc.KernelSidecar(
            title=self.title(), key_figures=self.figures(), provenance=self.provenance()
        )
        return payload.model_dump(mode="json", exclude_unset=False)

    def emit_sidecar(self) -> None:
        """Emit the key figures as a notebook output that :mod:`mlkit.reports.render` reads."""
        from IPython.display import display

        display({SIDECAR_MIME: self.sidecar()}, raw=True)


def build_report(params: ReportParams, reference: ReferenceData | None = None) -> Report:
    """Read one aios' data, analyse it and return the report (no kernel needed)."""
    inputs = load_inputs(params, reference)
    return Report(params, inputs, analyse(inputs))


def open_report(kind: str, **values: Any) -> Report:
    """Validate the parameters of report ``kind`` and build it; used by the notebooks.

    Raises:
        ReportParameterError: for an unknown or invalid parameter.
        StoreMissingError: when the store does not exist.
        AiosNotFoundError: when the aios is not in the store.
    """
    return build_report(params_for(kind, values))
