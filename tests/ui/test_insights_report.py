"""Pilot tests of the Insights and Report screens on the S3 scenario, with the clock frozen.

S3 is a diary whose patterns the guidance asks a doctor to look at; the screens must show the
same flag titles as ``twitch flags``, write a private PDF and an eight-file CSV export, and keep
pandas and matplotlib out of the app's start-up.
"""

from __future__ import annotations

import asyncio
import sqlite3
import stat
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from textual.widgets import Button, Input, Static

from diary import csvio, when
from diary.db.open import make_engine
from diary.tui.app import TwitchApp
from diary.tui.data import Diary
from diary.tui.widgets.sparkline import bars, bucket, spark
from tests.ui.conftest import wait_for_workers

S3 = Path(__file__).parents[1] / "data" / "scenarios" / "S3"
FROZEN = datetime(2025, 5, 11, 20, 0, tzinfo=ZoneInfo("Europe/Berlin"))
EXPORT_FILES = {
    "episodes.csv", "days.csv", "medications.csv", "visits.csv", "profile.csv",
    "sign_checks.csv", "strength_checks.csv", "twitch_counts.csv",
}  # fmt: skip


@pytest.fixture
def s3_diary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The S3 scenario imported into a fresh diary, seen on 2025-05-11 at 20:00 in Berlin."""
    path = tmp_path / "d.sqlite3"
    engine = make_engine(path)
    csvio.import_path(engine, S3)
    engine.dispose()
    monkeypatch.setattr(when, "now_local", lambda zone=None: FROZEN)
    return path


def screen_text(app: TwitchApp) -> str:
    """The text of every Static on the current screen."""
    return "\n".join(str(widget.render()) for widget in app.screen.query(Static))


@pytest.mark.asyncio
async def test_insights_shows_the_flags_of_s3(s3_diary: Path) -> None:
    app = TwitchApp(s3_diary)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f4")
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = screen_text(app)
        assert "What your diary shows (3 Mar – 11 May, 70 of 70 days logged)" in text
        assert "Book a doctor's appointment in the coming days" in text
        assert "Twitching on 70 days over 10 weeks" in text
        assert "Weakness was logged" in text
        assert "Worth discussing at your next appointment" in text
        assert "Not enough data yet for:" in text
        assert app.screen.query(".severity-soon")
        titles = app.screen.query(".flag-title.severity-discuss")
        assert [str(t.render()) for t in titles] == ["Twitching in a new area of the body"]
        per_day = app.screen.query_one("#per-day")
        assert len(per_day.values) == 70  # the diary began less than 90 days ago
        assert set(str(per_day.render())) <= set("▁▂▃▄▅▆▇█ ")
        assert "calf (right)" in str(app.screen.query_one("#sites").render())

        await pilot.press("r")  # refresh: the spinner, then the same result
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Weakness was logged" in screen_text(app)


@pytest.mark.asyncio
async def test_report_and_export_write_private_files(s3_diary: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    app = TwitchApp(s3_diary)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#start", Input).value == "2025-02-11"
        assert screen.query_one("#end", Input).value == "2025-05-11"
        screen.query_one("#folder", Input).value = str(out)

        screen.query_one("#start", Input).value = "the 11th of Maytember"
        screen.query_one("#make-report", Button).press()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "from must be a date like 2025-03-04" in str(screen.query_one("#status").render())
        assert not out.exists()

        screen.query_one("#start", Input).value = "2025-03-01"
        screen.query_one("#make-report", Button).press()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        pdf = out / "twitch-report-2025-05-11.pdf"
        assert pdf.is_file(), str(screen.query_one("#status").render())
        assert stat.S_IMODE(pdf.stat().st_mode) == 0o600
        log = str(screen.query_one("#results", Static).render())
        assert f"Wrote {pdf} (" in log
        # the period asked for began before the diary: the report starts at its first entry
        assert " pages, 2025-03-03 to 2025-05-11, from the diary's first entry)" in log

        screen.query_one("#export-csv", Button).press()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        folder = out / "twitch-export-2025-05-11"
        assert {p.name for p in folder.iterdir()} == EXPORT_FILES
        assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in folder.iterdir())
        log = str(screen.query_one("#results", Static).render())
        assert "episodes.csv  (304 rows)" in log


@pytest.mark.asyncio
async def test_insights_are_analysed_once_the_first_frame_is_shown(
    s3_diary: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(TwitchApp, "ANALYSE_EARLY", True)
    app = TwitchApp(s3_diary)
    analyse = app.diary.insights
    calls: list[object] = []

    def counted(as_of):  # type: ignore[no-untyped-def]
        calls.append(as_of)
        return analyse(as_of)

    monkeypatch.setattr(app.diary, "insights", counted)
    async with app.run_test(size=(100, 40)) as pilot:
        for _ in range(500):  # started by the app itself, while Today is shown
            if calls:
                break
            await asyncio.sleep(0.01)
        assert len(calls) == 1
        await pilot.press("f4")
        await wait_for_workers(app)
        await pilot.pause()
        assert "Weakness was logged" in screen_text(app)
        assert len(calls) == 1  # the screen took the app's result
        # something written since: coming back to Insights analyses the diary again
        app.diary.add_episode({"started_at": FROZEN.replace(hour=9), "body_site": "calf"})
        await pilot.press("f1")
        await wait_for_workers(app)
        await pilot.press("f4")
        await wait_for_workers(app)
        await pilot.pause()
        assert len(calls) == 2
        assert "Weakness was logged" in screen_text(app)


def test_opening_the_app_does_not_import_the_heavy_modules() -> None:
    code = (
        "import sys\n"
        "import diary.tui.app, diary.tui.screens.insights, diary.tui.screens.report\n"
        "import diary.tui.screens.today\n"
        "heavy = ('pandas', 'matplotlib', 'statsmodels', 'sqlalchemy', 'sqlmodel', 'alembic')\n"
        "loaded = [m for m in heavy if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_today_shows_its_first_frame_without_sqlalchemy(tmp_path: Path) -> None:
    """Today reads and logs through plain sqlite3: SQLAlchemy and SQLModel (half a second to
    import) stay out of the way until a screen that needs them is opened. (A new diary is
    migrated by Alembic once, on its first opening: made here beforehand.)"""
    path = tmp_path / "d.sqlite3"
    diary = Diary(path)
    diary.add_episode({"started_at": FROZEN, "body_site": "calf", "intensity": 4})
    diary.close()
    code = (
        "import asyncio, sys\n"
        "from pathlib import Path\n"
        "from diary.tui.app import TwitchApp\n"
        "TwitchApp.ANALYSE_EARLY = False\n"
        "async def main():\n"
        "    app = TwitchApp(Path(sys.argv[1]))\n"
        "    async with app.run_test() as pilot:\n"
        "        await app.workers.wait_for_complete()\n"
        "        await pilot.press('ctrl+r')\n"  # log the last episode again
        "        await app.workers.wait_for_complete()\n"
        "        assert len(app.diary.last_episode().id) == 36\n"
        "asyncio.run(main())\n"
        "loaded = [m for m in ('sqlalchemy', 'sqlmodel', 'pandas') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code, str(path)], check=True)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT count(*) FROM episode WHERE body_site = 'calf'").fetchone() == (
            2,
        )
    finally:
        conn.close()


def test_chart_helpers() -> None:
    assert bucket([1, 3, None, None], 2) == [2.0, None]
    assert spark([0, 4, None, 8], 10) == "▁▅ █"
    assert spark([1, 10], 5, low=1, high=10) == "▁█"
    lines = bars([("calf (right)", 10), ("hand", 5)], 30)
    assert lines[0].startswith("calf (right)  ") and lines[0].endswith("  10")
    assert lines[0].count("█") == 2 * lines[1].count("█")
