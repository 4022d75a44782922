"""A failed ``twitch export --out DIR`` leaves nothing behind (issue 9, leftover).

Before, the folder was created first and the files written after: a write that failed (here a file
size limit, as a full disk would) printed a traceback and left the new, empty folders behind.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import uuid
from pathlib import Path

from tests.conftest import TEST_TZ, twitch_in_process

ROOT = Path(__file__).resolve().parents[2]
HEADER = "id,started_at,body_site,side,intensity,duration_s,kind,symptoms,context,note\n"
LIMIT = 256 * 1024  # bytes: below the episodes file, above the diary's small -shm file


def _big_diary(tmp_path: Path) -> Path:
    """A diary whose episodes.csv is larger than ``LIMIT``."""
    db = tmp_path / "diary.sqlite3"
    source = tmp_path / "episodes.csv"
    body = "".join(
        f"{uuid.UUID(int=i)},2025-03-04T10:{i % 60:02d}:00+01:00,calf,left,4,30,twitch,,,{'n' * 90}\n"
        for i in range(1, 4001)
    )
    source.write_text(HEADER + body, encoding="utf-8")
    assert twitch_in_process("import", str(source), db=db).returncode == 0
    return db


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


def test_a_failed_export_leaves_no_new_folder(tmp_path: Path) -> None:
    db = _big_diary(tmp_path)
    out = tmp_path / "new" / "export"
    result = subprocess.run(
        [sys.executable, "-m", "diary", "--db", str(db), "export", "--out", str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "TZ": TEST_TZ, "PYTHONPATH": str(ROOT)},
        preexec_fn=_limit_file_size,
        timeout=120,
    )
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "nothing was exported" in lines[0], result.stderr
    assert not (tmp_path / "new").exists()
    left = {p.name for p in tmp_path.iterdir()} - {"diary.sqlite3-wal", "diary.sqlite3-shm"}
    assert left == {"backups", "diary.sqlite3", "episodes.csv"}


def test_a_failed_export_into_an_existing_folder_keeps_the_folder(tmp_path: Path) -> None:
    db = _big_diary(tmp_path)
    out = tmp_path / "mine"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "diary", "--db", str(db), "export", "--out", str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "TZ": TEST_TZ, "PYTHONPATH": str(ROOT)},
        preexec_fn=_limit_file_size,
        timeout=120,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr, result
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


def test_a_folder_in_the_way_of_a_file_is_one_line_and_leaves_no_partial_files(
    tmp_path: Path,
) -> None:
    db = tmp_path / "diary.sqlite3"
    assert twitch_in_process("log", "calf", db=db).returncode == 0
    out = tmp_path / "out"
    (out / "days.csv").mkdir(parents=True)  # in the way of the second file written
    result = twitch_in_process("export", "--out", str(out), db=db)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result
    assert len(result.stderr.strip().splitlines()) == 1
    assert "cannot write the export" in result.stderr and "incomplete" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["days.csv", "episodes.csv"]
