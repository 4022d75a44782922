"""Pilot tests of the Report screen (issue 10, item 22 and item 6): making the report twice keeps
the first file and names the second ``-2``, as on the command line, PNG folder included; coming
back to the screen on another day moves the untouched default period along.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from textual.widgets import Button, Checkbox, Input, Static

from diary import when
from diary.tui.app import TwitchApp
from tests.ui.conftest import FROZEN_NOW, wait_for_workers


@pytest.fixture
def diary(tmp_path: Path) -> Path:
    from diary.db.open import make_engine
    from diary.demo import fill

    path = tmp_path / "d.sqlite3"
    engine = make_engine(path)
    try:
        fill(engine, days=30, seed=7, now=FROZEN_NOW)
    finally:
        engine.dispose()
    return path


async def _make(app: TwitchApp, pilot) -> str:  # type: ignore[no-untyped-def]
    app.screen.query_one("#make-report", Button).press()
    await pilot.pause()
    await wait_for_workers(app)
    await pilot.pause()
    return str(app.screen.query_one("#results", Static).render())


@pytest.mark.asyncio
async def test_a_second_report_gets_a_new_name(diary: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    day = FROZEN_NOW.date().isoformat()
    app = TwitchApp(diary)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        assert app.screen.query("#make-report"), "the Report screen is open"
        app.screen.query_one("#folder", Input).value = str(out)
        app.screen.query_one("#pngs", Checkbox).value = True
        first_log = await _make(app, pilot)
        first = out / f"twitch-report-{day}.pdf"
        assert f"Wrote {first} (" in first_log
        kept = first.read_bytes()
        pngs = {p.name: p.read_bytes() for p in (out / f"twitch-report-{day}-png").iterdir()}
        assert "summary.png" in pngs

        log = await _make(app, pilot)
        second = out / f"twitch-report-{day}-2.pdf"
        assert f"Wrote {second} (" in log
        assert f"Wrote {out / f'twitch-report-{day}-2-png' / 'summary.png'}" in log
        assert first.read_bytes() == kept  # the first report is untouched
        folder = out / f"twitch-report-{day}-png"
        assert {p.name: p.read_bytes() for p in folder.iterdir()} == pngs


@pytest.mark.asyncio
async def test_the_default_period_follows_the_day_when_the_screen_comes_back(
    diary: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = TwitchApp(diary)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        assert app.screen.query_one("#end", Input).value == FROZEN_NOW.date().isoformat()
        await pilot.press("f1")  # Today
        await pilot.pause()
        tomorrow: datetime = FROZEN_NOW + timedelta(days=1)
        monkeypatch.setattr(when, "now_local", lambda zone=None: tomorrow)
        await pilot.press("f5")
        await pilot.pause()
        assert app.screen.query_one("#end", Input).value == tomorrow.date().isoformat()
        start = (tomorrow.date() - timedelta(days=89)).isoformat()
        assert app.screen.query_one("#start", Input).value == start
