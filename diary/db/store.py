"""The diary's store: keyword-only functions over a SQLModel ``Session``, one section per table.

Callers (the command line, the CSV import, the TUI) open a transaction with
``write_session(engine)`` and pass the session in, so several changes can share one transaction and
nothing half-done is ever committed. Inputs arrive as validated ``*Create`` models; outputs are the
table models (plain data, no lazy loading to trip over after the session closes). What the tables
share (finding by id prefix, compare-and-set edits, undoable deletes) is ``diary.db.rows``.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, func
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select

from diary import validation, wording
from diary.db import rows, sqlite
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
from diary.db.rows import EditConflict
from diary.errors import StoreError


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """One transaction (``BEGIN IMMEDIATE``): committed at the end, rolled back on error."""
    try:
        with Session(engine, expire_on_commit=False) as session, session.begin():
            yield session
    except OperationalError as exc:
        if not isinstance(exc.orig, sqlite3.Error):
            raise
        raise sqlite.translate(exc.orig, engine.url.database or "") from None


read_session = write_session  # reads take the same lock: short, and always a consistent snapshot


# --- episodes -------------------------------------------------------------------------------------


def add_episode(*, session: Session, episode: EpisodeCreate) -> Episode:
    """Store a new episode."""
    columns = episode.columns()
    if session.get(Episode, columns["id"]) is not None:
        raise StoreError(f"an episode with id {columns['id']} already exists")
    return rows.insert(session, Episode, columns)


def find_episode(*, session: Session, ident: str) -> Episode:
    """The episode with this id, or the only one whose id starts with it."""
    return rows.find_by_id(
        session=session, table=Episode, ident=ident, noun="episode", listing="twitch list"
    )


def episode_values(episode: Episode) -> dict[str, Any]:
    """An episode as ``EpisodeCreate`` input (for editing: change some, validate all)."""
    return rows.input_values(episode, EpisodeCreate)


def update_episode(
    *,
    session: Session,
    ident: str,
    changes: Mapping[str, Any],
    expected: Mapping[str, Any] | None = None,
) -> Episode:
    """Change some fields of an episode; the whole result is validated again.

    ``expected`` makes it a compare-and-set (see ``rows.merged``): a field another program changed
    since the caller read it raises ``EditConflict`` and nothing is written.
    """
    episode = find_episode(session=session, ident=ident)
    wanted = rows.merged(episode, EpisodeCreate, changes, expected)
    rows.write_columns(session, episode, wanted.columns(created_at=episode.created_at))
    return episode


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
    # The local calendar date: the UTC instant shifted by its stored offset.
    local_day = func.date(
        Episode.started_at_utc, func.printf("%+d minutes", Episode.utc_offset_min)
    )
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
        return rows.insert(session, Day, values)
    if merge:
        stored = wording.split_set(row.symptoms)
        values["symptoms"] = _symptoms(stored + wording.split_set(values["symptoms"]))
        values = {key: value for key, value in values.items() if value is not None}
    rows.write_columns(session, row, values)
    return row


def _symptoms(words: object) -> str:
    return validation.word_set("symptoms", "symptom", words)


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
    base = wording.split_set(_symptoms(start)) + list(add_symptoms)
    wanted = validate(
        DayCreate,
        {**stored, **changes, "date": day, "symptoms": [w for w in base if w not in removed]},
    )
    if row is None:
        return rows.insert(session, Day, wanted.columns())
    rows.write_columns(session, row, wanted.columns())
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
    _refuse_second_ongoing(session=session, course=medication, then="it ")
    return rows.insert(session, Medication, medication.columns())


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
    rows.write_columns(session, course, {"stopped_on": on})
    return course


def list_medications(*, session: Session) -> list[Medication]:
    """All courses, ongoing first, then by start date."""
    query = select(Medication).order_by(
        col(Medication.stopped_on).is_not(None), col(Medication.started_on), col(Medication.name)
    )
    return list(session.exec(query).all())


def find_medication(*, session: Session, ident: str) -> Medication:
    """The course with this id (or id prefix), else the only course of the medicine so named.

    A medicine taken in two courses is ambiguous by name: the message asks for the id.
    """
    if rows.looks_like_id(ident):
        try:
            return rows.find_by_id(
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


def _refuse_second_ongoing(
    *, session: Session, course: MedicationCreate, then: str = "that course "
) -> None:
    """Two ongoing courses of one medicine would make ``twitch med stop NAME`` ambiguous."""
    if course.stopped_on is not None:
        return
    if any(c.id != course.id for c in ongoing(session=session, name=course.name)):
        raise StoreError(
            f"{course.name} is already being taken (stop {then}first with "
            f"`twitch med stop {course.name}`)"
        )


def update_medication(
    *,
    session: Session,
    ident: str,
    changes: Mapping[str, Any],
    expected: Mapping[str, Any] | None = None,
) -> Medication:
    """Change some fields of a course; the whole course is validated again (compare-and-set
    with ``expected``, as ``update_episode``)."""
    course = find_medication(session=session, ident=ident)
    wanted = rows.merged(course, MedicationCreate, changes, expected)
    _refuse_second_ongoing(session=session, course=wanted)
    rows.write_columns(session, course, wanted.columns())
    return course


def delete_medication(*, session: Session, ident: str) -> dict[str, Any]:
    """Remove a course; returns its values so the caller can show it or put it back."""
    course = find_medication(session=session, ident=ident)
    return rows.delete(session, course, MedicationCreate)


def restore_medication(*, session: Session, values: Mapping[str, Any]) -> Medication:
    """Put back a course removed by ``delete_medication``, with its id."""
    course = rows.to_restore(session, Medication, MedicationCreate, values, "medication")
    _refuse_second_ongoing(session=session, course=course)
    return rows.insert(session, Medication, course.columns())


# --- visits ---------------------------------------------------------------------------------------


def add_visit(*, session: Session, visit: VisitCreate) -> Visit:
    """Record a doctor's appointment or test."""
    return rows.insert(session, Visit, visit.columns())


