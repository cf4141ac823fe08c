"""The self-reflection notebook's library side: prompts, and preparing the aios' folder.

:func:`prepare_reflection` writes a folder holding the aios' personal extract (a store with that
aios' records only) and the notebook, parameterised to read that extract by a relative path:
the cohort store's path appears nowhere in it. The form itself is :mod:`mlkit.forms.reflect`;
merging back is :func:`mlkit.forms.extract.collect_extracts`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlkit.assessments import load_instrument
from mlkit.frameworks import load_framework
from mlkit.frameworks.models import Lang, display_title
from mlkit.reports.blocks import Section, bullets, heading, paragraph

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
class ReflectionFolder:
    """What :func:`prepare_reflection` wrote: the notebook and the personal extract."""

    notebook: Path
    extract: Path


def prepare_reflection(values: dict[str, Any], out: Path) -> ReflectionFolder:
    """Write the aios' personal extract and the self-reflection notebook into ``out``.

    Args:
        values: The report parameters (``aios_id``, ``db`` = the cohort store, ``lang``,
            ``as_of``, ``frameworks_dir``), validated by the reflection's parameter model.
        out: The folder to give the aios (created if needed).

    Example:
        >>> prepare_reflection({"aios_id": "A0001", "db": "cohort.db"}, Path("A0001"))
        ... # doctest: +SKIP

    Raises:
        ReportParameterError: for an invalid parameter.
        StoreMissingError: when the cohort store does not exist.
        AiosNotFoundError: when the aios is not in the cohort store.
    """
    from mlkit.atomic import write_text_atomic
    from mlkit.forms.extract import EXTRACT_NAME, write_extract
    from mlkit.forms.notebooks import parameterised_notebook
    from mlkit.reports.inputs import read_snapshot
    from mlkit.reports.params import params_for
    from mlkit.reports.render import output_stem

    params = params_for("reflection", values)
    read_snapshot(params)  # the store and the aios exist
    extract = write_extract(params.db, params.aios_id, out)
    # the notebook reads the extract beside it, by a relative path
    local = {**params.notebook_parameters(), "db": EXTRACT_NAME}
    text = parameterised_notebook(params.template, local)
    notebook = out / f"{output_stem(params)}.ipynb"
    write_text_atomic(notebook, text)
    return ReflectionFolder(notebook, extract)


__all__ = ["ReflectionFolder", "prepare_reflection", "prompts"]
