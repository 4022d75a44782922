"""``IntensityScale``: "unknown", then 1 to 10 in a row, chosen by digit, arrow or click.

Today's log form uses it; an intensity the person did not give stays unknown, never a made-up 3.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from diary import validation
from diary.tui.widgets.choice import UNKNOWN
from diary.tui.widgets.stop_row import StopRow


class IntensityScale(StopRow[int]):
    """ "unknown", then 1 to 10 in a row, the chosen one bracketed; it starts at "unknown".

    Digit keys set it (the form binds them); ←/→ step and stop at the ends, the left end being
    "unknown"; Delete goes back there. A click on a number picks it.
    """

    BINDINGS = [
        Binding("left,down", "step(-1)", "Less", show=False),
        Binding("right,up", "step(1)", "More", show=False),
        Binding("delete,backspace", "clear", "Unknown", show=False),
    ]

    def stops(self) -> list[int | None]:
        """ "unknown", then 1 (barely noticeable) to 10 (the worst imaginable)."""
        return [None, *range(validation.INTENSITY_MIN, validation.INTENSITY_MAX + 1)]

    def render(self) -> Text:
        """ "unknown" then 1 … 10; the chosen one bracketed."""
        text = Text()
        self._spans = []
        for n in self.stops():
            shown = UNKNOWN if n is None else str(n)
            start = len(text)
            if n == self.value:
                text.append(f"[{shown}]", style="bold reverse")
            else:
                text.append(f" {shown} " if n is None else shown, style="dim")
            self._spans.append((start, len(text), n))
            text.append(" ")
        return text
