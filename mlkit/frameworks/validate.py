"""Validation of framework files: schema errors with key paths, and cross-reference checks.

All problems in a file are collected and raised at once as a
:class:`~mlkit.errors.FrameworkValidationError`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import yaml
from pydantic import ValidationError

from mlkit.errors import FrameworkValidationError, Problem, shorten
from mlkit.frameworks import yaml_safe
from mlkit.frameworks.models import Framework, FrameworkKind

_PYDANTIC_CODES = {
    "missing": "missing",
    "extra_forbidden": "unknown_key",
    "string_type": "wrong_type",
    "int_type": "wrong_type",
    "int_parsing": "wrong_type",
    "float_type": "wrong_type",
    "float_parsing": "wrong_type",
    "bool_type": "wrong_type",
    "bool_parsing": "wrong_type",
    "tuple_type": "wrong_type",
    "model_type": "wrong_type",
    "dict_type": "wrong_type",
    "enum": "bad_value",
    "literal_error": "bad_value",
    "string_pattern_mismatch": "bad_code",
}


def key_path(loc: Iterable[str | int]) -> str:
    """Render a pydantic/YAML location as ``domains[3].title.nl``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def line_index(text: str) -> dict[str, int]:
    """Map every key path of a YAML document to its 1-based line number."""
    index: dict[str, int] = {}
    try:
        root = yaml_safe.compose(text, "<text>")
    except (yaml.YAMLError, FrameworkValidationError):
        return index

    def walk(node: yaml.Node, path: list[str | int]) -> None:
        index[key_path(path)] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                walk(value_node, [*path, str(key_node.value)])
        elif isinstance(node, yaml.SequenceNode):
            for i, child in enumerate(node.value):
                walk(child, [*path, i])

    if root is not None:
        walk(root, [])
    return index


def with_line(location: str, lines: Mapping[str, int]) -> str:
    """Add the line number of ``location`` (or of its nearest parent) to the location."""
    probe = location
    while probe:
        if probe in lines:
            return f"{location} (line {lines[probe]})"
        cut = max(probe.rfind("."), probe.rfind("["))
        probe = probe[:cut] if cut > 0 else ""
    return location


def schema_problems(exc: ValidationError, lines: Mapping[str, int]) -> list[Problem]:
    """Turn a pydantic ValidationError into problems with key paths and line numbers."""
    problems = []
    for err in exc.errors():
        loc = key_path(err["loc"])
        code = _PYDANTIC_CODES.get(err["type"], err["type"])
        value = None if err["type"] == "missing" else shorten(err.get("input"))
        problems.append(Problem(with_line(loc, lines), code, err["msg"], value))
    return problems


def _locate(fw: Framework) -> dict[str, str]:
    """Map each item code to its key path in the file (first occurrence)."""
    where: dict[str, str] = {}
    for field in ("dimensions", "domains", "competencies", "levels", "talent_tracks"):
        for i, item in enumerate(getattr(fw, field)):
            where.setdefault(item.code, f"{field}[{i}]")
    for i, cluster in enumerate(fw.characteristic_clusters):
        where.setdefault(cluster.code, f"characteristic_clusters[{i}]")
        for j, ch in enumerate(cluster.characteristics):
            where.setdefault(ch.code, f"characteristic_clusters[{i}].characteristics[{j}]")
    for i, role in enumerate(fw.roles):
        where.setdefault(role.code, f"roles[{i}]")
        for j, task in enumerate(role.tasks):
            where.setdefault(task.code, f"roles[{i}].tasks[{j}]")
            for k, sub in enumerate(task.subtasks):
                where.setdefault(sub.code, f"roles[{i}].tasks[{j}].subtasks[{k}]")
    return where


