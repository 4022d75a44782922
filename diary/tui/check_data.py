"""The self-checks through the TUI's door to the diary: add, list and delete, safe in workers.

``Diary`` (``diary.tui.data``) takes these methods in as a mixin, so the screens call
``diary.add_sign_check(...)`` like every other method, and ``data.py`` stays one module a person
can read. Writes validate through the same ``*Create`` models as ``twitch signs``, ``twitch
strength`` and ``twitch count`` and go through ``diary.db.checks`` in one transaction each; only
whether the weekly check is due is read through plain ``sqlite3``, because Today asks it.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from diary.db import records

if TYPE_CHECKING:
    from diary.db.check_models import SignCheck, StrengthCheck, TwitchCount

T = TypeVar("T")

#: The weekly sign check is offered once the newest one is this many days old.
SIGN_CHECK_EVERY_DAYS = 7


@dataclass(frozen=True)
class RecentChecks:
    """The self-checks of a period, each kind newest first, read in one transaction."""

    signs: list[SignCheck]
    strength: list[StrengthCheck]
    counts: list[TwitchCount]


class CheckMethods:
    """``Diary``'s methods for the weekly sign checks, the strength checks and the counts."""

    if TYPE_CHECKING:  # provided by ``Diary``
        _conn: sqlite3.Connection
        _lock: threading.RLock

        def _read(self, action: Callable[..., T], /, **arguments: Any) -> T: ...
        def _write(self, action: Callable[..., T], /, **arguments: Any) -> T: ...

    def add_sign_check(self, values: dict[str, Any]) -> SignCheck:
        """Validate and store a weekly sign check (a sign left None stays "not asked")."""
        from diary.db import checks
        from diary.db.check_models import SignCheckCreate
        from diary.db.models import validate

        check = validate(SignCheckCreate, values)
        return self._write(checks.add_sign_check, check=check)

    def add_strength_check(self, values: dict[str, Any]) -> StrengthCheck:
        """Validate and store a strength check (a test left None stays "not done")."""
        from diary.db import checks
        from diary.db.check_models import StrengthCheckCreate
        from diary.db.models import validate

        check = validate(StrengthCheckCreate, values)
        return self._write(checks.add_strength_check, check=check)

    def add_twitch_count(self, values: dict[str, Any]) -> TwitchCount:
        """Validate and store a timed twitch count."""
        from diary.db import checks
        from diary.db.check_models import TwitchCountCreate
        from diary.db.models import validate

        count = validate(TwitchCountCreate, values)
        return self._write(checks.add_twitch_count, count=count)

    def recent_checks(self, since: date | None = None) -> RecentChecks:
        """The checks dated from ``since`` on (all of them without it), each kind newest first."""
        from diary.db import checks

        def every_kind(*, session: Any, since: date | None) -> RecentChecks:
            return RecentChecks(
                checks.list_sign_checks(session=session, since=since, newest_first=True),
                checks.list_strength_checks(session=session, since=since, newest_first=True),
                checks.list_twitch_counts(session=session, since=since, newest_first=True),
            )

        return self._read(every_kind, since=since)

    def delete_sign_check(self, ident: str) -> SignCheck:
        """Delete a sign check; returns it as it was."""
        from diary.db import checks

        return self._write(checks.delete_sign_check, ident=ident)

    def delete_strength_check(self, ident: str) -> StrengthCheck:
        """Delete a strength check; returns it as it was."""
        from diary.db import checks

        return self._write(checks.delete_strength_check, ident=ident)

    def delete_twitch_count(self, ident: str) -> TwitchCount:
        """Delete a twitch count; returns it as it was."""
        from diary.db import checks

        return self._write(checks.delete_twitch_count, ident=ident)

    def sign_check_due(self, today: date) -> bool:
        """True when no weekly sign check is dated within the last 7 days (today included).

        Plain ``sqlite3``: Today asks this, and Today never imports SQLAlchemy.
        """
        with self._lock:
            newest = records.last_sign_check(self._conn)
        return newest is None or newest <= today - timedelta(days=SIGN_CHECK_EVERY_DAYS)
