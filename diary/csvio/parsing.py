"""Reading an import: every row of every file validated, and every problem found, before any write.

One bad row and nothing changes: each problem is reported with its file, line, column and reason
(``ImportFailed`` lists the first ``MAX_REPORTED``). Validated rows are kept as compact tuples of
stored values, ready for ``writing.write_import``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from diary import when
from diary.csvio.contract import CONTRACT, KEYS, MODELS
from diary.csvio.reading import check_size, find_files, records
from diary.csvio.validating import FastModel, build, row_maker, stored
from diary.db.models import problems, utc_now
from diary.errors import UserError

#: How many bad rows an import lists before it only counts the rest.
MAX_REPORTED = 20
#: Rows between two progress lines (and per ``executemany`` batch).
PROGRESS_EVERY = 10_000
#: Called with one line of progress ("episodes.csv: reading, 10,000 of 500,000 rows").
Progress = Callable[[str], None]


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


@dataclass
class ParsedFile:
    """A validated file: its rows as the database stores them (the key column first)."""

    name: str
    columns: tuple[str, ...] = ()
    rows: list[tuple[Any, ...]] = field(default_factory=list)


def parse_file(
    path: Path,
    label: str,
    zone: tzinfo,
    found: list[Problem],
    *,
    total: int = 0,
    progress: Progress | None = None,
) -> ParsedFile:
    """Validate every row of one file, adding each problem to ``found``."""
    parsed = ParsedFile(label)
    seen: dict[object, int] = {}
    key_column = KEYS[label][1]
    created_at = utc_now()
    fast = FastModel.for_model(MODELS[label])
    for count, (line, raw) in enumerate(records(path, label), start=1):
        if progress and count % PROGRESS_EVERY == 0:
            progress(f"{path.name}: reading, {count:,} of {total:,} rows")
        try:
            columns = build(label, raw, zone, created_at, fast)
        except ValidationError as exc:
            found.extend(
                Problem(path.name, line, _column(label, col, err), str(err))
                for col, err in problems(exc)
            )
            continue
        except UserError as exc:
            found.append(Problem(path.name, line, getattr(exc, "field", ""), str(exc)))
            continue
        identity = stored(columns[key_column])
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
            make = row_maker(label, parsed.columns)
        if not found:  # once the import is refused, rows are only checked, not kept
            parsed.rows.append(make(columns))
    return parsed


def _column(label: str, field: str, error: UserError) -> str:
    """The column a problem concerns ('' for the whole row): pydantic names no field for a rule
    over several (a course that stops before it starts, a strength check with no measure), so
    the column is the one the error names, if it is one of the file's."""
    if field in CONTRACT[label]:
        return field
    named = getattr(error, "field", "")
    return named if named in CONTRACT[label] else ""


def read_import(path: Path, *, progress: Progress | None = None) -> list[ParsedFile]:
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
