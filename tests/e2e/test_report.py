"""``twitch report`` as a person uses it: a PDF that opens, says what ``flags`` says, and keeps private."""

from __future__ import annotations

import json
import stat
import struct
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from diary import wording
from tests.conftest import twitch_in_process
from tests.e2e.conftest import MadeReport


def _text(pdf: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(pdf).pages)


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_report_holds_the_flags_and_the_episode_rows(s3_report: MadeReport) -> None:
    out, result = s3_report.pdf, s3_report.said
    assert result.stdout.startswith(f"Wrote {out} (") and " pages)" in result.stdout
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    reader = PdfReader(out)
    text = _text(out)
    flags = json.loads(
        twitch_in_process("flags", "--as-of", s3_report.as_of, "--json", db=s3_report.db).stdout
    )["flags"]
    squashed = " ".join(text.split())
    for flag in flags:
        assert " ".join(flag["title"].split()) in squashed, flag["title"]
    assert "Twitch diary summary" in text
    assert "not a diagnosis" in text
    assert "Appendix A" in text and "Appendix B" in text
    assert "11 May 2025" in text  # an appendix row of the period's last day (one date style)
    assert len(reader.pages) >= 4
    # metadata: a title, nothing personal
    meta = reader.metadata or {}
    assert meta.get("/Title") == "Twitch diary summary"
    values = " ".join(str(v) for v in meta.values())
    assert "/tmp" not in values and str(out.parent) not in values and "/Author" not in meta


def test_summary_fits_one_page_or_continues_with_a_header(s3_report: MadeReport) -> None:
    pages = [p.extract_text() or "" for p in PdfReader(s3_report.pdf).pages]
    assert "Twitch diary summary" in pages[0]
    if "Medications" not in pages[0]:  # S3 has many flags: the summary must continue, not overflow
        assert pages[1].startswith("Twitch diary summary (continued)")


def test_png_export_sizes_and_modes(s3_report: MadeReport, tmp_path: Path) -> None:
    folder = tmp_path / "pngs"
    result = twitch_in_process(
        "report", "--as-of", s3_report.as_of, "--png", str(folder), "--no-pdf",
        db=s3_report.db, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in folder.iterdir())
    # S3's factors all lack data: a chart of "not enough data" only is left out (no empty page).
    assert s3_report.expected["associations_must"] == []
    assert names == [
        "intensity.png",
        "sites.png",
        "summary.png",
        "timeline.png",
        "when.png",
    ]
    width, height = _png_size(folder / "summary.png")
    assert width == pytest.approx(210 / 25.4 * 150, abs=3) and height == pytest.approx(
        297 / 25.4 * 150, abs=3
    )
    chart_width, _ = _png_size(folder / "timeline.png")
    assert chart_width == pytest.approx(17 / 2.54 * 150, abs=3)
    for png in folder.iterdir():
        assert stat.S_IMODE(png.stat().st_mode) == 0o600
    assert not list(tmp_path.glob("*.pdf"))


def test_letter_paper(s3_report: MadeReport, tmp_path: Path) -> None:
    out = tmp_path / "letter.pdf"
    made = twitch_in_process(
        "report", "--as-of", s3_report.as_of, "--out", str(out), "--paper", "Letter",
        db=s3_report.db,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    box = PdfReader(out).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_empty_diary_gives_a_plain_valid_report(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "empty.pdf"
    result = cli("report", "--out", str(out))
    assert result.code == 0, result.err
    text = _text(out)
    assert "Nothing was logged in this period" in text
    assert "No episodes in this period" in text


def test_default_name_is_in_the_current_folder(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    assert cli("report", "--as-of", "2025-05-11").code == 0
    assert (tmp_path / "twitch-report-2025-05-11.pdf").exists()


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (
            ["--from", "2025-05-01", "--to", "2025-04-01", "--as-of", "2025-05-11"],
            "from must be on or before to",
        ),
        (["--to", "2025-06-01", "--as-of", "2025-05-11"], "to must be on or before as_of"),
        (["--paper", "a3"], "paper must be a4 or letter"),
        (["--out", "report.txt"], "out must be a file name ending in .pdf"),
        (["--no-pdf"], "--no-pdf needs --png"),
        (["--from", "last month"], "from must be a date"),
    ],
)
def test_bad_report_options(cli, args: list[str], fragment: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("report", *args)
    assert result.code == 2 and fragment in result.err
    assert result.err.strip().count("\n") == 0


@pytest.mark.slow
def test_ten_year_diary_gives_a_valid_report(cli, db_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A long, dense diary: the report still builds (the period keeps the appendix bounded)."""
    import sqlite3
    import uuid

    cli("day")  # create and migrate
    last = date(2025, 12, 31)
    first = last - timedelta(days=3649)
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("DELETE FROM day")
        conn.executemany(
            "INSERT INTO day (date, water_ml, caffeine_mg, sleep_h, stress, symptoms) VALUES (?, 1800, 200, 7.5, 4, '')",
            [((first + timedelta(days=i)).isoformat(),) for i in range(3650)],
        )
        conn.executemany(
            "INSERT INTO episode VALUES (?, ?, 60, 'calf', 'left', 3, 5, 'twitch', '', '', NULL, ?)",
            [
                (
                    str(uuid.uuid4()),
                    f"{(first + timedelta(days=i)).isoformat()} {8 + k}:00:00.000000",
                    "2026-01-01 00:00:00.000000",
                )
                for i in range(3650)
                for k in range(3)
            ],
        )
    conn.close()
    out = tmp_path / "long.pdf"
    result = cli("report", "--as-of", last.isoformat(), "--out", str(out))
    assert result.code == 0, result.err
    assert len(PdfReader(out).pages) >= 5


def test_long_symptom_lists_wrap_in_the_appendix(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    symptoms = [
        "weakness",
        "numbness",
        "tingling",
        "pain",
        "muscle_loss",
        "difficulty_walking",
        "coordination_change",
        "hand_clumsiness",
    ]
    args = ["log", "calf", "--at", "-1h"]
    for s in symptoms:
        args += ["--symptom", s]
    assert cli(*args).code == 0
    out = tmp_path / "wrap.pdf"
    assert cli("report", "--out", str(out)).code == 0
    text = " ".join(_text(out).split())
    for s in symptoms:
        assert wording.word(s) in text
