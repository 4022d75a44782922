"""Finding the contract files and reading them safely, before any row is validated.

Memory and time stay bounded whatever a file holds: a file over ``MAX_FILE_BYTES``, with a line
over ``MAX_LINE_BYTES`` or more than ``MAX_ROWS`` rows is refused by a streaming pass before any row
is parsed (``check_size``), and ``records`` reads one line at a time, names the line of a byte
that is not UTF-8, checks the header and hands over each row's cells trimmed and unescaped.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from diary.csvio.contract import CONTRACT, unescape_cell
from diary.errors import UserError

#: The most rows one import file may have. Import validates every row before writing any (that is
#: what makes it all-or-nothing), so it holds every validated row in memory, compactly (one tuple
#: of stored values each). A diary gets a few thousand rows a year: anything near this limit is
#: not a diary export. Lines are counted in a streaming pass before any row is parsed.
MAX_ROWS = 500_000
#: The largest import file. With ``MAX_ROWS`` this bounds the memory an import needs (about
#: 2.5 times the file's size at worst) whatever the rows hold; a 500,000-row export of a diary
#: with ordinary notes is well under half of it. Checked with ``stat`` before anything is read.
MAX_FILE_BYTES = 128 * 2**20
#: The longest line. A row's longest cell is a 4,000-character note (16 kB in UTF-8, twice that
#: with every character a quote), so 1 MB is generous; the streaming pass refuses a longer line
#: holding at most one block and one line in memory.
MAX_LINE_BYTES = 2**20
#: The longest cell the CSV reader accepts (the standard library's default is 131,072 bytes).
#: Larger than any valid cell, so an over-long note is read and refused by the note rule, which
#: names the column, instead of by the CSV reader, which cannot. A quoted cell can span lines,
#: so this bounds it separately.
MAX_CELL = 1_000_000
#: How much of a file is read at a time.
BLOCK_BYTES = 2**20


def find_files(path: Path) -> dict[str, Path]:
    """The contract files to import: from a folder by name, or one file by its header."""
    if path.is_dir():
        found = {name: path / name for name in CONTRACT if (path / name).is_file()}
        if not found:
            expected = ", ".join(CONTRACT)
            raise UserError(f"{path} holds none of the diary's CSV files ({expected})")
        return found
    if not path.exists():
        raise UserError(f"no such file or folder: {path}")
    return {_recognise(path): path}


def _recognise(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            header = next(csv.reader(_utf8_lines(handle, path.name)), None)
    except (csv.Error, OSError) as exc:
        raise UserError(f"{path.name}: cannot read it as CSV ({exc})") from None
    if not header:
        raise UserError(f"{path.name} is empty: a CSV file needs a header row")
    columns = {_column_name(c) for c in header}
    for name, expected in CONTRACT.items():
        if set(expected) <= columns:
            return name
    best = max(CONTRACT, key=lambda n: len(set(CONTRACT[n]) & columns))
    missing = [c for c in CONTRACT[best] if c not in columns]
    raise UserError(
        f"{path.name} line 1: the header matches no diary file "
        f"(closest is {best}, missing column {', '.join(missing)})"
    )


def _column_name(text: str) -> str:
    return text.strip().lower()


def records(path: Path, label: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) pairs with cells trimmed and unescaped; the header checked first.

    More than ``MAX_ROWS`` rows are refused here too: the streaming count of ``check_size`` can
    be fooled by stray quotes, this cannot.
    """
    expected = CONTRACT[label]
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror}") from None
    if csv.field_size_limit() < MAX_CELL:
        csv.field_size_limit(MAX_CELL)
    with handle:
        reader = csv.reader(_utf8_lines(handle, path.name))
        line = 1
        try:
            header = next(reader, None)
            if header is None:
                raise UserError(f"{path.name} is empty: a CSV file needs a header row")
            names = [_column_name(c) for c in header]
            missing = [c for c in expected if c not in names]
            if missing:
                raise UserError(
                    f"{path.name} line 1: missing column {', '.join(missing)} "
                    f"(expected {', '.join(expected)})"
                )
            index = {c: names.index(c) for c in expected}
            line = reader.line_num + 1
            count = 0
            for cells in reader:
                if any(cell.strip() for cell in cells):
                    count += 1
                    if count > MAX_ROWS:
                        raise too_many_rows(path.name, f"line {line}: row {count:,}")
                    row = {
                        c: unescape_cell(cells[i].strip()) if i < len(cells) else ""
                        for c, i in index.items()
                    }
                    yield line, row
                line = reader.line_num + 1
        except csv.Error as exc:
            raise UserError(f"{path.name} line {line}: not valid CSV ({exc})") from None


