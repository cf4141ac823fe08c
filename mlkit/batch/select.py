"""What a batch renders: its options checked up front, and the aios selected from the store.

:func:`check_options` turns every bad option into one :class:`BatchOptionError` before the store
is read; :func:`select_aios` picks the aios by specialty and training year on the reference date.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from mlkit.batch.errors import BatchOptionError, OutputDirError, StoreUnreadableError
from mlkit.reports.params import PARAM_MODELS, normalise_as_of, parse_as_of

DEFAULT_KINDS = ("progress", "summary")
LANGS = ("nl", "en")


def check_options(
    *,
    kinds: Sequence[str] = DEFAULT_KINDS,
    lang: str = "nl",
    as_of: str = "",
    workers: int = 1,
    executor: str = "local",
    out_dir: Path | None = None,
    pdf: bool = False,
) -> list[str]:
    """Check the batch options before anything is read or started; return the unique kinds.

    Raises:
        BatchOptionError: for an unknown kind or language, a bad date, executor or worker count.
        AsOfError: for a reference date that is not a date.
        OutputDirError: when ``out_dir`` exists and is not a directory.
        PacketError: with ``pdf``, when WeasyPrint or its system libraries are missing.
    """
    unique = list(dict.fromkeys(k.strip() for k in kinds if k.strip()))
    if not unique:
        raise BatchOptionError("--kind", ",".join(kinds), "name at least one report kind")
    for kind in unique:
        if kind not in PARAM_MODELS:
            raise BatchOptionError("--kind", kind, f"choose from {', '.join(PARAM_MODELS)}")
    if lang not in LANGS:
        raise BatchOptionError("--lang", lang, "use nl or en")
    normalise_as_of(as_of)
    if workers < 1:
        raise BatchOptionError("--workers", workers, "must be at least 1")
    if executor != "local" and not executor.startswith(("dask://", "tcp://", "tls://")):
        raise BatchOptionError("--executor", executor, "use local or dask://HOST:PORT")
    if executor.startswith("dask://") and not executor.removeprefix("dask://").strip("/"):
        raise BatchOptionError("--executor", executor, "name the scheduler: dask://HOST:PORT")
    if out_dir is not None and out_dir.exists() and not out_dir.is_dir():
        raise OutputDirError(str(out_dir), "exists and is not a directory")
    if pdf:
        from mlkit.reports.packet import check_pdf_support

        check_pdf_support()
    return unique


@dataclass(frozen=True)
class AiosEntry:
    """One selected aios.

    Attributes:
        aios_id: Pseudonymous id.
        data_hash: Hash of the aios' records in the store; a change means "render again".
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
    as_of: str = "",
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
        as_of: Reference date (ISO); empty means today.
        curricula_dir: User curricula (default: ``$MLKIT_CURRICULA_PATH``).

    Raises:
        UnknownSpecialtyError: when ``specialty`` names no curriculum.
    """
    from mlkit.analysis.dates import to_date
    from mlkit.assessments import UnknownSpecialtyError, load_curricula, resolve_curriculum
    from mlkit.assessments.position import position_of
    from mlkit.assessments.specialties import resolve_specialty
    from mlkit.store import Store

    if not db.is_file():
        raise FileNotFoundError(2, "no such file", str(db))
    reference = parse_as_of(as_of) if as_of else date.today()
    curricula = load_curricula(curricula_dir)
    wanted = resolve_specialty(specialty, curricula) if specialty else None
    selected: list[AiosEntry] = []
    try:
        with Store.open(db) as store:
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
                        store.data_hash(aios_id),
                        str(row.get("display_name") or ""),
                        str(row.get("specialty") or ""),
                        t_year,
                    )
                )
    except sqlite3.DatabaseError as exc:  # a corrupt file, or not a database at all
        raise StoreUnreadableError(str(db), str(exc)) from exc
    return selected
