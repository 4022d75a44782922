"""A diary written by the app at revision 0001 opens, and upgrades, with every fact intact.

``tests/data/fixtures/diary-0001.sqlite3`` was made by ``make_fixtures.py`` with the real command
line; it is committed so that later versions of the app are tested against a file an old version
really wrote. Tests work on a copy.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import textwrap
from pathlib import Path

import pytest

from diary.db import migrate
from diary.db.engine import make_engine
from diary.db.schema import HEAD_REVISION
from tests.conftest import table_dump

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "fixtures" / "diary-0001.sqlite3"

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


def _healthy(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "diary" / "diary.sqlite3"
    target.parent.mkdir(mode=0o700)
    shutil.copyfile(FIXTURE, target)
    target.chmod(0o600)
    return target


def test_the_fixture_is_small_single_and_at_0001() -> None:
    assert FIXTURE.stat().st_size < 200_000
    assert not FIXTURE.with_name(FIXTURE.name + "-wal").exists()
    assert migrate.current_revision(FIXTURE) == "0001"
    _assert_facts(FIXTURE)


def test_opening_the_0001_fixture_keeps_every_fact(copy: Path) -> None:
    before = table_dump(copy)
    engine = make_engine(copy)  # upgrades it to the current head
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM episode").scalar() == len(EPISODES)
    finally:
        engine.dispose()
    assert migrate.current_revision(copy) == HEAD_REVISION
    after = table_dump(copy)
    assert {k: v for k, v in after.items() if k != "alembic_version"} == {
        k: v for k, v in before.items() if k != "alembic_version"
    }
    _assert_facts(copy)
    _healthy(copy)


def test_the_upgraded_0001_fixture_takes_unknown_intensity_and_duration(copy: Path) -> None:
    """Revision 0003: the old rows (intensity 2, 0 s, typed or defaulted, nobody can tell) are
    kept as they are; from now on a missing intensity or duration is stored as NULL, and the
    ranges still hold for the values that are given."""
    make_engine(copy).dispose()
    _assert_facts(copy)  # the 0 s / intensity 2 eyelid row is unchanged
    conn = sqlite3.connect(copy)
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
    _healthy(copy)


def _scripts_with_0002(tmp_path: Path) -> Path:
    """The real migrations plus a throw-away revision ``test`` after the head that adds a column
    and a table."""
    location = tmp_path / "migrations"
    shutil.copytree(
        migrate.migrations_dir(), location, ignore=shutil.ignore_patterns("__pycache__")
    )
    (location / "versions" / "test_fixture_revision.py").write_text(
        textwrap.dedent(
            """
            import sqlalchemy as sa
            from alembic import op

            revision = "test"
            down_revision = "{head}"
            branch_labels = None
            depends_on = None


            def upgrade():
                with op.batch_alter_table("day") as batch:
                    batch.add_column(sa.Column("mood", sa.Integer(), nullable=True))
                with op.batch_alter_table("episode") as batch:
                    batch.add_column(sa.Column("trigger", sa.String(), nullable=True))
                op.create_table("reminder", sa.Column("id", sa.Integer(), primary_key=True))


            def downgrade():
                pass
            """
        ).replace("{head}", HEAD_REVISION)
    )
    return location


def test_upgrading_the_0001_fixture_backs_up_first_and_keeps_every_fact(
    copy: Path, tmp_path: Path
) -> None:
    before = table_dump(copy)
    old = os.umask(0o022)
    try:
        saved = migrate.upgrade(copy, script_location=_scripts_with_0002(tmp_path))
    finally:
        os.umask(old)

    assert saved is not None and saved.exists()
    assert saved.name.startswith("diary.sqlite3.bak-0001-")
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert table_dump(saved) == before  # the backup is the file as it was before
    _healthy(saved)

    assert migrate.current_revision(copy) == "test"
    _assert_facts(copy)  # the new columns come after the old ones
    after = table_dump(copy)
    assert all(row[-1] is None for row in after["day"])  # mood, new and empty
    assert after["reminder"] == []
    _healthy(copy)
    assert list(copy.parent.glob("*.bak-*")) == [saved]
