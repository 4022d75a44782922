"""A damaged diary file: writes are refused, reads fail in one line, ``check`` and ``restore`` help.

Each test damages a real diary the way a failing disk or a stray program would (pages overwritten,
a stored text that is no longer UTF-8, a truncated file) and runs ``twitch`` on it (``backup``,
``restore`` and ``check`` as real processes).
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import table_dump, twitch_in_process, twitch_process

pytestmark = pytest.mark.slow

PAGE = 4096


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo diary for the module (made once: the demo takes seconds), every page in the file."""
    folder = tmp_path_factory.mktemp("sample")
    db = folder / "diary.sqlite3"
    made = twitch_in_process("demo", "--days", "60", db=db, env={"HOME": str(folder)})
    assert made.returncode == 0, made.stderr
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA page_size").fetchone()[0] == PAGE
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")  # one stand-alone file to copy
    finally:
        conn.close()
    assert not (folder / "backups").exists()
    return db


def _demo(sample: Path, db: Path) -> None:
    shutil.copy(sample, db)
    db.chmod(0o600)


def _root_pages(db: Path, *tables: str) -> list[int]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return [
            conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (t,)).fetchone()[0]
            for t in tables
        ]
    finally:
        conn.close()


def _scribble(db: Path, pages: list[int]) -> None:
    data = bytearray(db.read_bytes())
    for page in pages:
        start = (page - 1) * PAGE
        data[start : start + PAGE] = b"\xa5" * PAGE
    db.write_bytes(bytes(data))


def _refused_as_damaged(result) -> None:  # type: ignore[no-untyped-def]
    assert result.returncode == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "damaged" in lines[0] and "twitch check" in lines[0] and "twitch restore" in lines[0]
    assert "Traceback" not in result.stderr and "\ufffd" not in result.stderr


def _episodes(db: Path) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT COUNT(*) FROM episode").fetchone()[0]
    finally:
        conn.close()


def test_log_and_day_refuse_a_diary_whose_tables_are_overwritten(
    sample: Path, tmp_path: Path
) -> None:
    db = tmp_path / "diary.sqlite3"
    _demo(sample, db)
    pages = db.stat().st_size // PAGE
    _scribble(db, list(range(2, pages + 1)))  # everything but the schema on page 1
    for args in (("log", "calf"), ("day", "--caffeine", "100"), ("list",)):
        _refused_as_damaged(twitch_in_process(*args, db=db))
    checked = twitch_in_process("check", db=db)
    assert checked.returncode == 1 and "BAD" in checked.stdout


def test_the_daily_check_refuses_a_write_that_sqlite_would_not_notice(
    sample: Path, tmp_path: Path
) -> None:
    """Damage away from the pages a new entry touches: SQLite alone would confirm the write."""
    db = tmp_path / "diary.sqlite3"
    _demo(sample, db)  # the demo filled an empty diary: no automatic copy for today yet
    assert not (tmp_path / "backups").exists()
    _scribble(db, _root_pages(db, "medication", "visit", "profile"))
    before = _episodes(db)
    _refused_as_damaged(twitch_in_process("log", "calf", db=db))
    assert _episodes(db) == before, "nothing was written"
    assert not list((tmp_path / "backups").glob("auto-*")), "no damaged copy among the backups"
    _refused_as_damaged(twitch_in_process("day", "--caffeine", "100", db=db))


def test_reading_commands_never_print_undecodable_text(sample: Path, tmp_path: Path) -> None:
    db = tmp_path / "diary.sqlite3"
    _demo(sample, db)
    data = db.read_bytes()
    assert b"sitting" in data
    db.write_bytes(data.replace(b"sitting", b"\xa5\xff\xfe\xa5\xa5\xa5\xa5"))  # same length
    for args in (("list",), ("flags",), ("export", "--out", str(tmp_path / "out"))):
        _refused_as_damaged(twitch_in_process(*args, db=db))
    checked = twitch_in_process("check", db=db)
    assert checked.returncode == 1
    assert any("BAD" in line and "UTF-8" in line for line in checked.stdout.splitlines())


def test_restore_replaces_a_damaged_diary_and_keeps_its_pages(sample: Path, tmp_path: Path) -> None:
    """As real processes: the entry point's own test of ``backup``, ``restore`` and ``check``."""
    db = tmp_path / "diary.sqlite3"
    _demo(sample, db)
    good = tmp_path / "good.sqlite3"
    assert twitch_process("backup", "--out", str(good), db=db).returncode == 0
    _scribble(db, _root_pages(db, "medication", "visit", "profile"))
    restored = twitch_process("restore", str(good), db=db)
    assert restored.returncode == 0, restored.stderr
    assert table_dump(db) == table_dump(good)
    saved = list((tmp_path / "backups").glob("before-restore-damaged-*.sqlite3"))
    assert len(saved) == 1 and saved[0].stat().st_size > 0
    assert twitch_process("check", db=db).returncode == 0
    assert twitch_process("log", "calf", db=db).returncode == 0
