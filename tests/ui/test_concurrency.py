"""The TUI and two ``twitch log`` processes writing at once: no error shown, no write lost."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TEST_TZ, table_dump
from tests.ui.conftest import FROZEN_NOW, record_notices, wait_for_workers

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
#: Enough writes for the three writers to interleave many times over (the race is in every one).
WRITES = 50
LOGGER = """
import sys
from diary.__main__ import main
db, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
for i in range(count):
    if main(["--db", db, "log", "thigh", "--at", "2025-03-01 10:00", "--note", f"{tag}-{i}"]) != 0:
        sys.exit(f"log failed at {i}")
"""


async def test_tui_and_two_processes_lose_nothing(tmp_path: Path) -> None:
    from diary.tui.app import TwitchApp

    db = tmp_path / "shared.sqlite3"
    app = TwitchApp(db)
    app.diary.add_episode(
        {"started_at": FROZEN_NOW, "body_site": "calf", "side": "left", "note": "tui"}
    )
    env = {**os.environ, "TZ": TEST_TZ, "PYTHONPATH": str(ROOT)}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", LOGGER, str(db), tag, str(WRITES)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("a", "b")
    ]
    errors: list[str] = []
    shown = record_notices(app)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await wait_for_workers(app)  # a reload may replace (cancel) the one before it
        app.screen.set_focus(None)  # keys go to the screen, not a text field
        for _ in range(WRITES):
            await pilot.press("ctrl+r")  # repeat the last episode (calf), now
            await wait_for_workers(app)
        await pilot.pause()
        errors = [n.message for n in shown if n.severity == "error"]
    for writer in writers:
        _, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
    assert errors == []
    rows = table_dump(db)["episode"]
    notes = [row[10] for row in rows]
    # The app's repeats copy site, side, kind and intensity (not the note): they are the calves.
    assert [row[3] for row in rows].count("calf") == WRITES + 1
    for tag in ("a", "b"):
        assert sorted(n for n in notes if n and n.startswith(f"{tag}-")) == sorted(
            f"{tag}-{i}" for i in range(WRITES)
        )
