"""SIGKILL at a random moment: every acknowledged write survives and the file is never damaged.

A child process logs episodes in a loop and prints each note only after ``main`` returned (the
write is acknowledged); the parent kills it at a seeded random moment and checks the database.

Every kill is aimed at the phase the test is about: the random delay starts only once that phase
has visibly begun (the first acknowledgement, the first page of a transaction in the write-ahead
log, a backup's temporary file), and each test asserts that the kill landed there. A kill that
came before the first write, or after the process had finished, would prove nothing.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from diary.db.schema import HEAD_REVISION
from tests.conftest import REBUILD_EPISODE_TABLE, TEST_TZ

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
LOGGER = """
import sys
from diary.__main__ import main
db = sys.argv[1]
for i in range(100000):
    if main(["--db", db, "log", "calf", "--note", str(i)]) != 0:
        sys.exit(3)
    print(f"ACK {i}", flush=True)
"""
IMPORT_ROWS = 20_000


def _env() -> dict[str, str]:
    return {**os.environ, "TZ": TEST_TZ, "PYTHONPATH": str(ROOT)}


def _check_intact(db: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    return conn


def _fresh_diary(db: Path) -> None:
    from diary.db.open import make_engine

    make_engine(db).dispose()


def _kill_after(proc: subprocess.Popen[str], delay: float) -> str:
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate(timeout=30)
    return out


def _wait_for(condition: Callable[[], bool], proc: subprocess.Popen[str], what: str) -> None:
    """Poll (1 ms) until ``condition`` holds; fail if the process ends or 60 s pass first."""
    deadline = time.monotonic() + 60
    while not condition():
        assert proc.poll() is None, f"the process ended before {what}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.001)


def _wal_size(db: Path) -> int:
    """The write-ahead log's size; 0 without one (the child may remove it at any moment)."""
    try:
        return db.with_name(db.name + "-wal").stat().st_size
    except FileNotFoundError:
        return 0


def _new_files(folder: Path, before: set[Path]) -> set[Path]:
    return {p for p in folder.iterdir() if p not in before}


