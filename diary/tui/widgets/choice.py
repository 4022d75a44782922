"""``WordChoice``: one of a few words in a row, the chosen one named plainly, arrows that stop.

Radio buttons drawn as identical bullets made it hard to see which side was chosen, and their
arrow keys wrapped from "left" round to "midline" unnoticed. Here the chosen word is bracketed and
bold, an optional choice starts on its own first stop, "unknown", and the arrows move along the
row and stop at its ends, so "unknown" stays reachable and nothing wraps round.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive

from diary.tui.widgets.stop_row import StopRow

#: The stop of an optional choice for "not given": stored as unknown (NULL).
UNKNOWN = "unknown"


class WordChoice(StopRow[str]):
    """Choose one word: ←/→ step without wrapping, the first letter picks, Delete clears."""

    DEFAULT_CSS = """
    WordChoice {
        width: 1fr;
        height: 1;
    }
    WordChoice:focus {
        background: $boost;
    }
    """

    BINDINGS = [
        Binding("left", "step(-1)", "Previous", show=False),
        Binding("right", "step(1)", "Next", show=False),
        Binding("delete,backspace", "clear", "Unknown", show=False),
    ]

    value: reactive[str | None] = reactive(None)
    """The chosen word, or None (unknown) when the choice is optional and nothing is chosen."""

    class Changed(Message):
        """The chosen word changed (by the person or by the program)."""

        def __init__(self, choice: WordChoice, value: str | None) -> None:
            super().__init__()
            self.choice = choice
            self.value = value

        @property
        def control(self) -> WordChoice:
            """The choice that changed."""
            return self.choice

    def __init__(
        self,
        words: Sequence[str],
        *,
        value: str | None = None,
        optional: bool = True,
        blank: str = UNKNOWN,
        id: str | None = None,  # noqa: A002 - Textual's own name for it
    ) -> None:
        super().__init__(id=id)
        self.words = tuple(words)
        self.optional = optional
        #: How the stop for "not given" reads ("not asked" on a question, "not done" on a test).
        self.blank = blank
        self.set_reactive(WordChoice.value, value if value is not None or optional else words[0])

    def validate_value(self, value: str | None) -> str | None:
        """Only the row's words; None only where the choice may be left unknown."""
        if value is None and not self.optional:
            return self.words[0]
        return value if value is None or value in self.words else self.value

    def watch_value(self, value: str | None) -> None:
        self.post_message(self.Changed(self, value))

    def render(self) -> Text:
        """Each stop padded by spaces, the chosen one by brackets instead, so nothing shifts."""
        text = Text()
        self._spans = []
        for word in self.stops():
            shown = self.blank if word is None else word.replace("_", " ")
            start = len(text)
            if word == self.value:
                text.append(f"[{shown}]", style="bold reverse")
            else:
                text.append(f" {shown} ", style="italic dim" if word is None else "dim")
            self._spans.append((start, len(text), word))
        return text

    def stops(self) -> list[str | None]:
        """ "unknown" (``blank``; optional choices only), then the words."""
        return [None, *self.words] if self.optional else list(self.words)

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        """Letters pick a word here, so they never reach a binding further up."""
        return character is not None and character.isalpha()

    def on_key(self, event: events.Key) -> None:
        """A letter picks the next word starting with it (``r`` -> right)."""
        char = event.character
        if char is None or not char.isalpha():
            return
        event.stop()
        event.prevent_default()
        matches = [w for w in self.words if w.startswith(char.lower())]
        if not matches:
            self.app.bell()
            return
        after = matches.index(self.value) + 1 if self.value in matches else 0
        self.value = matches[after % len(matches)]
