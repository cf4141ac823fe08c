"""Word lists and Dutch text templates for synthetic data: fake names, hospitals, comments.

Every name is made up from parts so that it sounds Dutch but clearly fictional; the hospitals do
not exist. Templates are filled with ``str.format`` and picked with a seeded ``random.Random``.
"""

from __future__ import annotations

import random

FIRST_NAMES = (
    "Anouk",
    "Bram",
    "Daan",
    "Eline",
    "Fenna",
    "Floor",
    "Gijs",
    "Hidde",
    "Iris",
    "Jasper",
    "Jet",
    "Joris",
    "Julia",
    "Koen",
    "Lotte",
    "Luuk",
    "Maartje",
    "Mees",
    "Merel",
    "Milan",
    "Noor",
    "Olivier",
    "Pien",
    "Roos",
    "Ruben",
    "Sanne",
    "Sem",
    "Sophie",
    "Stijn",
    "Tess",
    "Thijs",
    "Vera",
    "Wout",
    "Yara",
    "Zoë",
    "Lieke",
    "Tijn",
    "Femke",
    "Niels",
    "Isa",
)
_LAST_HEADS = (
    "Klaver",
    "Tulp",
    "Molen",
    "Berk",
    "Linde",
    "Heide",
    "Ooster",
    "Water",
    "Zilver",
    "Hazel",
    "Kievit",
    "Duin",
    "Riet",
    "Vlinder",
    "Wilg",
    "Mossel",
    "Pepper",
    "Kers",
    "Haver",
    "Eik",
)
_LAST_TAILS = (
    "kamp",
    "hoek",
    "meijer",
    "stra",
    "veld",
    "sma",
    "horst",
    "inga",
    "broek",
    "dael",
    "wijk",
    "mans",
    "kes",
    "gaard",
    "haven",
)
_TUSSEN = ("", "", "", "", "van ", "de ", "van der ", "van den ", "ter ")
HOSPITALS = (
    "Ziekenhuis Klaverdal",
    "Tulpstede Medisch Centrum",
    "UMC Lindewaard",
    "Heidezoom Ziekenhuis",
    "Zeekant Gasthuis",
    "Medisch Centrum Wilgenoord",
)
SANTEON_LIKE = frozenset({"Tulpstede Medisch Centrum", "Zeekant Gasthuis"})
"""Fictional hospitals that take part in a Santeon-like value-based programme (self-scans)."""


def fake_name(rng: random.Random) -> str:
    """Return a fictional Dutch-sounding full name, e.g. ``'Fenna van der Klaverhorst'``."""
    return (
        f"{rng.choice(FIRST_NAMES)} {rng.choice(_TUSSEN)}"
        f"{rng.choice(_LAST_HEADS)}{rng.choice(_LAST_TAILS)}"
    )


def fake_staff_name(rng: random.Random) -> str:
    """Return a fictional specialist's name with title and initial, e.g. ``'dr. M. Eikveld'``."""
    initial = rng.choice(FIRST_NAMES)[0]
    return f"dr. {initial}. {rng.choice(_TUSSEN)}{rng.choice(_LAST_HEADS)}{rng.choice(_LAST_TAILS)}"


