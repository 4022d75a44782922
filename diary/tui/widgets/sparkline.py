"""In-terminal charts drawn with unicode blocks: a sparkline that fits its width, and bars.

The functions are plain (numbers in, text out) so they can be tested without an app; the widgets
only measure their width and ask the functions for the text. A gap (``None``) is drawn as a space,
so a day that was not logged never looks like a quiet day; a NaN (pandas' "unknown") is a gap too.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.geometry import Size
from textual.widget import Widget

#: Eight heights, lowest first; the lowest one also marks a logged zero.
BLOCKS = "▁▂▃▄▅▆▇█"
FULL = "█"


def gap(value: float | None) -> bool:
    """Whether ``value`` is unknown: ``None`` or NaN (NaN is the only value unequal to itself)."""
    return value is None or value != value


def bucket(values: Sequence[float | None], width: int) -> list[float | None]:
    """Squeeze ``values`` into at most ``width`` slots, each the mean of its known values."""
    if width <= 0:
        return []
    if len(values) <= width:
        return [None if gap(v) else v for v in values]
    out: list[float | None] = []
    for slot in range(width):
        start = slot * len(values) // width
        end = (slot + 1) * len(values) // width
        known = [v for v in values[start:end] if v is not None and not gap(v)]
        out.append(sum(known) / len(known) if known else None)
    return out


def spark(
    values: Sequence[float | None],
    width: int,
    *,
    low: float | None = None,
    high: float | None = None,
) -> str:
    """One line of blocks scaled from ``low`` (default 0) to ``high`` (default the maximum)."""
    slots = bucket(values, width)
    known = [v for v in slots if v is not None]
    if not known:
        return " " * len(slots)
    bottom = 0.0 if low is None else low
    top = max(known) if high is None else high
    span = top - bottom
    chars = []
    for value in slots:
        if value is None:
            chars.append(" ")
            continue
        share = (value - bottom) / span if span > 0 else 0.0
        index = round(min(max(share, 0.0), 1.0) * (len(BLOCKS) - 1))
        chars.append(BLOCKS[index])
    return "".join(chars)


def bars(items: Sequence[tuple[str, int]], width: int) -> list[str]:
    """Labelled horizontal bars: ``calf (right)   ████████  12`` scaled to the largest value."""
    if not items:
        return []
    label_width = min(max(len(label) for label, _ in items), 24)
    number_width = max(len(str(value)) for _, value in items)
    room = max(width - label_width - number_width - 4, 1)
    top = max(value for _, value in items) or 1
    lines = []
    for label, value in items:
        length = max(round(value / top * room), 1 if value else 0)
        name = label[:label_width].ljust(label_width)
        lines.append(f"{name}  {(FULL * length).ljust(room)}  {str(value).rjust(number_width)}")
    return lines


class SparkLine(Widget):
    """A one-line chart of a series that redraws to fit its width (gaps stay blank)."""

    DEFAULT_CSS = """
    SparkLine {
        height: 1;
        width: 1fr;
    }
    """

    def __init__(
        self,
        values: Sequence[float | None],
        *,
        low: float | None = None,
        high: float | None = None,
        id: str | None = None,  # noqa: A002 - Textual's own name for it
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.values = list(values)
        self.low = low
        self.high = high

    def render(self) -> str:
        """The blocks for the current width."""
        return spark(self.values, self.content_size.width, low=self.low, high=self.high)


class BarList(Widget):
    """Labelled horizontal bars, one line per item, fitted to the width."""

    DEFAULT_CSS = """
    BarList {
        height: auto;
        width: 1fr;
    }
    """

    def __init__(
        self,
        items: Sequence[tuple[str, int]],
        *,
        id: str | None = None,  # noqa: A002 - Textual's own name for it
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.items = list(items)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """One line per item."""
        return max(len(self.items), 1)

    def render(self) -> str:
        """The bars for the current width."""
        return "\n".join(bars(self.items, min(self.content_size.width, 72)))
