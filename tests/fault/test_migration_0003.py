"""A diary written by the app at revision 0003 upgrades to 0004 (the self-checks) with every row kept.

``tests/data/fixtures/diary-0003.sqlite3`` was made by ``make_fixtures.py 0003`` with the real
command line of revision 0003 (commit c634a9d): rows in every table it had, unknown intensities
and durations, a note with a line break, formula-looking notes, the profile's onset. Tests work
on a copy.
"""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest
from alembic import command

from diary.db import check, migrate, sqlite
from diary.db.engine import engine_for
from diary.db.open import make_engine
from diary.db.schema import HEAD_REVISION, TABLE_COLUMNS
from tests.conftest import DIARY_0003, assert_healthy, table_dump

OLD_TABLES = ("episode", "day", "medication", "visit", "profile")
NEW_TABLES = ("sign_check", "strength_check", "twitch_count")
#: Rows per table that make_fixtures.py wrote.
COUNTS = {"episode": 5, "day": 3, "medication": 2, "visit": 2, "profile": 4}


def _counts(path: Path) -> dict[str, int]:
    return {table: len(rows) for table, rows in table_dump(path).items()}


def test_the_fixture_is_small_single_at_0003_and_fills_every_table() -> None:
    assert DIARY_0003.stat().st_size < 200_000
    assert not DIARY_0003.with_name(DIARY_0003.name + "-wal").exists()
    assert migrate.current_revision(DIARY_0003) == "0003"
    assert _counts(DIARY_0003) == {**COUNTS, "alembic_version": 1}
    episodes = table_dump(DIARY_0003)["episode"]
    assert any(row[5] is None and row[6] is None for row in episodes)  # unknown, as 0003 allows
    assert ("onset", "2025-02-01") in table_dump(DIARY_0003)["profile"]


def test_upgrading_to_0004_keeps_every_row_and_backs_up_first(diary_0003: Path) -> None:
    before = table_dump(diary_0003)
    engine = make_engine(diary_0003)  # upgrades it to the current head
    engine.dispose()

    assert migrate.current_revision(diary_0003) == HEAD_REVISION == "0004"
    after = table_dump(diary_0003)
    for table in OLD_TABLES:
        assert after[table] == before[table], table  # every value of every row, as it was
    assert {table: after[table] for table in NEW_TABLES} == {t: [] for t in NEW_TABLES}
    assert _counts(diary_0003) == {**COUNTS, **dict.fromkeys(NEW_TABLES, 0), "alembic_version": 1}
    assert_healthy(diary_0003)

    backups = list(diary_0003.parent.glob("diary.sqlite3.bak-0003-*"))
    assert len(backups) == 1
    assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600
    assert table_dump(backups[0]) == before  # the backup is the file as it was before
    assert migrate.current_revision(backups[0]) == "0003"


def test_the_upgraded_file_passes_twitch_check(diary_0003: Path) -> None:
    make_engine(diary_0003).dispose()
    lines = {line.name: line for line in check.check(diary_0003)}
    assert lines["schema"].value == "0004 (current)"
    assert lines["tables"].value == "all present"
    assert all(line.ok for line in lines.values()), lines
    for table in NEW_TABLES:
        assert lines[f"rows {table}"].value == "0"


def test_a_0003_file_is_a_diary_to_check_and_restore(diary_0003: Path) -> None:
    """Before the upgrade the new tables are missing, which is not damage: restore migrates."""
    conn = sqlite.open_read_only(diary_0003)
    try:
        assert check.schema_problems(conn, columns=False) == []
        assert check.schema_problems(conn, columns=True) == [f"no {t} table" for t in NEW_TABLES]
    finally:
        conn.close()


def test_the_new_tables_hold_what_the_models_say(diary_0003: Path) -> None:
    make_engine(diary_0003).dispose()
    conn = sqlite3.connect(diary_0003)
    try:
        for table in NEW_TABLES:
            columns = tuple(row[1] for row in conn.execute(f'PRAGMA table_info("{table}")'))
            assert columns == TABLE_COLUMNS[table]
        with pytest.raises(sqlite3.IntegrityError, match="ck_sign_check_weakness"):
            conn.execute(
                "INSERT INTO sign_check (id, date, weakness, created_at)"
                " VALUES ('a', '2025-03-04', 2, '2025-03-04 10:00:00.000000')"
            )
        with pytest.raises(sqlite3.IntegrityError, match="ck_twitch_count_seconds"):
            conn.execute(
                "INSERT INTO twitch_count VALUES ('b', '2025-03-04 10:00:00.000000', 60, 'calf',"
                " NULL, 5, 10, NULL, '2025-03-04 10:00:00.000000')"
            )
    finally:
        conn.close()


def test_downgrading_to_0003_drops_only_the_new_tables(diary_0003: Path) -> None:
    before = table_dump(diary_0003)
    make_engine(diary_0003).dispose()
    engine = engine_for(diary_0003, foreign_keys=False, pooled=False)
    try:
        with engine.begin() as connection:
            config = migrate.alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0003")
    finally:
        engine.dispose()
    assert table_dump(diary_0003) == before
