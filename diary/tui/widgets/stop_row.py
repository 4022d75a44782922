"""``StopRow``: what a one-line row of choices shares (Today's side, kind and intensity).

The arrow keys step along the row and stop at its ends instead of wrapping round, so "unknown" at
the left end stays reachable and a wrap from one end to the other cannot pass unnoticed; a click
picks the stop under it; Delete goes back to "unknown" where the row has that stop.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from textual import events
from textual.reactive import reactive
from textual.widget import Widget

Stop = TypeVar("Stop")


class StopRow(Widget, Generic[Stop], can_focus=True):
    """A row of stops (``stops``, None for "unknown"); ``render`` records where each is drawn."""

    value: reactive[Stop | None] = reactive(None)
    """The chosen stop; None: unknown."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's own name for it
        super().__init__(id=id)
        #: Where ``render`` drew each stop: (first column, column after it, the stop).
        self._spans: list[tuple[int, int, Stop | None]] = []

    def stops(self) -> list[Stop | None]:
        """The stops of the arrow keys, left to right."""
        raise NotImplementedError

    def action_step(self, delta: int) -> None:
        """Move along the row; at either end stay put (no wrapping round)."""
        stops = self.stops()
        index = stops.index(self.value) + delta
        if 0 <= index < len(stops):
            self.value = stops[index]
        else:
            self.app.bell()

    def action_clear(self) -> None:
        """Back to "unknown" (where the row has that stop)."""
        if None in self.stops():
            self.value = None

    def on_click(self, event: events.Click) -> None:
        """A click on a stop (or on "unknown") picks it."""
        for start, end, stop in self._spans:
            if start <= event.x < end:
                self.value = stop
                return
