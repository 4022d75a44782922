"""How long ``twitch report`` takes for the demo diary, a dense year and a sparse decade.

Why: ``twitch report`` is what someone runs the evening before seeing a doctor. It analyses the
diary, draws five matplotlib charts and lays out a PDF with fpdf2 -- a one-page summary plus an
appendix that lists the log -- so it is the heaviest command the app has, and its cost grows with
the period it covers. The goals, as a whole process (interpreter start and the heavy imports
included, the way a user feels it): under 4 s wall time for the default 90-day report of the demo
diary, and under 8 s for a full year of a dense diary (about 12,000 episodes over 365 logged days,
the 1-year diary ``bench_flags.py`` builds). A report's cost must follow the data, not the dates
asked for: a sparse diary (9 episodes, one a year over 10 years) gets the goal of the demo diary,
both for its ten years and for ``--from 1900-01-01`` (the report starts at the diary's first entry;
before that clamp and the data-sized charts and tables, these took 19 s and over 120 s). Next to
the wall times the table shows the page count the command prints and the split measured in a
fresh child process: the ``import`` of ``diary.report.build`` (pandas, matplotlib, fpdf2) and the
``ReportResult.seconds`` of one ``make_report(...)`` call (analysis, drawing, writing).

Standalone and stdlib only (it imports the builders of ``bench_flags.py`` beside it)::

    python benchmarks/bench_report.py [--runs N] [--seed N] [--keep]

The demo diary is made by the real ``python -m diary --db PATH demo --seed 7 --days 120 --end
<yesterday>``; the dense one by ``bench_flags.build`` (10 years, written with ``sqlite3``) cut to
its last 365 days by ``bench_flags.shorten``; the sparse one by nine ``twitch log`` commands. Each
command gets one warm-up and the median of ``--runs`` (default 3) timed runs; the split likewise
(one warm-up child, then ``--runs`` children, medians). Everything lives in a temporary folder,
removed at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_flags import (  # noqa: E402
    LONG_DAYS,
    SHORT_DAYS,
    TIMESTAMP_FORMAT,
    TZ_NAME,
    ZONE,
    BenchError,
    Diary,
    build,
    child_env,
    run,
    shorten,
)

DEMO_SEED = 7
DEMO_DAYS = 120
DEFAULT_PERIOD_DAYS = 90  # what ``twitch report`` covers without --from
WARMUPS = 1
PAGES = re.compile(r"^Wrote .+ \((\d+) pages?\)", re.MULTILINE)

# Times the import of diary.report.build and one make_report(...) in a fresh process; prints JSON.
SPLIT_PROBE = """
import json, sys, time
started = time.perf_counter()
from diary.report.build import make_report
from diary.report.content import Period
imported = time.perf_counter()
from datetime import date
from pathlib import Path
db, out = Path(sys.argv[1]), Path(sys.argv[2])
start, end, as_of = (date.fromisoformat(a) for a in sys.argv[3:6])
result = make_report(db, as_of=as_of, period=Period(start, end), out=out, replace=True)
print(json.dumps({"imports": imported - started, "pages": result.pages, **result.seconds}))
"""


@dataclass
class Case:
    """One diary, the report period asked of it, and what was measured."""

    label: str
    path: Path
    start: date
    end: date
    as_of: date
    goal_ms: float
    explicit_period: bool  # pass --from/--to (else the command's default 90 days)
    episodes: int = 0  # in the whole diary
    in_period: int = 0  # in the report's period
    pages: int = 0
    wall_ms: list[float] = field(default_factory=list)
    split_s: list[dict[str, float]] = field(default_factory=list)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=3, help="timed runs per measurement (median taken; default 3)"
    )
    parser.add_argument(
        "--seed", type=int, default=20250304, help="seed of the dense diary (as bench_flags)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


# --- diaries -----------------------------------------------------------------------------------


def build_demo(path: Path, last_day: date, env: dict[str, str]) -> None:
    """The demo diary, ending ``last_day``, made by the real command."""
    path.parent.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-m", "diary", "--db", str(path), "demo"]
    run([*argv, "--seed", str(DEMO_SEED), "--days", str(DEMO_DAYS), "--end", str(last_day)], env)


def build_dense(folder: Path, last_day: date, seed: int, env: dict[str, str]) -> Path:
    """bench_flags' 1-year diary: its 10-year diary cut to the last ``SHORT_DAYS`` days."""
    long = Diary("10 years", folder / "long" / "diary.sqlite3", last_day, 0.0)
    short = Diary("1 year", folder / "short" / "diary.sqlite3", last_day, 0.0)
    build(long, last_day - timedelta(days=LONG_DAYS - 1), seed, env)
    if long.days != LONG_DAYS:
        raise BenchError(f"10-year diary holds {long.days} days")
    short.path.parent.mkdir(parents=True)
    shorten(long, short)
    if short.days != SHORT_DAYS:
        raise BenchError(f"1-year diary holds {short.days} days")
    long.path.unlink()
    return short.path


