"""The store and the quick path: both doors write the same rows, and every write is validated."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from diary.db import quick, store
from diary.db.models import DayCreate, EpisodeCreate, MedicationCreate, VisitCreate, validate
from diary.db.open import make_engine, open_current
from diary.errors import StoreError, UserError
from tests.conftest import table_dump

CET = timezone(timedelta(hours=1))
START = datetime(2025, 3, 4, 22, 15, tzinfo=CET)
EPISODE = {
    "id": "0b8f3c1e-1111-4a5b-9c0d-000000000001",
    "started_at": START,
    "body_site": "calf",
    "side": "left",
    "intensity": 4,
    "duration_s": 30,
    "kind": "twitch",
    "symptoms": "weakness;tingling",
    "context": "rest",
    "note": "a note",
}


#: What ``twitch log calf`` hands over: side, intensity and duration never given.
UNSAID = {
    "id": "0b8f3c1e-1111-4a5b-9c0d-000000000002",
    "started_at": START,
    "body_site": "calf",
    "kind": "twitch",
}


def _rows_without_created_at(path: Path) -> list[tuple[object, ...]]:
    return [row[:-1] for row in table_dump(path)["episode"]]


def test_quick_and_store_write_identical_rows(tmp_path: Path) -> None:
    quick_db, store_db = tmp_path / "quick.sqlite3", tmp_path / "store.sqlite3"
    conn = open_current(quick_db)
    quick.insert_episode(conn, EPISODE)
    quick.insert_episode(conn, UNSAID)
    quick.upsert_day(
        conn, date(2025, 3, 4), {"water_ml": 1500, "sleep_h": 6.5}, add_symptoms="numbness"
    )
    conn.close()
    engine = make_engine(store_db)
    with store.write_session(engine) as session:
        store.add_episode(session=session, episode=validate(EpisodeCreate, EPISODE))
        store.add_episode(session=session, episode=validate(EpisodeCreate, UNSAID))
        store.upsert_day(
            session=session,
            day=validate(
                DayCreate,
                {"date": "2025-03-04", "water_ml": 1500, "sleep_h": 6.5, "symptoms": "numbness"},
            ),
        )
    engine.dispose()
    assert _rows_without_created_at(quick_db) == _rows_without_created_at(store_db)
    unsaid = [r for r in table_dump(store_db)["episode"] if r[0] == UNSAID["id"]]
    assert [r[4:7] for r in unsaid] == [(None, None, None)]  # side, intensity, duration unknown
    assert table_dump(quick_db)["day"] == table_dump(store_db)["day"]
    # and a quick row reads back through SQLModel as the same aware time
    engine = make_engine(quick_db)
    with store.read_session(engine) as session:
        episode, _ = store.list_episodes(session=session)
    assert episode.started_at == START
    assert episode.started_at.utcoffset() == timedelta(hours=1)
    engine.dispose()


def test_day_upsert_merges(engine) -> None:  # type: ignore[no-untyped-def]
    with store.write_session(engine) as session:
        store.upsert_day(
            session=session,
            day=validate(
                DayCreate, {"date": "2025-03-04", "water_ml": "2l", "symptoms": "tingling"}
            ),
        )
        row = store.upsert_day(
            session=session,
            day=validate(DayCreate, {"date": "2025-03-04", "stress": 7, "symptoms": "numbness"}),
        )
    assert (row.water_ml, row.stress, row.symptoms) == (2000, 7, "numbness;tingling")


def test_a_bare_check_in_is_a_row(engine) -> None:  # type: ignore[no-untyped-def]
    with store.write_session(engine) as session:
        store.upsert_day(session=session, day=validate(DayCreate, {"date": "2025-03-04"}))
        (day,) = store.list_days(session=session)
    assert day.date == date(2025, 3, 4)
    assert day.water_ml is None and day.caffeine_mg is None  # unknown, never 0


def test_edit_validates_the_whole_episode(engine) -> None:  # type: ignore[no-untyped-def]
    with store.write_session(engine) as session:
        store.add_episode(session=session, episode=validate(EpisodeCreate, EPISODE))
    with (
        pytest.raises(UserError, match="intensity must be"),
        store.write_session(engine) as session,
    ):
        store.update_episode(session=session, ident="0b8f3c1e", changes={"intensity": 11})
    with store.write_session(engine) as session:
        edited = store.update_episode(
            session=session, ident="0b8f3c1e", changes={"intensity": "6", "side": "R"}
        )
    assert (edited.intensity, edited.side, edited.body_site) == (6, "right", "calf")


def test_id_prefixes(engine) -> None:  # type: ignore[no-untyped-def]
    with store.write_session(engine) as session:
        store.add_episode(session=session, episode=validate(EpisodeCreate, EPISODE))
        store.add_episode(
            session=session,
            episode=validate(
                EpisodeCreate, {**EPISODE, "id": "0b8f3c1e-2222-4a5b-9c0d-000000000001"}
            ),
        )
        with pytest.raises(StoreError, match="more than one"):
            store.find_episode(session=session, ident="0b8f3c1e")
        with pytest.raises(StoreError, match="no episode"):
            store.find_episode(session=session, ident="ffffffff")
        with pytest.raises(UserError, match="at least 4"):
            store.find_episode(session=session, ident="0b8")
        assert store.find_episode(session=session, ident="0B8F3C1E-2222").id.startswith(
            "0b8f3c1e-2222"
        )


def test_list_uses_the_local_date(engine) -> None:  # type: ignore[no-untyped-def]
    late = {**EPISODE, "started_at": datetime(2025, 3, 4, 23, 30, tzinfo=CET)}  # 22:30 UTC
    with store.write_session(engine) as session:
        store.add_episode(session=session, episode=validate(EpisodeCreate, late))
        assert (
            len(
                store.list_episodes(session=session, since=date(2025, 3, 4), until=date(2025, 3, 4))
            )
            == 1
        )
        assert store.list_episodes(session=session, since=date(2025, 3, 5)) == []


def test_medication_courses(engine) -> None:  # type: ignore[no-untyped-def]
    course = validate(
        MedicationCreate,
        {"name": "Bendroflumethiazide", "drug_class": "water pill", "started_on": "2025-03-01"},
    )
    with store.write_session(engine) as session:
        store.add_medication(session=session, medication=course)
        with pytest.raises(StoreError, match="already being taken"):
            store.add_medication(session=session, medication=course)
        with pytest.raises(UserError, match="stopped_on must be on or after"):
            store.stop_medication(session=session, name="bendroflumethiazide", on=date(2025, 2, 1))
        stopped = store.stop_medication(
            session=session, name="BENDROFLUMETHIAZIDE", on=date(2025, 3, 10)
        )
    assert (stopped.drug_class, stopped.stopped_on) == ("diuretic", date(2025, 3, 10))
    with pytest.raises(UserError, match="stopped_on must be on or after"):
        validate(
            MedicationCreate, {"name": "x", "started_on": "2025-03-02", "stopped_on": "2025-03-01"}
        )


def test_visits_and_profile(engine) -> None:  # type: ignore[no-untyped-def]
    with store.write_session(engine) as session:
        store.add_visit(
            session=session,
            visit=validate(
                VisitCreate, {"date": "2025-03-05", "kind": "Neuro", "tests": "emg, ncs"}
            ),
        )
        profile = store.set_profile(
            session=session,
            entries={"name": " Sam ", "birth_year": "1988", "family_history": ["MS", "als"]},
        )
        assert profile == {"name": "Sam", "birth_year": "1988", "family_history": "als;ms"}
        assert store.set_profile(session=session, entries={"name": ""}) == {
            "birth_year": "1988",
            "family_history": "als;ms",
        }
        with pytest.raises(UserError, match="key must be one of"):
            store.set_profile(session=session, entries={"shoe_size": "44"})
        (visit,) = store.list_visits(session=session)
    assert (visit.kind, visit.tests) == ("neurologist", "emg;ncs")


def _write_elsewhere(path: Path, sql: str, *params: object) -> None:
    """A change made by another program (a second connection), between a read and a write."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute(sql, params)
    finally:
        conn.close()


