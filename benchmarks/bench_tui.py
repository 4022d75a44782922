"""How quickly the TUI shows Today, and Insights its results, on a 10-year diary.

Why: people open the app at the moment a twitch happens; the first screen must be there in under a
second (goal), and the Insights screen must show its findings in under 3 seconds. The floor is a
minimal Textual app that shows one label, started the same way.

Each figure is a fresh process (interpreter start and imports included) that runs the app
headless with Textual's ``run_test`` and prints how long it took until the screen was ready:
Today mounted (its first refresh done), or the Insights worker finished. The diary is the 10-year
one of ``bench_flags.py`` (>= 100,000 episodes).

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

MINIMAL = """
import time, asyncio
start = time.perf_counter()
from textual.app import App
from textual.widgets import Label
class Minimal(App):
    def compose(self):
        yield Label("hello")
async def main():
    app = Minimal()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        print(round((time.perf_counter() - start) * 1000))
asyncio.run(main())
"""

TODAY = """
import time, asyncio, sys
start = time.perf_counter()
from pathlib import Path
from diary.tui.app import TwitchApp
async def main():
    app = TwitchApp(Path(sys.argv[1]))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        print(round((time.perf_counter() - start) * 1000))
asyncio.run(main())
"""

INSIGHTS = """
import time, asyncio, sys
from pathlib import Path
from diary.tui.app import TwitchApp
async def main():
    app = TwitchApp(Path(sys.argv[1]))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        start = time.perf_counter()
        await pilot.press("i")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        print(round((time.perf_counter() - start) * 1000))
asyncio.run(main())
"""


def measure(code: str, args: Sequence[str], env: dict[str, str], runs: int) -> list[float]:
    """Run ``code`` ``runs`` times (after one warm-up); the milliseconds each printed."""
    values = []
    for index in range(runs + 1):
        done = subprocess.run(
            [sys.executable, "-c", code, *args],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            cwd=HERE.parent,
        )
        if index:
            values.append(float(done.stdout.strip().splitlines()[-1]))
    return values


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
        floor = statistics.median(measure(MINIMAL, [], env, args.runs))
        today = statistics.median(measure(TODAY, [str(diary.path)], env, args.runs))
        insights = statistics.median(measure(INSIGHTS, [str(diary.path)], env, args.runs))
        print()
        print(f"{'what':44} {'median ms':>10} {'vs floor':>9}  goal")
        print(f"{'minimal Textual app, first frame (floor)':44} {floor:10.0f} {1:9.2f}x")
        print(
            f"{'Today, first frame':44} {today:10.0f} {today / floor:9.2f}x  "
            f"< 1000 ms: {'met' if today < 1000 else 'not met'}"
        )
        print(
            f"{'Insights, key press to results shown':44} {insights:10.0f} {'':>9}   "
            f"< 3000 ms: {'met' if insights < 3000 else 'not met'}"
        )
        return 0
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