def build_sparse(path: Path, last_day: date, env: dict[str, str]) -> date:
    """Nine episodes, one a year on the same date, over the ten years before ``last_day``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    first = last_day.replace(year=last_day.year - 10, day=min(last_day.day, 28)) + timedelta(days=1)
    for n in (0, 1, 2, 3, 4, 5, 6, 7, 9):  # one year without any
        day = first.replace(year=first.year + n)
        argv = [sys.executable, "-m", "diary", "--db", str(path), "log", "calf"]
        run([*argv, "--at", f"{day} 10:00"], env)
    return first


def count_episodes(case: Case) -> None:
    """Episodes in the whole diary, and those the report lists for its period.

    Diary days run from 04:00 to 04:00 local time, but the analysis cuts episodes at the end of
    ``as_of``'s calendar date (``diary.analysis.frames.cut``), so one at 01:00 after it is left out.
    """

    def utc_start(day: date, hour: int = 4) -> str:
        local = datetime(day.year, day.month, day.day, tzinfo=ZONE) + timedelta(hours=hour)
        return local.astimezone(UTC).replace(tzinfo=None).strftime(TIMESTAMP_FORMAT)

    conn = sqlite3.connect(case.path)
    try:
        case.episodes = conn.execute("SELECT count(*) FROM episode").fetchone()[0]
        case.in_period = conn.execute(
            "SELECT count(*) FROM episode WHERE started_at_utc >= ? AND started_at_utc < ?",
            (
                utc_start(case.start),
                min(utc_start(case.end + timedelta(days=1)), utc_start(case.as_of, 24)),
            ),
        ).fetchone()[0]
    finally:
        conn.close()


# --- measuring ---------------------------------------------------------------------------------


def report_argv(case: Case, out: Path) -> list[str]:
    argv = [sys.executable, "-m", "diary", "--db", str(case.path), "report"]
    if case.explicit_period:
        argv += ["--from", case.start.isoformat(), "--to", case.end.isoformat()]
    # --force: every run replaces the last one's file (a report never overwrites without it).
    return [*argv, "--as-of", case.as_of.isoformat(), "--out", str(out), "--force"]


def measure(case: Case, folder: Path, env: dict[str, str], runs: int) -> None:
    argv = report_argv(case, folder / f"{case.path.parent.name}.pdf")
    for _ in range(WARMUPS):
        run(argv, env)
    for _ in range(runs):
        elapsed_ms, out = run(argv, env)
        case.wall_ms.append(elapsed_ms)
        found = PAGES.search(out)
        if found is None:
            raise BenchError(f"report printed no page count: {out.strip()!r}")
        case.pages = int(found.group(1))

    dates = (case.start, case.end, case.as_of)
    probe = [sys.executable, "-c", SPLIT_PROBE, str(case.path), str(folder / "probe.pdf")]
    probe += [d.isoformat() for d in dates]
    for n in range(WARMUPS + runs):
        _, out = run(probe, env)
        if n >= WARMUPS:
            case.split_s.append(json.loads(out.strip().splitlines()[-1]))
    if any(s["pages"] != case.pages for s in case.split_s):
        raise BenchError(f"{case.label}: make_report made a different page count from the command")


# --- report ------------------------------------------------------------------------------------


def _median_split(case: Case, key: str) -> float:
    return statistics.median(s[key] for s in case.split_s) * 1000


def table(cases: Sequence[Case]) -> str:
    widths = (16, 10, 7, 9, 9, 10, 9, 9, 18)
    headers = (
        "diary",
        "episodes",
        "pages",
        "wall ms",
        "imports",
        "analysis",
        "drawing",
        "writing",
        "goal (wall)",
    )
    sub = ("", "(period)", "", "", "ms", "ms", "ms", "ms", "")
    out = [_row(headers, widths), _row(sub, widths)]
    for c in cases:
        wall = statistics.median(c.wall_ms)
        cells = (
            c.label,
            f"{c.in_period:,}",
            str(c.pages),
            f"{wall:.0f}",
            f"{_median_split(c, 'imports'):.0f}",
            f"{_median_split(c, 'analysis'):.0f}",
            f"{_median_split(c, 'drawing'):.0f}",
            f"{_median_split(c, 'writing'):.0f}",
            f"< {c.goal_ms:.0f}: {'met' if wall < c.goal_ms else 'not met'}",
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
    folder = Path(tempfile.mkdtemp(prefix="bench-report-"))
    try:
        env = child_env(folder)
        last_day = datetime.now(ZONE).date() - timedelta(days=1)
        demo = Case(
            "demo, 90 days",
            folder / "demo" / "diary.sqlite3",
            last_day - timedelta(days=DEFAULT_PERIOD_DAYS - 1),
            last_day,
            last_day,
            4000.0,
            explicit_period=False,
        )
        started = time.perf_counter()
        build_demo(demo.path, last_day, env)
        dense_path = build_dense(folder, last_day, args.seed, env)
        first_day = last_day - timedelta(days=SHORT_DAYS - 1)
        dense = Case(
            "dense, 1 year", dense_path, first_day, last_day, last_day, 8000.0, explicit_period=True
        )
        sparse_path = folder / "sparse" / "diary.sqlite3"
        sparse_first = build_sparse(sparse_path, last_day, env)
        decade = Case(
            "sparse, 10 years", sparse_path, sparse_first, last_day, last_day, 4000.0, True
        )
        century = Case(
            "sparse, from 1900", sparse_path, date(1900, 1, 1), last_day, last_day, 4000.0, True
        )
        built_s = time.perf_counter() - started
        cases = (demo, dense, decade, century)
        for case in cases:
            count_episodes(case)
            measure(case, folder, env, args.runs)

        print(f"interpreter: {sys.executable} (Python {sys.version.split()[0]})")
        print("commands:    python -m diary --db PATH report --as-of DAY --out FILE.pdf --force")
        print("             (the dense and sparse diaries add --from FIRST --to DAY)")
        print(f"runs:        median of {args.runs} after {WARMUPS} warm-up; TZ={TZ_NAME}")
        print(f"diaries:     built in {built_s:.1f} s")
        print(
            f"  demo      demo --seed {DEMO_SEED} --days {DEMO_DAYS} --end {last_day}: "
            f"{demo.episodes:,} episodes; report {demo.start} .. {demo.end}"
        )
        print(
            f"  dense     bench_flags' 1-year diary (seed {args.seed}): {dense.episodes:,} "
            f"episodes; report {dense.start} .. {dense.end}"
        )
        print(
            f"  sparse    9 episodes, one a year from {sparse_first}; report {sparse_first} .. "
            f"{last_day}, and from 1900-01-01 (clamped to the first entry)"
        )
        print()
        print(table(cases))
        print()
        print("episodes: in the report's period; pages: as the command printed them")
        print("imports/analysis/drawing/writing: one fresh child process per run, medians of the")
        print("  import of diary.report.build and of make_report(...).seconds; wall time minus")
        print("  their sum is interpreter start, the CLI and opening the database")
        return 0
    except BenchError as exc:
        print(f"bench_report: {exc}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"kept:        {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
