"""The ``twitch`` command as a person uses it: real files, wrong input, and real processes where
the process itself is the point (what it imports, the umask it starts with, no terminal, two at
once) and for one run of ``edit``, ``list`` and ``delete`` through the entry point."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import table_dump, twitch_in_process, twitch_process

HEAVY = (
    "sqlalchemy",
    "sqlmodel",
    "alembic",
    "pydantic",
    "pandas",
    "matplotlib",
    "textual",
    "statsmodels",
    # Not heavy, but each a tenth of ``twitch log``'s time, which must stay under half of jrnl's:
    # dataclasses (with the inspect it loads) and json are loaded only where they are used.
    "dataclasses",
    "json",
)


def _assert_one_line_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.fixture
def diary(tmp_path: Path) -> Path:
    """A diary holding one episode and one day."""
    db = tmp_path / "diary.sqlite3"
    assert twitch_in_process("log", "calf", "--side", "left", db=db).returncode == 0
    assert twitch_in_process("day", "--water", "1.5l", db=db).returncode == 0
    return db


def test_log_confirms_in_one_line(tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite3"
    result = twitch_in_process(
        "log",
        "calves",
        "-s",
        "L",
        "-i",
        "4",
        "-d",
        "30s",
        "--at",
        "-1h",
        "--symptom",
        "tingly",
        db=db,
    )
    assert result.returncode == 0, result.stderr
    line = result.stdout.strip()
    assert line.startswith("Logged twitch · calf (left) · intensity 4 · 30 s · ")
    assert "tingling" in line and "— id " in line
    assert table_dump(db)["episode"][0][3] == "calf"


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["log", "elbow"], ["site 'elbow' is not a body site", "for example calf"]),
        (["log", "calf", "--intensity", "14"], ["intensity must be a whole number 1–10, got '14'"]),
        (["log", "calf", "--duration=-5s"], ["duration must be", "got '-5s'"]),
        (["log", "calf", "--at", "half past ten"], ["--at must be", "got 'half past ten'"]),
        (
            ["log", "calf", "--at", "2099-01-01 10:00"],
            ["--at must be a time that is not in the future"],
        ),
        (["log", "calf", "--at", "2025-03-30 02:30"], ["clocks skip that hour"]),
        (
            ["log", "calf", "--kind", "itch"],
            ["kind must be one of twitch, cramp, spasm, jerk, got 'itch'"],
        ),
        (["log", "calf", "--symptom", "itchy"], ["symptom 'itchy' is not a symptom"]),
        (["log"], ["the following arguments are required: SITE"]),
        (["log", "calf", "--bogus"], ["unrecognized arguments: --bogus"]),
        (["day", "--stress", "11"], ["stress must be a whole number 0–10, got '11'"]),
        (["day", "--water", "lots"], ["water must be an amount like 1.5l"]),
        (["day", "2099-01-01"], ["date must be a date that is not in the future"]),
        (
            ["med", "add", "x", "--start", "2025-03-02", "--stop", "2025-03-01"],
            [
                "stopped_on must be on or after the start of the course (2025-03-02), got '2025-03-01'"
            ],
        ),
        (["med", "add", "x", "--class", "painkiller"], ["drug_class must be one of"]),
        (["med", "stop", "nothing"], ["no ongoing course of 'nothing'"]),
        (["visit", "add", "--kind", "dentist"], ["kind must be one of gp, neurologist"]),
        (["profile", "--birth-year", "1850"], ["birth_year must be a whole number 1900–"]),
        (["edit", "ffffffff", "--intensity", "5"], ["no episode has id 'ffffffff'"]),
        (["delete", "ffffffff", "--yes"], ["no episode has id 'ffffffff'"]),
        (["list", "--since", "last week"], ["--since must be a date like 2025-03-04"]),
        (["import", "/nonexistent/folder"], ["no such file or folder"]),
    ],
)
def test_bad_input_is_one_line_exit_2_and_changes_nothing(
    diary: Path, args: list[str], fragments: list[str]
) -> None:
    before = table_dump(diary)
    _assert_one_line_error(twitch_in_process(*args, db=diary), *fragments)
    assert table_dump(diary) == before


def test_bad_input_never_creates_a_database(tmp_path: Path) -> None:
    db = tmp_path / "never.sqlite3"
    _assert_one_line_error(twitch_in_process("log", "elbow", db=db), "site 'elbow'")
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    result = twitch_in_process("import", str(bad), db=db)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert not db.exists()


def test_database_path_that_is_a_folder(tmp_path: Path) -> None:
    _assert_one_line_error(
        twitch_in_process("log", "calf", db=tmp_path), "database path is a folder"
    )


def test_database_path_that_cannot_be_written(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    _assert_one_line_error(
        twitch_in_process("log", "calf", db=blocker / "diary.sqlite3"), "is a file, not a folder"
    )
    result = twitch_in_process("log", "calf", db=Path("/proc/twitch-diary/diary.sqlite3"))
    _assert_one_line_error(result, "cannot create folder")


def test_import_with_a_bad_row_reports_every_problem_and_changes_nothing(
    diary: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "episodes.csv"
    bad.write_text(
        "id,started_at,body_site,side,intensity,duration_s,kind,symptoms,context,note\n"
        ",2025-03-01T10:00:00+01:00,calf,,3,0,twitch,,,\n"
        ",2025-03-02T10:00:00+01:00,calf,,33,0,twitch,,,\n"
        ",2025-03-03T10:00:00+01:00,calf,,3,0,twitch,,,\n"
    )
    before = table_dump(diary)
    result = twitch_in_process("import", str(bad), db=diary)
    assert result.returncode == 2
    assert (
        "episodes.csv line 3, column intensity: intensity must be a whole number 1–10, got '33'"
        in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert table_dump(diary) == before


def test_delete_asks_and_refuses_without_a_terminal(diary: Path) -> None:
    """As real processes: ``delete`` with its input from /dev/null, then with ``--yes``."""
    ident = table_dump(diary)["episode"][0][0]
    result = twitch_process("delete", ident[:8], db=diary, stdin=subprocess.DEVNULL)
    _assert_one_line_error(result, "not deleted")
    assert len(table_dump(diary)["episode"]) == 1
    result = twitch_process("delete", ident[:8], "--yes", db=diary)
    assert result.returncode == 0 and result.stdout.startswith("Deleted twitch · calf (left)")
    assert table_dump(diary)["episode"] == []


def test_edit_and_list(diary: Path) -> None:
    """As real processes: the entry point's own test of ``edit`` and ``list``."""
    ident = table_dump(diary)["episode"][0][0]
    result = twitch_process(
        "edit", ident[:8], "thigh", "--intensity", "6", "--symptom", "numb", db=diary
    )
    assert result.returncode == 0, result.stderr
    listing = twitch_process("list", db=diary).stdout
    assert "thigh" in listing and "numbness" in listing and ident[:8] in listing
    assert "1 episode on 1 day, " in listing


