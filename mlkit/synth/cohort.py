"""Generate a synthetic cohort of aios as import files in the canonical CSV format.

The files look like Dutch Excel exports: UTF-8, ``;``-separated, Dutch headers and dates as
``dd-mm-jjjj``. Everything is drawn from one ``random.Random(seed)``, so one seed always gives
byte-identical files. Each aios has a hidden ability, growth rate and self-rating optimism; the
scores are drawn from those with noise, so trajectories grow over training, self-ratings run about
half a point above the opleider's, and about a third of portfolios hold only a third of the
required evidence.
"""

from __future__ import annotations

import csv
import io
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from mlkit.assessments.curricula import curriculum_for, load_curricula, specialties
from mlkit.assessments.loader import load_instruments
from mlkit.assessments.models import Curriculum
from mlkit.atomic import write_text_atomic
from mlkit.frameworks.loader import load_all
from mlkit.frameworks.models import Framework, FrameworkKind
from mlkit.ingest.columns import ORDER, FileKind
from mlkit.synth import _text as txt
from mlkit.synth._forms import (
    Aios,
    Context,
    day_in,
    epa,
    fmt,
    kpb,
    msf_round,
    progress,
    santeon_scan,
    self_assessment,
    suitability,
)

DEFAULT_AS_OF = date(2026, 6, 30)
# The files use the canonical import columns, so they import exactly as users' exports do.
ROSTER_HEADER = ORDER[FileKind.ROSTER]
ASSESSMENT_HEADER = ORDER[FileKind.ASSESSMENTS]
ACTIVITY_HEADER = ORDER[FileKind.ACTIVITIES]
REFLECTION_HEADER = ORDER[FileKind.REFLECTIONS]
_YEAR = 365


@dataclass(frozen=True)
class CohortFiles:
    """The files written by :func:`generate_cohort` and their number of data rows."""

    roster: Path
    assessments: Path
    activities: Path
    reflections: Path
    rows: Mapping[str, int] = field(default_factory=dict)

    def paths(self) -> list[Path]:
        """Return the four file paths in import order (roster first)."""
        return [self.roster, self.assessments, self.activities, self.reflections]


def _aios_tracks(frameworks: Mapping[str, Framework]) -> list[tuple[str, str | None, float | None]]:
    out: list[tuple[str, str | None, float | None]] = []
    for fw in frameworks.values():
        if fw.kind is not FrameworkKind.TALENT_TRACKS:
            continue  # e.g. the FMS inspiratiesessies in handreiking.yaml: not a track to enrol in
        for track in fw.talent_tracks:
            audience = (track.target_audience.nl or "").lower()
            if "aios" not in audience or "niet aios" in audience:
                continue
            only = (
                "psychiatrie"
                if "psychiatrie" in audience
                else "interne_geneeskunde"
                if "interne geneeskunde" in audience
                else None
            )
            out.append((track.code, only, track.duration_months))
    return sorted(out)


def _make_aios(
    ctx: Context,
    number: int,
    *,
    width: int,
    specs: list[str],
    curricula: Mapping[str, Curriculum],
    window_start: date,
) -> Aios:
    rng = ctx.rng
    spec = rng.choice(specs)
    cur = curricula[spec]
    years = math.ceil(cur.duration_years)
    year_now = rng.randint(1, years)
    span = min(1.0, cur.duration_years - (year_now - 1))
    elapsed = (year_now - 1) * _YEAR + rng.randint(20, max(21, int(span * _YEAR) - 35))
    start = (ctx.as_of - timedelta(days=elapsed)).replace(day=1)
    start = max(start, window_start)
    incomplete = rng.random() < 1 / 3
    return Aios(
        aios_id=f"A{number:0{width}d}",
        specialty=spec,
        start=start,
        curriculum=cur,
        ability=rng.gauss(0.0, 0.35),
        growth=min(1.4, max(0.6, rng.gauss(1.0, 0.15))),
        optimism=rng.gauss(0.5, 0.15),
        keep=rng.uniform(0.2, 0.45) if incomplete else rng.uniform(0.85, 1.0),
        offsets={d: rng.gauss(0.0, 0.25) for d in ctx.domains},
    )


