"""The assessment store: SQLite with versioned migrations, insert-only records, DataFrame queries.

Example:
    >>> from mlkit.store import Store
    >>> with Store.open() as store:  # doctest: +SKIP
    ...     store.scores("A0001")
"""

from mlkit.store.errors import AiosNotFoundError, StoreError, StoreSchemaError
from mlkit.store.schema import SCHEMA_VERSION
from mlkit.store.store import DEFAULT_DB, ENV_DB, Store, default_db_path
from mlkit.store.tables import TABLES, TableSpec
from mlkit.store.writer import Writer

__all__ = [
    "DEFAULT_DB",
    "ENV_DB",
    "SCHEMA_VERSION",
    "TABLES",
    "AiosNotFoundError",
    "Store",
    "StoreError",
    "StoreSchemaError",
    "TableSpec",
    "Writer",
    "default_db_path",
]
