"""Placeholder for the today screen (being written)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class TodayScreen(Screen[None]):
    """Placeholder."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("today")
        yield Footer()
