"""Self-checks: the weekly warning-sign check, strength checks per side, timed twitch counts.

Three new tables; nothing stored before changes. ``sign_check`` holds one answer per warning sign
(NULL = not asked, 0 = no, 1 = yes); ``strength_check`` heel raises, heel and toe walks per side,
chair stands and grip (NULL = not done); ``twitch_count`` a timed count as a UTC instant with its
offset, like an episode. Downgrading drops the three tables, and what they held with them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 08:10:06
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401  (autogenerate writes sqlmodel's AutoString)
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sign_check",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("weakness", sa.Boolean(), nullable=True),
        sa.Column("clumsiness", sa.Boolean(), nullable=True),
        sa.Column("tripping_falls", sa.Boolean(), nullable=True),
        sa.Column("slurred_speech", sa.Boolean(), nullable=True),
        sa.Column("difficulty_swallowing", sa.Boolean(), nullable=True),
        sa.Column("muscle_loss", sa.Boolean(), nullable=True),
        sa.Column("numbness", sa.Boolean(), nullable=True),
        sa.Column("tingling", sa.Boolean(), nullable=True),
        sa.Column("spreading", sa.Boolean(), nullable=True),
        sa.Column("night_cramps", sa.Boolean(), nullable=True),
        sa.Column("breathlessness", sa.Boolean(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "breathlessness IS NULL OR breathlessness IN (0, 1)",
            name=op.f("ck_sign_check_breathlessness"),
        ),
        sa.CheckConstraint(
            "clumsiness IS NULL OR clumsiness IN (0, 1)", name=op.f("ck_sign_check_clumsiness")
        ),
        sa.CheckConstraint(
            "difficulty_swallowing IS NULL OR difficulty_swallowing IN (0, 1)",
            name=op.f("ck_sign_check_difficulty_swallowing"),
        ),
        sa.CheckConstraint(
            "muscle_loss IS NULL OR muscle_loss IN (0, 1)", name=op.f("ck_sign_check_muscle_loss")
        ),
        sa.CheckConstraint(
            "night_cramps IS NULL OR night_cramps IN (0, 1)",
            name=op.f("ck_sign_check_night_cramps"),
        ),
        sa.CheckConstraint(
            "numbness IS NULL OR numbness IN (0, 1)", name=op.f("ck_sign_check_numbness")
        ),
        sa.CheckConstraint(
            "slurred_speech IS NULL OR slurred_speech IN (0, 1)",
            name=op.f("ck_sign_check_slurred_speech"),
        ),
        sa.CheckConstraint(
            "spreading IS NULL OR spreading IN (0, 1)", name=op.f("ck_sign_check_spreading")
        ),
        sa.CheckConstraint(
            "tingling IS NULL OR tingling IN (0, 1)", name=op.f("ck_sign_check_tingling")
        ),
        sa.CheckConstraint(
            "tripping_falls IS NULL OR tripping_falls IN (0, 1)",
            name=op.f("ck_sign_check_tripping_falls"),
        ),
        sa.CheckConstraint(
            "weakness IS NULL OR weakness IN (0, 1)", name=op.f("ck_sign_check_weakness")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_check")),
    )
    with op.batch_alter_table("sign_check", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sign_check_date"), ["date"], unique=False)

    op.create_table(
        "strength_check",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("heel_raises_left", sa.Integer(), nullable=True),
        sa.Column("heel_raises_right", sa.Integer(), nullable=True),
        sa.Column("heel_walk_left", sa.Boolean(), nullable=True),
        sa.Column("heel_walk_right", sa.Boolean(), nullable=True),
        sa.Column("toe_walk_left", sa.Boolean(), nullable=True),
        sa.Column("toe_walk_right", sa.Boolean(), nullable=True),
        sa.Column("chair_stands", sa.Integer(), nullable=True),
        sa.Column("grip_left_kg", sa.Float(), nullable=True),
        sa.Column("grip_right_kg", sa.Float(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "chair_stands IS NULL OR chair_stands BETWEEN 0 AND 100",
            name=op.f("ck_strength_check_chair_stands"),
        ),
        sa.CheckConstraint(
            "grip_left_kg IS NULL OR grip_left_kg BETWEEN 0 AND 150",
            name=op.f("ck_strength_check_grip_left_kg"),
        ),
        sa.CheckConstraint(
            "grip_right_kg IS NULL OR grip_right_kg BETWEEN 0 AND 150",
            name=op.f("ck_strength_check_grip_right_kg"),
        ),
        sa.CheckConstraint(
            "heel_raises_left IS NULL OR heel_raises_left BETWEEN 0 AND 300",
            name=op.f("ck_strength_check_heel_raises_left"),
        ),
        sa.CheckConstraint(
            "heel_raises_right IS NULL OR heel_raises_right BETWEEN 0 AND 300",
            name=op.f("ck_strength_check_heel_raises_right"),
        ),
        sa.CheckConstraint(
            "heel_walk_left IS NULL OR heel_walk_left IN (0, 1)",
            name=op.f("ck_strength_check_heel_walk_left"),
        ),
        sa.CheckConstraint(
            "heel_walk_right IS NULL OR heel_walk_right IN (0, 1)",
            name=op.f("ck_strength_check_heel_walk_right"),
        ),
        sa.CheckConstraint(
            "toe_walk_left IS NULL OR toe_walk_left IN (0, 1)",
            name=op.f("ck_strength_check_toe_walk_left"),
        ),
        sa.CheckConstraint(
            "toe_walk_right IS NULL OR toe_walk_right IN (0, 1)",
            name=op.f("ck_strength_check_toe_walk_right"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_strength_check")),
    )
    with op.batch_alter_table("strength_check", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_strength_check_date"), ["date"], unique=False)

    op.create_table(
        "twitch_count",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("counted_at_utc", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("utc_offset_min", sa.Integer(), nullable=False),
        sa.Column("body_site", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("side", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("seconds", sa.Integer(), nullable=False),
        sa.Column("twitches", sa.Integer(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "body_site IN ('eyelid', 'face', 'lip', 'tongue', 'jaw', 'throat', 'neck', 'shoulder', 'upper_arm', 'forearm', 'hand', 'finger', 'chest', 'abdomen', 'back', 'buttock', 'thigh', 'hamstring', 'knee', 'calf', 'shin', 'ankle', 'foot', 'toe', 'other')",
            name=op.f("ck_twitch_count_body_site"),
        ),
        sa.CheckConstraint(
            "side IS NULL OR side IN ('left', 'right', 'both', 'midline')",
            name=op.f("ck_twitch_count_side"),
        ),
        sa.CheckConstraint("seconds BETWEEN 10 AND 600", name=op.f("ck_twitch_count_seconds")),
        sa.CheckConstraint("twitches BETWEEN 0 AND 2000", name=op.f("ck_twitch_count_twitches")),
        sa.CheckConstraint(
            "utc_offset_min BETWEEN -1080 AND 1080", name=op.f("ck_twitch_count_utc_offset_min")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_twitch_count")),
    )
    with op.batch_alter_table("twitch_count", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_twitch_count_counted_at_utc"), ["counted_at_utc"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("twitch_count", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_twitch_count_counted_at_utc"))

    op.drop_table("twitch_count")
    with op.batch_alter_table("strength_check", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_strength_check_date"))

    op.drop_table("strength_check")
    with op.batch_alter_table("sign_check", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_check_date"))

    op.drop_table("sign_check")
