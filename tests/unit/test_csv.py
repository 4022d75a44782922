"""The CSV contract: exact round trips, spreadsheet safety, all-or-nothing imports with clear errors."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diary import csvio, validation, vocab
from diary.csvio.contract import CONTRACT, escape_cell, unescape_cell
from diary.csvio.validating import FastModel
from diary.db import store
from diary.db.models import (
    DayCreate,
    EpisodeCreate,
    MedicationCreate,
    VisitCreate,
    validate,
)
from diary.db.open import make_engine
from diary.errors import InvalidValue, UserError
from tests.conftest import SCENARIOS, table_dump

HEADER = ",".join(CONTRACT["episodes.csv"])


@pytest.mark.parametrize(
    ("stored", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-2", "'-2"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("'quoted", "''quoted"),
        ("'=", "''="),
        ("plain", "plain"),
        ("", ""),
    ],
)
def test_formula_escape_round_trips(stored: str, written: str) -> None:
    assert escape_cell(stored) == written
    assert unescape_cell(written) == stored


def test_unescape_only_removes_a_guarding_quote() -> None:
    assert unescape_cell("'hello") == "'hello"
    assert unescape_cell("'") == "'"


# --- round trip -----------------------------------------------------------------------------------

_note = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n\t"),
    max_size=40,
).map(lambda t: t.replace("\r", "")) | st.sampled_from(
    ["=1+2", "'=", "+x", "-3", "@a", "a,b", 'say "hi"', "line\nbreak", "'", "ü ß 漢字 🙂"]
)


def _canonical_note(text: str) -> str | None:
    try:
        return validation.text("note", text)
    except InvalidValue:
        return None


def _canonical_line(text: str) -> str | None:
    """A one-line field (a visit's outcome): no line breaks or tabs."""
    try:
        return validation.line("outcome", text, validation.NOTE_MAX)
    except InvalidValue:
        return None


_offsets = st.integers(min_value=-12 * 4, max_value=14 * 4).map(
    lambda q: timezone(timedelta(minutes=15 * q))
)
_moments = st.builds(
    lambda seconds, zone: datetime.fromtimestamp(seconds, UTC).astimezone(zone),
    st.integers(min_value=631152000, max_value=1735689600),  # 1990 .. 2025
    _offsets,
)


def _subset(words: tuple[str, ...]) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(words), unique=True, max_size=4)


