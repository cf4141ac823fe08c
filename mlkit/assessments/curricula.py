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
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
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
    UnknownSpecialtyError,
)
from mlkit.assessments.loader import load_dir, load_instruments, yaml_files
from mlkit.assessments.models import Curriculum, Instrument, YearExpectation
from mlkit.errors import Problem
from mlkit.frameworks.loader import load_all
from mlkit.frameworks.models import Framework, Status

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
            problems += _name_problems(cur, lines, names)
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


def _names(cur: Curriculum) -> list[tuple[str, str]]:
    """The (key path, name) pairs a specialty name may resolve through."""
    out = [(f"aliases[{i}]", a) for i, a in enumerate(cur.aliases)]
    if cur.extends is None:  # the default is reached only through its own aliases
        return out
    own = [("id", cur.id), ("specialty", cur.specialty or ""), ("title.nl", cur.title.nl or "")]
    return [*own, ("title.en", cur.title.en or ""), *out]


def _name_problems(
    cur: Curriculum, lines: Mapping[str, int], names: dict[str, str]
) -> list[Problem]:
    problems: list[Problem] = []
    for loc, name in _names(cur):
        key = normalise_specialty(name)
        if not key:
            continue
        owner = names.setdefault(key, cur.id)
        if owner != cur.id:
            problems.append(
                Problem(
                    at(loc, lines),
                    "duplicate_name",
                    f"this specialty name already resolves to curriculum {owner!r}",
                    name,
                )
            )
    return problems


def normalise_specialty(name: str) -> str:
    """Return the matching form of a specialty name, e.g. ``"interne geneeskunde"``.

    ``"Interne_Geneeskunde"`` and ``" interne  geneeskunde"`` both match: case and accents are
    ignored, and ``_``, ``-``, ``.``, ``/`` and runs of spaces count as one space.
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"[\s_\-./]+", " ", text).strip()


def specialty_index(curricula: Mapping[str, Curriculum]) -> dict[str, str]:
    """Return normalised specialty name -> curriculum id, for every name a roster may use."""
    index: dict[str, str] = {}
    for cur in curricula.values():
        for _, name in _names(cur):
            key = normalise_specialty(name)
            if key:
                index.setdefault(key, cur.id)
    return index


def known_specialty_names(curricula: Mapping[str, Curriculum], lang: str = "nl") -> list[str]:
    """Return the names a roster may use, for messages: display names, then default aliases."""
    shown = {c.display_name(lang) for c in curricula.values() if c.extends is not None}
    for cur in curricula.values():
        if cur.extends is None:
            shown |= set(cur.aliases)
    return sorted(shown, key=str.casefold)


def resolve_specialty(name: str, curricula: Mapping[str, Curriculum]) -> str:
    """Return the id of the curriculum that specialty ``name`` resolves to.

    Example:
        >>> resolve_specialty("Heelkunde", load_curricula())
        'chirurgie'

    Raises:
        UnknownSpecialtyError: when no curriculum declares the name, with the known names.
    """
    cid = specialty_index(curricula).get(normalise_specialty(name))
    if cid is None:
        raise UnknownSpecialtyError(name, known_specialty_names(curricula))
    return cid


def specialty_code(name: str, curricula: Mapping[str, Curriculum]) -> str:
    """Return the code to store for specialty ``name``: its curriculum's specialty code.

    A name that is an alias of the default curriculum is kept as written (stripped), so that it
    resolves again through that alias.

    Raises:
        UnknownSpecialtyError: when the name does not resolve.
    """
    cur = curricula[resolve_specialty(name, curricula)]
    return cur.specialty if cur.specialty is not None else name.strip()


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


def expected_point(curriculum: Curriculum, year: int, domain: str) -> str:
    """Return the point code expected for ``domain`` in training ``year`` of a curriculum.

    This does not know which domains are loaded; use :func:`expected_levels` for reports.

    Raises:
        KeyError: when the year sets neither ``domain`` nor ``"*"``.
    """
    expected = curriculum.year(year).expected
    return expected[domain] if domain in expected else expected[ALL_DOMAINS]


def named_domains(framework: Framework) -> list[str]:
    """Return the codes of the framework's domains that have a name (a title in any language).

    An empty slot (e.g. ``rml.d10`` until the official text is loaded) is not named.
    """
    return [d.code for d in framework.domains if d.title.nl or d.title.en]


def expected_levels(
    curriculum: Curriculum, year: int, domains: Iterable[str] | Framework
) -> dict[str, str]:
    """Return domain -> expected point code for ``year``, for the given (named) domains only.

    ``"*"`` applies only to the domains passed in; pass a framework to use its named domains, so
    that an empty slot gets no expectation (and so can never be "behind"). An explicit key for a
    domain that is not passed in is dropped too.

    Example:
        >>> levels = expected_levels(curriculum_for(None), 1, load_framework("rml"))
        >>> "rml.d10" in levels
        False
    """
    wanted = named_domains(domains) if isinstance(domains, Framework) else list(domains)
    expected = curriculum.year(year).expected
    out: dict[str, str] = {}
    for code in wanted:
        point = expected.get(code, expected.get(ALL_DOMAINS))
        if point is not None:
            out[code] = point
    return out


def expectation_is_proposal(curriculum: Curriculum) -> bool:
    """True when the curriculum's expectations are not an adopted norm (show the status)."""
    return curriculum.status is not Status.CONFIRMED


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
