"""Loading frameworks: bundled files, a user directory that overrides or extends them.

The bundled files are read through :mod:`importlib.resources`. A committee can put its own
files (for example the official RML 1.0 text) in a directory named by ``MLKIT_FRAMEWORKS_PATH``
(several directories separated by ``os.pathsep``) or passed as ``frameworks_dir``; a user file
whose ``id`` matches a bundled framework replaces it. A user directory may also hold CASE 1.1
packages (``.json``), which are read with :func:`mlkit.frameworks.case.read_case`.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from mlkit._resources import bundled_frameworks
from mlkit.errors import CaseFormatError, FrameworkNotFoundError, FrameworkValidationError, Problem
from mlkit.frameworks.case import parse_case
from mlkit.frameworks.models import CrosswalkLink, Framework, FrameworkKind, Status
from mlkit.frameworks.validate import (
    file_problems,
    line_index,
    parse_yaml_mapping,
    raise_if_problems,
    schema_problems,
    set_problems,
)
from mlkit.frameworks.yaml_safe import read_yaml_text

ENV_PATH = "MLKIT_FRAMEWORKS_PATH"
_SUFFIXES = (".yaml", ".yml", ".json")


class CrosswalkLinkSkippedWarning(UserWarning):
    """A crosswalk link was left out because a user file replaced the framework it points into.

    A user ``rml.yaml`` with the official codes, for example, no longer has ``rml.x_verbinden``;
    the bundled crosswalk's links from that code are then dropped instead of failing the load.
    """


@dataclass(frozen=True)
class FrameworkInfo:
    """One line of :func:`list_frameworks`: what a framework is and where it came from."""

    id: str
    kind: FrameworkKind
    title_nl: str | None
    title_en: str | None
    version: str
    year: int | None
    status: Status
    items: int
    origin: str


def parse_framework(text: str, source: str = "<text>") -> Framework:
    """Parse and validate one framework from YAML text.

    Args:
        text: The YAML document.
        source: A name for error messages (usually the file path).

    Raises:
        FrameworkValidationError: listing every problem found in the file.
    """
    data = parse_yaml_mapping(text, source)
    try:
        fw = Framework.model_validate(data)
    except ValidationError as exc:
        raise FrameworkValidationError(source, schema_problems(exc, line_index(text))) from exc
    if file_problems(fw, {}):  # line numbers are only worked out for a file with problems
        raise_if_problems(source, file_problems(fw, line_index(text)))
    return fw


def is_case_file(path: Path | Traversable) -> bool:
    """True for a CASE 1.1 package file (``.json``), which is read as CASE, not as YAML."""
    return path.name.lower().endswith(".json")


def load_framework_file(path: Path | Traversable) -> Framework:
    """Load and validate one framework file (a ``Path`` or an importlib ``Traversable``).

    A ``.json`` file is read as a CASE 1.1 package (its warnings are issued as
    :class:`~mlkit.frameworks.case.CaseImportWarning`).

    Raises:
        FrameworkValidationError: when the file is not valid.
        FileNotFoundError: when the file does not exist.
    """
    text = read_yaml_text(path)
    if not is_case_file(path):
        return parse_framework(text, str(path))
    try:
        return parse_case(text, str(path))
    except CaseFormatError as exc:
        raise FrameworkValidationError(
            exc.source, [Problem(exc.location, "case_format", exc.reason)]
        ) from exc


def render_framework(fw: Framework) -> str:
    """Return a framework as the text of an mlkit framework file (YAML, keys in model order).

    Example:
        >>> Path("my.yaml").write_text(render_framework(fw), encoding="utf-8")
    """
    data: dict[str, Any] = fw.model_dump(mode="json", by_alias=True, exclude_none=True)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _yaml_files(directory: Path | Traversable) -> list[Path | Traversable]:
    return sorted(
        (p for p in directory.iterdir() if p.is_file() and p.name.endswith(_SUFFIXES)),
        key=lambda p: p.name,
    )


def user_dirs(frameworks_dir: Path | Sequence[Path] | None = None) -> list[Path]:
    """Return the user framework directories: the argument, else ``MLKIT_FRAMEWORKS_PATH``."""
    if frameworks_dir is not None:
        dirs = [frameworks_dir] if isinstance(frameworks_dir, Path) else list(frameworks_dir)
    else:
        raw = os.environ.get(ENV_PATH, "")
        dirs = [Path(p) for p in raw.split(os.pathsep) if p]
    for d in dirs:
        if not d.is_dir():
            raise FrameworkValidationError(
                str(d), [Problem("(path)", "not_a_directory", "framework directory does not exist")]
            )
    return dirs


def _load_dir(
    directory: Path | Traversable,
    found: dict[str, tuple[Framework, str]],
    errors: list[FrameworkValidationError],
) -> None:
    seen_here: dict[str, str] = {}
    for path in _yaml_files(directory):
        try:
            fw = load_framework_file(path)
        except FrameworkValidationError as exc:
            errors.append(exc)
            continue
        if fw.id in seen_here:
            errors.append(
                FrameworkValidationError(
                    str(path),
                    [
                        Problem(
                            "id",
                            "duplicate_code",
                            f"framework id also used by {seen_here[fw.id]}",
                            fw.id,
                        )
                    ],
                )
            )
            continue
        seen_here[fw.id] = str(path)
        found[fw.id] = (fw, str(path))


def load_all(frameworks_dir: Path | Sequence[Path] | None = None) -> dict[str, Framework]:
    """Load every bundled and user framework, validated as a set.

    User directories override bundled frameworks with the same id.

    Raises:
        FrameworkValidationError: with every problem of every broken file (one error per file is
            combined into one exception naming all files).
    """
    found: dict[str, tuple[Framework, str]] = {}
    errors: list[FrameworkValidationError] = []
    _load_dir(bundled_frameworks(), found, errors)
    bundled_ids = set(found)
    bundled_paths = {path for _, path in found.values()}
    for d in user_dirs(frameworks_dir):
        _load_dir(d, found, errors)
    replaced = {
        fid: path
        for fid, (_, path) in found.items()
        if fid in bundled_ids and path not in bundled_paths
    }
    frameworks = {fid: fw for fid, (fw, _) in found.items()}
    frameworks = _drop_overridden_links(frameworks, {f: p for f, (_, p) in found.items()}, replaced)
    for fid, problems in set_problems(frameworks).items():
        errors.append(FrameworkValidationError(found[fid][1], problems))
    FrameworkValidationError.raise_combined(errors, "framework")
    return frameworks


def _drop_overridden_links(
    frameworks: Mapping[str, Framework], origins: Mapping[str, str], replaced: Mapping[str, str]
) -> dict[str, Framework]:
    """Leave out crosswalk links into a replaced framework whose code the replacement lacks.

    Only links of a crosswalk from another directory than the replacement are dropped (each with a
    :class:`CrosswalkLinkSkippedWarning` naming the crosswalk file, the link and the replacing
    file); any other dangling link stays an error for :func:`set_problems`.
    """
    codes = {code for fw in frameworks.values() for code in fw.codes()}
    out = dict(frameworks)
    for fid, fw in frameworks.items():
        kept: list[CrosswalkLink] = []
        for i, link in enumerate(fw.links):
            missing = [c for c in (link.from_code, link.to_code) if c not in codes]
            owners = {c.split(".", 1)[0] for c in missing}
            here = Path(origins[fid]).parent
            if missing and all(o in replaced and Path(replaced[o]).parent != here for o in owners):
                warnings.warn(
                    f"{origins[fid]}: links[{i}] ({link.from_code} -> {link.to_code}) skipped: "
                    f"{', '.join(missing)} is not in "
                    + ", ".join(f"{o!r} as replaced by {replaced[o]}" for o in sorted(owners)),
                    CrosswalkLinkSkippedWarning,
                    stacklevel=3,
                )
                continue
            kept.append(link)
        if len(kept) != len(fw.links):
            out[fid] = fw.model_copy(update={"links": tuple(kept)})
    return out


def framework_origins(frameworks_dir: Path | Sequence[Path] | None = None) -> dict[str, str]:
    """Return, per framework id, the file it was loaded from (later directories win)."""
    origins: dict[str, str] = {}
    for directory in [bundled_frameworks(), *user_dirs(frameworks_dir)]:
        for path in _yaml_files(directory):
            if is_case_file(path):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # load_all has shown them already
                    origins[load_framework_file(path).id] = str(path)
                continue
            data = parse_yaml_mapping(read_yaml_text(path), str(path))
            if isinstance(data.get("id"), str):
                origins[data["id"]] = str(path)
    return origins


def load_framework(
    framework_id: str, frameworks_dir: Path | Sequence[Path] | None = None
) -> Framework:
    """Load one framework by id, validated together with all others.

    Example:
        >>> rml = load_framework("rml")
        >>> len(rml.domains)
        12

    Raises:
        FrameworkNotFoundError: when no framework has that id.
        FrameworkValidationError: when a framework file is broken.
    """
    frameworks = load_all(frameworks_dir)
    if framework_id not in frameworks:
        raise FrameworkNotFoundError(framework_id, sorted(frameworks))
    return frameworks[framework_id]


def list_frameworks(frameworks_dir: Path | Sequence[Path] | None = None) -> list[FrameworkInfo]:
    """List the available frameworks with their kind, version, status and origin."""
    frameworks = load_all(frameworks_dir)
    origins = framework_origins(frameworks_dir)
    return [
        FrameworkInfo(
            id=fw.id,
            kind=fw.kind,
            title_nl=fw.title.nl,
            title_en=fw.title.en,
            version=fw.version,
            year=fw.year,
            status=fw.status,
            items=sum(1 for _ in fw.items()) + len(fw.links),
            origin=origins.get(fw.id, "?"),
        )
        for fw in sorted(frameworks.values(), key=lambda f: f.id)
    ]


def validate_path(path: Path) -> list[Framework]:
    """Validate a framework file or a directory of them against the bundled set.

    Raises:
        FrameworkValidationError: listing all problems of all files.
    """
    if path.is_dir():
        return list(load_all([path]).values())
    fw = load_framework_file(path)
    bundled = {f.id: f for f in (load_framework_file(p) for p in _yaml_files(bundled_frameworks()))}
    bundled[fw.id] = fw
    problems = set_problems(bundled).get(fw.id, [])
    raise_if_problems(str(path), problems)
    return [fw]
