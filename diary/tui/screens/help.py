"""The help screen: every key, what the words mean, the units accepted, and what the app is not.

The keys are read from the bindings themselves, so this page cannot drift from the app. The other
screens' modules are imported in a worker (some of them pull in pandas), and the page fills in
their keys when that is done.
"""

from __future__ import annotations

import importlib

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Markdown

from diary import validation, vocab

#: Screen title -> (module, class) whose bindings are listed.
SCREENS: tuple[tuple[str, str, str], ...] = (
    ("Today", "diary.tui.screens.today", "TodayScreen"),
    ("History", "diary.tui.screens.history", "HistoryScreen"),
    ("Meds & visits", "diary.tui.screens.meds", "MedsScreen"),
    ("Insights", "diary.tui.screens.insights", "InsightsScreen"),
    ("Report", "diary.tui.screens.report", "ReportScreen"),
    ("Checks", "diary.tui.screens.checks", "ChecksScreen"),
)

#: Keys that live on a screen's widgets rather than on the screen itself.
EXTRA_KEYS: dict[str, list[tuple[str, str]]] = {
    "Today": [
        ("ctrl+s / Enter", "Save the episode"),
        ("1–9, 0", "Intensity (0 = 10)"),
        ("← →", "Side, kind, intensity"),
        ("l r b m", "Side by its first letter (t c s j: kind)"),
        ("Del", "Back to unknown"),
        ("a letter on Site", "Search the sites"),
    ],
    "Checks": [
        ("shift+tab, ← →", "From the first field to the tabs, then another tab"),
        ("y / n", "Answer the question in focus and go on to the next"),
        ("Del", "Back to not asked (or not done)"),
        ("Space / Enter", "Start the count; then every key counts one twitch"),
        ("Enter", "End the count early"),
        ("Esc", "Cancel the count (nothing is stored)"),
    ],
}


def everywhere_rows() -> list[tuple[str, str]]:
    """The app-wide keys, written out: the area keys as one row rather than ten."""
    from diary.tui.app import AREAS

    names = ", ".join(name for *_, name in AREAS)
    letters = " ".join(letter for _, _, letter, _ in AREAS)
    first, last = AREAS[0][1].upper(), AREAS[-1][1].upper()
    return [
        (f"{first}–{last}", f"{names} (or {letters} while a list, not a form, has focus)"),
        ("?", "Help"),
        ("ctrl+p", "Every action, and the themes"),
        ("ctrl+q", "Quit"),
    ]


KEY_NAMES = {
    "question_mark": "?",
    "escape": "Esc",
    "enter": "Enter",
    "space": "Space",
    "slash": "/",
}


def _key(keys: str) -> str:
    shown = []
    for key in keys.split(","):
        key = key.strip()
        name = KEY_NAMES.get(key, key)
        shown.append(name)
    return " / ".join(shown)


def binding_rows(bindings: list[BindingType]) -> list[tuple[str, str]]:
    """(keys, description) of the bindings that have a description."""
    rows = []
    for item in bindings:
        if isinstance(item, Binding):
            binding = item
        elif isinstance(item, tuple) and len(item) >= 3:
            binding = Binding(*item)
        else:
            continue
        if binding.description:
            rows.append((_key(binding.key), binding.description))
    return rows


def keys_markdown(sections: list[tuple[str, list[tuple[str, str]]]]) -> str:
    """The keys as Markdown: one short paragraph per screen."""
    parts = ["## Keys"]
    for title, rows in sections:
        if rows:
            keys = " · ".join(f"`{key}` {what}" for key, what in rows)
            parts.append(f"- **{title}**: {keys}")
    parts.append(
        "\nOn the Today form, `Tab` moves in reading order and `Enter` in a text field saves. "
        "Keys that log or delete need `ctrl` (`ctrl+s`, `ctrl+r`, `ctrl+z`), so stray typing "
        "never stores or removes an episode; the letters for the screens act only while a list "
        "has focus, never on a form. What you leave empty or at *unknown* is stored as unknown "
        "and shown as —, never as a made-up value."
    )
    return "\n".join(parts)


