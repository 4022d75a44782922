"""The schema: migrated on open, models and migrations in step, data kept, failures rolled back."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine
from sqlmodel import SQLModel

from diary.db import migrate, sqlite
from diary.db import tables as _tables  # noqa: F401  (every table on the metadata compared)
from diary.db.open import make_engine
from diary.db.schema import HEAD_REVISION
from diary.errors import StoreError
from tests.conftest import REBUILD_EPISODE_TABLE, table_dump

#: Every new diary here is made by Alembic itself, not copied from the suite's migrated template.
pytestmark = pytest.mark.usefixtures("real_migrations")

FIRST_REVISION = "0001"


def _fill_every_table(path: Path) -> None:
    conn = sqlite.connect(path)
    with sqlite.write_transaction(conn):
        conn.execute(
            "INSERT INTO episode VALUES ('0b8f3c1e-1111-4a5b-9c0d-000000000001',"
            " '2025-03-04 21:15:00.000000', 60, 'calf', 'left', 4, 30, 'twitch',"
            " 'tingling', 'rest', 'a note', '2025-03-04 21:16:00.000000')"
        )
        conn.execute(
            "INSERT INTO day VALUES ('2025-03-04', 1500, 200, 1.5, 45, 'moderate', 6.5, 3, 7,"
            " 'numbness', 'long day')"
        )
        conn.execute(
            "INSERT INTO medication VALUES ('0b8f3c1e-1111-4a5b-9c0d-000000000002', 'x',"
            " 'diuretic', '2.5 mg', '2025-03-01', NULL, NULL)"
        )
        conn.execute(
            "INSERT INTO visit VALUES ('0b8f3c1e-1111-4a5b-9c0d-000000000003', '2025-03-05',"
            " 'gp', 'blood_test;ck', 'normal', NULL)"
        )
        conn.execute("INSERT INTO profile VALUES ('birth_year', '1988')")
    conn.close()


def test_head_constant_matches_the_scripts() -> None:
    scripts = ScriptDirectory.from_config(migrate.alembic_config())
    assert scripts.get_current_head() == HEAD_REVISION


def test_opening_creates_and_migrates_with_private_permissions(db_path: Path) -> None:
    old = os.umask(0o022)
    try:
        engine = make_engine(db_path)
        engine.dispose()
    finally:
        os.umask(old)
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(db_path.parent.stat().st_mode) == 0o700
    assert migrate.current_revision(db_path) == HEAD_REVISION
    assert not list(db_path.parent.glob("*.bak-*")), "an empty new file needs no backup"


def test_every_connection_has_the_pragmas(engine, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        values = {
            name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        }
    assert values == {
        "journal_mode": "wal",
        "synchronous": 2,
        "foreign_keys": 1,
        "busy_timeout": 10000,
    }
    lean = sqlite.connect(db_path)
    assert sqlite.pragmas(lean) == values
    lean.close()


def test_models_and_migrations_agree(engine) -> None:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []


def test_check_constraints_match_the_models(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Autogenerate does not compare CHECKs; compare the DDL SQLite stores instead."""
    fresh = create_engine(f"sqlite:///{tmp_path / 'models.sqlite3'}")
    SQLModel.metadata.create_all(fresh)

    def ddl(eng) -> dict[str, str]:  # type: ignore[no-untyped-def]
        with eng.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE name NOT LIKE 'alembic%' AND sql IS NOT NULL"
            ).all()
        return {name: _parts(sql) for name, sql in rows}

    assert ddl(engine) == ddl(fresh)
    fresh.dispose()


def _parts(sql: str) -> frozenset[str]:
    """The top-level comma-separated parts of a CREATE statement (order does not matter)."""
    text = " ".join(sql.split())
    head, _, body = text.partition("(")
    head = head.replace('"', "")  # a table rebuilt by batch mode is renamed as "name"
    parts, depth, current = [], 0, ""
    for char in body.rsplit(")", 1)[0]:
        depth += char == "("
        depth -= char == ")"
        if char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return frozenset([head.strip(), *parts])


def test_check_constraints_stop_bad_rows_written_by_hand(engine, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    conn = sqlite.connect(db_path)
    with pytest.raises(sqlite3.IntegrityError, match="ck_episode_intensity"):
        conn.execute(
            "INSERT INTO episode VALUES ('x', '2025-03-04 21:15:00.000000', 60, 'calf', NULL, 14, 0,"
            " 'twitch', '', '', NULL, '2025-03-04 21:15:00.000000')"
        )
    with pytest.raises(sqlite3.IntegrityError, match="ck_medication_course_order"):
        conn.execute(
            "INSERT INTO medication VALUES ('m', 'x', 'other', NULL, '2025-03-02', '2025-03-01', NULL)"
        )
    conn.close()


def test_upgrade_from_first_revision_keeps_every_row_and_backs_up(
    db_path: Path, migrations_with: Callable[..., Path]
) -> None:
    make_engine(db_path).dispose()
    assert migrate.current_revision(db_path) == HEAD_REVISION
    _fill_every_table(db_path)
    before = table_dump(db_path)
    scripts = migrations_with(REBUILD_EPISODE_TABLE)
    backup = migrate.upgrade(db_path, script_location=scripts)
    assert migrate.current_revision(db_path) == "test"
    after = table_dump(db_path)
    assert after["episode"] == [row + (None,) for row in before["episode"]]
    for table in ("day", "medication", "visit", "profile"):
        assert after[table] == before[table]
    assert backup is not None and backup.name.startswith(f"diary.sqlite3.bak-{HEAD_REVISION}-")
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    restored = table_dump(backup)
    assert {k: v for k, v in restored.items() if k != "alembic_version"} == {
        k: v for k, v in before.items() if k != "alembic_version"
    }


def test_failing_migration_changes_nothing(
    db_path: Path, migrations_with: Callable[..., Path]
) -> None:
    make_engine(db_path).dispose()
    _fill_every_table(db_path)
    conn = sqlite.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    schema_before = sqlite3.connect(db_path).execute("SELECT sql FROM sqlite_master").fetchall()
    data_before = table_dump(db_path)
    bytes_before = db_path.read_bytes()
    scripts = migrations_with(
        REBUILD_EPISODE_TABLE,
        'op.execute("DELETE FROM day")',
        'raise RuntimeError("migration fails midway")',
    )
    with pytest.raises(RuntimeError, match="midway"):
        migrate.upgrade(db_path, script_location=scripts)
    assert migrate.current_revision(db_path) == HEAD_REVISION
    assert (
        sqlite3.connect(db_path).execute("SELECT sql FROM sqlite_master").fetchall()
        == schema_before
    )
    assert table_dump(db_path) == data_before
    conn = sqlite.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    assert db_path.read_bytes() == bytes_before


def test_newer_schema_is_refused(db_path: Path) -> None:
    make_engine(db_path).dispose()
    conn = sqlite.connect(db_path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    with pytest.raises(StoreError, match="newer version of Twitch Diary"):
        make_engine(db_path)


def test_not_a_database(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_text("this is a shopping list, not a diary\n" * 100)
    with pytest.raises(StoreError, match="not a Twitch Diary database"):
        make_engine(db_path)
