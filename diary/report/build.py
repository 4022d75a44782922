"""``make_report``: from the diary file to a PDF (and PNGs) a doctor can read in a minute.

The steps are timed (analysis, drawing, writing) so the benchmark can say where the time goes.
Every file is made in memory first, then written all together: each to an unpredictable temporary
name beside its target (``tempfile.mkstemp``: O_EXCL, mode 0600), synced, and only when all are
written are they renamed into place. If anything fails (a full disk, a size limit, no permission)
every temporary, every file already renamed in this run and every folder this run created are
removed: the PDF and the PNGs appear together or not at all.

A report never replaces an existing file unless asked to (``replace=True``, the command line's
``--force``): callers pick a free name with ``free_name`` (``report-2.pdf``), and each target is
claimed with O_EXCL before the rename, so a file that appears meanwhile is not overwritten either.
"""

from __future__ import annotations

import contextlib
import io
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import pandas as pd

from diary.analysis.associations import Association
from diary.analysis.check_frames import CheckFrames
from diary.analysis.frames import Frames
from diary.analysis.insights import insights
from diary.errors import UserError
from diary.paths import ensure_private_dir, stage_private
from diary.report import fonts
from diary.report.charts.counts import has_counts, plot_counts
from diary.report.charts.factors import has_estimate, plot_factors
from diary.report.charts.figures import ChartFunction, figure_png_bytes, render
from diary.report.charts.intensity import plot_intensity
from diary.report.charts.shared import period_episodes
from diary.report.charts.sites import plot_sites
from diary.report.charts.strength import has_chair_stands, has_strength, plot_strength
from diary.report.charts.timeline import plot_timeline, timeline_height_cm
from diary.report.charts.when import plot_when
from diary.report.content import Period, ReportContent, build_content, onset_date
from diary.report.pdf import build_pdf

#: Pixel density of the charts inside the PDF and of the PNG files.
PDF_DPI = 150
PNG_DPI = 150
CHART_WIDTH_CM = 17.0
#: The height of the small timeline on the summary page (taller with many medication courses).
SMALL_TIMELINE_CM = 5.5

#: (file stem, chart function, height in cm) in the order the report shows them.
CHARTS: tuple[tuple[str, ChartFunction, float], ...] = (
    ("timeline", plot_timeline, 8.5),
    ("intensity", plot_intensity, 7.5),
    ("sites", plot_sites, 9.0),
    ("when", plot_when, 8.0),
    ("strength", plot_strength, 8.0),
    ("counts", plot_counts, 7.0),
    ("factors", plot_factors, 6.5),
)
#: The strength chart's height with its second panel (chair stands).
STRENGTH_WITH_CHAIR_CM = 10.5
#: Every file name a report may write into its PNG folder.
PNG_NAMES = ("summary.png", *(f"{stem}.png" for stem, _, _ in CHARTS))


def free_name(path: Path, *, inside: Sequence[str] = ()) -> Path:
    """``path`` if nothing is in the way, else the first free ``name-2``, ``name-3``, ….

    For a file (``report.pdf`` -> ``report-2.pdf``) anything existing at the path is in the way.
    For a folder, pass the names the report writes ``inside`` it: the folder is free while it
    holds none of them (an empty folder made for the PNGs is used as it is).
    """

    def taken(candidate: Path) -> bool:
        if not inside:
            return candidate.exists() or candidate.is_symlink()
        if candidate.exists() and not candidate.is_dir():
            return True
        return any(
            (candidate / name).exists() or (candidate / name).is_symlink() for name in inside
        )

    if not taken(path):
        return path
    stem, suffix = (path.stem, path.suffix) if not inside else (path.name, "")
    number = 2
    while taken(candidate := path.with_name(f"{stem}-{number}{suffix}")):
        number += 1
    return candidate


class ReportNotWritten(UserError):
    """The files could not be written; nothing of this run was left behind."""

    exit_code = 1


@dataclass
class ReportResult:
    """What was written, the period it covers, what to warn about, and how long each step took."""

    pdf: Path | None
    pages: int
    pngs: list[Path] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    period: Period | None = None
    warnings: list[str] = field(default_factory=list)


