"""Benchmark: import >= 1,000,000 assessment item rows and compare with a bare pandas.read_csv.

Generates a deterministic export (a roster plus one row per item score for KPB, MSF and EPA
forms), then times in the same run, ``--repeat`` times each and alternating, (a) a bare
``pandas.read_csv`` of the assessment file and (b) ``mlkit.ingest.import_file`` of the same file
(read, validate, store, rejects) into a fresh store that holds only the roster. Prints the best
and the median of both sides, rows/s and the ratio import / bare read (best over best), then the
time of re-importing the same file and the cost of the integrity check (``PRAGMA quick_check``)
that ``mlkit import`` runs when it opens the store for writing. Usage:
``python bench/ingest.py [--rows N] [--repeat N] [--keep DIR]``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from mlkit.assessments import load_instruments
from mlkit.ingest import Reference, import_file
from mlkit.store import Store

HEADER = "formulier_id;aios_id;instrument;datum;beoordelaar;rol_beoordelaar;item;score;toelichting"
N_AIOS = 300


def write_files(directory: Path, rows: int, seed: int = 7) -> tuple[Path, Path]:
    """Write ``roster.csv`` and ``assessments.csv`` with at least ``rows`` item rows."""
    rng = random.Random(seed)
    instruments = load_instruments()
    forms = {
        code: [item.code for item in instruments[code].items] for code in ("kpb", "msf", "epa")
    }
    roster = directory / "roster.csv"
    lines = ["aios_id;naam;specialisme;startdatum;ziekenhuis;opleider"]
    for a in range(N_AIOS):
        lines.append(f"A{a:05d};Aios {a};interne geneeskunde;01-09-2019;Ziekenhuis {a % 7};Dr. O")
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = [HEADER]
    written = 0
    form = 0
    start = date(2020, 1, 1)
    while written < rows:
        form += 1
        code = rng.choice(("kpb", "msf", "epa"))
        aios = f"A{rng.randrange(N_AIOS):05d}"
        when = (start + timedelta(days=rng.randrange(1800))).strftime("%d-%m-%Y")
        assessor = f"Beoordelaar {rng.randrange(80)}"
        for i, item in enumerate(forms[code]):
            score = "n.v.t." if rng.random() < 0.03 else str(rng.randint(1, 5))
            note = "Tops: duidelijk overleg, tips: meer delegeren" if i == 0 else ""
            out.append(
                f"F{form:07d};{aios};{code};{when};{assessor};specialist;{item};{score};{note}"
            )
            written += 1
    path = directory / "assessments.csv"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return roster, path


def _fresh_store(db: Path, roster: Path, reference: Reference) -> Store:
    """Open a new store at ``db`` holding only the roster."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    store = Store.open(db)
    import_file(roster, store, reference=reference)
    return store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each side")
    parser.add_argument("--keep", type=Path, default=None, help="keep the files in this directory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        directory = args.keep or Path(tmp)
        directory.mkdir(parents=True, exist_ok=True)
        roster, path = write_files(directory, args.rows)
        reference = Reference.load()
        db = directory / "bench.db"
        reads: list[float] = []
        imports: list[float] = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            bare = pd.read_csv(path, sep=";")
            reads.append(time.perf_counter() - t0)
            with _fresh_store(db, roster, reference) as store:
                t0 = time.perf_counter()
                summary = import_file(path, store, reference=reference)
                imports.append(time.perf_counter() - t0)
        with Store.open(db) as store:
            t0 = time.perf_counter()
            again = import_file(path, store, reference=reference)
            t_again = time.perf_counter() - t0
        db_mb = db.stat().st_size / 1e6
        opens: list[float] = []
        checks: list[float] = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            Store.open(db).close()
            opens.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            Store.open(db, check=True).close()  # what `mlkit import` does before writing
            checks.append(time.perf_counter() - t0)
    size_mb = path.stat().st_size / 1e6 if args.keep else 0.0
    t_read, t_import = min(reads), min(imports)
    print(f"file: {len(bare):,} item rows" + (f", {size_mb:.1f} MB" if size_mb else ""))
    print(
        f"bare pandas.read_csv: best {t_read:.2f} s ({len(bare) / t_read:,.0f} rows/s), "
        f"median {statistics.median(reads):.2f} s of {len(reads)}"
    )
    print(
        f"mlkit import: best {t_import:.2f} s ({summary.rows_read / t_import:,.0f} rows/s), "
        f"median {statistics.median(imports):.2f} s of {len(imports)}; "
        f"{summary.stored:,} stored, {summary.rejected:,} rejected, "
        f"{summary.duplicates:,} duplicates"
    )
    print(
        f"ratio import / bare read: {t_import / t_read:.1f}x best/best, "
        f"{statistics.median(imports) / statistics.median(reads):.1f}x median/median (aim: <= 4x)"
    )
    print(
        f"re-import of the same file: {t_again:.2f} s, {again.stored} stored, "
        f"{again.duplicates:,} duplicates"
    )
    t_check = min(checks) - min(opens)
    print(
        f"integrity check (PRAGMA quick_check when opened for writing) on this {db_mb:.0f} MB"
        f" store: {t_check:.2f} s (open {min(opens):.3f} s, open + check {min(checks):.2f} s),"
        f" {t_check / t_import:.0%} of one import"
    )


if __name__ == "__main__":
    main()