def vocabulary_markdown() -> str:
    """What the words, the scale and the units mean."""
    kinds = "\n".join(f"- **{k}** — {d}." for k, d in vocab.KIND_DESCRIPTIONS.items())
    return f"""\
## What the words mean

{kinds}

## Intensity

From **1** (barely noticeable) to **10** (the worst you can imagine). On the Today form press a
digit key: `1`–`9`, and `0` for 10. Left at *unknown*, nothing is assumed.

## Units you can type

- **Duration** of an episode: `30s`, `2m`, `1h30m` (a bare number is seconds); empty = unknown.
- **When**: `now`, `22:15`, `yesterday 23:30`, `-2h`, `-30m`, or a date and time.
- **Water**: `1.5l`, `1500ml` or `1500` (ml).
- **Caffeine**: `200mg`, `200`, or cups — `2cups`; 1 cup = {validation.MG_PER_CUP} mg.
- **Exercise**: `45m`, `1h30m` or `45` (minutes).
- **Sleep**: `6.5h`, `6h30m` or `6.5` (hours); quality 1 (very badly) to 5 (very well).
- **Stress**: 0 (none) to 10 (the most).

## Self-checks (F6)

- **Weekly signs**: yes or no for each warning sign, about the past week. A question left at
  *not asked* is stored as not asked and never read as "no"; a "yes" counts as that symptom on the
  day of the check, with the same guidance.
- **Strength**: heel raises to fatigue and heel and toe walking per side, the 30-second chair
  stand, and grip in kg with a dynamometer. Each test is explained on its form, with how to do it
  safely; a test left out stays unknown, never 0 or a failure.
- **Timed count**: the twitches felt in one muscle at rest in 60 seconds, shown per minute.

## What this app is not

Twitch Diary is a diary, not a diagnosis. It shows published guidance (NHS, NICE, MedlinePlus)
when what you log matches it, and helps you tell a doctor what happened. Most twitches and cramps
are harmless; if you are worried, talk to a doctor.
"""


class HelpScreen(ModalScreen[None]):
    """Keys and vocabulary. Escape or q closes it."""

    CSS_PATH = "help.tcss"
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("q", "close", "Close", show=False),
    ]

    class KeysLoaded(Message):
        """The other screens' keys were read."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Markdown(self._keys_text(today_only=True), id="help-keys")
            yield Markdown(vocabulary_markdown(), id="help-words")
            yield Button("Close  Esc", id="help-close", compact=True)

    def on_mount(self) -> None:
        self.query_one("#help-body").border_title = "Help"
        self.query_one("#help-body").focus()
        self.load_keys()

    def _keys_text(self, *, today_only: bool) -> str:
        sections = [("Everywhere", everywhere_rows())]
        for title, module_name, class_name in SCREENS:
            if today_only and title != "Today":
                continue
            try:
                screen_class = getattr(importlib.import_module(module_name), class_name)
            except Exception:  # a screen that cannot load still leaves the help readable
                continue
            # Only the screen's own bindings, not those every Screen inherits (tab, copy).
            own = binding_rows(list(vars(screen_class).get("BINDINGS", [])))
            sections.append((title, own + EXTRA_KEYS.get(title, [])))
        sections.append(("This help", [("Esc / q", "Close")]))
        return keys_markdown(sections)

    @work(thread=True, exclusive=True)
    def load_keys(self) -> None:
        """Import the other screens off the UI thread and list their keys."""
        self.post_message(self.KeysLoaded(self._keys_text(today_only=False)))

    @on(KeysLoaded)
    def _keys_loaded(self, message: KeysLoaded) -> None:
        self.query_one("#help-keys", Markdown).update(message.text)

    @on(Button.Pressed, "#help-close")
    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
