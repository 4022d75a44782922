"""``twitch signs``, ``strength``, ``count`` and ``checks``: the three self-checks at the command line.

Most run in this process; the weekly questions and the countdown run at a real terminal (a pty
that is the command's controlling terminal, so Ctrl-C is a real interrupt). Every mistake is one
line, exit 2, and leaves the diary exactly as it was; "not asked" is stored as NULL, never as no.
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import subprocess
import sys
import termios
import time
from contextlib import suppress
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.conftest import TEST_TZ, table_dump, twitch_in_process

ROOT = Path(__file__).resolve().parents[2]
SIGNS = (
    "weakness",
    "clumsiness",
    "tripping_falls",
    "slurred_speech",
    "difficulty_swallowing",
    "muscle_loss",
    "numbness",
    "tingling",
    "spreading",
    "night_cramps",
    "breathlessness",
)


def ok(*args: str, db: Path) -> str:
    """Run a command that must succeed; its standard output."""
    result = twitch_in_process(*args, db=db)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr
    return result.stdout


def refused(*args: str, db: Path) -> str:
    """Run a command that must fail with one line, exit 2 and nothing changed; that line."""
    before = table_dump(db) if db.exists() else None
    result = twitch_in_process(*args, db=db)
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("twitch"), result.stderr
    assert (table_dump(db) if db.exists() else None) == before
    return lines[0]


def sign_rows(db: Path) -> list[dict[str, object]]:
    """The stored sign checks, oldest first, as {column: value}."""
    import sqlite3

    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM sign_check ORDER BY date, created_at")]
    finally:
        conn.close()


def rows(db: Path, table: str) -> list[dict[str, object]]:
    import sqlite3

    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(f"SELECT * FROM {table}")]
    finally:
        conn.close()


@pytest.fixture
def diary(tmp_path: Path) -> Path:
    """A diary that exists (one count in it), so "nothing changed" compares real tables."""
    db = tmp_path / "diary.sqlite3"
    ok("count", "--site", "calf", "--twitches", "4", db=db)
    return db


# --- twitch signs ---------------------------------------------------------------------------------


def test_all_no_stores_a_no_for_every_sign(tmp_path: Path) -> None:
    db = tmp_path / "diary.sqlite3"
    assert ok("signs", "--all-no", db=db) == "Weekly check saved: 11 asked, all no\n"
    (row,) = sign_rows(db)
    assert [row[s] for s in SIGNS] == [0] * 11
    assert row["date"] == date.today().isoformat()


def test_all_no_with_an_exception(tmp_path: Path) -> None:
    db = tmp_path / "diary.sqlite3"
    out = ok("signs", "--all-no", "--weakness", "yes", "--note", "left hand", db=db)
    assert out == (
        "Weekly check saved: 11 asked, yes: weakness — the report and `twitch flags` show what "
        "the guidance says\n"
    )
    (row,) = sign_rows(db)
    assert row["weakness"] == 1 and row["note"] == "left hand"
    assert [row[s] for s in SIGNS[1:]] == [0] * 10


def test_signs_not_given_stay_not_asked_never_no(tmp_path: Path) -> None:
    db = tmp_path / "diary.sqlite3"
    out = ok("signs", "--night-cramps", "Y", "--tripping-falls", "n", db=db)
    assert out.startswith("Weekly check saved: 2 asked (9 not asked), yes: night cramps — ")
    (row,) = sign_rows(db)
    assert row["night_cramps"] == 1 and row["tripping_falls"] == 0
    assert all(row[s] is None for s in SIGNS if s not in ("night_cramps", "tripping_falls"))
    listed = ok("checks", db=db)
    assert "2 of 11" in listed and "night cramps" in listed


def test_a_yes_with_urgent_guidance_prints_it_as_twitch_log_does(tmp_path: Path) -> None:
    db = tmp_path / "diary.sqlite3"
    out = ok("signs", "--all-no", "--breathlessness", "yes", db=db)
    logged = ok("log", "calf", "--symptom", "breathlessness", db=db)
    guidance = out.split("\n\n", 1)[1]
    assert guidance.startswith("Important — ")
    assert guidance == logged.split("\n\n", 1)[1]
    # Weakness is a flag to see a doctor about, not an emergency: no urgent lines.
    assert "Important" not in ok("signs", "--all-no", "--weakness", "y", db=db)


def test_a_check_for_an_earlier_day(tmp_path: Path) -> None:
    db = tmp_path / "diary.sqlite3"
    day = date.today() - timedelta(days=1)
    out = ok("signs", "--all-no", "--date", "yesterday", db=db)
    assert out == f"Weekly check for {day.strftime('%a %d %b %Y')} saved: 11 asked, all no\n"
    assert sign_rows(db)[0]["date"] == day.isoformat()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ([], "no answers given: use --all-no, or --SIGN yes|no"),
        (["--note", "fine"], "no answers given"),
        (["--weakness", "maybe"], "--weakness must be yes or no (empty: not asked), got 'maybe'"),
        (["--all-no", "--tripping-falls", "sometimes"], "--tripping-falls must be yes or no"),
        (["--all-no", "--date", "someday"], "--date must be a date like"),
        (["--all-no", "--date", "2999-01-01"], "--date must be a date"),
        (["--all-no", "--note", "a\x1b[2Jb"], "note"),
        (["--all-no", "--wobbly", "yes"], "unrecognized arguments: --wobbly yes"),
    ],
)
def test_sign_mistakes_are_one_line_and_write_nothing(
    diary: Path, args: list[str], says: str
) -> None:
    assert says in refused("signs", *args, db=diary)


def test_no_answers_without_a_terminal_creates_no_diary(tmp_path: Path) -> None:
    db = tmp_path / "diary.sqlite3"
    refused("signs", db=db)
    assert not db.exists()


# --- twitch strength ------------------------------------------------------------------------------


def test_strength_stores_what_was_measured_and_nothing_else(tmp_path: Path) -> None:
    db = tmp_path / "diary.sqlite3"
    out = ok("strength", "--heel-raises-left", "24", "--heel-raises-right", "26",
             "--heel-walk-left", "pass", "--toe-walk-right", "FAIL", "--chair-stands", "14",
             "--grip-left", "32kg", "--grip-right", "70lb", db=db)  # fmt: skip
    assert out == (
        "Strength check saved: heel raises left 24, right 26 · heel walk left pass, right — · "
        "toe walk left —, right fail · chair stands 14 · grip left 32, right 31.8 kg\n"
    )
    (row,) = rows(db, "strength_check")
    assert (row["heel_raises_left"], row["heel_raises_right"]) == (24, 26)
    assert (row["heel_walk_left"], row["heel_walk_right"]) == (1, None)
    assert (row["toe_walk_left"], row["toe_walk_right"]) == (None, 0)
    assert (row["chair_stands"], row["grip_left_kg"], row["grip_right_kg"]) == (14, 32.0, 31.8)
    listed = ok("checks", db=db)
    assert "24 / 26" in listed and "pass / —" in listed and "— / fail" in listed


def test_how_says_how_to_do_each_test_safely_and_stores_nothing(tmp_path: Path) -> None:
    db = tmp_path / "diary.sqlite3"
    out = " ".join(ok("strength", "--how", db=db).split())
    for words in ("wall", "stop at once if anything hurts", "Single-leg heel raises",
                  "10 steps on your heels", "tiptoe", "30-second chair stand",
                  "arms crossed", "best of 3"):  # fmt: skip
        assert words in out, words
    assert not db.exists()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ([], "no measure given: give at least one"),
        (["--note", "tired"], "no measure given"),
        (["--heel-raises-left", "400"], "--heel-raises-left must be a whole number 0–300"),
        (["--heel-raises-right", "2.5"], "--heel-raises-right must be a whole number"),
        (["--chair-stands", "-3"], "--chair-stands must be a whole number"),
        (
            ["--heel-walk-left", "maybe"],
            "--heel-walk-left must be pass or fail (empty: not done), got 'maybe'",
        ),
        (["--grip-left", "200"], "--grip-left must be a weight in kg 0–150"),
        (["--grip-right", "20st"], "--grip-right must be a weight in kg"),
        (["--chair-stands", "12", "--date", "2999-01-01"], "--date must be a date"),
        (["--how", "--chair-stands", "12"], "--how only prints how to do the tests"),
    ],
)
def test_strength_mistakes_are_one_line_and_write_nothing(
    diary: Path, args: list[str], says: str
) -> None:
    assert says in refused("strength", *args, db=diary)


# --- twitch count ---------------------------------------------------------------------------------


def test_a_count_done_elsewhere(tmp_path: Path) -> None:
    db = tmp_path / "diary.sqlite3"
    out = ok("count", "--site", "calf", "--side", "left", "--twitches", "12", db=db)
    assert out == "12 twitches in 60 s (12 per minute) in the left calf\n"
    out = ok("count", "--site", "left", "calves", "--twitches", "7", "--seconds", "45", db=db)
    assert out == "7 twitches in 45 s (9.3 per minute) in the left calf\n"
    out = ok("count", "--site", "upper", "arm", "-s", "r", "--twitches", "1", "--seconds", "2m",
             "--at", "yesterday 21:30", db=db)  # fmt: skip
    assert out == "1 twitch in 120 s (0.5 per minute) in the right upper arm\n"
    stored = sorted(
        (r["body_site"], r["side"], r["seconds"], r["twitches"]) for r in rows(db, "twitch_count")
    )
    assert stored == [("calf", "left", 45, 7), ("calf", "left", 60, 12),
                      ("upper_arm", "right", 120, 1)]  # fmt: skip
    listed = ok("checks", db=db)
    assert "9.3" in listed and "21:30" in listed


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--site", "calf"], "a timed count needs a terminal to press keys on"),
        (["--site", "calf", "--twitches", "5", "--seconds", "5"], "--seconds must be a whole"),
        (["--site", "calf", "--twitches", "5", "--seconds", "601"], "--seconds must be"),
        (["--site", "calf", "--twitches", "-1"], "--twitches must be a whole number 0–2000"),
        (["--site", "calf", "--twitches", "many"], "--twitches must be"),
        (["--site", "elbow", "--twitches", "5"], "site 'elbow' is not a body site"),
        (["--site", "calf", "--side", "up", "--twitches", "5"], "--side must be one of"),
        (["--site", "left", "calf", "--side", "right", "--twitches", "5"],
         "--site says left and --side says right"),
        (["--site", "calf", "--at", "10:00"], "--at goes with --twitches"),
        (["--site", "calf", "--twitches", "5", "--at", "2999-01-01 10:00"], "--at must be"),
        (["--twitches", "5"], "the following arguments are required: --site"),
    ],
)  # fmt: skip
def test_count_mistakes_are_one_line_and_write_nothing(
    diary: Path, args: list[str], says: str
) -> None:
    assert says in refused("count", *args, db=diary)


# --- twitch checks --------------------------------------------------------------------------------


def test_checks_lists_each_kind_and_shows_unknown_as_a_dash(tmp_path: Path) -> None:
    db = tmp_path / "diary.sqlite3"
    ok("signs", "--all-no", "--date", "3 days ago", db=db)
    ok("strength", "--chair-stands", "15", db=db)
    ok("count", "--site", "thigh", "--twitches", "3", "--seconds", "30", db=db)
    out = ok("checks", db=db)
    assert out.index("Weekly sign checks") < out.index("Strength checks") < out.index("Timed")
    assert "11 of 11  none" in out
    assert "— / —" in out  # heel raises not done: unknown, not 0 or fail
    assert "thigh" in out and " 6 " in out
    assert out.rstrip().endswith("1 sign check, 1 strength check and 1 count, "
                                 f"{date.today() - timedelta(days=89)} to {date.today()}.")  # fmt: skip
    assert "Weekly sign checks" not in ok("checks", "--since", "yesterday", db=db)


def test_checks_on_a_missing_diary_says_so_and_creates_nothing(tmp_path: Path) -> None:
    db = tmp_path / "diary.sqlite3"
    assert ok("checks", db=db).startswith("No self-checks from ")
    assert not db.exists()
    assert "--since must be a date" in refused("checks", "--since", "soon", db=db)


def test_a_check_is_deleted_by_id_after_asking(tmp_path: Path) -> None:
    db = tmp_path / "diary.sqlite3"
    ok("signs", "--all-no", "--slurred-speech", "yes", db=db)
    ident = str(sign_rows(db)[0]["id"])
    line = refused("checks", "delete", ident[:8], db=db)
    assert line == "twitch: not deleted (confirm at the prompt, or pass --yes)"
    assert "no self-check has id 'ffffffff'" in refused("checks", "delete", "ffffffff", db=db)
    out = ok("checks", "delete", ident[:8], "--yes", db=db)
    assert out.startswith("Deleted the weekly sign check of ")
    assert "11 asked, yes: slurred speech" in out
    assert sign_rows(db) == []


# --- at a terminal --------------------------------------------------------------------------------


def _controlling_terminal() -> None:
    """In the child, after ``setsid``: make its stdin (the pty) its controlling terminal, and let
    Ctrl-C interrupt it as at a person's terminal (a test run started with ``&`` by a
    non-interactive shell ignores SIGINT, and its children would inherit that)."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    signal.signal(signal.SIGINT, signal.SIG_DFL)


