"""``field_row``: one labelled row of Today's two forms (label, then the field's widgets)."""

from __future__ import annotations

from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Label


def field_row(label: str, *widgets: Widget, id: str | None = None, classes: str = "") -> Horizontal:
    """A row: the label in its column, then ``widgets``."""
    return Horizontal(
        Label(label, classes="field-label"), *widgets, classes=f"field-row {classes}", id=id
    )
