"""Loading import profiles: the bundled ones, a user directory, or one file given by path.

Bundled profiles live in ``assessments/import_profiles/*.yaml`` (read through
:mod:`importlib.resources`); user profiles in the directories named by ``MLKIT_PROFILES_PATH``
(separated by ``os.pathsep``), where a file with a bundled profile's name replaces it. A profile
may ``extends:`` another: its mappings are merged onto the other's key by key (a list or a plain
value replaces), so a programme only writes what differs, e.g. its EPA codes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from mlkit._resources import bundled_assessments
from mlkit.errors import FrameworkValidationError, Problem, shorten
from mlkit.frameworks.validate import line_index, parse_yaml_mapping, schema_problems
from mlkit.ingest.profiles.errors import ProfileNotFoundError, ProfileValidationError
from mlkit.ingest.profiles.model import ImportProfile

ENV_PATH = "MLKIT_PROFILES_PATH"
_SUFFIXES = (".yaml", ".yml")
_Raw = tuple[dict[str, Any], str, str]  # mapping, source, text


def bundled_profiles_dir() -> Traversable:
    """Return the directory of the bundled import profiles."""
    return bundled_assessments() / "import_profiles"


def user_profile_dirs(dirs: Sequence[Path] | None = None) -> list[Path]:
    """Return the user profile directories: the argument, else ``MLKIT_PROFILES_PATH``."""
    if dirs is not None:
        return list(dirs)
    raw = os.environ.get(ENV_PATH, "")
    return [Path(p) for p in raw.split(os.pathsep) if p]


def _stem(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _files(directory: Path | Traversable) -> list[Path | Traversable]:
    if isinstance(directory, Path) and not directory.is_dir():
        raise ProfileValidationError(
            str(directory), [Problem("(path)", "not_a_directory", "directory does not exist")]
        )
    return sorted(
        (p for p in directory.iterdir() if p.is_file() and p.name.endswith(_SUFFIXES)),
        key=lambda p: p.name,
    )


def _read_raw(text: str, source: str) -> dict[str, Any]:
    try:
        return parse_yaml_mapping(text, source)
    except FrameworkValidationError as exc:
        problems = [
            Problem(p.location, p.code, "a profile file must be a mapping", p.value)
            if p.code == "wrong_type"
            else p
            for p in exc.problems
        ]
        raise ProfileValidationError(source, problems) from exc


def merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Merge ``override`` onto ``base``: mappings key by key, anything else replaced.

    Example:
        >>> merge({"a": {"x": 1, "y": 2}}, {"a": {"y": 3}})
        {'a': {'x': 1, 'y': 3}}
    """
    out = dict(base)
    for key, value in override.items():
        old = out.get(key)
        if isinstance(old, Mapping) and isinstance(value, Mapping):
            out[key] = merge(old, value)
        else:
            out[key] = value
    return out


def _resolve(
    data: dict[str, Any], source: str, raws: Mapping[str, _Raw], seen: tuple[str, ...] = ()
) -> dict[str, Any]:
    parent = data.get("extends")
    if parent is None:
        return data
    if not isinstance(parent, str) or parent not in raws:
        known = ", ".join(sorted(raws)) or "none"
        raise ProfileValidationError(
            source,
            [
                Problem(
                    "extends",
                    "unknown_profile",
                    f"no profile of that name ({known})",
                    shorten(parent),
                )
            ],
        )
    if parent in seen:
        raise ProfileValidationError(
            source,
            [Problem("extends", "extends_cycle", " -> ".join((*seen, parent)), parent)],
        )
    pdata, psource, _ = raws[parent]
    base = _resolve(pdata, psource, raws, (*seen, parent))
    merged = merge({k: v for k, v in base.items() if k != "description"}, data)
    merged["extends"] = parent
    return merged


def _untagged(problems: list[Problem]) -> list[Problem]:
    """Drop the union tags (``single``, ``list``) of ``columns`` values from key paths."""
    out = []
    for p in problems:
        location = re.sub(r"\.single(?=[.\s]|$)", "", p.location).replace(".list[", "[")
        location = re.sub(r"\.list(?=[.\s]|$)", "", location)
        out.append(Problem(location, p.code, p.message, p.value))
    return out


