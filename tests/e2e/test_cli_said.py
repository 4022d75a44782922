"""Only what the person said is recorded, in their words (issue 10, items 1, 3, 4 and 15).

The ``twitch`` command on real files: what is not given is stored as unknown (NULL) and shown
as "—"; dates and amounts are read as people type them, implausible bare numbers are questioned,
and mistakes are explained in the words that were typed.
"""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import table_dump, twitch_in_process


def _ok(*args: str, db: Path) -> str:
    result = twitch_in_process(*args, db=db)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _refused(*args: str, db: Path) -> str:
    """A one-line mistake, exit 2, nothing written (not even a diary file)."""
    before = table_dump(db) if db.exists() else None
    result = twitch_in_process(*args, db=db)
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert (table_dump(db) if db.exists() else None) == before
    return lines[0]


def _episode(db: Path, ident: str) -> sqlite3.Row:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(
            "SELECT *, datetime(started_at_utc, printf('%+d minutes', utc_offset_min)) AS local"
            " FROM episode WHERE id LIKE ?",
            (ident + "%",),
        ).fetchone()
    finally:
        conn.close()


def _ident(confirmation: str) -> str:
    return confirmation.strip().rsplit("id ", 1)[1]


# --- item 1: unknown is not a default --------------------------------------------------------------


