"""Writing an import: one transaction, rows matched by their key, replacements only with consent.

Rows are matched by ``id`` (``date`` for days, ``key`` for the profile), so importing the same
export twice adds nothing. Rows that would overwrite different stored values are counted first and
need the caller's consent (``allow_replace``); the diary is backed up before they are written. The
rows go in with ``executemany``, in key order, in batches that report progress.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from diary import validation
from diary.csvio.contract import KEYS
from diary.csvio.parsing import PROGRESS_EVERY, ParsedFile, Progress, read_import
from diary.db import backups, sqlite
from diary.db.models import as_utc
from diary.errors import UserError

#: Keys per ``IN (...)`` lookup of stored rows (well under SQLite's variable limit).
LOOKUP_BATCH = 500
#: Columns set when a row is first stored and kept when an import changes it.
_KEPT = frozenset({"created_at"})
#: Columns holding an instant, compared as instants (an older writer may have written other text).
_INSTANTS = frozenset({"started_at_utc", "counted_at_utc"})


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


@dataclass
class _Plan:
    """What one file does to its table: rows to insert, update and delete, and rows unchanged."""

    item: ParsedFile
    insert: list[tuple[Any, ...]] = field(default_factory=list)
    update: list[tuple[Any, ...]] = field(default_factory=list)
    delete: list[tuple[Any]] = field(default_factory=list)
    same: int = 0

    @property
    def replaced(self) -> int:
        """Stored rows this file would overwrite or remove."""
        return len(self.update) + len(self.delete)


def import_path(
    engine: Engine, path: Path, *, allow_replace: int | None = 0, progress: Progress | None = None
) -> ImportSummary:
    """Import a folder or one file: every row validated first, then one transaction."""
    parsed = read_import(path, progress=progress)
    return write_import(engine, parsed, allow_replace=allow_replace, progress=progress)


def write_import(
    engine: Engine,
    parsed: list[ParsedFile],
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
                summary.backup = backups.snapshot(
                    db_file, backups.default_backup_path(db_file, "before-import")
                )
            for plan in plans:
                _apply(conn, plan, progress)
                summary.added[plan.item.name] = len(plan.insert)
                summary.changed[plan.item.name] = plan.replaced
                summary.unchanged[plan.item.name] = plan.same
    finally:
        proxy.close()
    return summary


def _plan(conn: sqlite3.Connection, item: ParsedFile) -> _Plan:
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
    table, key = KEYS[item.name]
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


def _instant_text(value: Any) -> Any:
    try:
        return validation.db_timestamp(as_utc(datetime.fromisoformat(value)))
    except (TypeError, ValueError):
        return value  # not a time at all: compared as it is (and so replaced)


def _apply(conn: sqlite3.Connection, plan: _Plan, progress: Progress | None) -> None:
    """Execute one file's plan in batches (``executemany``), reporting progress between them."""
    table, key = KEYS[plan.item.name]
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
