"""Report words: a thin name for :func:`mlkit.catalogue.word`, kept for the report modules."""

from __future__ import annotations

from mlkit.catalogue import word

__all__ = ["word"]
