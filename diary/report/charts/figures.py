"""Making, drawing and saving the charts' figures, under the report's style.

Only the object-oriented API: a ``Figure`` with an Agg canvas of its own, never pyplot (whose
global figure registry leaks figures in a long-running app and is not thread-safe). Nothing here
does I/O except ``save_png``.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from diary.paths import write_private
from diary.report.charts.style import STYLE, with_fallback_fonts

#: A chart: draws on the ``Axes`` it is given (then its own arguments) and returns it.
ChartFunction = Callable[..., Axes]


def new_figure(width_cm: float, height_cm: float) -> Figure:
    """A blank figure of that printed size, with constrained layout, under the report's style."""
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(width_cm / 2.54, height_cm / 2.54), layout="constrained")
    # The Agg canvas (no pyplot) so that charts can measure their text and keep it on the page.
    FigureCanvasAgg(figure)
    return figure


def render(
    chart_fn: ChartFunction,
    *args: Any,
    width_cm: float = 17.0,
    height_cm: float = 8.0,
    fallback_families: Sequence[str] = (),
    **kw: Any,
) -> Figure:
    """A figure with one Axes on which ``chart_fn(ax, *args, **kw)`` has drawn, under the style.

    ``fallback_families`` are matplotlib font families (``fonts.register_with_matplotlib``) for
    names in other scripts; text keeps the fonts it was given here when it is saved later.
    """
    with matplotlib.rc_context(with_fallback_fonts(fallback_families)):
        figure = new_figure(width_cm, height_cm)
        ax = figure.add_subplot()
        chart_fn(ax, *args, **kw)
        figure.canvas.draw_idle()
    return figure


def figure_png_bytes(fig: Figure, dpi: int = 200) -> bytes:
    """The figure as PNG bytes (for embedding in the PDF), exactly its size times ``dpi``."""
    buffer = io.BytesIO()
    with matplotlib.rc_context(STYLE), warnings.catch_warnings():
        # The report names characters no font has in one line of its own (fonts.describe_missing).
        warnings.filterwarnings("ignore", message="Glyph .* missing from")
        fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def save_png(fig: Figure, path: Path, dpi: int = 150) -> None:
    """Write the figure to ``path`` as a PNG readable by its owner only (mode 0600), atomically."""
    write_private(path, figure_png_bytes(fig, dpi=dpi))
