"""The self-checks as the analysis reads them: typed frames, "not asked" missing, cut at as_of."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine

from diary import vocab
from diary.analysis.check_frames import (
    COUNT_COLUMNS,
    SIGN_COLUMNS,
    STRENGTH_COLUMNS,
    CheckFrames,
    load_check_frames,
    make_check_frames,
)
from diary.db import checks
from diary.db.check_models import SignCheckCreate, StrengthCheckCreate, TwitchCountCreate
from diary.db.models import validate
from diary.db.store import write_session

CET = timezone(timedelta(hours=1))


def _fill(engine: Engine) -> None:
    with write_session(engine) as session:
        for day, weakness in (("2025-03-11", "yes"), ("2025-03-04", "no"), ("2025-03-18", "")):
            checks.add_sign_check(
                session=session,
                check=validate(
                    SignCheckCreate, {"date": day, "weakness": weakness, "tingling": "no"}
                ),
            )
        checks.add_strength_check(
            session=session,
            check=validate(
                StrengthCheckCreate,
                {"date": "2025-03-04", "heel_raises_left": 25, "toe_walk_right": "fail"},
            ),
        )
        for moment, seconds, twitches in (
            (datetime(2025, 3, 5, 0, 30, tzinfo=CET), 60, 12),  # diary day: the 4th
            (datetime(2025, 3, 4, 21, 0, tzinfo=CET), 45, 9),
        ):
            checks.add_twitch_count(
                session=session,
                count=validate(
                    TwitchCountCreate,
                    {
                        "counted_at": moment,
                        "body_site": "calf",
                        "seconds": seconds,
                        "twitches": twitches,
                    },
                ),
            )


def _assert_shapes(frames: CheckFrames) -> None:
    assert tuple(frames.signs.columns) == SIGN_COLUMNS
    assert tuple(frames.strength.columns) == STRENGTH_COLUMNS
    assert tuple(frames.counts.columns) == COUNT_COLUMNS
    assert frames.signs["date"].dtype == "datetime64[ns]"
    assert all(frames.signs[sign].dtype == "boolean" for sign in vocab.SIGNS)
    assert frames.strength["date"].dtype == "datetime64[ns]"
    for column in ("heel_raises_left", "heel_raises_right", "chair_stands", "grip_left_kg"):
        assert frames.strength[column].dtype == "float64"
    for column in ("heel_walk_left", "heel_walk_right", "toe_walk_left", "toe_walk_right"):
        assert frames.strength[column].dtype == "boolean"
    assert frames.counts["local"].dtype == "datetime64[ns]"
    assert frames.counts["per_minute"].dtype == "float64"
    assert frames.counts["seconds"].dtype == "int64"


def test_nothing_stored_gives_empty_frames_with_the_columns(engine: Engine) -> None:
    frames = load_check_frames(engine, date(2025, 3, 31))
    _assert_shapes(frames)
    assert frames.signs.empty and frames.strength.empty and frames.counts.empty
    _assert_shapes(make_check_frames())


def test_a_diary_before_the_self_checks_has_none(diary_0003: Path) -> None:
    conn = sqlite3.connect(diary_0003)
    try:
        frames = load_check_frames(conn, None)
    finally:
        conn.close()
    _assert_shapes(frames)
    assert frames.signs.empty


def test_frames_hold_what_was_stored(engine: Engine) -> None:
    _fill(engine)
    frames = load_check_frames(engine, date(2025, 3, 31))
    _assert_shapes(frames)
    signs = frames.signs
    assert list(signs["date"]) == [pd.Timestamp(f"2025-03-{d}") for d in (4, 11, 18)]
    assert signs["weakness"].tolist() == [False, True, pd.NA]
    assert signs["numbness"].isna().all()  # never asked: missing, not "no"
    assert int(signs["weakness"].eq(False).sum()) == 1  # the <NA> of the 18th is not a "no"
    assert int(signs["tingling"].eq(False).sum()) == 3
    strength = frames.strength.iloc[0]
    assert strength["heel_raises_left"] == 25.0 and pd.isna(strength["heel_raises_right"])
    assert frames.strength["toe_walk_right"].tolist() == [False]
    assert frames.strength["heel_walk_left"].tolist() == [pd.NA]
    counts = frames.counts
    assert list(counts["local"]) == [
        pd.Timestamp("2025-03-04 21:00"),
        pd.Timestamp("2025-03-05 00:30"),
    ]
    assert list(counts["diary_day"]) == [date(2025, 3, 4), date(2025, 3, 4)]
    assert list(counts["per_minute"]) == [12.0, 12.0]
    assert list(counts["side"]) == [None, None]


@pytest.mark.parametrize("kind", ["engine", "path", "connection"])
def test_every_source_reads_the_same(engine: Engine, db_path: Path, kind: str) -> None:
    _fill(engine)
    expected = load_check_frames(engine, date(2025, 3, 31))
    if kind == "engine":
        got = load_check_frames(engine, date(2025, 3, 31))
    elif kind == "path":
        got = load_check_frames(db_path, date(2025, 3, 31))
    else:
        conn = sqlite3.connect(db_path)
        try:
            got = load_check_frames(conn, date(2025, 3, 31))
        finally:
            conn.close()
    for name in ("signs", "strength", "counts"):
        pd.testing.assert_frame_equal(getattr(got, name), getattr(expected, name))


def test_as_of_cuts_by_date_and_counts_by_local_date(engine: Engine) -> None:
    _fill(engine)
    frames = load_check_frames(engine, date(2025, 3, 4))
    assert list(frames.signs["date"]) == [pd.Timestamp("2025-03-04")]
    assert len(frames.strength) == 1
    # 00:30 on the 5th happened after as_of, though its diary day is the 4th
    assert list(frames.counts["local"]) == [pd.Timestamp("2025-03-04 21:00")]
    assert load_check_frames(engine, date(2025, 3, 3)).signs.empty


def test_rows_as_mappings_or_tuples() -> None:
    row = {"date": date(2025, 3, 4), **dict.fromkeys(vocab.SIGNS), "weakness": 1}
    by_name = make_check_frames(signs=[row]).signs
    by_position = make_check_frames(signs=[("2025-03-04", 1, *[None] * 10)]).signs
    pd.testing.assert_frame_equal(by_name, by_position)
    assert by_name["weakness"].tolist() == [True]
