"""Draw the forms of one synthetic aios: scores from hidden traits plus noise, Dutch comments.

Internal to :mod:`mlkit.synth`. Every function takes the shared :class:`Context` (one seeded
``random.Random`` and the growing row lists) and appends rows in the canonical CSV layout.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from mlkit.assessments.models import Curriculum, Instrument
from mlkit.synth import _text as txt

NOT_APPLICABLE = "kan niet beoordelen"

_MSF_GROUPS = {  # respondents per role: (min, max); some groups fall below min_respondents
    "specialist": (1, 6),
    "verpleegkundige": (2, 7),
    "aios": (1, 5),
    "ondersteuning": (0, 3),
    "paramedicus": (0, 3),
}
_EPA_OFFSET = {
    "dienst_doen": 0.4,
    "overdracht_leiden": 0.2,
    "werkverdeling_leiden": -0.4,
    "verbeterproject_leiden": -0.6,
}


def fmt(d: date) -> str:
    return d.strftime("%d-%m-%Y")


def clip(x: float, lo: int, hi: int) -> int:
    v = round(x)
    return lo if v < lo else hi if v > hi else v


@dataclass
class Aios:
    aios_id: str
    specialty: str
    start: date
    curriculum: Curriculum
    ability: float
    growth: float
    optimism: float
    keep: float
    offsets: dict[str, float]

    def years_at(self, d: date) -> float:
        return (d - self.start).days / 365.25


@dataclass
class Context:
    rng: random.Random
    as_of: date
    instruments: Mapping[str, Instrument]
    domains: list[str]
    tracks: list[tuple[str, str | None, float | None]]  # code, specialty or None, months
    assessments: list[tuple[str, ...]] = field(default_factory=list)
    activities: list[tuple[str, ...]] = field(default_factory=list)
    reflections: list[tuple[str, ...]] = field(default_factory=list)
    form_no: int = 0

    def form_id(self) -> str:
        self.form_no += 1
        return f"F{self.form_no:07d}"

    def add_form(
        self,
        instrument: str,
        aios: Aios,
        day: date,
        *,
        rater: str,
        role: str,
        scores: Sequence[tuple[str, str]],
        comment: str,
    ) -> None:
        fid, when = self.form_id(), fmt(day)
        for i, (item, score) in enumerate(scores):
            self.assessments.append(
                (
                    fid,
                    aios.aios_id,
                    instrument,
                    when,
                    rater,
                    role,
                    item,
                    score,
                    comment if i == 0 else "",
                )
            )


def day_in(rng: random.Random, lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randint(0, max(0, (hi - lo).days)))


def kpb(ctx: Context, a: Aios, day: date, staff: list[str], opleider: str) -> None:
    rng, inst = ctx.rng, ctx.instruments["kpb"]
    t = a.years_at(day)
    scores = []
    for item in inst.items:
        if item.scale == "bekwaamheidsniveau":
            if rng.random() < 0.5:
                scores.append(
                    (
                        item.code,
                        str(clip(1.3 + 0.7 * a.growth * t + a.ability + rng.gauss(0, 0.5), 1, 5)),
                    )
                )
        elif item.required or rng.random() < 0.6:
            score = str(clip(3.1 + 0.8 * a.ability + rng.gauss(0, 0.7), 1, 5))
            scores.append((item.code, score))
        elif rng.random() < 0.3:
            scores.append((item.code, NOT_APPLICABLE))
    is_opleider = rng.random() < 0.25
    ctx.add_form(
        "kpb",
        a,
        day,
        rater=opleider if is_opleider else rng.choice(staff),
        role="opleider" if is_opleider else "specialist",
        scores=scores,
        comment=txt.kpb_comment(rng),
    )


def msf_round(ctx: Context, a: Aios, day: date) -> None:
    rng, inst = ctx.rng, ctx.instruments["msf"]
    base = 3.3 + 0.12 * a.years_at(day) + 0.6 * a.ability
    items = [it.code for it in inst.items]
    for role in (r.code for r in inst.respondent_roles):
        lo, hi = _MSF_GROUPS.get(role, (1, 4))
        for _ in range(rng.randint(lo, hi)):
            lenience = rng.gauss(0, 0.3)
            na_rate = 0.2 if role == "ondersteuning" else 0.06
            scores = []
            for code in items:
                r = rng.random()
                score = (
                    ""
                    if r < na_rate / 2
                    else NOT_APPLICABLE
                    if r < na_rate
                    else str(clip(base + lenience + rng.gauss(0, 0.6), 1, 5))
                )
                scores.append((code, score))
            remark = txt.msf_remark(rng) if rng.random() < 0.3 else ""
            ctx.add_form("msf", a, day, rater="anoniem", role=role, scores=scores, comment=remark)


def self_assessment(ctx: Context, a: Aios, day: date, opleider: str) -> None:
    rng, inst = ctx.rng, ctx.instruments["self_assessment"]
    t = a.years_at(day)
    true = {
        it.code: 1.5 + 0.55 * a.growth * t + a.ability + a.offsets.get(it.evidences[0], 0.0)
        for it in inst.items
    }
    own = [(c, str(clip(v + a.optimism + rng.gauss(0, 0.35), 1, 4))) for c, v in true.items()]
    ctx.add_form(
        "self_assessment",
        a,
        day,
        rater=a.aios_id,
        role="aios",
        scores=own,
        comment=txt.self_comment(rng, True),
    )
    if rng.random() < 0.85:
        later = min(ctx.as_of, day + timedelta(days=rng.randint(3, 20)))
        theirs = [(c, str(clip(v + rng.gauss(0, 0.35), 1, 4))) for c, v in true.items()]
        ctx.add_form(
            "self_assessment",
            a,
            later,
            rater=opleider,
            role="opleider",
            scores=theirs,
            comment=txt.self_comment(rng, False),
        )


def santeon_scan(ctx: Context, a: Aios, day: date) -> None:
    rng, inst = ctx.rng, ctx.instruments["santeon_scan"]
    base = 2.0 + 0.4 * a.years_at(day) + a.ability + 0.5 * a.optimism
    scores = [(it.code, str(clip(base + rng.gauss(0, 0.6), 1, 5))) for it in inst.items]
    ctx.add_form("santeon_scan", a, day, rater=a.aios_id, role="aios", scores=scores, comment="")


def epa(ctx: Context, a: Aios, day: date, staff: list[str]) -> None:
    rng, inst = ctx.rng, ctx.instruments["epa"]
    t = a.years_at(day)
    chosen = rng.sample([it.code for it in inst.items], rng.randint(1, 3))
    scores = [
        (
            c,
            str(
                clip(
                    1.2
                    + 0.75 * a.growth * t
                    + a.ability
                    + _EPA_OFFSET.get(c, 0.0)
                    + rng.gauss(0, 0.45),
                    1,
                    5,
                )
            ),
        )
        for c in chosen
    ]
    ctx.add_form(
        "epa", a, day, rater=rng.choice(staff), role="specialist", scores=scores, comment=""
    )


def progress(ctx: Context, a: Aios, day: date, opleider: str, incomplete: bool) -> None:
    rng = ctx.rng
    values = []
    for _ in range(2):
        z = a.ability + rng.gauss(0, 0.25)
        values.append(
            1 if z < -0.35 or (incomplete and rng.random() < 0.3) else 3 if z > 0.4 else 2
        )
    scores = [("voortgang_algemeen", str(values[0])), ("voortgang_leiderschap", str(values[1]))]
    ctx.add_form(
        "voortgang",
        a,
        day,
        rater=opleider,
        role="opleider",
        scores=scores,
        comment=txt.progress_comment(rng, values[0]),
    )


def suitability(ctx: Context, a: Aios, day: date, opleider: str, last: bool) -> None:
    rng = ctx.rng
    value = 3
    if a.ability < -0.45 and rng.random() < 0.6:
        value = 1 if last and rng.random() < 0.1 else 2
    ctx.add_form(
        "geschiktheid",
        a,
        day,
        rater=opleider,
        role="opleider",
        scores=[("besluit", str(value))],
        comment=txt.decision_comment(value),
    )