def summary_png(pdf_bytes: bytes, dpi: int = PNG_DPI) -> bytes:
    """The PDF's first page as PNG bytes (pdfium renders it exactly as a viewer would)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf_bytes)
    try:
        image = document[0].render(scale=dpi / 72).to_pil()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", dpi=(dpi, dpi))
        return buffer.getvalue()
    finally:
        document.close()


def _font_plan(content: ReportContent, frames: Frames) -> tuple[fonts.FontPlan, list[str]]:
    """The fonts the report's text needs, and a warning line if some character has none."""
    fields = list(content.texts())
    medications = frames.medications
    for name, dose in zip(medications["name"], medications["dose"], strict=True):
        fields.append(("medication", f"{name} {dose}" if isinstance(dose, str) else str(name)))
    plan = fonts.choose_fonts(text for _, text in fields)
    warning = fonts.describe_missing(plan, fields)
    return plan, [warning] if warning else []


def _drawable_frames(frames: Frames, plan: fonts.FontPlan) -> Frames:
    """The frames with medication names and doses the charts can draw (U+FFFD where not)."""
    if not plan.missing:
        return frames
    meds = frames.medications.copy()
    meds["name"] = [plan.drawable(str(n)) for n in meds["name"]]
    meds["dose"] = [plan.drawable(d) if isinstance(d, str) else d for d in meds["dose"]]
    return replace(frames, medications=meds)


def _drawn_charts(
    frames: Frames, associations: Sequence[Association], period: Period, checks: CheckFrames
) -> list[tuple[str, ChartFunction, float]]:
    """The charts that have something to show: a chart of "no episodes" or a factor chart of
    "not enough data" only would fill a page with nothing, so it is left out (so is a strength
    chart without heel raises, and a count chart of fewer than two counts)."""
    episodes = period_episodes(frames, period.start, period.end)
    intensities = pd.to_numeric(episodes["intensity"], errors="coerce")
    shows = {
        "timeline": not episodes.empty,
        "intensity": bool(intensities.notna().any()),
        "sites": not episodes.empty,
        "when": not episodes.empty,
        "strength": has_strength(checks, period.start, period.end),
        "counts": has_counts(checks, period.start, period.end),
        "factors": any(has_estimate(a) for a in associations),
    }
    return [chart for chart in CHARTS if shows[chart[0]]]


def _draw(
    frames: Frames,
    associations: Sequence[Association],
    period: Period,
    families: Sequence[str],
    checks: CheckFrames,
) -> tuple[list[tuple[str, bytes]], bytes | None]:
    """Each chart with something to show as PNG bytes at ``PDF_DPI``, and the small timeline for
    the summary page (``None`` when the period has no episode)."""
    images: list[tuple[str, bytes]] = []
    chosen = _drawn_charts(frames, associations, period, checks)
    for stem, function, height in chosen:
        args: tuple[object, ...] = (frames, period.start, period.end)
        if stem == "factors":
            args = (associations,)
        elif stem in ("strength", "counts"):
            args = (checks, period.start, period.end)
        if stem == "timeline":
            height = timeline_height_cm(frames, period.start, period.end, height)
        if stem == "strength" and has_chair_stands(checks, period.start, period.end):
            height = STRENGTH_WITH_CHAIR_CM
        figure = render(
            function,
            *args,
            width_cm=CHART_WIDTH_CM,
            height_cm=height,
            fallback_families=families,
        )
        images.append((stem, figure_png_bytes(figure, dpi=PDF_DPI)))
    if not any(stem == "timeline" for stem, _, _ in chosen):
        return images, None
    small = render(
        plot_timeline,
        frames,
        period.start,
        period.end,
        width_cm=17.0,
        height_cm=timeline_height_cm(frames, period.start, period.end, SMALL_TIMELINE_CM),
        fallback_families=families,
    )
    return images, figure_png_bytes(small, dpi=PDF_DPI)


