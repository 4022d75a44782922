"""``twitch backup``, the automatic daily copies, ``twitch restore`` and ``twitch check``."""

from __future__ import annotations

import shutil
import sqlite3
import stat
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from diary.db import backups, quick, restore, sqlite
from diary.db.open import open_current


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def episode_count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT COUNT(*) FROM episode").fetchone()[0]
    finally:
        conn.close()


def integrity_of(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def log(cli, count: int) -> None:  # type: ignore[no-untyped-def]
    for i in range(count):
        result = cli("log", "calf", "--note", f"entry {i}")
        assert result.code == 0, result.err


@pytest.fixture
def frozen_day(monkeypatch: pytest.MonkeyPatch) -> list[date]:
    """Automatic backups see the date in this list (tests move it); one backup per day otherwise."""
    day = [date(2026, 1, 1)]
    monkeypatch.setattr(backups, "utc_today", lambda: day[0])
    return day


# --- backup -------------------------------------------------------------------------------------


def test_backup_while_another_connection_writes(cli, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    log(cli, 1)
    stop = threading.Event()
    written = [0]
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            conn = open_current(db_path)
            try:
                while not stop.is_set():
                    quick.insert_episode(
                        conn,
                        {
                            "started_at": datetime.now(UTC),
                            "body_site": "calf",
                            "intensity": 3,
                            "duration_s": 0,
                            "kind": "twitch",
                        },
                    )
                    written[0] += 1
            finally:
                conn.close()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while written[0] < 20:
            threading.Event().wait(0.01)
        result = cli("backup")
    finally:
        stop.set()
        thread.join()
    assert not errors, errors
    assert result.code == 0, result.err
    made = [p for p in (db_path.parent / "backups").glob("diary-backup-*.sqlite3")]
    assert len(made) == 1
    target = made[0]
    assert str(target) in result.out
    assert "KB" in result.out or "bytes" in result.out
    assert mode(target) == 0o600
    assert mode(target.parent) == 0o700
    assert integrity_of(target) == "ok"
    assert 1 <= episode_count(target) <= episode_count(db_path)
    assert not list(target.parent.glob("*-wal")), "a backup is one stand-alone file"


def test_backup_to_a_chosen_file_and_refusals(cli, db_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    missing = cli("backup")
    assert missing.code == 2 and "no database" in missing.err
    assert not db_path.exists(), "backup must not create a diary"
    log(cli, 2)
    out = tmp_path / "copies" / "mine.sqlite3"
    result = cli("backup", "--out", str(out))
    assert result.code == 0, result.err
    assert episode_count(out) == 2 and mode(out) == 0o600
    again = cli("backup", "--out", str(out))
    assert again.code == 2 and "already exists" in again.err
    assert len(again.err.strip().splitlines()) == 1


def test_help_shows_examples(cli) -> None:  # type: ignore[no-untyped-def]
    for command in ("backup", "restore", "check"):
        result = cli(command, "--help")
        assert result.code == 0
        assert "examples:" in result.out and f"twitch {command}" in result.out


# --- daily backups ------------------------------------------------------------------------------


def test_daily_backup_once_per_day_and_only_the_last_seven_kept(
    cli, db_path: Path, frozen_day: list[date]
) -> None:  # type: ignore[no-untyped-def]
    folder = db_path.parent / "backups"
    log(cli, 1)  # the diary was empty before this entry: nothing to back up yet
    assert not folder.exists()
    log(cli, 1)
    assert [p.name for p in folder.iterdir()] == ["auto-diary-2026-01-01.sqlite3"]
    first = folder / "auto-diary-2026-01-01.sqlite3"
    assert episode_count(first) == 1 and mode(first) == 0o600 and mode(folder) == 0o700
    log(cli, 2)
    assert [p.name for p in folder.iterdir()] == ["auto-diary-2026-01-01.sqlite3"]
    assert episode_count(first) == 1, "today's copy is not rewritten"

    for offset in range(1, 10):
        frozen_day[0] = date(2026, 1, 1) + timedelta(days=offset)
        log(cli, 1)
    names = sorted(p.name for p in folder.iterdir())
    assert names == [f"auto-diary-2026-01-{d:02d}.sqlite3" for d in range(4, 11)]
    assert all(mode(p) == 0o600 for p in folder.iterdir())


def test_daily_backup_runs_on_the_engine_path_and_keeps_other_backups(
    cli, db_path: Path, frozen_day: list[date]
) -> None:  # type: ignore[no-untyped-def]
    from diary.db.open import make_engine

    log(cli, 1)
    assert cli("backup").code == 0
    for offset in range(1, 10):
        frozen_day[0] = date(2026, 1, 1) + timedelta(days=offset)
        make_engine(db_path).dispose()
    folder = db_path.parent / "backups"
    assert len(list(folder.glob("auto-*.sqlite3"))) == 7
    assert len(list(folder.glob("diary-backup-*.sqlite3"))) == 1, "manual backups are never pruned"


def test_daily_backup_never_fails_a_command(cli, db_path: Path, frozen_day: list[date]) -> None:  # type: ignore[no-untyped-def]
    log(cli, 1)
    (db_path.parent / "backups").write_text("a file where the folder should be")
    result = cli("log", "calf")
    assert result.code == 0, result.err
    assert episode_count(db_path) == 2


# --- restore ------------------------------------------------------------------------------------


def test_restore_round_trip(cli, db_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    log(cli, 3)
    copy = tmp_path / "three.sqlite3"
    assert cli("backup", "--out", str(copy)).code == 0
    log(cli, 2)
    assert episode_count(db_path) == 5
    result = cli("restore", str(copy))
    assert result.code == 0, result.err
    assert episode_count(db_path) == 3
    assert "3 episodes" in result.out
    saved = list((db_path.parent / "backups").glob("before-restore-*.sqlite3"))
    assert len(saved) == 1 and episode_count(saved[0]) == 5 and mode(saved[0]) == 0o600
    assert mode(db_path) == 0o600
    assert cli("log", "calf").code == 0, "the restored diary is usable"
    assert episode_count(db_path) == 4
    assert cli("check").code == 0


def restore_refused(cli, db_path: Path, file: Path, words: str) -> None:  # type: ignore[no-untyped-def]
    before = episode_count(db_path)
    result = cli("restore", str(file))
    assert result.code == 2, result
    assert words in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert episode_count(db_path) == before
    assert not list((db_path.parent / "backups").glob("before-restore-*"))


def test_restore_refuses_files_that_are_not_diaries(cli, db_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    log(cli, 1)
    text = tmp_path / "notes.txt"
    text.write_text("hello\n")
    restore_refused(cli, db_path, text, "not an SQLite database")
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE foo (x)")
    conn.commit()
    conn.close()
    restore_refused(cli, db_path, other, "not a Twitch Diary database")
    restore_refused(cli, db_path, tmp_path / "absent.sqlite3", "no such file")


def test_restore_refuses_a_corrupt_file(cli, db_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    log(cli, 3)
    copy = tmp_path / "copy.sqlite3"
    assert cli("backup", "--out", str(copy)).code == 0
    data = bytearray(copy.read_bytes())
    page = 4096
    for start in range(page, len(data), page):  # scribble over every page but the first
        data[start + 8 : start + 200] = b"\xa5" * 192
    copy.write_bytes(bytes(data))
    before = episode_count(db_path)
    result = cli("restore", str(copy))
    assert result.code == 2, result
    assert "damaged" in result.err or "not a Twitch Diary" in result.err
    assert episode_count(db_path) == before


def test_restore_refuses_a_newer_revision(cli, db_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    log(cli, 1)
    copy = tmp_path / "future.sqlite3"
    assert cli("backup", "--out", str(copy)).code == 0
    conn = sqlite3.connect(copy)
    conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.commit()
    conn.close()
    restore_refused(cli, db_path, copy, "newer version")


def test_restore_refuses_while_the_diary_is_open_elsewhere(
    cli, db_path: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    log(cli, 2)
    copy = tmp_path / "copy.sqlite3"
    assert cli("backup", "--out", str(copy)).code == 0
    log(cli, 1)
    other = sqlite3.connect(db_path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        result = cli("restore", str(copy))
        other.execute("ROLLBACK")
        assert result.code == 1, result
        assert "open in another program" in result.err
        assert len(result.err.strip().splitlines()) == 1
        idle = cli("restore", str(copy))  # an idle open connection counts too
        assert idle.code == 1, idle
    finally:
        other.close()
    assert episode_count(db_path) == 3
    assert not list((db_path.parent / "backups").glob("before-restore-*"))
    assert cli("restore", str(copy)).code == 0
    assert episode_count(db_path) == 2


def test_restore_an_older_revision_migrates_it(
    cli, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    log(cli, 2)
    copy = tmp_path / "copy.sqlite3"
    assert cli("backup", "--out", str(copy)).code == 0
    migrated: list[Path] = []
    monkeypatch.setattr(restore, "HEAD_REVISION", "0002_pretend")
    import diary.db.migrate as migrate

    monkeypatch.setattr(migrate, "ensure_current", lambda path: migrated.append(path))
    result = cli("restore", str(copy))
    assert result.code == 0, result.err
    assert migrated == [db_path]
    assert "schema" in result.out


# --- check --------------------------------------------------------------------------------------


def test_check_a_good_diary(cli, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    log(cli, 3)
    result = cli("check")
    assert result.code == 0, result.out + result.err
    assert "integrity" in result.out and "journal_mode" in result.out
    assert any(line.split()[-2:] == ["episode", "3"] for line in result.out.splitlines())
    assert "BAD" not in result.out


def test_check_names_a_wrong_file_mode(cli, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    log(cli, 1)
    db_path.chmod(0o644)
    result = cli("check")
    assert result.code == 1
    bad = [line for line in result.out.splitlines() if "BAD" in line]
    assert len(bad) == 1 and "diary.sqlite3" in bad[0] and "0644" in bad[0]


def test_check_a_missing_diary_creates_nothing(cli, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("check")
    assert result.code == 2
    assert "no database" in result.err and len(result.err.strip().splitlines()) == 1
    assert not db_path.exists() and not db_path.parent.exists()


def test_check_reports_an_old_schema_and_broken_rows(cli, db_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    log(cli, 1)
    copy = tmp_path / "copy.sqlite3"
    shutil.copy(db_path, copy)
    conn = sqlite3.connect(copy)
    conn.execute("UPDATE alembic_version SET version_num = 'old'")
    conn.commit()
    conn.close()
    copy.chmod(0o600)
    result = cli("check", "--db", str(copy))
    assert result.code == 1
    assert "schema" in next(line for line in result.out.splitlines() if "BAD" in line)


# --- issue 9: per-diary daily backups, restore what was checked, check what is there --------------


def test_table_columns_match_the_models() -> None:
    from sqlmodel import SQLModel

    import diary.db.tables  # noqa: F401  (defines every table)
    from diary.db.schema import TABLE_COLUMNS

    tables = {t.name: tuple(c.name for c in t.columns) for t in SQLModel.metadata.sorted_tables}
    assert {name: tables[name] for name in TABLE_COLUMNS} == TABLE_COLUMNS
    assert set(TABLE_COLUMNS) == set(sqlite.USER_TABLES) == set(tables)


def test_daily_backups_of_two_diaries_in_one_folder_are_kept_apart(
    cli, db_path: Path, frozen_day: list[date]
) -> None:  # type: ignore[no-untyped-def]
    sample = db_path.with_name("sample.sqlite3")
    folder = db_path.parent / "backups"
    for offset in range(10):
        frozen_day[0] = date(2026, 1, 1) + timedelta(days=offset)
        log(cli, 1)
        assert cli("--db", str(sample), "log", "eyelid").code == 0
        assert cli("--db", str(sample), "log", "eyelid").code == 0  # a busier diary
    real = sorted(p.name for p in folder.glob("auto-diary-*.sqlite3"))
    samples = sorted(p.name for p in folder.glob("auto-sample-*.sqlite3"))
    assert real == [f"auto-diary-2026-01-{d:02d}.sqlite3" for d in range(4, 11)]
    assert samples == [f"auto-sample-2026-01-{d:02d}.sqlite3" for d in range(4, 11)]
    # each copy holds its own diary: the real one's day-10 copy has its 9 earlier entries
    assert episode_count(folder / "auto-diary-2026-01-10.sqlite3") == 9
    assert episode_count(folder / "auto-sample-2026-01-10.sqlite3") == 18


def test_old_style_daily_backups_belong_to_the_default_diary(
    cli, db_path: Path, frozen_day: list[date]
) -> None:  # type: ignore[no-untyped-def]
    log(cli, 2)
    folder = db_path.parent / "backups"
    for old in folder.iterdir():
        old.unlink()
    legacy = [folder / f"auto-2025-12-{d}.sqlite3" for d in (28, 29, 30, 31)]
    for file in legacy:
        shutil.copy(db_path, file)
    other = db_path.with_name("other.sqlite3")
    for offset in range(5):  # another diary in the folder never prunes them
        frozen_day[0] = date(2026, 1, 1) + timedelta(days=offset)
        assert cli("--db", str(other), "log", "calf").code == 0
        assert cli("--db", str(other), "log", "calf").code == 0
    assert all(file.exists() for file in legacy)
    for offset in range(5):  # the default diary counts them among its 7, oldest out first
        frozen_day[0] = date(2026, 1, 1) + timedelta(days=offset)
        log(cli, 1)
    mine = [p.name for p in backups.auto_backups(folder, db_path)]
    assert mine == [
        "auto-2025-12-30.sqlite3",
        "auto-2025-12-31.sqlite3",
        *(f"auto-diary-2026-01-0{d}.sqlite3" for d in range(1, 6)),
    ]
    assert not legacy[0].exists() and not legacy[1].exists()
    assert len(list(folder.glob("auto-other-*.sqlite3"))) == 5
    restored = cli("restore", str(legacy[3]))  # an old-style copy still restores
    assert restored.code == 0, restored.err


def _swap_after_the_check(
    monkeypatch: pytest.MonkeyPatch, source: Path, intruder: Path
) -> list[int]:
    """Replace ``source`` by ``intruder`` (a rename, as sync tools do) once restore has checked it."""
    swapped: list[int] = []
    real_lock = restore.lock_exclusively

    def lock_then_swap(path: Path) -> sqlite3.Connection:
        intruder.replace(source)
        swapped.append(1)
        return real_lock(path)

    monkeypatch.setattr(restore, "lock_exclusively", lock_then_swap)
    return swapped


def test_restore_restores_the_file_it_checked(
    cli, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    log(cli, 3)
    good = tmp_path / "good.sqlite3"
    assert cli("backup", "--out", str(good)).code == 0
    intruder = tmp_path / "intruder.sqlite3"
    conn = sqlite3.connect(intruder)  # an empty SQLite file: "restored", the diary has no tables
    conn.execute("CREATE TABLE x (y)")
    conn.execute("DROP TABLE x")
    conn.commit()
    conn.close()
    log(cli, 2)
    swapped = _swap_after_the_check(monkeypatch, good, intruder)
    result = cli("restore", str(good))
    assert swapped, "the file must be replaced between the check and the copy"
    assert result.code == 0, result.err
    assert episode_count(db_path) == 3, "what was checked is what is restored"
    monkeypatch.undo()
    assert cli("check").code == 0


def test_check_says_a_diary_without_tables_is_not_all_good(cli, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    log(cli, 1)
    conn = sqlite3.connect(db_path)
    for table in sqlite.USER_TABLES:
        conn.execute(f'DROP TABLE "{table}"')
    conn.commit()
    conn.close()
    result = cli("check")
    assert result.code == 1, result.out
    bad = [line for line in result.out.splitlines() if "BAD" in line]
    assert any("tables" in line and "no episode table" in line for line in bad), result.out
    assert "All good" not in result.out


def test_check_reports_what_the_file_holds_and_changes_nothing(
    cli, db_path: Path, frozen_day: list[date]
) -> None:  # type: ignore[no-untyped-def]
    log(cli, 2)
    copy = next((db_path.parent / "backups").glob("auto-*.sqlite3"))  # rollback-journal mode
    before = copy.read_bytes()
    result = cli("check", "--db", str(copy))
    assert result.code == 0, result.out
    assert copy.read_bytes() == before, "check must not switch the file to WAL"
    assert not copy.with_name(copy.name + "-wal").exists()
    lines = {line.split()[1]: line for line in result.out.splitlines() if line.startswith("  ")}
    assert "delete" in lines["journal_mode"] and "in the file" in lines["journal_mode"]
    for name in ("synchronous", "foreign_keys", "busy_timeout"):
        assert "set by the app on every connection" in lines[name], lines[name]
    live = cli("check")
    assert live.code == 0 and "wal (in the file)" in live.out


def test_check_on_a_truncated_diary_exits_1_with_one_report(cli, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    log(cli, 30)
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    size = db_path.stat().st_size
    assert size > 3 * 4096
    with db_path.open("r+b") as handle:
        handle.truncate(2 * 4096)
    result = cli("check")
    assert result.code == 1, (result.out, result.err)
    assert not result.err
    assert any("BAD" in line for line in result.out.splitlines())


def test_backup_never_unlinks_or_reuses_a_predictable_temporary_name(
    cli, db_path: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    import os

    log(cli, 2)
    shared = tmp_path / "shared"
    shared.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    target = shared / "copy.sqlite3"
    planted = shared / f".{target.name}.{os.getpid()}.partial"  # the name used before the fix
    planted.symlink_to(victim)
    result = cli("backup", "--out", str(target))
    assert result.code == 0, result.err
    assert planted.is_symlink() and victim.read_text() == "keep me"
    assert episode_count(target) == 2 and mode(target) == 0o600
    assert sorted(p.name for p in shared.iterdir()) == sorted([target.name, planted.name])