def file_problems(fw: Framework, lines: Mapping[str, int]) -> list[Problem]:
    """Check one framework on its own: unique codes, prefixes, sources and internal references."""
    problems: list[Problem] = []
    where = _locate(fw)

    def add(loc: str, code: str, message: str, value: object = None) -> None:
        shown = None if value is None else shorten(value)
        problems.append(Problem(with_line(loc, lines), code, message, shown))

    counts = Counter(fw.codes())
    for code, n in counts.items():
        if n > 1:
            add(where[code], "duplicate_code", f"code {code!r} is used {n} times", code)
    source_ids = [s.id for s in fw.sources]
    for sid, n in Counter(source_ids).items():
        if n > 1:
            add("sources", "duplicate_code", f"source id {sid!r} is listed {n} times", sid)
    if fw.source not in source_ids:
        add("source", "unknown_source", "framework source is not in `sources`", fw.source)
    for item in fw.items():
        if not item.code.startswith(fw.id + "."):
            add(
                where[item.code] + ".code",
                "bad_code",
                f"codes must start with the framework id '{fw.id}.'",
                item.code,
            )
        if item.source not in source_ids:
            add(
                where[item.code] + ".source",
                "unknown_source",
                "source id is not listed in `sources`",
                item.source,
            )
    dims = {d.code for d in fw.dimensions}
    for i, dom in enumerate(fw.domains):
        for j, dim in enumerate(dom.dimensions):
            if dim not in dims:
                add(
                    f"domains[{i}].dimensions[{j}]",
                    "unknown_reference",
                    "no dimension with this code in the file",
                    dim,
                )
    domains = {d.code for d in fw.domains}
    for i, comp in enumerate(fw.competencies):
        if comp.domain not in domains:
            add(
                f"competencies[{i}].domain",
                "unknown_reference",
                "no domain with this code in the file",
                comp.domain,
            )
    for i, link in enumerate(fw.links):
        if link.source not in source_ids:
            add(
                f"links[{i}].source",
                "unknown_source",
                "source id is not listed in `sources`",
                link.source,
            )
    if fw.kind is not FrameworkKind.CROSSWALK and fw.links:
        add("links", "wrong_kind", "only crosswalk files may hold links")
    return problems


def set_problems(frameworks: Mapping[str, Framework]) -> dict[str, list[Problem]]:
    """Check references between frameworks: crosswalk targets, level codes, global uniqueness.

    Returns:
        Problems per framework id (only ids with problems appear).
    """
    out: dict[str, list[Problem]] = {}
    owner: dict[str, str] = {}
    for fid, fw in frameworks.items():
        for code in set(fw.codes()):
            if code in owner and owner[code] != fid:
                out.setdefault(fid, []).append(
                    Problem(
                        "codes",
                        "duplicate_code",
                        f"code {code!r} is also defined by framework {owner[code]!r}",
                        code,
                    )
                )
            owner.setdefault(code, fid)
    levels = {lv.code for fw in frameworks.values() for lv in fw.levels}
    for fid, fw in frameworks.items():
        for i, track in enumerate(fw.talent_tracks):
            if track.level_focus is not None and track.level_focus not in levels:
                out.setdefault(fid, []).append(
                    Problem(
                        f"talent_tracks[{i}].level_focus",
                        "unknown_level",
                        "not a leadership level defined by any loaded framework",
                        track.level_focus,
                    )
                )
        for i, link in enumerate(fw.links):
            for end, code in (("from", link.from_code), ("to", link.to_code)):
                if code not in owner:
                    out.setdefault(fid, []).append(
                        Problem(
                            f"links[{i}].{end}",
                            "dangling_reference",
                            "crosswalk target is not an item of any loaded framework",
                            code,
                        )
                    )
    return out


def raise_if_problems(source: str, problems: Sequence[Problem]) -> None:
    """Raise a FrameworkValidationError for ``source`` when ``problems`` is not empty."""
    if problems:
        raise FrameworkValidationError(source, problems)


def parse_yaml_mapping(text: str, source: str) -> dict[str, Any]:
    """Parse YAML text that must hold a mapping; a syntax error names the line."""
    try:
        data = yaml_safe.load(text, source)  # safe loader, with size, depth and alias limits
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        loc = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        raise FrameworkValidationError(
            source, [Problem(loc, "yaml_syntax", str(getattr(exc, "problem", exc)))]
        ) from exc
    if not isinstance(data, dict):
        raise FrameworkValidationError(
            source,
            [
                Problem(
                    "(top level)",
                    "wrong_type",
                    "a framework file must be a mapping",
                    shorten(type(data).__name__),
                )
            ],
        )
    return data
