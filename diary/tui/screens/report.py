"""Placeholder for the report screen (being written)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class ReportScreen(Screen[None]):
    """Placeholder."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("report")
        yield Footer()
