"""The TUI's door to the diary: plain functions over the store, safe to call from worker threads.

Screens never touch SQL or sessions; they call these methods inside ``@work(thread=True)``
workers and post the plain results back as messages.

The app is opened at the moment a twitch happens, so what the Today screen needs (today's episodes
and check-in, the recent sites, the last episode; logging and undoing an episode) goes through plain
``sqlite3`` (``diary.db.records`` and ``diary.db.quick``, the door ``twitch log`` uses) and returns
plain records. SQLAlchemy and SQLModel, half a second to import, are imported by the first method
that needs them (History, Meds, the check-in's save), and pandas and matplotlib only by the
analysis, the report and the export.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from diary import when
from diary.db import quick, records, sqlite
from diary.db.open import open_current
from diary.db.records import DayRecord, EpisodeRecord
from diary.tui.check_data import CheckMethods

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from diary.analysis.insights import Insights
    from diary.db.models import Day, Episode, Medication, Visit
    from diary.report.build import ReportResult

T = TypeVar("T")

#: How many recent sites the site picker offers first.
RECENT_SITES = 5
#: How far back the recent sites are looked for.
RECENT_DAYS = 60


class Diary(CheckMethods):
    """One diary file, opened (created and migrated) once for the app's lifetime; the self-checks'
    methods come from ``CheckMethods``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # Created, migrated and backed up today, like every command's diary; the lean door.
        self._conn = open_current(path)
        self._lock = threading.RLock()  # one writer at a time from this app's threads; guards _conn
        self._engine: Engine | None = None  # see ``engine``
        self._engine_lock = threading.Lock()
        self._watch: sqlite3.Connection | None = None  # see ``data_version``
        self._watch_lock = threading.Lock()

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, made (and SQLAlchemy imported) by the first call that needs it."""
        with self._engine_lock:
            if self._engine is None:
                from diary.db.engine import engine_for  # the file was made current on opening

                self._engine = engine_for(self.path)
            return self._engine

    def close(self) -> None:
        """Release the connections."""
        with self._engine_lock:
            if self._engine is not None:
                self._engine.dispose()
        with self._lock:
            self._conn.close()
        self._close_watch()

    def _read(self, action: Callable[..., T], /, **arguments: Any) -> T:
        """``action``, a store function, in its own read transaction (imports SQLModel on first
        use, through ``engine``)."""
        from diary.db import store

        with store.read_session(self.engine) as session:
            return action(session=session, **arguments)

    def _write(self, action: Callable[..., T], /, **arguments: Any) -> T:
        """``action``, a store function, in one write transaction, one writer of this app's
        threads at a time."""
        from diary.db import store

        with self._lock, store.write_session(self.engine) as session:
            return action(session=session, **arguments)

    # --- what Today shows and logs (plain sqlite3) --------------------------------------------

    def add_episode(self, values: dict[str, Any]) -> EpisodeRecord:
        """Validate and store a new episode (as ``twitch log`` does); returns it as stored."""
        episode = records.episode_input(values)
        with self._lock:
            ident = quick.insert_episode(self._conn, episode)
            stored = records.find_episode(self._conn, ident)
        assert stored is not None
        return stored

    def last_episode(self) -> EpisodeRecord | None:
        """The most recent episode (for "repeat last")."""
        with self._lock:
            return records.last_episode(self._conn)

    def episodes_on(self, day: date) -> list[EpisodeRecord]:
        """Episodes whose local date is ``day``, newest first."""
        with self._lock:
            return records.episodes_on(self._conn, day)

    def recent_sites(self) -> list[str]:
        """The body sites used most recently, most recent first."""
        since = when.now_local().date() - timedelta(days=RECENT_DAYS)
        with self._lock:
            return records.recent_sites(self._conn, since, RECENT_SITES)

    def delete_episode(self, ident: str) -> dict[str, Any]:
        """Delete an episode; returns its values so it can be put back (undo)."""
        with self._lock:
            episode = records.delete_episode(self._conn, ident)
        return {
            "id": episode.id,
            "started_at": episode.started_at,
            "body_site": episode.body_site,
            "side": episode.side,
            "intensity": episode.intensity,
            "duration_s": episode.duration_s,
            "kind": episode.kind,
            "symptoms": episode.symptoms,
            "context": episode.context,
            "note": episode.note,
            "_created_at": episode.created_at,
        }

    def day(self, day: date) -> DayRecord | None:
        """The check-in of ``day``, if any."""
        with self._lock:
            return records.day(self._conn, day)

    # --- episodes (SQLModel) --------------------------------------------------------------------

    def episodes(
        self, *, since: date | None = None, until: date | None = None, site: str | None = None
    ) -> list[Episode]:
        """Episodes in a date range (local dates) and optionally one site, newest first."""
        from diary.db import store

        return self._read(
            store.list_episodes, since=since, until=until, site=site, newest_first=True
        )

    def update_episode(
        self, ident: str, changes: dict[str, Any], expected: dict[str, Any] | None = None
    ) -> Episode:
        """Change some fields of an episode (validated as a whole).

        With ``expected`` (the changed fields' values as the form loaded them) the change is
        refused with ``store.EditConflict`` if another program changed one of them meanwhile.
        """
        from diary.db import store

        return self._write(store.update_episode, ident=ident, changes=changes, expected=expected)

    def restore_episode(self, values: dict[str, Any]) -> Episode:
        """Put back an episode deleted by ``delete_episode``."""
        from diary.db import store
        from diary.db.models import Episode, EpisodeCreate, validate

        data = {k: v for k, v in values.items() if not k.startswith("_")}
        episode = validate(EpisodeCreate, {**data, "started_at": data["started_at"]})
        row = Episode.model_validate(episode.columns(created_at=values.get("_created_at")))
        with self._lock, store.write_session(self.engine) as session:
            session.add(row)
        return row

    def find_episodes(
        self,
        *,
        since: date | None = None,
        until: date | None = None,
        site: str | None = None,
        text: str = "",
    ) -> list[Episode]:
        """Like ``episodes``, keeping those whose note, symptoms or context contain ``text``
        (any case): History's search box finds an episode by the words the person wrote."""
        found = self.episodes(since=since, until=until, site=site)
        needle = " ".join(text.split()).casefold()
        if not needle:
            return found
        return [episode for episode in found if needle in searchable_text(episode)]

    # --- days (SQLModel) ------------------------------------------------------------------------

    def save_day(self, values: dict[str, Any]) -> Day:
        """Store a day's check-in exactly as given (seeding, tests); forms use ``update_day``."""
        from diary.db import store
        from diary.db.models import DayCreate, validate

        day = validate(DayCreate, values)
        return self._write(store.upsert_day, day=day, merge=False)

    def update_day(
        self,
        day: date,
        changes: dict[str, Any],
        *,
        add_symptoms: list[str] | tuple[str, ...] = (),
        remove_symptoms: list[str] | tuple[str, ...] = (),
    ) -> Day:
        """Change only what the person changed, against the day as stored now (one transaction),
        so a check-in made from the command line while the app is open is kept."""
        from diary.db import store

        return self._write(
            store.update_day,
            day=day,
            changes=changes,
            add_symptoms=add_symptoms,
            remove_symptoms=remove_symptoms,
        )

    # --- medications and visits ---------------------------------------------------------------

    def medications(self) -> list[Medication]:
        """All courses, ongoing first."""
        from diary.db import store

        return self._read(store.list_medications)

    def add_medication(self, values: dict[str, Any]) -> Medication:
        """Start (or record) a course."""
        from diary.db import store
        from diary.db.models import MedicationCreate, validate

        course = validate(MedicationCreate, values)
        return self._write(store.add_medication, medication=course)

    def stop_medication(self, name: str, on: date) -> Medication:
        """Stop the ongoing course of ``name``."""
        from diary.db import store

        return self._write(store.stop_medication, name=name, on=on)

    def visits(self) -> list[Visit]:
        """All visits, oldest first."""
        from diary.db import store

        return self._read(store.list_visits)

    def add_visit(self, values: dict[str, Any]) -> Visit:
        """Record an appointment or test."""
        from diary.db import store
        from diary.db.models import VisitCreate, validate

        visit = validate(VisitCreate, values)
        return self._write(store.add_visit, visit=visit)

    # --- editing, deleting and undoing medications and visits; the profile --------------------

    def update_medication(
        self, ident: str, changes: dict[str, Any], expected: dict[str, Any] | None = None
    ) -> Medication:
        """Change some fields of a course; with ``expected`` (the changed fields as the form
        loaded them) a change made elsewhere meanwhile raises ``store.EditConflict``."""
        from diary.db import store

        return self._write(store.update_medication, ident=ident, changes=changes, expected=expected)

    def delete_medication(self, ident: str) -> dict[str, Any]:
        """Delete a course; returns its values so it can be put back (undo)."""
        from diary.db import store

        return self._write(store.delete_medication, ident=ident)

    def restore_medication(self, values: dict[str, Any]) -> Medication:
        """Put back a course deleted by ``delete_medication``."""
        from diary.db import store

        return self._write(store.restore_medication, values=values)

    def update_visit(
        self, ident: str, changes: dict[str, Any], expected: dict[str, Any] | None = None
    ) -> Visit:
        """Change some fields of a visit (compare-and-set with ``expected``, as for courses)."""
        from diary.db import store

        return self._write(store.update_visit, ident=ident, changes=changes, expected=expected)

    def delete_visit(self, ident: str) -> dict[str, Any]:
        """Delete a visit; returns its values so it can be put back (undo)."""
        from diary.db import store

        return self._write(store.delete_visit, ident=ident)

    def restore_visit(self, values: dict[str, Any]) -> Visit:
        """Put back a visit deleted by ``delete_visit``."""
        from diary.db import store

        return self._write(store.restore_visit, values=values)

    def profile(self) -> dict[str, str]:
        """The profile as stored (key -> text; unset keys are absent)."""
        from diary.db import store

        return self._read(store.get_profile)

    def update_profile(
        self, entries: dict[str, Any], expected: dict[str, str] | None = None
    ) -> dict[str, str]:
        """Set the changed profile keys ('' clears one), refused with ``store.EditConflict`` if
        one of them was changed elsewhere since ``expected`` was read."""
        from diary.db import store

        return self._write(store.update_profile, entries=entries, expected=expected)

    # --- change detection -----------------------------------------------------------------------

    def data_version(self) -> int:
        """A number that changes whenever anything was committed to the diary since the last call,
        by this app or another program (SQLite's ``PRAGMA data_version`` counts commits made on
        other connections, and this one, opened on first use, never writes): a cheap "has anything
        changed?"."""
        with self._watch_lock:
            if self._watch is None:
                self._watch = sqlite.connect(self.path)
            return int(self._watch.execute("PRAGMA data_version").fetchone()[0])

    def _close_watch(self) -> None:
        with self._watch_lock:
            if self._watch is not None:
                self._watch.close()
                self._watch = None

    # --- analysis, report, export (heavy: call from workers) ----------------------------------

    def insights(self, as_of: date) -> Insights:
        """``diary.analysis.insights.insights`` on this diary (imports pandas on first use)."""
        from diary.analysis.insights import insights

        return insights(self.path, as_of)

    def report(
        self,
        *,
        as_of: date,
        start: date,
        end: date,
        out: Path,
        png_dir: Path | None,
        paper: str = "a4",
    ) -> ReportResult:
        """Write the doctor's report (imports matplotlib on first use)."""
        from diary.report.build import make_report
        from diary.report.content import Period

        period = Period(start, end)
        return make_report(
            self.path, as_of=as_of, period=period, out=out, png_dir=png_dir, paper=paper
        )

    def export(self, folder: Path) -> dict[str, int]:
        """The CSV export."""
        from diary import csvio

        return csvio.export_all(self.engine, folder)


def searchable_text(episode: Episode | EpisodeRecord) -> str:
    """What History's search looks in: the note, the symptoms and the context, in words, folded
    to lower case with runs of spaces made one (so "after exercise" finds ``after_exercise``)."""
    words = [episode.note or "", *(episode.symptoms or "").split(";")]
    words += (episode.context or "").split(";")
    return " ".join(" ".join(words).replace("_", " ").split()).casefold()


def now() -> datetime:
    """The local time (one place for the TUI, so tests can freeze it via ``diary.when``)."""
    return when.now_local()
