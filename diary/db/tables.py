"""Every table of the diary in one tuple; importing this module registers them all with SQLModel.

The tables live in two modules (``models`` for what a person logs, ``check_models`` for the
self-checks); what needs all of them at once (the demo's "is this diary in use?", Alembic's
comparison of models and migrations, the tests of the schema) imports them from here.
"""

from __future__ import annotations

from sqlmodel import SQLModel

from diary.db.check_models import SignCheck, StrengthCheck, TwitchCount
from diary.db.models import Day, Episode, Medication, ProfileEntry, Visit

ALL_TABLES: tuple[type[SQLModel], ...] = (
    Episode,
    Day,
    Medication,
    Visit,
    ProfileEntry,
    SignCheck,
    StrengthCheck,
    TwitchCount,
)