def _activities(ctx: Context, a: Aios, talent: bool) -> None:
    rng = ctx.rng
    kinds = ["cursus", "commissie", "verbeterproject", "onderwijs", "meelopen"]
    n = rng.randint(0, 1 + int(a.years_at(ctx.as_of)))
    plan = [rng.choice(kinds) for _ in range(round(n * (a.keep + 0.2)))]
    tracks = [t for t in ctx.tracks if t[1] in (None, a.specialty)]
    if talent and tracks:
        plan.append("talenttraject")
    lengths = {
        "cursus": (1, 3),
        "commissie": (180, 730),
        "verbeterproject": (90, 365),
        "onderwijs": (1, 1),
        "meelopen": (2, 15),
        "talenttraject": (180, 365),
    }
    for kind in plan:
        begin = day_in(rng, a.start + timedelta(days=30), ctx.as_of)
        track, months = "", None
        if kind == "talenttraject":
            track, _, months = rng.choice(tracks)
        lo, hi = lengths[kind]
        days = round(months * 30.4) if months else rng.randint(lo, hi)
        end = begin + timedelta(days=days - 1)
        inst_item = ctx.instruments["activity"].item(kind)
        domains = [c for c in inst_item.evidences if c.startswith("rml.")]
        extra = rng.choice(ctx.domains)
        if extra not in domains:
            domains.append(extra)
        ctx.activities.append(
            (
                f"ACT{len(ctx.activities) + 1:06d}",
                a.aios_id,
                kind,
                rng.choice(txt.ACTIVITY_TEXTS[kind]),
                fmt(begin),
                fmt(end) if end <= ctx.as_of else "",
                track,
                "|".join(sorted(domains)),
            )
        )


def _training_year(
    ctx: Context, a: Aios, year: int, *, staff: list[str], opleider: str, santeon: bool
) -> None:
    rng = ctx.rng
    lo = a.start + timedelta(days=(year - 1) * _YEAR)
    full_end = a.start + timedelta(days=year * _YEAR - 1)
    hi = min(full_end, ctx.as_of)
    share = ((hi - lo).days + 1) / _YEAR
    complete = full_end <= ctx.as_of
    required = {r.instrument: r.min_count for r in a.curriculum.year(year).required_evidence}

    def count(n: int) -> int:
        wanted = n if complete else math.floor(n * share + rng.random() * 0.5)
        return sum(1 for _ in range(wanted) if rng.random() < a.keep)

    for _ in range(count(required.get("kpb", 2)) + (rng.random() < 0.3 * a.keep)):
        kpb(ctx, a, day_in(rng, lo, hi), staff, opleider)
    for _ in range(count(required.get("msf", 1))):
        msf_round(ctx, a, day_in(rng, lo + timedelta(days=60), hi))
    for _ in range(count(required.get("self_assessment", 1))):
        self_assessment(ctx, a, day_in(rng, lo + timedelta(days=30), hi), opleider)
    for _ in range(count(required.get("voortgang", 1))):
        progress(ctx, a, day_in(rng, lo + timedelta(days=120), hi), opleider, a.keep < 0.5)
    if complete and rng.random() < a.keep:
        last = full_end + timedelta(days=_YEAR) > ctx.as_of
        suitability(ctx, a, full_end - timedelta(days=rng.randint(0, 30)), opleider, last)
    for _ in range(count(2 if complete else 1)):
        epa(ctx, a, day_in(rng, lo, hi), staff)
    if santeon and rng.random() < 0.7 * a.keep:
        santeon_scan(ctx, a, day_in(rng, lo, hi))
    for _ in range(count(rng.randint(0, 3))):
        ctx.reflections.append(
            (
                f"RF{len(ctx.reflections) + 1:06d}",
                a.aios_id,
                fmt(day_in(rng, lo, hi)),
                rng.choice(ctx.domains),
                txt.reflection_text(rng),
            )
        )


