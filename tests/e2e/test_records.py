"""``twitch med edit|delete``, ``visit edit|delete``, upcoming visits and the profile's onset,
against real diary files: in this process, and at a real terminal for the delete prompts."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.conftest import TEST_TZ, table_dump, twitch_in_process

ROOT = Path(__file__).resolve().parents[2]


def ok(*args: str, db: Path) -> str:
    """Run a command that must succeed; its standard output."""
    result = twitch_in_process(*args, db=db)
    assert result.returncode == 0, result.stderr
    return result.stdout


def refused(*args: str, db: Path, code: int = 2) -> str:
    """Run a command that must fail with one line on stderr and change nothing; that line."""
    before = table_dump(db) if db.exists() else None
    result = twitch_in_process(*args, db=db)
    assert result.returncode == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("twitch: "), result.stderr
    assert (table_dump(db) if db.exists() else None) == before
    return lines[0]


def rows(db: Path, table: str) -> list[tuple[object, ...]]:
    return table_dump(db)[table]


@pytest.fixture
def diary(tmp_path: Path) -> Path:
    """A diary with one ongoing and one finished course and one past visit."""
    db = tmp_path / "diary.sqlite3"
    ok("med", "add", "magnesium", "--class", "supplement", "--dose", "300 mg",
       "--start", "2025-02-01", db=db)  # fmt: skip
    ok("med", "add", "bendroflumethiazide", "--class", "diuretic", "--start", "2025-01-01",
       "--stop", "2025-01-20", db=db)  # fmt: skip
    ok("visit", "add", "2025-03-05", "--kind", "gp", "--test", "electrolytes", db=db)
    return db


def _id(db: Path, table: str, column: str, value: str) -> str:
    names = [row[0] for row in rows(db, table) if value in row]
    assert len(names) == 1, (table, column, value)
    return str(names[0])


# --- medications ----------------------------------------------------------------------------------


def test_med_edit_by_name_changes_only_the_given_fields(diary: Path) -> None:
    before = {row[0]: row for row in rows(diary, "medication")}
    out = ok("med", "edit", "MAGNESIUM", "--dose", "400 mg", "--note", "with food", db=diary)
    assert out.startswith("Changed magnesium (supplement, 400 mg) from Sat 01 Feb 2025, ongoing")
    after = {row[0]: row for row in rows(diary, "medication")}
    ident = _id(diary, "medication", "name", "magnesium")
    assert after[ident][1:] == (
        "magnesium",
        "supplement",
        "400 mg",
        "2025-02-01",
        None,
        "with food",
    )
    assert {k: v for k, v in after.items() if k != ident} == {
        k: v for k, v in before.items() if k != ident
    }
    ok("med", "edit", ident[:8], "--dose", "", "--stop", "2025-03-01", db=diary)
    assert {row[0]: row for row in rows(diary, "medication")}[ident][3:6] == (
        None,
        "2025-02-01",
        "2025-03-01",
    )


def test_med_edit_stop_cleared_makes_it_ongoing_unless_already_taken(diary: Path) -> None:
    ok("med", "edit", "bendroflumethiazide", "--stop", "", db=diary)
    assert ("bendroflumethiazide", None) in [(r[1], r[5]) for r in rows(diary, "medication")]
    ok("med", "add", "magnesium", "--start", "2024-01-01", "--stop", "2024-02-01", db=diary)
    line = refused("med", "edit", "magnesium", "--dose", "1 g", db=diary)
    assert "2 courses of 'magnesium'" in line and "give the id" in line
    old = next(r[0] for r in rows(diary, "medication") if r[4] == "2024-01-01")
    line = refused("med", "edit", str(old)[:8], "--stop", "", db=diary)
    assert "magnesium is already being taken" in line


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["magnesium", "--start", "2025-04-01", "--stop", "2025-03-01"], "on or after the start"),
        (["magnesium", "--class", "vitamin"], "class must be"),
        (["magnesium", "--start", ""], "start must be a date"),
        (["magnesium", "--dose", "2\x1b[31m mg"], "dose"),
        (["magnesium"], "nothing to change"),
        (["aspirin", "--dose", "1 g"], "no medication has the name or id 'aspirin'"),
    ],
)
def test_med_edit_mistakes_are_one_line_and_write_nothing(
    diary: Path, args: list[str], says: str
) -> None:
    assert says in refused("med", "edit", *args, db=diary)


def test_med_delete_refuses_without_a_terminal_and_deletes_with_yes(diary: Path) -> None:
    line = refused("med", "delete", "magnesium", db=diary)
    assert line == "twitch: not deleted (confirm at the prompt, or pass --yes)"
    out = ok("med", "delete", "magnesium", "--yes", db=diary)
    assert out.startswith("Deleted magnesium (supplement, 300 mg) from Sat 01 Feb 2025, ongoing")
    assert [r[1] for r in rows(diary, "medication")] == ["bendroflumethiazide"]


def _on_a_terminal(db: Path, answer: bytes, *args: str) -> tuple[int, str]:
    """Run ``twitch ARGS`` with a terminal as its stdin and type ``answer`` at the prompt."""
    import pty

    primary, secondary = pty.openpty()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "diary", "--db", str(db), *args],
            stdin=secondary,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "TZ": TEST_TZ, "PYTHONPATH": str(ROOT)},
        )
        os.close(secondary)
        secondary = -1
        os.write(primary, answer)  # the terminal holds the line until the prompt reads it
        out, err = proc.communicate(timeout=120)
    finally:
        os.close(primary)
        if secondary != -1:
            os.close(secondary)
    return proc.returncode, out.decode() + err.decode()


@pytest.mark.parametrize(("answer", "code"), [(b"y\n", 0), (b"\n", 2)], ids=["yes", "default-no"])
def test_delete_asks_on_a_terminal(diary: Path, answer: bytes, code: int) -> None:
    ident = _id(diary, "visit", "kind", "gp")
    returncode, output = _on_a_terminal(diary, answer, "visit", "delete", ident[:8])
    assert "Delete gp visit on Wed 05 Mar 2025 — tests: electrolytes? [y/N]" in output, output
    assert returncode == code, output
    assert len(rows(diary, "visit")) == (0 if code == 0 else 1)
    returncode, output = _on_a_terminal(diary, answer, "med", "delete", "bendroflumethiazide")
    assert "Delete bendroflumethiazide (diuretic) from Wed 01 Jan 2025" in output, output
    assert len(rows(diary, "medication")) == (1 if code == 0 else 2)


# --- visits ---------------------------------------------------------------------------------------


def test_visit_edit_by_id_prefix_and_delete(diary: Path) -> None:
    ident = _id(diary, "visit", "kind", "gp")
    out = ok("visit", "edit", ident[:8], "--outcome", "normal", "--test", "ck", "--test",
             "blood_test", db=diary)  # fmt: skip
    assert out.startswith("Changed gp visit on Wed 05 Mar 2025 — tests: blood test, ck")
    (row,) = rows(diary, "visit")
    assert row[1:] == ("2025-03-05", "gp", "blood_test;ck", "normal", None)
    ok("visit", "edit", ident[:8], "--no-tests", "--kind", "neurologist", db=diary)
    assert rows(diary, "visit")[0][2:4] == ("neurologist", "")
    assert "no visit has id 'ffffffff'" in refused("visit", "delete", "ffffffff", "--yes", db=diary)
    assert "at least 4 characters" in refused("visit", "edit", "ab", "--note", "x", db=diary)
    assert "kind must be" in refused("visit", "edit", ident[:8], "--kind", "dentist", db=diary)
    ok("visit", "delete", ident[:8], "--yes", db=diary)
    assert rows(diary, "visit") == []


def test_a_visit_in_the_future_is_upcoming(diary: Path) -> None:
    ahead = date.today() + timedelta(days=10)
    out = ok("visit", "add", ahead.isoformat(), "--kind", "neurologist", db=diary)
    assert "(upcoming)" in out
    listing = ok("visit", "list", db=diary).splitlines()
    assert any(line.startswith(f"{ahead.isoformat()} (upcoming)") for line in listing), listing
    assert any(line.startswith("2025-03-05 ") and "upcoming" not in line for line in listing)


def test_edit_and_delete_on_a_missing_diary_create_nothing(tmp_path: Path) -> None:
    db = tmp_path / "none" / "diary.sqlite3"
    for args in (
        ["med", "edit", "magnesium", "--dose", "1 g"],
        ["med", "delete", "magnesium", "--yes"],
        ["visit", "edit", "3f2a5c1e", "--outcome", "fine"],
        ["visit", "delete", "3f2a5c1e", "--yes"],
    ):
        assert "there is no diary at" in refused(*args, db=db)
    assert not db.parent.exists()


# --- the profile's onset --------------------------------------------------------------------------


def test_profile_onset_month_or_day_is_stored_as_a_date(diary: Path) -> None:
    out = ok("profile", "--onset", "2024-10", db=diary)
    assert "Twitching since:  around Tue 01 Oct 2024" in out
    assert ("onset", "2024-10-01") in rows(diary, "profile")
    ok("profile", "--onset", "2024-10-15", db=diary)
    assert ("onset", "2024-10-15") in rows(diary, "profile")
    ok("profile", "--onset", "yesterday", db=diary)
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    assert ("onset", yesterday) in rows(diary, "profile")
    ok("profile", "--onset", "", db=diary)
    assert "onset" not in dict(rows(diary, "profile"))


@pytest.mark.parametrize("value", ["2099-01", "2024-13", "Oct 2024", "1899-12-31"])
def test_profile_onset_mistakes_are_refused(diary: Path, value: str) -> None:
    ok("profile", "--onset", "2024-10", db=diary)
    line = refused("profile", "--onset", value, db=diary)
    assert line.startswith("twitch: onset must be "), line


def test_profile_onset_round_trips_through_the_csv_export(diary: Path, tmp_path: Path) -> None:
    ok("profile", "--name", "Sam Doe", "--onset", "2024-10", db=diary)
    ok("export", "--out", str(tmp_path / "out"), db=diary)
    assert "onset,2024-10-01" in (tmp_path / "out" / "profile.csv").read_text()
    other = tmp_path / "other.sqlite3"
    ok("import", str(tmp_path / "out"), db=other)
    assert rows(other, "profile") == rows(diary, "profile")
    ok("import", str(tmp_path / "out"), db=other)  # again: nothing changes
    assert rows(other, "profile") == rows(diary, "profile")


def test_a_diary_from_revision_0001_takes_an_onset(diary_0001: Path) -> None:
    db = diary_0001
    out = ok("profile", "--onset", "2025-02", db=db)
    assert "Name:             Fixture Person" in out
    assert rows(db, "profile") == [
        ("birth_year", "1988"),
        ("family_history", "ms"),
        ("name", "Fixture Person"),
        ("onset", "2025-02-01"),
    ]
