"""Snapshots of every screen on a fixed demo diary at a fixed size and a frozen clock.

Update after an intended change with ``pytest tests/ui/test_snapshots.py --snapshot-update`` and
look at the SVGs in ``__snapshots__`` before committing them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import copy_diary, private_for_a_fixture
from tests.ui.conftest import FROZEN_NOW

SIZE = (100, 32)


@pytest.fixture(scope="module")
def demo_diary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo diary every snapshot shows, filled once for the module (each test opens a copy)."""
    from diary import demo
    from diary.db.open import make_engine

    folder = tmp_path_factory.mktemp("demo")
    path = folder / "demo.sqlite3"
    (folder / "home").mkdir()
    with private_for_a_fixture(folder / "home"):
        engine = make_engine(path)
        try:
            demo.fill(engine, days=120, seed=7, now=FROZEN_NOW)
        finally:
            engine.dispose()
    return path


@pytest.fixture
def demo_app(demo_diary: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.chdir("/")  # the Report screen shows the working folder: keep it the same
    from diary.tui.app import TwitchApp

    path = tmp_path / "demo.sqlite3"
    copy_diary(demo_diary, path)
    return TwitchApp(path)


async def _settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _after(*keys: str):  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _settle(pilot)
        for key in keys:
            await pilot.press(key)
            await _settle(pilot)

    return run_before


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        ("today", ()),
        ("history", ("f2",)),
        ("meds", ("f3",)),
        ("insights", ("f4",)),
        ("report", ("f5",)),
        ("help", ("question_mark",)),
        ("checks", ("f6",)),
    ],
)
def test_screen_snapshot(snap_compare, demo_app, name: str, keys: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(demo_app, terminal_size=SIZE, run_before=_after(*keys))