def test_log_without_intensity_duration_or_side_stores_unknown(tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite3"
    out = _ok("log", "calf", db=db)
    assert out.startswith("Logged twitch · calf · intensity — · duration — · "), out
    row = _episode(db, _ident(out))
    assert (row["side"], row["intensity"], row["duration_s"]) == (None, None, None)

    listing = _ok("list", db=db)
    line = next(ln for ln in listing.splitlines() if "calf" in ln)
    assert line.split()[3:7] == ["—", "twitch", "—", "—"], line  # side, kind, int, duration


def test_what_was_typed_is_kept_even_zero_seconds(tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite3"
    out = _ok("log", "calf", "-i", "3", "-d", "0", "-s", "left", db=db)
    row = _episode(db, _ident(out))
    assert (row["side"], row["intensity"], row["duration_s"]) == ("left", 3, 0)


def test_edit_can_make_a_value_unknown_again(tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite3"
    ident = _ident(_ok("log", "calf", "-i", "5", "-d", "30s", db=db))
    out = _ok("edit", ident, "--intensity", "", "--duration", "", db=db)
    assert "intensity — · duration —" in out
    row = _episode(db, ident)
    assert (row["intensity"], row["duration_s"]) == (None, None)


def test_export_writes_unknown_as_an_empty_cell_and_import_reads_it_back(tmp_path: Path) -> None:
    db, again = tmp_path / "d.sqlite3", tmp_path / "again.sqlite3"
    ident = _ident(_ok("log", "calf", db=db))
    _ok("export", "--out", str(tmp_path / "out"), db=db)
    with (tmp_path / "out" / "episodes.csv").open(newline="", encoding="utf-8") as handle:
        (row,) = list(csv.DictReader(handle))
    assert (row["side"], row["intensity"], row["duration_s"]) == ("", "", "")
    _ok("import", str(tmp_path / "out"), db=again)
    stored = _episode(again, ident)
    assert (stored["intensity"], stored["duration_s"]) == (None, None)


# --- item 3: dates and times as people type them ---------------------------------------------------


def test_a_date_without_a_time_is_noon_of_that_day_and_says_so(tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite3"
    out = _ok("log", "calf", "--at", "2025-11-10", db=db)
    assert "Mon 10 Nov 2025 12:00 (+01:00) (no time given: 12:00)" in out, out
    assert _episode(db, _ident(out))["local"] == "2025-11-10 12:00:00"


@pytest.mark.parametrize(
    ("typed", "local"),
    [
        ("10 Nov 2025 20:00", "2025-11-10 20:00:00"),
        ("Nov 10 2025 8pm", "2025-11-10 20:00:00"),
        ("2025-11-10 20:00", "2025-11-10 20:00:00"),
    ],
)
def test_day_and_month_names(tmp_path: Path, typed: str, local: str) -> None:
    db = tmp_path / "d.sqlite3"
    out = _ok("log", "calf", "--at", typed, db=db)
    assert "no time given" not in out
    assert _episode(db, _ident(out))["local"] == local


@pytest.mark.parametrize("typed", ["-3w", "3 weeks ago", "2 days ago 14:00", "yesterday"])
def test_relative_days(tmp_path: Path, typed: str) -> None:
    db = tmp_path / "d.sqlite3"
    out = _ok("log", "calf", "--at", typed, db=db)
    assert out.startswith("Logged twitch · calf"), out


# --- item 4: implausible amounts ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "typed", "question"),
    [
        ("--water", "2", "water '2' would be 2 ml: did you mean 2 l? Type 2l, or 2ml"),
        ("--caffeine", "3", "caffeine '3' would be 3 mg: did you mean 3 cups? Type 3cups"),
        ("--exercise", "1", "exercise '1' would be 1 min: did you mean 1 h? Type 1h"),
    ],
)
def test_implausible_bare_amounts_are_questioned(
    tmp_path: Path, option: str, typed: str, question: str
) -> None:
    db = tmp_path / "d.sqlite3"
    _ok("day", "--sleep", "7h", db=db)  # the diary exists: the refusal must leave it as it was
    assert _refused("day", option, typed, db=db).startswith(f"twitch: {question}")


def test_amounts_with_their_unit_are_taken_as_typed(tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite3"
    out = _ok("day", "2025-03-04", "--water", "2ml", "--caffeine", "3mg", "--exercise", "1m", db=db)
    assert "water 0.002 l · caffeine 3 mg · exercise 1 min" in out
    assert table_dump(db)["day"][0][1:5] == (2, 3, None, 1)


@pytest.mark.parametrize("unit", ["litres", "liters", "L", "l"])
def test_water_in_litres_as_a_separate_word(tmp_path: Path, unit: str) -> None:
    db = tmp_path / "d.sqlite3"
    out = _ok("day", "2025-03-04", "--water", "2", unit, db=db)
    assert "water 2 l" in out
    assert table_dump(db)["day"][0][:2] == ("2025-03-04", 2000)


def test_an_amount_option_given_only_the_end_of_options_is_refused_in_one_line(
    tmp_path: Path,
) -> None:
    db = tmp_path / "d.sqlite3"
    result = twitch_in_process("day", "--water=--", db=db)
    assert result.returncode == 2
    assert "--water: expected an amount" in result.stderr
    assert "Traceback" not in result.stderr and not db.exists()


def test_a_unit_word_before_the_date_still_reads_the_date(tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite3"
    _ok("day", "--water", "2", "litres", "2025-03-04", "--sleep", "7", "hours", db=db)
    assert table_dump(db)["day"][0][:2] == ("2025-03-04", 2000)
    assert table_dump(db)["day"][0][6] == 7.0


# --- item 15: messages in the person's words ------------------------------------------------------


def test_side_before_site_explains_the_order(tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite3"
    line = _refused("log", "left", "calf", db=db)
    assert line.startswith("twitch: the site comes first, then the side as an option:")
    assert "twitch log calf --side left" in line
    assert not db.exists()


def test_a_site_of_two_words_needs_no_quotes(tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite3"
    assert "upper arm" in _ok("log", "upper", "arm", db=db)
    assert table_dump(db)["episode"][0][3] == "upper_arm"


def test_an_unknown_site_offers_the_closest_not_all_25(tmp_path: Path) -> None:
    line = _refused("log", "calff", db=tmp_path / "d.sqlite3")
    assert "site 'calff' is not a body site" in line and "did you mean calf?" in line
    assert "body_site" not in line and line.count(",") < 5


def test_errors_name_the_option_typed(tmp_path: Path) -> None:
    line = _refused("log", "calf", "--at", "2099-01-01 10:00", db=tmp_path / "d.sqlite3")
    assert line.startswith("twitch: --at must be a time that is not in the future")
    assert "started_at" not in line


def test_symptoms_are_shown_in_words_never_as_ids(tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite3"
    out = _ok("log", "calf", "--symptom", "redness", "--symptom", "muscle loss", db=db)
    assert "redness or warmth" in out and "loss of muscle size" in out
    assert "redness_warmth" not in out and "muscle_loss" not in out
    assert "redness or warmth" in _ok("list", db=db)
    # the words shown can be typed back
    _ok("log", "calf", "--symptom", "redness or warmth", db=db)


def test_log_help_lists_every_site_in_words() -> None:
    result = twitch_in_process("log", "--help")
    assert "upper arm" in result.stdout and "redness or warmth" in result.stdout
    assert "upper_arm" not in result.stdout
