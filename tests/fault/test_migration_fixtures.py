"""A diary written by the app at revision 0001 opens, and upgrades, with every fact intact.

``tests/data/fixtures/diary-0001.sqlite3`` was made by ``make_fixtures.py`` with the real command
line; it is committed so that later versions of the app are tested against a file an old version
really wrote. Tests work on a copy.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from diary.db import migrate
from diary.db.open import make_engine
from diary.db.schema import HEAD_REVISION
from tests.conftest import DIARY_0001, assert_healthy, table_dump

# Every fact make_fixtures.py wrote, without the random ids and creation times.
EPISODES = {
    (
        "2025-03-04 21:15:00.000000",
        60,
        "calf",
        "left",
        4,
        30,
        "twitch",
        "tingling",
        "",
        "fixture calf",
    ),
    (
        "2025-03-05 07:00:00.000000",
        60,
        "eyelid",
        None,
        2,
        0,
        "twitch",
        "",
        "",
        "=1+1 formula-looking note",
    ),
    (
        "2025-10-25 23:30:00.000000",
        120,
        "thigh",
        "right",
        3,
        120,
        "cramp",
        "",
        "",
        "Grüße 😀 before the clocks go back",
    ),
}
DAYS = [
    ("2025-03-04", 1500, 190, None, None, None, 6.5, None, 6, "", "long day"),
    ("2025-03-05", 2000, None, None, 45, "moderate", None, None, None, "", None),
]
MEDICATIONS = {
    ("bendroflumethiazide", "diuretic", "2.5 mg", "2025-03-01", "2025-03-20", None),
    ("magnesium", "supplement", None, "2025-03-02", None, None),
}
VISITS = {("2025-03-06", "gp", "blood_test;ck", "normal", None)}
PROFILE = [("birth_year", "1988"), ("family_history", "ms"), ("name", "Fixture Person")]


def _assert_facts(path: Path) -> None:
    tables = table_dump(path)
    assert {row[1:11] for row in tables["episode"]} == EPISODES
    assert all(len(row[0]) == 36 for row in tables["episode"])
    assert [row[:11] for row in tables["day"]] == DAYS
    assert {row[1:7] for row in tables["medication"]} == MEDICATIONS
    assert {row[1:6] for row in tables["visit"]} == VISITS
    assert tables["profile"] == PROFILE


def test_the_fixture_is_small_single_and_at_0001() -> None:
    assert DIARY_0001.stat().st_size < 200_000
    assert not DIARY_0001.with_name(DIARY_0001.name + "-wal").exists()
    assert migrate.current_revision(DIARY_0001) == "0001"
    _assert_facts(DIARY_0001)


def test_opening_the_0001_fixture_keeps_every_fact(diary_0001: Path) -> None:
    before = table_dump(diary_0001)
    engine = make_engine(diary_0001)  # upgrades it to the current head
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM episode").scalar() == len(EPISODES)
    finally:
        engine.dispose()
    assert migrate.current_revision(diary_0001) == HEAD_REVISION
    after = table_dump(diary_0001)
    assert {k: after[k] for k in before if k != "alembic_version"} == {
        k: v for k, v in before.items() if k != "alembic_version"
    }
    # the tables of later revisions are there, and empty
    assert {k: v for k, v in after.items() if k not in before} == {
        "sign_check": [],
        "strength_check": [],
        "twitch_count": [],
    }
    _assert_facts(diary_0001)
    assert_healthy(diary_0001)


def test_the_upgraded_0001_fixture_takes_unknown_intensity_and_duration(diary_0001: Path) -> None:
    """Revision 0003: the old rows (intensity 2, 0 s, typed or defaulted, nobody can tell) are
    kept as they are; from now on a missing intensity or duration is stored as NULL, and the
    ranges still hold for the values that are given."""
    make_engine(diary_0001).dispose()
    _assert_facts(diary_0001)  # the 0 s / intensity 2 eyelid row is unchanged
    conn = sqlite3.connect(diary_0001)
    try:
        with conn:
            conn.execute(
                "INSERT INTO episode VALUES ('u', '2025-03-06 21:15:00.000000', 60, 'calf', NULL,"
                " NULL, NULL, 'twitch', '', '', NULL, '2025-03-06 21:15:00.000000')"
            )
        assert conn.execute(
            "SELECT intensity, duration_s FROM episode WHERE id = 'u'"
        ).fetchone() == (
            None,
            None,
        )
        for column, bad in (("intensity", 14), ("duration_s", -1)):
            with pytest.raises(sqlite3.IntegrityError, match=f"ck_episode_{column}"):
                conn.execute(f"UPDATE episode SET {column} = ? WHERE id = 'u'", (bad,))
    finally:
        conn.close()
    assert_healthy(diary_0001)


#: A revision after the head that adds a column to two tables and a new table.
ADD_COLUMNS_AND_A_TABLE = """
    with op.batch_alter_table("day") as batch:
        batch.add_column(sa.Column("mood", sa.Integer(), nullable=True))
    with op.batch_alter_table("episode") as batch:
        batch.add_column(sa.Column("trigger", sa.String(), nullable=True))
    op.create_table("reminder", sa.Column("id", sa.Integer(), primary_key=True))
"""


def test_upgrading_the_0001_fixture_backs_up_first_and_keeps_every_fact(
    diary_0001: Path, migrations_with: Callable[..., Path]
) -> None:
    before = table_dump(diary_0001)
    old = os.umask(0o022)
    try:
        saved = migrate.upgrade(
            diary_0001, script_location=migrations_with(ADD_COLUMNS_AND_A_TABLE)
        )
    finally:
        os.umask(old)

    assert saved is not None and saved.exists()
    assert saved.name.startswith("diary.sqlite3.bak-0001-")
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert table_dump(saved) == before  # the backup is the file as it was before
    assert_healthy(saved)

    assert migrate.current_revision(diary_0001) == "test"
    _assert_facts(diary_0001)  # the new columns come after the old ones
    after = table_dump(diary_0001)
    assert all(row[-1] is None for row in after["day"])  # mood, new and empty
    assert after["reminder"] == []
    assert_healthy(diary_0001)
    assert list(diary_0001.parent.glob("*.bak-*")) == [saved]
