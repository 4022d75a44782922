"""History: every episode in a table, newest first, with filters, a search, editing, deleting, undo.

The screen owns the list it shows and the undo stack; all reading and writing happens in worker
threads that post past-tense messages back (``EpisodesLoaded``, ``EpisodeDeleted``, ...), so a
long diary never freezes the keyboard. Under the table a detail pane shows everything about the
highlighted episode, including its context and the note in the person's own words. Unknown
values (never given) are shown as "—", never as a number the person did not say.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Label, Select, Static

from diary import vocab, when
from diary.db.models import Episode
from diary.errors import UserError, printable, printable_lines
from diary.tui import data
from diary.tui.app import diary_of
from diary.tui.messages import Failed
from diary.tui.screens.episode_edit import WHEN_FORMAT, EpisodeEditForm
from diary.tui.screens.forms import ConfirmScreen, word_options
from diary.wording import UNKNOWN, duration, known, plural, stored_words

#: The site filter's value for "every site".
ALL_SITES = "all"
#: The detail pane's date: the weekday helps place it; the offset is left to the edit form.
DETAIL_WHEN = "%a %d %b %Y %H:%M"

COLUMNS = ("When", "Site", "Side", "Kind", "Int.", "Duration", "Symptoms")


@dataclass(frozen=True)
class Filter:
    """Which episodes the table shows."""

    since: date | None = None
    until: date | None = None
    site: str | None = None
    text: str = ""


def episode_row(episode: Episode) -> tuple[str, ...]:
    """An episode as the table shows it."""
    return (
        episode.started_at.strftime(WHEN_FORMAT),
        episode.body_site.replace("_", " "),
        known(episode.side),
        episode.kind,
        known(episode.intensity),
        duration(episode.duration_s),
        stored_words(episode.symptoms),
    )


def episode_detail(episode: Episode) -> str:
    """Everything about one episode for the detail pane, as plain text: when and where, how
    strong and how long, what came with it, and the note in the person's own words."""
    where = " · ".join(
        (
            episode.started_at.strftime(DETAIL_WHEN),
            episode.kind,
            episode.body_site.replace("_", " "),
            f"side {known(episode.side)}",
        )
    )
    how = f"Intensity {known(episode.intensity)} · duration {duration(episode.duration_s)}"
    felt = f"Symptoms: {stored_words(episode.symptoms) or 'none'}"
    context = f"context: {stored_words(episode.context) or 'none'}"
    note = printable_lines(episode.note) if episode.note else UNKNOWN
    return f"{where}\n{how}\n{felt} · {context}\nNote: {note}"


def describe(episode: Episode) -> str:
    """A short phrase naming an episode: ``2025-03-05 20:00 calf left twitch``."""
    parts = [episode.started_at.strftime(WHEN_FORMAT), episode.body_site.replace("_", " ")]
    if episode.side:
        parts.append(episode.side)
    parts.append(episode.kind)
    return " ".join(parts)


