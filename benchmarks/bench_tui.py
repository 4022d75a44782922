"""How quickly the TUI shows Today, and Insights its results, on a 10-year diary.

Why: people open the app at the moment a twitch happens; the first screen must be there at once.
Goals: Today's first frame within 2x the floor, a minimal Textual app that shows one label started
the same way; Insights' results within 1.5 s of the key press that opens it, pressed right after
the first frame (what a person who opens the app to look at Insights sees).

Each figure is a fresh process (interpreter start and imports included) that runs the app headless
with Textual's ``run_test``. Its ``message_hook`` sees every message as it is handled, so the times
are read from the app's own events rather than from waits for an idle process (which a busy worker
thread would stretch):

- first frame: Textual's ``Ready`` event, "sent when the first frame has been displayed";
- Today's data shown: its ``TodayLoaded`` message handled (the recent sites and the check-in);
- Insights: F4 (the Insights key that works from any field; the letter ``i`` is typing while the
  site picker has the focus) sent as a terminal sends it, as soon as the app is running, until the
  results are mounted. The app starts the analysis itself once its first frame is shown.

The programs take turns, run after run, so a change in the machine's load falls on all alike.
The diary is the 10-year one of ``bench_flags.py`` (>= 100,000 episodes).

    python benchmarks/bench_tui.py [--runs N] [--keep]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_flags  # noqa: E402  (reuse the big-diary builder)

#: Goals: Today's first frame at most this many times the floor's; Insights within this many ms.
FIRST_FRAME_RATIO_GOAL = 2.0
INSIGHTS_GOAL_MS = 1500

MINIMAL = """
import time, asyncio
start = time.perf_counter()
from textual import events
from textual.app import App
from textual.widgets import Label
seen = {}
def hook(message):
    if isinstance(message, events.Ready):
        seen.setdefault("ready", time.perf_counter())
class Minimal(App):
    def compose(self):
        yield Label("hello")
async def main():
    app = Minimal()
    async with app.run_test(size=(100, 32), message_hook=hook) as pilot:
        await pilot.pause()
    print(round((seen["ready"] - start) * 1000))
asyncio.run(main())
"""

TODAY = """
import time, asyncio, sys
start = time.perf_counter()
from pathlib import Path
from textual import events
from diary.tui.app import TwitchApp
seen = {}
def hook(message):
    name = "ready" if isinstance(message, events.Ready) else type(message).__name__
    seen.setdefault(name, time.perf_counter())
async def main():
    app = TwitchApp(Path(sys.argv[1]))
    async with app.run_test(size=(100, 32), message_hook=hook) as pilot:
        while "TodayLoaded" not in seen:
            await asyncio.sleep(0.002)
    print(round((seen["ready"] - start) * 1000), round((seen["TodayLoaded"] - start) * 1000))
asyncio.run(main())
"""

INSIGHTS = """
import time, asyncio, sys
from pathlib import Path
from textual import events
from diary.tui.app import TwitchApp
async def main():
    computed = asyncio.Event()
    def hook(message):
        if type(message).__name__ == "InsightsComputed":
            computed.set()
    app = TwitchApp(Path(sys.argv[1]))
    async with app.run_test(size=(100, 32), message_hook=hook) as pilot:
        start = time.perf_counter()
        # As a terminal sends it: the pilot's own press would poll for an idle process meanwhile.
        app.post_message(events.Key("f4", None))
        await computed.wait()
        while not app.screen.query("#insights-heading"):
            await asyncio.sleep(0.001)
        print(round((time.perf_counter() - start) * 1000))
asyncio.run(main())
"""


def run(code: str, args: Sequence[str], env: dict[str, str]) -> list[float]:
    """Run ``code`` once in a fresh process; the milliseconds it printed."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=HERE.parent,
    )
    return [float(x) for x in done.stdout.strip().splitlines()[-1].split()]


def measure(
    programs: Sequence[tuple[str, Sequence[str]]], env: dict[str, str], runs: int
) -> list[list[list[float]]]:
    """Run each program ``runs`` times (after one warm-up each), taking turns; per program, the
    figures it printed, by column."""
    results: list[list[list[float]]] = [[] for _ in programs]
    for index in range(runs + 1):
        for result, (code, args) in zip(results, programs, strict=True):
            figures = run(code, args, env)
            if index:
                result.append(figures)
    return [[list(column) for column in zip(*rows, strict=True)] for rows in results]


def main(argv: Sequence[str] | None = None) -> int:
    """Build the diary, measure, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per figure (default 5)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="bench-tui-"))
    try:
        env = bench_flags.child_env(folder)
        last = datetime.now(bench_flags.ZONE).date() - timedelta(days=1)
        diary = bench_flags.Diary("10 years", folder / "diary.sqlite3", last, 0.0)
        started = time.perf_counter()
        bench_flags.build(diary, last - timedelta(days=bench_flags.LONG_DAYS - 1), 20250304, env)
        print(
            f"diary: {diary.episodes:,} episodes over {diary.days:,} days "
            f"(built in {time.perf_counter() - started:.1f} s); median of {args.runs} runs"
        )
        db = [str(diary.path)]
        (floor_runs,), (frame_runs, data_runs), (insights_runs,) = measure(
            [(MINIMAL, []), (TODAY, db), (INSIGHTS, db)], env, args.runs
        )
        floor, frame, data, insights = (
            statistics.median(runs) for runs in (floor_runs, frame_runs, data_runs, insights_runs)
        )
        ratio = frame / floor
        print()
        print(f"{'what':44} {'median ms':>10} {'vs floor':>9}  goal")
        print(f"{'minimal Textual app, first frame (floor)':44} {floor:10.0f} {1:9.2f}x")
        met = "met" if ratio <= FIRST_FRAME_RATIO_GOAL else "not met"
        print(
            f"{'Today, first frame':44} {frame:10.0f} {ratio:9.2f}x  "
            f"<= {FIRST_FRAME_RATIO_GOAL:g}x floor: {met}"
        )
        print(f"{'Today, its data shown':44} {data:10.0f} {data / floor:9.2f}x")
        met = "met" if insights <= INSIGHTS_GOAL_MS else "not met"
        print(
            f"{'Insights, F4 after first frame to results':44} {insights:10.0f} {'':>9}   "
            f"<= {INSIGHTS_GOAL_MS} ms: {met}"
        )
        return 0
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
