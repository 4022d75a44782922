"""Placeholder for the insights screen (being written)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class InsightsScreen(Screen[None]):
    """Placeholder."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("insights")
        yield Footer()
