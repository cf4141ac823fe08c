"""Access to the data bundled with mlkit (frameworks, instruments, curricula).

The repository keeps the data at top level (``frameworks/``, ``assessments/``); the wheel ships
it as ``mlkit/_data/...``. Both are reached through :func:`importlib.resources.files`.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable


def data_root() -> Traversable:
    """Return the root of the bundled data directory."""
    return files("mlkit") / "_data"


def bundled_frameworks() -> Traversable:
    """Return the directory of bundled framework YAML files."""
    return data_root() / "frameworks"


def bundled_assessments() -> Traversable:
    """Return the directory of bundled instrument and curriculum files."""
    return data_root() / "assessments"
