"""Hostile CSV files: each is imported correctly or refused line by line, never half-imported.

A refusal is one line per problem, each naming the file, line and (where it applies) column;
never a traceback; the database is byte-for-byte the same afterwards.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from diary.csvio import parsing, reading
from diary.errors import UserError
from tests.conftest import TEST_TZ, table_dump

HEADER = "id,started_at,body_site,side,intensity,duration_s,kind,symptoms,context,note"
ROW = ",2025-03-04T10:00:00+01:00,calf,left,4,30,twitch,,,{note}"
ID1 = "0b8f3c1e-1111-4a5b-9c0d-000000000001"


@pytest.fixture
def seeded(cli, db_path: Path):  # type: ignore[no-untyped-def]
    """A diary holding one episode, so "unchanged" means something."""
    assert cli("log", "calf", "--note", "before").code == 0
    return cli


def _write(path: Path, data: bytes | str) -> Path:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def _refused(result, *fragments: str, problems: int | None = None) -> list[str]:  # type: ignore[no-untyped-def]
    """Exit 2, no traceback, one line per problem (after the summary line when several)."""
    assert result.code == 2, result
    assert "Traceback" not in result.err and result.out == ""
    lines = result.err.rstrip("\n").splitlines()
    assert lines[0].startswith("twitch: ")
    if problems is not None:
        assert len(lines) == 1 + problems, result.err
        assert f"({problems} problem" in lines[0]
        for line in lines[1:]:
            assert " line " in line
    else:
        assert len(lines) == 1, result.err
    for fragment in fragments:
        assert fragment in result.err, result.err
    return lines


def _unchanged(db_path: Path, before: dict) -> None:  # type: ignore[type-arg]
    assert table_dump(db_path) == before


def _notes(db_path: Path) -> list[str]:
    return sorted(r[10] for r in table_dump(db_path)["episode"])


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["no-bom", "bom"])
def test_utf8_with_and_without_bom_imports(
    seeded, db_path: Path, tmp_path: Path, bom: bytes
) -> None:
    text = f"{HEADER}\r\n{ROW.format(note='Grüße – 😀')}\r\n"
    source = _write(tmp_path / "in.csv", bom + text.encode("utf-8"))
    result = seeded("import", str(source))
    assert result.code == 0, result.err
    assert "1 new" in result.out
    assert "Grüße – 😀" in _notes(db_path)


def test_cp1252_bytes_are_refused_with_their_line(seeded, db_path: Path, tmp_path: Path) -> None:
    before = table_dump(db_path)
    data = f"{HEADER}\n{ROW.format(note='fine')}\n".encode() + ROW.format(note="caf\xe9").encode(
        "cp1252"
    )
    source = _write(tmp_path / "in.csv", data + b"\n")
    _refused(seeded("import", str(source)), "in.csv line 3", "not UTF-8", "0xe9")
    _unchanged(db_path, before)


def test_cp1252_header_is_refused(seeded, db_path: Path, tmp_path: Path) -> None:
    before = table_dump(db_path)
    source = _write(tmp_path / "in.csv", (HEADER + ",bemerkung_\xfc\n").encode("cp1252"))
    _refused(seeded("import", str(source)), "in.csv line 1", "not UTF-8")
    _unchanged(db_path, before)


def test_nul_bytes_are_refused(seeded, db_path: Path, tmp_path: Path) -> None:
    before = table_dump(db_path)
    row = ROW.format(note="a\x00b")
    source = _write(tmp_path / "in.csv", f"{HEADER}\n{row}\n")
    _refused(seeded("import", str(source)), "line 2, column note", problems=1)
    _unchanged(db_path, before)


def test_a_200kb_note_is_refused_naming_the_column(seeded, db_path: Path, tmp_path: Path) -> None:
    before = table_dump(db_path)
    source = _write(tmp_path / "in.csv", f"{HEADER}\n{ROW.format(note='x' * 200_000)}\n")
    lines = _refused(seeded("import", str(source)), "line 2, column note", "4000", problems=1)
    assert len(lines[1]) < 300  # the note itself is not echoed back
    _unchanged(db_path, before)


def test_a_note_of_exactly_the_limit_imports(seeded, db_path: Path, tmp_path: Path) -> None:
    source = _write(tmp_path / "in.csv", f"{HEADER}\n{ROW.format(note='y' * 4000)}\n")
    assert seeded("import", str(source)).code == 0


@pytest.mark.parametrize(
    "started_at",
    [
        "2025-02-30T10:00:00+01:00",
        "yesterday",
        "2025-13-01 10:00",
        "10:00",
        "2999-01-01T10:00:00+01:00",
        "-1",
    ],
)
def test_bad_dates_are_refused(seeded, db_path: Path, tmp_path: Path, started_at: str) -> None:
    before = table_dump(db_path)
    row = f",{started_at},calf,left,4,30,twitch,,,x"
    source = _write(tmp_path / "in.csv", f"{HEADER}\n{ROW.format(note='ok')}\n{row}\n")
    _refused(seeded("import", str(source)), "line 3, column started_at", problems=1)
    _unchanged(db_path, before)


@pytest.mark.parametrize(
    ("local", "fragment"),
    [("2025-03-30T02:30:00", "skip"), ("2025-10-26T02:30:00", "twice")],
    ids=["gap", "fold"],
)
def test_dst_gap_and_fold_without_offset_are_refused(
    seeded, db_path: Path, tmp_path: Path, local: str, fragment: str
) -> None:
    before = table_dump(db_path)
    source = _write(tmp_path / "in.csv", f"{HEADER}\n,{local},calf,left,4,30,twitch,,,x\n")
    _refused(seeded("import", str(source)), "line 2, column started_at", fragment, problems=1)
    _unchanged(db_path, before)


def test_dst_fold_with_offsets_imports_both_hours(seeded, db_path: Path, tmp_path: Path) -> None:
    rows = "\n".join(
        f",2025-10-26T02:30:00{offset},calf,left,4,30,twitch,,,{offset}"
        for offset in ("+02:00", "+01:00")
    )
    source = _write(tmp_path / "in.csv", f"{HEADER}\n{rows}\n")
    assert seeded("import", str(source)).code == 0
    episodes = {r[10]: (r[1], r[2]) for r in table_dump(db_path)["episode"]}
    assert episodes["+02:00"][1] == 120 and episodes["+01:00"][1] == 60
    assert episodes["+02:00"][0] != episodes["+01:00"][0]


def test_duplicated_ids_are_refused_naming_both_lines(
    seeded, db_path: Path, tmp_path: Path
) -> None:
    before = table_dump(db_path)
    row = f"{ID1},2025-03-04T10:00:00+01:00,calf,left,4,30,twitch,,,x"
    source = _write(tmp_path / "in.csv", f"{HEADER}\n{row}\n{ROW.format(note='y')}\n{row}\n")
    _refused(
        seeded("import", str(source)),
        "line 4, column id",
        "appears twice (first on line 2)",
        problems=1,
    )
    _unchanged(db_path, before)


FORMULAS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A2)", '=HYPERLINK("http://x","y")']


def test_formula_cells_import_as_text_and_export_escaped(
    seeded, db_path: Path, tmp_path: Path
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER.split(","))
    for n, formula in enumerate(FORMULAS, start=1):
        writer.writerow(
            [
                f"0b8f3c1e-1111-4a5b-9c0d-00000000000{n}",
                "2025-03-04T10:00:00+01:00",
                "calf",
                "left",
                "4",
                "30",
                "twitch",
                "",
                "",
                formula,
            ]
        )
    source = _write(tmp_path / "in.csv", buffer.getvalue())
    result = seeded("import", str(source))
    assert result.code == 0, result.err
    assert set(FORMULAS) <= set(_notes(db_path))

    out = tmp_path / "export"
    assert seeded("export", "--out", str(out)).code == 0
    with (out / "episodes.csv").open(encoding="utf-8", newline="") as handle:
        notes = [row["note"] for row in csv.DictReader(handle)]
    for formula in FORMULAS:
        assert "'" + formula in notes
    for note in notes:
        assert not note.startswith(("=", "+", "-", "@"))

    # and the escaped export comes back exactly as it was
    before = table_dump(db_path)
    again = seeded("import", str(out))
    assert again.code == 0 and "0 new, 0 changed" in again.out
    assert table_dump(db_path) == before


@pytest.mark.parametrize(
    ("header", "fragment"),
    [
        ("foo,bar", "line 1: the header matches no diary file"),
        ("id,started_at,body_site", "missing column side"),
        ("Id;Started_At;Body_Site;Side;Intensity;Duration_S;Kind;Symptoms;Context;Note", "line 1"),
    ],
)
def test_wrong_headers_are_refused(
    seeded, db_path: Path, tmp_path: Path, header: str, fragment: str
) -> None:
    before = table_dump(db_path)
    source = _write(tmp_path / "in.csv", f"{header}\n1,2,3\n")
    _refused(seeded("import", str(source)), fragment)
    _unchanged(db_path, before)


def test_wrong_header_in_a_named_file_of_a_folder(seeded, db_path: Path, tmp_path: Path) -> None:
    before = table_dump(db_path)
    folder = tmp_path / "export"
    folder.mkdir()
    _write(folder / "episodes.csv", f"{HEADER}\n{ROW.format(note='fine')}\n")
    _write(folder / "days.csv", "date,water\n2025-03-04,1\n")
    _refused(seeded("import", str(folder)), "days.csv line 1: missing column")
    _unchanged(db_path, before)


@pytest.mark.parametrize(
    "data", [b"", b"\xef\xbb\xbf", b"\n\n"], ids=["empty", "bom-only", "blank-lines"]
)
def test_an_empty_file_is_refused(seeded, db_path: Path, tmp_path: Path, data: bytes) -> None:
    before = table_dump(db_path)
    _refused(seeded("import", str(_write(tmp_path / "in.csv", data))), "in.csv")
    _unchanged(db_path, before)


def test_a_header_only_file_imports_nothing(seeded, db_path: Path, tmp_path: Path) -> None:
    before = table_dump(db_path)
    result = seeded("import", str(_write(tmp_path / "in.csv", HEADER + "\n")))
    assert result.code == 0 and "0 new, 0 changed, 0 already there" in result.out
    _unchanged(db_path, before)


def test_many_bad_rows_are_listed_then_counted(seeded, db_path: Path, tmp_path: Path) -> None:
    before = table_dump(db_path)
    rows = "\n".join(f",2025-03-04T10:00:00+01:00,elbow,left,4,30,twitch,,,{i}" for i in range(50))
    result = seeded("import", str(_write(tmp_path / "in.csv", f"{HEADER}\n{rows}\n")))
    assert result.code == 2 and "Traceback" not in result.err
    lines = result.err.rstrip("\n").splitlines()
    assert "(50 problems)" in lines[0]
    assert len(lines) == 1 + parsing.MAX_REPORTED + 1 and "30 more" in lines[-1]
    _unchanged(db_path, before)


HUGE_ROWS = 1_000_000
MEASURE = textwrap.dedent(
    """
    import sys
    from diary.__main__ import main
    code = main(["--db", sys.argv[1], "import", sys.argv[2]])
    # VmHWM is this process's own peak; ru_maxrss would include the (large) parent's at fork.
    status = open("/proc/self/status").read().split("VmHWM:")[1]
    peak_kb = int(status.split()[0])
    print(code, peak_kb)
    """
)


def test_a_million_row_file_is_refused_before_it_is_read(
    seeded, db_path: Path, tmp_path: Path
) -> None:
    """Design choice: files above ``reading.MAX_ROWS`` rows are refused, counted by streaming."""
    assert reading.MAX_ROWS < HUGE_ROWS
    before = table_dump(db_path)
    source = tmp_path / "episodes.csv"
    source.write_text(f"{HEADER}\n" + (ROW.format(note="x") + "\n") * HUGE_ROWS, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(db_path), str(source)],
        capture_output=True,
        text=True,
        env={
            "TZ": TEST_TZ,
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        },
        timeout=120,
    )
    assert "Traceback" not in done.stderr
    code, peak_kb = map(int, done.stdout.split())
    assert code == 2
    assert done.stderr.count("\n") == 1
    assert "1,000,000 rows" in done.stderr and "500,000 rows per file" in done.stderr
    assert peak_kb < 300 * 1024, f"peak memory {peak_kb / 1024:.0f} MB"
    _unchanged(db_path, before)


def test_a_file_at_the_row_limit_is_counted_not_refused(tmp_path: Path) -> None:
    source = tmp_path / "episodes.csv"
    source.write_text(
        HEADER + "\n" + "x\n" * reading.MAX_ROWS + "tail-without-newline", encoding="utf-8"
    )
    with pytest.raises(UserError, match="500,001 rows"):
        reading.check_size(source)
    source.write_text(HEADER + "\n" + "x\n" * reading.MAX_ROWS, encoding="utf-8")
    assert reading.check_size(source) == reading.MAX_ROWS


def test_line_breaks_in_quoted_cells_do_not_count_as_rows(tmp_path: Path) -> None:
    """A 500,000-row export whose notes hold line breaks is within the limit (it has more lines)."""
    source = tmp_path / "episodes.csv"
    row = ROW.format(note='"two\nlines, ""quoted"""')
    source.write_text(HEADER + "\n" + (row + "\n") * reading.MAX_ROWS + "\n\n", encoding="utf-8")
    assert reading.check_size(source) == reading.MAX_ROWS


