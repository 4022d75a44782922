"""The CSV contract: export everything, import it back all-or-nothing.

Five UTF-8 files with a header row (``CONTRACT`` gives their columns, in order). Sets are
``;``-separated, an empty cell is unknown, ``started_at`` carries its UTC offset.

Spreadsheet safety (OWASP "CSV injection"): on export a cell that starts with ``= + - @``, a tab,
CR, LF or ``'`` gets a leading ``'``, so a spreadsheet shows it as text instead of running it; on
import one leading ``'`` is removed when the next character is one of those. Escaping ``'`` itself
keeps round trips exact: a note that really starts with ``'=`` comes back as it was.

Import reads and validates every row of every file before it writes anything, then writes them all
in one transaction: one bad row and nothing changes, and every bad row is reported with its file,
line, column and reason. Rows are matched by ``id`` (``date`` for days, ``key`` for the profile), so
importing the same export twice adds nothing. A file of more than ``MAX_ROWS`` rows is refused
before any row is parsed (its lines are counted in a streaming pass), so memory stays bounded.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError
from sqlalchemy import Engine
from sqlmodel import Session, SQLModel, select

from diary import when
from diary.db import store
from diary.db.models import (
    Day,
    DayCreate,
    Episode,
    EpisodeCreate,
    Medication,
    MedicationCreate,
    ProfileEntry,
    ProfileEntryCreate,
    Visit,
    VisitCreate,
    as_utc,
    problems,
)
from diary.db.schema import DAY_COLUMNS
from diary.errors import UserError
from diary.paths import ensure_private_dir, write_private

CONTRACT: Mapping[str, tuple[str, ...]] = {
    "episodes.csv": (
        "id",
        "started_at",
        "body_site",
        "side",
        "intensity",
        "duration_s",
        "kind",
        "symptoms",
        "context",
        "note",
    ),
    "days.csv": DAY_COLUMNS,
    "medications.csv": ("id", "name", "drug_class", "dose", "started_on", "stopped_on", "note"),
    "visits.csv": ("id", "date", "kind", "tests", "outcome", "note"),
    "profile.csv": ("key", "value"),
}
#: How many bad rows an import lists before it only counts the rest.
MAX_REPORTED = 20
#: The most lines one import file may have. Import validates every row before writing any (that is
#: what makes it all-or-nothing), so it holds every parsed row in memory; at roughly 1 kB per row
#: this keeps an import under about 500 MB. Lines are counted in a cheap streaming pass before any
#: row is parsed, so a huge file is refused in one line without being loaded. A diary gets a few
#: thousand rows a year: anything near this limit is not a diary export.
MAX_ROWS = 500_000
#: The longest cell the CSV reader accepts (the standard library's default is 131,072 bytes).
#: Larger than any valid cell, so an over-long note is read and refused by the note rule, which
#: names the column, instead of by the CSV reader, which cannot.
MAX_CELL = 1_000_000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "'")


def escape_cell(text: str) -> str:
    """Make a cell inert in spreadsheets (see the module docstring)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def unescape_cell(text: str) -> str:
    """Undo ``escape_cell``: drop one leading ``'`` that guards a formula character."""
    if len(text) >= 2 and text[0] == "'" and text[1] in FORMULA_START:
        return text[1:]
    return text


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[no-any-return]
    return escape_cell(str(value))


# --- export ---------------------------------------------------------------------------------------


def _episode_cells(row: Episode) -> list[object]:
    return [
        row.id,
        row.started_at,
        row.body_site,
        row.side,
        row.intensity,
        row.duration_s,
        row.kind,
        row.symptoms,
        row.context,
        row.note,
    ]


def snapshot(session: Session) -> dict[str, list[list[object]]]:
    """Every row of the diary, as the cells of each contract file (one consistent read)."""
    episodes = session.exec(select(Episode).order_by(Episode.started_at_utc, Episode.id)).all()
    meds = session.exec(select(Medication).order_by(Medication.started_on, Medication.id)).all()
    return {
        "episodes.csv": [_episode_cells(e) for e in episodes],
        "days.csv": [
            [getattr(d, c) for c in CONTRACT["days.csv"]] for d in store.list_days(session=session)
        ],
        "medications.csv": [[getattr(m, c) for c in CONTRACT["medications.csv"]] for m in meds],
        "visits.csv": [
            [getattr(v, c) for c in CONTRACT["visits.csv"]]
            for v in store.list_visits(session=session)
        ],
        "profile.csv": sorted(store.get_profile(session=session).items()),
    }


