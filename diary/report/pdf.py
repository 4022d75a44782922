"""Laying the report out as a PDF: fpdf2 for pages, text and tables; matplotlib for the charts.

Why fpdf2 rather than matplotlib alone: real flowing text that wraps and breaks across pages, tables
whose header row repeats on every page, and Unicode fonts (the DejaVu fonts matplotlib ships), all
as selectable text that ``pdftotext`` extracts. The charts are matplotlib figures placed as images.
Text in other scripts (CJK, Arabic) is drawn with the fallback fonts ``fonts.choose_fonts`` picks,
shaped right to left where needed inside left-to-right English paragraphs.
The PDF carries a title and nothing personal in its metadata: no author, no file paths.
"""

from __future__ import annotations

import io
import struct
import tempfile
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from diary.report.check_content import CheckContent
from diary.report.content import DISCLAIMER, SEVERITY_LABELS, ReportContent, quoted_guidance
from diary.report.fonts import FontPlan, base_fonts
from diary.report.text import dated

PAPER = {"a4": "A4", "letter": "Letter"}
MARGIN_MM = 15
#: Severity colours (Okabe–Ito; the labels carry the meaning in grayscale too).
SEVERITY_RGB = {
    "urgent": (213, 94, 0),
    "soon": (230, 159, 0),
    "discuss": (0, 114, 178),
    "info": (120, 120, 120),
}
EPISODE_HEADERS = [
    "Date and time",
    "Site",
    "Side",
    "Kind",
    "Int.",
    "Duration",
    "Symptoms",
    "Context",
    "Note",
]
EPISODE_WIDTHS = [31, 16, 10, 12, 7, 16, 28, 28, 32]
WEEK_HEADERS = [
    "Week from",
    "Logged",
    "Episodes",
    "Water l",
    "Caffeine mg",
    "Sleep h",
    "Stress",
    "Exercise min",
]
WEEK_WIDTHS = [26, 18, 20, 20, 24, 20, 18, 24]


