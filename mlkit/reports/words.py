"""Dutch (default) and English words used by the report pages (headings, table headers)."""

from __future__ import annotations

from mlkit.frameworks.models import Lang

_WORDS: dict[str, tuple[str, str]] = {
    "title.progress": (
        "Voortgangsrapportage medisch leiderschap",
        "Medical leadership progress report",
    ),
    "title.summary": (
        "Beoordelingsoverzicht medisch leiderschap",
        "Medical leadership assessment summary",
    ),
    "title.reflection": ("Zelfreflectie medisch leiderschap", "Medical leadership self-reflection"),
    "index.title": ("Rapporten medisch leiderschap", "Medical leadership reports"),
    "index.counts": (
        "{ok} gemaakt · {skipped} al actueel · {failed} mislukt",
        "{ok} rendered · {skipped} up to date · {failed} failed",
    ),
    "index.pending": ("{n} niet gedaan", "{n} not done"),
    "index.failed": ("Mislukte rapporten", "Failed reports"),
    "index.reports": ("Rapporten", "Reports"),
    "index.name": ("naam", "name"),
    "job.ok": ("gemaakt", "rendered"),
    "job.skipped": ("actueel", "up to date"),
    "job.failed": ("mislukt", "failed"),
    "job.pending": ("niet gedaan", "not done"),
    "kind.progress": ("voortgang", "progress"),
    "kind.summary": ("beoordelingsoverzicht", "summary"),
    "kind.reflection": ("zelfreflectie", "self-reflection"),
    "aios": ("aios", "trainee"),
    "specialty": ("specialisme", "specialty"),
    "hospital": ("ziekenhuis", "hospital"),
    "opleider": ("opleider", "trainer"),
    "start": ("start opleiding", "training start"),
    "year": ("opleidingsjaar", "training year"),
    "as_of": ("peildatum", "reference date"),
    "curriculum": ("curriculum", "curriculum"),
    "h.summary": ("Samenvatting", "Summary"),
    "h.domains": ("Stand per domein", "Position per domain"),
    "h.radar": ("Niveau per domein", "Level per domain"),
    "h.trajectories": ("Ontwikkeling in de tijd", "Development over time"),
    "h.evidence": ("Vereist en aanwezig bewijs", "Required and present evidence"),
    "h.msf": ("360-graden-feedback", "Multi-source feedback"),
    "h.talent": ("Talentontwikkeling", "Talent development"),
    "h.next": ("Volgende stappen", "Next steps"),
    "h.appendix": ("Bijlage: regels en herkomst", "Appendix: rules and provenance"),
    "h.forms": ("Beoordelingen per instrument", "Assessments per instrument"),
    "h.ordinal": ("Oordelen op ordinale schalen", "Ratings on ordinal scales"),
    "h.gap": ("Zelfbeeld en oordeel van anderen", "Self-image and others' judgement"),
    "h.comments": ("Toelichtingen (narratief)", "Narrative comments"),
    "h.rules": ("Regels voor voldoende bewijs", "Evidence sufficiency rules"),
    "h.provenance": ("Herkomst", "Provenance"),
    "h.markers": ("Markeringen", "Markers"),
    "col.domain": ("domein", "domain"),
    "col.expected": ("verwacht", "expected"),
    "col.current": ("huidig niveau", "current level"),
    "col.how": ("hoe bepaald", "how determined"),
    "col.self": ("zelf", "self"),
    "col.gap": ("verschil zelf − anderen", "gap self − others"),
    "col.status": ("status", "status"),
    "col.why": ("toelichting", "explanation"),
    "col.year": ("jaar", "year"),
    "col.requirement": ("vereiste", "requirement"),
    "col.required": ("vereist", "required"),
    "col.present": ("aanwezig", "present"),
    "col.state": ("stand", "state"),
    "col.group": ("respondentgroep", "respondent group"),
    "col.respondents": ("respondenten", "respondents"),
    "col.result": ("resultaat", "result"),
    "col.instrument": ("instrument", "instrument"),
    "col.forms": ("formulieren", "forms"),
    "col.first": ("eerste", "first"),
    "col.last": ("laatste", "last"),
    "col.assessors": ("beoordelaars", "assessors"),
    "col.item": ("onderdeel", "item"),
    "col.n": ("n", "n"),
    "col.latest": ("laatste oordeel", "latest"),
    "col.mode": ("modus", "mode"),
    "col.share": ("aandeel ≥ niveau", "share ≥ level"),
    "col.date": ("datum", "date"),
    "col.role": ("rol", "role"),
    "col.comment": ("toelichting", "comment"),
    "how": (
        "{rule} op de ontwikkelschaal (n={n}, {a} beoordelaar(s)), {date}",
        "{rule} on the developmental scale (n={n}, {a} assessor(s)), {date}",
    ),
    "col.evidence": ("bewijs (laatste {m} mnd)", "evidence (last {m} months)"),
    "evidence_cell": (
        "{n} observaties, {a} beoordelaars{narr}",
        "{n} observations, {a} assessors{narr}",
    ),
    "narrative": (", met toelichting", ", with narrative"),
    "none": ("—", "—"),
    "talent.ahead": ("{n} domeinen voor op schema", "{n} domains ahead of schedule"),
    "talent.candidate": (
        "Mogelijke kandidaat voor een talenttraject.",
        "Possible candidate for a talent track.",
    ),
    "talent.interest": (
        "Interesse uitgesproken ({n}×, o.a. '{kw}').",
        "Interest stated ({n}×, e.g. '{kw}').",
    ),
    "talent.enrolled": ("Ingeschreven: {tracks}.", "Enrolled: {tracks}."),
    "talent.none": ("Geen signalen voor een talenttraject.", "No talent-track signals."),
    "next.behind": (
        "Achter op schema in {domains}: bespreek gerichte leeractiviteiten.",
        "Behind in {domains}: agree targeted learning activities.",
    ),
    "next.evidence": (
        "Onvoldoende bewijs in {domains}: plan beoordelingen door verschillende "
        "beoordelaars, met toelichting.",
        "Not enough evidence in {domains}: plan assessments by different "
        "assessors, with narrative.",
    ),
    "next.missing": (
        "Nog te verzamelen dit jaar: {items}.",
        "Still to collect this year: {items}.",
    ),
    "next.talent": ("Bespreek deelname aan een talenttraject.", "Discuss joining a talent track."),
    "next.none": (
        "Geen knelpunten: bespreek de volgende stap in de ontwikkeling.",
        "No concerns: discuss the next step in development.",
    ),
    "comments.more": ("{n} oudere toelichtingen niet getoond.", "{n} older comments not shown."),
    "comments.cut": ("… (ingekort)", "… (shortened)"),
    "comments.none": ("Geen toelichtingen.", "No comments."),
    "msf.none": (
        "Geen 360-graden-feedback in de periode.",
        "No multi-source feedback in the period.",
    ),
    "forms.none": ("Nog geen beoordelingen vastgelegd.", "No assessments recorded yet."),
    "marker.unverified": (
        "naam of tekst nog niet bevestigd door de bron; laad de officiële tekst",
        "name or text not yet confirmed by the source; load the official text",
    ),
    "marker.partial": (
        "deels bevestigd: nummering of bewoording niet geheel bevestigd",
        "partly confirmed: numbering or wording not fully confirmed",
    ),
    "prov.data": ("sha256 van de gebruikte gegevens", "sha256 of the data used"),
    "prov.frameworks": ("raamwerken", "frameworks"),
    "prov.version": ("mlkit-versie", "mlkit version"),
    "self_only": (
        "Zelfbeoordelingen tellen niet als bewijs voor de status.",
        "Self-assessments do not count as evidence for the status.",
    ),
}


def word(key: str, lang: Lang = "nl", **values: object) -> str:
    """Return the report word ``key`` in ``lang``, formatted with ``values``.

    Raises:
        KeyError: for an unknown key (a typo must not print a raw key in a report).
    """
    nl, en = _WORDS[key]
    text = nl if lang == "nl" else en
    return text.format(**values) if values else text
