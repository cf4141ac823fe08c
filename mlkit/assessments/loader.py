"""Loading instruments (and parsing curricula) from YAML, validated against the frameworks.

Bundled files live in ``assessments/instruments/*.yaml`` and are read through
:mod:`importlib.resources`. Every loader collects all problems of all files and raises one
:class:`~mlkit.assessments.errors.AssessmentValidationError`. Curricula are loaded by
:mod:`mlkit.assessments.curricula`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from mlkit._resources import bundled_assessments
from mlkit.assessments._checks import (
    at,
    curriculum_problems,
    drop_missing_provisional,
    instrument_problems,
    instrument_reference_problems,
)
from mlkit.assessments.errors import (
    AssessmentValidationError,
    InstrumentNotFoundError,
)
from mlkit.assessments.models import Curriculum, Instrument
from mlkit.errors import FrameworkValidationError, Problem
from mlkit.frameworks.loader import load_all
from mlkit.frameworks.models import Framework
from mlkit.frameworks.validate import line_index, parse_yaml_mapping, schema_problems
from mlkit.frameworks.yaml_safe import read_yaml_text

DEFAULT_CURRICULUM = "default"
_SUFFIXES = (".yaml", ".yml")
_M = TypeVar("_M", bound=BaseModel)
_Loaded = tuple[_M, str, dict[str, int], list[Problem]]  # model, source, lines, file problems


def _read(path: Path | Traversable) -> str:
    try:
        return read_yaml_text(path)
    except FrameworkValidationError as exc:
        raise AssessmentValidationError(exc.source, exc.problems) from exc


def _parse(text: str, source: str, model: type[_M]) -> tuple[_M, dict[str, int]]:
    try:
        data = parse_yaml_mapping(text, source)
    except FrameworkValidationError as exc:
        problems = [
            Problem(p.location, p.code, f"{model.__name__.lower()} file must be a mapping", p.value)
            if p.code == "wrong_type"
            else p
            for p in exc.problems
        ]
        raise AssessmentValidationError(exc.source, problems) from exc
    lines = line_index(text)
    try:
        return model.model_validate(data), lines
    except ValidationError as exc:
        raise AssessmentValidationError(source, schema_problems(exc, lines)) from exc


def parse_instrument(text: str, source: str = "<text>", stem: str | None = None) -> Instrument:
    """Parse and validate one instrument from YAML text (without framework cross-checks).

    Args:
        text: The YAML document.
        source: A name for error messages (usually the file path).
        stem: The file name without suffix, which the instrument code must equal.

    Raises:
        AssessmentValidationError: listing every problem found in the text.
    """
    inst, lines = _parse(text, source, Instrument)
    problems = instrument_problems(inst, lines, stem)
    if problems:
        raise AssessmentValidationError(source, problems)
    return inst


def parse_curriculum(text: str, source: str = "<text>", stem: str | None = None) -> Curriculum:
    """Parse and validate one curriculum from YAML text (without cross-checks).

    Raises:
        AssessmentValidationError: listing every problem found in the text.
    """
    cur, lines = _parse(text, source, Curriculum)
    problems = curriculum_problems(cur, lines, stem)
    if problems:
        raise AssessmentValidationError(source, problems)
    return cur


def _stem(path: Path | Traversable) -> str:
    name = path.name
    for suffix in _SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def yaml_files(directory: Path | Traversable) -> list[Path | Traversable]:
    """Return the YAML files of ``directory``, by name.

    Raises:
        AssessmentValidationError: when ``directory`` is a path that is not a directory.
    """
    if isinstance(directory, Path) and not directory.is_dir():
        raise AssessmentValidationError(
            str(directory), [Problem("(path)", "not_a_directory", "directory does not exist")]
        )
    return sorted(
        (p for p in directory.iterdir() if p.is_file() and p.name.endswith(_SUFFIXES)),
        key=lambda p: p.name,
    )


def load_dir(
    directory: Path | Traversable,
    model: type[_M],
    file_check: Callable[[_M, dict[str, int], str], list[Problem]],
    errors: list[AssessmentValidationError],
) -> list[_Loaded[_M]]:
    """Parse every YAML file of ``directory``; broken files are appended to ``errors``."""
    loaded: list[_Loaded[_M]] = []
    for path in yaml_files(directory):
        source = str(path)
        try:
            obj, lines = _parse(_read(path), source, model)
        except AssessmentValidationError as exc:
            errors.append(exc)
            continue
        loaded.append((obj, source, lines, file_check(obj, lines, _stem(path))))
    return loaded


def load_instruments(
    instruments_dir: Path | Traversable | None = None,
    *,
    frameworks: Mapping[str, Framework] | None = None,
) -> dict[str, Instrument]:
    """Load and validate every instrument, checking evidence and level codes against frameworks.

    Args:
        instruments_dir: A directory of instrument YAML files; the bundled ones by default.
        frameworks: The frameworks to check codes against; :func:`mlkit.frameworks.load_all`
            by default.

    Returns:
        The instruments by code, in file-name order.

    Example:
        >>> instruments = load_instruments()
        >>> instruments["epa"].scale("bekwaamheidsniveau").allow_mean
        False

    Raises:
        AssessmentValidationError: with every problem of every broken file.
    """
    directory = instruments_dir if instruments_dir is not None else _bundled("instruments")
    errors: list[AssessmentValidationError] = []
    loaded = load_dir(directory, Instrument, instrument_problems, errors)
    fws = load_all() if frameworks is None else frameworks
    codes = {code for fw in fws.values() for code in fw.codes()}
    levels = {lv.code for fw in fws.values() for lv in fw.levels}
    out: dict[str, Instrument] = {}
    for loaded_inst, source, lines, own in loaded:
        inst = drop_missing_provisional(loaded_inst, source, codes)
        problems = own + instrument_reference_problems(inst, lines, codes, levels)
        if inst.code in out:
            problems.append(
                Problem(
                    at("code", lines),
                    "duplicate_code",
                    "another file defines this instrument",
                    inst.code,
                )
            )
        if problems:
            errors.append(AssessmentValidationError(source, problems))
        out.setdefault(inst.code, inst)
    AssessmentValidationError.raise_combined(errors, "instrument")
    return out


def load_instrument(
    code: str,
    instruments_dir: Path | Traversable | None = None,
    *,
    frameworks: Mapping[str, Framework] | None = None,
) -> Instrument:
    """Load one instrument by code, validated together with all others.

    Example:
        >>> load_instrument("msf").min_respondents
        3

    Raises:
        InstrumentNotFoundError: when no instrument has that code.
        AssessmentValidationError: when an instrument file is broken.
    """
    instruments = load_instruments(instruments_dir, frameworks=frameworks)
    if code not in instruments:
        raise InstrumentNotFoundError(code, sorted(instruments))
    return instruments[code]


def _bundled(name: str) -> Traversable:
    return bundled_assessments() / name
