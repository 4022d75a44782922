"""How long ``twitch flags`` takes on big diaries (10 years and 1 year), and where the time goes.

Why: ``twitch flags`` reads the whole diary into pandas and runs every flag rule and the factor
associations on it, so its cost grows with the diary. Someone who has logged for
years must still get an answer promptly: the goals are under 2 s wall time for a 10-year diary
(>= 100,000 episodes over 3,650 logged days) and under 0.5 s for a 1-year one, as a whole process
-- interpreter start and the heavy imports included -- the way a user feels it. Next to the wall
times the table shows the in-process split that ``insights(...).seconds`` measures (loading the
frames, the rules, the associations), and the floor below which no run can go: a bare
``python -c "import pandas"`` (statsmodels is imported only when a rise needs its HAC regression).

Standalone and stdlib only::

    python benchmarks/bench_flags.py [--runs N] [--seed N] [--keep]

The diaries are created and migrated by one real ``python -m diary --db PATH day``; the rows are
then written directly with ``sqlite3`` (realistic mixes: mostly calf and eyelid twitches, some
cramps, a few sensory symptoms, twenty medication courses, a few visits). Each command gets one
warm-up and the median of ``--runs`` (default 5) timed runs. Everything lives in a temporary
folder, removed at the end unless ``--keep`` is given.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent

TZ_NAME = "Europe/Berlin"
ZONE = ZoneInfo(TZ_NAME)
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f"  # what diary.validation.db_timestamp writes
LONG_DAYS = 3_650
SHORT_DAYS = 365
MIN_LONG_EPISODES = 100_000
MEAN_PER_DAY = 30.0  # episodes per logged day, on average
MEDICATION_COURSES = 20
WARMUPS = 1

# Runs ``insights`` in-process on the path, once to warm up, then ``runs`` times; prints JSON.
SPLIT_PROBE = """
import json, sys
from datetime import date
from pathlib import Path
from diary.analysis.insights import insights
db, as_of, runs = Path(sys.argv[1]), date.fromisoformat(sys.argv[2]), int(sys.argv[3])
insights(db, as_of)
seconds = [insights(db, as_of).seconds for _ in range(runs)]
print(json.dumps(seconds))
"""

# (body site, weight); mostly calf and eyelid, as in real twitch diaries.
SITES = (("calf", 45), ("eyelid", 30), ("thigh", 8), ("foot", 6), ("upper_arm", 5), ("hand", 6))
SIDES = ("left", "right")
# (kind, weight); cramps are a minority.
KINDS = (("twitch", 88), ("cramp", 7), ("spasm", 3), ("jerk", 2))
# (context, weight); '' = nothing noted.
CONTEXTS = (("", 40), ("rest", 30), ("sitting", 12), ("during_sleep", 10), ("after_exercise", 8))
DRUGS = (
    ("magnesium", "supplement", "300 mg"),
    ("hydrochlorothiazide", "diuretic", "12.5 mg"),
    ("salbutamol", "beta_agonist", "100 µg as needed"),
    ("prednisolone", "corticosteroid", "20 mg"),
    ("atorvastatin", "statin", "20 mg"),
    ("methylphenidate", "stimulant", "10 mg"),
    ("amlodipine", "calcium_channel_blocker", "5 mg"),
    ("vitamin d", "supplement", "1000 IU"),
)
VISITS = (
    ("gp", "blood_test;electrolytes", "normal bloods"),
    ("neurologist", "emg;ncs", "benign fasciculations"),
    ("gp", "thyroid;vitamin_d", "low vitamin D"),
    ("physiotherapist", "", "stretching plan"),
)


class BenchError(Exception):
    """A command the benchmark needs did not do what it should."""


@dataclass
class Diary:
    """One generated diary file and what it holds."""

    label: str
    path: Path
    last_day: date
    goal_ms: float
    episodes: int = 0
    days: int = 0
    medications: int = 0
    visits: int = 0
    wall_text_ms: list[float] = field(default_factory=list)
    wall_json_ms: list[float] = field(default_factory=list)
    split_s: list[dict[str, float]] = field(default_factory=list)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=5, help="timed runs per measurement (median taken; default 5)"
    )
    parser.add_argument("--seed", type=int, default=20250304, help="seed of the generated diaries")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


# --- diaries -----------------------------------------------------------------------------------


def _pick(rng: random.Random, weighted: Sequence[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth for small means, a rounded normal for large ones)."""
    if mean > 50:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def _stamp(moment: datetime) -> str:
    return moment.strftime(TIMESTAMP_FORMAT)


