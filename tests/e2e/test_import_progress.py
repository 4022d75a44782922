"""A long import shows its progress on a terminal, and only there (issue 9, item 15).

The progress goes to stderr and only when stderr is a terminal, so scripts and pipes see nothing
but the summary. (Speed and memory of a 500,000-row import are measured by
``benchmarks/bench_import.py``, not here: timing has no place in tests.)
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

from tests.conftest import TEST_TZ, twitch_in_process

ROOT = Path(__file__).resolve().parents[2]
ROWS = 30_000
HEADER = "id,started_at,body_site,side,intensity,duration_s,kind,symptoms,context,note\n"


def _episodes(path: Path, rows: int) -> Path:
    body = "".join(
        f"{uuid.UUID(int=i)},2025-03-04T10:{i % 60:02d}:00+01:00,calf,left,4,30,twitch,,,n{i}\n"
        for i in range(1, rows + 1)
    )
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def _read_all(fd: int) -> bytes:
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the other end of the terminal has closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def test_progress_is_shown_on_a_terminal(tmp_path: Path) -> None:
    import pty

    source = _episodes(tmp_path / "episodes.csv", ROWS)
    db = tmp_path / "diary.sqlite3"
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "diary", "--db", str(db), "import", str(source)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=secondary,
        env={**os.environ, "TZ": TEST_TZ, "PYTHONPATH": str(ROOT)},
    )
    os.close(secondary)
    terminal = _read_all(primary).decode()
    os.close(primary)
    out = proc.stdout.read().decode() if proc.stdout else ""
    assert proc.wait(timeout=120) == 0, terminal
    assert f"episodes.csv: {ROWS} new" in out
    assert "episodes.csv: reading, 10,000 of 30,000 rows" in terminal, terminal
    assert "writing, 30,000 of 30,000 rows" in terminal, terminal
    assert "Traceback" not in terminal


def test_no_progress_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    source = _episodes(tmp_path / "episodes.csv", ROWS)
    result = twitch_in_process("import", str(source), db=tmp_path / "diary.sqlite3")
    assert result.returncode == 0, result.stderr
    assert f"episodes.csv: {ROWS} new" in result.stdout
    assert result.stderr == ""