def list_visits(*, session: Session) -> list[Visit]:
    """All visits, oldest first."""
    return list(session.exec(select(Visit).order_by(col(Visit.date), col(Visit.id))).all())


def find_visit(*, session: Session, ident: str) -> Visit:
    """The visit with this id, or the only one whose id starts with it."""
    return rows.find_by_id(
        session=session, table=Visit, ident=ident, noun="visit", listing="twitch visit list"
    )


def update_visit(
    *,
    session: Session,
    ident: str,
    changes: Mapping[str, Any],
    expected: Mapping[str, Any] | None = None,
) -> Visit:
    """Change some fields of a visit (validated as a whole; compare-and-set with ``expected``)."""
    visit = find_visit(session=session, ident=ident)
    rows.write_columns(session, visit, rows.merged(visit, VisitCreate, changes, expected).columns())
    return visit


def delete_visit(*, session: Session, ident: str) -> dict[str, Any]:
    """Remove a visit; returns its values so the caller can show it or put it back."""
    return rows.delete(session, find_visit(session=session, ident=ident), VisitCreate)


def restore_visit(*, session: Session, values: Mapping[str, Any]) -> Visit:
    """Put back a visit removed by ``delete_visit``, with its id."""
    visit = rows.to_restore(session, Visit, VisitCreate, values, "visit")
    return rows.insert(session, Visit, visit.columns())


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
    wanted = {
        key: validate(ProfileEntryCreate, {"key": key, "value": value}).value
        for key, value in entries.items()
    }
    changed = [
        key
        for key, value in (expected or {}).items()
        if current.get(key, "") != value and current.get(key, "") != wanted.get(key, "")
    ]
    if changed:
        raise EditConflict(changed, current)
    return set_profile(session=session, entries=entries)
