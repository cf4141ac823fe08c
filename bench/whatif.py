"""Benchmark: the committee's what-if table, as a slider moves, against a full re-analysis.

Builds a synthetic cohort (``--aios``, default 60), then measures:

1. reading and analysing every aios once (what the committee notebook does anyway);
2. the first what-if table (the evidence annotated once per aios and kept);
3. a table per slider move (min. observations, min. assessors, window), median of ``--moves``;
4. a table after a new MSF group minimum (the evidence annotated again for that value);
5. the same rules by a full analysis of every aios (what the what-if avoids).

Prints the seconds and the ratio of a full re-analysis to a slider move.
Usage: ``python bench/whatif.py [--aios 60] [--moves 10]``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from mlkit.analysis import analyse_progress
from mlkit.demo import build_demo_store
from mlkit.meeting.whatif import WhatIf

AS_OF = date(2026, 6, 30)


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aios", type=int, default=60)
    parser.add_argument("--moves", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "cohort.db"
        build_demo_store(Path(tmp) / "data", db, n_aios=args.aios, seed=1, as_of=AS_OF)
        t0 = time.perf_counter()
        wi = WhatIf.from_store(db, as_of=AS_OF.isoformat())
        t1 = time.perf_counter()
        rules = wi.rules
        wi.changes(rules)
        t2 = time.perf_counter()
        moves = []
        for i in range(args.moves):
            update = {
                "min_observations": 1 + i % 8,
                "min_assessors": 1 + i % 4,
                "recency_months": 6 + 3 * (i % 6),
            }
            start = time.perf_counter()
            n = len(wi.changes(rules.model_copy(update=update)))
            moves.append(time.perf_counter() - start)
        move = statistics.median(moves)
        start = time.perf_counter()
        wi.changes(rules.model_copy(update={"msf_min_respondents": rules.msf_min_respondents + 2}))
        msf = time.perf_counter() - start
        changed = rules.model_copy(update={"min_observations": 5})
        start = time.perf_counter()
        for a in wi.cohort:
            r = a.inputs
            analyse_progress(
                r.aios, r.scores, r.forms, r.activities, r.reflections, r.instruments,
                r.curriculum, AS_OF, changed, framework=r.frameworks.get("rml"),
            )  # fmt: skip
        full = time.perf_counter() - start
    print(f"aios: {args.aios}")
    print(f"read and analyse once: {t1 - t0:.2f} s")
    print(f"first table (annotate once): {t2 - t1:.3f} s")
    print(f"table per slider move (median of {args.moves}): {move:.3f} s (last: {n} changes)")
    print(f"table after a new MSF minimum (annotate again): {msf:.3f} s")
    print(f"full re-analysis with other rules: {full:.2f} s")
    print(f"ratio full re-analysis / slider move: {full / move:.0f}x")


if __name__ == "__main__":
    main()