episodes = st.lists(
    st.fixed_dictionaries(
        {
            "id": st.uuids().map(str),
            "started_at": _moments,
            "body_site": st.sampled_from(vocab.BODY_SITES),
            "side": st.none() | st.sampled_from(vocab.SIDES),
            "intensity": st.none() | st.integers(1, 10),  # None: not given (an empty cell)
            "duration_s": st.none() | st.integers(0, validation.DURATION_MAX_S),
            "kind": st.sampled_from(vocab.KINDS),
            "symptoms": _subset(vocab.SYMPTOMS),
            "context": _subset(vocab.CONTEXTS),
            "note": _note.map(_canonical_note),
        }
    ),
    max_size=6,
    unique_by=lambda e: e["id"],
)
days = st.lists(
    st.fixed_dictionaries(
        {
            "date": st.dates(
                min_value=datetime(1990, 1, 1).date(), max_value=datetime(2025, 1, 1).date()
            ),
            "water_ml": st.none() | st.integers(0, validation.WATER_ML_MAX),
            "caffeine_mg": st.none() | st.integers(0, validation.CAFFEINE_MG_MAX),
            "alcohol_units": st.none() | st.integers(0, 2000).map(lambda n: n / 20),
            "exercise_min": st.none() | st.integers(0, validation.EXERCISE_MIN_MAX),
            "exercise_intensity": st.none() | st.sampled_from(vocab.EXERCISE_INTENSITIES),
            "sleep_h": st.none() | st.integers(0, 96).map(lambda n: n / 4),
            "sleep_quality": st.none() | st.integers(1, 5),
            "stress": st.none() | st.integers(0, 10),
            "symptoms": _subset(vocab.SYMPTOMS),
            "note": _note.map(_canonical_note),
        }
    ),
    max_size=5,
    unique_by=lambda d: d["date"],
)
meds = st.lists(
    st.builds(
        lambda i, name, cls, start, length, note: {
            "id": i,
            "name": name,
            "drug_class": cls,
            "dose": None,
            "started_on": start,
            "stopped_on": None if length is None else start + timedelta(days=length),
            "note": note,
        },
        st.uuids().map(str),
        st.sampled_from(["magnesium", "=cmd()", "Bendroflumethiazide", "l-thyroxine"]),
        st.sampled_from(vocab.DRUG_CLASSES),
        st.dates(min_value=datetime(2000, 1, 1).date(), max_value=datetime(2025, 1, 1).date()),
        st.none() | st.integers(0, 400),
        _note.map(_canonical_note),
    ),
    max_size=3,
    unique_by=lambda m: m["id"],
)
visits = st.lists(
    st.fixed_dictionaries(
        {
            "id": st.uuids().map(str),
            "date": st.dates(
                min_value=datetime(2000, 1, 1).date(), max_value=datetime(2025, 1, 1).date()
            ),
            "kind": st.sampled_from(vocab.VISIT_KINDS),
            "tests": _subset(vocab.VISIT_TESTS),
            "outcome": _note.map(_canonical_line),
            "note": _note.map(_canonical_note),
        }
    ),
    max_size=3,
    unique_by=lambda v: v["id"],
)
profiles = st.fixed_dictionaries(
    {
        "name": st.sampled_from(["", "Sam Doe", '=HYPERLINK("x")', "Zoë 'Z' Ng"]),
        "birth_year": st.sampled_from(["", "1950", "1999"]),
        "family_history": _subset(vocab.FAMILY_HISTORY),
    }
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated empty diary, copied for each example (migrating each time would be slow)."""
    path = tmp_path_factory.mktemp("template") / "empty.sqlite3"
    make_engine(path).dispose()
    return path


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(episodes=episodes, days=days, meds=meds, visits=visits, profile=profiles)
def test_export_import_export_is_identical(
    template: Path, tmp_path_factory, episodes, days, meds, visits, profile
) -> None:  # type: ignore[no-untyped-def]
    work = tmp_path_factory.mktemp("rt")
    first_db, second_db = work / "a.sqlite3", work / "b.sqlite3"
    shutil.copy(template, first_db)
    shutil.copy(template, second_db)
    engine = make_engine(first_db)
    with store.write_session(engine) as session:
        for e in episodes:
            store.add_episode(session=session, episode=validate(EpisodeCreate, e))
        for d in days:
            store.upsert_day(session=session, day=validate(DayCreate, d), merge=False)
        for m in meds:
            session.add(store.Medication.model_validate(validate(MedicationCreate, m).columns()))
        for v in visits:
            store.add_visit(session=session, visit=validate(VisitCreate, v))
        store.set_profile(session=session, entries=profile)
    csvio.export_all(engine, work / "one")
    engine.dispose()

    second = make_engine(second_db)
    summary = csvio.import_path(second, work / "one")
    assert sum(summary.added.values()) == len(episodes) + len(days) + len(meds) + len(visits) + sum(
        bool(v) for v in profile.values()
    )
    again = csvio.import_path(second, work / "one")
    assert sum(again.added.values()) == 0 and sum(again.changed.values()) == 0
    csvio.export_all(second, work / "two")
    second.dispose()
    for name in CONTRACT:
        assert (work / "one" / name).read_bytes() == (work / "two" / name).read_bytes(), name
    before, after = table_dump(first_db), table_dump(second_db)
    assert [r[:-1] for r in before["episode"]] == [r[:-1] for r in after["episode"]]
    for table in ("day", "medication", "visit", "profile"):
        assert before[table] == after[table]


# --- tolerant reading -----------------------------------------------------------------------------


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_spreadsheet_quirks_are_tolerated(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = (
        "\ufeffID , Started_At,BODY_SITE,side,intensity,duration_s,kind,symptoms,context,note,extra\r\n"
        " , 2025-03-04T22:15:00+01:00 , Calf ,L, 4 ,30,Fasciculation,Tingly; WEAKNESS,,'=1+1,ignored\r\n"
        ",2025-03-04 23:00,calf,,3,0,twitch,,,\r\n"
    )
    summary = csvio.import_path(engine, _write(tmp_path / "anything.csv", text))
    assert summary.added == {"episodes.csv": 2}
    with store.read_session(engine) as session:
        first, second = store.list_episodes(session=session)
    assert (first.body_site, first.side, first.kind, first.symptoms, first.note) == (
        "calf",
        "left",
        "twitch",
        "weakness;tingling",
        "=1+1",
    )
    assert second.started_at.utcoffset() == timedelta(hours=1)  # no offset: local (Berlin) time


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (",2025-03-30T02:30:00,calf,,3,0,twitch,,,\n", "clocks skip that hour"),
        (",2025-10-26T02:30:00,calf,,3,0,twitch,,,\n", "happens twice"),
        (",2025-02-30T10:00:00+01:00,calf,,3,0,twitch,,,\n", "started_at must be an ISO date-time"),
        (",2099-01-01T10:00:00+01:00,calf,,3,0,twitch,,,\n", "not in the future"),
        ("not-a-uuid,2025-03-04T10:00:00+01:00,calf,,3,0,twitch,,,\n", "id must be a UUID"),
        (",2025-03-04T10:00:00+01:00,calf,,3,-5,twitch,,,\n", "duration must be"),
    ],
)
def test_bad_rows_are_reported_with_line_and_column(
    engine, tmp_path: Path, body: str, fragment: str
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(csvio.ImportFailed) as caught:
        csvio.import_path(engine, _write(tmp_path / "episodes.csv", HEADER + "\n" + body))
    message = str(caught.value)
    assert "episodes.csv line 2, column" in message
    assert fragment in message


def test_one_bad_row_among_good_ones_writes_nothing(engine, tmp_path: Path, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "export"
    folder.mkdir()
    good = [f",2025-03-{d:02d}T10:00:00+01:00,calf,left,3,5,twitch,,," for d in range(1, 21)]
    good[9] = ",2025-03-10T10:00:00+01:00,calf,left,14,5,twitch,,,"
    _write(folder / "episodes.csv", HEADER + "\n" + "\n".join(good) + "\n")
    _write(folder / "days.csv", ",".join(CONTRACT["days.csv"]) + "\n2025-03-01,1500,,,,,,,,,\n")
    before = table_dump(db_path)
    with pytest.raises(
        csvio.ImportFailed,
        match=r"episodes.csv line 11, column intensity: intensity must be a whole number 1–10, got '14'",
    ):
        csvio.import_path(engine, folder)
    assert table_dump(db_path) == before


def test_many_problems_are_summarised(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = "\n".join(",2025-03-04T10:00:00+01:00,elbow,,3,0,twitch,,," for _ in range(30))
    with pytest.raises(csvio.ImportFailed) as caught:
        csvio.import_path(engine, _write(tmp_path / "e.csv", HEADER + "\n" + rows))
    assert len(caught.value.problems) == 30
    assert "… and 10 more" in str(caught.value)


def test_missing_column_is_named(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "export"
    folder.mkdir()
    _write(
        folder / "episodes.csv",
        "id,started_at,body_site,side,duration_s,kind,symptoms,context,note\n",
    )
    with pytest.raises(UserError, match="episodes.csv line 1: missing column intensity"):
        csvio.import_path(engine, folder)


def test_unknown_header_and_empty_file(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UserError, match="header matches no diary file"):
        csvio.import_path(engine, _write(tmp_path / "x.csv", "a,b,c\n1,2,3\n"))
    with pytest.raises(UserError, match="is empty"):
        csvio.import_path(engine, _write(tmp_path / "y.csv", ""))
    with pytest.raises(UserError, match="holds none of the diary's CSV files"):
        csvio.import_path(
            engine,
            tmp_path / "nothing-here" if (tmp_path / "nothing-here").mkdir() is None else tmp_path,
        )


def test_duplicate_ids_and_dates(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    row = "0b8f3c1e-1111-4a5b-9c0d-000000000001,2025-03-04T10:00:00+01:00,calf,,3,0,twitch,,,"
    with pytest.raises(csvio.ImportFailed, match="line 3, column id: id .* appears twice"):
        csvio.import_path(engine, _write(tmp_path / "e.csv", f"{HEADER}\n{row}\n{row}\n"))
    days_header = ",".join(CONTRACT["days.csv"])
    with pytest.raises(csvio.ImportFailed, match="line 3, column date"):
        csvio.import_path(
            engine,
            _write(
                tmp_path / "d.csv", f"{days_header}\n2025-03-01,,,,,,,,,,\n2025-03-01,,,,,,,,,,\n"
            ),
        )


def test_not_utf8_is_a_clear_error(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = HEADER + "\n,2025-03-04T10:00:00+01:00,calf,,3,0,twitch,,,Caf\u00e9 \u20ac\n"
    with pytest.raises(UserError, match="not UTF-8"):
        csvio.import_path(engine, _write(tmp_path / "episodes.csv", text, encoding="cp1252"))


def test_exported_files_are_private_and_formula_safe(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with store.write_session(engine) as session:
        store.add_visit(
            session=session,
            visit=validate(
                VisitCreate,
                {"date": "2025-03-05", "kind": "gp", "outcome": '=HYPERLINK("http://x")'},
            ),
        )
    csvio.export_all(engine, tmp_path / "out")
    visit_csv = (tmp_path / "out" / "visits.csv").read_text()
    assert ",\"'=HYPERLINK" in visit_csv
    for path in (tmp_path / "out").iterdir():
        assert path.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "out").stat().st_mode & 0o777 == 0o700


def _rows(path: Path) -> list[dict[str, object]]:
    import csv

    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [
            {
                k: frozenset(v.split(";")) if k in ("symptoms", "context", "tests") else v
                for k, v in row.items()
            }
            for row in csv.DictReader(handle)
        ]


@pytest.mark.parametrize("scenario", sorted(p.name for p in SCENARIOS.iterdir() if p.is_dir()))
def test_shared_scenarios_import_exactly(engine, tmp_path: Path, scenario: str) -> None:  # type: ignore[no-untyped-def]
    folder = SCENARIOS / scenario
    summary = csvio.import_path(engine, folder)
    present = [name for name in CONTRACT if (folder / name).is_file()]
    assert set(summary.added) == set(present)  # scenarios older than the self-checks lack theirs
    for name in present:
        lines = (folder / name).read_text().strip().splitlines()
        assert summary.added[name] == len(lines) - 1
    csvio.export_all(engine, tmp_path / "again")
    for name in ("episodes.csv", "days.csv", "medications.csv", "visits.csv"):
        # Sets come back in vocabulary order; compare them as sets.
        assert _rows(tmp_path / "again" / name) == _rows(folder / name), name
    assert json.loads((folder / "expected.json").read_text())["as_of"]


# --- the fast validation path ---------------------------------------------------------------------

_GOOD_TIMES = [
    datetime(2025, 3, 4, 10, 0, tzinfo=timezone(timedelta(hours=1))),
    datetime(2025, 3, 4, 10, 0, 30, 999, tzinfo=timezone(timedelta(hours=-9, minutes=-30))),
]
_BAD_TIMES = [
    datetime(2099, 1, 1, tzinfo=UTC),  # future
    datetime(1850, 1, 1, tzinfo=UTC),  # before 1900
    datetime(2025, 3, 4, 10, 0),  # naive
    datetime(2025, 3, 4, 10, 0, tzinfo=timezone(timedelta(hours=19))),  # offset out of range
]
#: Per field: cells the model accepts (in several spellings), then cells it refuses.
_CELLS: dict[str, tuple[list[object], list[object]]] = {
    "id": (["", " 0B8F3C1E-1111-4A5B-9C0D-000000000001 ", "0" * 32], ["not-a-uuid", "12"]),
    "started_at": (_GOOD_TIMES, _BAD_TIMES),
    "body_site": (["calf", "Calves", " Thigh "], ["elbow", ""]),
    "side": (["", "L", "right"], ["up"]),
    "intensity": (["4", " 10 ", "1e1", "3.0"], ["0", "3.5", "11", "", "x"]),
    "duration_s": (["30", "1h30m", "2m", "", "3.6"], ["-5", "90000", "soon"]),
    "kind": (["twitch", "Fasciculation", "cramp"], ["hiccup", ""]),
    "symptoms": (["", "weakness;tingly", "Tingling, WEAKNESS", "weakness;;"], ["bogus"]),
    "context": (["", "rest", "Rest;sitting"], ["rest;bogus"]),
    "note": (
        ["", "plain", "=1+1", "two\r\nlines", "  pad  ", "x" * 4000],
        ["a\x00b", "x" * 4001, "\u202eevil"],
    ),
    "date": (["2025-03-04", " 2024-02-29 "], ["2025-02-30", "1899-12-31", "2999-01-01", ""]),
    "water_ml": (["", "1500", "1.5l", "2 cups"], ["-1", "99999", "lots"]),
    "caffeine_mg": (["", "95", "2 cups"], ["-3"]),
    "alcohol_units": (["", "2", "2,5"], ["nan", "inf", "-1"]),
    "exercise_min": (["", "30", "1h"], ["-1"]),
    "exercise_intensity": (["", "light", "HARD"], ["extreme"]),
    "sleep_h": (["", "7.5", "7h30m"], ["25"]),
    "sleep_quality": (["", "3"], ["9"]),
    "stress": (["", "3", "0"], ["11"]),
    "visit_kind": (["gp", "neurologist", "GP"], ["astrologer", ""]),
    "tests": (["", "emg", "EMG;mri"], ["tarot"]),
    "outcome": (["", "fine"], ["two\nlines", "\x85"]),
}


@st.composite
def _raw_rows(draw: st.DrawFn, model_name: str) -> dict[str, object]:
    """A row of good cells, with (half the time) one field replaced by a bad one."""
    from diary.db import models

    names = list(getattr(models, model_name).model_fields)
    cells = {
        name: _CELLS["visit_kind" if (model_name, name) == ("VisitCreate", "kind") else name]
        for name in names
    }
    row = {name: draw(st.sampled_from(good)) for name, (good, _) in cells.items()}
    if draw(st.booleans()):
        name = draw(st.sampled_from(names))
        row[name] = draw(st.sampled_from(cells[name][1]))
    return row


@pytest.mark.parametrize("model_name", ["EpisodeCreate", "DayCreate", "VisitCreate"])
def test_fast_validation_agrees_with_the_model(model_name: str) -> None:
    """What the fast path accepts, the model accepts identically; what fails goes to the model."""
    from diary.db import models

    model = getattr(models, model_name)
    fast = FastModel.for_model(model)
    assert fast is not None
    outcomes = {"accepted": 0, "refused": 0}

    @settings(max_examples=300, deadline=None)
    @given(raw=_raw_rows(model_name))
    def check(raw: dict[str, object]) -> None:
        try:
            expected = model.model_validate(raw).model_dump()
        except Exception:
            expected = None
        got = fast.validate(raw)
        if expected is None:
            assert got is None
        else:
            assert got is not None, raw
            assert got.model_dump() == expected
        outcomes["accepted" if expected is not None else "refused"] += 1

    check()
    assert outcomes["accepted"] >= 10 and outcomes["refused"] >= 10, outcomes


def test_fast_validation_stops_remembering_values_that_do_not_repeat() -> None:
    fast = FastModel.for_model(DayCreate)
    assert fast is not None
    base = datetime(2000, 1, 1).date()
    for n in range(FastModel.MEMO_LIMIT + 10):
        day = base + timedelta(days=n)
        got = fast.validate({"date": day.isoformat(), "water_ml": "1l"})
        assert got is not None and got.date == day and got.water_ml == 1000
    assert fast.memos["date"] is None  # unique values: no longer kept
    assert fast.memos["water_ml"] == {"1l": 1000}


def test_fast_validation_keeps_the_offset_of_equal_instants() -> None:
    """Two episodes at the same instant in different offsets are two different local times."""
    fast = FastModel.for_model(EpisodeCreate)
    assert fast is not None
    utc = datetime(1990, 1, 1, tzinfo=UTC)
    later = utc.astimezone(timezone(timedelta(minutes=15)))
    assert utc == later  # equal as instants, so a cache keyed on them would mix them up
    for moment in (utc, later, utc):
        got = fast.validate({"started_at": moment, "body_site": "calf"})
        assert got is not None and got.started_at.utcoffset() == moment.utcoffset()


def test_models_with_model_validators_validate_every_row_themselves() -> None:
    assert FastModel.for_model(MedicationCreate) is None  # course dates checked together
    from diary.db.models import ProfileEntryCreate

    assert FastModel.for_model(ProfileEntryCreate) is None
