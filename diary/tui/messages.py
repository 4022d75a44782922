"""Messages every screen posts or receives the same way.

A worker that calls the diary runs off the UI thread and may not touch widgets, so it reports a
refusal with ``Failed`` and the screen shows it on the UI thread: one class for every screen rather
than a copy in each. ``FirstFrame`` tells the screen on show that the app's first frame is out, so
it can add what it held back to get that frame out sooner.
"""

from __future__ import annotations

from textual.message import Message


class Failed(Message):
    """A worker's call was refused or failed; ``text`` is the one line the person reads.

    ``what`` says which of a screen's jobs failed when it runs several that fail differently
    (Today: ``"day"`` for the check-in, shown beside its fields rather than as a toast).
    """

    def __init__(self, text: str, *, what: str = "") -> None:
        super().__init__()
        self.text = text
        self.what = what


class FirstFrame(Message):
    """The app's first frame has been shown (sent once, to the screen then shown)."""
