"""Shared pytest fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data_dir() -> Path:
    """The directory of small named test fixtures."""
    return DATA


@pytest.fixture(autouse=True)
def _isolate_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the user's environment out of tests."""
    monkeypatch.delenv("MLKIT_FRAMEWORKS_PATH", raising=False)
    monkeypatch.delenv("MLKIT_DB", raising=False)
    monkeypatch.setenv("MPLBACKEND", "Agg")
