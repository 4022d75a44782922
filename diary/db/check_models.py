"""The self-checks' tables and ``*Create`` models: weekly warning signs, strength, twitch counts.

Built as ``diary.db.models`` builds the others (a ``*Base`` shared by the table and its input, the
rules in the ``*Create`` model, the ranges again as ``CHECK`` constraints). A sign left unanswered
and a test not done are NULL: "not asked" is never stored as "no", nor "not done" as a failure.
Booleans are stored as 0/1 and nothing else. A count keeps its UTC instant and the offset it was
made in, as an episode does.
"""

from __future__ import annotations

import datetime as dt
from datetime import UTC, datetime, timedelta, timezone
from functools import partial
from typing import Any

from pydantic import field_validator, model_validator
from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from diary import check_validation as rules
from diary import validation, vocab
from diary.db.models import IdColumn, InputId, as_utc, checked, new_id, utc_now


def _yes_no_column(column: str) -> CheckConstraint:
    """0 or 1, or NULL (not asked / not done)."""
    return CheckConstraint(f"{column} IS NULL OR {column} IN (0, 1)", name=column)


def _range(column: str, low: float, high: float, *, nullable: bool = True) -> CheckConstraint:
    rule = f"{column} BETWEEN {low} AND {high}"
    return CheckConstraint(f"{column} IS NULL OR {rule}" if nullable else rule, name=column)


def _with_id(model: InputId, created_at: datetime | None) -> dict[str, Any]:
    """A checked input as its table row: its id (a new one if it had none) and ``created_at``."""
    return {**model.model_dump(), "id": model.id or new_id(), "created_at": created_at or utc_now()}


# --- sign check -----------------------------------------------------------------------------------


class SignCheckBase(SQLModel):
    """The weekly warning-sign check: one answer per sign (None: not asked) about the past week.

    The sign fields are ``vocab.SIGNS``, in that order (a test keeps them so).
    """

    date: dt.date = Field(index=True)
    weakness: bool | None = None
    clumsiness: bool | None = None
    tripping_falls: bool | None = None
    slurred_speech: bool | None = None
    difficulty_swallowing: bool | None = None
    muscle_loss: bool | None = None
    numbness: bool | None = None
    tingling: bool | None = None
    spreading: bool | None = None
    night_cramps: bool | None = None
    breathlessness: bool | None = None
    note: str | None = None


class SignCheck(SignCheckBase, IdColumn, table=True):
    """A stored sign check."""

    __tablename__ = "sign_check"
    __table_args__ = tuple(_yes_no_column(sign) for sign in vocab.SIGNS)

    created_at: datetime

    def answers(self) -> dict[str, bool | None]:
        """sign -> True (yes), False (no) or None (not asked), in ``vocab.SIGNS`` order."""
        return {sign: getattr(self, sign) for sign in vocab.SIGNS}


def _sign(name: str) -> Any:
    return checked(name, partial(rules.yes_no, name))


class SignCheckCreate(SignCheckBase, InputId):
    """A sign check as entered or imported: at least one sign answered yes or no."""

    _date = checked("date", rules.check_date)
    _weakness = _sign("weakness")
    _clumsiness = _sign("clumsiness")
    _tripping_falls = _sign("tripping_falls")
    _slurred_speech = _sign("slurred_speech")
    _difficulty_swallowing = _sign("difficulty_swallowing")
    _muscle_loss = _sign("muscle_loss")
    _numbness = _sign("numbness")
    _tingling = _sign("tingling")
    _spreading = _sign("spreading")
    _night_cramps = _sign("night_cramps")
    _breathlessness = _sign("breathlessness")
    _note = checked("note", partial(validation.text, "note"))

    @model_validator(mode="after")
    def _answered(self) -> SignCheckCreate:
        rules.some_answer(getattr(self, sign) for sign in vocab.SIGNS)
        return self

    def columns(self, *, created_at: datetime | None = None) -> dict[str, Any]:
        """The row as the ``sign_check`` table stores it."""
        return _with_id(self, created_at)


# --- strength check -------------------------------------------------------------------------------


class StrengthCheckBase(SQLModel):
    """Strength and function tests of one day, per side; each one optional (None: not done)."""

    date: dt.date = Field(index=True)
    heel_raises_left: int | None = None
    heel_raises_right: int | None = None
    heel_walk_left: bool | None = None
    heel_walk_right: bool | None = None
    toe_walk_left: bool | None = None
    toe_walk_right: bool | None = None
    chair_stands: int | None = None
    grip_left_kg: float | None = None
    grip_right_kg: float | None = None
    note: str | None = None


_WALKS = ("heel_walk_left", "heel_walk_right", "toe_walk_left", "toe_walk_right")