def export_all(engine: Engine, folder: Path) -> dict[str, int]:
    """Write the five contract files into ``folder`` (0600 files, folder 0700 if created).

    Each file is written beside its final name and renamed into place, so a crash never leaves a
    half-written export that looks complete. Returns the number of rows per file.
    """
    if folder.exists() and not folder.is_dir():
        raise UserError(f"export folder is a file, not a folder: {folder}")
    ensure_private_dir(folder)
    with store.read_session(engine) as session:
        tables = snapshot(session)
    for name, rows in tables.items():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CONTRACT[name])
        writer.writerows([[_cell(v) for v in row] for row in rows])
        write_private(folder / name, buffer.getvalue().encode("utf-8"))
    return {name: len(rows) for name, rows in tables.items()}


# --- import ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One reason a row cannot be imported."""

    file: str
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file} line {self.line}"
        return (
            f"{where}, column {self.column}: {self.reason}"
            if self.column
            else f"{where}: {self.reason}"
        )


class ImportFailed(UserError):
    """The import found problems; nothing was written."""

    def __init__(self, found: list[Problem]) -> None:
        self.problems = found
        shown = "\n  ".join(str(p) for p in found[:MAX_REPORTED])
        more = len(found) - MAX_REPORTED
        tail = f"\n  … and {more} more" if more > 0 else ""
        count = f"{len(found)} problem{'s' if len(found) != 1 else ''}"
        super().__init__(f"import refused, nothing was changed ({count}):\n  {shown}{tail}")


@dataclass
class ImportSummary:
    """What an import did, per file: rows added, changed, and already identical."""

    added: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """One readable line per file."""
        return [
            f"{name}: {self.added[name]} new, {self.changed[name]} changed, "
            f"{self.unchanged[name]} already there"
            for name in self.added
        ]


@dataclass
class _Parsed:
    """A validated file: the rows to write, keyed by their identity."""

    name: str
    rows: list[SQLModel]


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


def _records(path: Path, label: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) pairs with cells trimmed and unescaped; the header checked first."""
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
            for cells in reader:
                if any(cell.strip() for cell in cells):
                    row = {
                        c: unescape_cell(cells[i].strip()) if i < len(cells) else ""
                        for c, i in index.items()
                    }
                    yield line, row
                line = reader.line_num + 1
        except csv.Error as exc:
            raise UserError(f"{path.name} line {line}: not valid CSV ({exc})") from None


def _utf8_lines(handle: IO[bytes], name: str) -> Iterator[str]:
    """The file's lines decoded one by one, so a bad byte is reported with its exact line.

    Lines end at LF, CRLF or a lone CR (old spreadsheets), like Python's universal newlines.
    """
    pieces = (piece for chunk in handle for piece in chunk.splitlines(keepends=True))
    for number, raw in enumerate(pieces, start=1):
        try:
            yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            raise UserError(
                f"{name} line {number}: not UTF-8 text (byte {raw[exc.start]:#04x} at position "
                f"{exc.start + 1}); save it as CSV UTF-8"
            ) from None


def count_lines(path: Path) -> int:
    """The file's line count, read in 1 MB blocks (memory stays flat however big the file is)."""
    lines = 0
    last = b"\n"
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            lines += block.count(b"\n")
            last = block[-1:]
    return lines + (last != b"\n")


def check_size(path: Path) -> None:
    """Refuse a file with more than ``MAX_ROWS`` rows before any of it is parsed."""
    try:
        lines = count_lines(path)
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror}") from None
    if lines - 1 > MAX_ROWS:
        raise UserError(
            f"{path.name} has {lines - 1:,} lines after the header; one import takes at most "
            f"{MAX_ROWS:,} rows per file (split the file)"
        )


def _identity(label: str, row: SQLModel) -> object:
    if label == "days.csv":
        return row.date  # type: ignore[attr-defined]
    if label == "profile.csv":
        return row.key  # type: ignore[attr-defined]
    return row.id  # type: ignore[attr-defined]


