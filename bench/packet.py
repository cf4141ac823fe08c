"""Benchmark the committee packet: ``mlkit batch`` with and without ``--pdf``.

On one synthetic cohort (``mlkit demo-data --aios N``, imported into a fresh store), runs, each
as the command a committee secretary types (a fresh ``python -m mlkit`` process):

  (a) ``mlkit batch --kind progress,summary --workers 2``          reports + overview
  (b) the same with ``--pdf``, into a fresh directory             reports + overview + packet
  (c) (b) again: nothing changed, so nothing is rendered or rebuilt

and prints the seconds of each, the ratio b/a, the packet's share (b - a) and its pages and size.
The aim for 60 aios is (b) under 30 s on two cores.

Usage::

    .venv/bin/python bench/packet.py --aios 60
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def build_store(n_aios: int, work: Path) -> Path:
    """Generate a synthetic cohort and import it into a fresh store."""
    from mlkit.ingest import import_file
    from mlkit.store import Store
    from mlkit.synth import generate_cohort

    files = generate_cohort(n_aios, 1, work / "csv")
    db = work / "demo.db"
    with Store.open(db) as store:
        for path in files.paths():
            import_file(path, store)
    return db


def timed_batch(db: Path, out: Path, args: argparse.Namespace, *, pdf: bool) -> float:
    command = [
        sys.executable,
        "-m",
        "mlkit",
        "batch",
        "--db",
        str(db),
        "--out",
        str(out),
        "--kind",
        "progress,summary",
        "--workers",
        str(args.workers),
        "--as-of",
        args.as_of,
        "--quiet",
    ]
    if pdf:
        command.append("--pdf")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    started = time.perf_counter()
    done = subprocess.run(command, env=env, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"batch failed with exit status {done.returncode}: {command}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aios", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--as-of", default="2026-06-30")
    args = parser.parse_args()
    from pypdf import PdfReader

    work = Path(tempfile.mkdtemp(prefix="mlkit-bench-packet-"))
    try:
        db = build_store(args.aios, work)
        a = timed_batch(db, work / "a", args, pdf=False)
        b = timed_batch(db, work / "b", args, pdf=True)
        c = timed_batch(db, work / "b", args, pdf=True)
        packet = work / "b" / "packet.pdf"
        pages = len(PdfReader(packet).pages)
        size = packet.stat().st_size / 2**20
        reports = 2 * args.aios
        print(
            f"{args.aios} aios, {reports} reports, --workers {args.workers}, {os.cpu_count()} CPUs"
        )
        print(f"(a) batch without --pdf   {a:7.1f} s")
        print(f"(b) batch with --pdf      {b:7.1f} s  (aim: under 30 s on two cores)")
        print(f"    packet alone (b - a)  {b - a:7.1f} s  {pages} pages, {size:.1f} MiB")
        print(f"(c) (b) again, unchanged  {c:7.1f} s")
        print(f"b/a = {b / a:.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
