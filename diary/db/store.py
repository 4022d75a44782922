"""The diary's store: keyword-only functions over a SQLModel ``Session``.

Callers (the command line, the CSV import, later the TUI) open a transaction with
``write_session(engine)`` and pass the session in, so several changes can share one transaction and
nothing half-done is ever committed. Inputs arrive as validated ``*Create`` models; outputs are the
table models (plain data, no lazy loading to trip over after the session closes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, func
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select

from diary import validation, wording
from diary.db import sqlite
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
    validate,
)
from diary.errors import InvalidValue, StoreError

#: Shortest id prefix accepted where an id is asked for (``twitch edit 3f2a``).
MIN_ID_PREFIX = 4


class EditConflict(StoreError):
    """An edit was refused: a field it changes was changed by someone else since it was read.

    ``fields`` names those fields; ``current`` is the episode as stored now, so the caller can show
    it instead of overwriting it.
    """

    def __init__(self, fields: list[str], current: Episode) -> None:
        self.fields = fields
        self.current = current
        super().__init__(
            f"not saved: {', '.join(fields)} changed elsewhere since it was read (nothing written)"
        )


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """One transaction (``BEGIN IMMEDIATE``): committed at the end, rolled back on error."""
    try:
        with Session(engine, expire_on_commit=False) as session, session.begin():
            yield session
    except OperationalError as exc:
        raise sqlite.translate(exc.orig, engine.url.database or "") from None  # type: ignore[arg-type]


read_session = write_session  # reads take the same lock: short, and always a consistent snapshot


# --- episodes -------------------------------------------------------------------------------------


def local_date_sql() -> Any:
    """SQL for an episode's local calendar date (UTC instant shifted by its stored offset)."""
    return func.date(Episode.started_at_utc, func.printf("%+d minutes", Episode.utc_offset_min))


def add_episode(*, session: Session, episode: EpisodeCreate) -> Episode:
    """Store a new episode."""
    row = Episode.model_validate(episode.columns())
    if session.get(Episode, row.id) is not None:
        raise StoreError(f"an episode with id {row.id} already exists")
    session.add(row)
    session.flush()
    return row


def find_episode(*, session: Session, ident: str) -> Episode:
    """The episode with this id, or the only one whose id starts with it."""
    key = ident.strip().lower()
    if len(key) < MIN_ID_PREFIX:
        raise InvalidValue("id", ident, f"at least {MIN_ID_PREFIX} characters of an id")
    exact = session.get(Episode, key)
    if exact is not None:
        return exact
    matches = session.exec(
        select(Episode).where(col(Episode.id).startswith(key, autoescape=True)).limit(2)
    ).all()
    if not matches:
        raise StoreError(f"no episode has id {ident!r} (see `twitch list`)")
    if len(matches) > 1:
        raise StoreError(f"more than one episode has an id starting {ident!r}; give more of it")
    return matches[0]


def episode_values(episode: Episode) -> dict[str, Any]:
    """An episode as ``EpisodeCreate`` input (for editing: change some, validate all)."""
    return {
        "id": episode.id,
        "started_at": episode.started_at,
        "body_site": episode.body_site,
        "side": episode.side,
        "intensity": episode.intensity,
        "duration_s": episode.duration_s,
        "kind": episode.kind,
        "symptoms": episode.symptoms,
        "context": episode.context,
        "note": episode.note,
    }


def update_episode(
    *,
    session: Session,
    ident: str,
    changes: Mapping[str, Any],
    expected: Mapping[str, Any] | None = None,
) -> Episode:
    """Change some fields of an episode; the whole result is validated again.

    ``expected`` (field -> the value the caller read before its person edited it) makes this a
    compare-and-set inside the caller's transaction: if one of those fields now holds something
    else, written by another program meanwhile, ``EditConflict`` is raised and nothing changes, so
    a stale form never reverts someone else's edit.
    """
    episode = find_episode(session=session, ident=ident)
    current = episode_values(episode)
    merged = validate(EpisodeCreate, {**current, **changes})
    if expected:
        _check_unchanged(current, expected, merged.model_dump(), episode)
    _write_columns(session, episode, merged.columns(created_at=episode.created_at))
    return episode


def _same(a: object, b: object) -> bool:
    """Equal values; for times, the same instant *and* the same UTC offset (as lived)."""
    if isinstance(a, dt.datetime) and isinstance(b, dt.datetime):
        return a == b and a.utcoffset() == b.utcoffset()
    return a == b