class StrengthCheck(StrengthCheckBase, IdColumn, table=True):
    """A stored strength check (walks: 1 passed, 0 failed)."""

    __tablename__ = "strength_check"
    __table_args__ = (
        _range("heel_raises_left", 0, rules.HEEL_RAISES_MAX),
        _range("heel_raises_right", 0, rules.HEEL_RAISES_MAX),
        *(_yes_no_column(walk) for walk in _WALKS),
        _range("chair_stands", 0, rules.CHAIR_STANDS_MAX),
        _range("grip_left_kg", 0, rules.GRIP_KG_MAX),
        _range("grip_right_kg", 0, rules.GRIP_KG_MAX),
    )

    created_at: datetime


class StrengthCheckCreate(StrengthCheckBase, InputId):
    """A strength check as entered or imported: at least one measure given."""

    _date = checked("date", rules.check_date)
    _raises_left = checked("heel_raises_left", partial(rules.heel_raises, "heel_raises_left"))
    _raises_right = checked("heel_raises_right", partial(rules.heel_raises, "heel_raises_right"))
    _heel_left = checked("heel_walk_left", partial(rules.pass_fail, "heel_walk_left"))
    _heel_right = checked("heel_walk_right", partial(rules.pass_fail, "heel_walk_right"))
    _toe_left = checked("toe_walk_left", partial(rules.pass_fail, "toe_walk_left"))
    _toe_right = checked("toe_walk_right", partial(rules.pass_fail, "toe_walk_right"))
    _stands = checked("chair_stands", rules.chair_stands)
    _grip_left = checked("grip_left_kg", partial(rules.grip_kg, "grip_left_kg"))
    _grip_right = checked("grip_right_kg", partial(rules.grip_kg, "grip_right_kg"))
    _note = checked("note", partial(validation.text, "note"))

    @model_validator(mode="after")
    def _measured(self) -> StrengthCheckCreate:
        rules.some_measure(self.model_dump())
        return self

    def columns(self, *, created_at: datetime | None = None) -> dict[str, Any]:
        """The row as the ``strength_check`` table stores it."""
        return _with_id(self, created_at)


# --- twitch count ---------------------------------------------------------------------------------


class TwitchCountBase(SQLModel):
    """A timed count of the twitches felt in one muscle at rest (besides when it was made)."""

    body_site: str
    side: str | None = None
    seconds: int
    twitches: int
    note: str | None = None


_COUNTED = tuple(TwitchCountBase.model_fields)


class TwitchCountTime(IdColumn):
    """A count's leading columns: its id, then the UTC instant and the offset it was made in."""

    counted_at_utc: datetime = Field(index=True)
    utc_offset_min: int


class TwitchCount(TwitchCountBase, TwitchCountTime, table=True):
    """A stored twitch count."""

    __tablename__ = "twitch_count"
    __table_args__ = (
        CheckConstraint(
            f"body_site IN ({', '.join(repr(s) for s in vocab.BODY_SITES)})", name="body_site"
        ),
        CheckConstraint(
            f"side IS NULL OR side IN ({', '.join(repr(s) for s in vocab.SIDES)})", name="side"
        ),
        _range("seconds", rules.COUNT_SECONDS_MIN, rules.COUNT_SECONDS_MAX, nullable=False),
        _range("twitches", 0, rules.TWITCHES_MAX, nullable=False),
        _range(
            "utc_offset_min",
            -validation.UTC_OFFSET_MAX_MIN,
            validation.UTC_OFFSET_MAX_MIN,
            nullable=False,
        ),
    )

    created_at: datetime

    @property
    def counted_at(self) -> datetime:
        """When the count was made, as lived: local wall-clock time with its offset."""
        zone = timezone(timedelta(minutes=self.utc_offset_min))
        return as_utc(self.counted_at_utc).astimezone(zone)

    @property
    def per_minute(self) -> float:
        """The count as twitches per minute."""
        return self.twitches * 60 / self.seconds


class CountStart(InputId):
    """A new count's leading fields: its id, then when it was made, with its offset."""

    counted_at: datetime

    _counted_at = field_validator("counted_at", mode="after")(lambda cls, v: rules.counted_at(v))


class TwitchCountCreate(TwitchCountBase, CountStart):
    """A twitch count as entered or imported."""

    _site = checked("body_site", partial(validation.choice, "body_site", "body_site"))
    _side = checked("side", partial(validation.optional_choice, "side", "side"))
    _seconds = checked("seconds", rules.count_seconds)
    _twitches = checked("twitches", rules.twitches)
    _note = checked("note", partial(validation.text, "note"))

    def columns(self, *, created_at: datetime | None = None) -> dict[str, Any]:
        """The row as the ``twitch_count`` table stores it."""
        offset = self.counted_at.utcoffset()
        assert offset is not None
        return {
            "id": self.id or new_id(),
            "counted_at_utc": self.counted_at.astimezone(UTC),
            "utc_offset_min": int(offset.total_seconds() // 60),
            **{name: getattr(self, name) for name in _COUNTED},
            "created_at": created_at or utc_now(),
        }
