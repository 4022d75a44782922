"""``make_report``: from the diary file to a PDF (and PNGs) a doctor can read in a minute.

The steps are timed (analysis, drawing, writing) so the benchmark can say where the time goes.
Files are written beside their final name and renamed into place, mode 0600.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from diary.analysis.insights import insights
from diary.paths import ensure_private_dir, write_private
from diary.report import charts
from diary.report.content import Period, build_content
from diary.report.pdf import build_pdf

#: Pixel density of the charts inside the PDF and of the PNG files.
PDF_DPI = 150
PNG_DPI = 150
CHART_WIDTH_CM = 17.0

#: (file stem, chart function, height in cm) in the order the report shows them.
CHARTS = (
    ("timeline", "plot_timeline", 8.5),
    ("intensity", "plot_intensity", 7.5),
    ("sites", "plot_sites", 9.0),
    ("when", "plot_when", 8.0),
    ("factors", "plot_factors", 6.5),
)


@dataclass
class ReportResult:
    """What was written, and how long each step took."""

    pdf: Path | None
    pages: int
    pngs: list[Path] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def _chart_args(name: str, result: object, period: Period) -> tuple[object, ...]:
    if name == "factors":
        return (result.associations,)  # type: ignore[attr-defined]
    return (result.frames, period.start, period.end)  # type: ignore[attr-defined]


def render_summary_png(pdf_bytes: bytes, target: Path, dpi: int = PNG_DPI) -> None:
    """The PDF's first page as a PNG (pdfium renders it exactly as a viewer would)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf_bytes)
    try:
        image = document[0].render(scale=dpi / 72).to_pil()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", dpi=(dpi, dpi))
        write_private(target, buffer.getvalue())
    finally:
        document.close()


def make_report(
    db: Path,
    *,
    as_of: date,
    period: Period,
    out: Path | None,
    png_dir: Path | None = None,
    paper: str = "a4",
) -> ReportResult:
    """Analyse ``db`` as of ``as_of`` and write the report for ``period``."""
    started = time.perf_counter()
    result = insights(db, as_of)
    content = build_content(result, period)
    analysed = time.perf_counter()

    pngs: list[Path] = []
    images: list[tuple[str, bytes]] = []
    if png_dir is not None:
        ensure_private_dir(png_dir)
    for stem, function, height in CHARTS:
        figure = charts.render(
            getattr(charts, function),
            *_chart_args(stem, result, period),
            width_cm=CHART_WIDTH_CM,
            height_cm=height,
        )
        images.append((stem, charts.figure_png_bytes(figure, dpi=PDF_DPI)))
        if png_dir is not None:
            target = png_dir / f"{stem}.png"
            charts.save_png(figure, target, dpi=PNG_DPI)
            pngs.append(target)
    small = charts.render(
        charts.plot_timeline, result.frames, period.start, period.end, width_cm=17.0, height_cm=5.5
    )
    timeline_png = charts.figure_png_bytes(small, dpi=PDF_DPI)
    drawn = time.perf_counter()

    pdf_bytes, pages = build_pdf(content, images, timeline_png=timeline_png, paper=paper)
    if out is not None:
        ensure_private_dir(out.parent)
        write_private(out, pdf_bytes)
    if png_dir is not None:
        summary = png_dir / "summary.png"
        render_summary_png(pdf_bytes, summary)
        pngs.insert(0, summary)
    written = time.perf_counter()
    return ReportResult(
        pdf=out,
        pages=pages,
        pngs=pngs,
        seconds={
            "analysis": analysed - started,
            "drawing": drawn - analysed,
            "writing": written - drawn,
        },
    )
