"""``AlertModal``: urgent guidance shown once, right after something that triggers it was saved.

Calm but impossible to miss: each alert's title, what to do and where the advice comes from. It
closes only when the person says so (the button, Enter or Escape), never by itself or by a click
outside, so the guidance cannot flash past unread.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from diary.guidance import Alert


class AlertModal(ModalScreen[None]):
    """The urgent rules that just fired, with their guidance and sources."""

    DEFAULT_CSS = """
    AlertModal {
        align: center middle;
    }
    AlertModal > #alert-box {
        width: 76;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $error 70%;
        background: $surface;
        padding: 0 1;
    }
    AlertModal #alert-heading {
        text-style: bold;
        color: $error;
        padding-bottom: 1;
    }
    AlertModal #alert-list {
        height: auto;
        max-height: 16;
    }
    AlertModal .alert-title {
        text-style: bold;
    }
    AlertModal .alert-guidance {
        padding-left: 2;
    }
    AlertModal .alert-source {
        padding-left: 2;
        padding-bottom: 1;
        color: $text-muted;
    }
    AlertModal #alert-footer {
        color: $text-muted;
    }
    AlertModal #alert-ok {
        margin-top: 1;
        width: 100%;
    }
    """

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("enter", "close", "Close", show=False),
    ]

    def __init__(self, alerts: Sequence[Alert]) -> None:
        super().__init__()
        self.alerts = list(alerts)

    def compose(self) -> ComposeResult:
        with Vertical(id="alert-box"):
            yield Static("Important — what you just logged needs attention", id="alert-heading")
            with VerticalScroll(id="alert-list"):
                for alert in self.alerts:
                    yield Static(alert.title[:1].upper() + alert.title[1:], classes="alert-title")
                    yield Static(alert.guidance, classes="alert-guidance")
                    yield Static(f"Source: {alert.source}", classes="alert-source")
            yield Static(
                "Your entry is saved. This diary cannot diagnose; it shows the published guidance.",
                id="alert-footer",
            )
            yield Button("I have read this  ⏎", id="alert-ok", variant="error")

    def on_mount(self) -> None:
        """Focus the button so Enter closes the modal."""
        self.query_one("#alert-ok", Button).focus()

    @on(Button.Pressed, "#alert-ok")
    def action_close(self) -> None:
        """Close the modal (explicitly, by the person)."""
        self.dismiss(None)
