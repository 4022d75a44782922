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
importing the same export twice adds nothing. Rows that would overwrite different stored values
are counted first and need the caller's consent (``allow_replace``); the diary is backed up before
they are written.

Memory and time stay bounded: a file over ``MAX_FILE_BYTES``, with a line over ``MAX_LINE_BYTES`` or
more than ``MAX_ROWS`` rows is refused by a streaming pass before any row is parsed; validated rows
are kept as compact tuples of stored values; validation goes through the ``*Create`` models (fast
for repeated values, see ``_FastModel``), and the rows are written with ``executemany``.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from operator import itemgetter
from pathlib import Path
from typing import IO, Any, get_args

from pydantic import ValidationError
from sqlalchemy import Engine
from sqlmodel import Session, SQLModel, select

from diary import validation, when
from diary.db import safety, sqlite, store
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
    utc_now,
)
from diary.db.schema import DAY_COLUMNS
from diary.errors import StoreError, UserError
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
#: Rows between two progress lines (and per ``executemany`` batch).
PROGRESS_EVERY = 10_000
#: Keys per ``IN (...)`` lookup of stored rows (well under SQLite's variable limit).
LOOKUP_BATCH = 500
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
    half-written export that looks complete. The diary is read before any folder is made, and a
    failed write removes what this export created (files, then folders), so a failure leaves no
    empty or partial folder behind. Returns the number of rows per file.
    """
    if folder.exists() and not folder.is_dir():
        raise UserError(f"export folder is a file, not a folder: {folder}")
    with store.read_session(engine) as session:
        tables = snapshot(session)
    created = _missing_folders(folder)
    written: list[Path] = []
    try:
        ensure_private_dir(folder)
        for name, rows in tables.items():
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(CONTRACT[name])
            writer.writerows([[_cell(v) for v in row] for row in rows])
            write_private(folder / name, buffer.getvalue().encode("utf-8"))
            written.append(folder / name)
    except BaseException as exc:
        _undo_export(written if created else [], created)
        if isinstance(exc, OSError):
            reason = exc.strerror or str(exc)
            outcome = "nothing was exported" if created or not written else "it is incomplete"
            raise ExportFailed(
                f"cannot write the export into {folder}: {reason}; {outcome}"
            ) from None
        raise
    return {name: len(rows) for name, rows in tables.items()}


class ExportFailed(StoreError):
    """The export could not be written; what it had created is removed again."""

    exit_code = 1


def _missing_folders(folder: Path) -> list[Path]:
    """The folders ``ensure_private_dir(folder)`` would create, deepest first."""
    missing = []
    current = folder
    while not current.exists() and current.parent != current:
        missing.append(current)
        current = current.parent
    return missing


def _undo_export(files: list[Path], folders: list[Path]) -> None:
    """Remove the files an export wrote into folders it created, then those folders if empty."""
    for path in files:
        path.unlink(missing_ok=True)
    for path in folders:  # deepest first; rmdir refuses anything another program put there
        try:
            path.rmdir()
        except OSError:
            break


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
        super().__init__("\n  ".join(self.lines()))

    def lines(self) -> list[str]:
        """The refusal, then one line per problem (the first ``MAX_REPORTED``), then a count."""
        count = f"{len(self.problems)} problem{'s' if len(self.problems) != 1 else ''}"
        more = len(self.problems) - MAX_REPORTED
        return [
            f"import refused, nothing was changed ({count}):",
            *(str(p) for p in self.problems[:MAX_REPORTED]),
            *([f"… and {more} more"] if more > 0 else []),
        ]


class WouldReplace(UserError):
    """The import would overwrite stored rows with different values, more than was allowed.

    A CSV file carries no edit times, so the import cannot tell whether its values are newer than
    the diary's: an export taken last month would silently undo this week's corrections. So any
    row that would change is counted, and the caller decides (``--replace``, or a prompt).
    """

    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = {name: n for name, n in counts.items() if n}
        self.count = sum(self.counts.values())
        rows = f"{self.count} stored row{'' if self.count == 1 else 's'}"
        where = ", ".join(f"{name} {n}" for name, n in self.counts.items())
        super().__init__(
            f"this import would replace {rows} with different values from the file ({where}); "
            "nothing was changed"
        )


@dataclass
class ImportSummary:
    """What an import did, per file: rows added, changed, and already identical."""

    added: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    #: The copy of the diary taken before stored rows were replaced (None when none were).
    backup: Path | None = None

    def lines(self) -> list[str]:
        """One readable line per file."""
        return [
            f"{name}: {self.added[name]} new, {self.changed[name]} changed, "
            f"{self.unchanged[name]} already there"
            for name in self.added
        ]


#: Called with one line of progress ("episodes.csv: reading, 10,000 of 500,000 rows").
Progress = Callable[[str], None]


@dataclass
class _Parsed:
    """A validated file: its rows as the database stores them (the key column first)."""

    name: str
    columns: tuple[str, ...] = ()
    rows: list[tuple[Any, ...]] = field(default_factory=list)


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
        raise _too_many_rows(path.name, f"has {rows:,} rows after the header")
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


def _too_many_rows(name: str, found: str) -> UserError:
    return UserError(
        f"{name} {found}; one import takes at most {MAX_ROWS:,} rows per file (split the file)"
    )


class _FastModel:
    """A ``*Create`` model's own validation, run field by field, with repeated values remembered.

    pydantic validates a field by its "before" validator, then the type of its annotation, then
    its "after" validator. This runs the same three steps with the same functions (the model's
    validators, read from ``__pydantic_decorators__``, and a ``TypeAdapter`` of the annotation)
    and remembers each field's result per input value: 500,000 episodes hold a few dozen distinct
    body sites or symptom lists, so their rules run a few dozen times instead of 500,000. Fields
    whose values do not repeat (ids, notes) stop being remembered after ``MEMO_LIMIT`` values.

    It only speeds up what succeeds: a row that fails any step is validated again by the model
    itself, which reports its problems exactly as every other way in does. ``for_model`` gives
    None for a model with what this does not mirror (model validators, unusual validators); such
    a model validates every row itself.
    """

    MEMO_LIMIT = 4096

    def __init__(self, model: type[SQLModel], steps: dict[str, Callable[[Any], Any]]) -> None:
        self.model = model
        self.steps = steps
        self.required = {n for n, f in model.model_fields.items() if f.is_required()}
        self.memos: dict[str, dict[Any, Any] | None] = {name: {} for name in steps}

    @classmethod
    def for_model(cls, model: type[SQLModel]) -> _FastModel | None:
        """The fast path for ``model``, or None when it cannot mirror pydantic exactly."""
        from pydantic import TypeAdapter

        decorators = model.__pydantic_decorators__
        if decorators.model_validators or decorators.validators or decorators.root_validators:
            return None
        found: dict[tuple[str, str], Callable[[Any], Any]] = {}
        for decorator in decorators.field_validators.values():
            for name in decorator.info.fields:
                key = (name, decorator.info.mode)
                if key[1] not in ("before", "after") or key in found:
                    return None
                found[key] = decorator.func
        steps = {
            name: _chain(
                found.get((name, "before")),
                TypeAdapter(info.annotation).validate_python,
                found.get((name, "after")),
            )
            for name, info in model.model_fields.items()
        }
        return cls(model, steps)

    def validate(self, values: Mapping[str, Any]) -> SQLModel | None:
        """The validated model, or None when any field fails (ask the model itself then)."""
        if not self.required <= values.keys():
            return None
        fields = {}
        try:
            for name, step in self.steps.items():
                if name not in values:
                    continue  # like pydantic: a missing optional field keeps its default
                raw = values[name]
                memo = self.memos[name]
                # Only text is remembered: other values can be equal yet differ (two date-times
                # at the same instant in different offsets compare equal).
                if memo is None or type(raw) is not str:
                    fields[name] = step(raw)
                elif raw in memo:
                    fields[name] = memo[raw]
                else:
                    fields[name] = memo[raw] = step(raw)
                    if len(memo) > self.MEMO_LIMIT:
                        self.memos[name] = None
        except Exception:  # any failure: the model itself validates the row and says why
            return None
        return self.model.model_construct(**fields)


def _chain(*steps: Callable[[Any], Any] | None) -> Callable[[Any], Any]:
    """One function applying ``steps`` in order (None entries skipped)."""
    present = [step for step in steps if step is not None]

    def run(value: Any) -> Any:
        for step in present:
            value = step(value)
        return value

    return run


_MODELS: Mapping[str, type[SQLModel]] = {
    "episodes.csv": EpisodeCreate,
    "days.csv": DayCreate,
    "medications.csv": MedicationCreate,
    "visits.csv": VisitCreate,
    "profile.csv": ProfileEntryCreate,
}


def _build(
    label: str,
    raw: dict[str, str],
    zone: tzinfo,
    created_at: datetime,
    fast: _FastModel | None = None,
) -> dict[str, Any]:
    """Validate one CSV row into the columns it is stored as (``UserError``/``ValidationError``).

    The ``*Create`` models are the validation, exactly as for every other way data comes in (via
    ``_FastModel`` when given); the table models are not built (they validate nothing more, and
    cost more than the rest together).
    """
    values: dict[str, Any] = raw
    if label == "episodes.csv":
        values = {**raw, "started_at": when.parse_iso_datetime(raw["started_at"], zone)}
    model: Any = (fast and fast.validate(values)) or _MODELS[label].model_validate(values)
    if label == "episodes.csv":
        return model.columns(created_at=created_at)  # type: ignore[no-any-return]
    if label == "profile.csv":
        return model.model_dump()  # type: ignore[no-any-return]
    return model.columns()  # type: ignore[no-any-return]


def _stored(value: Any) -> Any:
    """A value as SQLAlchemy stores it in SQLite (date-times and dates as ISO text)."""
    if isinstance(value, datetime):
        return validation.db_timestamp(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _row_maker(label: str, columns: tuple[str, ...]) -> Callable[[Mapping[str, Any]], tuple]:
    """A function turning validated columns into the stored row, converting only what needs it.

    Only the table's date and date-time columns are converted; the rest pass through untouched,
    which matters at 500,000 rows.
    """
    fields = _TABLES[label].model_fields
    dated = [i for i, c in enumerate(columns) if _is_dated(fields[c].annotation)]

    def make(values: Mapping[str, Any]) -> tuple[Any, ...]:
        row = [values[c] for c in columns]
        for i in dated:
            if row[i] is not None:
                row[i] = _stored(row[i])
        return tuple(row)

    return make


def _is_dated(annotation: Any) -> bool:
    """Whether a field holds a date or a date-time (``date``, ``datetime``, ``date | None``)."""
    types = (annotation, *get_args(annotation))
    return any(isinstance(t, type) and issubclass(t, date) for t in types)


def parse_file(
    path: Path,
    label: str,
    zone: tzinfo,
    found: list[Problem],
    *,
    total: int = 0,
    progress: Progress | None = None,
) -> _Parsed:
    """Validate every row of one file, adding each problem to ``found``."""
    parsed = _Parsed(label)
    seen: dict[object, int] = {}
    key_column = _KEYS[label][1]
    created_at = utc_now()
    fast = _FastModel.for_model(_MODELS[label])
    count = 0
    for line, raw in _records(path, label):
        count += 1
        if count > MAX_ROWS:  # the streaming count can be fooled by stray quotes; this cannot
            raise _too_many_rows(path.name, f"line {line}: row {count:,}")
        if progress and count % PROGRESS_EVERY == 0:
            progress(f"{path.name}: reading, {count:,} of {total:,} rows")
        try:
            columns = _build(label, raw, zone, created_at, fast)
        except ValidationError as exc:
            found.extend(Problem(path.name, line, col, str(err)) for col, err in problems(exc))
            continue
        except UserError as exc:
            found.append(Problem(path.name, line, getattr(exc, "field", ""), str(exc)))
            continue
        identity = _stored(columns[key_column])
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
        if not parsed.columns:
            parsed.columns = (key_column, *(c for c in columns if c != key_column))
            make = _row_maker(label, parsed.columns)
        if not found:  # once the import is refused, rows are only checked, not kept
            parsed.rows.append(make(columns))
    return parsed


def read_import(path: Path, *, progress: Progress | None = None) -> list[_Parsed]:
    """Read and validate a folder or one file, touching no database; ``ImportFailed`` if bad."""
    files = find_files(path)
    rows = {name: check_size(file) for name, file in files.items()}
    zone = when.local_zone()
    found: list[Problem] = []
    parsed = [
        parse_file(files[name], name, zone, found, total=rows[name], progress=progress)
        for name in CONTRACT
        if name in files
    ]
    if found:
        raise ImportFailed(found)
    return parsed


def import_path(
    engine: Engine, path: Path, *, allow_replace: int | None = 0, progress: Progress | None = None
) -> ImportSummary:
    """Import a folder or one file: every row validated first, then one transaction."""
    parsed = read_import(path, progress=progress)
    return write_import(engine, parsed, allow_replace=allow_replace, progress=progress)


_TABLES: Mapping[str, type[SQLModel]] = {
    "episodes.csv": Episode,
    "days.csv": Day,
    "medications.csv": Medication,
    "visits.csv": Visit,
    "profile.csv": ProfileEntry,
}
#: Per file: the table and its key column (rows are matched by it).
_KEYS: Mapping[str, tuple[str, str]] = {
    "episodes.csv": ("episode", "id"),
    "days.csv": ("day", "date"),
    "medications.csv": ("medication", "id"),
    "visits.csv": ("visit", "id"),
    "profile.csv": ("profile", "key"),
}
#: Columns set when a row is first stored and kept when an import changes it.
_KEPT = frozenset({"created_at"})


@dataclass
class _Plan:
    """What one file does to its table: rows to insert, update and delete, and rows unchanged."""

    item: _Parsed
    insert: list[tuple[Any, ...]] = field(default_factory=list)
    update: list[tuple[Any, ...]] = field(default_factory=list)
    delete: list[tuple[Any]] = field(default_factory=list)
    same: int = 0

    @property
    def replaced(self) -> int:
        """Stored rows this file would overwrite or remove."""
        return len(self.update) + len(self.delete)


def write_import(
    engine: Engine,
    parsed: list[_Parsed],
    *,
    allow_replace: int | None = 0,
    progress: Progress | None = None,
) -> ImportSummary:
    """Write validated rows in one transaction, matching existing rows by their key.

    Stored rows the file would change are counted first; more than ``allow_replace`` of them
    (None: any number) raises ``WouldReplace`` with nothing written. When rows will be replaced,
    the diary is copied to ``backups/before-import-…`` first, inside the same transaction, so
    the copy is exactly what the import then changes.
    """
    summary = ImportSummary()
    db_file = Path(engine.url.database or "")
    proxy = engine.raw_connection()
    try:
        conn = proxy.driver_connection
        assert isinstance(conn, sqlite3.Connection)
        with sqlite.write_transaction(conn):
            plans = [_plan(conn, item) for item in parsed]
            replaced = {plan.item.name: plan.replaced for plan in plans}
            if allow_replace is not None and sum(replaced.values()) > allow_replace:
                raise WouldReplace(replaced)
            if sum(replaced.values()):
                summary.backup = safety.snapshot(
                    db_file, safety.default_backup_path(db_file, "before-import")
                )
            for plan in plans:
                _apply(conn, plan, progress)
                summary.added[plan.item.name] = len(plan.insert)
                summary.changed[plan.item.name] = plan.replaced
                summary.unchanged[plan.item.name] = plan.same
    finally:
        proxy.close()
    return summary


def _plan(conn: sqlite3.Connection, item: _Parsed) -> _Plan:
    """Sort one file's rows into new, changed and identical, against what is stored now.

    Stored rows are looked up ``LOOKUP_BATCH`` keys at a time and compared at once, so only one
    batch of them is ever held in memory.
    """
    plan = _Plan(item)
    if not item.rows:
        return plan
    # In key order, lookups, inserts and updates walk the primary-key index instead of jumping
    # around it: a large import touches each of its pages once.
    item.rows.sort(key=itemgetter(0))
    table, key = _KEYS[item.name]
    compared = [i for i, c in enumerate(item.columns) if c not in _KEPT]
    select = ", ".join(f'"{item.columns[i]}"' for i in compared)
    is_profile = item.name == "profile.csv"
    for start in range(0, len(item.rows), LOOKUP_BATCH):
        batch = item.rows[start : start + LOOKUP_BATCH]
        marks = ", ".join("?" * len(batch))
        sql = f'SELECT {select} FROM "{table}" WHERE "{key}" IN ({marks})'
        stored = {row[0]: row for row in conn.execute(sql, [row[0] for row in batch])}
        for row in batch:
            existing = stored.get(row[0])
            if is_profile and row[1] == "":  # an empty value clears the key
                if existing is not None:
                    plan.delete.append((row[0],))
            elif existing is None:
                plan.insert.append(row)
            elif _same(item.columns, compared, existing, row):
                plan.same += 1
            else:
                plan.update.append(row)
    return plan


def _same(
    columns: tuple[str, ...], compared: list[int], stored: Sequence[Any], row: Sequence[Any]
) -> bool:
    """Whether the stored row already holds ``row``'s values (instants compared as instants)."""
    incoming = tuple(row[i] for i in compared)
    if tuple(stored) == incoming:
        return True
    names = [columns[i] for i in compared]
    return _canonical(names, stored) == _canonical(names, incoming)