def test_day_update_changes_only_the_given_fields(engine, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    with store.write_session(engine) as session:
        store.upsert_day(
            session=session,
            day=validate(DayCreate, {"date": "2025-03-04", "water_ml": 2000, "sleep_h": 7}),
        )
    # the command line checks in meanwhile (its own connection)
    conn = open_current(db_path)
    quick.upsert_day(
        conn,
        date(2025, 3, 4),
        {"caffeine_mg": 200, "stress": 6, "alcohol_units": 2},
        add_symptoms="tingling;pain",
        note="x",
    )
    conn.close()
    with store.write_session(engine) as session:
        row = store.update_day(
            session=session,
            day=date(2025, 3, 4),
            changes={"water_ml": "1.5l", "sleep_h": None},
            add_symptoms=["numbness"],
            remove_symptoms=["pain"],
        )
    assert (row.water_ml, row.sleep_h) == (1500, None)  # changed, and cleared to unknown
    assert (row.caffeine_mg, row.stress, row.alcohol_units, row.note) == (200, 6, 2, "x")
    assert row.symptoms == "numbness;tingling"
    (stored,) = table_dump(db_path)["day"]
    assert stored[1:3] == (1500, 200)


def test_day_update_validates_and_creates_the_row(engine) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UserError, match="stress must be"), store.write_session(engine) as session:
        store.update_day(session=session, day=date(2025, 3, 4), changes={"stress": 11})
    with store.write_session(engine) as session:
        assert store.list_days(session=session) == []
        row = store.update_day(session=session, day=date(2025, 3, 4), changes={"stress": "3"})
    assert (row.stress, row.water_ml, row.symptoms) == (3, None, "")


def test_edit_with_expected_values_refuses_a_concurrent_change(engine, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    with store.write_session(engine) as session:
        store.add_episode(session=session, episode=validate(EpisodeCreate, EPISODE))
    _write_elsewhere(db_path, "UPDATE episode SET intensity = 7")
    before = table_dump(db_path)
    with (
        pytest.raises(store.EditConflict, match="intensity changed elsewhere") as caught,
        store.write_session(engine) as session,
    ):
        store.update_episode(
            session=session,
            ident="0b8f3c1e",
            changes={"intensity": 5, "note": "mine"},
            expected={"intensity": 4, "note": "a note"},
        )
    assert caught.value.fields == ["intensity"]
    assert caught.value.current.intensity == 7  # what is stored now, usable after the rollback
    assert table_dump(db_path) == before  # nothing written
    with store.write_session(engine) as session:
        # a field changed elsewhere that this edit does not touch is kept
        edited = store.update_episode(
            session=session, ident="0b8f3c1e", changes={"note": "mine"}, expected={"note": "a note"}
        )
        assert (edited.intensity, edited.note) == (7, "mine")
        # both sides setting the same value is no conflict
        same = store.update_episode(
            session=session, ident="0b8f3c1e", changes={"intensity": "7"}, expected={"intensity": 4}
        )
        assert same.intensity == 7
        # the time compares as lived: same instant in another offset is a change
        moved = START.astimezone(timezone(timedelta(hours=2)))
        with pytest.raises(store.EditConflict, match="started_at"):
            store.update_episode(
                session=session,
                ident="0b8f3c1e",
                changes={"started_at": START + timedelta(hours=1)},
                expected={"started_at": moved},
            )
