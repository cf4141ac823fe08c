"""The assessment store: SQLite with versioned migrations, insert-only records, DataFrame queries.

Example:
    >>> from mlkit.store import Store
    >>> with Store.open() as store:  # doctest: +SKIP
    ...     store.scores("A0001")
"""

from mlkit.store.errors import (
    AiosNotFoundError,
    NotAStoreError,
    StoreCorruptError,
    StoreError,
    StoreFullError,
    StoreLockedError,
    StoreReadOnlyError,
    StoreSchemaError,
)
from mlkit.store.identity import APPLICATION_ID, STORE_MODE
from mlkit.store.schema import SCHEMA_VERSION
from mlkit.store.store import DEFAULT_DB, ENV_DB, Store, default_db_path
from mlkit.store.tables import TABLES, TableSpec
from mlkit.store.writer import Writer

__all__ = [
    "APPLICATION_ID",
    "DEFAULT_DB",
    "ENV_DB",
    "SCHEMA_VERSION",
    "STORE_MODE",
    "TABLES",
    "AiosNotFoundError",
    "NotAStoreError",
    "Store",
    "StoreCorruptError",
    "StoreError",
    "StoreFullError",
    "StoreLockedError",
    "StoreReadOnlyError",
    "StoreSchemaError",
    "TableSpec",
    "Writer",
    "default_db_path",
]
