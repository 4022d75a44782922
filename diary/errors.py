"""The errors a person can cause, and how they read: one line, field, value, what is allowed.

Everything the user can get wrong raises a ``UserError``; the command line prints its message and
exits with status 2 without touching the database. Anything else is a bug and may show a traceback.
"""

from __future__ import annotations


class UserError(Exception):
    """A mistake in what the user asked for; the message is shown to them as it is."""

    exit_code = 2


class InvalidValue(UserError, ValueError):
    """A value outside what a field allows (a ``ValueError`` too, so pydantic reports it)."""

    def __init__(self, field: str, value: object, allowed: str) -> None:
        self.field = field
        self.value = value
        self.allowed = allowed
        super().__init__(f"{field} must be {allowed}, got {show(value)}")


class StoreError(UserError):
    """The database cannot be used as asked: no such row, a folder path, a newer schema."""


class DatabaseBusy(StoreError):
    """Another program held the database longer than the busy timeout; nothing was written."""

    exit_code = 1


def show(value: object) -> str:
    """A value as it should appear in a message: strings quoted and cut short, the rest as is."""
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."
        return repr(text)
    return str(value)
