"""Placeholder for the history screen (being written)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class HistoryScreen(Screen[None]):
    """Placeholder."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("history")
        yield Footer()
