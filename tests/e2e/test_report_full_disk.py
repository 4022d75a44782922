"""A full disk while ``twitch report`` writes: one line, exit 1, and no file of the report left.

The disk is made "full" for the child process alone with RLIMIT_FSIZE (SIGXFSZ ignored, so a write
past the limit fails with EFBIG as a full disk fails with ENOSPC). The limit is chosen from a report
that succeeded: above every chart PNG, below the PDF (and the summary PNG, the largest file), so
before the fix the five chart PNGs were written and then the PDF failed with a traceback. It stays
above 32 KiB, the size of SQLite's shared-memory file, so the diary can still be opened.
"""

from __future__ import annotations

import json
import resource
import signal
from pathlib import Path

import pytest

from tests.conftest import SCENARIOS, twitch_in_process, twitch_process

pytestmark = pytest.mark.slow


def _limit_file_size(limit: int):  # type: ignore[no-untyped-def]
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.fixture
def diary(tmp_path: Path) -> tuple[Path, str]:
    db = tmp_path / "diary" / "diary.sqlite3"
    imported = twitch_in_process("import", str(SCENARIOS / "S3"), db=db)
    assert imported.returncode == 0, imported.stderr
    as_of = json.loads((SCENARIOS / "S3" / "expected.json").read_text())["as_of"]
    return db, as_of


def test_full_disk_leaves_no_part_of_the_report(diary: tuple[Path, str], tmp_path: Path) -> None:
    db, as_of = diary
    good = tmp_path / "good"
    made = twitch_in_process(
        "report", "--as-of", as_of, "--out", str(good / "r.pdf"), "--png", str(good / "png"), db=db
    )
    assert made.returncode == 0, made.stderr
    charts = [p.stat().st_size for p in (good / "png").glob("*.png") if p.stem != "summary"]
    sizes = [(good / "r.pdf").stat().st_size, (good / "png" / "summary.png").stat().st_size]
    # four charts: S3's factor chart would show "not enough data" only, and is left out
    assert len(charts) == 4 and max(charts) < min(sizes), (charts, sizes)
    limit = (max(charts) + min(sizes)) // 2  # every chart PNG fits; the PDF and summary do not
    assert limit > 32 * 1024

    target = tmp_path / "full"  # does not exist: the run creates it, and must remove it again
    result = twitch_process(
        "report",
        "--as-of",
        as_of,
        "--out",
        str(target / "r.pdf"),
        "--png",
        str(target / "png"),
        db=db,
        preexec_fn=_limit_file_size(limit),
    )
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "File too large" in result.stderr  # the precondition: the limit was hit
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("twitch: "), result.stderr
    assert "not written" in lines[0]
    assert not target.exists(), sorted(str(p) for p in target.rglob("*"))
    assert result.stdout == ""  # no "Wrote ..." for files that are not there


def test_full_disk_in_an_existing_folder_keeps_only_what_was_there(
    diary: tuple[Path, str], tmp_path: Path
) -> None:
    db, as_of = diary
    folder = tmp_path / "pngs"
    folder.mkdir()
    (folder / "mine.txt").write_text("not the report's")
    result = twitch_process(
        "report",
        "--as-of",
        as_of,
        "--png",
        str(folder),
        "--no-pdf",
        db=db,
        preexec_fn=_limit_file_size(40_000),  # the summary page and most charts are larger
    )
    assert result.returncode == 1 and "File too large" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["mine.txt"]
