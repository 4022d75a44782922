"""The profile form: name, birth year, family history and when the twitching started.

These facts head the doctor's report. The form reads the profile itself (so the command palette
can open it from any screen), sends only the keys the person changed, and only if nobody changed
them elsewhere since it was read (``twitch profile`` may run while the app is open).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.widgets import Input, SelectionList

from diary import vocab, wording
from diary.db import store as db_store
from diary.errors import UserError
from diary.tui import data
from diary.tui.app import diary_of
from diary.tui.screens.forms import RecordForm, field, word_options
from diary.wording import format_date, stored_words

#: The profile's keys as the form and the Meds & visits screen name them.
LABELS = {
    "name": "Name",
    "birth_year": "Born",
    "family_history": "Family history",
    "onset": "Twitching since",
}


def onset_words(stored: str) -> str:
    """``around Thu 15 Oct 2026`` (stored as ``YYYY-MM-DD``; a month alone is kept as its 1st)."""
    try:
        return f"around {format_date(date.fromisoformat(stored))}"
    except ValueError:
        return stored


def profile_summary(profile: dict[str, str]) -> str:
    """One line for the Meds & visits screen: ``Sam Doe · born 1988 · family history: ms · …``."""
    parts = []
    if profile.get("name"):
        parts.append(profile["name"])
    if profile.get("birth_year"):
        parts.append(f"born {profile['birth_year']}")
    if profile.get("family_history"):
        parts.append(f"family history: {stored_words(profile['family_history'])}")
    if profile.get("onset"):
        parts.append(f"twitching since {onset_words(profile['onset'])}")
    return " · ".join(parts)


def profile_texts(profile: dict[str, str]) -> dict[str, Any]:
    """The profile as the form shows it: what ``ProfileForm.values`` reads when untouched."""
    return {
        "name": profile.get("name", ""),
        "birth_year": profile.get("birth_year", ""),
        "family_history": set(wording.split_set(profile.get("family_history"))),
        "onset": profile.get("onset", ""),
    }


class ProfileForm(RecordForm):
    """Set the facts about the diary's owner; dismisses with the whole profile when saved."""

    CSS_PATH = ["forms.tcss", "profile.tcss"]
    TITLE_TEXT = "Profile (on the doctor's report)"

    def __init__(self, profile: dict[str, str] | None = None) -> None:
        super().__init__()
        self.profile = profile  # as loaded: the base that changes are measured against

    def fields(self) -> ComposeResult:
        yield field("Name", Input(compact=True, id="f-name"))
        yield field("Born", Input(placeholder="year, e.g. 1988", compact=True, id="f-born"))
        yield field(
            "Family history",
            SelectionList[str](*word_options(vocab.FAMILY_HISTORY), compact=True, id="f-family"),
        )
        yield field(
            "Twitching since",
            Input(placeholder="e.g. 2026-10-15, or a month: 2026-10", compact=True, id="f-onset"),
        )

    def on_mount(self) -> None:
        super().on_mount()
        if self.profile is None:
            self.load()
        else:
            self.fill(self.profile)

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        """Read the profile (worker thread), then fill the fields on the UI thread."""
        diary = diary_of(self.app)
        try:
            profile = diary.profile()
        except UserError as exc:
            self.app.call_from_thread(self.show_error, str(exc))
            return
        self.app.call_from_thread(self.fill, profile)

    def fill(self, profile: dict[str, str], only: set[str] | None = None) -> None:
        """Show ``profile`` in the fields (all, or the keys in ``only``)."""
        self.profile = profile
        shown = profile_texts(profile)
        keys = set(shown) if only is None else only
        if "name" in keys:
            self.query_one("#f-name", Input).value = shown["name"]
        if "birth_year" in keys:
            self.query_one("#f-born", Input).value = shown["birth_year"]
        if "family_history" in keys:
            family = self.query_one("#f-family", SelectionList)
            family.deselect_all()
            for word in shown["family_history"]:
                family.select(word)
        if "onset" in keys:
            self.query_one("#f-onset", Input).value = shown["onset"]

    def values(self) -> dict[str, Any]:
        return {
            "name": self.query_one("#f-name", Input).value,
            "birth_year": self.query_one("#f-born", Input).value,
            "family_history": set(self.query_one("#f-family", SelectionList).selected),
            "onset": self.query_one("#f-onset", Input).value,
        }

    def touched(self, values: dict[str, Any]) -> dict[str, Any]:
        """The keys whose value the person changed since the form loaded."""
        loaded = profile_texts(self.profile or {})
        return {key: value for key, value in values.items() if value != loaded[key]}

    def store(self, diary: data.Diary, values: dict[str, Any]) -> dict[str, str]:
        if self.profile is None:
            raise UserError("the profile is still being read; try again")
        changes = self.touched(values)
        if "family_history" in changes:
            changes["family_history"] = sorted(changes["family_history"])
        expected = {key: self.profile.get(key, "") for key in changes}
        return diary.update_profile(changes, expected)

    def refused(self, error: UserError) -> None:
        """On a conflict, show what is stored now in the conflicting fields and say so."""
        if not isinstance(error, db_store.EditConflict):
            super().refused(error)
            return
        mine = set(self.touched(self.values()))
        current: dict[str, str] = error.current
        untouched = {key for key in LABELS if key not in mine}
        self.fill(current, only=set(error.fields) | untouched)
        names = ", ".join(LABELS[key].lower() for key in error.fields)
        text = f"Not saved: {names} changed elsewhere; showing what is stored now."
        self.show_error(text)
