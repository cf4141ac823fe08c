"""Names for people: domains with one footnote mark, roles, instruments, items and tracks.

Reports and charts never show codes. A framework item that is not confirmed carries one mark,
``*``, after its name (explained once per page, see :data:`MARK`), instead of a bracketed
prefix on every occurrence.

Example:
    >>> domain_name(framework.item("rml.x_verbinden"), "nl")
    'Verbinden*'
"""

from __future__ import annotations

from collections.abc import Mapping

from mlkit.assessments.models import Instrument
from mlkit.catalogue import Lang, word
from mlkit.frameworks.models import Domain, Framework, Status

MARK = "*"


def domain_name(domain: Domain, lang: Lang = "nl", *, mark: bool = True) -> str:
    """Return the domain's title, with :data:`MARK` when it is not confirmed.

    An empty slot (no title loaded) reads "domein 10 (niet geladen)".
    """
    text = domain.title.get(lang)
    if not text:
        return word("domain.unloaded", lang, n=domain.order)
    return f"{text}{MARK}" if mark and domain.status is not Status.CONFIRMED else text


def join_names(names: list[str], lang: Lang = "nl") -> str:
    """Join names as a sentence does: "a, b en c" / "a, b and c"."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {word('and', lang)} {names[-1]}"


def instrument_name(instruments: Mapping[str, Instrument], code: str, lang: Lang = "nl") -> str:
    """Return an instrument's short name (``name`` in the catalogue, else its title)."""
    key = f"instrument.{code}"
    try:
        return word(key, lang)
    except KeyError:
        inst = instruments.get(code)
        return (inst.title.get(lang) if inst else None) or code


def item_name(
    instruments: Mapping[str, Instrument], instrument: str, item: str, lang: Lang = "nl"
) -> str:
    """Return the title of an instrument's item (the code only if the item is unknown)."""
    inst = instruments.get(instrument)
    if inst is not None:
        for it in inst.items:
            if it.code == item:
                return it.title.get(lang) or item
    return item


def role_name(instruments: Mapping[str, Instrument], role: str, lang: Lang = "nl") -> str:
    """Return an assessor or respondent role for people ("opleider", "verpleegkundige")."""
    if not role:
        return word("none", lang)
    try:
        return word(f"role.{role}", lang)
    except KeyError:
        pass
    for inst in instruments.values():
        for r in inst.respondent_roles:
            if r.code == role:
                return r.title.get(lang) or role
    return role.replace("_", " ")


def track_name(frameworks: Mapping[str, Framework], code: str, lang: Lang = "nl") -> str:
    """Return a talent track's title from the ``talent`` framework (the code if unknown)."""
    fw = frameworks.get("talent")
    if fw is not None:
        for tr in fw.talent_tracks:
            if tr.code == code:
                return tr.title.get(lang) or code
    return code


def specialty_name(specialty: str | None, lang: Lang = "nl") -> str:
    """Return a specialty for people: "interne_geneeskunde" reads "Interne geneeskunde"."""
    if not specialty:
        return word("none", lang)
    try:
        return word(f"specialty.{specialty}", lang)
    except KeyError:
        text = specialty.replace("_", " ").strip()
        return text[:1].upper() + text[1:]