_SITUATIONS = (
    "de ochtendoverdracht",
    "een drukke avonddienst",
    "het MDO",
    "de visite op de afdeling",
    "een familiegesprek",
    "een calamiteit op de SEH",
    "de afdelingsoverdracht in het weekend",
    "een gesprek met een ontevreden patiënt",
    "de bedbespreking",
    "een acute opname",
)
_TOPS = (
    "houdt rust en overzicht, ook toen het druk werd",
    "verdeelt de taken helder en checkt of iedereen weet wat er moet gebeuren",
    "betrekt de verpleging actief bij de besluitvorming",
    "brengt het eigen standpunt duidelijk en onderbouwd in",
    "vat het gesprek goed samen en maakt heldere afspraken",
    "neemt verantwoordelijkheid en schaalt op tijd op",
    "geeft de coassistent ruimte en goede uitleg",
    "benoemt een veiligheidsrisico en zorgt dat het wordt opgepakt",
    "is goed bereikbaar en reageert snel op vragen van het team",
    "kiest doelmatig voor aanvullend onderzoek en legt dat uit",
)
_TIPS = (
    "stel eerder prioriteiten als er meerdere vragen tegelijk komen",
    "check aan het eind van de overdracht of alle acties belegd zijn",
    "vraag vaker actief naar de mening van anderen in het team",
    "wees explicieter over wie waarvoor verantwoordelijk is",
    "neem meer ruimte om je standpunt in te brengen bij de specialisten",
    "delegeer meer, je hoeft niet alles zelf te doen",
    "plan een korte evaluatie na een hectische dienst",
    "maak je afwegingen over kosten en doelmatigheid hardop",
    "let op je tempo en toon als de druk oploopt",
    "zoek de verbinding met andere disciplines eerder op",
)
_MSF_REMARKS = (
    "Prettige collega, altijd bereikbaar.",
    "Neemt duidelijk de leiding tijdens diensten.",
    "Zou vaker feedback kunnen vragen aan de verpleging.",
    "Communiceert helder, ook onder druk.",
    "Soms wat gehaast bij de overdracht.",
    "Denkt mee over verbeteringen op de afdeling.",
    "Kan nog groeien in het aanspreken van collega's.",
    "Geeft goed onderwijs aan coassistenten.",
)
_PROGRESS = {
    1: "De opleiding loopt achter op het schema; de portfolio is onvolledig.",
    2: "De opleiding verloopt volgens schema.",
    3: "De aios loopt voor op het schema en pakt extra taken op.",
}
_ACTIONS = (
    "twee extra KPB's leiderschap plannen",
    "een 360-graden-feedbackronde uitzetten",
    "deelnemen aan een commissie of werkgroep",
    "een verbeterproject op de afdeling starten",
    "de zelfbeoordeling leiderschap bijwerken",
    "een cursus medisch leiderschap volgen",
    "het IOP bijwerken voor het volgende jaar",
    "meelopen met de afdelingsleiding",
)
_DECISIONS = {
    1: "Op basis van het portfolio en de feedback van de opleidingsgroep wordt de opleiding niet"
    " voortgezet.",
    2: "Voortzetting onder voorwaarden; over drie maanden volgt een nieuw gesprek.",
    3: "Het verwachte niveau voor deze fase is bereikt; de opleiding wordt voortgezet.",
}
_REFLECT_OPENINGS = (
    "Tijdens {situation} merkte ik",
    "Na {situation} realiseerde ik me",
    "In {situation} viel het me op",
    "Bij {situation} ontdekte ik",
)
_REFLECT_INSIGHTS = (
    "dat ik snel zelf ga oplossen in plaats van taken te verdelen",
    "hoe belangrijk het is om de verpleging vroeg te betrekken",
    "dat mijn toon onder druk korter wordt dan ik wil",
    "dat ik mijn standpunt beter kan onderbouwen met gegevens",
    "dat het team duidelijkheid nodig heeft over wie de regie heeft",
    "dat ik zichtbaarder kan zijn voor jongere collega's",
    "dat een korte evaluatie na afloop veel oplevert",
    "dat ik de kosten van mijn beleid zelden meeweeg",
)
_REFLECT_PLANS = (
    "Volgende keer wil ik eerst de taken verdelen.",
    "Ik ga mijn opleider vragen om hier specifiek op te letten.",
    "Ik neem dit mee als leerdoel in mijn IOP.",
    "Ik wil dit oefenen in de cursus die ik ga volgen.",
    "Ik ga na elke dienst kort evalueren met het team.",
)
ACTIVITY_TEXTS = {
    "cursus": (
        "Cursus medisch leiderschap voor aios",
        "Training feedback geven en ontvangen",
        "Cursus lean en verbetermethoden",
        "Training omgaan met conflicten",
    ),
    "commissie": (
        "Lid aios-vereniging",
        "Lid opleidingscommissie",
        "Lid werkgroep patiëntveiligheid",
        "Lid commissie richtlijnen",
    ),
    "verbeterproject": (
        "Verbeterproject ontslagproces",
        "Verbeterproject overdracht SEH-afdeling",
        "Project doelmatig laboratoriumgebruik",
        "Project samen beslissen",
    ),
    "talenttraject": ("Deelname talenttraject medisch leiderschap",),
    "onderwijs": (
        "Onderwijs aan coassistenten",
        "Refereeravond georganiseerd",
        "Onderwijs aan verpleegkundigen",
    ),
    "meelopen": (
        "Meelopen met de Raad van Bestuur",
        "Meelopen bij de zorgverzekeraar",
        "Meelopen met de afdelingsmanager",
    ),
}


def kpb_comment(rng: random.Random) -> str:
    """Return a KPB narrative: situation, a top and a tip."""
    return (
        f"Geobserveerd tijdens {rng.choice(_SITUATIONS)}. Top: {rng.choice(_TOPS)}. "
        f"Tip: {rng.choice(_TIPS)}."
    )


def msf_remark(rng: random.Random) -> str:
    """Return a short free-text MSF remark."""
    return rng.choice(_MSF_REMARKS)


def progress_comment(rng: random.Random, value: int) -> str:
    """Return a voortgangsgesprek narrative with agreed actions for category ``value``."""
    first, second = rng.sample(_ACTIONS, 2)
    return f"{_PROGRESS[value]} Afspraken: {first}; {second}."


def decision_comment(value: int) -> str:
    """Return the narrative of a geschiktheidsbeoordeling with decision ``value``."""
    return _DECISIONS[value]


def self_comment(rng: random.Random, self_rating: bool) -> str:
    """Return a short narrative for a self- or opleider assessment."""
    if self_rating:
        return rng.choice(
            (
                "Ik zie vooral groei in het nemen van verantwoordelijkheid.",
                "Ik merk dat ik meer regie neem in diensten.",
                "Leiderschap buiten de eigen afdeling vind ik nog lastig.",
                "Ik wil meer zicht krijgen op de organisatie van de zorg.",
            )
        )
    return rng.choice(
        (
            "Besproken in het voortgangsgesprek; beeld grotendeels herkenbaar.",
            "De aios schat zichzelf wat hoger in dan de opleidingsgroep.",
            "Mooie ontwikkeling, vooral in de diensten.",
            "Aandachtspunt blijft zichtbaarheid buiten de eigen afdeling.",
        )
    )


def reflection_text(rng: random.Random) -> str:
    """Return a short Dutch reflection."""
    opening = rng.choice(_REFLECT_OPENINGS).format(situation=rng.choice(_SITUATIONS))
    return f"{opening} {rng.choice(_REFLECT_INSIGHTS)}. {rng.choice(_REFLECT_PLANS)}"
