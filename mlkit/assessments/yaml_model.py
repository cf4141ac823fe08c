"""One way to read a YAML rules file into a pydantic model, with every problem named.

The decision rules and the evidence rules are both small YAML files validated by a model; both
read them here, so a problem is reported the same way: the file, the key path, the line and why.
"""

from __future__ import annotations

from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from mlkit.assessments.errors import AssessmentValidationError
from mlkit.errors import FrameworkValidationError, Problem
from mlkit.frameworks.validate import line_index, parse_yaml_mapping, schema_problems
from mlkit.frameworks.yaml_safe import read_yaml_text

M = TypeVar("M", bound=BaseModel)


def parse_model(text: str, model: type[M], source: str = "<text>") -> M:
    """Parse YAML ``text`` and validate it as ``model``.

    Raises:
        AssessmentValidationError: naming the source, key path, line and reason per problem.
    """
    try:
        data = parse_yaml_mapping(text, source)
    except FrameworkValidationError as exc:
        raise AssessmentValidationError(exc.source, exc.problems) from exc
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise AssessmentValidationError(source, schema_problems(exc, line_index(text))) from exc


def load_model_file(path: Path | Traversable, model: type[M], what: str) -> M:
    """Load one YAML file (a path or a bundled resource) as ``model``; ``what`` names it.

    Raises:
        AssessmentValidationError: when the file is missing, unreadable or not valid.
    """
    if not path.is_file():
        raise AssessmentValidationError(str(path), [Problem("", "missing", f"no such {what}")])
    try:
        text = read_yaml_text(path)
    except FrameworkValidationError as exc:
        raise AssessmentValidationError(exc.source, exc.problems) from exc
    return parse_model(text, model, str(path))


__all__ = ["load_model_file", "parse_model"]
