"""Regenerate the sample doctor's report in this folder from the demo diary.

    python reports/make_sample.py

The sample diary is ``twitch demo --seed 7 --days 120 --end 2026-03-14`` in a temporary database,
with the onset date ``twitch profile --onset 2025-11-01``, so the report is the same on every
machine (the dates are fixed, the data seeded). It writes
``sample-report.pdf`` and the summary page and charts as PNGs under ``sample-png/``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
END = "2026-03-14"
ONSET = "2025-11-01"


def main() -> int:
    """Fill a temporary demo diary and render its report here."""
    env = {**os.environ, "TZ": "Europe/Berlin"}
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "demo.sqlite3")
        twitch = [sys.executable, "-m", "diary", "--db", db]
        subprocess.run(
            [*twitch, "demo", "--seed", "7", "--days", "120", "--end", END], check=True, env=env
        )
        # "twitching started around …", as a patient would give it (before the diary began)
        subprocess.run([*twitch, "profile", "--onset", ONSET], check=True, env=env)
        subprocess.run(
            [
                *twitch,
                "report",
                "--as-of",
                END,
                "--out",
                str(HERE / "sample-report.pdf"),
                "--png",
                str(HERE / "sample-png"),
                "--force",  # replace the previous sample (a report never overwrites unasked)
            ],
            check=True,
            env=env,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
