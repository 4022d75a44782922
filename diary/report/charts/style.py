"""The charts' look: the Okabe–Ito palette, the colours each series keeps, matplotlib settings.

The style lives here in code (the installed wheel has no ``reports/`` folder);
``reports/twitch.mplstyle`` is the same settings as a file, for people and for tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

#: The sample style file beside the package in the repository (absent from an installed wheel).
STYLE_PATH = Path(__file__).resolve().parents[3] / "reports" / "twitch.mplstyle"

#: Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision
#: deficiency. Hex without '#' so the same strings work in an .mplstyle file.
OKABE_ITO = {
    "black": "000000",
    "orange": "E69F00",
    "sky_blue": "56B4E9",
    "green": "009E73",
    "yellow": "F0E442",
    "blue": "0072B2",
    "vermillion": "D55E00",
    "purple": "CC79A7",
}
_CYCLE = ", ".join(f"'{OKABE_ITO[n]}'" for n in ("blue", "orange", "green", "vermillion", "purple"))

#: The report's matplotlib settings; ``reports/twitch.mplstyle`` holds the same, as a file.
#: Sizes suit a 17 cm wide chart printed on A4 (9 pt text, as in the PDF's small print).
STYLE: dict[RcKeyType, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.titlepad": 8,
    "axes.labelsize": 9,
    "axes.labelcolor": "333333",
    "axes.edgecolor": "555555",
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.axisbelow": True,
    "axes.prop_cycle": f"cycler('color', [{_CYCLE}])",
    "grid.color": "DDDDDD",
    "grid.linewidth": 0.6,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "xtick.color": "333333",
    "ytick.color": "333333",
    "legend.fontsize": 8,
    "legend.frameon": False,
    "legend.handlelength": 1.6,
    "legend.columnspacing": 1.2,
    "hatch.linewidth": 0.6,
    "image.cmap": "Blues",
    "figure.facecolor": "FFFFFF",
    "savefig.facecolor": "FFFFFF",
    "pdf.fonttype": 42,
}

#: Twitches (F-episodes), and the one colour of charts that show all episodes together.
F_COLOUR = "#" + OKABE_ITO["blue"]
#: Cramps, always with a hatch as well.
C_COLOUR = "#" + OKABE_ITO["orange"]
#: Doctor visits on the timeline; the "possible link" marks on the factor chart.
VISIT_COLOUR = "#" + OKABE_ITO["vermillion"]
#: Medication courses, in turn.
MED_COLOURS = ("#" + OKABE_ITO["green"], "#" + OKABE_ITO["purple"], "#" + OKABE_ITO["sky_blue"])
#: Days without a check-in.
NOT_LOGGED = "#C8C8C8"


def with_fallback_fonts(fallback_families: Sequence[str] = ()) -> dict[RcKeyType, Any]:
    """The style, with fonts to fall back to (glyph by glyph) for text DejaVu cannot draw."""
    if not fallback_families:
        return STYLE
    return {**STYLE, "font.family": [STYLE["font.sans-serif"], *fallback_families]}
