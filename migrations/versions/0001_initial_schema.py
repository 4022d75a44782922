"""Initial schema: episodes, days, medication courses, visits and the profile.

Revision ID: 0001
Revises:
Create Date: 2026-11-22 02:51:30.941536
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401  (autogenerate writes sqlmodel's AutoString)
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "day",
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("water_ml", sa.Integer(), nullable=True),
        sa.Column("caffeine_mg", sa.Integer(), nullable=True),
        sa.Column("alcohol_units", sa.Float(), nullable=True),
        sa.Column("exercise_min", sa.Integer(), nullable=True),
        sa.Column("exercise_intensity", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("sleep_h", sa.Float(), nullable=True),
        sa.Column("sleep_quality", sa.Integer(), nullable=True),
        sa.Column("stress", sa.Integer(), nullable=True),
        sa.Column("symptoms", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.CheckConstraint(
            "exercise_intensity IS NULL OR exercise_intensity IN ('none', 'light', 'moderate', 'vigorous')",
            name=op.f("ck_day_exercise_intensity"),
        ),
        sa.CheckConstraint(
            "alcohol_units IS NULL OR alcohol_units BETWEEN 0 AND 100",
            name=op.f("ck_day_alcohol_units"),
        ),
        sa.CheckConstraint(
            "caffeine_mg IS NULL OR caffeine_mg BETWEEN 0 AND 5000", name=op.f("ck_day_caffeine_mg")
        ),
        sa.CheckConstraint(
            "exercise_min IS NULL OR exercise_min BETWEEN 0 AND 1440",
            name=op.f("ck_day_exercise_min"),
        ),
        sa.CheckConstraint(
            "sleep_h IS NULL OR sleep_h BETWEEN 0 AND 24", name=op.f("ck_day_sleep_h")
        ),
        sa.CheckConstraint(
            "sleep_quality IS NULL OR sleep_quality BETWEEN 1 AND 5",
            name=op.f("ck_day_sleep_quality"),
        ),
        sa.CheckConstraint("stress IS NULL OR stress BETWEEN 0 AND 10", name=op.f("ck_day_stress")),
        sa.CheckConstraint(
            "water_ml IS NULL OR water_ml BETWEEN 0 AND 20000", name=op.f("ck_day_water_ml")
        ),
        sa.PrimaryKeyConstraint("date", name=op.f("pk_day")),
    )
    op.create_table(
        "episode",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("started_at_utc", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("utc_offset_min", sa.Integer(), nullable=False),
        sa.Column("body_site", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("side", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("intensity", sa.Integer(), nullable=False),
        sa.Column("duration_s", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("symptoms", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("context", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "body_site IN ('eyelid', 'face', 'lip', 'tongue', 'jaw', 'throat', 'neck', 'shoulder', 'upper_arm', 'forearm', 'hand', 'finger', 'chest', 'abdomen', 'back', 'buttock', 'thigh', 'hamstring', 'knee', 'calf', 'shin', 'ankle', 'foot', 'toe', 'other')",
            name=op.f("ck_episode_body_site"),
        ),
        sa.CheckConstraint(
            "kind IN ('twitch', 'cramp', 'spasm', 'jerk')", name=op.f("ck_episode_kind")
        ),
        sa.CheckConstraint(
            "side IS NULL OR side IN ('left', 'right', 'both', 'midline')",
            name=op.f("ck_episode_side"),
        ),
        sa.CheckConstraint("duration_s BETWEEN 0 AND 86400", name=op.f("ck_episode_duration_s")),
        sa.CheckConstraint("intensity BETWEEN 1 AND 10", name=op.f("ck_episode_intensity")),
        sa.CheckConstraint(
            "utc_offset_min BETWEEN -1080 AND 1080", name=op.f("ck_episode_utc_offset_min")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_episode")),
    )
    with op.batch_alter_table("episode", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_episode_started_at_utc"), ["started_at_utc"], unique=False
        )

    op.create_table(
        "medication",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("drug_class", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("dose", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("stopped_on", sa.Date(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.CheckConstraint(
            "drug_class IN ('diuretic', 'corticosteroid', 'beta_agonist', 'antipsychotic', 'statin', 'stimulant', 'calcium_channel_blocker', 'supplement', 'other')",
            name=op.f("ck_medication_drug_class"),
        ),
        sa.CheckConstraint("length(trim(name)) > 0", name=op.f("ck_medication_name")),
        sa.CheckConstraint(
            "stopped_on IS NULL OR stopped_on >= started_on",
            name=op.f("ck_medication_course_order"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_medication")),
    )
    with op.batch_alter_table("medication", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_medication_name"), ["name"], unique=False)

    op.create_table(
        "profile",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.CheckConstraint(
            "key IN ('name', 'birth_year', 'family_history')", name=op.f("ck_profile_key")
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_profile")),
    )
    op.create_table(
        "visit",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("tests", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('gp', 'neurologist', 'physiotherapist', 'urgent_care', 'emergency', 'other')",
            name=op.f("ck_visit_kind"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit")),
    )
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_date"), ["date"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_date"))

    op.drop_table("visit")
    op.drop_table("profile")
    with op.batch_alter_table("medication", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_medication_name"))

    op.drop_table("medication")
    with op.batch_alter_table("episode", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_episode_started_at_utc"))

    op.drop_table("episode")
    op.drop_table("day")
