"""Shared fixtures: every test runs in Berlin time with a private home and data folder.

Keeping the real home folder out means no test can read or write a developer's actual diary; the
fixed zone makes the daylight-saving tests mean the same thing on every machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

TEST_TZ = "Europe/Berlin"
SCENARIOS = Path(__file__).parent / "data" / "scenarios"


@pytest.fixture(autouse=True)
def private_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """A fresh home, data folder and time zone for every test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv("TWITCH_DIARY_DB", raising=False)
    monkeypatch.setenv("TZ", TEST_TZ)
    time.tzset()
    import tzlocal

    tzlocal.reload_localzone()
    yield
    time.tzset()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a test's diary lives (not created yet)."""
    return tmp_path / "diary" / "diary.sqlite3"


@pytest.fixture
def engine(db_path: Path):  # type: ignore[no-untyped-def]
    """A migrated diary and its engine."""
    from diary.db.engine import make_engine

    engine = make_engine(db_path)
    yield engine
    engine.dispose()


@dataclass
class Result:
    """What a command printed and returned."""

    code: int
    out: str
    err: str


@pytest.fixture
def cli(db_path: Path, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run ``twitch ARGS`` in this process against the test's database."""
    from diary.__main__ import main

    def run(*args: str) -> Result:
        try:
            code = main(["--db", str(db_path), *args])
        except SystemExit as exc:  # argparse's own exits (--help, parse errors)
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def twitch_process(
    *args: str, db: Path, env: dict[str, str] | None = None, **kwargs
) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    """Run ``twitch`` as a separate process (what a person at a shell runs)."""
    full_env = {**os.environ, "TZ": TEST_TZ, "TWITCH_DIARY_DB": str(db), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "diary", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=120,
        **kwargs,
    )


def table_dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every diary table, for before/after comparisons."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        names = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
        ]
        return {n: sorted(conn.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr) for n in names}
    finally:
        conn.close()
