"""The TUI's door to the diary: what Today reads and logs through plain sqlite3 (``diary.db.records``
and ``diary.db.quick``) is exactly what the SQLModel store reads and writes."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from diary.db import store
from diary.db.models import EpisodeCreate, validate
from diary.errors import StoreError
from diary.tui.data import Diary

FIELDS = (
    "id",
    "started_at",
    "body_site",
    "side",
    "intensity",
    "duration_s",
    "kind",
    "symptoms",
    "context",
    "note",
    "created_at",
)


def zone(hours: float) -> timezone:
    return timezone(timedelta(minutes=round(hours * 60)))


@pytest.fixture
def diary(tmp_path: Path) -> Diary:
    """Episodes around the midnights of 4–6 March lived in far-apart offsets, and a check-in."""
    opened = Diary(tmp_path / "d.sqlite3")
    sites = ["calf", "eyelid", "thigh", "foot", "hand", "calf", "upper_arm", "eyelid"]
    moments = [
        datetime(2025, 3, day, hour, minute, tzinfo=zone(offset))
        for day in (4, 5, 6)
        for hour, minute in ((0, 0), (0, 30), (12, 0), (23, 59))
        for offset in (-12, -3.5, 0, 1, 5.75, 14)
    ]
    for index, moment in enumerate(moments):
        opened.add_episode(
            {
                "started_at": moment,
                "body_site": sites[index % len(sites)],
                "side": "left" if index % 3 else None,
                "intensity": index % 10 + 1 if index % 4 else None,
                "duration_s": index * 7 if index % 5 else None,
                "symptoms": ["pain", "numbness"] if index % 6 == 0 else [],
                "context": ["rest"] if index % 2 else [],
                "note": f"n{index}" if index % 7 == 0 else None,
            }
        )
    opened.save_day({"date": date(2025, 3, 5), "water_ml": 1500, "sleep_h": 7, "symptoms": "pain"})
    yield opened
    opened.close()


def as_stored(episode: object) -> tuple[object, ...]:
    return tuple(getattr(episode, name) for name in FIELDS)


@pytest.mark.parametrize("day", [date(2025, 3, d) for d in (3, 4, 5, 6, 7)])
def test_episodes_of_a_day_are_the_stores(diary: Diary, day: date) -> None:
    with store.read_session(diary.engine) as session:
        expected = store.list_episodes(session=session, since=day, until=day, newest_first=True)
    found = diary.episodes_on(day)
    assert [as_stored(e) for e in found] == [as_stored(e) for e in expected]
    assert all(
        e.started_at.utcoffset() == x.started_at.utcoffset()
        for e, x in zip(found, expected, strict=True)
    )


def test_recent_sites_and_the_last_episode_are_the_stores(
    diary: Diary, monkeypatch: pytest.MonkeyPatch
) -> None:
    from diary import when

    monkeypatch.setattr(when, "now_local", lambda zone=None: datetime(2025, 5, 3, tzinfo=zone))
    seen: list[str] = []
    for episode in diary.episodes(since=date(2025, 3, 4)):
        if episode.body_site not in seen:
            seen.append(episode.body_site)
    assert diary.recent_sites() == seen[:5]
    with store.read_session(diary.engine) as session:
        last = store.last_episode(session=session)
    assert as_stored(diary.last_episode()) == as_stored(last)


def test_a_day_is_the_stores(diary: Diary) -> None:
    with store.read_session(diary.engine) as session:
        expected = store.get_day(session=session, day=date(2025, 3, 5))
    assert diary.day(date(2025, 3, 5)).__dict__ == expected.model_dump()
    assert diary.day(date(2025, 3, 6)) is None


def test_a_deleted_episode_is_put_back_as_it_was(diary: Diary) -> None:
    episode = next(e for e in diary.episodes_on(date(2025, 3, 5)) if e.note and e.symptoms)
    values = diary.delete_episode(episode.id)
    assert episode.id not in {e.id for e in diary.episodes_on(date(2025, 3, 5))}
    with pytest.raises(StoreError, match="no episode has id"):
        diary.delete_episode(episode.id)
    diary.restore_episode(values)
    (back,) = [e for e in diary.episodes_on(date(2025, 3, 5)) if e.id == episode.id]
    assert as_stored(back) == as_stored(episode)


def test_a_logged_episode_is_the_row_the_store_writes(diary: Diary) -> None:
    moment = datetime(2025, 3, 7, 20, 15, 42, 123456, tzinfo=zone(1))
    values = {"started_at": moment, "body_site": "calf", "side": "right", "intensity": 6}
    values |= {"duration_s": 90, "symptoms": ["numbness", "pain"], "context": ["rest"]}
    logged = diary.add_episode({**values, "note": "  after a run  "})
    with store.write_session(diary.engine) as session:
        other = store.add_episode(session=session, episode=validate(EpisodeCreate, values))
    stored = [e for e in diary.episodes_on(date(2025, 3, 7)) if e.id in (logged.id, other.id)]
    assert len(stored) == 2
    mine, theirs = sorted(stored, key=lambda e: e.id != logged.id)
    same = ("started_at", "body_site", "side", "intensity", "duration_s", "kind", "symptoms")
    assert [getattr(mine, n) for n in same] == [getattr(theirs, n) for n in same]
    assert (mine.context, theirs.context) == ("rest", "rest")
    assert (mine.note, mine.started_at.microsecond) == ("after a run", 0)  # trimmed, to the second
