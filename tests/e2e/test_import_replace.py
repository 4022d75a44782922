"""Importing an older export must not silently undo newer edits (issue 9, item 6).

An import that would overwrite stored rows with different values is refused unless the person says
so (``--replace``, or "y" at a terminal prompt), and then the diary is backed up before anything is
written. Importing the same export twice, or rows that are only new, needs no flag and no backup.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TEST_TZ, table_dump, twitch_in_process

ROOT = Path(__file__).resolve().parents[2]


def _episode_notes(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return sorted(r[0] for r in conn.execute("SELECT note FROM episode"))
    finally:
        conn.close()


def _before_import_backups(db: Path) -> list[Path]:
    return sorted((db.parent / "backups").rglob("*before-import-*.sqlite3"))


@pytest.fixture
def edited(tmp_path: Path) -> tuple[Path, Path]:
    """A diary exported, then edited: the export is now older than the diary."""
    db = tmp_path / "diary.sqlite3"
    assert twitch_in_process("log", "calf", "--note", "first", db=db).returncode == 0
    assert twitch_in_process("day", "--water", "1l", "--stress", "3", db=db).returncode == 0
    out = tmp_path / "old-export"
    assert twitch_in_process("export", "--out", str(out), db=db).returncode == 0
    ident = table_dump(db)["episode"][0][0]
    assert twitch_in_process("edit", ident, "--note", "corrected", db=db).returncode == 0
    assert twitch_in_process("day", "--stress", "8", db=db).returncode == 0
    assert _episode_notes(db) == ["corrected"]
    return db, out


def test_an_older_export_is_refused_without_replace(edited: tuple[Path, Path]) -> None:
    db, old = edited
    before = table_dump(db)
    result = twitch_in_process("import", str(old), db=db)
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "2 stored rows" in lines[0]  # the episode's note and the day's stress
    assert "--replace" in lines[0] and "nothing was changed" in lines[0]
    assert table_dump(db) == before
    assert _before_import_backups(db) == []


def test_replace_backs_up_the_diary_then_overwrites(edited: tuple[Path, Path]) -> None:
    db, old = edited
    result = twitch_in_process("import", str(old), "--replace", db=db)
    assert result.returncode == 0, result.stderr
    assert "1 changed" in result.stdout
    assert _episode_notes(db) == ["first"]
    (backup,) = _before_import_backups(db)
    assert str(backup.name) in result.stdout
    assert backup.stat().st_mode & 0o777 == 0o600
    assert _episode_notes(backup) == ["corrected"]  # the newer edit is kept in the backup


def test_the_same_export_twice_needs_no_flag_and_no_backup(tmp_path: Path) -> None:
    db = tmp_path / "diary.sqlite3"
    assert twitch_in_process("log", "calf", "--note", "one", db=db).returncode == 0
    assert twitch_in_process("day", "--water", "1l", db=db).returncode == 0
    out = tmp_path / "export"
    assert twitch_in_process("export", "--out", str(out), db=db).returncode == 0
    before = table_dump(db)
    for _ in range(2):
        result = twitch_in_process("import", str(out), db=db)
        assert result.returncode == 0, result.stderr
        assert "episodes.csv: 0 new, 0 changed, 1 already there" in result.stdout
    assert table_dump(db) == before
    assert _before_import_backups(db) == []


def test_new_rows_only_need_no_flag(edited: tuple[Path, Path], tmp_path: Path) -> None:
    _, old = edited
    other = tmp_path / "other" / "diary.sqlite3"
    assert twitch_in_process("log", "neck", "--note", "mine", db=other).returncode == 0
    result = twitch_in_process("import", str(old), db=other)
    assert result.returncode == 0, result.stderr
    assert "episodes.csv: 1 new, 0 changed, 0 already there" in result.stdout
    assert _episode_notes(other) == ["first", "mine"]
    assert _before_import_backups(other) == []


def test_clearing_a_profile_value_counts_as_a_replacement(tmp_path: Path) -> None:
    db = tmp_path / "diary.sqlite3"
    assert twitch_in_process("profile", "--name", "Sam", db=db).returncode == 0
    source = tmp_path / "profile.csv"
    source.write_text("key,value\nname,\n", encoding="utf-8")
    before = table_dump(db)
    refused = twitch_in_process("import", str(source), db=db)
    assert refused.returncode == 2 and "1 stored row " in refused.stderr, refused.stderr
    assert table_dump(db) == before
    assert twitch_in_process("import", str(source), "--replace", db=db).returncode == 0
    assert table_dump(db)["profile"] == []


def _import_on_a_terminal(db: Path, source: Path, answer: bytes) -> tuple[int, str]:
    """Run ``twitch import`` with a terminal as its stdin and type ``answer`` at the prompt."""
    import pty

    primary, secondary = pty.openpty()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "diary", "--db", str(db), "import", str(source)],
            stdin=secondary,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "TZ": TEST_TZ, "PYTHONPATH": str(ROOT)},
        )
        os.close(secondary)
        secondary = -1
        os.write(primary, answer)  # the terminal holds the line until the prompt reads it
        out, err = proc.communicate(timeout=120)
    finally:
        os.close(primary)
        if secondary != -1:
            os.close(secondary)
    return proc.returncode, out.decode() + err.decode()


@pytest.mark.parametrize(("answer", "code"), [(b"y\n", 0), (b"n\n", 2)], ids=["yes", "no"])
def test_a_terminal_asks_before_replacing(
    edited: tuple[Path, Path], answer: bytes, code: int
) -> None:
    db, old = edited
    returncode, output = _import_on_a_terminal(db, old, answer)
    assert "Replace 2 stored rows" in output, output
    assert returncode == code, output
    assert _episode_notes(db) == (["first"] if code == 0 else ["corrected"])
    assert len(_before_import_backups(db)) == (1 if code == 0 else 0)
