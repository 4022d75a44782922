"""The CSV contract's columns and its spreadsheet-safety escape.

Eight UTF-8 files with a header row. Each file is what one ``*Create`` model takes (``MODELS``),
so its columns are that model's fields, in order (``CONTRACT``); sets are ``;``-separated, an empty
cell is unknown (for a self-check's answer: not asked, or not done), yes/no answers and passed
walks are ``yes``/``no``, ``started_at`` and ``counted_at`` carry their UTC offset (``MOMENTS``).
Each file is stored in one table, whose rows it matches by a key column (``KEYS``): ``id``,
``date`` for days, ``key`` for the profile.

Spreadsheet safety (OWASP "CSV injection"): on export a cell that starts with ``= + - @``, a tab,
CR, LF or ``'`` gets a leading ``'``, so a spreadsheet shows it as text instead of running it; on
import one leading ``'`` is removed when the next character is one of those. Escaping ``'`` itself
keeps round trips exact: a note that really starts with ``'=`` comes back as it was.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlmodel import SQLModel

from diary.db import check_models, models

#: Per file: the model that validates its rows, as it validates every other way in.
MODELS: Mapping[str, type[SQLModel]] = {
    "episodes.csv": models.EpisodeCreate,
    "days.csv": models.DayCreate,
    "medications.csv": models.MedicationCreate,
    "visits.csv": models.VisitCreate,
    "profile.csv": models.ProfileEntryCreate,
    "sign_checks.csv": check_models.SignCheckCreate,
    "strength_checks.csv": check_models.StrengthCheckCreate,
    "twitch_counts.csv": check_models.TwitchCountCreate,
}
#: Per file, its columns in order: its model's fields, what a person gives (never what the diary
#: derives, such as an episode's UTC instant or when a row was stored).
CONTRACT: Mapping[str, tuple[str, ...]] = {
    name: tuple(model.model_fields) for name, model in MODELS.items()
}
#: Per file: the table model its rows are stored as.
TABLES: Mapping[str, type[SQLModel]] = {
    "episodes.csv": models.Episode,
    "days.csv": models.Day,
    "medications.csv": models.Medication,
    "visits.csv": models.Visit,
    "profile.csv": models.ProfileEntry,
    "sign_checks.csv": check_models.SignCheck,
    "strength_checks.csv": check_models.StrengthCheck,
    "twitch_counts.csv": check_models.TwitchCount,
}
#: Per file: the table and its key column (rows are matched by it).
KEYS: Mapping[str, tuple[str, str]] = {
    "episodes.csv": ("episode", "id"),
    "days.csv": ("day", "date"),
    "medications.csv": ("medication", "id"),
    "visits.csv": ("visit", "id"),
    "profile.csv": ("profile", "key"),
    "sign_checks.csv": ("sign_check", "id"),
    "strength_checks.csv": ("strength_check", "id"),
    "twitch_counts.csv": ("twitch_count", "id"),
}
#: Per file: its column holding a date-time with a UTC offset (read in local time without one).
MOMENTS: Mapping[str, str] = {"episodes.csv": "started_at", "twitch_counts.csv": "counted_at"}
#: The files whose rows record when they were stored (``created_at``, kept when a row changes).
STAMPED = frozenset({"episodes.csv", "sign_checks.csv", "strength_checks.csv", "twitch_counts.csv"})
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "'")


def escape_cell(text: str) -> str:
    """Make a cell inert in spreadsheets (see the module docstring)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def unescape_cell(text: str) -> str:
    """Undo ``escape_cell``: drop one leading ``'`` that guards a formula character."""
    if len(text) >= 2 and text[0] == "'" and text[1] in FORMULA_START:
        return text[1:]
    return text
