"""Reports never overwrite (issue 10, item 22): an existing file keeps its name and the new report
gets ``-2``, ``-3``; only ``--out FILE --force`` (or ``--png DIR --force``) replaces.

Run on real files, as a person would run it twice on the same day.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import twitch_in_process

AS_OF = "2026-03-14"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "diary.sqlite3"
    made = twitch_in_process("log", "calf", "--at", "2026-03-10 10:00", db=path)
    assert made.returncode == 0, made.stderr
    return path


def _report(db: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return twitch_in_process("report", "--as-of", AS_OF, *args, db=db, cwd=cwd)


def test_an_existing_report_is_kept_and_the_new_one_numbered(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "for-dr-smith.pdf"
    out.write_bytes(b"the report I printed yesterday")
    first = _report(db, "--out", str(out))
    assert first.returncode == 0, first.stderr
    assert out.read_bytes() == b"the report I printed yesterday"
    second = tmp_path / "for-dr-smith-2.pdf"
    assert first.stdout.startswith(f"Wrote {second} (")
    assert f"({out} already exists and was kept; --force replaces it)" in first.stdout
    assert second.read_bytes().startswith(b"%PDF")

    again = _report(db, "--out", str(out))
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "for-dr-smith-3.pdf").is_file()
    assert second.read_bytes().startswith(b"%PDF") and out.read_bytes().startswith(b"the report")


def test_force_replaces_the_file_out_names(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    out.write_bytes(b"old")
    result = _report(db, "--out", str(out), "--force")
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".pdf") == ["r.pdf"]


def test_the_default_name_is_numbered_too(db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "here"
    folder.mkdir()
    for _ in range(2):
        assert _report(db, cwd=folder).returncode == 0
    assert sorted(p.name for p in folder.iterdir()) == [
        f"twitch-report-{AS_OF}-2.pdf",
        f"twitch-report-{AS_OF}.pdf",
    ]


def test_force_without_a_name_is_refused(db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "here"
    folder.mkdir()
    result = _report(db, "--force", cwd=folder)
    assert result.returncode == 2
    assert result.stderr.startswith("twitch: --force needs --out FILE")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert list(folder.iterdir()) == []


def test_a_png_folder_with_a_report_in_it_is_kept(db: Path, tmp_path: Path) -> None:
    pngs = tmp_path / "pngs"
    assert _report(db, "--png", str(pngs), "--no-pdf").returncode == 0
    before = {p.name: p.read_bytes() for p in pngs.iterdir()}
    assert "summary.png" in before
    again = _report(db, "--png", str(pngs), "--no-pdf")
    assert again.returncode == 0, again.stderr
    assert f"Wrote {tmp_path / 'pngs-2' / 'summary.png'}" in again.stdout
    assert {p.name: p.read_bytes() for p in pngs.iterdir()} == before
    empty = tmp_path / "made-for-it"
    empty.mkdir()  # an empty folder made for the PNGs is used as it is
    assert _report(db, "--png", str(empty), "--no-pdf").returncode == 0
    assert (empty / "summary.png").is_file()


def test_free_name() -> None:
    from diary.report.build import free_name

    assert free_name(Path("/nonexistent/r.pdf")) == Path("/nonexistent/r.pdf")


def test_free_name_counts_up(tmp_path: Path) -> None:
    from diary.report.build import PNG_NAMES, free_name

    (tmp_path / "r.pdf").write_bytes(b"")
    (tmp_path / "r-2.pdf").write_bytes(b"")
    (tmp_path / "dangling.pdf").symlink_to(tmp_path / "nowhere")
    assert free_name(tmp_path / "r.pdf") == tmp_path / "r-3.pdf"
    assert free_name(tmp_path / "dangling.pdf") == tmp_path / "dangling-2.pdf"
    (tmp_path / "png").mkdir()
    assert free_name(tmp_path / "png", inside=PNG_NAMES) == tmp_path / "png"
    (tmp_path / "png" / "timeline.png").write_bytes(b"")
    assert free_name(tmp_path / "png", inside=PNG_NAMES) == tmp_path / "png-2"


def test_a_file_that_appears_meanwhile_is_not_overwritten(tmp_path: Path) -> None:
    """Between choosing a free name and writing, another program made that file: it is kept,
    and nothing of this report is left behind."""
    from diary.report.build import ReportNotWritten, write_together

    target = tmp_path / "r.pdf"
    target.write_bytes(b"someone else's")
    other = tmp_path / "png" / "summary.png"
    with pytest.raises(ReportNotWritten, match="appeared meanwhile"):
        write_together([(other, b"png"), (target, b"%PDF")], replace=False)
    assert target.read_bytes() == b"someone else's"
    assert sorted(os.listdir(tmp_path)) == ["r.pdf"]  # the PNG and its new folder are gone
