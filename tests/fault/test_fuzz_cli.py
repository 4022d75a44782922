"""Fuzzed command lines: every run exits 0 or 2 with at most one line of error, never a traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

WORDS = [
    "calf",
    "calves",
    "eyelid",
    "eye",
    "thigh",
    "hand",
    "L",
    "R",
    "left",
    "both",
    "midline",
    "cramp",
    "spasm",
    "jerk",
    "twitch",
    "tingly",
    "numb",
    "weakness",
    "rest",
    "exercise",
    "diuretic",
    "supplement",
    "statin",
    "magnesium",
    "gp",
    "neurologist",
    "emg",
    "ck",
    "blood_test",
    "normal",
    "today",
    "yesterday",
    "now",
    "-1h",
    "2025-03-04",
    "2025-02-30",
    "2025-03-30 02:30",
    "2025-10-26 02:30",
    "yesterday 23:30",
    "2999-01-01",
]
MEASURES = [
    "1.5l",
    "500ml",
    "2cups",
    "30s",
    "2m",
    "1h",
    "45min",
    "6.5h",
    "3 units",
    "200mg",
    "-5",
    "-5s",
    "-1.5l",
    "0",
    "10",
    "11",
    "1e309",
    "99999999999999999999",
    "nan",
    "inf",
    "½",
    "٣",
    "1,5l",
    "",
]
ODD = [
    "",
    " ",
    "\t",
    "é",
    "😀",
    "\u202e",
    "\u0000",
    "\ud800x",
    "x" * 5000,
    "--",
    "-",
    "'=1+1",
    "NULL",
]
OPTIONS = {
    "log": [
        "--side",
        "--intensity",
        "--duration",
        "--kind",
        "--at",
        "--symptom",
        "--context",
        "--note",
        "-s",
        "-i",
        "-d",
    ],
    "day": [
        "--water",
        "--caffeine",
        "--alcohol",
        "--exercise",
        "--exercise-intensity",
        "--sleep",
        "--sleep-quality",
        "--stress",
        "--symptom",
        "-n",
    ],
    "med add": ["--class", "--dose", "--start", "--stop", "--note"],
    "med stop": ["--on"],
    "visit add": ["--kind", "--test", "--outcome", "--note"],
}

value = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(MEASURES),
    st.sampled_from(ODD),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(max_size=20),
)


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    command = draw(st.sampled_from(sorted(OPTIONS)))
    args = command.split()
    args += draw(st.lists(value, max_size=2))  # positionals: a site, a name, a date
    for _ in range(draw(st.integers(0, 5))):  # options, repeats allowed
        option = draw(st.sampled_from(OPTIONS[command]))
        text = draw(value)
        args += [f"{option}={text}"] if draw(st.booleans()) else [option, text]
    return args


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(argv=command_lines())
def test_fuzzed_commands_fail_cleanly(cli, db_path: Path, argv: list[str]) -> None:  # type: ignore[no-untyped-def]
    result = cli(*argv)
    assert result.code in (0, 2), (argv, result)
    assert "Traceback" not in result.err + result.out, (argv, result)
    if result.code == 2:
        assert len(result.err.strip().splitlines()) <= 1, (argv, result.err)
    if db_path.exists():
        conn = sqlite3.connect(db_path)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        finally:
            conn.close()


def test_found_by_fuzzing_line_breaks_and_non_utf8_arguments(cli, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    """argparse echoed a ``\\r`` verbatim (two lines); a lone surrogate crashed SQLite (traceback)."""
    for argv in (
        ["day", "calf", "\r"],
        ["log", "calf", "x\ny"],
        ["med", "add", "\udcff"],
        ["med", "stop", "\ud800x"],
    ):
        result = cli(*argv)
        assert result.code == 2, (argv, result)
        assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err
