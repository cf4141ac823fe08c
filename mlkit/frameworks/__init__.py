"""Leadership frameworks as validated data: models, loading, validation and exchange."""

from mlkit.frameworks.loader import (
    FrameworkInfo,
    list_frameworks,
    load_all,
    load_framework,
    parse_framework,
    validate_path,
)
from mlkit.frameworks.models import Framework, Status

__all__ = [
    "Framework",
    "FrameworkInfo",
    "Status",
    "list_frameworks",
    "load_all",
    "load_framework",
    "parse_framework",
    "validate_path",
]