def _check_unchanged(
    current: Mapping[str, Any], expected: Mapping[str, Any], wanted: Mapping[str, Any], row: Any
) -> None:
    """Raise ``EditConflict`` for fields changed since they were read (unless to the same value).

    Works for any table's row; the error carries a detached copy of it, because the rollback
    that follows expires the session's own instance.
    """
    changed = [
        name
        for name, value in expected.items()
        if not _same(current[name], value) and not _same(current[name], wanted[name])
    ]
    if changed:
        raise EditConflict(changed, type(row).model_validate(row.model_dump()))


def _write_columns(session: Session, row: Any, columns: Mapping[str, Any]) -> None:
    """Store validated ``columns`` on an existing ``row`` (one place for every edit)."""
    for key, value in columns.items():
        setattr(row, key, value)
    session.add(row)
    session.flush()


def delete_episode(*, session: Session, ident: str) -> Episode:
    """Remove an episode; returns it so the caller can show it (or put it back)."""
    episode = find_episode(session=session, ident=ident)
    session.delete(episode)
    session.flush()
    return episode


def list_episodes(
    *,
    session: Session,
    since: dt.date | None = None,
    until: dt.date | None = None,
    site: str | None = None,
    newest_first: bool = False,
) -> list[Episode]:
    """Episodes whose local date is within [since, until], optionally at one body site."""
    query = select(Episode)
    local_day = local_date_sql()
    if since is not None:
        query = query.where(local_day >= since.isoformat())
    if until is not None:
        query = query.where(local_day <= until.isoformat())
    if site is not None:
        query = query.where(Episode.body_site == site)
    order = col(Episode.started_at_utc)
    query = query.order_by(order.desc() if newest_first else order, col(Episode.id))
    return list(session.exec(query).all())


def last_episode(*, session: Session) -> Episode | None:
    """The most recent episode (for "repeat last")."""
    query = select(Episode).order_by(col(Episode.started_at_utc).desc()).limit(1)
    return session.exec(query).first()


# --- days -----------------------------------------------------------------------------------------


def upsert_day(*, session: Session, day: DayCreate, merge: bool = True) -> Day:
    """Store a day's check-in. With ``merge``, unknown measures keep their stored value and
    symptoms add to those already noted; without it, the row becomes exactly ``day``."""
    values = day.columns()
    row = session.get(Day, day.date)
    if row is None:
        row = Day.model_validate(values)
    elif merge:
        for key, value in values.items():
            if key == "symptoms":
                value = validation.word_set(
                    "symptoms",
                    "symptom",
                    wording.split_set(row.symptoms) + wording.split_set(value),
                )
            if value is not None:
                setattr(row, key, value)
    else:
        for key, value in values.items():
            setattr(row, key, value)
    session.add(row)
    session.flush()
    return row


def update_day(
    *,
    session: Session,
    day: dt.date,
    changes: Mapping[str, Any],
    add_symptoms: Iterable[str] = (),
    remove_symptoms: Iterable[str] = (),
) -> Day:
    """Change only the given fields of a day's check-in, against the row as stored now.

    A form that loaded the day earlier sends just what its person changed: a field given as None
    is cleared (unknown), a field not given keeps what is stored now, even if another program
    wrote it after the form loaded. Symptoms change word by word, so a symptom added elsewhere
    survives. Run it in a ``write_session`` so the read and the write are one transaction.
    """
    row = session.get(Day, day)
    stored = row.model_dump() if row is not None else {"date": day}
    removed = set(remove_symptoms)
    start = changes["symptoms"] if "symptoms" in changes else stored.get("symptoms")
    base = wording.split_set(validation.word_set("symptoms", "symptom", start)) + list(add_symptoms)
    wanted = validate(
        DayCreate,
        {**stored, **changes, "date": day, "symptoms": [w for w in base if w not in removed]},
    )
    if row is None:
        row = Day.model_validate(wanted.columns())
    else:
        for key, value in wanted.columns().items():
            setattr(row, key, value)
    session.add(row)
    session.flush()
    return row


def get_day(*, session: Session, day: dt.date) -> Day | None:
    """The check-in of one day, if there is one."""
    return session.get(Day, day)


def list_days(*, session: Session) -> list[Day]:
    """Every day row, oldest first."""
    return list(session.exec(select(Day).order_by(col(Day.date))).all())


# --- medications ----------------------------------------------------------------------------------


def add_medication(*, session: Session, medication: MedicationCreate) -> Medication:
    """Start a course; refuses a second ongoing course of the same medicine."""
    row = Medication.model_validate(medication.columns())
    if row.stopped_on is None and ongoing(session=session, name=row.name):
        raise StoreError(
            f"{row.name} is already being taken (stop it first with `twitch med stop {row.name}`)"
        )
    session.add(row)
    session.flush()
    return row


