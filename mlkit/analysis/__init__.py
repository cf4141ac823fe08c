"""Analysis of an aios' leadership evidence: progress per RML domain, MSF, evidence, cohort.

Functions take the store's DataFrames and validated models and return plain pydantic results
(:class:`ProgressAnalysis`, :class:`CohortOverview`) that charts and reports render.
"""

from mlkit.analysis.cohort import CohortOverview, cohort_overview, status_grid
from mlkit.analysis.dates import training_year
from mlkit.analysis.inputs import AnalysisInputError
from mlkit.analysis.labels import label
from mlkit.analysis.models import (
    DomainProgress,
    EvidenceState,
    ProgressAnalysis,
    ProgressStatus,
    Reason,
)
from mlkit.analysis.ordinal import MeanNotAllowedError, mean_of, summarise_ordinal
from mlkit.analysis.progress import analyse_progress
from mlkit.analysis.rules import EvidenceRules
from mlkit.analysis.tables import domain_table, trajectory_frame

__all__ = [
    "AnalysisInputError",
    "CohortOverview",
    "DomainProgress",
    "EvidenceRules",
    "EvidenceState",
    "MeanNotAllowedError",
    "ProgressAnalysis",
    "ProgressStatus",
    "Reason",
    "analyse_progress",
    "cohort_overview",
    "domain_table",
    "label",
    "mean_of",
    "status_grid",
    "summarise_ordinal",
    "training_year",
    "trajectory_frame",
]
