"""Placeholder for the help screen (being written)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class HelpScreen(Screen[None]):
    """Placeholder."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("help")
        yield Footer()
