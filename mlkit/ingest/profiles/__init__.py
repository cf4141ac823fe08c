"""Import profiles: YAML descriptions of vendor ePortfolio exports, read into mlkit's store.

Example:
    >>> from pathlib import Path
    >>> from mlkit.ingest.profiles import import_with_profile, load_profiles
    >>> sorted(load_profiles())  # doctest: +SKIP
    ['cbd_dashboard_records', 'elentra_extract', 'royal_college_osr']
    >>> with Store.open(Path("mlkit.db")) as store:  # doctest: +SKIP
    ...     print(import_with_profile(Path("report.xlsx"), store).line())
"""

from mlkit.ingest.profiles.convert import Converted, convert, fits
from mlkit.ingest.profiles.errors import (
    NoProfileFitsError,
    ProfileMismatchError,
    ProfileNotFoundError,
    ProfileValidationError,
    SeveralProfilesFitError,
)
from mlkit.ingest.profiles.importer import (
    ProfileImportSummary,
    detect_profile,
    import_any,
    import_any_into_db,
    import_with_profile,
)
from mlkit.ingest.profiles.loader import (
    ENV_PATH,
    find_profile,
    load_profile,
    load_profiles,
    parse_profile,
)
from mlkit.ingest.profiles.model import ImportProfile
from mlkit.ingest.profiles.values import name_key, parse_date

__all__ = [
    "ENV_PATH",
    "Converted",
    "ImportProfile",
    "NoProfileFitsError",
    "ProfileImportSummary",
    "ProfileMismatchError",
    "ProfileNotFoundError",
    "ProfileValidationError",
    "SeveralProfilesFitError",
    "convert",
    "detect_profile",
    "find_profile",
    "fits",
    "import_any",
    "import_any_into_db",
    "import_with_profile",
    "load_profile",
    "load_profiles",
    "name_key",
    "parse_date",
    "parse_profile",
]