def ongoing(*, session: Session, name: str) -> list[Medication]:
    """Courses of ``name`` (any letter case) that have not stopped."""
    query = select(Medication).where(
        func.lower(Medication.name) == name.strip().lower(), col(Medication.stopped_on).is_(None)
    )
    return list(session.exec(query).all())


def stop_medication(*, session: Session, name: str, on: dt.date) -> Medication:
    """Stop the ongoing course of ``name`` on a date (not before it started)."""
    courses = ongoing(session=session, name=name)
    if not courses:
        raise StoreError(f"no ongoing course of {name!r} (see `twitch med list`)")
    course = courses[0]
    validation.course_dates(course.started_on, on)
    course.stopped_on = on
    session.add(course)
    session.flush()
    return course


def list_medications(*, session: Session) -> list[Medication]:
    """All courses, ongoing first, then by start date."""
    query = select(Medication).order_by(
        col(Medication.stopped_on).is_not(None), col(Medication.started_on), col(Medication.name)
    )
    return list(session.exec(query).all())


# --- visits ---------------------------------------------------------------------------------------


def add_visit(*, session: Session, visit: VisitCreate) -> Visit:
    """Record a doctor's appointment or test."""
    row = Visit.model_validate(visit.columns())
    session.add(row)
    session.flush()
    return row


def list_visits(*, session: Session) -> list[Visit]:
    """All visits, oldest first."""
    return list(session.exec(select(Visit).order_by(col(Visit.date), col(Visit.id))).all())


# --- profile --------------------------------------------------------------------------------------


def get_profile(*, session: Session) -> dict[str, str]:
    """The profile as a key → value mapping (only keys that were set)."""
    return {row.key: row.value for row in session.exec(select(ProfileEntry)).all()}


def set_profile(*, session: Session, entries: Mapping[str, object]) -> dict[str, str]:
    """Set some profile keys; an empty value clears a key. Returns the whole profile."""
    for raw_key, raw_value in entries.items():
        entry = validate(ProfileEntryCreate, {"key": raw_key, "value": raw_value})
        row = session.get(ProfileEntry, entry.key)
        if entry.value == "":
            if row is not None:
                session.delete(row)
            continue
        if row is None:
            row = ProfileEntry.model_validate(entry.model_dump())
        row.value = entry.value
        session.add(row)
    session.flush()
    return get_profile(session=session)


# --- editing, deleting and restoring medications and visits ---------------------------------------


def _find_by_id(*, session: Session, table: type[Any], ident: str, noun: str, listing: str) -> Any:
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
    if len(matches) > 1:
        raise StoreError(f"more than one {noun} has an id starting {ident!r}; give more of it")
    if not matches:
        raise StoreError(f"no {noun} has id {ident!r} (see `{listing}`)")
    return matches[0]


def _looks_like_id(ident: str) -> bool:
    """Whether ``ident`` could be (the start of) an id: four or more hex digits and dashes."""
    key = ident.strip().lower()
    return len(key) >= MIN_ID_PREFIX and all(c in "0123456789abcdef-" for c in key)


def find_medication(*, session: Session, ident: str) -> Medication:
    """The course with this id (or id prefix), else the only course of the medicine so named.

    A medicine taken in two courses is ambiguous by name: the message asks for the id.
    """
    if _looks_like_id(ident):
        try:
            return _find_by_id(
                session=session,
                table=Medication,
                ident=ident,
                noun="medication",
                listing="twitch med list",
            )
        except StoreError:
            pass  # not an id: perhaps a name such as "dead"
    named = session.exec(
        select(Medication).where(func.lower(Medication.name) == ident.strip().lower())
    ).all()
    if len(named) > 1:
        raise StoreError(
            f"{len(named)} courses of {ident.strip()!r} are recorded; give the id of one "
            "(see `twitch med list`)"
        )
    if not named:
        raise StoreError(f"no medication has the name or id {ident!r} (see `twitch med list`)")
    return named[0]


def medication_values(course: Medication) -> dict[str, Any]:
    """A course as ``MedicationCreate`` input (for editing, and for undoing a delete)."""
    return {
        "id": course.id,
        "name": course.name,
        "drug_class": course.drug_class,
        "dose": course.dose,
        "started_on": course.started_on,
        "stopped_on": course.stopped_on,
        "note": course.note,
    }


