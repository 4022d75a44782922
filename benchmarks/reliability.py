"""Crash and concurrency reliability: does every acknowledged write survive, and is the file sound?

Why: the diary promises that a write it confirmed is on disk (WAL + ``synchronous=FULL``, one
``BEGIN IMMEDIATE`` transaction per command) and that two programs writing at once wait for each
other instead of failing or corrupting the file. The test suite runs ten kill trials; this script
runs many more and a concurrency trial, and prints one table.

- crash trials: a process logs episodes in a loop (``diary.__main__.main``), printing each note
  only after ``main`` returned; it is SIGKILLed a random 0-0.5 s after its first acknowledgement
  (a kill before the first write would prove nothing). Every printed note must
  be in the database, and ``PRAGMA integrity_check`` / ``foreign_key_check`` must pass.
- concurrency trial: two processes each log 300 episodes while a third checks in 150 days, all
  against the same file at once; every write must succeed and be found.

Standalone (stdlib only itself; the child processes import the repository's ``diary``, so run it
with the interpreter that has the app's dependencies)::

    python benchmarks/reliability.py [--trials N] [--writes N] [--seed N]
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

LOGGER = """
import sys
from diary.__main__ import main
db, prefix, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
for i in range(count):
    if main(["--db", db, "log", "calf", "--note", f"{prefix}{i}"]) != 0:
        print(f"FAIL {prefix}{i}", flush=True)
        continue
    print(f"ACK {prefix}{i}", flush=True)
"""
DAY_WRITER = """
import sys
from datetime import date, timedelta
from diary.__main__ import main
db, count = sys.argv[1], int(sys.argv[2])
today = date.today()
for i in range(count):
    day = (today - timedelta(days=i)).isoformat()
    if main(["--db", db, "day", day, "--water", f"{1000 + i}ml"]) != 0:
        print(f"FAIL {day}", flush=True)
        continue
    print(f"ACK {day} {1000 + i}", flush=True)
"""
CREATE = "import sys; from diary.db.open import make_engine; make_engine(sys.argv[1]).dispose()"


@dataclass
class Row:
    """One line of the table."""

    name: str
    trials: int = 0
    kills: int = 0
    acknowledged: int = 0
    found: int = 0
    failed: int = 0
    corrupt: int = 0


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO_ROOT), "TZ": os.environ.get("TZ", "UTC")}


def _python(code: str, *args: str, **kwargs) -> subprocess.Popen[str]:  # type: ignore[no-untyped-def]
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=_env(),
        **kwargs,
    )


def _fresh(db: Path) -> None:
    subprocess.run([sys.executable, "-c", CREATE, str(db)], check=True, env=_env())


def _damaged(db: Path) -> bool:
    conn = sqlite3.connect(db)
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return not ok or bool(conn.execute("PRAGMA foreign_key_check").fetchall())
    finally:
        conn.close()


def _acks(out: str) -> list[str]:
    return [line.split(maxsplit=1)[1] for line in out.splitlines() if line.startswith("ACK ")]


def crash_trials(trials: int, seed: int, folder: Path) -> Row:
    """Kill a logging loop at random moments."""
    row = Row("crash (SIGKILL while logging)")
    rng = random.Random(seed)
    for trial in range(trials):
        db = folder / f"crash-{trial}" / "diary.sqlite3"
        db.parent.mkdir()
        _fresh(db)
        proc = _python(LOGGER, str(db), "n", "100000")
        assert proc.stdout is not None
        first = ""
        while not first.startswith("ACK ") and proc.poll() is None:
            first = proc.stdout.readline()
        time.sleep(rng.uniform(0.0, 0.5))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate(timeout=60)
        out = first + out
        row.trials += 1
        row.kills += proc.returncode == -signal.SIGKILL
        acked = set(_acks(out))
        row.failed += out.count("FAIL ")
        conn = sqlite3.connect(db)
        notes = {note for (note,) in conn.execute("SELECT note FROM episode")}
        conn.close()
        row.acknowledged += len(acked)
        row.found += len(acked & notes)
        row.corrupt += _damaged(db)
    return row


def concurrency_trial(writes: int, folder: Path) -> Row:
    """Two loggers and a day writer on one file at once."""
    row = Row(f"concurrency (2 x {writes} log + {writes // 2} day)")
    db = folder / "concurrent" / "diary.sqlite3"
    db.parent.mkdir()
    _fresh(db)
    procs = [
        _python(LOGGER, str(db), "a", str(writes)),
        _python(LOGGER, str(db), "b", str(writes)),
        _python(DAY_WRITER, str(db), str(writes // 2)),
    ]
    outs = [proc.communicate(timeout=600)[0] for proc in procs]
    row.trials = 1
    row.failed = sum(out.count("FAIL ") for out in outs) + sum(p.returncode != 0 for p in procs)
    conn = sqlite3.connect(db)
    notes = {note for (note,) in conn.execute("SELECT note FROM episode")}
    days = {f"{d} {w}" for d, w in conn.execute("SELECT date, water_ml FROM day")}
    conn.close()
    episode_acks = set(_acks(outs[0])) | set(_acks(outs[1]))
    day_acks = set(_acks(outs[2]))
    row.acknowledged = len(episode_acks) + len(day_acks)
    row.found = len(episode_acks & notes) + len(day_acks & days)
    row.corrupt = int(_damaged(db))
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=50, help="crash trials (default 50)")
    parser.add_argument("--writes", type=int, default=300, help="writes per logger (default 300)")
    parser.add_argument("--seed", type=int, default=0, help="seed for the kill moments")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="twitch-reliability-") as tmp:
        rows = [
            crash_trials(args.trials, args.seed, Path(tmp)),
            concurrency_trial(args.writes, Path(tmp)),
        ]
    header = ("trial", "trials", "kills", "writes acked", "writes found", "failed", "corrupt")
    table = [header] + [
        (r.name, r.trials, r.kills, r.acknowledged, r.found, r.failed, r.corrupt) for r in rows
    ]
    widths = [max(len(str(line[i])) for line in table) for i in range(len(header))]
    for number, line in enumerate(table):
        print(
            "  ".join(
                str(cell).ljust(w) if i == 0 else str(cell).rjust(w)
                for i, (cell, w) in enumerate(zip(line, widths, strict=True))
            )
        )
        if number == 0:
            print("  ".join("-" * w for w in widths))
    print(f"\n{time.perf_counter() - started:.1f} s")
    lost = sum(r.acknowledged - r.found for r in rows)
    bad = sum(r.corrupt + r.failed for r in rows)
    print("OK: no acknowledged write lost, no corruption" if not lost and not bad else "FAILED")
    return 0 if not lost and not bad else 1


if __name__ == "__main__":
    sys.exit(main())
