"""Benchmark the start-up time of the command line against ``python -c "import pandas"``.

Runs each command ``--repeat`` times (default 5) in a fresh interpreter, in one run, and prints
the median wall time and its ratio to the pandas import (aim: at most 1.5x for ``--version`` and
``--help``; house style 21a). The commands render nothing, so none of them should import the
notebook and report stack (``tests/test_cli_startup.py`` checks that).

Usage::

    .venv/bin/python bench/cli_startup.py
    .venv/bin/python bench/cli_startup.py --repeat 9
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

COMMANDS: dict[str, list[str]] = {
    'python -c "import pandas"': ["-c", "import pandas"],
    "mlkit --version": ["-m", "mlkit", "--version"],
    "mlkit --help": ["-m", "mlkit", "--help"],
    "mlkit frameworks list": ["-m", "mlkit", "frameworks", "list"],
    "mlkit import --help": ["-m", "mlkit", "import", "--help"],
}
BASELINE = 'python -c "import pandas"'


def _seconds(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, *args], env=env, check=True, stdout=subprocess.DEVNULL, cwd=ROOT
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per command (median)")
    options = parser.parse_args()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    for args in COMMANDS.values():  # warm the file cache and the .pyc files once
        _seconds(args, env)
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(options.repeat):  # interleaved, so a busy moment hits every command
        for name, args in COMMANDS.items():
            times[name].append(_seconds(args, env))
    medians = {name: statistics.median(values) for name, values in times.items()}
    base = medians[BASELINE]
    print(f"start-up time, median of {options.repeat} runs ({sys.executable})")
    for name, median in medians.items():
        ratio = "" if name == BASELINE else f"  {median / base:4.2f}x pandas"
        print(f"  {name:<28} {median:6.3f} s{ratio}")


if __name__ == "__main__":
    main()
