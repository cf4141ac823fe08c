"""Benchmark: a vendor export through an import profile against the same forms in mlkit's layout.

Writes a roster, an Elentra-style extract (one form per row, names as "Last, First", O-score text
with a comment in one cell, yy-mm-dd dates) and the same forms in mlkit's own long layout, then
times, ``--repeat`` times each and alternating, ``import_with_profile`` of the extract and
``import_file`` of the canonical file, each into a fresh store holding only the roster. Prints the
best and median of both and the ratio profile / canonical. Usage:
``python bench/profiles.py [--rows N] [--repeat N]``.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from mlkit.ingest import Reference, import_file
from mlkit.ingest.profiles import import_with_profile
from mlkit.store import Store

N_AIOS = 300
O_SCORES = (
    "I had to do",
    "I had to talk them through",
    "I needed to prompt",
    "I needed to be there just in case",
    "I didn't need to be there",
)
LEVELS = (1, 2, 2, 3, 4)  # the crosswalk of the bundled profile
PROGRAMME = """\
schema: mlkit.import_profile/1
name: bench_programme
extends: elentra_extract
title: Benchmark programme
columns:
  item:
    map: {C2: overdracht_leiden}
"""
HEADER = [
    "Resident",
    "Assessor",
    "Date Completed",
    "Last Updated By",
    "Site",
    "Type",
    "Status",
    "Based on this observation, how much supervision did the resident need?",
    "Were there any patient safety concerns?",
    "Were there any professionalism concerns?",
    "Next Steps",
]


def write_files(directory: Path, rows: int, seed: int = 7) -> tuple[Path, Path, Path]:
    """Write ``roster.csv``, ``extract.csv`` (vendor) and ``canonical.csv`` with ``rows`` forms."""
    rng = random.Random(seed)
    roster = directory / "roster.csv"
    lines = ["aios_id;naam;specialisme;startdatum;ziekenhuis;opleider"]
    lines += [
        f"A{a:05d};Aios Nummer{a};interne geneeskunde;01-09-2019;MC;Dr. O" for a in range(N_AIOS)
    ]
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    vendor = [
        ["Assessment Tool Data Extract"],
        ["Program: bench"],
        ["", "C2 - Handover"],
        [],
        HEADER,
    ]
    canonical = [
        "formulier_id;aios_id;instrument;datum;beoordelaar;rol_beoordelaar;item;score;toelichting"
    ]
    start = date(2020, 1, 1)
    for form in range(rows):
        a = rng.randrange(N_AIOS)
        when = start + timedelta(days=rng.randrange(1800))
        level = rng.randrange(5)
        assessor = f"Assessor{rng.randrange(80)}, Dr"
        vendor.append(
            [
                f"Nummer{a}, Aios",
                assessor,
                when.strftime("%y-%m-%d"),
                assessor,
                "Site",
                "Direct",
                "complete",
                f"{O_SCORES[level]}\n\nComments: \nFeedback {form}",
                "No",
                "No",
                "Delegate",
            ]
        )
        canonical.append(
            f"F{form:07d};A{a:05d};epa;{when.strftime('%d-%m-%Y')};{assessor.replace(';', ' ')};;"
            f"overdracht_leiden;{LEVELS[level]};Feedback {form}"
        )
    extract = directory / "extract.csv"
    with extract.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(vendor)
    path = directory / "canonical.csv"
    path.write_text("\n".join(canonical) + "\n", encoding="utf-8")
    return roster, extract, path


def _fresh_store(db: Path, roster: Path, reference: Reference) -> Store:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    store = Store.open(db)
    import_file(roster, store, reference=reference)
    return store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each side")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        roster, extract, path = write_files(directory, args.rows)
        (directory / "bench_programme.yaml").write_text(PROGRAMME, encoding="utf-8")
        reference = Reference.load()
        db = directory / "bench.db"
        vendor_t: list[float] = []
        canon_t: list[float] = []
        for _ in range(args.repeat):
            with _fresh_store(db, roster, reference) as store:
                t0 = time.perf_counter()
                via = import_with_profile(
                    extract,
                    store,
                    "bench_programme",
                    directory / "r.csv",
                    reference=reference,
                    profile_dirs=[directory],
                )
                vendor_t.append(time.perf_counter() - t0)
            with _fresh_store(db, roster, reference) as store:
                t0 = time.perf_counter()
                own = import_file(path, store, directory / "r2.csv", reference=reference)
                canon_t.append(time.perf_counter() - t0)
    print(f"forms: {args.rows:,}")
    for name, times, summary in (("profile", vendor_t, via), ("canonical", canon_t, own)):
        print(
            f"{name} import: best {min(times):.2f} s, median {statistics.median(times):.2f} s; "
            f"{summary.line()}"
        )
    print(
        f"ratio profile / canonical: {min(vendor_t) / min(canon_t):.1f}x best/best, "
        f"{statistics.median(vendor_t) / statistics.median(canon_t):.1f}x median/median"
    )
    print(
        "(profile rejects are forms sharing aios, date and assessor: one derived form id, "
        "see README 'Import profiles')"
    )


if __name__ == "__main__":
    main()