def _refuse_second_ongoing(*, session: Session, course: MedicationCreate) -> None:
    """Two ongoing courses of one medicine would make ``twitch med stop NAME`` ambiguous."""
    if course.stopped_on is not None:
        return
    others = [c for c in ongoing(session=session, name=course.name) if c.id != course.id]
    if others:
        raise StoreError(
            f"{course.name} is already being taken (stop that course first with "
            f"`twitch med stop {course.name}`)"
        )


def update_medication(
    *,
    session: Session,
    ident: str,
    changes: Mapping[str, Any],
    expected: Mapping[str, Any] | None = None,
) -> Medication:
    """Change some fields of a course; the whole course is validated again.

    ``expected`` makes it a compare-and-set, as in ``update_episode``: a field changed by another
    program since the caller read it raises ``EditConflict`` and nothing is written.
    """
    course = find_medication(session=session, ident=ident)
    current = medication_values(course)
    merged = validate(MedicationCreate, {**current, **changes, "id": course.id})
    if expected:
        _check_unchanged(current, expected, merged.model_dump(), course)
    _refuse_second_ongoing(session=session, course=merged)
    _write_columns(session, course, merged.columns())
    return course


def delete_medication(*, session: Session, ident: str) -> dict[str, Any]:
    """Remove a course; returns its values so the caller can show it or put it back."""
    course = find_medication(session=session, ident=ident)
    values = medication_values(course)
    session.delete(course)
    session.flush()
    return values


def restore_medication(*, session: Session, values: Mapping[str, Any]) -> Medication:
    """Put back a course removed by ``delete_medication``, with its id."""
    course = validate(MedicationCreate, dict(values))
    if course.id and session.get(Medication, course.id) is not None:
        raise StoreError(f"a medication with id {course.id[:8]} is already there")
    _refuse_second_ongoing(session=session, course=course)
    row = Medication.model_validate(course.columns())
    session.add(row)
    session.flush()
    return row


def find_visit(*, session: Session, ident: str) -> Visit:
    """The visit with this id, or the only one whose id starts with it."""
    return _find_by_id(
        session=session, table=Visit, ident=ident, noun="visit", listing="twitch visit list"
    )


def visit_values(visit: Visit) -> dict[str, Any]:
    """A visit as ``VisitCreate`` input (for editing, and for undoing a delete)."""
    return {
        "id": visit.id,
        "date": visit.date,
        "kind": visit.kind,
        "tests": visit.tests,
        "outcome": visit.outcome,
        "note": visit.note,
    }


def update_visit(
    *,
    session: Session,
    ident: str,
    changes: Mapping[str, Any],
    expected: Mapping[str, Any] | None = None,
) -> Visit:
    """Change some fields of a visit (validated as a whole; compare-and-set with ``expected``)."""
    visit = find_visit(session=session, ident=ident)
    current = visit_values(visit)
    merged = validate(VisitCreate, {**current, **changes, "id": visit.id})
    if expected:
        _check_unchanged(current, expected, merged.model_dump(), visit)
    _write_columns(session, visit, merged.columns())
    return visit


def delete_visit(*, session: Session, ident: str) -> dict[str, Any]:
    """Remove a visit; returns its values so the caller can show it or put it back."""
    visit = find_visit(session=session, ident=ident)
    values = visit_values(visit)
    session.delete(visit)
    session.flush()
    return values


def restore_visit(*, session: Session, values: Mapping[str, Any]) -> Visit:
    """Put back a visit removed by ``delete_visit``, with its id."""
    visit = validate(VisitCreate, dict(values))
    if visit.id and session.get(Visit, visit.id) is not None:
        raise StoreError(f"a visit with id {visit.id[:8]} is already there")
    row = Visit.model_validate(visit.columns())
    session.add(row)
    session.flush()
    return row


def update_profile(
    *,
    session: Session,
    entries: Mapping[str, object],
    expected: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """``set_profile`` with a compare-and-set: ``expected`` holds the stored text ('' = unset) of
    each changed key as the caller read it; if another program changed one meanwhile,
    ``EditConflict`` (with the profile as stored now) is raised and nothing is written."""
    current = get_profile(session=session)
    wanted = {key: profile_text_of(key, value) for key, value in entries.items()}
    changed = [
        key
        for key, value in (expected or {}).items()
        if current.get(key, "") != value and current.get(key, "") != wanted.get(key, "")
    ]
    if changed:
        raise EditConflict(changed, current)  # type: ignore[arg-type]
    return set_profile(session=session, entries=entries)


def profile_text_of(key: str, value: object) -> str:
    """The text a profile value is stored as ('' when cleared); raises ``UserError`` if invalid."""
    return validate(ProfileEntryCreate, {"key": key, "value": value}).value
