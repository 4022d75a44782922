"""Exporting the diary: the contract's eight files, written whole or not at all."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from diary.csvio.contract import CONTRACT, escape_cell
from diary.db import checks, store
from diary.db.models import Episode, Medication
from diary.errors import StoreError, UserError
from diary.paths import ensure_private_dir, write_private


class ExportFailed(StoreError):
    """The export could not be written; what it had created is removed again."""

    exit_code = 1


def cell(value: object) -> str:
    """A stored value as its CSV cell: unknown is empty, yes/no answers as words, dates ISO, text
    escaped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, date):
        return value.isoformat()
    return escape_cell(str(value))


def snapshot(session: Session) -> dict[str, list[list[object]]]:
    """Every row of the diary, as the cells of each contract file (one consistent read)."""
    tables = {
        "episodes.csv": session.exec(
            select(Episode).order_by(col(Episode.started_at_utc), col(Episode.id))
        ).all(),
        "days.csv": store.list_days(session=session),
        "medications.csv": session.exec(
            select(Medication).order_by(col(Medication.started_on), col(Medication.id))
        ).all(),
        "visits.csv": store.list_visits(session=session),
        "sign_checks.csv": checks.list_sign_checks(session=session),
        "strength_checks.csv": checks.list_strength_checks(session=session),
        "twitch_counts.csv": checks.list_twitch_counts(session=session),
    }
    cells: dict[str, list[list[object]]] = {
        name: [[getattr(row, c) for c in CONTRACT[name]] for row in rows]
        for name, rows in tables.items()
    }
    cells["profile.csv"] = [[k, v] for k, v in sorted(store.get_profile(session=session).items())]
    return {name: cells[name] for name in CONTRACT}  # in the contract's order


def export_all(engine: Engine, folder: Path) -> dict[str, int]:
    """Write the contract's files into ``folder`` (0600 files, folder 0700 if created).

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
            writer.writerows([[cell(v) for v in row] for row in rows])
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
