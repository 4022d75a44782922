"""One read transaction over the diary: every table a caller reads comes from the same snapshot.

Below ``frames`` and ``check_frames`` so both read the same way, and so the rules' frames (which
carry the checks) can be read in one transaction without a cycle between the two modules.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

R = TypeVar("R")


def read_snapshot(
    source: Engine | Path | str | sqlite3.Connection, read: Callable[[sqlite3.Connection], R]
) -> R:
    """What ``read`` reads from the diary (the path of its SQLite file, or an engine) in one read
    transaction: a consistent snapshot even while another program writes. An open connection is
    read as it is, in whatever transaction its caller holds.

    A path is read with the standard library alone (no SQLAlchemy import).
    """
    if isinstance(source, sqlite3.Connection):
        return read(source)
    if isinstance(source, str | Path):
        from diary.db import sqlite as lean

        conn = lean.connect(Path(source))
        try:
            conn.execute("BEGIN")
            result = read(conn)
            conn.execute("COMMIT")
        finally:
            conn.close()
        return result
    with source.connect() as connection:
        return read(cast(sqlite3.Connection, connection.connection.driver_connection))
