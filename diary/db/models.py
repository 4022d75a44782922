"""The tables (SQLModel ``table=True``) and the ``*Create`` models that validate their input.

SQLModel table models do not validate when constructed, so every input passes through a non-table
``*Create`` model first; their validators call ``diary.validation``, the one definition of what is
allowed, which the quick command-line path uses too. The same limits are ``CHECK``
constraints in the schema, so even a hand-written SQL statement cannot store an intensity of 14.

Sets (symptoms, context, tests, family history) are stored as ``;``-separated text in vocabulary
order: readable in any SQLite browser, exact in the CSV contract, and small.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from functools import partial
from typing import Any, TypeVar

from pydantic import ValidationError, field_validator, model_validator
from sqlalchemy import CheckConstraint, MetaData
from sqlmodel import Field, SQLModel

from diary import validation, vocab
from diary.errors import InvalidValue, UserError, show

#: Constraint names that stay stable across batch rebuilds (Alembic needs names to alter them).
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata = MetaData(naming_convention=NAMING_CONVENTION)


def as_utc(moment: datetime) -> datetime:
    """An aware UTC time, whether the driver handed back an aware or a naive (UTC) value."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def uuid_text(value: object) -> str | None:
    """An id as canonical UUID text, None when blank (a new one is made on insert)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return str(uuid.UUID(str(value).strip()))
    except ValueError:
        raise InvalidValue("id", value, "a UUID like 3f2a5c1e-…") from None


def checked(field: str, rule: Callable[[Any], Any]) -> Any:
    """A pydantic "before" validator that hands the raw value to one of ``diary.validation``."""
    return field_validator(field, mode="before")(lambda cls, value: rule(value))


def _in(column: str, words: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(w) for w in words)})"


def _between(column: str, low: float, high: float, *, nullable: bool = True) -> str:
    rule = f"{column} BETWEEN {low} AND {high}"
    return f"{column} IS NULL OR {rule}" if nullable else rule


def new_id() -> str:
    """A random UUID as text: ids must not reveal when or where a row was made."""
    return str(uuid.uuid4())


def utc_now() -> datetime:
    """Now in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0)


# --- episode --------------------------------------------------------------------------------------


class Episode(SQLModel, table=True):
    """One twitch, cramp, spasm or jerk: the UTC instant plus the offset it was lived in."""

    __table_args__ = (
        CheckConstraint(_in("body_site", vocab.BODY_SITES), name="body_site"),
        CheckConstraint(f"side IS NULL OR {_in('side', vocab.SIDES)}", name="side"),
        CheckConstraint(_in("kind", vocab.KINDS), name="kind"),
        CheckConstraint(
            _between("intensity", validation.INTENSITY_MIN, validation.INTENSITY_MAX),
            name="intensity",
        ),
        CheckConstraint(_between("duration_s", 0, validation.DURATION_MAX_S), name="duration_s"),
        CheckConstraint(
            _between(
                "utc_offset_min",
                -validation.UTC_OFFSET_MAX_MIN,
                validation.UTC_OFFSET_MAX_MIN,
                nullable=False,
            ),
            name="utc_offset_min",
        ),
    )

    id: str = Field(primary_key=True, max_length=36)
    started_at_utc: datetime = Field(index=True)
    utc_offset_min: int
    body_site: str
    side: str | None = None
    #: None: not given (unknown), never a default such as 3.
    intensity: int | None = None
    #: None: not given (unknown), which is not 0 s.
    duration_s: int | None = None
    kind: str
    symptoms: str = ""
    context: str = ""
    note: str | None = None
    created_at: datetime

    @property
    def started_at(self) -> datetime:
        """The start as the person lived it: local wall-clock time with its offset."""
        zone = timezone(timedelta(minutes=self.utc_offset_min))
        return as_utc(self.started_at_utc).astimezone(zone)


