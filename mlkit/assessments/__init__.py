"""Assessment instruments, scales and curricula: models, loading and validation."""

from mlkit.assessments.errors import (
    AssessmentValidationError,
    CurriculumNotFoundError,
    InstrumentNotFoundError,
)
from mlkit.assessments.loader import (
    curriculum_for,
    expected_point,
    load_curricula,
    load_instrument,
    load_instruments,
    parse_curriculum,
    parse_instrument,
    resolve_curriculum,
    specialties,
)
from mlkit.assessments.models import (
    Curriculum,
    EvidenceRequirement,
    Instrument,
    InstrumentKind,
    Item,
    RespondentRole,
    Scale,
    ScaleKind,
    ScalePoint,
    YearExpectation,
)

__all__ = [
    "AssessmentValidationError",
    "Curriculum",
    "CurriculumNotFoundError",
    "EvidenceRequirement",
    "Instrument",
    "InstrumentKind",
    "InstrumentNotFoundError",
    "Item",
    "RespondentRole",
    "Scale",
    "ScaleKind",
    "ScalePoint",
    "YearExpectation",
    "curriculum_for",
    "expected_point",
    "load_curricula",
    "load_instrument",
    "load_instruments",
    "parse_curriculum",
    "parse_instrument",
    "resolve_curriculum",
    "specialties",
]
