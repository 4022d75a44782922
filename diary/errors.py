"""The errors a person can cause, and how they read: one line, field, value, what is allowed.

Everything the user can get wrong raises a ``UserError``; the command line prints its message and
exits with status 2 without touching the database. Anything else is a bug and may show a traceback.
"""

from __future__ import annotations

import re

#: Characters past the C0 range that can rewrite what a terminal shows (a regular-expression class
#: body): DEL, the C1 controls (U+009B alone starts an escape sequence on many terminals), line and
#: paragraph separators, and the bidi embeddings, overrides and isolates that reorder a line.
C1_AND_BIDI = r"\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
#: Every character that must not reach a terminal raw inside one line (C0 controls included).
_UNSAFE_IN_A_LINE = re.compile(rf"[\x00-\x1f{C1_AND_BIDI}]")
#: The same, but line breaks and tabs pass: for whole blocks of output already laid out in lines.
_UNSAFE_IN_TEXT = re.compile(rf"[\x00-\x08\x0b-\x1f{C1_AND_BIDI}]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or f"\\u{ord(char):04x}"


def printable(value: object) -> str:
    """``value`` as text safe to print on one line: controls and bidi overrides escaped.

    Stored text and file names can hold characters that move the cursor, recolour the screen or
    reorder what follows; they are shown as ``\\n``, ``\\u202e`` and so on instead (also valid
    in JSON strings).
    """
    return _UNSAFE_IN_A_LINE.sub(_escape, str(value))


def printable_lines(text: str) -> str:
    """Like ``printable``, but keeps line breaks and tabs: for output that is laid out in lines."""
    return _UNSAFE_IN_TEXT.sub(_escape, text)


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


class OutOfMemory(UserError):
    """Too little memory to load or run what the command needs; nothing was changed by it."""

    exit_code = 1


class DatabaseBusy(StoreError):
    """Another program held the database longer than the busy timeout; nothing was written."""

    exit_code = 1


def show(value: object) -> str:
    """A value as it should appear in a message: strings quoted and cut short, the rest as is."""
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."
        return repr(text)
    return str(value)