def _validate(
    data: dict[str, Any], source: str, text: str, stem: str | None, raws: Mapping[str, _Raw]
) -> ImportProfile:
    merged = _resolve(data, source, raws, (stem,) if stem else ())
    lines = line_index(text)
    try:
        profile = ImportProfile.model_validate(merged)
    except ValidationError as exc:
        raise ProfileValidationError(source, _untagged(schema_problems(exc, lines))) from exc
    if stem is not None and profile.name != stem:
        raise ProfileValidationError(
            source,
            [
                Problem(
                    f"name (line {lines.get('name', 1)})",
                    "name_mismatch",
                    f"the name must equal the file name {stem!r}",
                    profile.name,
                )
            ],
        )
    return profile


def parse_profile(
    text: str, source: str = "<text>", stem: str | None = None, dirs: Sequence[Path] | None = None
) -> ImportProfile:
    """Parse and validate one profile from YAML text; ``extends`` is looked up by name.

    Args:
        text: The YAML document.
        source: A name for error messages (usually the file path).
        stem: The file name without suffix, which the profile's name must equal.
        dirs: User profile directories (default ``MLKIT_PROFILES_PATH``).

    Raises:
        ProfileValidationError: naming the file, the key and the reason of every problem.
    """
    data = _read_raw(text, source)
    raws = _raw_profiles(dirs) if data.get("extends") is not None else {}
    return _validate(data, source, text, stem, raws)


def load_profile(path: Path | Traversable, dirs: Sequence[Path] | None = None) -> ImportProfile:
    """Load one profile file (its ``name`` must equal the file name without ``.yaml``).

    Example:
        >>> profile = load_profile(Path("scorion_kpb.yaml"))  # doctest: +SKIP

    Raises:
        FileNotFoundError: when ``path`` does not exist.
        ProfileValidationError: when the profile is not valid.
    """
    text = path.read_text(encoding="utf-8")
    return parse_profile(text, str(path), _stem(path.name), dirs)


def _raw_profiles(dirs: Sequence[Path] | None = None) -> dict[str, _Raw]:
    raws: dict[str, _Raw] = {}
    for directory in [bundled_profiles_dir(), *user_profile_dirs(dirs)]:
        for path in _files(directory):
            text = path.read_text(encoding="utf-8")
            raws[_stem(path.name)] = (_read_raw(text, str(path)), str(path), text)
    return raws


def load_profiles(dirs: Sequence[Path] | None = None) -> dict[str, ImportProfile]:
    """Load the bundled and user profiles, by name; a user file replaces a bundled namesake.

    Raises:
        ProfileValidationError: holding the problems of every broken file at once.
    """
    errors: list[ProfileValidationError] = []
    raws: dict[str, _Raw] = {}
    for directory in [bundled_profiles_dir(), *user_profile_dirs(dirs)]:
        for path in _files(directory):
            text = path.read_text(encoding="utf-8")
            try:
                raws[_stem(path.name)] = (_read_raw(text, str(path)), str(path), text)
            except ProfileValidationError as exc:
                errors.append(exc)
    profiles: dict[str, ImportProfile] = {}
    for stem, (data, source, text) in raws.items():
        try:
            profiles[stem] = _validate(data, source, text, stem, raws)
        except ProfileValidationError as exc:
            errors.append(exc)
    ProfileValidationError.raise_combined(errors, "profile")
    return dict(sorted(profiles.items()))


def find_profile(name: str, dirs: Sequence[Path] | None = None) -> ImportProfile:
    """Return the profile called ``name``, or load ``name`` as a file when it ends in ``.yaml``.

    Raises:
        ProfileNotFoundError: when no profile has that name.
        ProfileValidationError: when a profile file is not valid.
    """
    if name.endswith(_SUFFIXES):
        return load_profile(Path(name), dirs)
    profiles = load_profiles(dirs)
    if name not in profiles:
        raise ProfileNotFoundError(name, list(profiles))
    return profiles[name]


def ancestors(profile: ImportProfile, profiles: Mapping[str, ImportProfile]) -> list[str]:
    """The names of the profiles ``profile`` extends, nearest first."""
    out: list[str] = []
    parent = profile.extends
    while parent is not None and parent not in out and parent in profiles:
        out.append(parent)
        parent = profiles[parent].extends
    return out


__all__ = [
    "ENV_PATH",
    "ancestors",
    "bundled_profiles_dir",
    "find_profile",
    "load_profile",
    "load_profiles",
    "merge",
    "parse_profile",
    "user_profile_dirs",
]
