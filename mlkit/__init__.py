"""mlkit: medical leadership (medisch leiderschap) made assessable and visible.

Frameworks as validated data, an assessment store with ePortfolio import, and papermill
notebooks that turn an aios' evidence into progress reports.
"""

from mlkit.errors import MlkitError
from mlkit.frameworks import list_frameworks, load_framework

__version__ = "0.1.0"

__all__ = ["MlkitError", "__version__", "list_frameworks", "load_framework"]
