"""Hostile text and extreme dates on the command line: refused in one line, never printed raw.

Terminal control characters (C0/C1 controls, bidi overrides and isolates, line breaks) can rewrite
what a terminal shows: a medicine name could hide itself or recolour the screen. One-line fields
refuse them, notes refuse all but line breaks and tabs, and everything printed is escaped, stored
values and file names included. Dates far outside a human life overflowed Python's date
arithmetic; they are refused with the allowed range in every command that reads a date.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.conftest import table_dump, twitch_in_process

#: What must never reach a terminal raw: C0 (but newline and tab), DEL, C1, bidi controls.
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
RLO, CSI, LRI, NEL = "\u202e", "\u009b", "\u2066", "\u0085"


def _one_line_error(result: subprocess.CompletedProcess[str], code: int = 2) -> str:
    assert result.returncode == code, result
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert not RAW_CONTROL.search(result.stderr), repr(result.stderr)
    return lines[0]


@pytest.fixture
def diary(tmp_path: Path) -> Path:
    db = tmp_path / "diary.sqlite3"
    assert twitch_in_process("log", "calf", db=db).returncode == 0
    return db


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["med", "add", f"evil{RLO}name"], "name"),
        (["med", "add", f"x{CSI}31m"], "name"),
        (["med", "add", "two\nlines"], "name"),
        (["med", "add", "magnesium", "--dose", "2\nmg"], "dose"),
        (["med", "add", "magnesium", "--dose", f"2 mg{LRI}"], "dose"),
        (["visit", "add", "--kind", "gp", "--outcome", "fine\nreally"], "outcome"),
        (["visit", "add", "--kind", "gp", "--outcome", f"fi{NEL}ne"], "outcome"),
        (["profile", "--name", f"Sam{LRI}Doe"], "name"),
        (["profile", "--name", "Sam\nDoe"], "name"),
        (["log", "calf", "--note", f"left{RLO}right"], "note"),
        (["day", "--note", f"x{CSI}2J"], "note"),
        (["med", "add", "magnesium", "--note", f"{RLO}"], "note"),
    ],
)
def test_control_characters_are_refused_naming_the_field(
    diary: Path, args: list[str], field: str
) -> None:
    before = table_dump(diary)
    line = _one_line_error(twitch_in_process(*args, db=diary))
    assert line.startswith(f"twitch: {field} must be ")
    assert "control characters" in line
    assert table_dump(diary) == before


def test_notes_keep_line_breaks_and_tabs(diary: Path) -> None:
    result = twitch_in_process("log", "calf", "--note", "first line\n\tsecond line", db=diary)
    assert result.returncode == 0, result.stderr
    notes = [row[10] for row in table_dump(diary)["episode"]]
    assert "first line\n\tsecond line" in notes


def _plant(db: Path) -> None:
    """Rows written before these checks existed (or by another program): hostile text stored."""
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(
            "INSERT INTO medication (id, name, drug_class, dose, started_on) "
            "VALUES ('m1', ?, 'other', ?, '2025-01-01')",
            (f"evil{RLO}eman{CSI}31m", "2\nmg"),
        )
        conn.execute(
            "INSERT INTO visit (id, date, kind, tests, outcome) "
            "VALUES ('v1', '2025-01-02', 'gp', '', ?)",
            (f"fine\x1b[2J{NEL}",),
        )
        conn.execute("INSERT INTO profile (key, value) VALUES ('name', ?)", (f"Sam{LRI}\nDoe",))
    conn.close()


@pytest.mark.parametrize(
    ("args", "escaped"),
    [
        (["med", "list"], ["\\u202e", "\\u009b", "2\\nmg"]),
        (["visit", "list"], ["\\u001b[2J\\u0085"]),
        (["profile"], ["Sam\\u2066\\nDoe"]),
    ],
)
def test_stored_control_characters_are_printed_escaped(
    diary: Path, args: list[str], escaped: list[str]
) -> None:
    _plant(diary)
    result = twitch_in_process(*args, db=diary)
    assert result.returncode == 0, result.stderr
    assert not RAW_CONTROL.search(result.stdout), repr(result.stdout)
    for text in escaped:
        assert text in result.stdout, result.stdout


def test_file_names_in_messages_are_escaped(diary: Path, tmp_path: Path) -> None:
    missing = tmp_path / f"no{CSI}such\nfile{RLO}.csv"
    line = _one_line_error(twitch_in_process("import", str(missing), db=diary))
    assert "\\u009b" in line and "\\n" in line and "\\u202e" in line
    out = tmp_path / f"export{RLO}{CSI}"
    result = twitch_in_process("export", "--out", str(out), db=diary)
    assert result.returncode == 0, result.stderr
    assert (out / "episodes.csv").exists()
    assert not RAW_CONTROL.search(result.stdout), repr(result.stdout)
    assert "\\u202e\\u009b" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["log", "calf", "--at", "-9999999999h"],
        ["log", "calf", "--at", "-99999999d"],
        ["log", "calf", "--at", "0001-01-01 00:00"],
        ["log", "calf", "--at", "9999-12-31T23:59:59+14:00"],
        ["flags", "--as-of", "0001-01-01"],
        ["report", "--to", "9999-12-31"],
        ["list", "--since", "0001-01-01"],
        ["day", "0001-01-01"],
        ["med", "add", "magnesium", "--start", "9999-12-31"],
        ["edit", "ffffffff", "--at", "0001-01-01 00:00"],
    ],
)
def test_extreme_dates_are_refused_with_the_allowed_range(
    diary: Path, tmp_path: Path, args: list[str]
) -> None:
    before = table_dump(diary)
    line = _one_line_error(twitch_in_process(*args, db=diary, cwd=tmp_path))
    assert "1900" in line and "2100" in line, line
    assert table_dump(diary) == before
    assert not list(tmp_path.glob("*.pdf"))


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["edit", "deadbeef", "--intensity", "3"], "no episode has id 'deadbeef'"),
        (["delete", "deadbeef", "--yes"], "no episode has id 'deadbeef'"),
        (["med", "stop", "magnesium"], "no ongoing course of 'magnesium'"),
        (["profile", "--birth-year", "3000"], "birth_year must be a whole number 1900–"),
        (["profile", "--name", "x\ny"], "name must be"),
    ],
)
def test_failed_commands_create_no_diary_or_folder(
    tmp_path: Path, args: list[str], fragment: str
) -> None:
    db = tmp_path / "not-yet" / "diary.sqlite3"
    line = _one_line_error(twitch_in_process(*args, db=db))
    assert fragment in line, line
    assert not db.parent.exists()
