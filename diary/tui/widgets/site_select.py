"""``SiteSelect``: the body-site picker, searched by the start of words as people type.

Textual's Select jumps to the first option that *contains* the typed text, so ``th`` found
"throat" before "thigh" and ``arm`` found "forearm". Here a match must begin a word of the site's
name: the whole name first (``th`` -> thigh, then throat, in list order), then a later word
(``arm`` -> upper arm). The list offers the recent sites first, then every site A to Z, and a
letter typed on the closed picker opens it and starts the search.

The search does not start over after a pause (Textual's does, after 0.7 s), so slow typing finds
the same site as fast typing; a letter that would match nothing starts a new search instead, and
Backspace takes the last letter back.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.widgets import Select
from textual.widgets._select import SelectCurrent, SelectOverlay

from diary import vocab

#: Marks the recent sites at the top of the list (not part of the name searched).
RECENT_MARK = " · recent"


def site_name(site: str) -> str:
    """A stored site as people read it: ``upper_arm`` -> ``upper arm``."""
    return site.replace("_", " ")


def site_options(recent: Sequence[str] = ()) -> list[tuple[str, str]]:
    """(label, site) for the picker: the recent sites first (marked), then the rest A to Z."""
    rest = sorted((s for s in vocab.BODY_SITES if s not in recent), key=site_name)
    options = [(site_name(s) + RECENT_MARK, s) for s in recent if s in vocab.BODY_SITES]
    return options + [(site_name(s), s) for s in rest]


def best_match(labels: Sequence[str], query: str) -> int | None:
    """The index of the label whose name begins with ``query``, else whose later word does.

    Ties go to the earlier label, so the recent sites win, then A to Z. None when nothing matches.
    """
    query = query.lower()
    best: tuple[int, int] | None = None
    for index, label in enumerate(labels):
        name = label.removesuffix(RECENT_MARK).lower()
        if name.startswith(query):
            rank = 0
        elif any(word.startswith(query) for word in name.split()[1:]):
            rank = 1
        else:
            continue
        if best is None or (rank, index) < best:
            best = (rank, index)
    return None if best is None else best[1]


class SiteOverlay(SelectOverlay):
    """The open list: typed letters move the highlight by ``best_match``."""

    def __init__(self, type_to_search: bool = True) -> None:
        super().__init__(type_to_search=type_to_search)
        self._query = ""

    def watch_has_focus(self, value: bool) -> None:
        if not value:
            self._query = ""  # closing the list ends the search; the next opening starts anew
        super().watch_has_focus(value)

    def search(self, character: str) -> None:
        """Add ``character`` to the search and highlight the match; a letter that would match
        nothing starts a new search with itself."""
        labels = [self._label(option.prompt) for option in self._options]
        for query in (self._query + character, character):
            index = best_match(labels, query)
            if index is not None:
                self._query = query
                self.select(index)
                return
        self.app.bell()

    def unsearch(self) -> None:
        """Take the last letter back and highlight what the rest matches."""
        self._query = self._query[:-1]
        labels = [self._label(option.prompt) for option in self._options]
        index = best_match(labels, self._query) if self._query else None
        if index is not None:
            self.select(index)

    def _label(self, prompt: object) -> str:
        text = prompt.plain if isinstance(prompt, Text) else str(prompt)
        select = self.parent
        # The blank option shows the Select's prompt ("choose"): never a match.
        return "" if isinstance(select, Select) and text == str(select.prompt) else text

    async def _on_key(self, event: events.Key) -> None:
        if event.character is not None and event.is_printable and not event.character.isspace():
            event.stop()
            event.prevent_default()  # Textual's own substring search does not run
            self.search(event.character)
        elif event.key == "backspace" and self._query:
            event.stop()
            event.prevent_default()
            self.unsearch()


class SiteSelect(Select[str]):
    """A Select of body sites whose search matches the start of words."""

    def compose(self) -> ComposeResult:
        """Textual's Select with this overlay in place of its own."""
        yield SelectCurrent(self.prompt)
        yield SiteOverlay().data_bind(compact=Select.compact)

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        """A letter starts the search, so it never reaches a binding further up."""
        return character is not None and character.isalpha()

    def on_key(self, event: events.Key) -> None:
        """A letter on the closed picker opens it and searches for that letter."""
        char = event.character
        if self.expanded or char is None or not char.isalpha():
            return
        event.stop()
        event.prevent_default()
        self.expanded = True
        self.query_one(SiteOverlay).search(char)
