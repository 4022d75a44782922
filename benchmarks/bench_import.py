"""How long ``twitch import`` takes, and how much memory it needs, on 500,000 episodes.

Why: import validates every row before it writes any (one bad row and nothing changes), so it holds
the whole file's rows in memory, and it used to build two pydantic/SQLModel objects and run an ORM
query and flush per row: 500,000 rows took 330 s and 1.7 GB. The goal is under 60 s and under
500 MB for a 500,000-row ``episodes.csv`` (``diary.csvio.reading.MAX_ROWS``, the most one file
may hold).

Each import runs as a whole process (``python -m diary import``), as a person runs it, on a fresh
diary unless the row says otherwise. Peak memory is the child's maximum resident set size, read
with ``resource.getrusage(RUSAGE_CHILDREN)`` inside a small wrapper process per run, so every row
reports its own peak rather than the largest so far.

Standalone and stdlib only::

    python benchmarks/bench_import.py [--rows N] [--keep]

The files and diaries live in a temporary folder, removed at the end unless ``--keep`` is given.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent

ROWS = 500_000
SMALL_ROWS = 50_000
GOAL_S = 60.0
GOAL_MB = 500.0
HEADER = ("id", "started_at", "body_site", "side", "intensity", "duration_s", "kind")
HEADER += ("symptoms", "context", "note")
SITES = ("calf", "thigh", "eyelid", "foot", "hand", "forearm", "back", "abdomen", "face", "neck")
SIDES = ("left", "right", "both", "")
SYMPTOMS = ("", "", "", "weakness", "tingling", "weakness;pain", "numbness")
CONTEXTS = ("", "", "rest", "after_exercise", "sitting", "stressed;sleep_disrupted")
NOTES = ("", "", "", "after the gym", 'while reading, "again"', "=odd", "long day\nat work")

# Runs one import as a child of this small wrapper and prints the child's time and peak memory.
WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"code": done.returncode, "seconds": seconds, "peak_kb": usage.ru_maxrss,
                  "cpu": usage.ru_utime + usage.ru_stime,
                  "out": done.stdout, "err": done.stderr[-2000:]}))
"""


class BenchError(Exception):
    """An import did not do what the benchmark expected."""


@dataclass
class Run:
    """One measured import."""

    label: str
    rows: int
    seconds: float
    cpu_seconds: float  # user + system: what the import costs whatever else the machine runs
    peak_mb: float
    goal: bool  # whether this row carries the goal


def write_episodes(path: Path, rows: int, seed: int, note_suffix: str = "") -> None:
    """``rows`` valid, varied episodes (ids from ``seed``, so a second file can match the first)."""
    rng = random.Random(seed)
    ids = random.Random(seed)
    zone = timezone(timedelta(hours=1))
    start = datetime(2022, 1, 1, tzinfo=UTC)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for _ in range(rows):
            note = rng.choice(NOTES)
            moment = start + timedelta(seconds=rng.randrange(3 * 365 * 24 * 3600))
            writer.writerow(
                (
                    str(uuid.UUID(int=ids.getrandbits(128), version=4)),
                    moment.astimezone(zone).isoformat(),
                    rng.choice(SITES),
                    rng.choice(SIDES),
                    rng.randint(1, 10),
                    rng.choice((0, 5, 30, 120)),
                    "twitch",
                    rng.choice(SYMPTOMS),
                    rng.choice(CONTEXTS),
                    ("'" if note.startswith("=") else "") + note + note_suffix,
                )
            )


def run_import(label: str, db: Path, source: Path, rows: int, *extra: str, goal: bool) -> Run:
    """Run ``twitch import`` once in a fresh process and measure it."""
    argv = [sys.executable, "-m", "diary", "--db", str(db), "import", str(source), *extra]
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, *argv],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    if done.returncode != 0:
        raise BenchError(f"{label}: the wrapper failed: {done.stderr.strip()[-500:]}")
    result = json.loads(done.stdout)
    if result["code"] != 0:
        raise BenchError(f"{label}: exit {result['code']}: {result['err'].strip()}")
    return Run(label, rows, result["seconds"], result["cpu"], result["peak_kb"] / 1024, goal)


def measure(folder: Path, rows: int) -> list[Run]:
    """The imports to time: a small and a full file, the same file again, and a changed one."""
    small, full, changed = folder / "small.csv", folder / "full.csv", folder / "changed.csv"
    write_episodes(small, min(SMALL_ROWS, rows), seed=1)
    write_episodes(full, rows, seed=2)
    write_episodes(changed, rows, seed=2, note_suffix=" (edited)")
    runs = [
        run_import("new rows", folder / "a.sqlite3", small, min(SMALL_ROWS, rows), goal=False),
        run_import("new rows", folder / "b.sqlite3", full, rows, goal=True),
        run_import("same file again", folder / "b.sqlite3", full, rows, goal=False),
        run_import(
            "every row changed, --replace",
            folder / "b.sqlite3",
            changed,
            rows,
            "--replace",
            goal=False,
        ),
    ]
    return runs


def print_table(runs: list[Run], size_mb: float) -> None:
    headers = ("import", "rows", "seconds", "CPU s", "peak MB", "goal", "met?")
    lines = []
    for run in runs:
        goal = f"< {GOAL_S:.0f} s, < {GOAL_MB:.0f} MB" if run.goal else ""
        met = ("yes" if run.seconds < GOAL_S and run.peak_mb < GOAL_MB else "NO") if goal else ""
        lines.append(
            (
                run.label,
                f"{run.rows:,}",
                f"{run.seconds:.1f}",
                f"{run.cpu_seconds:.1f}",
                f"{run.peak_mb:.0f}",
                goal,
                met,
            )
        )
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    print("  ".join("-" * w for w in widths))
    for line in lines:
        print("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"\nfull file: {size_mb:.0f} MB on disk; python {sys.version.split()[0]}; ", end="")
    print(f"{os.cpu_count()} CPUs, load average {load} at the end")
    print("(seconds is wall time, the goal; on a busy machine compare CPU s.)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS, help=f"rows of the full file ({ROWS:,})")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        runs = measure(folder, args.rows)
        print_table(runs, (folder / "full.csv").stat().st_size / 2**20)
    except BenchError as exc:
        print(f"bench_import: {exc}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
