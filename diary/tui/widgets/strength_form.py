"""``StrengthForm``: the strength and function tests, per side, each explained where it is entered.

Heel raises to fatigue, heel and toe walking, the 30-second chair stand and (with a dynamometer)
grip, as ``twitch strength`` records them. Under each test's fields its explanation says how to
do it (``diary.check_wording``, the words of ``twitch strength --how``), after one line on doing
them safely. Every field starts empty or at "not done": what is left so stays unknown, never 0 or
a failed test.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.widgets import Button, Input, Label, Static

from diary import check_validation as rules
from diary.check_wording import SAFETY, STRENGTH_TESTS
from diary.errors import InvalidValue, UserError
from diary.tui.widgets.check_form import CheckForm, check_row
from diary.tui.widgets.choice import WordChoice

#: How a walk left alone reads: not done, never a failure.
NOT_DONE = "not done"

#: The number fields: column -> (placeholder, reader of what was typed).
NUMBERS: dict[str, tuple[str, Callable[[object], Any]]] = {
    "heel_raises_left": ("count", lambda v: rules.heel_raises("heel_raises_left", v)),
    "heel_raises_right": ("count", lambda v: rules.heel_raises("heel_raises_right", v)),
    "chair_stands": ("stands", rules.chair_stands),
    "grip_left_kg": ("kg", lambda v: rules.grip_kg("grip_left_kg", v)),
    "grip_right_kg": ("kg", lambda v: rules.grip_kg("grip_right_kg", v)),
}
#: The pass/fail fields.
WALKS = ("heel_walk_left", "heel_walk_right", "toe_walk_left", "toe_walk_right")
#: Each test's row: (test, label, its fields); a field's error shows at the end of its row.
ROWS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("heel_raises", "Heel raises", ("heel_raises_left", "heel_raises_right")),
    ("heel_walk", "Heel walk", ("heel_walk_left", "heel_walk_right")),
    ("toe_walk", "Toe walk", ("toe_walk_left", "toe_walk_right")),
    ("chair_stands", "Chair stands", ("chair_stands",)),
    ("grip", "Grip", ("grip_left_kg", "grip_right_kg")),
)


def _side(field: str) -> str:
    return "Left" if "_left" in field else "Right"


def in_words(field: str) -> str:
    """A field as the form names it in a message: ``heel_raises_left`` -> "left heel raises"."""
    test = field.removesuffix("_kg").removesuffix("_left").removesuffix("_right")
    side = "" if test == field.removesuffix("_kg") else _side(field).lower() + " "
    return side + test.replace("_", " ")


class StrengthForm(CheckForm):
    """The strength tests with how to do each; ctrl+s saves what was measured."""

    def __init__(self, today: date, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.today = today

    def compose(self) -> ComposeResult:
        yield Static(
            f"Doing the tests safely: {SAFETY[0].lower()}{SAFETY[1:]}", classes="check-intro"
        )
        for test, label, fields in ROWS:
            widgets: list[Any] = []
            for field in fields:
                if len(fields) > 1:
                    widgets.append(Label(_side(field), classes="check-side"))
                if field in WALKS:
                    widgets.append(WordChoice(("pass", "fail"), blank=NOT_DONE, id=field))
                else:
                    placeholder = NUMBERS[field][0]
                    widgets.append(
                        Input(
                            placeholder=placeholder, id=field, compact=True, classes="check-number"
                        )
                    )
            yield check_row(label, *widgets, field=test)
            yield Static(STRENGTH_TESTS[test][1], classes="check-how")
        yield from self.date_and_note(self.today)
        yield check_row(
            "",
            Button("Save  ctrl+s", id="strength-save", variant="primary", compact=True),
            classes="check-buttons",
        )

    def read(self, today: date) -> tuple[dict[str, Any], dict[str, str]]:
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for test, _, fields in ROWS:
            for field in fields:
                try:
                    values[field] = self._read_field(field)
                except InvalidValue as exc:
                    # Named as the form shows it ("left heel raises"), not as the column.
                    named = InvalidValue(in_words(field), exc.value, exc.allowed)
                    errors.setdefault(test, str(named))
        self.read_common(values, errors, today)
        if not errors:
            try:
                rules.some_measure(values)
            except UserError:
                errors["form"] = (
                    "Nothing measured: give at least one test (heel raises, a walk, chair "
                    "stands or grip)"
                )
        return values, errors

    def _read_field(self, field: str) -> Any:
        if field in WALKS:
            return rules.pass_fail(field, self.query_one(f"#{field}", WordChoice).value)
        return NUMBERS[field][1](self.query_one(f"#{field}", Input).value)

    def reset(self) -> None:
        """Every field back to empty or not done, for the next check."""
        super().reset()
        for walk in self.query(WordChoice):
            walk.value = None
        for number in self.query(".check-number").results(Input):
            number.value = ""

    @on(Button.Pressed, "#strength-save")
    def _save_pressed(self) -> None:
        self.action_submit()