def generate_cohort(
    n_aios: int,
    seed: int,
    out_dir: Path,
    start: date | None = None,
    *,
    as_of: date | None = None,
) -> CohortFiles:
    """Write a synthetic cohort as the four canonical import files.

    Args:
        n_aios: Number of aios in the roster.
        seed: Seed of the random generator; the same seed gives byte-identical files.
        out_dir: Directory to write ``roster.csv``, ``assessments.csv``, ``activities.csv`` and
            ``reflections.csv`` to (created if needed; existing files are overwritten).
        start: Earliest possible training start date; defaults to six years before ``as_of``.
        as_of: Reference date ("today" of the data): every record is dated on or before it.
            Defaults to ``start`` plus six years, else to ``DEFAULT_AS_OF`` (30-06-2026), never
            the real today, so output does not depend on when it runs.

    Returns:
        The paths written and the number of data rows per file.

    Example:
        >>> files = generate_cohort(20, seed=1, out_dir=Path("demo-data"))
        >>> files.rows["assessments"] > 0
        True

    Raises:
        ValueError: when ``n_aios`` is below 1 or ``start`` is not before ``as_of``.
    """
    if n_aios < 1:
        raise ValueError("n_aios must be at least 1")
    if as_of is None:
        as_of = _shift_years(start, 6) if start is not None else DEFAULT_AS_OF
    window_start = start if start is not None else _shift_years(as_of, -6)
    if window_start >= as_of:
        raise ValueError("start must be before as_of")
    frameworks = load_all()
    instruments = load_instruments(frameworks=frameworks)
    loaded = load_curricula(instruments=instruments, frameworks=frameworks)
    specs = specialties(loaded)
    curricula = {s: curriculum_for(s, loaded) for s in specs}
    domains = [d.code for d in frameworks["rml"].domains]
    rand = random.Random(seed)  # noqa: S311  (synthetic data, not security)
    # a stream of its own, so that the schedule columns leave every other value as it was
    schedule_rng = random.Random(seed + 7919)  # noqa: S311
    ctx = Context(rand, as_of, instruments, domains, _aios_tracks(frameworks))
    rng = ctx.rng
    staff = {h: [txt.fake_staff_name(rng) for _ in range(8)] for h in txt.HOSPITALS}
    opleiders: dict[tuple[str, str], str] = {}
    roster: list[tuple[str, ...]] = []
    width = max(4, len(str(n_aios)))
    for number in range(1, n_aios + 1):
        a = _make_aios(
            ctx, number, width=width, specs=specs, curricula=curricula, window_start=window_start
        )
        hospital = rng.choice(txt.HOSPITALS)
        key = (hospital, a.specialty)
        if key not in opleiders:
            opleiders[key] = txt.fake_staff_name(rng)
        roster.append(
            (
                a.aios_id,
                txt.fake_name(rng),
                a.specialty,
                fmt(a.start),
                hospital,
                opleiders[key],
                *_schedule(schedule_rng, a, as_of),
            )
        )
        year_now = min(math.ceil(a.curriculum.duration_years), (as_of - a.start).days // _YEAR + 1)
        for year in range(1, year_now + 1):
            _training_year(
                ctx,
                a,
                year,
                staff=staff[hospital],
                opleider=opleiders[key],
                santeon=hospital in txt.SANTEON_LIKE,
            )
        _activities(ctx, a, talent=rng.random() < 0.06 + 0.1 * max(0.0, a.ability))
    out_dir.mkdir(parents=True, exist_ok=True)
    files = CohortFiles(
        roster=out_dir / "roster.csv",
        assessments=out_dir / "assessments.csv",
        activities=out_dir / "activities.csv",
        reflections=out_dir / "reflections.csv",
        rows={
            "roster": len(roster),
            "assessments": len(ctx.assessments),
            "activities": len(ctx.activities),
            "reflections": len(ctx.reflections),
        },
    )
    _write(files.roster, ROSTER_HEADER, roster)
    _write(files.assessments, ASSESSMENT_HEADER, ctx.assessments)
    _write(files.activities, ACTIVITY_HEADER, ctx.activities)
    _write(files.reflections, REFLECTION_HEADER, ctx.reflections)
    return files


def _schedule(rng: random.Random, a: Aios, as_of: date) -> tuple[str, str, str]:
    """Roster columns deeltijdfactor, verlenging_maanden, onderbreking_maanden for one aios.

    About one in ten trains part-time (80 or 90 per cent); about half of the aios in their final
    year have an extension of 6 months; a few had an interruption of 3 months. Empty means full
    time, no extension, no interruption.
    """
    part_time = rng.choice(("80", "90")) if rng.random() < 0.1 else ""
    final_year = (as_of - a.start).days / _YEAR >= math.ceil(a.curriculum.duration_years) - 1
    extension = "6" if final_year and rng.random() < 0.5 else ""
    interruption = "3" if rng.random() < 0.04 else ""
    return part_time, extension, interruption


def _shift_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _write(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Write one CSV atomically, with mode 0600 like every file mlkit writes."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    write_text_atomic(path, buffer.getvalue())