def _build(label: str, raw: dict[str, str], zone: tzinfo) -> SQLModel:
    """Validate one CSV row into the table row it becomes (``UserError``/``ValidationError``)."""
    if label == "episodes.csv":
        values: dict[str, Any] = dict(raw)
        values["started_at"] = when.parse_iso_datetime(raw["started_at"], zone)
        return Episode.model_validate(EpisodeCreate.model_validate(values).columns())
    if label == "days.csv":
        return Day.model_validate(DayCreate.model_validate(raw).columns())
    if label == "medications.csv":
        return Medication.model_validate(MedicationCreate.model_validate(raw).columns())
    if label == "visits.csv":
        return Visit.model_validate(VisitCreate.model_validate(raw).columns())
    entry = ProfileEntryCreate.model_validate(raw)
    return ProfileEntry.model_validate(entry.model_dump())


def parse_file(path: Path, label: str, zone: tzinfo, found: list[Problem]) -> _Parsed:
    """Validate every row of one file, adding each problem to ``found``."""
    rows: list[SQLModel] = []
    seen: dict[object, int] = {}
    key_column = {"days.csv": "date", "profile.csv": "key"}.get(label, "id")
    for line, raw in _records(path, label):
        try:
            row = _build(label, raw, zone)
        except ValidationError as exc:
            found.extend(Problem(path.name, line, col, str(err)) for col, err in problems(exc))
            continue
        except UserError as exc:
            found.append(Problem(path.name, line, getattr(exc, "field", ""), str(exc)))
            continue
        identity = _identity(label, row)
        if raw.get(key_column) and identity in seen:
            found.append(
                Problem(
                    path.name,
                    line,
                    key_column,
                    f"{key_column} {raw[key_column]!r} appears twice "
                    f"(first on line {seen[identity]})",
                )
            )
            continue
        seen[identity] = line
        rows.append(row)
    return _Parsed(label, rows)


def read_import(path: Path) -> list[_Parsed]:
    """Read and validate a folder or one file, touching no database; ``ImportFailed`` if bad."""
    files = find_files(path)
    for file in files.values():
        check_size(file)
    zone = when.local_zone()
    found: list[Problem] = []
    parsed = [parse_file(files[name], name, zone, found) for name in CONTRACT if name in files]
    if found:
        raise ImportFailed(found)
    return parsed


def import_path(engine: Engine, path: Path) -> ImportSummary:
    """Import a folder or one file: every row validated first, then one transaction."""
    return write_import(engine, read_import(path))


def write_import(engine: Engine, parsed: list[_Parsed]) -> ImportSummary:
    """Write validated rows in one transaction, matching existing rows by their identity."""
    summary = ImportSummary()
    with store.write_session(engine) as session:
        for item in parsed:
            _write(session, item, summary)
    return summary


_TABLES: Mapping[str, type[SQLModel]] = {
    "episodes.csv": Episode,
    "days.csv": Day,
    "medications.csv": Medication,
    "visits.csv": Visit,
    "profile.csv": ProfileEntry,
}


def _comparable(row: SQLModel) -> dict[str, Any]:
    values = row.model_dump(exclude={"created_at"})
    if "started_at_utc" in values:
        values["started_at_utc"] = as_utc(values["started_at_utc"])
    return values


def _write(session: Session, item: _Parsed, summary: ImportSummary) -> None:
    table = _TABLES[item.name]
    added = changed = same = 0
    for row in item.rows:
        existing = session.get(table, _identity(item.name, row))
        if isinstance(row, ProfileEntry) and row.value == "":  # an empty value clears the key
            if existing is not None:
                session.delete(existing)
                changed += 1
            continue
        if existing is None:
            session.add(row)
            added += 1
            continue
        if _comparable(existing) == _comparable(row):
            same += 1
            continue
        for key, value in row.model_dump(exclude={"created_at"}).items():
            setattr(existing, key, value)
        session.add(existing)
        changed += 1
    session.flush()
    summary.added[item.name] = added
    summary.changed[item.name] = changed
    summary.unchanged[item.name] = same