#: ``twitch`` with the countdown's clock running ``CLOCK_SPEED`` times as fast: a 10-second count
#: is over in 2 s, and everything else (the terminal, the keys, the storing) is the real program.
CLOCK_SPEED = 5
FAST_CLOCK = f"""
import sys, time, types
from diary.cli import countdown
real, start = time.monotonic, time.monotonic()
countdown.time = types.SimpleNamespace(monotonic=lambda: start + (real() - start) * {CLOCK_SPEED})
from diary.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


def at_a_terminal(
    db: Path,
    *args: str,
    script: list[tuple[bytes, bytes]],
    timeout: float = 120,
    fast_clock: bool = False,
) -> tuple[int, str, str, bool]:
    """Run ``twitch ARGS`` with a pty as its terminal (stdin and stderr; stdout is a pipe).

    For each ``(shown, typed)`` step: wait until the terminal or stdout shows ``shown``, then
    type ``typed``. Returns the exit status, stdout, what the terminal showed, and whether the
    terminal's settings afterwards are those it had before. ``fast_clock`` runs the countdown's
    clock ``CLOCK_SPEED`` times as fast.
    """
    import pty

    primary, secondary = pty.openpty()
    before = termios.tcgetattr(secondary)
    proc = subprocess.Popen(
        [sys.executable, *(["-c", FAST_CLOCK] if fast_clock else ["-m", "diary"])]
        + ["--db", str(db), *args],
        stdin=secondary,
        stdout=subprocess.PIPE,
        stderr=secondary,
        env={**os.environ, "TZ": TEST_TZ, "PYTHONPATH": str(ROOT)},
        start_new_session=True,
        preexec_fn=_controlling_terminal,
    )
    assert proc.stdout is not None
    streams = {primary: b"", proc.stdout.fileno(): b""}
    deadline = time.monotonic() + timeout

    def read_some() -> None:
        ready, _, _ = select.select(list(streams), [], [], 0.05)
        for fd in ready:
            with suppress(OSError):  # EIO: the other end has closed
                streams[fd] += os.read(fd, 4096)

    try:
        for wanted, typed in script:
            while not any(wanted in text for text in streams.values()):
                exited = proc.poll() is not None
                assert time.monotonic() < deadline, (wanted, streams)
                read_some()
                assert not exited or any(wanted in t for t in streams.values()), (wanted, streams)
            os.write(primary, typed)
        while proc.poll() is None:
            assert time.monotonic() < deadline, streams
            read_some()
        read_some()
        out = streams[proc.stdout.fileno()] + proc.stdout.read()
        code = proc.wait(timeout=5)
        restored = termios.tcgetattr(secondary) == before
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        os.close(primary)
        os.close(secondary)
    shown = streams[primary]
    return code, out.decode(), shown.decode(errors="replace"), restored


def test_signs_asks_each_question_at_a_terminal(tmp_path: Path) -> None:
    db = tmp_path / "diary.sqlite3"
    # weakness n, clumsiness y, tripping skipped, slurred "maybe" then n, the rest n.
    typed = b"n\ny\n\nmaybe\nn\n" + b"n\n" * 7
    code, out, shown, _ = at_a_terminal(db, "signs", script=[(b"", typed)])
    assert code == 0, (out, shown)
    assert "in the past week" in out
    assert "Weakness in an arm, hand, leg or foot? [y/n]" in out
    assert "Please answer y or n, or press Enter to skip this question." in out
    assert "Weekly check saved: 10 asked (1 not asked), yes: clumsiness — " in out
    (row,) = sign_rows(db)
    assert (row["weakness"], row["clumsiness"], row["tripping_falls"]) == (0, 1, None)
    assert row["slurred_speech"] == 0 and row["breathlessness"] == 0


@pytest.mark.parametrize(("stop", "code"), [(b"\x04", 2), (b"\x03", 130)], ids=["eof", "ctrl-c"])
def test_signs_stopped_at_the_prompt_stores_nothing(tmp_path: Path, stop: bytes, code: int) -> None:
    db = tmp_path / "diary.sqlite3"
    status, out, shown, _ = at_a_terminal(
        db, "signs", "--date", "yesterday", script=[(b"", b"n\ny\n"), (b"Tripping or falls?", stop)]
    )
    assert status == code, (out, shown)
    assert "nothing" in shown and "Traceback" not in shown
    assert not db.exists() or sign_rows(db) == []


def test_a_timed_count_counts_key_presses_until_the_time_is_up(tmp_path: Path) -> None:
    db = tmp_path / "diary.sqlite3"
    keys = b"  x\x1b[A"  # space, space, x and an arrow key: four twitches
    code, out, shown, restored = at_a_terminal(
        db,
        "count", "--site", "calf", "--side", "left", "--seconds", "10",
        script=[(b"Press Enter to start", b"\n"), (b"s left", keys), (b"4 counted", b"")],
        fast_clock=True,
    )  # fmt: skip
    assert code == 0, (out, shown)
    assert out == "4 twitches in 10 s (24 per minute) in the left calf\n"
    assert "Timed count: twitches in the left calf, 10 s" in shown
    assert restored, "the terminal's settings were not put back"
    (row,) = rows(db, "twitch_count")
    assert (row["seconds"], row["twitches"], row["side"]) == (10, 4, "left")


@pytest.mark.parametrize(
    ("stop", "code", "says"),
    [
        (b"\x03", 130, "interrupted"),
        (b"\x04", 2, "count cancelled; nothing was stored"),
        (b"q", 2, "a count needs at least 10 s (nothing was stored)"),
    ],
    ids=["ctrl-c", "ctrl-d", "q-too-soon"],
)
def test_a_timed_count_cancelled_or_too_short_stores_nothing_and_restores_the_terminal(
    tmp_path: Path, stop: bytes, code: int, says: str
) -> None:
    db = tmp_path / "diary.sqlite3"
    status, out, shown, restored = at_a_terminal(
        db,
        "count", "--site", "calf", "--seconds", "20",
        script=[(b"Press Enter to start", b"\n"), (b"s left", b"  "), (b"2 counted", stop)],
    )  # fmt: skip
    assert status == code, (out, shown)
    assert says in shown and "Traceback" not in shown
    assert out == ""
    assert restored, "the terminal's settings were not put back"
    assert not db.exists() or rows(db, "twitch_count") == []


@pytest.mark.parametrize(
    "command", [["signs"], ["strength"], ["count"], ["checks"], ["checks", "delete"]]
)
def test_each_check_command_has_help_with_examples(command: list[str]) -> None:
    result = twitch_in_process(*command, "--help")
    assert result.returncode == 0 and "examples:" in result.stdout, result.stdout
