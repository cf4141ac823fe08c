"""What-if for the evidence rules: who would change status under other numbers, before applying.

:class:`WhatIf` reads every aios' records once (or takes the reports the committee notebook
built anyway) and keeps, per aios and domain, the evidence as small arrays. Judging a cohort
under other :class:`~mlkit.analysis.rules.EvidenceRules` then only counts again and calls the
same :func:`mlkit.analysis.status.judge` as the reports, fast enough for a slider. The MSF group
minimum and the self roles change which rows count at all, so the evidence is annotated again
for a new value of those (and kept per value).

Nothing is written until :meth:`WhatIf.apply` writes the next version of the store's rules
(:func:`mlkit.analysis.rules_files.apply_evidence_rules`).

Example:
    >>> wi = WhatIf.from_store(Path("cohort.db"), as_of="2026-06-30")  # doctest: +SKIP
    >>> stricter = wi.rules.model_copy(update={"min_observations": 5})  # doctest: +SKIP
    >>> c = wi.changes(stricter)[0]  # doctest: +SKIP
    >>> (c.aios_id, c.domain, c.before, c.after)  # doctest: +SKIP
    ('S0003', 'rml.d02', 'on_track', 'not_enough_evidence')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from mlkit.analysis import ProgressAnalysis
from mlkit.analysis.dates import add_months
from mlkit.analysis.inputs import annotate_scores, developmental_scale
from mlkit.analysis.models import DomainProgress, ProgressStatus
from mlkit.analysis.ordinal import latest_of, mode_of
from mlkit.analysis.proposal import propose
from mlkit.analysis.rules import EvidenceRules
from mlkit.analysis.rules_files import EvidenceRulesFile, apply_evidence_rules
from mlkit.analysis.status import EvidenceCounts, judge
from mlkit.reports.inputs import ReportInputs

PROPOSAL = "proposal"  # the ``domain`` of a change of the proposed decision


@dataclass(frozen=True)
class Change:
    """One status that would change, from ``before`` (rules in force) to ``after`` (proposed).

    ``domain`` is a domain code, or ``"proposal"`` for the proposed progress decision.
    """

    aios_id: str
    display_name: str
    domain: str
    before: str
    after: str


@dataclass(frozen=True)
class _Rows:
    """One domain's annotated evidence as arrays (row order as annotated)."""

    date: np.ndarray  # datetime64[ns]
    obs: np.ndarray  # int codes of obs_key (-1: none)
    assessor: np.ndarray  # int codes of assessor_key (-1: none, as for an activity)
    level: np.ndarray  # float, NaN when not on the developmental scale
    is_self: np.ndarray
    narrative: np.ndarray


def _rows_by_domain(annotated: pd.DataFrame) -> dict[str, _Rows]:
    obs = pd.factorize(annotated["obs_key"])[0]
    assessor = pd.factorize(annotated["assessor_key"])[0]
    dates = annotated["date"].to_numpy(dtype="datetime64[ns]")
    level = annotated["level"].to_numpy(dtype=float)
    is_self = annotated["is_self"].to_numpy(dtype=bool)
    narrative = annotated["narrative"].to_numpy(dtype=bool)
    out: dict[str, _Rows] = {}
    for code, idx in annotated.groupby("domain", sort=False).indices.items():
        out[str(code)] = _Rows(
            dates[idx], obs[idx], assessor[idx], level[idx], is_self[idx], narrative[idx]
        )
    return out


def _distinct(codes: np.ndarray) -> int:
    """Distinct keys, like pandas' ``nunique``: a missing key (code -1) is not counted.

    An activity has no assessor, so its ``assessor_key`` is missing.
    """
    return len(np.unique(codes[codes >= 0]))


def _current(rows: _Rows, mask: np.ndarray, rule: str) -> int | None:
    values = [int(v) for v in rows.level[mask]]
    if not values:
        return None
    if rule == "mode":
        return mode_of(values)
    found = latest_of(values, list(rows.date[mask]))
    return found[0] if found else None


def _counts(
    rows: _Rows | None, rules: EvidenceRules, window: np.datetime64, d: DomainProgress
) -> EvidenceCounts:
    loaded = d.status is not ProgressStatus.NOT_ASSESSABLE
    expected = d.expected.value if d.expected else None
    if rows is None or not loaded:
        return EvidenceCounts(loaded, 0, 0, 0, 0, 0, False, None, expected)
    others = ~rows.is_self
    recent = others & (rows.date > window)
    rated = others & ~np.isnan(rows.level)
    recent_rated = rated & (rows.date > window)
    current = _current(rows, recent_rated if recent_rated.any() else rated, rules.level_rule)
    return EvidenceCounts(
        loaded=loaded,
        n_others=int(others.sum()),
        n_self=int(rows.is_self.sum()),
        n_recent=int(recent.sum()),
        n_observations=_distinct(rows.obs[recent]),
        n_assessors=_distinct(rows.assessor[recent]),
        narrative=bool(rows.narrative[recent].any()),
        current=current,
        expected=expected,
    )