def test_rows_past_the_limit_are_refused_while_parsing(
    seeded, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stray quotes can fool the streaming count; the parser itself stops at the limit."""
    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    before = table_dump(db_path)
    rows = "\n".join(ROW.format(note=f'a"{i}') for i in range(4))  # one stray quote per row
    source = _write(tmp_path / "in.csv", f"{HEADER}\n{rows}\n")
    assert reading.check_size(source) <= 3
    _refused(seeded("import", str(source)), "in.csv line 5: row 4", "at most 3 rows")
    _unchanged(db_path, before)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_every_line_ending_imports_and_counts_lines(
    seeded, db_path: Path, tmp_path: Path, newline: str
) -> None:
    rows = [HEADER, ROW.format(note='"two' + newline + 'lines"'), ROW.format(note="ok")]
    source = _write(tmp_path / "in.csv", newline.join(rows) + newline)
    assert seeded("import", str(source)).code == 0
    bad = rows + [",2025-03-04T10:00:00+01:00,elbow,left,4,30,twitch,,,x"]
    before = table_dump(db_path)
    source = _write(tmp_path / "bad.csv", newline.join(bad) + newline)
    _refused(seeded("import", str(source)), "bad.csv line 5, column body_site", problems=1)
    _unchanged(db_path, before)


def _measured_import(db_path: Path, source: Path) -> tuple[int, int, str]:
    """Import ``source`` in a fresh process: (exit code, peak memory in kB, stderr)."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(db_path), str(source)],
        capture_output=True,
        text=True,
        env={
            "TZ": TEST_TZ,
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        },
        timeout=120,
    )
    assert "Traceback" not in done.stderr, done.stderr
    code, peak_kb = map(int, done.stdout.split())
    return code, peak_kb, done.stderr


