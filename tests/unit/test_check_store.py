"""The self-checks' storage: rows in and out, "not asked" kept apart from "no", bad values refused.

Every refusal is the one-line message naming the field, the value and what is allowed, and
nothing is written.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import SQLModel

from diary import vocab
from diary.db import checks
from diary.db.check_models import (
    SignCheck,
    SignCheckCreate,
    StrengthCheckCreate,
    TwitchCountCreate,
)
from diary.db.models import validate
from diary.db.store import read_session, write_session
from diary.errors import StoreError, UserError

CET = timezone(timedelta(hours=1))
SIGN_ID = "5a1c0000-0000-4000-8000-000000000001"
STRENGTH_ID = "5a1c0000-0000-4000-8000-000000000002"
COUNT_ID = "5a1c0000-0000-4000-8000-000000000003"


def _signs(**answers: Any) -> SignCheckCreate:
    return validate(SignCheckCreate, {"date": "2025-03-04", **answers})


def _strength(**measures: Any) -> StrengthCheckCreate:
    return validate(StrengthCheckCreate, {"date": "2025-03-04", **measures})


def _count(**fields: Any) -> TwitchCountCreate:
    values = {
        "counted_at": datetime(2025, 3, 4, 21, 0, tzinfo=CET),
        "body_site": "calf",
        "side": "left",
        "seconds": 60,
        "twitches": 12,
        **fields,
    }
    return validate(TwitchCountCreate, values)


def _raw(db_path: Path, table: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(f'SELECT * FROM "{table}"').fetchall()
    finally:
        conn.close()


# --- vocabulary and models ------------------------------------------------------------------------


def test_the_sign_columns_are_the_vocabulary_in_order() -> None:
    fields = [f for f in SignCheck.model_fields if f not in ("id", "date", "note", "created_at")]
    assert tuple(fields) == vocab.SIGNS
    assert len(vocab.SIGNS) == 11 and set(vocab.SIGN_QUESTIONS) == set(vocab.SIGNS)
    assert set(vocab.SIGN_SYMPTOMS) == set(vocab.SIGNS) - {"spreading", "night_cramps"}
    assert set(vocab.SIGN_SYMPTOMS.values()) <= set(vocab.SYMPTOMS)
    assert vocab.SIGN_SYMPTOMS["clumsiness"] == "hand_clumsiness"


def test_answers_in_every_spelling(engine: Engine) -> None:
    check = _signs(weakness="Yes", numbness="n", tingling=False, spreading=1, night_cramps="")
    assert check.weakness is True and check.numbness is False and check.tingling is False
    assert check.spreading is True
    assert check.night_cramps is None  # blank: not asked
    assert check.breathlessness is None  # absent: not asked
    walks = _strength(heel_walk_left="pass", heel_walk_right="FAIL", toe_walk_left="yes")
    assert (walks.heel_walk_left, walks.heel_walk_right, walks.toe_walk_left) == (True, False, True)
    assert walks.toe_walk_right is None
    assert _strength(grip_left_kg="32,5 kg").grip_left_kg == 32.5
    assert _count(seconds="1m").seconds == 60
    assert _count(seconds="45s", twitches="0").twitches == 0


# --- add, list, delete ----------------------------------------------------------------------------


def test_sign_checks_keep_not_asked_apart_from_no(engine: Engine, db_path: Path) -> None:
    with write_session(engine) as session:
        stored = checks.add_sign_check(
            session=session, check=_signs(id=SIGN_ID, weakness="no", tingling="yes", note="ok")
        )
    assert stored.answers()["weakness"] is False and stored.answers()["tingling"] is True
    assert stored.answers()["numbness"] is None
    (row,) = _raw(db_path, "sign_check")
    columns = dict(zip(("id", "date", *vocab.SIGNS, "note"), row, strict=False))
    assert columns["weakness"] == 0 and columns["tingling"] == 1
    assert columns["numbness"] is None  # not asked is NULL, never 0
    assert columns["date"] == "2025-03-04" and columns["note"] == "ok"
    with read_session(engine) as session:
        (again,) = checks.list_sign_checks(session=session)
    assert again.answers() == stored.answers()


def test_lists_are_dated_and_ordered(engine: Engine) -> None:
    with write_session(engine) as session:
        for day in ("2025-03-18", "2025-03-04", "2025-03-11"):
            checks.add_sign_check(session=session, check=_signs(date=day, weakness="no"))
            checks.add_strength_check(
                session=session, check=_strength(date=day, heel_raises_left=25)
            )
    with read_session(engine) as session:
        signs = checks.list_sign_checks(session=session)
        assert [c.date.day for c in signs] == [4, 11, 18]
        window = checks.list_sign_checks(
            session=session, since=date(2025, 3, 5), until=date(2025, 3, 18)
        )
        assert [c.date.day for c in window] == [11, 18]
        newest = checks.list_strength_checks(session=session, newest_first=True)
        assert [c.date.day for c in newest] == [18, 11, 4]
        assert checks.list_strength_checks(session=session, until=date(2025, 3, 4))[0].date == (
            date(2025, 3, 4)
        )


def test_strength_checks_round_trip(engine: Engine, db_path: Path) -> None:
    with write_session(engine) as session:
        checks.add_strength_check(
            session=session,
            check=_strength(
                id=STRENGTH_ID,
                heel_raises_left="24",
                heel_raises_right=26,
                heel_walk_left="pass",
                toe_walk_right="fail",
                chair_stands=14,
                grip_right_kg=38.25,
            ),
        )
    (row,) = _raw(db_path, "strength_check")
    assert row[:11] == (
        STRENGTH_ID, "2025-03-04", 24, 26, 1, None, None, 0, 14, None, 38.2
    )  # fmt: skip
    with read_session(engine) as session:
        (stored,) = checks.list_strength_checks(session=session)
    assert stored.heel_walk_left is True and stored.toe_walk_right is False
    assert stored.heel_walk_right is None and stored.grip_left_kg is None


def test_counts_keep_their_local_time_and_date(engine: Engine) -> None:
    after_midnight = datetime(2025, 3, 5, 0, 30, tzinfo=CET)  # 23:30 UTC on the 4th
    with write_session(engine) as session:
        checks.add_twitch_count(
            session=session, count=_count(id=COUNT_ID, counted_at=after_midnight, twitches=30)
        )
        checks.add_twitch_count(session=session, count=_count(body_site="eyelid", side=None))
    with read_session(engine) as session:
        (on_5th,) = checks.list_twitch_counts(
            session=session, since=date(2025, 3, 5), until=date(2025, 3, 5)
        )
        assert on_5th.id == COUNT_ID
        assert on_5th.counted_at == after_midnight
        assert on_5th.counted_at.utcoffset() == timedelta(hours=1)
        assert on_5th.per_minute == 30.0
        (eyelid,) = checks.list_twitch_counts(session=session, site="eyelid")
        assert eyelid.side is None
        newest = checks.list_twitch_counts(session=session, newest_first=True)
        assert [c.id for c in newest][0] == COUNT_ID


def test_delete_by_id_prefix(engine: Engine) -> None:
    with write_session(engine) as session:
        checks.add_sign_check(session=session, check=_signs(id=SIGN_ID, weakness="no"))
        checks.add_strength_check(session=session, check=_strength(id=STRENGTH_ID, chair_stands=9))
        checks.add_twitch_count(session=session, count=_count(id=COUNT_ID))
    with write_session(engine) as session:
        assert checks.delete_sign_check(session=session, ident=SIGN_ID[:8]).id == SIGN_ID
        assert checks.delete_strength_check(session=session, ident=STRENGTH_ID).chair_stands == 9
        assert checks.delete_twitch_count(session=session, ident=COUNT_ID.upper()).twitches == 12
    with read_session(engine) as session:
        assert checks.list_sign_checks(session=session) == []
        assert checks.list_strength_checks(session=session) == []
        assert checks.list_twitch_counts(session=session) == []
        with pytest.raises(
            StoreError, match=r"no sign check has id '5a1c0000' \(see `twitch checks`\)"
        ):
            checks.delete_sign_check(session=session, ident="5a1c0000")


def test_an_id_in_use_is_refused(engine: Engine) -> None:
    with write_session(engine) as session:
        checks.add_twitch_count(session=session, count=_count(id=COUNT_ID))
    refused = pytest.raises(StoreError, match="a twitch count with id .* already exists")
    with refused, write_session(engine) as session:
        checks.add_twitch_count(session=session, count=_count(id=COUNT_ID, twitches=3))
    with read_session(engine) as session:
        assert [c.twitches for c in checks.list_twitch_counts(session=session)] == [12]


# --- refusals -------------------------------------------------------------------------------------

TOMORROW = (date.today() + timedelta(days=2)).isoformat()


@pytest.mark.parametrize(
    ("model", "values", "message"),
    [
        (
            SignCheckCreate,
            {"date": "2025-03-04", "weakness": "maybe"},
            "weakness must be yes or no (empty: not asked), got 'maybe'",
        ),
        (
            SignCheckCreate,
            {"date": "2025-03-04", "tingling": 2},
            "tingling must be yes or no (empty: not asked), got 2",
        ),
        (
            SignCheckCreate,
            {"date": "2025-03-04"},
            "signs must be at least one sign answered yes or no, got 'none answered'",
        ),
        (
            SignCheckCreate,
            {"date": TOMORROW, "weakness": "no"},
            f"date must be a date that is not in the future ({date.today()}), got '{TOMORROW}'",
        ),
        (
            StrengthCheckCreate,
            {"date": "2025-03-04", "heel_raises_left": 301},
            "heel_raises_left must be a whole number 0–300, got 301",
        ),
        (
            StrengthCheckCreate,
            {"date": "2025-03-04", "heel_walk_right": "wobbly"},
            "heel_walk_right must be pass or fail (empty: not done), got 'wobbly'",
        ),
        (
            StrengthCheckCreate,
            {"date": "2025-03-04", "chair_stands": "-1"},
            "chair_stands must be a whole number 0–100, got '-1'",
        ),
        (
            StrengthCheckCreate,
            {"date": "2025-03-04", "grip_left_kg": "151"},
            "grip_left_kg must be a weight in kg 0–150, like 32.5, got '151'",
        ),
        (
            StrengthCheckCreate,
            {"date": "2025-03-04", "note": "nothing measured"},
            "strength check must be at least one of heel raises, heel walk, toe walk, chair "
            "stands or grip, got 'no measure'",
        ),
        (
            TwitchCountCreate,
            {"seconds": 5},
            "seconds must be a whole number of seconds 10–600, like 60 or 1m, got 5",
        ),
        (TwitchCountCreate, {"twitches": 2001}, "twitches must be a whole number 0–2000, got 2001"),
        (
            TwitchCountCreate,
            {"side": "up"},
            "side must be one of left, right, both, midline, got 'up'",
        ),
        (
            TwitchCountCreate,
            {"counted_at": datetime(2025, 3, 4, 21, 0)},
            "counted_at must be a date-time with a UTC offset, got 2025-03-04 21:00:00",
        ),
    ],
)
def test_bad_values_are_refused_in_one_line_and_nothing_is_written(
    engine: Engine, db_path: Path, model: type[SQLModel], values: dict[str, Any], message: str
) -> None:
    if model is TwitchCountCreate:
        values = {**_count().model_dump(), **values}
    with pytest.raises(UserError) as caught, write_session(engine) as session:
        item: Any = validate(model, values)
        if isinstance(item, SignCheckCreate):
            checks.add_sign_check(session=session, check=item)
        elif isinstance(item, StrengthCheckCreate):
            checks.add_strength_check(session=session, check=item)
        else:
            checks.add_twitch_count(session=session, count=item)
    assert str(caught.value) == message
    assert "\n" not in str(caught.value)
    for table in ("sign_check", "strength_check", "twitch_count"):
        assert _raw(db_path, table) == []


def test_the_database_refuses_what_validation_would(engine: Engine, db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    try:
        for sql, constraint in [
            (
                "INSERT INTO strength_check (id, date, heel_walk_left, created_at)"
                " VALUES ('a', '2025-03-04', 3, '2025-03-04 10:00:00')",
                "ck_strength_check_heel_walk_left",
            ),
            (
                "INSERT INTO strength_check (id, date, grip_left_kg, created_at)"
                " VALUES ('a', '2025-03-04', 151, '2025-03-04 10:00:00')",
                "ck_strength_check_grip_left_kg",
            ),
            (
                "INSERT INTO twitch_count VALUES ('c', '2025-03-04 10:00:00', 60, 'elbow', NULL,"
                " 60, 1, NULL, '2025-03-04 10:00:00')",
                "ck_twitch_count_body_site",
            ),
            (
                "INSERT INTO twitch_count VALUES ('c', '2025-03-04 10:00:00', 60, 'calf', NULL,"
                " 60, 2001, NULL, '2025-03-04 10:00:00')",
                "ck_twitch_count_twitches",
            ),
        ]:
            with pytest.raises(sqlite3.IntegrityError, match=constraint):
                conn.execute(sql)
    finally:
        conn.close()