class HistoryScreen(Screen[None]):
    """All episodes: filter by dates and site, edit, delete (with undo)."""

    CSS_PATH = "history.tcss"
    SUB_TITLE = "History"
    BINDINGS = [
        Binding("e", "edit", "Edit"),
        Binding("d", "delete", "Delete"),
        # Undo writes, so it is a ctrl-key like on Today: a stray "u" must not change the diary.
        Binding("ctrl+z", "undo", "Undo"),
        Binding("slash", "focus_search", "Search"),
        Binding("f", "focus_filter", "Filter", show=False),
        Binding("escape", "focus_table", "Table", show=False),
    ]

    class EpisodesLoaded(Message):
        """The episodes matching the filter were read."""

        def __init__(self, episodes: list[Episode], keep: str | None, generation: int) -> None:
            super().__init__()
            self.episodes = episodes
            self.keep = keep
            self.generation = generation

    class EpisodeDeleted(Message):
        """An episode was deleted; ``values`` put it back."""

        def __init__(self, values: dict[str, Any], label: str) -> None:
            super().__init__()
            self.values = values
            self.label = label

    class EpisodeRestored(Message):
        """A deleted episode was put back."""

        def __init__(self, episode: Episode) -> None:
            super().__init__()
            self.episode = episode

    def __init__(self) -> None:
        super().__init__()
        self.filter = Filter()
        self.episodes: dict[str, Episode] = {}
        self.deleted: list[tuple[dict[str, Any], str]] = []
        self.message = ""
        self.after_delete: str | None = None
        self.generation = 0  # a load answered after a newer one started is dropped

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="history-filters"):
            yield Label("From", classes="filter-label")
            yield Input(placeholder="YYYY-MM-DD", compact=True, id="filter-since")
            yield Label("to", classes="filter-label")
            yield Input(placeholder="YYYY-MM-DD", compact=True, id="filter-until")
            yield Label("Site", classes="filter-label")
            yield Select(
                [("all sites", ALL_SITES), *word_options(vocab.BODY_SITES)],
                value=ALL_SITES,
                allow_blank=False,
                compact=True,
                id="filter-site",
            )
            yield Label("Find", classes="filter-label")
            yield Input(placeholder="note, symptom…", compact=True, id="filter-text")
        yield DataTable(zebra_stripes=True, cursor_type="row", id="history-table")
        yield Static("", id="history-detail", markup=False)
        yield Static("", id="hm-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        table.focus()
        self.reload()

    def on_screen_resume(self) -> None:
        """Coming back from another area: episodes may have been logged there."""
        if self.is_mounted and self.query(DataTable):
            self.reload()

    # --- loading --------------------------------------------------------------------------------

    def reload(self, keep: str | None = None) -> None:
        """Read the episodes again, keeping the cursor on ``keep`` (or the current row)."""
        self.generation += 1
        self.load(self.filter, keep or self.current_id(), self.generation)

    @work(thread=True, exclusive=True, group="load")
    def load(self, which: Filter, keep: str | None, generation: int) -> None:
        """Read the episodes matching ``which`` (worker thread)."""
        diary = diary_of(self.app)
        try:
            found = diary.find_episodes(
                since=which.since, until=which.until, site=which.site, text=which.text
            )
        except UserError as exc:
            self.post_message(Failed(str(exc)))
            return
        self.post_message(self.EpisodesLoaded(found, keep, generation))

    @on(EpisodesLoaded)
    def _loaded(self, event: EpisodesLoaded) -> None:
        if event.generation != self.generation:
            return
        table = self.query_one(DataTable)
        table.clear()
        self.episodes = {episode.id: episode for episode in event.episodes}
        for episode in event.episodes:
            table.add_row(*episode_row(episode), key=episode.id)
        if event.keep in self.episodes:
            table.move_cursor(row=table.get_row_index(event.keep))
        self.show_detail()
        self.show_status()

    @on(DataTable.RowHighlighted, "#history-table")
    def show_detail(self) -> None:
        """Fill the detail pane from the highlighted episode."""
        ident = self.current_id()
        pane = self.query_one("#history-detail", Static)
        if ident is None or ident not in self.episodes:
            pane.update("No episode matches." if self.filtered() else "Nothing logged yet.")
            return
        pane.update(episode_detail(self.episodes[ident]))  # plain text: the pane has no markup

    def filtered(self) -> bool:
        """Whether a filter or the search narrows the table."""
        return self.filter != Filter()

    def show_status(self, message: str | None = None, *, error: bool = False) -> None:
        """The count of episodes shown, and the latest message."""
        if message is not None:
            self.message = message
        count = plural(len(self.episodes), "episode")
        if self.filter.text:
            count += f" matching “{printable(self.filter.text.strip())}”"
        status = self.query_one("#hm-status", Static)
        status.update(f"{count}   {self.message}" if self.message else count)
        status.set_class(error, "-error")

    def current_id(self) -> str | None:
        """The id of the episode under the cursor."""
        table = self.query_one(DataTable)
        if not self.episodes or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return key.value

    # --- filter ---------------------------------------------------------------------------------

    @on(Input.Submitted, "#history-filters Input")
    @on(Input.Changed, "#filter-text")
    @on(Select.Changed, "#filter-site")
    def _apply_filter(self) -> None:
        today = data.now().date()
        try:
            since = self._date("#filter-since", today, "from")
            until = self._date("#filter-until", today, "to")
        except UserError as exc:
            self.show_status(str(exc), error=True)
            return
        site = self.query_one("#filter-site", Select).value
        text = self.query_one("#filter-text", Input).value
        self.filter = Filter(
            since, until, None if site in (ALL_SITES, Select.NULL) else str(site), text.strip()
        )
        self.show_status("")
        self.reload()

    def _date(self, selector: str, today: date, name: str) -> date | None:
        text = self.query_one(selector, Input).value.strip()
        return when.parse_date(text, today=today, field=name) if text else None

    def action_focus_filter(self) -> None:
        """Move to the first filter field."""
        self.query_one("#filter-since", Input).focus()

    def action_focus_search(self) -> None:
        """Move to the search box (it finds words in notes, symptoms and context)."""
        self.query_one("#filter-text", Input).focus()

    def action_focus_table(self) -> None:
        """Back to the table."""
        self.query_one(DataTable).focus()

    # --- edit -----------------------------------------------------------------------------------

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_edit()

    def action_edit(self) -> None:
        """Open the edit form for the episode under the cursor."""
        ident = self.current_id()
        if ident is None:
            self.show_status("Nothing to edit.")
            return
        self.app.push_screen(EpisodeEditForm(self.episodes[ident]), self._edited)

    def _edited(self, episode: Episode | None) -> None:
        if episode is None:
            return
        self.show_status(f"Saved {describe(episode)}.")
        self.reload(keep=episode.id)

    # --- delete and undo ------------------------------------------------------------------------

    def action_delete(self) -> None:
        """Ask, then delete the episode under the cursor."""
        ident = self.current_id()
        if ident is None:
            self.show_status("Nothing to delete.")
            return
        label = describe(self.episodes[ident])
        table = self.query_one(DataTable)
        row = table.cursor_row
        # After the delete the cursor goes to the row that took its place (or the one above).
        order = list(self.episodes)
        neighbour = order[row + 1] if row + 1 < len(order) else (order[row - 1] if row else None)
        self.after_delete = neighbour

        def answered(yes: bool | None) -> None:
            if yes:
                self.delete(ident, label)

        self.app.push_screen(ConfirmScreen(f"Delete the episode {label}?"), answered)

    @work(thread=True, group="write")
    def delete(self, ident: str, label: str) -> None:
        """Delete one episode (worker thread)."""
        diary = diary_of(self.app)
        try:
            values = diary.delete_episode(ident)
        except UserError as exc:
            self.post_message(Failed(str(exc)))
            return
        self.post_message(self.EpisodeDeleted(values, label))

    @on(EpisodeDeleted)
    def _deleted(self, event: EpisodeDeleted) -> None:
        self.deleted.append((event.values, event.label))
        self.show_status(f"Deleted {event.label}. Press ctrl+z to undo.")
        self.reload(keep=self.after_delete)

    def action_undo(self) -> None:
        """Put back the most recently deleted episode."""
        if not self.deleted:
            self.show_status("Nothing to undo.")
            return
        values, _label = self.deleted.pop()
        self.restore(values)

    @work(thread=True, group="write")
    def restore(self, values: dict[str, Any]) -> None:
        """Put back a deleted episode (worker thread)."""
        diary = diary_of(self.app)
        try:
            episode = diary.restore_episode(values)
        except UserError as exc:
            self.post_message(Failed(str(exc)))
            return
        self.post_message(self.EpisodeRestored(episode))

    @on(EpisodeRestored)
    def _restored(self, event: EpisodeRestored) -> None:
        self.show_status(f"Restored {describe(event.episode)}.")
        self.reload(keep=event.episode.id)

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        self.show_status(event.text, error=True)
