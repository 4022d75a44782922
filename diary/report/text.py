"""The report's text style: one date style, notes on one line (unknown is ``wording.UNKNOWN``).

Shared by the summary page (``content``) and the appendix tables (``tables``), so that a date or
a missing value reads the same everywhere in the report.
"""

from __future__ import annotations

import re
from datetime import date

_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def day_text(value: date) -> str:
    """The report's one date style: ``1 Dec 2025``."""
    return f"{value.day} {value.strftime('%b %Y')}"


def dated(text: str) -> str:
    """``text`` with its ISO dates (``2026-03-01``) in the report's style (``1 Mar 2026``).

    The flag rules write ISO dates for the command line; on paper one style reads better.
    """

    def convert(match: re.Match[str]) -> str:
        try:
            return day_text(date(*(int(g) for g in match.groups())))
        except ValueError:
            return match.group(0)

    return _ISO_DATE.sub(convert, text)


def one_line(text: str | None) -> str:
    """A note as one line (its line breaks and tabs as spaces)."""
    return " ".join((text or "").split())
