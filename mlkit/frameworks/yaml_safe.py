"""YAML with limits: framework, instrument and curriculum files are data, never a denial of service.

A file is refused with a clear :class:`~mlkit.errors.FrameworkValidationError` (within a second)
when it is larger than :data:`MAX_BYTES`, is not UTF-8 (the message names the line), nests deeper
than :data:`MAX_DEPTH`, or would hold more than :data:`MAX_NODES` values once its aliases are
expanded (the "billion laughs" alias bomb). The document is composed once, with PyYAML's safe
(C-accelerated) loader, which keeps aliases as shared nodes; the node graph is then walked with
aliases expanded, stopping as soon as a budget is spent, and only then is it turned into Python
data.
"""

from __future__ import annotations

from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

from mlkit.errors import FrameworkValidationError, Problem

MAX_BYTES = 4 * 2**20  #: largest YAML file accepted (bundled files are under 50 KiB)
MAX_DEPTH = 64  #: deepest nesting of mappings and sequences accepted
MAX_NODES = 200_000  #: most values a document may expand to (aliases counted every time used)

LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml_text(path: Path | Traversable) -> str:
    """Read a YAML file as UTF-8 text (a BOM is dropped), within :data:`MAX_BYTES`.

    Raises:
        FileNotFoundError: when the file does not exist.
        FrameworkValidationError: when the file is too large or not UTF-8 (naming the line).
    """
    data = path.read_bytes()
    source = str(path)
    check_size(len(data), source)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start : exc.start + 1].hex()
        raise FrameworkValidationError(
            source,
            [
                Problem(
                    f"line {line}",
                    "encoding",
                    f"not UTF-8 (byte 0x{byte} at offset {exc.start}; Windows-1252?): save the"
                    " file as UTF-8",
                )
            ],
        ) from exc


def check_size(size: int, source: str) -> None:
    """Refuse a document of more than :data:`MAX_BYTES` bytes (or characters)."""
    if size > MAX_BYTES:
        raise _limit(source, "(file)", f"the file is larger than {MAX_BYTES // 2**20} MiB")


def compose(text: str, source: str) -> yaml.Node | None:
    """Compose a YAML document and check it against the limits; None for an empty document.

    Raises:
        yaml.YAMLError: on a syntax error (the caller names the line).
        FrameworkValidationError: when a limit is exceeded.
    """
    check_size(len(text), source)
    root = yaml.compose(text, Loader=LOADER)
    if root is not None:
        check_budget(root, source)
    return root


def load(text: str, source: str) -> Any:
    """Parse a YAML document into Python data within the limits (see :func:`compose`)."""
    root = compose(text, source)
    if root is None:
        return None
    loader = LOADER("")
    try:
        return loader.construct_document(root)
    finally:
        loader.dispose()


def check_budget(root: yaml.Node, source: str) -> None:
    """Walk the node graph with aliases expanded; stop at the first limit exceeded."""
    visited = 0
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        visited += 1
        if visited > MAX_NODES:
            raise _limit(
                source,
                f"line {node.start_mark.line + 1}",
                f"the document expands to more than {MAX_NODES:,} values (aliases counted each"
                " time they are used): an alias bomb?",
            )
        if depth > MAX_DEPTH:
            raise _limit(
                source,
                f"line {node.start_mark.line + 1}",
                f"nested more than {MAX_DEPTH} levels deep",
            )
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)


def _limit(source: str, location: str, message: str) -> FrameworkValidationError:
    return FrameworkValidationError(source, [Problem(location, "yaml_limit", message)])


__all__ = [
    "LOADER",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "check_budget",
    "check_size",
    "compose",
    "load",
    "read_yaml_text",
]
