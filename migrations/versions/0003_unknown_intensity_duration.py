"""Episode intensity and duration may be unknown (NULL): only what the person said is recorded.

Until now ``twitch log calf`` stored intensity 3 and 0 s, facts nobody gave. The columns become
nullable; their ranges still hold for every value that is given. Stored rows are kept exactly as
they are: an old intensity 3 or 0 s cannot be told apart from one that was typed, so it is not
guessed away. Downgrading refuses while unknown values exist, rather than inventing numbers.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INTENSITY = "intensity BETWEEN 1 AND 10"
DURATION = "duration_s BETWEEN 0 AND 86400"


def _rule(column: str, rule: str, nullable: bool) -> sa.TextClause:
    """A column's range, allowing NULL (unknown) when ``nullable``."""
    return sa.text(f"{column} IS NULL OR {rule}" if nullable else rule)


def _recreate(nullable: bool) -> None:
    """The two columns and their CHECK constraints, NULL allowed or not (one batch rebuild)."""
    with op.batch_alter_table("episode", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_episode_intensity"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_episode_duration_s"), type_="check")
        batch_op.alter_column("intensity", existing_type=sa.Integer(), nullable=nullable)
        batch_op.alter_column("duration_s", existing_type=sa.Integer(), nullable=nullable)
        batch_op.create_check_constraint(
            batch_op.f("ck_episode_intensity"), _rule("intensity", INTENSITY, nullable)
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_episode_duration_s"), _rule("duration_s", DURATION, nullable)
        )


def upgrade() -> None:
    _recreate(nullable=True)


def downgrade() -> None:
    unknown = (
        op.get_bind()
        .execute(
            sa.text("SELECT count(*) FROM episode WHERE intensity IS NULL OR duration_s IS NULL")
        )
        .scalar()
    )
    if unknown:
        raise RuntimeError(
            f"{unknown} episodes have no intensity or duration; the older schema cannot hold them"
        )
    _recreate(nullable=False)
