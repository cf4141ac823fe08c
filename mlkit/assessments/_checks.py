"""Consistency checks for instruments and curricula, returning problems with key paths.

Each function only inspects validated models and returns a list of
:class:`~mlkit.errors.Problem`; the loader decides when to raise.
"""

from __future__ import annotations

import math
import warnings
from collections import Counter
from collections.abc import Collection, Iterable, Mapping

from mlkit.assessments.models import Curriculum, Instrument, InstrumentKind, ScaleKind
from mlkit.errors import Problem, shorten
from mlkit.frameworks.validate import with_line

ALL_DOMAINS = "*"


at = with_line  # the same line lookup the framework validator uses


class _Collector:
    def __init__(self, lines: Mapping[str, int]) -> None:
        self.lines = lines
        self.problems: list[Problem] = []

    def add(self, loc: str, code: str, message: str, value: object = None) -> None:
        shown = None if value is None else shorten(value)
        self.problems.append(Problem(at(loc, self.lines), code, message, shown))


def _duplicates(codes: Iterable[str]) -> list[tuple[str, int]]:
    return [(c, n) for c, n in Counter(codes).items() if n > 1]


def instrument_problems(
    inst: Instrument, lines: Mapping[str, int], stem: str | None = None
) -> list[Problem]:
    """Check one instrument on its own: unique codes, item scales, respondent settings.

    Args:
        inst: The validated instrument.
        lines: Line numbers per key path (from ``line_index``).
        stem: The file name without suffix; the instrument code must equal it.
    """
    out = _Collector(lines)
    if stem is not None and inst.code != stem:
        out.add(
            "code", "code_mismatch", f"instrument code must equal the file name {stem!r}", inst.code
        )
    for code, n in _duplicates(s.code for s in inst.scales):
        out.add("scales", "duplicate_code", f"scale code {code!r} is used {n} times", code)
    for code, n in _duplicates(i.code for i in inst.items):
        out.add("items", "duplicate_code", f"item code {code!r} is used {n} times", code)
    for code, n in _duplicates(r.code for r in inst.respondent_roles):
        out.add("respondent_roles", "duplicate_code", f"role code {code!r} is used {n} times", code)
    for i, scale in enumerate(inst.scales):
        for code, n in _duplicates(p.code for p in scale.points):
            out.add(
                f"scales[{i}].points",
                "duplicate_code",
                f"point code {code!r} is used {n} times",
                code,
            )
        for value, n in Counter(p.value for p in scale.points).items():
            if n > 1:
                out.add(
                    f"scales[{i}].points",
                    "duplicate_value",
                    f"point value {value} is used {n} times",
                    value,
                )
    scales = {s.code: s for s in inst.scales}
    for i, item in enumerate(inst.items):
        if item.scale not in scales:
            out.add(
                f"items[{i}].scale",
                "unknown_scale",
                "no scale with this code in the instrument",
                item.scale,
            )
        elif inst.kind is InstrumentKind.FORM and scales[item.scale].kind is ScaleKind.NARRATIVE:
            out.add(
                f"items[{i}].scale",
                "wrong_kind",
                "a form item must be rated on a non-narrative scale",
                item.scale,
            )
        else:
            values = {p.value for p in scales[item.scale].points}
            for year, level in sorted(item.required_level_by_year.items()):
                if level not in values:
                    out.add(
                        f"items[{i}].required_level_by_year.{year}",
                        "bad_value",
                        f"not a point of scale {item.scale!r}",
                        level,
                    )
    if inst.kind is InstrumentKind.FORM and not inst.items:
        out.add("items", "missing", "a form instrument needs at least one item")
    if inst.min_respondents is not None and not inst.respondent_roles:
        out.add(
            "min_respondents",
            "inconsistent",
            "min_respondents needs respondent_roles",
            inst.min_respondents,
        )
    return out.problems


class ProvisionalCodeSkippedWarning(UserWarning):
    """An item evidences a provisional code that the loaded frameworks do not define.

    Provisional codes have a segment starting with ``x_`` (``rml.x_verbinden``): a name is known
    but not its number. A user framework with the official numbering replaces them, and the
    evidence link is then dropped with this warning instead of failing the load.
    """


def is_provisional(code: str) -> bool:
    """True for a non-positional code such as ``rml.x_verbinden`` (a segment starts with ``x_``)."""
    return any(part.startswith("x_") for part in code.split("."))


