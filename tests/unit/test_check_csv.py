"""The self-checks in the CSV contract: three more files, exact round trips, yes/no answers, empty
for "not asked", formula cells escaped, idempotent by id, and bad rows refused all-or-nothing."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from diary import csvio, vocab
from diary.csvio.contract import CONTRACT, KEYS
from diary.db import checks
from diary.db.check_models import SignCheckCreate, StrengthCheckCreate, TwitchCountCreate
from diary.db.models import validate
from diary.db.open import make_engine
from diary.db.store import write_session
from tests.conftest import table_dump

FILES = ("sign_checks.csv", "strength_checks.csv", "twitch_counts.csv")
TABLES = ("sign_check", "strength_check", "twitch_count")
SIGN_ID = "5a1c0000-0000-4000-8000-000000000001"
STRENGTH_ID = "5a1c0000-0000-4000-8000-000000000002"
COUNT_ID = "5a1c0000-0000-4000-8000-000000000003"
HOSTILE = '=HYPERLINK("http://x","click")'


def _fill(engine: Engine) -> None:
    with write_session(engine) as session:
        checks.add_sign_check(
            session=session,
            check=validate(
                SignCheckCreate,
                {
                    "id": SIGN_ID,
                    "date": "2025-03-04",
                    **dict.fromkeys(vocab.SIGNS[:9], "no"),
                    "night_cramps": "yes",  # breathlessness: not asked
                    "note": HOSTILE,
                },
            ),
        )
        checks.add_sign_check(
            session=session,
            check=validate(SignCheckCreate, {"date": "2025-03-11", "weakness": "no"}),
        )
        checks.add_strength_check(
            session=session,
            check=validate(
                StrengthCheckCreate,
                {
                    "id": STRENGTH_ID,
                    "date": "2025-03-04",
                    "heel_raises_left": 25,
                    "heel_raises_right": 23,
                    "heel_walk_left": "pass",
                    "heel_walk_right": "fail",
                    "chair_stands": 14,
                    "grip_left_kg": 31.5,
                    "note": "-2 after a long walk",
                },
            ),
        )
        for zone, minutes, site in ((1, 0, "calf"), (-9, -30, "eyelid"), (5, 45, "thigh")):
            offset = timezone(timedelta(hours=zone, minutes=minutes))
            checks.add_twitch_count(
                session=session,
                count=validate(
                    TwitchCountCreate,
                    {
                        "id": COUNT_ID if site == "calf" else None,
                        "counted_at": datetime(2025, 3, 5, 0, 30, tzinfo=offset),
                        "body_site": site,
                        "side": "left" if site != "eyelid" else None,
                        "seconds": 60 if site != "thigh" else 45,
                        "twitches": 17,
                        "note": "line one\nline two" if site == "calf" else None,
                    },
                ),
            )


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _without_created_at(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    return {table: sorted(row[:-1] for row in table_dump(path)[table]) for table in TABLES}


def test_the_contract_has_the_three_files() -> None:
    assert CONTRACT["sign_checks.csv"] == ("id", "date", *vocab.SIGNS, "note")
    assert CONTRACT["strength_checks.csv"] == (
        "id",
        "date",
        "heel_raises_left",
        "heel_raises_right",
        "heel_walk_left",
        "heel_walk_right",
        "toe_walk_left",
        "toe_walk_right",
        "chair_stands",
        "grip_left_kg",
        "grip_right_kg",
        "note",
    )
    assert CONTRACT["twitch_counts.csv"] == (
        "id",
        "counted_at",
        "body_site",
        "side",
        "seconds",
        "twitches",
        "note",
    )
    assert [KEYS[name] for name in FILES] == [(t, "id") for t in TABLES]


def test_export_writes_yes_no_and_empty_for_not_asked(engine: Engine, tmp_path: Path) -> None:
    _fill(engine)
    counts = csvio.export_all(engine, tmp_path / "out")
    assert [counts[name] for name in FILES] == [2, 1, 3]
    first = _rows(tmp_path / "out" / "sign_checks.csv")[0]
    assert first["id"] == SIGN_ID and first["date"] == "2025-03-04"
    assert first["weakness"] == "no" and first["night_cramps"] == "yes"
    assert first["breathlessness"] == ""  # not asked: empty, never "no"
    assert first["note"] == "'" + HOSTILE  # a formula is written as text
    strength = _rows(tmp_path / "out" / "strength_checks.csv")[0]
    assert (strength["heel_walk_left"], strength["heel_walk_right"]) == ("yes", "no")
    assert strength["toe_walk_left"] == "" and strength["grip_right_kg"] == ""
    assert strength["grip_left_kg"] == "31.5" and strength["heel_raises_left"] == "25"
    assert strength["note"] == "'-2 after a long walk"
    counted = {row["body_site"]: row for row in _rows(tmp_path / "out" / "twitch_counts.csv")}
    assert counted["calf"]["counted_at"] == "2025-03-05T00:30:00+01:00"
    assert counted["eyelid"]["counted_at"] == "2025-03-05T00:30:00-09:30"
    assert counted["eyelid"]["side"] == ""
    assert counted["thigh"]["seconds"] == "45"
    assert counted["calf"]["note"] == "line one\nline two"


def test_round_trip_is_exact_and_import_is_idempotent(
    engine: Engine, db_path: Path, tmp_path: Path
) -> None:
    _fill(engine)
    csvio.export_all(engine, tmp_path / "one")
    other_db = tmp_path / "other" / "diary.sqlite3"
    other = make_engine(other_db)
    try:
        summary = csvio.import_path(other, tmp_path / "one")
        assert [summary.added[name] for name in FILES] == [2, 1, 3]
        assert _without_created_at(other_db) == _without_created_at(db_path)
        csvio.export_all(other, tmp_path / "two")
        for name in FILES:
            assert (tmp_path / "two" / name).read_bytes() == (tmp_path / "one" / name).read_bytes()
        before = table_dump(other_db)
        again = csvio.import_path(other, tmp_path / "one")  # the same rows, matched by id
        assert [again.added[name] for name in FILES] == [0, 0, 0]
        assert [again.unchanged[name] for name in FILES] == [2, 1, 3]
        assert table_dump(other_db) == before  # created_at kept too
    finally:
        other.dispose()


def test_answers_are_read_in_any_spelling(engine: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    header = ",".join(CONTRACT["sign_checks.csv"])
    answers = ["YES", " n ", "True", "0", "", "y", "no", "1", "", "", "false"]
    (folder / "sign_checks.csv").write_text(
        f"{header}\n,2025-03-04,{','.join(answers)},\n", encoding="utf-8"
    )
    csvio.import_path(engine, folder)
    with write_session(engine) as session:
        (stored,) = checks.list_sign_checks(session=session)
    assert list(stored.answers().values()) == [
        True, False, True, False, None, True, False, True, None, None, False
    ]  # fmt: skip


def test_a_count_without_an_offset_is_local_time(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "twitch_counts.csv"
    path.write_text(
        "id,counted_at,body_site,side,seconds,twitches,note\n,2025-07-01T21:00,Calves,L,1m,12,\n",
        encoding="utf-8",
    )
    csvio.import_path(engine, path)  # recognised by its header
    with write_session(engine) as session:
        (count,) = checks.list_twitch_counts(session=session)
    assert count.counted_at.isoformat() == "2025-07-01T21:00:00+02:00"  # Berlin in summer
    assert (count.body_site, count.side, count.seconds, count.per_minute) == (
        "calf",
        "left",
        60,
        12,
    )


@pytest.mark.parametrize(
    ("name", "row", "problem"),
    [
        (
            "sign_checks.csv",
            ",2025-03-04,maybe" + "," * 11,
            "sign_checks.csv line 3, column weakness: weakness must be yes or no "
            "(empty: not asked), got 'maybe'",
        ),
        (
            "sign_checks.csv",
            ",2025-03-04" + "," * 12,
            "sign_checks.csv line 3: signs must be at least one sign answered yes or no, "
            "got 'none answered'",
        ),
        (
            "strength_checks.csv",
            ",2025-03-04,,,,,,,,,,only a note",
            "strength_checks.csv line 3: strength check must be at least one of heel raises, heel "
            "walk, toe walk, chair stands or grip, got 'no measure'",
        ),
        (
            "strength_checks.csv",
            ",2025-03-04,12,,,,,wobbly,,,,",
            "strength_checks.csv line 3, column toe_walk_right: toe_walk_right must be pass or "
            "fail (empty: not done), got 'wobbly'",
        ),
        (
            "twitch_counts.csv",
            ",2025-03-04T21:00:00+01:00,calf,,5,3,",
            "twitch_counts.csv line 3, column seconds: seconds must be a whole number of seconds "
            "10–600, like 60 or 1m, got '5'",
        ),
        (
            "twitch_counts.csv",
            ",yesterday,calf,,60,3,",
            "twitch_counts.csv line 3, column counted_at: counted_at must be an ISO date-time "
            "like 2025-03-04T22:15:00+01:00, got 'yesterday'",
        ),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_written(
    engine: Engine, db_path: Path, tmp_path: Path, name: str, row: str, problem: str
) -> None:
    _fill(engine)
    csvio.export_all(engine, tmp_path / "out")
    before = table_dump(db_path)
    folder = tmp_path / "out"
    header = ",".join(CONTRACT[name])
    good = {
        "sign_checks.csv": ",2025-03-18,no" + "," * 11,
        "strength_checks.csv": ",2025-03-18,20,,,,,,,,,",
        "twitch_counts.csv": ",2025-03-18T21:00:00+01:00,calf,left,60,4,",
    }[name]
    (folder / name).write_text(f"{header}\n{good}\n{row}\n", encoding="utf-8")
    (folder / "episodes.csv").write_text(
        ",".join(CONTRACT["episodes.csv"])
        + "\n,2025-03-18T21:00:00+01:00,calf,left,3,10,twitch,,,a good new row\n",
        encoding="utf-8",
    )
    with pytest.raises(csvio.ImportFailed) as caught:
        csvio.import_path(engine, folder)
    assert caught.value.lines()[1:] == [problem]
    assert table_dump(db_path) == before  # the good rows of every file were not written either