def _byte_lines(handle: IO[bytes], name: str) -> Iterator[bytes]:
    """The file's lines as bytes, read in 1 MB blocks; a line over ``MAX_LINE_BYTES`` is refused.

    Lines end at LF, CRLF or a lone CR (old spreadsheets), like Python's universal newlines. At
    most one line plus one block is held at a time, however the file is made.
    """
    carry = b""
    number = 0
    while block := handle.read(BLOCK_BYTES):
        pieces = (carry + block).splitlines(keepends=True)
        carry = pieces.pop()
        if carry.endswith(b"\n"):  # complete; a trailing CR may still be the first half of CRLF
            pieces.append(carry)
            carry = b""
        for piece in pieces:
            number += 1
            if len(piece) > MAX_LINE_BYTES:
                raise _line_too_long(name, number)
            yield piece
        if len(carry) > MAX_LINE_BYTES:
            raise _line_too_long(name, number + 1)
    if carry:
        yield carry


def _line_too_long(name: str, number: int) -> UserError:
    return UserError(
        f"{name} line {number}: longer than {MAX_LINE_BYTES:,} bytes, the limit for one line "
        "(no diary row is that long: is this the right file?)"
    )


def _utf8_lines(handle: IO[bytes], name: str) -> Iterator[str]:
    """The file's lines decoded one by one, so a bad byte is reported with its exact line."""
    for number, raw in enumerate(_byte_lines(handle, name), start=1):
        try:
            yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            raise UserError(
                f"{name} line {number}: not UTF-8 text (byte {raw[exc.start]:#04x} at position "
                f"{exc.start + 1}); save it as CSV UTF-8"
            ) from None


def check_size(path: Path) -> int:
    """The file's rows after the header, after refusing a file, line or row count over the limits.

    Runs before any row is parsed: the size from ``stat``, then one streaming pass that holds a
    single line at a time, so a hostile file costs neither memory nor a long wait. Rows are told
    from lines by the parity of the quotes seen (a line break inside a quoted cell does not end a
    row); a file that fools this is still held to ``MAX_ROWS`` exactly while it is parsed.
    """
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UserError(
                f"{path.name} is {size / 2**20:,.1f} MB; one import file may be at most "
                f"{MAX_FILE_BYTES // 2**20} MB (split the file and import the parts one by one)"
            )
        with path.open("rb") as handle:
            rows = _count_rows(_byte_lines(handle, path.name)) - 1
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror}") from None
    if rows > MAX_ROWS:
        raise too_many_rows(path.name, f"has {rows:,} rows after the header")
    return max(rows, 0)


def _count_rows(lines: Iterator[bytes]) -> int:
    """CSV records among ``lines``, blank ones left out (as the import skips them)."""
    rows = 0
    quoted = False
    for line in lines:
        quoted ^= line.count(b'"') & 1 == 1
        if not quoted and line.strip():
            rows += 1
    return rows + quoted


def too_many_rows(name: str, found: str) -> UserError:
    return UserError(
        f"{name} {found}; one import takes at most {MAX_ROWS:,} rows per file (split the file)"
    )
