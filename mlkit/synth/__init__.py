"""Synthetic cohorts of aios, written in the canonical import format (for demos and benchmarks)."""

from mlkit.synth.cohort import DEFAULT_AS_OF, CohortFiles, generate_cohort

__all__ = ["DEFAULT_AS_OF", "CohortFiles", "generate_cohort"]
