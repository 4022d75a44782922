"""``TodayList``: the table of today's episodes under Today's forms, newest first.

An unknown side, intensity or duration reads "—", never a number the person did not give. The
border title names the day and counts its episodes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from textual.widgets import DataTable

from diary import wording
from diary.tui.widgets.site_select import site_name

#: The columns of today's list.
LIST_COLUMNS = ("Time", "Site", "Side", "Kind", "Int.", "Duration", "Symptoms, context")


def episode_cells(episode: Any) -> tuple[str, ...]:
    """An episode's id, then its cells as the list shows them."""
    return (
        episode.id,
        f"{episode.started_at:%H:%M}",
        site_name(episode.body_site),
        episode.side or wording.UNKNOWN,
        episode.kind,
        wording.UNKNOWN if episode.intensity is None else str(episode.intensity),
        wording.duration(episode.duration_s),
        ", ".join(
            x
            for x in (wording.stored_words(episode.symptoms), wording.stored_words(episode.context))
            if x
        ),
    )


class TodayList(DataTable[str]):
    """Today's episodes, one row each; a reload that changes nothing keeps the cursor."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._rows_shown: list[tuple[str, ...]] | None = None

    def show(self, episodes: Sequence[Any], today: date) -> None:
        """List ``episodes`` (newest first) and count them in the title."""
        rows = [episode_cells(episode) for episode in episodes]
        if rows != self._rows_shown:
            self._fill(rows)
        noun = "episode" if len(rows) == 1 else "episodes"
        self.border_title = f"Today · {today:%a} {today.day} {today:%b %Y} · ● {len(rows)} {noun}"

    def _fill(self, rows: list[tuple[str, ...]]) -> None:
        """Fill the list, each column as wide as its widest cell.

        The widths are measured here rather than left to the table: its own measuring runs later
        and a reload was sometimes drawn before it, cutting "01:07" to "01:0".
        """
        self._rows_shown = rows
        self.clear(columns=True)
        for index, label in enumerate(LIST_COLUMNS, start=1):
            width = max([len(label), *(len(row[index]) for row in rows)])
            self.add_column(label, width=width)
        for ident, *cells in rows:
            self.add_row(*cells, key=ident)
