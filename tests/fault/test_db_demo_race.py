"""``twitch demo --force`` racing a ``twitch log`` loop: no acknowledged entry may vanish.

The demo replaces the whole diary after backing it up. A log written between the backup and the
replacement used to be in neither (issue 9, item 3); the in-use check, the backup and the
replacement now share one write transaction, so a racing log lands either in the backup or after
the replacement, in the new diary.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import TEST_TZ

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 3
LOGGER = """
import sys
from diary.__main__ import main
db = sys.argv[1]
for i in range(100000):
    if main(["--db", db, "log", "calf", "--note", f"race {i}"]) != 0:
        sys.exit(3)
    print(f"ACK race {i}", flush=True)
"""


def _env() -> dict[str, str]:
    return {**os.environ, "TZ": TEST_TZ, "PYTHONPATH": str(ROOT)}


def _twitch(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "diary", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
    )


def _notes(path: Path) -> set[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {r[0] for r in conn.execute("SELECT note FROM episode WHERE note LIKE 'race %'")}
    finally:
        conn.close()


def test_demo_force_never_loses_a_racing_log(tmp_path: Path) -> None:
    db = tmp_path / "diary.sqlite3"
    first = _twitch(db, "demo", "--days", "60")
    assert first.returncode == 0, first.stderr
    logger = subprocess.Popen(
        [sys.executable, "-c", LOGGER, str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    acks: list[str] = []
    first_ack = threading.Event()

    def read() -> None:
        assert logger.stdout is not None
        for line in logger.stdout:
            if line.startswith("ACK "):
                acks.append(line[4:].strip())
                first_ack.set()

    reader = threading.Thread(target=read)
    reader.start()
    raced = 0
    try:
        assert first_ack.wait(60), "the logger acknowledged nothing"
        for seed in range(ROUNDS):
            before = len(acks)
            demo = _twitch(db, "demo", "--force", "--days", "60", "--seed", str(seed))
            assert demo.returncode == 0, demo.stderr
            assert "previous contents were saved" in demo.stdout, demo.stdout
            raced += len(acks) > before
            assert logger.poll() is None, logger.stderr.read() if logger.stderr else ""
    finally:
        logger.send_signal(signal.SIGKILL)
        logger.wait(timeout=30)
        reader.join(timeout=30)
    assert raced == ROUNDS, "every demo must run while entries are being logged"
    assert len(acks) >= ROUNDS
    kept = _notes(db)
    copies = [*tmp_path.glob("diary.sqlite3.bak-*"), *(tmp_path / "backups").glob("*.sqlite3")]
    assert len([c for c in copies if ".bak-before-demo-" in c.name]) == ROUNDS
    for copy in copies:
        kept |= _notes(copy)
    lost = [note for note in acks if note not in kept]
    assert not lost, f"{len(lost)} of {len(acks)} acknowledged entries are nowhere: {lost[:5]}"