@pytest.mark.parametrize("seed", range(10))
def test_kill_during_logging_loses_no_acknowledged_write(tmp_path: Path, seed: int) -> None:
    db = tmp_path / "diary.sqlite3"
    _fresh_diary(db)
    delay = random.Random(seed).uniform(0.0, 0.5)
    proc = subprocess.Popen(
        [sys.executable, "-c", LOGGER, str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=_env(),
        cwd=tmp_path,
    )
    assert proc.stdout is not None
    first = ""  # the delay starts once the first write is acknowledged
    while not first.endswith("ACK 0\n"):
        line = proc.stdout.readline()
        assert line, f"the logger ended before its first acknowledgement: {first}"
        first += line
    out = first + _kill_after(proc, delay)
    assert proc.returncode == -signal.SIGKILL, out
    acknowledged = {line.split()[1] for line in out.splitlines() if line.startswith("ACK ")}
    assert acknowledged, "the kill came before anything was acknowledged"
    conn = _check_intact(db)
    notes = {row[0] for row in conn.execute("SELECT note FROM episode")}
    conn.close()
    assert acknowledged <= notes
    # at most the one write in flight when the kill came is extra
    assert len(notes - acknowledged) <= 1


def _episodes_csv(path: Path, rows: int) -> None:
    header = "id,started_at,body_site,side,intensity,duration_s,kind,symptoms,context,note\n"
    body = "".join(
        f"{uuid.UUID(int=i)},2025-03-04T10:{i % 60:02d}:00+01:00,calf,left,4,30,twitch,,,n{i}\n"
        for i in range(1, rows + 1)
    )
    path.write_text(header + body, encoding="utf-8")


@pytest.mark.parametrize("seed", range(2))
def test_kill_during_import_is_all_or_nothing(tmp_path: Path, seed: int) -> None:
    """The kill lands inside the import's one write transaction: its pages are in the WAL."""
    db = tmp_path / "diary.sqlite3"
    _fresh_diary(db)
    source = tmp_path / "episodes.csv"
    _episodes_csv(source, IMPORT_ROWS)
    empty_wal = _wal_size(db)
    proc = subprocess.Popen(
        [sys.executable, "-m", "diary", "--db", str(db), "import", str(source)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=_env(),
        cwd=tmp_path,
    )
    # The transaction has begun writing once the WAL grows; kill within its first pages.
    _wait_for(lambda: _wal_size(db) > empty_wal, proc, "the import wrote its first page")
    out = _kill_after(proc, random.Random(seed).uniform(0.0, 0.002))
    assert proc.returncode == -signal.SIGKILL, f"the import finished before the kill: {out}"
    conn = _check_intact(db)
    count = conn.execute("SELECT count(*) FROM episode").fetchone()[0]
    conn.close()
    assert count == 0, "a killed import must leave nothing behind"


@pytest.fixture(scope="module")
def big_diary_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A diary of 60,000 episodes, large enough to kill a backup or migration inside; made once
    (writing it takes a second) and copied by ``big_diary``."""
    db = tmp_path_factory.mktemp("big") / "diary.sqlite3"
    _fresh_diary(db)
    conn = sqlite3.connect(db)
    with conn:
        conn.executemany(
            "INSERT INTO episode VALUES (?, '2025-03-04 10:00:00.000000', 60, 'calf', 'left', 3, 5,"
            " 'twitch', '', '', ?, '2025-03-04 10:00:00.000000')",
            [(str(uuid.uuid4()), "x" * 200) for _ in range(60_000)],
        )
    conn.close()  # the last connection: the write-ahead log is folded in and removed
    return db


@pytest.fixture
def big_diary(big_diary_template: Path, tmp_path: Path) -> Path:
    """This test's own copy of the 60,000-episode diary."""
    db = tmp_path / "diary.sqlite3"
    shutil.copy(big_diary_template, db)
    return db


BACKUP = """
import sys
from diary.__main__ import main
sys.exit(main(["--db", sys.argv[1], "backup", "--out", sys.argv[2]]))
"""


@pytest.mark.parametrize("seed", range(3))
def test_kill_during_backup_leaves_no_half_backup(
    tmp_path: Path, big_diary: Path, seed: int
) -> None:
    db = big_diary
    out_dir = tmp_path / "copies"
    out_dir.mkdir()
    target = out_dir / "copy.sqlite3"
    proc = subprocess.Popen(
        [sys.executable, "-c", BACKUP, str(db), str(target)],
        env=_env(),
        stdout=subprocess.PIPE,
        text=True,
    )
    # The copy is written to a temporary file beside the target, then renamed: kill while the
    # temporary file exists (the delay starts when it appears).
    _wait_for(lambda: bool(_new_files(out_dir, set())), proc, "the backup started writing")
    _kill_after(proc, random.Random(seed).uniform(0.0, 0.01))
    assert proc.returncode == -signal.SIGKILL, "the backup finished before the kill"
    live = _check_intact(db)
    assert live.execute("SELECT count(*) FROM episode").fetchone() == (60_000,)
    live.close()
    assert not target.exists(), "a backup killed mid-way must not appear under its final name"


MIGRATE = """
import sys
from pathlib import Path
from diary.db import migrate
migrate.upgrade(Path(sys.argv[1]), script_location=Path(sys.argv[2]))
"""


@pytest.mark.parametrize("seed", range(3))
def test_kill_during_migration_is_before_or_after(
    tmp_path: Path, big_diary: Path, migrations_with: Callable[..., Path], seed: int
) -> None:
    db = big_diary
    scripts = migrations_with(REBUILD_EPISODE_TABLE)
    before = set(tmp_path.iterdir())
    empty_wal = _wal_size(db)
    proc = subprocess.Popen(
        [sys.executable, "-c", MIGRATE, str(db), str(scripts)],
        env=_env(),
        stdout=subprocess.PIPE,
        text=True,
    )
    # The migration writes a backup first, then rebuilds the table in one transaction: wait for
    # the backup to be in place and the transaction's pages to reach the WAL, then kill.
    _wait_for(
        lambda: any(
            p.name.startswith(f"{db.name}.bak-") and not p.name.endswith(".partial")
            for p in _new_files(tmp_path, before)
        ),
        proc,
        "the pre-migration backup",
    )
    _wait_for(lambda: _wal_size(db) > empty_wal, proc, "the migration wrote its first page")
    _kill_after(proc, random.Random(seed).uniform(0.0, 0.002))
    assert proc.returncode == -signal.SIGKILL, "the migration finished before the kill"
    live = _check_intact(db)
    revision = live.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    columns = [row[1] for row in live.execute("PRAGMA table_info(episode)")]
    assert (revision, "extra" in columns) == (HEAD_REVISION, False)
    assert live.execute("SELECT count(*) FROM episode").fetchone() == (60_000,)
    live.close()
