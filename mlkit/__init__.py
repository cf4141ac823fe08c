"""mlkit: medical leadership (medisch leiderschap) made assessable and visible.

Frameworks as validated data, an assessment store with ePortfolio import, and papermill
notebooks that turn an aios' evidence into progress reports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mlkit.errors import MlkitError

if TYPE_CHECKING:
    from mlkit.frameworks import list_frameworks, load_framework

__version__ = "0.1.0"

_LAZY = {"list_frameworks", "load_framework"}


def __getattr__(name: str) -> Any:
    """Import the framework loaders on first use, so ``mlkit --version`` starts fast."""
    if name in _LAZY:
        import mlkit.frameworks

        return getattr(mlkit.frameworks, name)
    raise AttributeError(f"module 'mlkit' has no attribute {name!r}")


__all__ = ["MlkitError", "__version__", "list_frameworks", "load_framework"]
