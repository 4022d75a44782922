"""``IntensityScale``: "unknown", then 1 to 10 in a row, chosen by digit, arrow or click.

Today's log form uses it; an intensity the person did not give stays unknown, never a made-up 3.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.reactive import reactive
from textual.widget import Widget

from diary import validation
from diary.tui.widgets.choice import UNKNOWN


class IntensityScale(Widget, can_focus=True):
    """ "unknown", then 1 to 10 in a row, the chosen one bracketed; it starts at "unknown".

    Digit keys set it (the form binds them); ←/→ step and stop at the ends, the left end being
    "unknown"; Delete goes back there. A click on a number picks it.
    """

    BINDINGS = [
        Binding("left,down", "step(-1)", "Less", show=False),
        Binding("right,up", "step(1)", "More", show=False),
        Binding("delete,backspace", "clear", "Unknown", show=False),
    ]

    value: reactive[int | None] = reactive(None)
    """The chosen intensity, 1 (barely noticeable) to 10 (the worst imaginable); None: unknown."""

    def render(self) -> Text:
        """ "unknown" then 1 … 10; the chosen one bracketed."""
        text = Text()
        self._spans: list[tuple[int, int, int | None]] = []
        for n in [None, *range(validation.INTENSITY_MIN, validation.INTENSITY_MAX + 1)]:
            shown = UNKNOWN if n is None else str(n)
            start = len(text)
            if n == self.value:
                text.append(f"[{shown}]", style="bold reverse")
            else:
                text.append(f" {shown} " if n is None else shown, style="dim")
            self._spans.append((start, len(text), n))
            text.append(" ")
        return text

    def action_step(self, delta: int) -> None:
        """Move within "unknown", 1 … 10, without wrapping round."""
        stops: list[int | None] = [
            None,
            *range(validation.INTENSITY_MIN, validation.INTENSITY_MAX + 1),
        ]
        index = stops.index(self.value) + delta
        if 0 <= index < len(stops):
            self.value = stops[index]
        else:
            self.app.bell()

    def action_clear(self) -> None:
        """Back to "unknown"."""
        self.value = None

    def on_click(self, event: events.Click) -> None:
        """A click on a number (or on "unknown") picks it."""
        for start, end, n in getattr(self, "_spans", []):
            if start <= event.x < end:
                self.value = n
                return