def drop_missing_provisional(inst: Instrument, source: str, codes: Collection[str]) -> Instrument:
    """Return ``inst`` without evidence links to provisional codes no loaded framework defines.

    An item left evidencing nothing is dropped as a whole (it rated only that domain). Each
    dropped link is reported with a :class:`ProvisionalCodeSkippedWarning` naming the file, the
    item and the code; other unknown codes stay errors (:func:`instrument_reference_problems`).
    """
    items = []
    for i, item in enumerate(inst.items):
        gone = [c for c in item.evidences if c not in codes and is_provisional(c)]
        kept = tuple(c for c in item.evidences if c not in gone)
        for code in gone:
            warnings.warn(
                f"{source}: items[{i}] ({item.code}) no longer evidences {code}: no loaded "
                "framework defines this provisional code (replaced by a user framework file?)"
                + ("; the item is left out" if not kept else ""),
                ProvisionalCodeSkippedWarning,
                stacklevel=3,
            )
        if not gone:
            items.append(item)
        elif kept:
            items.append(item.model_copy(update={"evidences": kept}))
    return inst.model_copy(update={"items": tuple(items)})


def instrument_reference_problems(
    inst: Instrument, lines: Mapping[str, int], codes: Collection[str], levels: Collection[str]
) -> list[Problem]:
    """Check an instrument's references into the frameworks.

    Args:
        inst: The instrument.
        lines: Line numbers per key path.
        codes: Every item code of the loaded frameworks.
        levels: The leadership level codes of the loaded frameworks.
    """
    out = _Collector(lines)
    for i, item in enumerate(inst.items):
        for j, code in enumerate(item.evidences):
            if code not in codes:
                out.add(
                    f"items[{i}].evidences[{j}]",
                    "unknown_reference",
                    "not an item of any loaded framework",
                    code,
                )
    for i, scale in enumerate(inst.scales):
        for j, point in enumerate(scale.points):
            if point.level is not None and point.level not in levels:
                out.add(
                    f"scales[{i}].points[{j}].level",
                    "unknown_level",
                    "not a leadership level defined by any loaded framework",
                    point.level,
                )
    return out.problems


def curriculum_problems(
    cur: Curriculum, lines: Mapping[str, int], stem: str | None = None
) -> list[Problem]:
    """Check one curriculum on its own: id, default versus override, years."""
    out = _Collector(lines)
    if stem is not None and cur.id != stem:
        out.add("id", "code_mismatch", f"curriculum id must equal the file name {stem!r}", cur.id)
    if (cur.extends is None) != (cur.specialty is None):
        out.add(
            "extends",
            "inconsistent",
            "a default curriculum has neither specialty nor extends; an override has both",
            cur.extends,
        )
    last = math.ceil(cur.duration_years)
    numbers = [y.year for y in cur.years]
    for number, n in Counter(numbers).items():
        if n > 1:
            out.add("years", "duplicate_value", f"year {number} is defined {n} times", number)
    for i, y in enumerate(cur.years):
        if y.year > last:
            out.add(
                f"years[{i}].year",
                "out_of_range",
                f"year is beyond duration_years {cur.duration_years:g}",
                y.year,
            )
    if cur.extends is None:
        missing = sorted(set(range(1, last + 1)) - set(numbers))
        if missing:
            out.add(
                "years",
                "missing",
                "a default curriculum must define every training year",
                ", ".join(map(str, missing)),
            )
    return out.problems


def curriculum_reference_problems(
    cur: Curriculum,
    lines: Mapping[str, int],
    curricula: Collection[str],
    instruments: Mapping[str, Instrument],
    domains: Collection[str],
) -> list[Problem]:
    """Check a curriculum's references: the base curriculum, instruments, scale and domains.

    Args:
        cur: The curriculum.
        lines: Line numbers per key path.
        curricula: Ids of every loaded curriculum.
        instruments: The loaded instruments by code.
        domains: Domain codes of the curriculum's framework (e.g. ``rml.d01``).
    """
    out = _Collector(lines)
    if cur.extends is not None and cur.extends not in curricula:
        out.add("extends", "unknown_reference", "no curriculum with this id", cur.extends)
    points: set[str] | None = None
    inst_code, _, scale_code = cur.scale.partition(".")
    if inst_code not in instruments:
        out.add("scale", "unknown_reference", "no instrument with this code", cur.scale)
    else:
        try:
            points = {p.code for p in instruments[inst_code].scale(scale_code).points}
        except KeyError:
            out.add(
                "scale", "unknown_scale", f"instrument {inst_code!r} has no such scale", cur.scale
            )
    if not domains:
        out.add(
            "framework",
            "unknown_reference",
            "framework has no domains or is not loaded",
            cur.framework,
        )
    for i, y in enumerate(cur.years):
        for key, point in y.expected.items():
            loc = f"years[{i}].expected.{key}"
            if key != ALL_DOMAINS and domains and key not in domains:
                out.add(
                    loc,
                    "unknown_reference",
                    f"not a domain of framework {cur.framework!r} (or '*')",
                    key,
                )
            if points is not None and point not in points:
                out.add(loc, "unknown_point", f"not a point code of scale {cur.scale!r}", point)
        for j, req in enumerate(y.required_evidence):
            if req.instrument not in instruments:
                out.add(
                    f"years[{i}].required_evidence[{j}].instrument",
                    "unknown_reference",
                    "no instrument with this code",
                    req.instrument,
                )
    return out.problems