def test_a_99mb_line_is_refused_before_it_is_read(seeded, db_path: Path, tmp_path: Path) -> None:
    """One line of 99 MB used to peak at 2.6 GB; it is refused by a streaming pass instead."""
    before = table_dump(db_path)
    source = tmp_path / "episodes.csv"
    with source.open("w", encoding="utf-8") as handle:
        handle.write(f"{HEADER}\n{ROW.format(note='fine')}\n")
        handle.write(ROW.format(note="x" * 99_000_000) + "\n")
    code, peak_kb, err = _measured_import(db_path, source)
    assert code == 2 and err.count("\n") == 1, err
    assert "episodes.csv line 3" in err and f"{reading.MAX_LINE_BYTES:,} bytes" in err
    assert peak_kb < 200 * 1024, f"peak memory {peak_kb / 1024:.0f} MB"
    _unchanged(db_path, before)


@pytest.mark.parametrize("newline", ["\r", "\r\n"], ids=["cr", "crlf"])
def test_line_limit_counts_every_line_ending(tmp_path: Path, newline: str) -> None:
    """A file of short CR-ended lines is many lines, not one long one; one long line is named."""
    short = ROW.format(note="x" * 100) + newline
    source = tmp_path / "episodes.csv"
    lines = 1 + reading.MAX_LINE_BYTES // len(short) + 10  # together far over one line's limit
    source.write_bytes((HEADER + newline + short * lines).encode())
    assert reading.check_size(source) == lines
    long = ROW.format(note="y" * reading.MAX_LINE_BYTES)
    source.write_bytes((HEADER + newline + short + long + newline + short).encode())
    with pytest.raises(UserError, match=r"episodes.csv line 3: .*1,048,576 bytes"):
        reading.check_size(source)


def test_a_file_over_the_size_limit_is_refused_unread(
    seeded, db_path: Path, tmp_path: Path
) -> None:
    before = table_dump(db_path)
    source = tmp_path / "episodes.csv"
    with source.open("wb") as handle:
        handle.write(f"{HEADER}\n".encode())
        handle.truncate(reading.MAX_FILE_BYTES + 1)  # sparse: costs no disk, but its size counts
    result = seeded("import", str(source))
    _refused(result, "episodes.csv", f"{reading.MAX_FILE_BYTES // 2**20} MB", "split")
    _unchanged(db_path, before)
