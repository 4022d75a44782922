"""The schema revision this version of the app expects, known without importing Alembic.

The quick-logging path compares the file's ``alembic_version`` with ``HEAD_REVISION`` and only
imports Alembic (half a second) when they differ. A test keeps this constant equal to the head of
``migrations/versions``; bump it in the same commit as a new migration.
"""

from diary.vocab import SIGNS

HEAD_REVISION = "0004"

#: The ``day`` table's columns, in the order of the CSV contract's ``days.csv``.
DAY_COLUMNS = (
    "date",
    "water_ml",
    "caffeine_mg",
    "alcohol_units",
    "exercise_min",
    "exercise_intensity",
    "sleep_h",
    "sleep_quality",
    "stress",
    "symptoms",
    "note",
)

#: The ``episode`` table's columns, in table order.
EPISODE_COLUMNS = (
    "id",
    "started_at_utc",
    "utc_offset_min",
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

#: Every diary table and the columns the app reads and writes in it: ``twitch check`` and
#: ``twitch restore`` require them (a file with the revision but not these tables is no diary).
#: A test keeps this equal to the SQLModel tables.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "episode": EPISODE_COLUMNS,
    "day": DAY_COLUMNS,
    "medication": ("id", "name", "drug_class", "dose", "started_on", "stopped_on", "note"),
    "visit": ("id", "date", "kind", "tests", "outcome", "note"),
    "profile": ("key", "value"),
    "sign_check": ("id", "date", *SIGNS, "note", "created_at"),
    "strength_check": (
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
        "created_at",
    ),
    "twitch_count": (
        "id",
        "counted_at_utc",
        "utc_offset_min",
        "body_site",
        "side",
        "seconds",
        "twitches",
        "note",
        "created_at",
    ),
}
#: Tables added after the first revision, with the revision that added them: a file at an older
#: revision (a backup, a diary not yet opened by this version) lacks them until it is migrated.
ADDED_IN: dict[str, str] = {"sign_check": "0004", "strength_check": "0004", "twitch_count": "0004"}
