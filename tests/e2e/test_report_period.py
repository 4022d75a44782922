"""The report's period: it starts at the diary's first entry, its size follows the data, and no
date the command accepts can overflow.

A sparse diary (9 episodes over 10 years) asked for ``--from 1900-01-01`` used to draw a bar for
every day and a table row for every week of 126 years (over two minutes, hundreds of pages).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

YEARS = (2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2025)


@pytest.fixture
def sparse(cli) -> None:  # type: ignore[no-untyped-def]
    for year in YEARS:
        result = cli("log", "calf", "--at", f"{year}-03-04 10:00")
        assert result.code == 0, result.err


def _text(pdf: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(pdf).pages]


@pytest.mark.slow
def test_a_century_asked_of_a_sparse_diary_starts_at_its_first_entry(
    cli, sparse: None, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "r.pdf"
    result = cli(
        "report", "--from", "1900-01-01", "--to", "2025-12-31", "--as-of", "2025-12-31",
        "--out", str(out),
    )  # fmt: skip
    assert result.code == 0, result.err
    label = "4 Mar 2016 – 31 Dec 2025 (from the diary's first entry)"
    assert result.out.rstrip().endswith(label)
    pages = _text(out)
    first = " ".join(pages[0].split())
    assert f"Period {label}" in first
    assert "Logged 0 of 3590 days" in first  # counted from the first entry, not from 1900
    # Appendix B: one row per week with an entry, one per run of empty weeks between them.
    appendix = " ".join(" ".join(pages).split())
    weeks = appendix.split("Appendix B")[1]
    assert weeks.count(" 0/") <= 2 * len(YEARS) + 1
    # nothing was logged in those weeks: their episode count is unknown (—), not 0
    assert "7 Mar 2016 – 26 Feb 2017 0/357 —" in weeks.replace("\xa0", " ")
    assert len(pages) <= 6


def test_a_period_inside_the_diary_is_not_clamped(cli, sparse: None, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "r.pdf"
    result = cli(
        "report", "--from", "2019-01-01", "--to", "2019-12-31", "--as-of", "2019-12-31",
        "--out", str(out),
    )  # fmt: skip
    assert result.code == 0, result.err
    assert result.out.rstrip().endswith("1 Jan 2019 – 31 Dec 2019")
    assert "first entry" not in " ".join(_text(out))


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--to", "9999-12-31", "--as-of", "9999-12-31"], "as_of"),
        (["--to", "9999-12-31"], "to"),
        (["--from", "0001-01-01"], "from"),
        (["--as-of", "0001-01-01"], "as_of"),
        (["--to", "0001-01-05", "--as-of", "2025-01-01"], "to"),
    ],
)
def test_dates_far_out_are_one_line_not_an_overflow(
    cli, args: list[str], field: str, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "r.pdf"
    result = cli("report", *args, "--out", str(out))
    assert result.code == 2, result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"twitch: {field} must be"), result.err
    assert not out.exists()
