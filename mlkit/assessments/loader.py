"""Loading instruments and curricula from YAML, validated against each other and the frameworks.

Bundled files live in ``assessments/instruments/*.yaml`` and ``assessments/curricula/*.yaml``
and are read through :mod:`importlib.resources`. Every loader collects all problems of all files
and raises one :class:`~mlkit.assessments.errors.AssessmentValidationError`.

A curriculum either is the default (no ``specialty``, no ``extends``) or overrides another one for
one specialty. :func:`curriculum_for` resolves the override: per training year the override's
``expected`` mapping is merged onto the base year (a ``"*"`` key replaces the whole mapping), and
its ``required_evidence`` replaces the base year's when given.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from mlkit._resources import bundled_assessments
from mlkit.assessments._checks import (
    ALL_DOMAINS,
    at,
    curriculum_problems,
    curriculum_reference_problems,
    instrument_problems,
    instrument_reference_problems,
)
from mlkit.assessments.errors import (
    AssessmentValidationError,
    CurriculumNotFoundError,
    InstrumentNotFoundError,
)
from mlkit.assessments.models import Curriculum, Instrument, YearExpectation
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


def _yaml_files(directory: Path | Traversable) -> list[Path | Traversable]:
    if isinstance(directory, Path) and not directory.is_dir():
        raise AssessmentValidationError(
            str(directory), [Problem("(path)", "not_a_directory", "directory does not exist")]
        )
    return sorted(
        (p for p in directory.iterdir() if p.is_file() and p.name.endswith(_SUFFIXES)),
        key=lambda p: p.name,
    )


def _load_dir(
    directory: Path | Traversable,
    model: type[_M],
    file_check: Callable[[_M, dict[str, int], str], list[Problem]],
    errors: list[AssessmentValidationError],
) -> list[_Loaded[_M]]:
    loaded: list[_Loaded[_M]] = []
    for path in _yaml_files(directory):
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
    loaded = _load_dir(directory, Instrument, instrument_problems, errors)
    fws = load_all() if frameworks is None else frameworks
    codes = {code for fw in fws.values() for code in fw.codes()}
    levels = {lv.code for fw in fws.values() for lv in fw.levels}
    out: dict[str, Instrument] = {}
    for inst, source, lines, own in loaded:
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


def load_curricula(
    curricula_dir: Path | Traversable | None = None,
    *,
    instruments: Mapping[str, Instrument] | None = None,
    frameworks: Mapping[str, Framework] | None = None,
) -> dict[str, Curriculum]:
    """Load and validate every curriculum as written (overrides are not yet resolved).

    Checks that ``extends`` names a loaded curriculum (without cycles), that required evidence
    names loaded instruments, that expected levels are points of the curriculum's scale and that
    domain keys are domains of its framework.

    Args:
        curricula_dir: A directory of curriculum YAML files; the bundled ones by default.
        instruments: The instruments to check against; :func:`load_instruments` by default.
        frameworks: The frameworks to check against; :func:`mlkit.frameworks.load_all` by default.

    Returns:
        The curricula by id, in file-name order. Use :func:`resolve_curriculum` or
        :func:`curriculum_for` for the effective expectations of a specialty.

    Raises:
        AssessmentValidationError: with every problem of every broken file.
    """
    directory = curricula_dir if curricula_dir is not None else _bundled("curricula")
    errors: list[AssessmentValidationError] = []
    loaded = _load_dir(directory, Curriculum, curriculum_problems, errors)
    fws = load_all() if frameworks is None else frameworks
    insts = load_instruments(frameworks=fws) if instruments is None else instruments
    # a base that failed to parse is still "known", so its overrides get no follow-on errors
    ids = {cur.id for cur, _, _, _ in loaded} | {_stem(p) for p in _yaml_files(directory)}
    specialties: dict[str, str] = {}
    out: dict[str, Curriculum] = {}
    for cur, source, lines, own in loaded:
        fw = fws.get(cur.framework)
        domains = {d.code for d in fw.domains} if fw is not None else set()
        problems = own + curriculum_reference_problems(cur, lines, ids, insts, domains)
        if _has_cycle(cur.id, {c.id: c for c, _, _, _ in loaded}):
            problems.append(
                Problem(
                    at("extends", lines),
                    "cycle",
                    "curricula extend each other in a cycle",
                    cur.extends,
                )
            )
        if cur.specialty is not None:
            if cur.specialty in specialties:
                problems.append(
                    Problem(
                        at("specialty", lines),
                        "duplicate_code",
                        f"also the specialty of {specialties[cur.specialty]!r}",
                        cur.specialty,
                    )
                )
            specialties.setdefault(cur.specialty, cur.id)
        if cur.id in out:
            problems.append(
                Problem(
                    at("id", lines),
                    "duplicate_code",
                    "another file defines this curriculum",
                    cur.id,
                )
            )
        if problems:
            errors.append(AssessmentValidationError(source, problems))
        out.setdefault(cur.id, cur)
    AssessmentValidationError.raise_combined(errors, "curriculum")
    return out


def _bundled(name: str) -> Traversable:
    return bundled_assessments() / name


def _has_cycle(start: str, curricula: Mapping[str, Curriculum]) -> bool:
    seen = {start}
    current = curricula[start].extends
    while current is not None and current in curricula:
        if current in seen:
            return True
        seen.add(current)
        current = curricula[current].extends
    return False


def _merge_year(base: YearExpectation, override: YearExpectation | None) -> YearExpectation:
    if override is None:
        return base
    if ALL_DOMAINS in override.expected:
        expected = dict(override.expected)
    else:
        expected = {**base.expected, **override.expected}
    evidence = (
        override.required_evidence
        if "required_evidence" in override.model_fields_set
        else base.required_evidence
    )
    return YearExpectation(year=override.year, expected=expected, required_evidence=evidence)


def resolve_curriculum(curricula: Mapping[str, Curriculum], curriculum_id: str) -> Curriculum:
    """Return curriculum ``curriculum_id`` with its ``extends`` chain applied.

    The result has one year per training year up to ``ceil(duration_years)``; a year the override
    does not mention is taken from the base (the base's last year beyond its end).

    Raises:
        CurriculumNotFoundError: when ``curriculum_id`` (or a base it extends) is not loaded.
    """
    if curriculum_id not in curricula:
        raise CurriculumNotFoundError(curriculum_id, sorted(curricula))
    cur = curricula[curriculum_id]
    if cur.extends is None:
        return cur
    base = resolve_curriculum(curricula, cur.extends)
    own = {y.year: y for y in cur.years}
    years = tuple(
        _merge_year(base.year(n), own.get(n)).model_copy(update={"year": n})
        for n in range(1, math.ceil(cur.duration_years) + 1)
    )
    return cur.model_copy(update={"years": years})


def curriculum_for(
    specialty: str | None, curricula: Mapping[str, Curriculum] | None = None
) -> Curriculum:
    """Return the effective curriculum of a specialty, or the default one.

    A specialty without an override of its own gets the default curriculum.

    Args:
        specialty: A specialty code such as ``"psychiatrie"``, or ``None`` for the default.
        curricula: Curricula as returned by :func:`load_curricula`; the bundled ones by default.

    Example:
        >>> curriculum_for("psychiatrie").duration_years
        4.5

    Raises:
        CurriculumNotFoundError: when there is no default curriculum to fall back to.
        AssessmentValidationError: when a curriculum file is broken.
    """
    loaded = load_curricula() if curricula is None else curricula
    for cur in loaded.values():
        if specialty is not None and cur.specialty == specialty:
            return resolve_curriculum(loaded, cur.id)
    return resolve_curriculum(loaded, DEFAULT_CURRICULUM)


def specialties(curricula: Mapping[str, Curriculum]) -> list[str]:
    """Return the specialty codes that have a curriculum of their own, sorted."""
    return sorted(c.specialty for c in curricula.values() if c.specialty is not None)


def expected_point(curriculum: Curriculum, year: int, domain: str) -> str:
    """Return the point code expected for ``domain`` in training ``year`` of a curriculum.

    Example:
        >>> expected_point(curriculum_for(None), 1, "rml.d01")
        'ontwikkeling'

    Raises:
        KeyError: when the year sets neither ``domain`` nor ``"*"``.
    """
    expected = curriculum.year(year).expected
    return expected[domain] if domain in expected else expected[ALL_DOMAINS]