def _canonical(names: list[str], values: Sequence[Any]) -> tuple[Any, ...]:
    """Values with every stored date-time in one text form (an older writer may have differed)."""
    return tuple(
        _instant_text(v) if name in _INSTANTS else v for name, v in zip(names, values, strict=True)
    )


_INSTANTS = frozenset({"started_at_utc"})


def _instant_text(value: Any) -> Any:
    try:
        return validation.db_timestamp(as_utc(datetime.fromisoformat(value)))
    except (TypeError, ValueError):
        return value  # not a time at all: compared as it is (and so replaced)


def _apply(conn: sqlite3.Connection, plan: _Plan, progress: Progress | None) -> None:
    """Execute one file's plan in batches (``executemany``), reporting progress between them."""
    table, key = _KEYS[plan.item.name]
    columns = plan.item.columns
    names = ", ".join(f'"{c}"' for c in columns)
    insert = f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})'
    changed = [c for c in columns[1:] if c not in _KEPT]
    assignments = ", ".join(f'"{c}" = ?' for c in changed)
    update = f'UPDATE "{table}" SET {assignments} WHERE "{key}" = ?'
    positions = [columns.index(c) for c in changed]
    updates = [tuple(row[i] for i in positions) + (row[0],) for row in plan.update]
    if plan.delete:
        conn.executemany(f'DELETE FROM "{table}" WHERE "{key}" = ?', plan.delete)
    total = len(plan.insert) + len(updates)
    done = 0
    for sql, rows in ((insert, plan.insert), (update, updates)):
        for start in range(0, len(rows), PROGRESS_EVERY):
            batch = rows[start : start + PROGRESS_EVERY]
            conn.executemany(sql, batch)
            done += len(batch)
            if progress and total >= PROGRESS_EVERY:
                progress(f"{plan.item.name}: writing, {done:,} of {total:,} rows")