class EpisodeCreate(SQLModel):
    """What a new or edited episode must satisfy; ``columns()`` gives the row to store.

    Side, intensity and duration are unknown (None) unless given: the diary records only what the
    person said, and the analysis treats unknown as missing.
    """

    id: str | None = None
    started_at: datetime
    body_site: str
    side: str | None = None
    intensity: int | None = None
    duration_s: int | None = None
    kind: str = "twitch"
    symptoms: str = ""
    context: str = ""
    note: str | None = None

    _id = checked("id", uuid_text)
    _started_at = field_validator("started_at", mode="after")(
        lambda cls, v: validation.started_at(v)
    )
    _site = checked("body_site", partial(validation.choice, "body_site", "body_site"))
    _side = checked("side", partial(validation.optional_choice, "side", "side"))
    _intensity = checked("intensity", validation.optional_intensity)
    _duration = checked("duration_s", validation.optional_duration_s)
    _kind = checked("kind", partial(validation.choice, "kind", "kind"))
    _symptoms = checked("symptoms", partial(validation.word_set, "symptoms", "symptom"))
    _context = checked("context", partial(validation.word_set, "context", "context"))
    _note = checked("note", partial(validation.text, "note"))

    def columns(self, *, created_at: datetime | None = None) -> dict[str, Any]:
        """The row as the ``episode`` table stores it."""
        offset = self.started_at.utcoffset()
        assert offset is not None
        return {
            "id": self.id or new_id(),
            "started_at_utc": self.started_at.astimezone(UTC),
            "utc_offset_min": int(offset.total_seconds() // 60),
            "body_site": self.body_site,
            "side": self.side,
            "intensity": self.intensity,
            "duration_s": self.duration_s,
            "kind": self.kind,
            "symptoms": self.symptoms,
            "context": self.context,
            "note": self.note,
            "created_at": created_at or utc_now(),
        }


# --- day ------------------------------------------------------------------------------------------


class Day(SQLModel, table=True):
    """The day's context. A row with nothing else in it still means "I checked in today"."""

    __table_args__ = (
        CheckConstraint(_between("water_ml", 0, validation.WATER_ML_MAX), name="water_ml"),
        CheckConstraint(_between("caffeine_mg", 0, validation.CAFFEINE_MG_MAX), name="caffeine_mg"),
        CheckConstraint(
            _between("alcohol_units", 0, validation.ALCOHOL_UNITS_MAX), name="alcohol_units"
        ),
        CheckConstraint(
            _between("exercise_min", 0, validation.EXERCISE_MIN_MAX), name="exercise_min"
        ),
        CheckConstraint(
            "exercise_intensity IS NULL OR "
            + _in("exercise_intensity", vocab.EXERCISE_INTENSITIES),
            name="exercise_intensity",
        ),
        CheckConstraint(_between("sleep_h", 0, validation.SLEEP_H_MAX), name="sleep_h"),
        CheckConstraint(
            _between("sleep_quality", validation.SLEEP_QUALITY_MIN, validation.SLEEP_QUALITY_MAX),
            name="sleep_quality",
        ),
        CheckConstraint(
            _between("stress", validation.STRESS_MIN, validation.STRESS_MAX), name="stress"
        ),
    )

    date: dt.date = Field(primary_key=True)
    water_ml: int | None = None
    caffeine_mg: int | None = None
    alcohol_units: float | None = None
    exercise_min: int | None = None
    exercise_intensity: str | None = None
    sleep_h: float | None = None
    sleep_quality: int | None = None
    stress: int | None = None
    symptoms: str = ""
    note: str | None = None


class DayCreate(SQLModel):
    """A day's check-in; every measure optional (unknown is None, never 0)."""

    date: dt.date
    water_ml: int | None = None
    caffeine_mg: int | None = None
    alcohol_units: float | None = None
    exercise_min: int | None = None
    exercise_intensity: str | None = None
    sleep_h: float | None = None
    sleep_quality: int | None = None
    stress: int | None = None
    symptoms: str = ""
    note: str | None = None

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, value: object) -> dt.date:
        return validation.day_date(value)

    # Stored and imported numbers are taken as they are; only what a person types is questioned.
    _water = checked("water_ml", partial(validation.water_ml, question_bare=False))
    _caffeine = checked("caffeine_mg", partial(validation.caffeine_mg, question_bare=False))
    _alcohol = checked("alcohol_units", validation.alcohol_units)
    _exercise = checked("exercise_min", partial(validation.exercise_min, question_bare=False))
    _exercise_intensity = checked(
        "exercise_intensity",
        partial(validation.optional_choice, "exercise_intensity", "exercise_intensity"),
    )
    _sleep = checked("sleep_h", validation.sleep_h)
    _quality = checked("sleep_quality", validation.sleep_quality)
    _stress = checked("stress", validation.stress)
    _symptoms = checked("symptoms", partial(validation.word_set, "symptoms", "symptom"))
    _note = checked("note", partial(validation.text, "note"))

    def columns(self) -> dict[str, Any]:
        """The row as the ``day`` table stores it."""
        return self.model_dump()


# --- medication -----------------------------------------------------------------------------------


class Medication(SQLModel, table=True):
    """A course of a medicine or supplement; ``stopped_on`` is None while it goes on."""

    __table_args__ = (
        CheckConstraint(_in("drug_class", vocab.DRUG_CLASSES), name="drug_class"),
        CheckConstraint("stopped_on IS NULL OR stopped_on >= started_on", name="course_order"),
        CheckConstraint("length(trim(name)) > 0", name="name"),
    )

    id: str = Field(primary_key=True, max_length=36)
    name: str = Field(index=True)
    drug_class: str
    dose: str | None = None
    started_on: dt.date
    stopped_on: dt.date | None = None
    note: str | None = None


