"""The tables and the ``*Create`` models that validate their input, sharing one ``*Base`` each.

As in SQLModel's full-stack template, a ``*Base`` holds the fields a table and its input share; the
table (``table=True``) adds what only storage has, the ``*Create`` model what only input has and
the rules, which call ``diary.validation`` (the quick command-line path uses it too). Tables do not
validate when built, so all input passes through a ``*Create`` model; a stored row was checked on
its way in, and the limits are also ``CHECK`` constraints, so not even hand-written SQL can store
an intensity of 14. Field order is column order (and the order problems are reported in): pydantic
takes fields from the last base first, so ``Episode(EpisodeBase, EpisodeTime)`` starts with ``id``.

Sets (symptoms, context, tests, family history) are stored as ``;``-separated text in vocabulary
order: readable in any SQLite browser, exact in the CSV contract, and small.
"""

from __future__ import annotations

import datetime as dt
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


class IdColumn(SQLModel):
    """The first column of ``episode``, ``medication`` and ``visit``: a random UUID as text."""

    id: str = Field(primary_key=True, max_length=36)


class InputId(SQLModel):
    """An input's id: None makes a new one on insert; an import or an undo brings the row's own."""

    id: str | None = None

    _id = checked("id", uuid_text)


# --- episode --------------------------------------------------------------------------------------


class EpisodeBase(SQLModel):
    """What a person says about one twitch, cramp, spasm or jerk (besides when it began)."""

    body_site: str
    side: str | None = None
    #: None: not given (unknown), never a default such as 3.
    intensity: int | None = None
    #: None: not given (unknown), which is not 0 s.
    duration_s: int | None = None
    kind: str = "twitch"
    symptoms: str = ""
    context: str = ""
    note: str | None = None


_SAID = tuple(EpisodeBase.model_fields)  # read once: ``columns()`` runs per imported row


class EpisodeTime(IdColumn):
    """An episode's leading columns: its id, then the UTC instant and the offset it was lived in."""

    started_at_utc: datetime = Field(index=True)
    utc_offset_min: int


class Episode(EpisodeBase, EpisodeTime, table=True):
    """One stored episode: the UTC instant plus the offset it was lived in."""

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

    created_at: datetime

    @property
    def started_at(self) -> datetime:
        """The start as the person lived it: local wall-clock time with its offset."""
        zone = timezone(timedelta(minutes=self.utc_offset_min))
        return as_utc(self.started_at_utc).astimezone(zone)


class EpisodeStart(InputId):
    """A new or edited episode's leading fields: its id, then when it began, with its offset."""

    started_at: datetime

    _started_at = field_validator("started_at", mode="after")(
        lambda cls, v: validation.started_at(v)
    )


class EpisodeCreate(EpisodeBase, EpisodeStart):
    """What a new or edited episode must satisfy; ``columns()`` gives the row to store.

    Side, intensity and duration are unknown (None) unless given: the diary records only what the
    person said, and the analysis treats unknown as missing.
    """

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
            **{name: getattr(self, name) for name in _SAID},
            "created_at": created_at or utc_now(),
        }


# --- day ------------------------------------------------------------------------------------------


class DayBase(SQLModel):
    """The day's context; every measure optional (unknown is None, never 0)."""

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


class Day(DayBase, table=True):
    """A stored check-in. A row with nothing else in it still means "I checked in today"."""

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


class DayCreate(DayBase):
    """A day's check-in as entered or imported."""

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


class MedicationBase(SQLModel):
    """A course of a medicine or supplement; ``stopped_on`` is None while it goes on."""

    name: str = Field(index=True)
    drug_class: str = "other"
    dose: str | None = None
    started_on: dt.date
    stopped_on: dt.date | None = None
    note: str | None = None


class Medication(MedicationBase, IdColumn, table=True):
    """A stored course."""

    __table_args__ = (
        CheckConstraint(_in("drug_class", vocab.DRUG_CLASSES), name="drug_class"),
        CheckConstraint("stopped_on IS NULL OR stopped_on >= started_on", name="course_order"),
        CheckConstraint("length(trim(name)) > 0", name="name"),
    )


class MedicationCreate(MedicationBase, InputId):
    """A medication course as entered; the stop date may not precede the start."""

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


class VisitBase(SQLModel):
    """A doctor's appointment or a test, with what came of it."""

    date: dt.date = Field(index=True)
    kind: str
    tests: str = ""
    outcome: str | None = None
    note: str | None = None


class Visit(VisitBase, IdColumn, table=True):
    """A stored visit."""

    __table_args__ = (CheckConstraint(_in("kind", vocab.VISIT_KINDS), name="kind"),)


class VisitCreate(VisitBase, InputId):
    """A visit as entered."""

    _date = checked("date", partial(validation.calendar_date, "date"))
    _kind = checked("kind", partial(validation.choice, "kind", "visit_kind"))
    _tests = checked("tests", partial(validation.word_set, "tests", "test"))
    _outcome = checked("outcome", lambda v: validation.line("outcome", v, validation.NOTE_MAX))
    _note = checked("note", partial(validation.text, "note"))

    def columns(self) -> dict[str, Any]:
        """The row as the ``visit`` table stores it."""
        return {**self.model_dump(), "id": self.id or new_id()}


# --- profile --------------------------------------------------------------------------------------


class ProfileEntryBase(SQLModel):
    """One fact about the diary's owner (name, birth year, family history), as key and value."""

    key: str
    value: str


class ProfileEntry(ProfileEntryBase, table=True):
    """A stored profile fact."""

    __tablename__ = "profile"
    __table_args__ = (CheckConstraint(_in("key", vocab.PROFILE_KEYS), name="key"),)

    key: str = Field(primary_key=True)


class ProfileEntryCreate(ProfileEntryBase):
    """A profile fact: the value is checked by what the key means."""

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
        return {"key": key, "value": validation.profile_value(key, data.get("value"))}


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
