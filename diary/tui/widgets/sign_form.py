"""``SignForm``: the weekly warning-sign check, yes, no or not asked for each sign, past week.

Every question starts at "not asked", which is stored as unknown (NULL) and never read as "no".
``y`` or ``n`` answers the question in focus and moves on to the next, so the whole check takes a
dozen key presses (↑ ↓ move between them); "No to all" (the screen's ctrl+n) answers no to every
question still not asked and keeps the answers already given, like ``twitch signs --all-no
--weakness yes``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Static

from diary import check_validation
from diary.errors import UserError
from diary.tui.widgets.check_form import WHOLE_FORM, CheckForm, check_row
from diary.tui.widgets.choice import WordChoice
from diary.vocab import SIGN_QUESTIONS, SIGNS

#: How an answer left alone reads: not asked, never "no".
NOT_ASKED = "not asked"


class Answer(WordChoice):
    """One question's answer: not asked, yes or no. A letter that answers moves on to the next."""

    def on_key(self, event: events.Key) -> None:
        char = event.character
        super().on_key(event)
        if char and char.isalpha() and any(w.startswith(char.lower()) for w in self.words):
            self.screen.focus_next()


def answer_of(value: bool | None) -> str | None:
    """A stored answer as the row shows it."""
    return None if value is None else ("yes" if value else "no")


class SignForm(CheckForm):
    """The weekly check: one row per sign, then the date and a note."""

    BINDINGS = [
        Binding("down", "app.focus_next", show=False),
        Binding("up", "app.focus_previous", show=False),
    ]

    def __init__(self, today: date, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.today = today

    def compose(self) -> ComposeResult:
        yield Static(
            "In the past week, have you had any of these?  y yes · n no · Del not asked. "
            "A question left not asked is kept apart from no.",
            classes="check-intro",
        )
        for sign in SIGNS:
            yield Horizontal(
                Static(SIGN_QUESTIONS[sign], classes="sign-question"),
                Answer(("yes", "no"), blank=NOT_ASKED, id=f"sign-{sign}"),
                classes="sign-row",
            )
        yield from self.date_and_note(self.today)
        yield check_row(
            "",
            Button("Save  ctrl+s", id="signs-save", variant="primary", compact=True),
            Button("No to all  ctrl+n", id="signs-all-no", compact=True),
            classes="check-buttons",
        )

    def answers(self) -> dict[str, bool | None]:
        """Each sign's answer: True (yes), False (no) or None (not asked)."""
        shown = {sign: self.query_one(f"#sign-{sign}", Answer).value for sign in SIGNS}
        return {sign: None if value is None else value == "yes" for sign, value in shown.items()}

    def read(self, today: date) -> tuple[dict[str, Any], dict[str, str]]:
        values: dict[str, Any] = dict(self.answers())
        errors: dict[str, str] = {}
        try:
            check_validation.some_answer(values[sign] for sign in SIGNS)
        except UserError:
            errors[WHOLE_FORM] = "Answer at least one question (y or n), or No to all"
        self.read_common(values, errors, today)
        return values, errors

    def action_all_no(self) -> None:
        """Answer no to every question still not asked; the answers given stay."""
        for answer in self.query(Answer):
            if answer.value is None:
                answer.value = "no"

    def reset(self) -> None:
        """Every question back to not asked, for next week's check."""
        super().reset()
        for answer in self.query(Answer):
            answer.value = None

    @on(Button.Pressed, "#signs-save")
    def _save_pressed(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#signs-all-no")
    def _all_no_pressed(self) -> None:
        self.action_all_no()
