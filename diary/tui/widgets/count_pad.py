"""The timed twitch count: choose the muscle, then a big countdown and one key press per twitch.

``CountPad`` is the countdown itself. With it in focus, Space or Enter starts the count; from then
on every key counts one twitch, Enter ends early (what was counted is kept, if at least the
shortest count's 10 s went by) and Escape cancels, storing nothing. ``TimedCount`` puts the muscle
(site and side) around it and posts ``Counted`` with the values to store; the Checks screen stores
them and shows the rate per minute.

The time is read from ``clock`` (the monotonic clock) on every tick (``TICK_S``), never summed
from the ticks, so a busy moment cannot stretch the count. Tests put a hand-wound clock there and
a short tick: a 60-second count runs in a moment and stores 60 s, as a real one would.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Digits, Label, Static

from diary import vocab, when
from diary.check_validation import COUNT_SECONDS_DEFAULT, COUNT_SECONDS_MIN
from diary.check_wording import COUNT_HOW
from diary.tui.widgets.check_form import check_row
from diary.tui.widgets.choice import WordChoice
from diary.tui.widgets.site_select import SiteSelect, site_options

#: What the pad says while waiting, and while counting.
READY_HINT = "Space or Enter starts the count"
COUNTING_HINT = "Every key press counts one twitch · Enter ends early · Esc cancels"


class CountPad(Widget, can_focus=True):
    """The countdown and the tally; every key counts while it runs."""

    #: How long a count lasts, in seconds.
    SECONDS: ClassVar[int] = COUNT_SECONDS_DEFAULT
    #: How often the countdown is redrawn and the time read (seconds).
    TICK_S: ClassVar[float] = 0.1
    #: Seconds from a fixed point (``time.monotonic``); tests wind their own.
    clock: ClassVar[Callable[[], float]] = time.monotonic

    counted: reactive[int] = reactive(0)
    """Key presses (twitches) counted so far."""

    class StartAsked(Message):
        """Space or Enter on the waiting pad: the pane checks the muscle is chosen, then starts."""

    class Finished(Message):
        """The count ran out or was ended early: ``twitches`` in ``seconds`` from ``started_at``."""

        def __init__(self, twitches: int, seconds: int, started_at: datetime) -> None:
            super().__init__()
            self.twitches = twitches
            self.seconds = seconds
            self.started_at = started_at

    class Cancelled(Message):
        """The count was cancelled or too short; ``reason`` says which. Nothing is stored."""

        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.running = False
        self._began = 0.0  # monotonic time of the start
        self._started_at: datetime | None = None
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Digits(str(self.SECONDS), id="count-left")
        yield Static("", id="count-tally")
        yield Static(READY_HINT, id="count-hint")

    def watch_counted(self, counted: int) -> None:
        if self.is_mounted:
            self.query_one("#count-tally", Static).update(f"{counted} counted")

    def start(self) -> None:
        """Start the countdown now, from zero twitches."""
        self.running = True
        self.counted = 0
        self.query_one("#count-tally", Static).update("0 counted")
        self._began = type(self).clock()
        self._started_at = when.now_local().replace(microsecond=0)
        self.query_one("#count-hint", Static).update(COUNTING_HINT)
        self.set_class(True, "-running")
        self._timer = self.set_interval(self.TICK_S, self._tick)
        self._tick()

    def elapsed(self) -> float:
        """Seconds since the start."""
        return type(self).clock() - self._began

    def _tick(self) -> None:
        left = self.SECONDS - self.elapsed()
        if left <= 0:
            self.app.bell()  # eyes may be on the muscle, not on the screen
            self._stop()
            self._finish(self.SECONDS)
            return
        self.query_one("#count-left", Digits).update(str(math.ceil(left)))

    def _stop(self) -> None:
        self.running = False
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.set_class(False, "-running")
        self.query_one("#count-left", Digits).update(str(self.SECONDS))
        self.query_one("#count-hint", Static).update(READY_HINT)

    def _finish(self, seconds: int) -> None:
        assert self._started_at is not None
        if seconds < COUNT_SECONDS_MIN:
            self.post_message(
                self.Cancelled(
                    f"The count stopped after {seconds} s; a count needs at least "
                    f"{COUNT_SECONDS_MIN} s. Nothing was stored."
                )
            )
            return
        self.post_message(self.Finished(self.counted, seconds, self._started_at))

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        """While counting every key is a twitch; waiting, Space and Enter start."""
        return self.running or key in ("space", "enter")

    def on_key(self, event: events.Key) -> None:
        if not self.running:
            if event.key in ("space", "enter"):
                event.stop()
                event.prevent_default()
                self.post_message(self.StartAsked())
            return
        event.stop()
        event.prevent_default()
        if event.key == "enter":
            seconds = min(self.SECONDS, round(self.elapsed()))
            self._stop()
            self._finish(seconds)
        elif event.key == "escape":
            self._stop()
            self.post_message(self.Cancelled("Count cancelled. Nothing was stored."))
        else:
            self.counted += 1

    def on_blur(self) -> None:
        """Keys can only be counted with the pad in focus: leaving it cancels a running count."""
        if self.running:
            self._stop()
            self.post_message(self.Cancelled("Count cancelled (the countdown lost focus)."))


class TimedCount(Vertical, can_focus=False):
    """The muscle (site and side), how to count, and the countdown; posts ``Counted``."""

    class Counted(Message):
        """A finished count, as the diary stores it."""

        def __init__(self, values: dict[str, Any]) -> None:
            super().__init__()
            self.values = values

    def compose(self) -> ComposeResult:
        yield check_row(
            "Muscle",
            SiteSelect(site_options(), prompt="choose", id="count-site", compact=True),
            field="count-site",
        )
        yield check_row("Side", WordChoice(vocab.SIDES, id="count-side"))
        yield Static(COUNT_HOW, classes="check-how")
        yield CountPad(id="count-pad")
        with Horizontal(classes="check-row check-buttons"):
            yield Label("", classes="check-label")
            yield Button("Start  Enter", id="count-start", variant="primary", compact=True)
        yield Static("", id="count-result")

    def site(self) -> str | None:
        """The chosen site, if any."""
        value = self.query_one("#count-site", SiteSelect).value
        return value if isinstance(value, str) else None

    @on(Button.Pressed, "#count-start")
    def _start_pressed(self) -> None:
        self.query_one(CountPad).focus()
        self._start()

    @on(CountPad.StartAsked)
    def _start(self) -> None:
        error = self.query_one("#count-site-error", Static)
        if self.site() is None:
            error.update("Choose the muscle first: type its name, e.g. calf")
            error.set_class(True, "-shown")
            self.query_one("#count-site", SiteSelect).focus()
            return
        error.update("")
        error.set_class(False, "-shown")
        self.show_result("")
        self.query_one(CountPad).start()

    @on(CountPad.Finished)
    def _finished(self, event: CountPad.Finished) -> None:
        event.stop()
        site = self.site()
        assert site is not None
        values = {
            "counted_at": event.started_at,
            "body_site": site,
            "side": self.query_one("#count-side", WordChoice).value,
            "seconds": event.seconds,
            "twitches": event.twitches,
            "note": None,
        }
        self.post_message(self.Counted(values))

    @on(CountPad.Cancelled)
    def _cancelled(self, event: CountPad.Cancelled) -> None:
        event.stop()
        self.show_result(event.reason, error=True)

    def show_result(self, text: str, *, error: bool = False) -> None:
        """The line under the countdown: the rate per minute, or why nothing was stored."""
        result = self.query_one("#count-result", Static)
        result.update(text)
        result.set_class(error, "-error")
