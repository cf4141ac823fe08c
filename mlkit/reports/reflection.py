"""The self-reflection notebook's library side: prompts, and saving what the aios writes.

Everything shown is the aios' own data; saving goes through the store's validated writes, so a
self-rating outside the scale or an unknown domain is refused with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from mlkit.assessments import load_instrument
from mlkit.errors import MlkitError, Problem, ValidationProblemsError
from mlkit.frameworks import load_framework
from mlkit.frameworks.models import Lang, display_title
from mlkit.ingest.manual import add_form, add_reflection
from mlkit.reports.blocks import Section, bullets, heading, paragraph
from mlkit.reports.inputs import StoreMissingError
from mlkit.store import Store, default_db_path

SELF_INSTRUMENT = "self_assessment"

_PROMPTS: dict[str, tuple[str, str]] = {
    "intro": (
        "Kies twee of drie domeinen. Beschrijf per domein een recente situatie, wat je deed, "
        "wat het effect was en wat je volgende keer anders doet.",
        "Pick two or three domains. For each, describe a recent situation, what you did, "
        "its effect and what you would do differently next time.",
    ),
    "domain": (
        "Waar liet je dit zien, en wat wil je het komende half jaar ontwikkelen?",
        "Where did you show this, and what do you want to develop in the next six months?",
    ),
    "santeon": (
        "Santeon-profiel medisch leider: in welke kenmerken herken je jezelf?",
        "Santeon medical leader profile: which characteristics do you recognise in yourself?",
    ),
    "scale": ("Schaal zelfbeoordeling: {points}.", "Self-rating scale: {points}."),
    "h.prompts": ("Reflectievragen per domein", "Reflection prompts per domain"),
    "h.santeon": ("Kenmerken van de medisch leider", "Characteristics of the medical leader"),
}


def _p(key: str, lang: Lang, **values: object) -> str:
    nl, en = _PROMPTS[key]
    return (nl if lang == "nl" else en).format(**values)


def prompts(lang: Lang = "nl") -> Section:
    """Reflection prompts per RML domain and per Santeon characteristic, with the scale."""
    inst = load_instrument(SELF_INSTRUMENT)
    rml = load_framework("rml")
    scale = inst.scale(inst.items[0].scale)
    points = ", ".join(f"{p.value} = {p.label.get(lang)}" for p in scale.points)
    domain_lines = [
        f"{item.code}: {display_title(rml.item(item.evidences[0]), lang)} — {_p('domain', lang)}"
        for item in inst.items
        if item.evidences
    ]
    santeon = load_framework("santeon")
    characteristic_lines = [
        display_title(ch, lang)
        for cl in santeon.characteristic_clusters
        for ch in cl.characteristics
    ]
    return Section(
        "prompts",
        [
            heading(_p("h.prompts", lang)),
            paragraph(_p("intro", lang)),
            paragraph(_p("scale", lang, points=points), "mlkit-muted"),
            bullets(domain_lines),
            heading(_p("h.santeon", lang)),
            paragraph(_p("santeon", lang)),
            bullets(characteristic_lines),
        ],
    )


@dataclass(frozen=True)
class SavedReflection:
    """What :func:`save_reflection` stored (or would store when ``save`` is False)."""

    saved: bool
    ratings: int
    reflections: int

    def __str__(self) -> str:
        verb = (
            "opgeslagen / saved"
            if self.saved
            else "gecontroleerd, niet opgeslagen / "
            "checked, not saved (zet save = True / set save = True)"
        )
        return f"{self.ratings} zelfbeoordeling(en), {self.reflections} reflectie(s): {verb}"


class ReflectionInputError(ValidationProblemsError):
    """Self-ratings or reflections that cannot be stored, with every problem listed."""


def check_entries(ratings: Mapping[str, int], texts: Mapping[str, str]) -> list[Problem]:
    """Check self-ratings (item code -> scale value) and reflections (domain code -> text)."""
    inst = load_instrument(SELF_INSTRUMENT)
    problems: list[Problem] = []
    items = {it.code: it for it in inst.items}
    for code, value in ratings.items():
        if code not in items:
            problems.append(
                Problem(
                    f"self_ratings[{code!r}]",
                    "unknown_item",
                    f"choose one of {', '.join(items)}",
                    code,
                )
            )
            continue
        allowed = inst.scale(items[code].scale).values()
        if value not in allowed:
            problems.append(
                Problem(
                    f"self_ratings[{code!r}]",
                    "out_of_range",
                    f"choose one of {allowed}",
                    str(value),
                )
            )
    domains = {code for it in inst.items for code in it.evidences}
    for code, text in texts.items():
        if code not in domains:
            problems.append(
                Problem(
                    f"reflections[{code!r}]",
                    "unknown_domain",
                    "not an RML domain code such as rml.d01",
                    code,
                )
            )
        if not str(text).strip():
            problems.append(Problem(f"reflections[{code!r}]", "empty", "the text is empty"))
    return problems


def save_reflection(
    db: str,
    aios_id: str,
    self_ratings: Mapping[str, int],
    reflections: Mapping[str, str],
    *,
    when: date | None = None,
    save: bool = False,
) -> SavedReflection:
    """Validate self-ratings and reflections and, when ``save`` is True, store them.

    Example:
        >>> save_reflection("mlkit.db", "A0001", {"rml_d01": 3},
        ...                 {"rml.d01": "Ik leidde de overdracht..."}, save=True)

    Raises:
        ReflectionInputError: listing every invalid entry (nothing is stored then).
        StoreMissingError: when the store does not exist.
    """
    problems = check_entries(self_ratings, reflections)
    if problems:
        raise ReflectionInputError("self-reflection", problems)
    if not save:
        return SavedReflection(False, len(self_ratings), len(reflections))
    path = Path(db) if db else default_db_path()
    if not path.is_file():
        raise StoreMissingError(path)
    day = when or date.today()
    with Store.open(path) as store:
        if self_ratings:
            add_form(
                store,
                aios_id,
                SELF_INSTRUMENT,
                day,
                dict(self_ratings),
                assessor=aios_id,
                assessor_role="aios",
                source="self_reflection",
            )
        for domain, text in reflections.items():
            add_reflection(store, aios_id, day, text, domain=domain, source="self_reflection")
    return SavedReflection(True, len(self_ratings), len(reflections))


__all__ = ["MlkitError", "ReflectionInputError", "SavedReflection", "prompts", "save_reflection"]