class MedicationCreate(SQLModel):
    """A medication course as entered; the stop date may not precede the start."""

    id: str | None = None
    name: str
    drug_class: str = "other"
    dose: str | None = None
    started_on: dt.date
    stopped_on: dt.date | None = None
    note: str | None = None

    _id = checked("id", uuid_text)
    _name = checked("name", partial(validation.required_line, "name"))
    _class = checked("drug_class", partial(validation.choice, "drug_class", "drug_class"))
    _dose = checked("dose", lambda v: validation.line("dose", v, 200))
    _start = checked("started_on", partial(validation.calendar_date, "started_on"))
    _stop = checked("stopped_on", partial(validation.optional_date, "stopped_on"))
    _note = checked("note", partial(validation.text, "note"))

    @model_validator(mode="after")
    def _order(self) -> MedicationCreate:
        validation.course_dates(self.started_on, self.stopped_on)
        return self

    def columns(self) -> dict[str, Any]:
        """The row as the ``medication`` table stores it."""
        return {**self.model_dump(), "id": self.id or new_id()}


# --- visit ----------------------------------------------------------------------------------------


class Visit(SQLModel, table=True):
    """A doctor's appointment or a test, with what came of it."""

    __table_args__ = (CheckConstraint(_in("kind", vocab.VISIT_KINDS), name="kind"),)

    id: str = Field(primary_key=True, max_length=36)
    date: dt.date = Field(index=True)
    kind: str
    tests: str = ""
    outcome: str | None = None
    note: str | None = None


class VisitCreate(SQLModel):
    """A visit as entered."""

    id: str | None = None
    date: dt.date
    kind: str
    tests: str = ""
    outcome: str | None = None
    note: str | None = None

    _id = checked("id", uuid_text)
    _date = checked("date", partial(validation.calendar_date, "date"))
    _kind = checked("kind", partial(validation.choice, "kind", "visit_kind"))
    _tests = checked("tests", partial(validation.word_set, "tests", "test"))
    _outcome = checked("outcome", lambda v: validation.line("outcome", v, validation.NOTE_MAX))
    _note = checked("note", partial(validation.text, "note"))

    def columns(self) -> dict[str, Any]:
        """The row as the ``visit`` table stores it."""
        return {**self.model_dump(), "id": self.id or new_id()}


# --- profile --------------------------------------------------------------------------------------


class ProfileEntry(SQLModel, table=True):
    """One fact about the diary's owner (name, birth year, family history), as key and value."""

    __tablename__ = "profile"
    __table_args__ = (CheckConstraint(_in("key", vocab.PROFILE_KEYS), name="key"),)

    key: str = Field(primary_key=True)
    value: str


class ProfileEntryCreate(SQLModel):
    """A profile fact: the value is checked by what the key means."""

    key: str
    value: str

    @model_validator(mode="before")
    @classmethod
    def _check(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        raw_key = data.get("key")
        key = vocab.normalise(raw_key) if isinstance(raw_key, str) else raw_key
        if key not in vocab.PROFILE_KEYS:
            allowed = "one of " + ", ".join(vocab.PROFILE_KEYS)
            raise InvalidValue("key", raw_key, allowed)
        return {"key": key, "value": profile_value(key, data.get("value"))}


def profile_value(key: str, value: object) -> str:
    """The canonical text of a profile value ('' when cleared)."""
    if key == "birth_year":
        year = validation.birth_year(value)
        return "" if year is None else str(year)
    if key == "family_history":
        return validation.word_set("family_history", "family_history", value)
    if key == "onset":
        return onset_text(value)
    return validation.line(key, value, validation.NAME_MAX) or ""


#: What ``onset`` accepts, for messages.
ONSET_FORMS = "a date like 2026-10-15 or a month like 2026-10, not in the future"


def onset_text(value: object, *, today: dt.date | None = None) -> str:
    """When twitching started ("around …") as ``YYYY-MM-DD``; '' when cleared.

    People often remember only the month: ``2026-10`` is kept as its 1st day (the profile shows
    it as "around"), so every consumer reads one format.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    text = value.isoformat() if isinstance(value, dt.date) else str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}", text):
        text += "-01"
    try:
        day = dt.date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        day = None
    if day is None:
        raise InvalidValue("onset", value, ONSET_FORMS)
    return validation.calendar_date("onset", day, latest=today or dt.date.today()).isoformat()


ALL_TABLES: tuple[type[SQLModel], ...] = (Episode, Day, Medication, Visit, ProfileEntry)


Model = TypeVar("Model", bound=SQLModel)


def validate(model: type[Model], data: Any) -> Model:
    """``model.model_validate(data)``, with a failure turned into the one-line ``UserError``."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise problems(exc)[0][1] from None


def problems(exc: ValidationError) -> list[tuple[str, UserError]]:
    """Every problem pydantic found: the field it concerns and the one-line error a person reads."""
    found: list[tuple[str, UserError]] = []
    for error in exc.errors():
        field = ".".join(str(part) for part in error["loc"]) or "value"
        original = (error.get("ctx") or {}).get("error")
        if isinstance(original, UserError):
            found.append((field, original))
            continue
        message = error["msg"][0].lower() + error["msg"][1:]
        found.append((field, UserError(f"{field}: {message}, got {show(error.get('input'))}")))
    return found
