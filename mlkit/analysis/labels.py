"""Dutch (default) and English strings for statuses, reasons and headings.

Charts and reports take every visible word from here, so a report is wholly in one language.
Domain titles are not here: they come from the framework through
:func:`mlkit.frameworks.models.display_title`, which marks unverified names.

Example:
    >>> label("status.behind", "en")
    'behind'
"""

from __future__ import annotations

from mlkit.frameworks.models import Lang

_LABELS: dict[str, tuple[str, str]] = {
    # statuses of a domain against the curriculum
    "status.ahead": ("voor op schema", "ahead"),
    "status.on_track": ("op schema", "on track"),
    "status.behind": ("achter op schema", "behind"),
    "status.not_enough_evidence": ("onvoldoende bewijs", "not enough evidence"),
    "status.not_assessable": (
        "niet beoordeelbaar: domein niet geladen",
        "not assessable: domain not loaded",
    ),
    # why a domain has no status
    "reason.no_evidence": ("geen beoordelingen", "no assessments"),
    "reason.only_self_assessment": (
        "alleen zelfbeoordeling (telt niet als bewijs)",
        "self-assessment only (does not count as evidence)",
    ),
    "reason.too_few_observations": ("te weinig observaties", "too few observations"),
    "reason.too_few_assessors": ("te weinig verschillende beoordelaars", "too few assessors"),
    "reason.no_recent_evidence": ("geen recent bewijs", "no recent evidence"),
    "reason.no_narrative": ("geen toelichting (narratief)", "no narrative comment"),
    "reason.no_level_rating": (
        "geen oordeel op de ontwikkelschaal",
        "no rating on the developmental scale",
    ),
    "reason.no_expectation": ("geen verwachting in het curriculum", "no curriculum expectation"),
    "reason.domain_not_loaded": (
        "naam en tekst van het domein zijn niet geladen",
        "the domain's name and text are not loaded",
    ),
    # how the current level was reached
    "rule.latest": ("laatste oordeel", "latest judgement"),
    "rule.mode": ("meest gegeven oordeel (modus)", "most frequent judgement (mode)"),
    # evidence requirement states
    "evidence.met": ("voldaan", "met"),
    "evidence.missing": ("ontbreekt", "missing"),
    "evidence.open": ("loopt nog", "in progress"),
    # chart and report headings, axes and legends
    "heading.domains": ("Domeinen medisch leiderschap", "Medical leadership domains"),
    "heading.radar": ("Niveau per domein", "Level per domain"),
    "heading.trajectories": ("Ontwikkeling per domein", "Development per domain"),
    "heading.evidence": (
        "Vereist bewijs per opleidingsjaar",
        "Required evidence per training year",
    ),
    "heading.msf": ("360-graden-feedback per respondentgroep", "Multi-source feedback by group"),
    "heading.activities": (
        "Leiderschapsactiviteiten en talenttrajecten",
        "Leadership activities and talent tracks",
    ),
    "heading.rules": ("Regels voor voldoende bewijs", "Evidence sufficiency rules"),
    "heading.cohort": ("Cohortoverzicht", "Cohort overview"),
    "series.self": ("zelfbeoordeling", "self-assessment"),
    "series.others": ("opleider / beoordelaars", "trainer / assessors"),
    "series.expected": ("verwacht niveau", "expected level"),
    "series.expected_band": ("verwacht niveau (band)", "expected level (band)"),
    "series.talent_track": ("talenttraject", "talent track"),
    "series.activity": ("activiteit", "activity"),
    "axis.date": ("datum", "date"),
    "axis.level": ("niveau", "level"),
    "axis.year": ("opleidingsjaar", "training year"),
    "axis.requirement": ("vereiste", "requirement"),
    "axis.score": ("score", "score"),
    "axis.item": ("onderdeel", "item"),
    "msf.suppressed": ("onderdrukt", "suppressed"),
    "msf.suppressed_reason": (
        "minder dan {min} respondenten (n={n})",
        "fewer than {min} respondents (n={n})",
    ),
    "msf.overall": ("alle respondenten", "all respondents"),
    "msf.overall_reveals": (
        "zou een onderdrukte groep herleidbaar maken",
        "would reveal a suppressed group",
    ),
    "msf.mean": ("gemiddelde", "mean"),
    "msf.mode": ("modus", "mode"),
    "empty.no_data": ("geen gegevens", "no data"),
    "empty.no_msf": ("geen 360-graden-feedback", "no multi-source feedback"),
    "empty.no_activities": ("geen activiteiten", "no activities"),
    "empty.no_requirements": ("geen bewijsvereisten", "no evidence requirements"),
    "cohort.suppressed": (
        "groep kleiner dan {min}: niet getoond",
        "group smaller than {min}: not shown",
    ),
    "cohort.all": ("alle aios", "all trainees"),
    "cohort.year": ("jaar {year}", "year {year}"),
    "year.short": ("jr {year}", "yr {year}"),
}


def label(key: str, lang: Lang = "nl", **values: object) -> str:
    """Return the string ``key`` in ``lang``, formatted with ``values``.

    Args:
        key: A key such as ``"status.ahead"`` or ``"msf.suppressed_reason"``.
        lang: ``"nl"`` (default) or ``"en"``.
        **values: Placeholders to fill, e.g. ``min=3, n=2``.

    Raises:
        KeyError: if there is no such label.

    Example:
        >>> label("msf.suppressed_reason", "nl", min=3, n=2)
        'minder dan 3 respondenten (n=2)'
    """
    nl, en = _LABELS[key]
    text = nl if lang == "nl" else en
    return text.format(**values) if values else text


def label_keys() -> list[str]:
    """Return every known label key (for tests and translators)."""
    return sorted(_LABELS)
