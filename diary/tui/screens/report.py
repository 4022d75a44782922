"""Report and export: the doctor's PDF (and PNGs) and the CSV export, written where you choose.

The form is checked on the UI thread (dates through ``diary.when.parse_date``, so a mistake reads
exactly as on the command line and nothing is written); the writing runs in thread workers that
post ``ReportMade`` / ``ExportDone`` / ``Failed`` back. matplotlib and pandas are imported only
inside those workers. The files are private (0600): the report and export functions make them so.
A report never replaces a file: an existing name gets ``-2``, ``-3`` (``build.free_name``, as on
the command line).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import (
    Button,
    Checkbox,
    Footer,
    Header,
    Input,
    Label,
    LoadingIndicator,
    Select,
    Static,
)

from diary import when
from diary.errors import InvalidValue, UserError
from diary.tui.app import diary_of
from diary.tui.data import now
from diary.tui.messages import Failed
from diary.wording import plural

if TYPE_CHECKING:
    from diary.report.build import ReportResult

#: The report's default period, as ``twitch report`` (``diary.report.content.DEFAULT_PERIOD_DAYS``,
#: not imported here because that module pulls in the analysis).
DEFAULT_PERIOD_DAYS = 90
#: How many lines of "Wrote …" the results keep (newest first).
MAX_RESULT_LINES = 40
PAPERS = (("A4", "a4"), ("US letter", "letter"))


@dataclass(frozen=True)
class ReportRequest:
    """A checked form: what to write and where."""

    as_of: date
    start: date
    end: date
    paper: str
    folder: Path
    pngs: bool

    @property
    def pdf(self) -> Path:
        """``twitch-report-<as_of>.pdf`` in the chosen folder (the command line's name)."""
        return self.folder / f"twitch-report-{self.as_of.isoformat()}.pdf"

    @property
    def png_dir(self) -> Path | None:
        """A folder beside the PDF for the PNGs, when asked for."""
        return self.folder / f"twitch-report-{self.as_of.isoformat()}-png" if self.pngs else None

    @property
    def export_dir(self) -> Path:
        """``twitch-export-<today>`` in the chosen folder (the command line's name)."""
        return self.folder / f"twitch-export-{self.as_of.isoformat()}"


def check_form(
    *, start: str, end: str, paper: object, folder: str, pngs: bool, today: date
) -> ReportRequest:
    """Validate the form's values (raises ``UserError`` with one readable line)."""
    end_day = when.parse_date(end or "today", today=today, field="to")
    start_day = (
        when.parse_date(start, today=today, field="from")
        if start.strip()
        else end_day - timedelta(days=DEFAULT_PERIOD_DAYS - 1)
    )
    if end_day > today:
        raise InvalidValue("to", end_day.isoformat(), f"today ({today}) or earlier")
    if start_day > end_day:
        raise InvalidValue("from", start_day.isoformat(), f"on or before to ({end_day})")
    if paper not in ("a4", "letter"):
        raise InvalidValue("paper", paper, "a4 or letter")
    target = Path(folder.strip() or ".").expanduser()
    if target.exists() and not target.is_dir():
        raise UserError(f"output folder is a file, not a folder: {target}")
    return ReportRequest(today, start_day, end_day, str(paper), target.absolute(), pngs)


class ReportScreen(Screen[None]):
    """Make the doctor's report or export the diary as CSV."""

    CSS_PATH = "report.tcss"

    def __init__(self) -> None:
        super().__init__()
        self._written: list[str] = []  # what this visit wrote, newest first
        self._defaults: tuple[str, str] = ("", "")  # the From/To the form last filled in

    @staticmethod
    def default_dates(today: date) -> tuple[str, str]:
        """The default From and To: the last 90 days (the report starts them no earlier than the
        diary's first entry, or the onset date)."""
        return (today - timedelta(days=DEFAULT_PERIOD_DAYS - 1)).isoformat(), today.isoformat()

    class ReportMade(Message):
        """The report was written."""

        def __init__(self, lines: list[str]) -> None:
            super().__init__()
            self.lines = lines

    class ExportDone(Message):
        """The CSV export was written."""

        def __init__(self, lines: list[str]) -> None:
            super().__init__()
            self.lines = lines

    def compose(self) -> ComposeResult:
        self._defaults = start, end = self.default_dates(now().date())
        yield Header()
        with VerticalScroll(id="report-body"):
            yield Static("Report and export", classes="heading")
            yield Static(
                "A PDF for your doctor, or your whole diary as eight CSV files; both stay on "
                "this computer and only you can read them.",
                classes="muted intro",
            )
            with Horizontal(classes="form-row"):
                yield Label("From")
                yield Input(start, placeholder="YYYY-MM-DD", id="start", classes="date")
                yield Label("To")
                yield Input(end, placeholder="YYYY-MM-DD", id="end", classes="date")
                yield Label("Paper")
                yield Select(PAPERS, value="a4", allow_blank=False, id="paper")
            with Horizontal(classes="form-row"):
                yield Label("Folder")
                yield Input(str(Path.cwd()), placeholder="where to write the files", id="folder")
            with Horizontal(id="report-buttons"):
                yield Checkbox("also PNGs", id="pngs")
                yield Button("Make report", variant="primary", id="make-report")
                yield Button("Export CSV", id="export-csv")
            yield LoadingIndicator(id="busy")
            yield Static("", id="status")
            yield Static("", id="results")
        yield Footer()

    def on_screen_resume(self) -> None:
        """Coming back on another day: move the default period along, unless it was edited."""
        fields = self.query_one("#start", Input), self.query_one("#end", Input)
        if tuple(f.value for f in fields) != self._defaults:
            return
        self._defaults = self.default_dates(now().date())
        for field, value in zip(fields, self._defaults, strict=True):
            field.value = value

    def _request(self) -> ReportRequest | None:
        """The checked form, or ``None`` after showing the one-line error."""
        try:
            return check_form(
                start=self.query_one("#start", Input).value,
                end=self.query_one("#end", Input).value,
                paper=self.query_one("#paper", Select).value,
                folder=self.query_one("#folder", Input).value,
                pngs=self.query_one("#pngs", Checkbox).value,
                today=now().date(),
            )
        except UserError as error:
            self._status(str(error), error=True)
            return None

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#status", Static)
        status.update(text)
        status.set_class(error, "error")

    def _busy(self, busy: bool) -> None:
        """Show the spinner and keep the buttons from starting a second job meanwhile."""
        self.set_class(busy, "busy")
        for button in self.query(Button):
            button.disabled = busy

    @on(Button.Pressed, "#make-report")
    def make_report(self) -> None:
        """Check the form, then write the report in a worker."""
        request = self._request()
        if request is None:
            return
        self._busy(True)
        self._status("Making the report (analysing, drawing the charts, writing the PDF)…")
        self.write_report(request)

    @on(Button.Pressed, "#export-csv")
    def export_csv(self) -> None:
        """Check the folder, then write the CSV export in a worker."""
        request = self._request()
        if request is None:
            return
        self._busy(True)
        self._status("Exporting…")
        self.write_export(request)

    @work(thread=True, exclusive=True, group="report")
    def write_report(self, request: ReportRequest) -> None:
        """Write the PDF (and PNGs) off the UI thread."""
        try:
            result = self._make(request)
        except Exception as error:  # noqa: BLE001 - one line for the person, not a traceback
            self.post_message(Failed(f"The report was not written: {error}"))
            return
        lines = []
        if result.pdf is not None:
            # The period actually covered: its start moves to the diary's first entry (or the
            # onset date) when the one asked for began earlier.
            start = result.period.start if result.period is not None else request.start
            covered = f"{start.isoformat()} to {request.end.isoformat()}"
            if result.period is not None and result.period.clamped:
                covered += (
                    ", from the onset date"
                    if result.period.from_onset
                    else ", from the diary's first entry"
                )
            lines.append(f"Wrote {result.pdf} ({plural(result.pages, 'page')}, {covered})")
        lines += [f"Wrote {png}" for png in result.pngs]
        lines += [f"Note: {warning}" for warning in result.warnings]
        self.post_message(self.ReportMade(lines))

    def _make(self, request: ReportRequest) -> ReportResult:
        """Call the diary's report with the chosen period, paper and outputs, under free names
        (an existing report is kept; the new one gets ``-2``, ``-3``)."""
        from diary.report.build import PNG_NAMES, free_name  # in the worker: it loads pandas

        pdf = free_name(request.pdf)
        png_dir = None
        if request.png_dir is not None:
            png_dir = free_name(pdf.with_name(f"{pdf.stem}-png"), inside=PNG_NAMES)
        return diary_of(self.app).report(
            as_of=request.as_of,
            start=request.start,
            end=request.end,
            out=pdf,
            png_dir=png_dir,
            paper=request.paper,
        )

    @work(thread=True, exclusive=True, group="report")
    def write_export(self, request: ReportRequest) -> None:
        """Write the CSV export (one file per kind of record) off the UI thread."""
        folder = request.export_dir
        try:
            counts = diary_of(self.app).export(folder)
        except Exception as error:  # noqa: BLE001 - one line for the person, not a traceback
            self.post_message(Failed(f"The export was not written: {error}"))
            return
        lines = [f"Exported to {folder}:"]
        lines += [f"  {folder / name}  ({plural(n, 'row')})" for name, n in counts.items()]
        self.post_message(self.ExportDone(lines))

    @on(ReportMade)
    @on(ExportDone)
    def show_written(self, message: ReportMade | ExportDone) -> None:
        self._busy(False)
        self._status("Done. Only you can read these files (mode 0600).")
        self._written = [*message.lines, *self._written][:MAX_RESULT_LINES]
        results = self.query_one("#results", Static)
        results.update("\n".join(self._written))
        results.add_class("filled")
        results.scroll_visible(animate=False)

    @on(Failed)
    def show_failure(self, message: Failed) -> None:
        """Say why nothing was written; the buttons work again."""
        self._busy(False)
        self._status(message.text, error=True)
