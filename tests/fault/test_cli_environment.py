"""A hostile environment around the command: odd encodings, a full disk, a bad TZ, little memory.

Each case used to end in a traceback; a write that had succeeded then exited 1, so a person
retrying it stored the episode twice. Now an output failure after the write is one line and exit
0, output never fails on encoding, an unreadable ``TZ`` falls back with one warning, and too
little memory for the analysis libraries is one line, exit 1.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TEST_TZ, table_dump, twitch_in_process, twitch_process

FULL = Path("/dev/full")


@pytest.fixture
def diary(tmp_path: Path) -> Path:
    db = tmp_path / "diary.sqlite3"
    assert twitch_in_process("log", "calf", db=db).returncode == 0
    return db


def _episodes(db: Path) -> int:
    return len(table_dump(db)["episode"])


def test_output_that_cannot_be_encoded_is_replaced(diary: Path) -> None:
    result = twitch_process(
        "log",
        "calf",
        "--note",
        "日本語",
        db=diary,
        env={"PYTHONIOENCODING": "latin-1"},
        encoding="latin-1",
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.startswith("Logged twitch · calf")  # "·" is latin-1 and stays
    assert "\u2014" not in result.stdout and "?" in result.stdout  # the em dash is replaced
    assert _episodes(diary) == 2


def test_strict_error_handler_is_overridden_too(diary: Path) -> None:
    result = twitch_process(
        "med",
        "add",
        "Ärztemittel→x",
        db=diary,
        env={"PYTHONIOENCODING": "ascii:strict"},
        encoding="ascii",
        errors="replace",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Added ") and "Traceback" not in result.stderr


def _to_full_disk(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    """``twitch ARGS > /dev/full``: every write to standard output fails with ENOSPC."""
    env = {**os.environ, "TZ": TEST_TZ, "TWITCH_DIARY_DB": str(db)}
    with FULL.open("w") as full:
        return subprocess.run(
            [sys.executable, "-m", "diary", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=120,
        )


@pytest.mark.skipif(not FULL.exists(), reason="needs /dev/full")
def test_a_write_whose_output_fails_is_still_a_success(diary: Path) -> None:
    result = _to_full_disk("log", "thigh", db=diary)
    assert _episodes(diary) == 2  # the write happened: retrying would store it twice
    assert result.returncode == 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("twitch: "), result.stderr
    assert "saved" in lines[0] and "No space left" in lines[0]


@pytest.mark.skipif(not FULL.exists(), reason="needs /dev/full")
def test_a_reading_command_whose_output_fails_exits_1(diary: Path) -> None:
    result = _to_full_disk("list", db=diary)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("twitch: cannot write"), result.stderr


@pytest.mark.parametrize("zone", ["CET-1CEST,M3.5.0,M10.5.0/3", "Invalid/Zone", ":/etc/passwd"])
@pytest.mark.parametrize("args", [["log", "calf"], ["day"], ["list"], ["flags"]])
def test_unreadable_tz_falls_back_with_one_warning(diary: Path, zone: str, args: list[str]) -> None:
    result = twitch_process(*args, db=diary, env={"TZ": zone})
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("twitch: warning: ") and "TZ" in lines[0]


def _limit_memory() -> None:
    limit = 150 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_AS"), reason="needs RLIMIT_AS")
def test_flags_with_too_little_memory_is_one_line(diary: Path) -> None:
    result = twitch_process("flags", db=diary, preexec_fn=_limit_memory)
    # The limit is real: the command did not get to print its analysis.
    assert "What your diary shows" not in result.stdout
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("twitch: not enough memory to ")


@pytest.mark.skipif(not FULL.exists(), reason="needs /dev/full")
def test_an_import_whose_summary_cannot_be_printed_is_still_a_success(
    diary: Path, tmp_path: Path
) -> None:
    """The import committed: exit 1 would invite a second import (and a needless --replace)."""
    source = tmp_path / "episodes.csv"
    source.write_text(
        "id,started_at,body_site,side,intensity,duration_s,kind,symptoms,context,note\n"
        "3f2a5c1e-0000-4000-8000-000000000001,2025-03-04T22:15:00+01:00,calf,left,4,30,twitch,,,\n",
        encoding="utf-8",
    )
    before = _episodes(diary)
    result = _to_full_disk("import", str(source), db=diary)
    assert _episodes(diary) == before + 1
    assert result.returncode == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "saved" in lines[0], result.stderr


@pytest.mark.skipif(not FULL.exists(), reason="needs /dev/full")
def test_a_backup_whose_message_cannot_be_printed_is_still_a_success(
    diary: Path, tmp_path: Path
) -> None:
    target = tmp_path / "copy.sqlite3"
    result = _to_full_disk("backup", "--out", str(target), db=diary)
    assert target.is_file()
    assert result.returncode == 0, result.stderr
