"""What a batch renders: the aios selected from the store.

:func:`select_aios` picks the aios by specialty and training year on the reference date, and
records each one's data hash, all in one read transaction of the store. The batch's options are
checked before, by :class:`mlkit.batch.request.BatchRequest`.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from mlkit.batch.errors import StoreUnreadableError
from mlkit.reports.params import parse_as_of


@dataclass(frozen=True)
class AiosEntry:
    """One selected aios.

    Attributes:
        aios_id: Pseudonymous id.
        data_hash: Hash of the aios' records in the store, with the version of the store's
            calibrated evidence rules folded in; a change means "render again".
        display_name: Name shown in ``index.html``.
        specialty: Specialty, for the index.
        training_year: Opleidingsjaar on the reference date, for the index.
    """

    aios_id: str
    data_hash: str = ""
    display_name: str = ""
    specialty: str = ""
    training_year: int | None = None


def select_aios(
    db: Path,
    *,
    specialty: str | None = None,
    year: int | None = None,
    as_of: str | date = "",
    curricula_dir: Path | None = None,
) -> list[AiosEntry]:
    """Return the aios in the store at ``db``, optionally of one specialty or training year.

    The training year comes from :func:`mlkit.assessments.position.position_of`: part-time
    training, interruptions and the programme's duration count, so an aios past the nominal
    duration is in the last year, never in a year the programme does not have. An aios whose
    stored specialty resolves to no curriculum gets no training year (its report fails with the
    known names) and is left out when ``year`` is given.

    Args:
        db: The SQLite store.
        specialty: Keep only this specialty (any of its names, e.g. "Heelkunde" or "chirurgie").
        year: Keep only aios in this training year (opleidingsjaar) on ``as_of``.
        as_of: Reference date (a date, or ISO text); empty means today.
        curricula_dir: User curricula (default: ``$MLKIT_CURRICULA_PATH``).

    Raises:
        UnknownSpecialtyError: when ``specialty`` names no curriculum.
    """
    from mlkit.analysis.dates import to_date
    from mlkit.analysis.rules_files import active_evidence_rules
    from mlkit.assessments import UnknownSpecialtyError, load_curricula, resolve_curriculum
    from mlkit.assessments.position import position_of
    from mlkit.assessments.specialties import resolve_specialty
    from mlkit.store import Store

    if not db.is_file():
        raise FileNotFoundError(2, "no such file", str(db))
    if not isinstance(as_of, date):
        as_of = parse_as_of(as_of) if as_of else date.today()
    reference = as_of
    curricula = load_curricula(curricula_dir)
    wanted = resolve_specialty(specialty, curricula) if specialty else None
    rules = active_evidence_rules(db)  # a calibration's version is part of the data hash
    selected: list[AiosEntry] = []
    try:
        with Store.open(db) as store, store.read_transaction():  # one snapshot
            for row in store.aios().to_dict("records"):
                start = to_date(row.get("start_date"))
                try:
                    cid: str | None = resolve_specialty(str(row.get("specialty") or ""), curricula)
                except UnknownSpecialtyError:
                    cid = None
                t_year = None
                if start and cid is not None:
                    cur = resolve_curriculum(curricula, cid)
                    t_year = position_of(row, start, reference, cur).opleidingsjaar
                if wanted is not None and cid != wanted:
                    continue
                if year is not None and t_year != year:
                    continue
                aios_id = str(row["aios_id"])
                selected.append(
                    AiosEntry(
                        aios_id,
                        rules.fold(store.data_hash(aios_id)),
                        str(row.get("display_name") or ""),
                        str(row.get("specialty") or ""),
                        t_year,
                    )
                )
    except sqlite3.DatabaseError as exc:  # a corrupt file, or not a database at all
        raise StoreUnreadableError(str(db), str(exc)) from exc
    return selected
