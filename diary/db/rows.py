"""What the store's tables share: finding by id, edits that check, deletes that can be undone.

Episodes, medication courses and visits are found by their id or its first characters, edited by
merging the changes into the stored values and validating the whole again (compare-and-set when
the caller says what it read), and deleted or put back as their ``*Create`` values. One
definition here, so every table behaves the same and says so in the same words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy import Date, func
from sqlmodel import Session, SQLModel, col, select

from diary.db.models import IdColumn, InputId, validate
from diary.errors import InvalidValue, StoreError

#: Shortest id prefix accepted where an id is asked for (``twitch edit 3f2a``).
MIN_ID_PREFIX = 4

Row = TypeVar("Row", bound=IdColumn)
Input = TypeVar("Input", bound=InputId)
Table = TypeVar("Table", bound=SQLModel)


class EditConflict(StoreError):
    """An edit was refused: a field it changes was changed by someone else since it was read.

    ``fields`` names those fields; ``current`` is the row as stored now (a detached copy of the
    table model, or for the profile its key → text mapping), so the caller can show it instead of
    overwriting it.
    """

    def __init__(self, fields: list[str], current: Any) -> None:
        self.fields = fields
        self.current = current
        super().__init__(
            f"not saved: {', '.join(fields)} changed elsewhere since it was read (nothing written)"
        )


def find_by_id(*, session: Session, table: type[Row], ident: str, noun: str, listing: str) -> Row:
    """The row of ``table`` with this id, or the only one whose id starts with it."""
    key = ident.strip().lower()
    if len(key) < MIN_ID_PREFIX:
        raise InvalidValue("id", ident, f"at least {MIN_ID_PREFIX} characters of an id")
    exact = session.get(table, key)
    if exact is not None:
        return exact
    matches = session.exec(
        select(table).where(col(table.id).startswith(key, autoescape=True)).limit(2)
    ).all()
    if not matches:
        raise StoreError(f"no {noun} has id {ident!r} (see `{listing}`)")
    if len(matches) > 1:
        raise StoreError(f"more than one {noun} has an id starting {ident!r}; give more of it")
    return matches[0]


def looks_like_id(ident: str) -> bool:
    """Whether ``ident`` could be (the start of) an id: four or more hex digits and dashes."""
    key = ident.strip().lower()
    return len(key) >= MIN_ID_PREFIX and all(c in "0123456789abcdef-" for c in key)


def input_values(row: SQLModel, model: type[SQLModel]) -> dict[str, Any]:
    """A stored row as ``model`` input (for editing: change some, validate all; or to undo)."""
    return {name: getattr(row, name) for name in model.model_fields}


def merged(
    row: Row,
    model: type[Input],
    changes: Mapping[str, Any],
    expected: Mapping[str, Any] | None,
) -> Input:
    """``row`` with ``changes``, validated as a whole; the id cannot change.

    ``expected`` (field -> the value the caller read before its person edited it) makes the edit
    a compare-and-set inside the caller's transaction: if one of those fields now holds something
    else, written by another program meanwhile, ``EditConflict`` is raised and nothing changes, so
    a stale form never reverts someone else's edit.
    """
    current = input_values(row, model)
    result = validate(model, {**current, **changes, "id": row.id})
    if expected:
        _check_unchanged(current, expected, result.model_dump(), row)
    return result


def _same(a: object, b: object) -> bool:
    """Equal values; for times, the same instant *and* the same UTC offset (as lived)."""
    if isinstance(a, dt.datetime) and isinstance(b, dt.datetime):
        return a == b and a.utcoffset() == b.utcoffset()
    return a == b


def _check_unchanged(
    current: Mapping[str, Any], expected: Mapping[str, Any], wanted: Mapping[str, Any], row: Any
) -> None:
    """Raise ``EditConflict`` for fields changed since they were read (unless to the same value).

    The error carries a detached copy of the row, because the rollback that follows expires the
    session's own instance.
    """
    changed = [
        name
        for name, value in expected.items()
        if not _same(current[name], value) and not _same(current[name], wanted[name])
    ]
    if changed:
        raise EditConflict(changed, type(row).model_validate(row.model_dump()))


def write_columns(session: Session, row: SQLModel, columns: Mapping[str, Any]) -> None:
    """Store validated ``columns`` on an existing ``row`` (one place for every edit)."""
    for key, value in columns.items():
        setattr(row, key, value)
    session.add(row)
    session.flush()


def insert(session: Session, table: type[Table], columns: Mapping[str, Any]) -> Table:
    """Store a new row of validated ``columns``."""
    row = table.model_validate(columns)
    session.add(row)
    session.flush()
    return row


def insert_new(session: Session, table: type[Row], columns: Mapping[str, Any], noun: str) -> Row:
    """Store a new row of validated ``columns``, refusing an id that is already in use."""
    if session.get(table, columns["id"]) is not None:
        raise StoreError(f"a {noun} with id {columns['id']} already exists")
    return insert(session, table, columns)


def local_date(utc: Any, offset_min: Any) -> Any:
    """SQL for the local calendar date of a stored instant: the UTC column shifted by its offset."""
    return func.date(utc, func.printf("%+d minutes", offset_min), type_=Date)


def within(query: Any, day: Any, since: dt.date | None, until: dt.date | None) -> Any:
    """``query`` limited to rows whose date (a column or ``local_date``) is in [since, until]."""
    if since is not None:
        query = query.where(day >= since)
    if until is not None:
        query = query.where(day <= until)
    return query


def delete(session: Session, row: SQLModel, model: type[SQLModel]) -> dict[str, Any]:
    """Remove ``row``; returns its values as ``model`` input, to show it or put it back."""
    values = input_values(row, model)
    session.delete(row)
    session.flush()
    return values


def to_restore(
    session: Session,
    table: type[SQLModel],
    model: type[Input],
    values: Mapping[str, Any],
    noun: str,
) -> Input:
    """Values removed by ``delete``, validated again, refused if their id is in use meanwhile."""
    item = validate(model, dict(values))
    if item.id and session.get(table, item.id) is not None:
        raise StoreError(f"a {noun} with id {item.id[:8]} is already there")
    return item
