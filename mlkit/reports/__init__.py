"""Reports for one aios: parameter models, the notebook-facing API and papermill rendering."""

from mlkit.reports.document import Report, build_report, open_report
from mlkit.reports.params import (
    PARAM_MODELS,
    AssessmentSummaryParams,
    ProgressReportParams,
    ReportParameterError,
    ReportParams,
    SelfReflectionParams,
    params_for,
)
from mlkit.reports.render import ReportExecutionError, ReportOutputs, render_report

__all__ = [
    "PARAM_MODELS",
    "AssessmentSummaryParams",
    "ProgressReportParams",
    "Report",
    "ReportExecutionError",
    "ReportOutputs",
    "ReportParameterError",
    "ReportParams",
    "SelfReflectionParams",
    "build_report",
    "open_report",
    "params_for",
    "render_report",
]
