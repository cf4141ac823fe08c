"""Leadership frameworks as validated data: models, loading, validation and exchange."""

from mlkit.frameworks.case import export_case, import_case, read_case, write_case
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
    "export_case",
    "import_case",
    "list_frameworks",
    "load_all",
    "load_framework",
    "parse_framework",
    "read_case",
    "validate_path",
    "write_case",
]