def fake_days(first: date, count: int, rng: random.Random) -> Iterator[tuple[object, ...]]:
    """``count`` consecutive check-ins from ``first``, as ``day`` rows (note NULL)."""
    for i in range(count):
        day = first + timedelta(days=i)
        yield (
            day.isoformat(),
            rng.choice((1200, 1500, 1800, 2200, 2600)),
            rng.choice((0, 100, 200, 300, 450, 600)),
            rng.choice((0.0, 0.0, 0.0, 1.0, 2.5)),
            rng.choice((0, 0, 20, 30, 45, 75)),
            rng.choice(("none", "light", "moderate", "vigorous")),
            rng.choice((5.5, 6.5, 7.0, 7.5, 8.0)),
            rng.randint(1, 5),
            rng.randint(0, 10),
            "",
            None,
        )


def fake_episodes(first: date, count: int, rng: random.Random) -> Iterator[tuple[object, ...]]:
    """Episodes on ``count`` days from ``first``: a slowly waxing and waning daily rate."""
    level = 0.0
    for i in range(count):
        day = first + timedelta(days=i)
        level = 0.9 * level + rng.gauss(0, 0.15)
        for _ in range(_poisson(rng, MEAN_PER_DAY * math.exp(level))):
            local = datetime(day.year, day.month, day.day, tzinfo=ZONE) + timedelta(
                seconds=rng.randrange(4 * 3600, 28 * 3600)  # diary day: 04:00 to 04:00
            )
            offset = local.utcoffset()
            assert offset is not None
            utc = local.astimezone(UTC).replace(tzinfo=None)
            kind = _pick(rng, KINDS)
            site = "calf" if kind == "cramp" else _pick(rng, SITES)
            roll = rng.random()
            symptoms = (
                "tingling" if roll < 0.02 else "pain" if kind == "cramp" and roll < 0.5 else ""
            )
            yield (
                str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                _stamp(utc),
                int(offset.total_seconds() // 60),
                site,
                rng.choice(SIDES),
                min(10, max(1, round(rng.gauss(6 if kind == "cramp" else 3, 1.5)))),
                rng.randint(30, 180) if kind == "cramp" else rng.randint(1, 15),
                kind,
                symptoms,
                _pick(rng, CONTEXTS),
                None,
                _stamp(utc + timedelta(minutes=rng.randint(0, 90))),
            )


def fake_medications(first: date, last: date, rng: random.Random) -> list[tuple[object, ...]]:
    """``MEDICATION_COURSES`` courses spread over the span; the last one still running."""
    span = (last - first).days
    rows: list[tuple[object, ...]] = []
    for n in range(MEDICATION_COURSES):
        name, drug_class, dose = DRUGS[n % len(DRUGS)]
        started = first + timedelta(days=span * n // MEDICATION_COURSES + rng.randint(0, 30))
        stopped = None if n == MEDICATION_COURSES - 1 else started + timedelta(rng.randint(7, 120))
        rows.append(
            (
                str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                name,
                drug_class,
                dose,
                started.isoformat(),
                None if stopped is None else min(stopped, last).isoformat(),
                None,
            )
        )
    return rows


def fake_visits(first: date, last: date, rng: random.Random) -> list[tuple[object, ...]]:
    """A visit every few years, and one in the last year."""
    span = (last - first).days
    rows: list[tuple[object, ...]] = []
    for n, (kind, tests, outcome) in enumerate(VISITS):
        day = first + timedelta(days=span * (n + 1) // (len(VISITS) + 1) + rng.randint(0, 20))
        rows.append(
            (str(uuid.UUID(int=rng.getrandbits(128), version=4)), day, kind, tests, outcome)
        )
    rows.append(
        (str(uuid.UUID(int=rng.getrandbits(128), version=4)), last - timedelta(200), "gp", "", "ok")
    )
    return [(i, d.isoformat(), k, t, o, None) for i, d, k, t, o in rows]


def child_env(folder: Path) -> dict[str, str]:
    """Berlin time, and bytecode cached in ``folder`` (as an installed app would run)."""
    env = {**os.environ, "TZ": TZ_NAME, "PYTHONPYCACHEPREFIX": str(folder / "pycache")}
    for name in ("PYTHONDONTWRITEBYTECODE", "PYTHONSTARTUP", "TWITCH_DIARY_DB"):
        env.pop(name, None)
    return env


def run(argv: Sequence[str], env: dict[str, str]) -> tuple[float, str]:
    """Run ``argv`` once (stdin from /dev/null); its wall time in ms and its stdout."""
    start = time.perf_counter()
    done = subprocess.run(
        argv, env=env, cwd=REPO_ROOT, stdin=subprocess.DEVNULL, capture_output=True, text=True
    )
    elapsed_ms = (time.perf_counter() - start) * 1000
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise BenchError(f"{' '.join(argv[-4:])}: exit {done.returncode}: {detail[-1:]}")
    return elapsed_ms, done.stdout


def build(diary: Diary, first: date, seed: int, env: dict[str, str]) -> None:
    """Create and migrate ``diary.path`` with the real command, then fill it with sqlite3."""
    diary.path.parent.mkdir(parents=True, exist_ok=True)
    run([sys.executable, "-m", "diary", "--db", str(diary.path), "day"], env)
    days = (diary.last_day - first).days + 1
    conn = sqlite3.connect(diary.path)
    try:
        with conn:  # one transaction
            for table in ("episode", "day", "medication", "visit"):
                conn.execute(f'DELETE FROM "{table}"')  # the check-in the command just made
            conn.executemany(
                "INSERT INTO episode (id, started_at_utc, utc_offset_min, body_site, side,"
                " intensity, duration_s, kind, symptoms, context, note, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                fake_episodes(first, days, random.Random(seed)),
            )
            conn.executemany(
                "INSERT INTO day (date, water_ml, caffeine_mg, alcohol_units, exercise_min,"
                " exercise_intensity, sleep_h, sleep_quality, stress, symptoms, note)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                fake_days(first, days, random.Random(seed + 1)),
            )
            conn.executemany(
                "INSERT INTO medication (id, name, drug_class, dose, started_on, stopped_on, note)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                fake_medications(first, diary.last_day, random.Random(seed + 2)),
            )
            conn.executemany(
                "INSERT INTO visit (id, date, kind, tests, outcome, note)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                fake_visits(first, diary.last_day, random.Random(seed + 3)),
            )
        for table in ("episode", "day", "medication", "visit"):
            (count,) = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()
            setattr(diary, {"episode": "episodes", "day": "days"}.get(table, table + "s"), count)
    finally:
        conn.close()


def shorten(source: Diary, target: Diary) -> None:
    """``target``: a copy of ``source`` holding only its last ``SHORT_DAYS`` days."""
    shutil.copyfile(source.path, target.path)
    first_day = target.last_day - timedelta(days=SHORT_DAYS - 1)
    first = first_day.isoformat()
    day_start = datetime(first_day.year, first_day.month, first_day.day, 4, tzinfo=ZONE)
    first_utc = _stamp(day_start.astimezone(UTC).replace(tzinfo=None))  # diary days start 04:00
    conn = sqlite3.connect(target.path)
    try:
        with conn:
            conn.execute("DELETE FROM episode WHERE started_at_utc < ?", (first_utc,))
            conn.execute("DELETE FROM day WHERE date < ?", (first,))
            conn.execute("DELETE FROM visit WHERE date < ?", (first,))
            conn.execute("DELETE FROM medication WHERE stopped_on < ?", (first,))
        conn.execute("VACUUM")
        target.episodes = conn.execute("SELECT count(*) FROM episode").fetchone()[0]
        target.days = conn.execute("SELECT count(*) FROM day").fetchone()[0]
        target.medications = conn.execute("SELECT count(*) FROM medication").fetchone()[0]
        target.visits = conn.execute("SELECT count(*) FROM visit").fetchone()[0]
    finally:
        conn.close()


# --- measuring ---------------------------------------------------------------------------------


def flags_argv(diary: Diary, *extra: str) -> list[str]:
    db, as_of = str(diary.path), diary.last_day.isoformat()
    return [sys.executable, "-m", "diary", "--db", db, "flags", *extra, "--as-of", as_of]


def measure_wall(argv: Sequence[str], env: dict[str, str], runs: int) -> list[float]:
    """One warm-up, then ``runs`` timed runs of a whole process."""
    for _ in range(WARMUPS):
        run(argv, env)
    return [run(argv, env)[0] for _ in range(runs)]


def measure(diary: Diary, env: dict[str, str], runs: int) -> None:
    diary.wall_text_ms = measure_wall(flags_argv(diary), env, runs)
    diary.wall_json_ms = measure_wall(flags_argv(diary, "--json"), env, runs)
    argv = [sys.executable, "-c", SPLIT_PROBE, str(diary.path), diary.last_day.isoformat()]
    _, out = run([*argv, str(runs)], env)
    diary.split_s = json.loads(out.strip().splitlines()[-1])


# --- report ------------------------------------------------------------------------------------


def _median_split(diary: Diary, key: str) -> float:
    return statistics.median(s[key] for s in diary.split_s) * 1000


def table(diaries: Sequence[Diary]) -> str:
    widths = (9, 9, 6, 10, 10, 9, 9, 14, 20)
    headers = (
        "diary",
        "episodes",
        "days",
        "wall ms",
        "wall ms",
        "load ms",
        "rules ms",
        "associations",
        "goal (wall, both)",
    )
    sub = ("", "", "", "(text)", "(json)", "", "", "ms", "")
    out = [_row(headers, widths), _row(sub, widths)]
    for d in diaries:
        text, js = statistics.median(d.wall_text_ms), statistics.median(d.wall_json_ms)
        met = max(text, js) < d.goal_ms
        cells = (
            d.label,
            f"{d.episodes:,}",
            f"{d.days:,}",
            f"{text:.0f}",
            f"{js:.0f}",
            f"{_median_split(d, 'load'):.0f}",
            f"{_median_split(d, 'rules'):.0f}",
            f"{_median_split(d, 'associations'):.0f}",
            f"< {d.goal_ms:.0f}: {'met' if met else 'not met'}",
        )
        out.append(_row(cells, widths))
    return "\n".join(out)


def _row(cells: Sequence[str], widths: Sequence[int]) -> str:
    first, *rest = cells
    return f"{first:<{widths[0]}}" + "".join(
        f"{cell:>{width}}" for cell, width in zip(rest, widths[1:], strict=True)
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="bench-flags-"))
    try:
        env = child_env(folder)
        last_day = datetime.now(ZONE).date() - timedelta(days=1)
        long = Diary("10 years", folder / "long" / "diary.sqlite3", last_day, 2000.0)
        short = Diary("1 year", folder / "short" / "diary.sqlite3", last_day, 500.0)
        started = time.perf_counter()
        build(long, last_day - timedelta(days=LONG_DAYS - 1), args.seed, env)
        if long.episodes < MIN_LONG_EPISODES or long.days != LONG_DAYS:
            raise BenchError(f"10-year diary holds {long.episodes} episodes, {long.days} days")
        short.path.parent.mkdir(parents=True)
        shorten(long, short)
        built_s = time.perf_counter() - started

        floor = measure_wall([sys.executable, "-c", "import pandas"], env, args.runs)
        for diary in (long, short):
            measure(diary, env, args.runs)

        print(f"interpreter: {sys.executable} (Python {sys.version.split()[0]})")
        print(f"command:     python -m diary --db PATH flags [--json] --as-of {last_day}")
        print(f"runs:        median of {args.runs} after {WARMUPS} warm-up; TZ={TZ_NAME}")
        print(f"diaries:     built in {built_s:.1f} s (seed {args.seed})")
        for d in (long, short):
            print(
                f"  {d.label:<9} {d.episodes:,} episodes, {d.days:,} days, "
                f"{d.medications} medication courses, {d.visits} visits"
            )
        print()
        print(table([long, short]))
        print()
        print(
            f'import floor: python -c "import pandas" = {statistics.median(floor):.0f} ms (median)'
        )
        print("load/rules/associations: in-process insights(Path(db), as_of).seconds, medians")
        print("  (warm: measured after one in-process call; wall time minus their sum is")
        print("  interpreter start, imports, opening the database and writing the output)")
        return 0
    except BenchError as exc:
        print(f"bench_flags: {exc}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"kept:        {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
