"""Assessment instruments, scales and curricula: models, loading and validation."""

from mlkit.assessments.curricula import (
    curriculum_for,
    load_curricula,
    resolve_curriculum,
    specialties,
)
from mlkit.assessments.errors import (
    AssessmentValidationError,
    CurriculumNotFoundError,
    InstrumentNotFoundError,
    UnknownSpecialtyError,
)
from mlkit.assessments.expectations import expected_levels, expected_point, named_domains
from mlkit.assessments.loader import (
    load_instrument,
    load_instruments,
    parse_curriculum,
    parse_instrument,
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
from mlkit.assessments.position import (
    TrainingPosition,
    TrainingPositionError,
    training_position,
)
from mlkit.assessments.specialties import (
    known_specialty_names,
    resolve_specialty,
    specialty_code,
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
    "TrainingPosition",
    "TrainingPositionError",
    "UnknownSpecialtyError",
    "YearExpectation",
    "curriculum_for",
    "expected_levels",
    "expected_point",
    "known_specialty_names",
    "load_curricula",
    "load_instrument",
    "load_instruments",
    "named_domains",
    "parse_curriculum",
    "parse_instrument",
    "resolve_curriculum",
    "resolve_specialty",
    "specialties",
    "specialty_code",
    "training_position",
]
