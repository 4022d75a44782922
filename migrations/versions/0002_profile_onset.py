"""Profile key ``onset``: when the twitching started ("around …"), stored as YYYY-MM-DD.

The profile table allows only the keys the app knows (a CHECK constraint), so a new key needs the
constraint widened. Rows are kept as they are. Downgrading removes stored onsets (the older app
has no place for them) and restores the narrower constraint.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401  (autogenerate writes sqlmodel's AutoString)
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KEYS = "key IN ('name', 'birth_year', 'family_history')"
NEW_KEYS = "key IN ('name', 'birth_year', 'family_history', 'onset')"


def upgrade() -> None:
    with op.batch_alter_table("profile", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_profile_key"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_profile_key"), sa.text(NEW_KEYS))


def downgrade() -> None:
    op.execute("DELETE FROM profile WHERE key = 'onset'")
    with op.batch_alter_table("profile", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_profile_key"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_profile_key"), sa.text(OLD_KEYS))
