"""The countdown of ``twitch count`` on a terminal: one key press per twitch, the time left shown.

The terminal is put in cbreak mode (each key arrives at once, nothing is echoed; Ctrl-C still
interrupts) and is always put back as it was, whatever ends the count. The countdown and its
instructions go to stderr, like other progress, so the one result line on stdout stays clean.
Keys typed before the count started are discarded: they were not twitches in this minute.
"""

from __future__ import annotations

import os
import select
import sys
import termios
import time
import tty
from collections.abc import Iterator
from contextlib import contextmanager

from diary.errors import UserError

#: How often the countdown redraws while no key is pressed (seconds).
TICK_S = 0.2
#: Keys that end the count early (what was counted so far is kept).
STOP_KEYS = frozenset(b"\r\nqQ")
#: Keys that cancel (Ctrl-D); Ctrl-C interrupts, as everywhere else.
CANCEL_KEYS = frozenset(b"\x04")
ESCAPE = 0x1B


@contextmanager
def keys_one_by_one(fd: int) -> Iterator[None]:
    """Cbreak mode on ``fd`` for the block; the terminal's own settings back afterwards."""
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)  # TCSAFLUSH: keys typed ahead are dropped
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def presses(data: bytes) -> Iterator[int]:
    """The keys in what the terminal sent: an escape sequence (an arrow key) is one key."""
    index = 0
    while index < len(data):
        key = data[index]
        index += 1
        if key == ESCAPE and index < len(data) and data[index] in b"[O":
            index += 1
            while index < len(data) and not (0x40 <= data[index] <= 0x7E):
                index += 1  # parameters of the sequence
            index += 1  # its final byte
        yield key


def _read(fd: int) -> bytes:
    data = os.read(fd, 256)
    if not data:  # the terminal went away
        raise UserError("the terminal closed during the count; nothing was stored")
    return data


def _show(text: str) -> None:
    """Rewrite the countdown line in place (stderr is the terminal's; the text is ours)."""
    sys.stderr.write(f"\r{text}\x1b[K")
    sys.stderr.flush()


def _wait_for_start(fd: int) -> None:
    """Wait for a key: q or Ctrl-D cancels, any other key starts the count."""
    while True:
        for key in presses(_read(fd)):
            if key in CANCEL_KEYS or key in b"qQ":
                raise UserError("count cancelled before it started; nothing was stored")
            return


def timed_count(seconds: int, muscle: str, *, minimum: int) -> tuple[int, int]:
    """Run the countdown on the terminal at stdin; the twitches counted and the seconds counted.

    All ``seconds`` unless Enter or q ended it early; a count cut shorter than ``minimum`` seconds,
    or cancelled, stores nothing (a ``UserError``; Ctrl-C is a ``KeyboardInterrupt``).
    """
    fd = sys.stdin.fileno()
    err = sys.stderr
    with keys_one_by_one(fd):
        err.write(
            f"Timed count: twitches in {muscle}, {seconds} s. Sit or lie still, muscle relaxed.\n"
            "Press any key (space is easiest) for each twitch you feel; Enter or q stops early,"
            " Ctrl-C cancels.\n"
        )
        _show("Press Enter to start.")
        try:
            _wait_for_start(fd)
            counted, elapsed = _count(fd, seconds)
        finally:
            _show("")
    if elapsed < minimum:
        raise UserError(
            f"the count stopped after {elapsed} s; a count needs at least {minimum} s "
            "(nothing was stored)"
        )
    return counted, elapsed


def _count(fd: int, seconds: int) -> tuple[int, int]:
    """Count key presses until the time is up or a stop key; (presses, whole seconds counted)."""
    start = time.monotonic()
    counted = 0
    while True:
        left = seconds - (time.monotonic() - start)
        if left <= 0:
            sys.stderr.write("\a")  # time is up: eyes may be on the muscle, not the screen
            return counted, seconds
        _show(f"  {int(left + 0.999):3d} s left · {counted} counted")
        ready, _, _ = select.select([fd], [], [], min(left, TICK_S))
        if not ready:
            continue
        for key in presses(_read(fd)):
            if key in STOP_KEYS:
                return counted, min(seconds, round(time.monotonic() - start))
            if key in CANCEL_KEYS:
                raise UserError("count cancelled; nothing was stored")
            counted += 1
