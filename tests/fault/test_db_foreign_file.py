"""``--db`` pointed at another program's SQLite file: every command refuses it and leaves it as it was.

Before, ``check`` switched such a file to write-ahead logging for good and ``list`` added the
diary's tables to it. Each command here runs on a real file, compared byte for byte afterwards.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import twitch_process


@pytest.fixture
def foreign(tmp_path: Path) -> Path:
    """A small database of another program (rollback journal, its own tables and rows)."""
    path = tmp_path / "other-app" / "bookmarks.sqlite"
    path.parent.mkdir()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE bookmark (url TEXT, title TEXT)")
    conn.execute("CREATE TABLE episode (x)")  # a table name the diary uses too
    conn.executemany("INSERT INTO bookmark VALUES (?, ?)", [("https://a", "A"), ("https://b", "B")])
    conn.commit()
    conn.close()
    return path


def _untouched(path: Path, before: bytes) -> None:
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name], "no -wal, no backups/"


COMMANDS = [
    ("list",),
    ("log", "calf"),
    ("day", "--caffeine", "100"),
    ("flags",),
    ("backup",),
    ("demo", "--force"),
    ("med", "list"),
]


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a) for a in COMMANDS])
def test_commands_refuse_another_programs_database(
    cli, foreign: Path, args: tuple[str, ...]
) -> None:  # type: ignore[no-untyped-def]
    before = foreign.read_bytes()
    result = cli("--db", str(foreign), *args)
    assert result.code == 2, (result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and "not a Twitch Diary database" in lines[0], result.err
    assert "nothing was changed" in lines[0]
    _untouched(foreign, before)


def test_restore_never_overwrites_another_programs_database(
    cli, db_path: Path, foreign: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    assert cli("log", "calf").code == 0
    copy = tmp_path / "copy.sqlite3"
    assert cli("backup", "--out", str(copy)).code == 0
    before = foreign.read_bytes()
    result = cli("restore", "--db", str(foreign), str(copy))
    assert result.code == 2, (result.out, result.err)
    assert "not a Twitch Diary database" in result.err
    _untouched(foreign, before)


def test_check_reads_another_programs_database_without_changing_it(foreign: Path) -> None:
    before = foreign.read_bytes()
    result = twitch_process("check", db=foreign)
    assert result.returncode == 1, (result.stdout, result.stderr)
    bad = [line for line in result.stdout.splitlines() if "BAD" in line]
    assert any("not a Twitch Diary database" in line for line in bad), result.stdout
    assert "All good" not in result.stdout
    _untouched(foreign, before)