class ReportPDF(FPDF):
    """A4 or Letter pages with a running footer: the disclaimer and the page number."""

    def __init__(self, paper: str, fonts: FontPlan | None = None) -> None:
        super().__init__(orientation="P", unit="mm", format=PAPER[paper])
        self.font_plan = fonts or FontPlan()
        for style, path in base_fonts().items():
            self.add_font("DejaVu", style, str(path))
        # fpdf2 reads fonts from files: the TrueType subsets live in a private folder until
        # ``output`` has embedded them (``build_pdf`` removes it).
        self.font_folder = tempfile.TemporaryDirectory(prefix="twitch-fonts-")
        for fallback in self.font_plan.fallbacks:
            path = fallback.path
            if fallback.pdf_data is not None:
                path = Path(self.font_folder.name) / f"{fallback.family}.ttf"
                path.write_bytes(fallback.pdf_data)
            self.add_font(fallback.family, "", str(path))
        if self.font_plan.fallbacks:
            # exact_match=False: bold or italic text falls back to the regular CJK/Arabic face.
            self.set_fallback_fonts([f.family for f in self.font_plan.fallbacks], exact_match=False)
        if self.font_plan.shaping:
            # An English document: paragraphs stay left to right, Arabic runs within them are
            # reordered and joined.
            self.set_text_shaping(True, direction="ltr")
        self.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
        self.set_auto_page_break(True, margin=MARGIN_MM + 6)
        self.set_title("Twitch diary summary")
        self.set_subject("A personal symptom diary, summarised for a doctor")
        self.set_creator("Twitch Diary")
        self.set_producer("Twitch Diary")
        self.alias_nb_pages()
        self.continued = ""

    def header(self) -> None:
        """On pages after the first, say what continues (so a loose page still makes sense)."""
        if self.page_no() > 1 and self.continued:
            self.set_font("DejaVu", "I", 8)
            self.set_text_color(110, 110, 110)
            self.cell(0, 5, self.continued, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_text_color(0, 0, 0)
            self.ln(1)

    def footer(self) -> None:
        """The disclaimer and ``Page n of N`` on every page."""
        self.set_y(-(MARGIN_MM + 2))
        self.set_font("DejaVu", "", 7.5)
        self.set_text_color(110, 110, 110)
        self.cell(0, 4, DISCLAIMER, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 4, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(0, 0, 0)

    def normalize_text(self, text: str) -> str:
        """Every text fpdf2 draws or measures passes here: mark what no font can draw."""
        return super().normalize_text(self.font_plan.drawable(text))

    @property
    def width(self) -> float:
        """The usable width between the margins, in mm."""
        return self.w - self.l_margin - self.r_margin

    def heading(self, text: str, size: float = 11) -> None:
        """A section heading with a little air above it."""
        self.ln(2)
        self.set_font("DejaVu", "B", size)
        self.multi_cell(self.width, 5.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font("DejaVu", "", 9)

    def para(self, text: str, size: float = 9, style: str = "", indent: float = 0) -> None:
        """A wrapped paragraph."""
        self.set_font("DejaVu", style, size)
        self.set_x(self.l_margin + indent)
        self.multi_cell(
            self.width - indent,
            size * 0.47,
            text,
            align="L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )


def _summary(pdf: ReportPDF, content: ReportContent, timeline_png: bytes | None) -> None:
    pdf.continued = ""
    pdf.add_page()
    pdf.continued = "Twitch diary summary (continued)"
    pdf.set_font("DejaVu", "B", 16)
    pdf.cell(pdf.width / 2, 8, "Twitch diary summary")
    pdf.set_font("DejaVu", "", 9)
    pdf.cell(
        pdf.width / 2,
        8,
        f"Period {content.period.label()}",
        align="R",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.cell(pdf.width / 2, 5, content.person or "")
    pdf.cell(pdf.width / 2, 5, content.coverage, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_draw_color(160, 160, 160)
    pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.l_margin + pdf.width, pdf.get_y() + 1)
    pdf.ln(3)
    pdf.para(f"What was logged: {content.logged}")
    pdf.para(content.symptoms)
    if content.empty:
        pdf.para(
            "Nothing was logged in this period, so there is nothing to summarise yet. "
            "The sections below are empty for that reason.",
            style="I",
        )
    _asked_weekly(pdf, content.checks)

    pdf.heading("Patterns the guidance asks a doctor to look at")
    if not content.flags:
        pdf.para("None of the patterns that health guidance asks a doctor to look at was found.")
    else:
        pdf.set_text_color(70, 70, 70)
        pdf.para(
            "Titles and guidance are quoted as the app showed them to the patient; the evidence "
            "is counted from the diary.",
            size=8,
            style="I",
        )
        pdf.set_text_color(0, 0, 0)
    for severity in ("urgent", "soon", "discuss", "info"):
        flags = content.flags.get(severity, [])
        if not flags:
            continue
        pdf.set_text_color(*SEVERITY_RGB[severity])
        pdf.para(SEVERITY_LABELS[severity], size=9, style="B")
        pdf.set_text_color(0, 0, 0)
        for flag in flags:
            pdf.para(dated(flag.title), size=9, style="B", indent=4)
            pdf.para(dated(flag.evidence), size=8.5, indent=4)
            pdf.set_text_color(70, 70, 70)
            pdf.para(quoted_guidance(flag.guidance, flag.source), size=8, style="I", indent=4)
            pdf.set_text_color(0, 0, 0)
            pdf.ln(0.8)

    pdf.heading("Medications")
    pdf.para("; ".join(content.medications) if content.medications else "None recorded.")
    pdf.heading("Visits and tests")
    pdf.para("\n".join(content.visits) if content.visits else "None recorded.")
    tests = "; tests and p-values in Appendix C" if content.statistics else ""
    pdf.heading(f"Daily factors (associations, not causes{tests})")
    pdf.para("\n".join(content.factors) if content.factors else "None computed.")
    if timeline_png is not None:
        height = pdf.width * _png_aspect(timeline_png)
        if pdf.get_y() + 2 + height < pdf.page_break_trigger:
            pdf.ln(2)
            pdf.image(io.BytesIO(timeline_png), x=pdf.l_margin, w=pdf.width)


def _asked_weekly(pdf: ReportPDF, checks: CheckContent) -> None:
    """The weekly answers (yes first, in bold; the rest in two columns) and the measures."""
    pdf.heading("Asked weekly")
    pdf.set_text_color(70, 70, 70)
    pdf.para(checks.intro, size=8, style="I")
    pdf.set_text_color(0, 0, 0)
    for line in checks.positives:
        pdf.para(line, size=8.5, style="B")
    _two_columns(pdf, checks.others, size=8.5)
    for line in checks.measured:
        pdf.ln(0.8)
        pdf.para(line, size=8.5)


def _two_columns(pdf: ReportPDF, lines: list[str], size: float) -> None:
    """Short lines down two columns (one column when a line would not fit half the width)."""
    pdf.set_font("DejaVu", "", size)
    half = (pdf.width - 4) / 2
    if any(pdf.get_string_width(line) > half for line in lines):
        for line in lines:
            pdf.para(line, size=size)
        return
    rows = (len(lines) + 1) // 2
    for left, right in zip(lines[:rows], [*lines[rows:], ""], strict=False):
        pdf.cell(half + 4, size * 0.47, left)
        pdf.cell(half, size * 0.47, right, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _height(pdf: ReportPDF, lines: list[str], size: float) -> float:
    """How tall ``lines`` are as paragraphs of ``size`` points (with their spacing), in mm."""
    pdf.set_font("DejaVu", "", size)
    total = 0.0
    for line in lines:
        # With output="HEIGHT" alone fpdf2 returns the height; its declared type covers every
        # combination of outputs (page break flag, lines, height), hence the check.
        height = pdf.multi_cell(pdf.width, size * 0.47, line, dry_run=True, output="HEIGHT")
        if not isinstance(height, int | float):
            raise TypeError(f"fpdf2 returned {type(height).__name__} for a height")
        total += height + 0.8
    return total


def _png_aspect(png: bytes) -> float:
    """A PNG's height over its width, from its header."""
    width, height = struct.unpack(">II", png[16:24])
    return height / width


def _charts(pdf: ReportPDF, charts: list[tuple[str, bytes]]) -> None:
    pdf.continued = "Charts"
    for index, (_, png) in enumerate(charts):
        if index % 2 == 0:
            pdf.add_page()
        pdf.image(io.BytesIO(png), x=pdf.l_margin, w=pdf.width)
        pdf.ln(6)


LINE_MM = 4.0


def _wrap(pdf: ReportPDF, text: str, width: float) -> list[str]:
    """Greedy word wrap to ``width`` mm in the current font (cheap: most cells fit one line)."""
    if pdf.get_string_width(text) <= width:
        return [text]
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}".strip()
        if current and pdf.get_string_width(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    lines.append(current)
    return lines


def _table(pdf: ReportPDF, headers: list[str], widths: list[int], rows: list[list[str]]) -> None:
    """A table whose header row repeats on every page.

    Drawn cell by cell rather than with fpdf2's ``table()``: that measures every cell twice
    through ``multi_cell`` and took 18 s for a year of episodes; this takes a fraction of it.
    """
    scale = pdf.width / sum(widths)
    columns = [w * scale for w in widths]
    pad = 1.0

    def head() -> None:
        pdf.set_font("DejaVu", "B", 7.5)
        for text, width in zip(headers, columns, strict=True):
            pdf.cell(width, LINE_MM + 1, text)
        pdf.ln(LINE_MM + 1)
        pdf.set_draw_color(120, 120, 120)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.width, pdf.get_y())
        pdf.set_font("DejaVu", "", 7.5)

    head()
    for values in rows:
        cells = [_wrap(pdf, text, width - pad) for text, width in zip(values, columns, strict=True)]
        height = LINE_MM * max(len(lines) for lines in cells)
        if pdf.get_y() + height > pdf.page_break_trigger:
            pdf.add_page()
            head()
        top, x = pdf.get_y(), pdf.l_margin
        for lines, width in zip(cells, columns, strict=True):
            for n, line in enumerate(lines):
                pdf.set_xy(x, top + n * LINE_MM)
                pdf.cell(width, LINE_MM, line)
            x += width
        pdf.set_xy(pdf.l_margin, top + height)
        pdf.set_draw_color(215, 215, 215)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.width, pdf.get_y())


def _appendix(pdf: ReportPDF, content: ReportContent) -> None:
    pdf.continued = ""
    pdf.add_page()
    pdf.continued = "Appendix (continued)"
    pdf.heading(f"Appendix A — episodes, {content.period.label()}", size=12)
    if content.episode_rows:
        _table(pdf, EPISODE_HEADERS, EPISODE_WIDTHS, content.episode_rows)
    else:
        pdf.para("No episodes in this period.")
    pdf.heading("Appendix B — daily log by week", size=12)
    pdf.para(
        "Logged = days with a check-in of days in the week; the other columns are means over "
        "those days (exercise: total minutes). — means not recorded: a week with neither a "
        "check-in nor an episode was not logged, so its episode count is unknown, not 0. A run "
        "of such weeks is one row.",
        size=8,
        style="I",
    )
    _table(pdf, WEEK_HEADERS, WEEK_WIDTHS, content.week_rows)
    if content.statistics:
        if pdf.get_y() + 12 + _height(pdf, content.statistics, 8) > pdf.page_break_trigger:
            pdf.add_page()  # a short section reads better whole than split across two pages
        pdf.heading("Appendix C — statistics behind the patterns and factors", size=12)
        for line in content.statistics:
            pdf.para(line, size=8)
            pdf.ln(0.8)


def build_pdf(
    content: ReportContent,
    charts: list[tuple[str, bytes]],
    *,
    timeline_png: bytes | None = None,
    paper: str = "a4",
    fonts: FontPlan | None = None,
) -> tuple[bytes, int]:
    """The PDF's bytes and its page count."""
    pdf = ReportPDF(paper, fonts)
    try:
        _summary(pdf, content, timeline_png)
        _charts(pdf, charts)
        _appendix(pdf, content)
        return bytes(pdf.output()), pdf.page_no()
    finally:
        pdf.font_folder.cleanup()