def make_report(
    db: Path,
    *,
    as_of: date,
    period: Period,
    out: Path | None,
    png_dir: Path | None = None,
    paper: str = "a4",
    replace: bool = False,
) -> ReportResult:
    """Analyse ``db`` as of ``as_of`` and write the report for ``period``.

    The period starts no earlier than the diary's first entry or the onset date the patient gave
    (``Period.clamp``); the result says which period was reported. Existing files are replaced
    only with ``replace``. Raises ``ReportNotWritten`` when the files cannot be written.
    """
    started = time.perf_counter()
    result = insights(db, as_of)
    period = period.clamp(result.frames.first_day, onset_date(result.frames.profile))
    episode_notes, visit_notes = read_notes(db)
    checks = result.frames.checks
    content = build_content(
        result, period, episode_notes=episode_notes, visit_notes=visit_notes, checks=checks
    )
    plan, warnings = _font_plan(content, result.frames)
    analysed = time.perf_counter()

    fonts.quiet_font_loggers()
    families = fonts.register_with_matplotlib(plan.fallbacks)
    frames = _drawable_frames(result.frames, plan)
    images, timeline_png = _draw(frames, result.associations, period, families, checks)
    drawn = time.perf_counter()

    pdf_bytes, pages = build_pdf(
        content, images, timeline_png=timeline_png, paper=paper, fonts=plan
    )
    files: list[tuple[Path, bytes]] = []
    if out is not None:
        files.append((out, pdf_bytes))
    if png_dir is not None:
        files.append((png_dir / "summary.png", summary_png(pdf_bytes)))
        # The PNG files are the PDF's chart images: the same size and density.
        files += [(png_dir / f"{stem}.png", png) for stem, png in images]
    write_together(files, replace=replace)
    written = time.perf_counter()
    return ReportResult(
        pdf=out,
        pages=pages,
        pngs=[target for target, _ in files if target.suffix == ".png"],
        seconds={
            "analysis": analysed - started,
            "drawing": drawn - analysed,
            "writing": written - drawn,
        },
        period=period,
        warnings=warnings,
    )


# --- writing all files or none ---------------------------------------------------------------


def read_notes(db: Path) -> tuple[dict[str, str], dict[str, str]]:
    """The episodes' and the visits' notes by id (the analysis frames leave notes out)."""
    from diary.db import sqlite as lean

    conn = lean.connect(db)
    try:
        conn.execute("BEGIN")
        episodes = conn.execute(
            "SELECT id, note FROM episode WHERE note IS NOT NULL AND note != ''"
        ).fetchall()
        visits = conn.execute(
            "SELECT id, note FROM visit WHERE note IS NOT NULL AND note != ''"
        ).fetchall()
        conn.execute("COMMIT")
    finally:
        conn.close()
    return {str(i): str(n) for i, n in episodes}, {str(i): str(n) for i, n in visits}


def _missing_folders(folder: Path) -> list[Path]:
    """``folder`` and its missing parents, outermost first (what ``ensure_private_dir`` makes)."""
    missing: list[Path] = []
    current = folder
    while not current.exists() and current.parent != current:
        missing.append(current)
        current = current.parent
    return missing[::-1]


def _sync_folders(folders: set[Path]) -> None:
    """Make the renames durable (best effort: not every file system allows it)."""
    for folder in folders:
        with contextlib.suppress(OSError):
            fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def _claim(target: Path) -> None:
    """Create ``target`` empty with O_EXCL, so that the rename onto it replaces only our own file.

    Raises ``FileExistsError`` when something is already there (it appeared after ``free_name``).
    """
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600))


def write_together(files: Sequence[tuple[Path, bytes]], *, replace: bool = True) -> None:
    """Write every ``(target, data)`` or none of them (see the module docstring).

    Without ``replace`` an existing target is left alone and nothing is written.
    """
    folders = list(dict.fromkeys(target.parent for target, _ in files))
    created: list[Path] = []
    staged: list[tuple[Path, Path]] = []
    placed: list[Path] = []
    current: Path | None = None
    try:
        for folder in folders:
            created += _missing_folders(folder)
            ensure_private_dir(folder)
        for current, data in files:
            staged.append((stage_private(current, data), current))
        for temporary, current in staged:
            if not replace:
                _claim(current)
                placed.append(current)  # ours from here on: removed again if a later one fails
            os.replace(temporary, current)
            if replace:
                placed.append(current)
    except BaseException as exc:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        for target in placed:
            target.unlink(missing_ok=True)
        for folder in reversed(created):
            with contextlib.suppress(OSError):
                folder.rmdir()
        if isinstance(exc, FileExistsError):
            raise ReportNotWritten(
                f"the report was not written: {current} appeared meanwhile and is kept; "
                "no file of it was left behind"
            ) from None
        if isinstance(exc, OSError):
            where = f" ({current})" if current is not None else ""
            raise ReportNotWritten(
                f"the report was not written: {exc.strerror or exc}{where}; "
                "no file of it was left behind"
            ) from None
        raise
    _sync_folders(set(folders))
