"""Curricula: bundled and user files, override resolution, and specialty names.

The bundled curricula live in ``assessments/curricula/*.yaml``. A programme puts its own files in
a directory named by ``MLKIT_CURRICULA_PATH`` (several directories separated by ``os.pathsep``)
or passed as ``curricula_dir``, exactly as for frameworks: a file whose ``id`` matches a bundled
curriculum replaces it, other files extend the set.

A curriculum either is the default (no ``specialty``, no ``extends``) or overrides another one for
one specialty. :func:`resolve_curriculum` applies the override: per training year the override's
``expected`` mapping is merged onto the base year (a ``"*"`` key replaces the whole mapping), and
its ``required_evidence`` replaces the base year's when given.

Specialty names on a roster resolve through :func:`specialty_index`: a curriculum's id, specialty
code, Dutch and English titles and ``aliases`` (case, accents, spaces, ``_`` and ``-`` ignored).
The default curriculum is reached only through its own ``aliases``: a name nobody declared is
refused (:class:`~mlkit.assessments.errors.UnknownSpecialtyError`), never defaulted.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path

from mlkit._resources import bundled_assessments
from mlkit.assessments._checks import (
    ALL_DOMAINS,
    at,
    curriculum_problems,
    curriculum_reference_problems,
)
from mlkit.assessments.errors import (
    AssessmentValidationError,
    CurriculumNotFoundError,
)
from mlkit.assessments.loader import load_dir, load_instruments, yaml_files
from mlkit.assessments.models import Curriculum, Instrument, YearExpectation
from mlkit.assessments.specialties import name_problems, resolve_specialty
from mlkit.errors import Problem
from mlkit.frameworks.loader import load_all
from mlkit.frameworks.models import Framework

DEFAULT_CURRICULUM = "default"
ENV_PATH = "MLKIT_CURRICULA_PATH"


def bundled_curricula_dir() -> Traversable:
    """Return the directory of the bundled curriculum files."""
    return bundled_assessments() / "curricula"


def user_curricula_dirs(curricula_dir: Path | Sequence[Path] | None = None) -> list[Path]:
    """Return the user curriculum directories: the argument, else ``MLKIT_CURRICULA_PATH``.

    Raises:
        AssessmentValidationError: when a directory does not exist.
    """
    if curricula_dir is not None:
        dirs = [curricula_dir] if isinstance(curricula_dir, Path) else list(curricula_dir)
    else:
        raw = os.environ.get(ENV_PATH, "")
        dirs = [Path(p) for p in raw.split(os.pathsep) if p]
    for d in dirs:
        if not d.is_dir():
            raise AssessmentValidationError(
                str(d),
                [Problem("(path)", "not_a_directory", "curriculum directory does not exist")],
            )
    return dirs


@dataclass(frozen=True)
class _Found:
    cur: Curriculum
    source: str
    lines: dict[str, int]
    own: list[Problem]


def _found(
    dirs: Sequence[Path | Traversable], errors: list[AssessmentValidationError]
) -> tuple[dict[str, _Found], set[str]]:
    """Load every directory in turn; a later file with the same id replaces an earlier one."""
    found: dict[str, _Found] = {}
    stems: set[str] = set()
    for directory in dirs:
        stems |= {_stem(p.name) for p in yaml_files(directory)}
        seen_here: dict[str, str] = {}
        for cur, source, lines, own in load_dir(directory, Curriculum, curriculum_problems, errors):
            if cur.id in seen_here:
                problem = Problem(
                    at("id", lines),
                    "duplicate_code",
                    f"curriculum id also used by {seen_here[cur.id]}",
                    cur.id,
                )
                errors.append(AssessmentValidationError(source, [problem]))
                continue
            seen_here[cur.id] = source
            found[cur.id] = _Found(cur, source, lines, own)
    return found, stems


def _stem(name: str) -> str:
    return name.rsplit(".", 1)[0]


def load_curricula(
    curricula_dir: Path | Sequence[Path] | None = None,
    *,
    instruments: Mapping[str, Instrument] | None = None,
    frameworks: Mapping[str, Framework] | None = None,
    bundled: bool = True,
) -> dict[str, Curriculum]:
    """Load and validate the bundled and user curricula as a set (overrides not yet resolved).

    Checks that ``extends`` names a loaded curriculum (without cycles), that required evidence
    names loaded instruments, that expected levels are points of the curriculum's scale, that
    domain keys are domains of its framework, and that no specialty name (specialty code, title,
    alias) belongs to two curricula.

    Args:
        curricula_dir: User directories; ``MLKIT_CURRICULA_PATH`` when None, none when ``[]``.
        instruments: The instruments to check against; :func:`load_instruments` by default.
        frameworks: The frameworks to check against; :func:`mlkit.frameworks.load_all` by default.
        bundled: Start from the bundled curricula (False validates the user files alone).

    Returns:
        The curricula by id. Use :func:`curriculum_for` for the effective curriculum of a
        specialty.

    Example:
        >>> curricula = load_curricula([Path("mijn-curricula")])  # doctest: +SKIP

    Raises:
        AssessmentValidationError: with every problem of every broken file.
    """
    dirs: list[Path | Traversable] = [bundled_curricula_dir()] if bundled else []
    dirs += user_curricula_dirs(curricula_dir)
    errors: list[AssessmentValidationError] = []
    found, stems = _found(dirs, errors)
    fws = load_all() if frameworks is None else frameworks
    insts = load_instruments(frameworks=fws) if instruments is None else instruments
    # a base that failed to parse is still "known", so its overrides get no follow-on errors
    ids = set(found) | stems
    by_id = {cid: f.cur for cid, f in found.items()}
    specialty_owner: dict[str, str] = {}
    names: dict[str, str] = {}
    for cid, f in found.items():
        cur, lines = f.cur, f.lines
        fw = fws.get(cur.framework)
        domains = {d.code for d in fw.domains} if fw is not None else set()
        problems = f.own + curriculum_reference_problems(cur, lines, ids, insts, domains)
        if _has_cycle(cid, by_id):
            problems.append(
                Problem(
                    at("extends", lines),
                    "cycle",
                    "curricula extend each other in a cycle",
                    cur.extends,
                )
            )
        duplicate_specialty = cur.specialty is not None and cur.specialty in specialty_owner
        if cur.specialty is not None and duplicate_specialty:
            problems.append(
                Problem(
                    at("specialty", lines),
                    "duplicate_code",
                    f"also the specialty of {specialty_owner[cur.specialty]!r}",
                    cur.specialty,
                )
            )
        if cur.specialty is not None:
            specialty_owner.setdefault(cur.specialty, cid)
        if not duplicate_specialty:
            problems += name_problems(cur, lines, names)
        if problems:
            errors.append(AssessmentValidationError(f.source, problems))
    AssessmentValidationError.raise_combined(errors, "curriculum")
    return by_id


def curriculum_origins(curricula_dir: Path | Sequence[Path] | None = None) -> dict[str, str]:
    """Return, per curriculum id, the file it is loaded from (later directories win)."""
    origins: dict[str, str] = {}
    for directory in [bundled_curricula_dir(), *user_curricula_dirs(curricula_dir)]:
        for path in yaml_files(directory):
            origins[_stem(path.name)] = str(path)
    return origins


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
    """Return the effective curriculum of a specialty name (resolved through its aliases).

    ``None`` asks for the default curriculum explicitly. A name no curriculum declares is an
    error: it never falls back to the default (a programme that wants the default for a
    specialty adds the name to the default curriculum's ``aliases``).

    Args:
        specialty: A specialty name such as ``"psychiatrie"`` or ``"Interne geneeskunde"``.
        curricula: Curricula as returned by :func:`load_curricula`; bundled and user ones by
            default.

    Example:
        >>> curriculum_for("Psychiatrie").duration_years
        4.5

    Raises:
        UnknownSpecialtyError: when the name does not resolve.
        CurriculumNotFoundError: when the default is asked for and missing.
        AssessmentValidationError: when a curriculum file is broken.
    """
    loaded = load_curricula() if curricula is None else curricula
    if specialty is None:
        return resolve_curriculum(loaded, DEFAULT_CURRICULUM)
    return resolve_curriculum(loaded, resolve_specialty(specialty, loaded))


def specialties(curricula: Mapping[str, Curriculum]) -> list[str]:
    """Return the specialty codes that have a curriculum of their own, sorted."""
    return sorted(c.specialty for c in curricula.values() if c.specialty is not None)


def validate_curricula_path(path: Path) -> list[Curriculum]:
    """Validate a curriculum file or a directory of them together with the bundled set.

    Raises:
        AssessmentValidationError: listing all problems of all files.
    """
    if path.is_dir():
        loaded = load_curricula([path])
        own = {_stem(p.name) for p in yaml_files(path)}
        return [c for cid, c in loaded.items() if cid in own]
    if not path.is_file():
        raise AssessmentValidationError(
            str(path), [Problem("(path)", "not_found", "no such file or directory")]
        )
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / path.name
        copy.write_bytes(path.read_bytes())
        try:
            loaded = load_curricula([Path(tmp)])
        except AssessmentValidationError as exc:
            raise _renamed(exc, str(copy), str(path)) from None
    return [c for cid, c in loaded.items() if cid == _stem(path.name)]


def _renamed(exc: AssessmentValidationError, old: str, new: str) -> AssessmentValidationError:
    problems = [
        Problem(p.location.replace(old, new), p.code, p.message, p.value) for p in exc.problems
    ]
    return AssessmentValidationError(exc.source.replace(old, new), problems)


@dataclass(frozen=True)
class CurriculumInfo:
    """One line of :func:`list_curricula`: a curriculum, its names, duration and origin."""

    id: str
    specialty: str | None
    title_nl: str | None
    title_en: str | None
    aliases: tuple[str, ...]
    extends: str | None
    duration_years: float
    duration_status: str
    status: str
    expectation_status_nl: str
    expectation_status_en: str
    origin: str


def list_curricula(curricula_dir: Path | Sequence[Path] | None = None) -> list[CurriculumInfo]:
    """List the bundled and user curricula with their names, duration, status and origin.

    Raises:
        AssessmentValidationError: when a curriculum file is broken.
    """
    loaded = load_curricula(curricula_dir)
    origins = curriculum_origins(curricula_dir)
    return [
        CurriculumInfo(
            id=cur.id,
            specialty=cur.specialty,
            title_nl=cur.title.nl,
            title_en=cur.title.en,
            aliases=cur.aliases,
            extends=cur.extends,
            duration_years=cur.duration_years,
            duration_status=cur.duration_status.value,
            status=cur.status.value,
            expectation_status_nl=cur.expectation_status.nl or "",
            expectation_status_en=cur.expectation_status.en or "",
            origin=origins.get(cur.id, "?"),
        )
        for cur in sorted(loaded.values(), key=lambda c: c.id)
    ]


_LOCATION = re.compile(
    r"^(?:line (?P<at>\d+), column \d+|(?P<key>.*?)(?: \(line (?P<line>\d+)\))?)$"
)


def problem_rows(exc: AssessmentValidationError) -> list[dict[str, str | int | None]]:
    """Return each problem as file, key path, line, reason code, message and value."""
    combined = exc.source.endswith(" files")  # locations then start with "FILE: "
    rows: list[dict[str, str | int | None]] = []
    for p in exc.problems:
        file, location = exc.source, p.location
        if combined:
            file, _, location = p.location.partition(": ")
        match = _LOCATION.match(location)
        assert match is not None  # the pattern matches any text
        rows.append(
            {
                "file": file,
                "key": match["key"] or "",
                "line": int(match["line"] or match["at"]) if match["line"] or match["at"] else None,
                "reason": p.code,
                "message": p.message,
                "value": p.value,
            }
        )
    return rows