def test_help_everywhere_has_examples() -> None:
    for command in (
        ["log"],
        ["day"],
        ["med", "add"],
        ["med", "stop"],
        ["visit", "add"],
        ["profile"],
        ["list"],
        ["edit"],
        ["delete"],
        ["export"],
        ["import"],
    ):
        result = twitch_in_process(*command, "--help")
        assert result.returncode == 0
        assert "examples:" in result.stdout, command
    # the entry point itself, in a process of its own
    top = subprocess.run([sys.executable, "-m", "diary", "--help"], capture_output=True, text=True)
    assert "Quick start" in top.stdout
    version = subprocess.run(
        [sys.executable, "-m", "diary", "--version"], capture_output=True, text=True
    )
    assert version.stdout.startswith("twitch-diary ")


def test_quick_path_imports_nothing_heavy(diary: Path) -> None:
    """``log`` and ``day`` on a current database load neither SQLAlchemy nor the analysis stack."""
    script = textwrap.dedent(
        f"""
        import sys
        from diary.__main__ import main
        assert main(["log", "calf", "--symptom", "tingling"]) == 0
        assert main(["day", "--water", "2l", "--symptom", "numb"]) == 0
        print("heavy=" + ",".join(m for m in {HEAVY!r} if m in sys.modules))
        """
    )
    env = {**os.environ, "TWITCH_DIARY_DB": str(diary), "TZ": "Europe/Berlin"}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "heavy="


def test_first_run_creates_a_private_diary_in_the_data_folder(tmp_path: Path) -> None:
    data = tmp_path / "xdg-data"
    env = {**os.environ, "XDG_DATA_HOME": str(data), "TZ": "Europe/Berlin", "HOME": str(tmp_path)}
    env.pop("TWITCH_DIARY_DB", None)
    result = subprocess.run(
        ["sh", "-c", f"umask 022 && exec {sys.executable} -m diary log calf"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    db = data / "twitch-diary" / "diary.sqlite3"
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700
    for extra in db.parent.iterdir():
        assert stat.S_IMODE(extra.stat().st_mode) == 0o600, extra


WRITER = textwrap.dedent(
    """
    import sys
    from diary.__main__ import main
    tag, count = sys.argv[1], int(sys.argv[2])
    for i in range(count):
        # log (insert) and day (read, then write) both contend for the write lock
        if main(["log", "calf", "--note", f"{tag}-{i}"]) != 0:
            sys.exit(f"log failed at {i}")
        if main(["day", "--caffeine", f"{i % 400}mg"]) != 0:
            sys.exit(f"day failed at {i}")
    """
)


#: Writes per writer: enough for the two to contend for the lock many times over.
RACE_WRITES = 50


@pytest.mark.slow
def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "shared.sqlite3"
    assert twitch_in_process("day", db=db).returncode == 0  # create and migrate once
    env = {**os.environ, "TWITCH_DIARY_DB": str(db), "TZ": "Europe/Berlin"}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, tag, str(RACE_WRITES)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("a", "b")
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
        assert "locked" not in err
    notes = sorted(row[10] for row in table_dump(db)["episode"])
    assert len(notes) == 2 * RACE_WRITES
    expected = [f"{tag}-{i}" for tag in "ab" for i in range(RACE_WRITES)]
    assert notes == sorted(expected)