@dataclass
class _Aios:
    inputs: ReportInputs
    analysis: ProgressAnalysis
    rows: dict[tuple[int, tuple[str, ...]], dict[str, _Rows]] = field(default_factory=dict)

    def evidence(self, rules: EvidenceRules) -> dict[str, _Rows]:
        """The domains' evidence as the analysis annotates it under ``rules`` (cached)."""
        key = (rules.msf_min_respondents, rules.self_roles)
        if key not in self.rows:
            i = self.inputs
            dev = developmental_scale(i.curriculum, i.instruments)
            as_of = self.analysis.as_of
            annotated = annotate_scores(
                i.scores,
                forms=i.forms,
                instruments=i.instruments,
                dev=dev,
                framework=i.curriculum.framework,
                aios_id=self.analysis.aios_id,
                rules=rules,
                activities=i.activities,
                as_of=as_of,
            )
            annotated = annotated[annotated["date"] <= pd.Timestamp(as_of)]
            self.rows[key] = _rows_by_domain(annotated)
        return self.rows[key]

    def statuses(self, rules: EvidenceRules) -> list[DomainProgress]:
        """The analysis' domains with status and reasons judged under ``rules``."""
        evidence = self.evidence(rules)
        window = np.datetime64(add_months(self.analysis.as_of, -rules.recency_months), "ns")
        out = []
        for d in self.analysis.domains:
            status, reasons = judge(_counts(evidence.get(d.code), rules, window, d), rules)
            same = status is d.status and reasons == d.reasons
            out.append(d if same else d.model_copy(update={"status": status, "reasons": reasons}))
        return out


class WhatIf:
    """The cohort's domain statuses and proposals under the active rules and under others."""

    def __init__(self, pairs: Sequence[tuple[ReportInputs, ProgressAnalysis]]) -> None:
        """Keep each aios' inputs and analysis (made under the store's active rules)."""
        if not pairs:
            raise ValueError("a what-if needs at least one aios")
        self.cohort = [_Aios(i, a) for i, a in pairs]
        self.active: EvidenceRulesFile = pairs[0][0].evidence_rules
        self.db = pairs[0][0].params.store_path()
        self._baseline = {
            a.analysis.aios_id: (
                {d.code: d.status.value for d in a.analysis.domains},
                propose(a.analysis).outcome.value,
            )
            for a in self.cohort
        }

    @classmethod
    def from_store(cls, db: Path, *, as_of: str = "", lang: str = "nl") -> WhatIf:
        """Read and analyse every aios of the store ``db`` once."""
        from mlkit.reports import build_report, params_for
        from mlkit.reports.inputs import load_reference
        from mlkit.store import Store

        reference = load_reference()
        with Store.open(db) as store:
            ids = store.aios_ids()
        pairs = []
        for aios_id in ids:
            values = {"aios_id": aios_id, "db": str(db), "as_of": as_of, "lang": lang}
            report = build_report(params_for("progress", values), reference)
            pairs.append((report.inputs, report.analysis))
        return cls(pairs)

    @property
    def rules(self) -> EvidenceRules:
        """The rules in force (the store's newest version, or the bundled default)."""
        return self.active.rules

    def msf_floor(self) -> int:
        """The highest MSF group minimum an instrument sets (rules cannot go below it)."""
        instruments = self.cohort[0].inputs.instruments
        return max((i.min_respondents or 1 for i in instruments.values()), default=1)

    def statuses(self, rules: EvidenceRules) -> dict[str, dict[str, str]]:
        """Every aios' domain statuses under ``rules`` (aios id -> domain code -> status)."""
        return {
            a.analysis.aios_id: {d.code: d.status.value for d in a.statuses(rules)}
            for a in self.cohort
        }

    def changes(self, rules: EvidenceRules) -> list[Change]:
        """What would change from the active rules to ``rules``: domain statuses and proposals.

        Per aios, the domains in framework order, then the proposal; aios in store order.
        """
        out: list[Change] = []
        for a in self.cohort:
            aios_id, name = a.analysis.aios_id, a.analysis.display_name
            before, proposal_before = self._baseline[aios_id]
            domains = a.statuses(rules)
            moved = [d for d in domains if d.status.value != before[d.code]]
            out += [Change(aios_id, name, d.code, before[d.code], d.status.value) for d in moved]
            if moved:
                after = propose(a.analysis.model_copy(update={"domains": domains})).outcome.value
                if after != proposal_before:
                    out.append(Change(aios_id, name, PROPOSAL, proposal_before, after))
        return out

    def apply(self, rules: EvidenceRules, *, applied_by: str, now: datetime | None = None) -> Path:
        """Write ``rules`` as the store's next version; they become the rules in force here.

        Returns:
            The path of the new version file.

        Raises:
            RulesApplyError: when ``applied_by`` is empty.
        """
        doc, path = apply_evidence_rules(self.db, rules, applied_by=applied_by, now=now)
        for a in self.cohort:
            domains = a.statuses(rules)
            after = propose(a.analysis.model_copy(update={"domains": domains})).outcome.value
            self._baseline[a.analysis.aios_id] = ({d.code: d.status.value for d in domains}, after)
        self.active = doc
        return path


__all__ = ["PROPOSAL", "Change", "WhatIf"]
