"""The twitch-count chart: timed counts at rest, as twitches per minute, one series per place.

A count is the one standardised measure of the twitch rate the diary has (the episodes are what
was noticed), so it is drawn on its own: each place counted (site and side) in its own colour and
marker, so the series read apart in grayscale too.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from diary import wording
from diary.analysis.check_frames import CheckFrames
from diary.analysis.check_summary import count_series
from diary.report.charts.shared import date_axis, empty_note, legend_below
from diary.report.charts.style import OKABE_ITO

#: (colour, marker) for the places in turn (the most counted first).
SERIES_STYLES = (
    ("#" + OKABE_ITO["blue"], "o"),
    ("#" + OKABE_ITO["vermillion"], "s"),
    ("#" + OKABE_ITO["green"], "^"),
    ("#" + OKABE_ITO["purple"], "D"),
    ("#" + OKABE_ITO["orange"], "v"),
    ("#" + OKABE_ITO["sky_blue"], "P"),
)
#: A chart of one point says nothing about a course: it needs this many counts.
MIN_COUNTS = 2
EMPTY_TEXT = "No timed counts in this period"


def count_total(checks: CheckFrames, start: date, end: date) -> int:
    """How many timed counts fall in [start, end]."""
    return sum(len(place.days) for place in count_series(checks.counts, start, end))


def has_counts(checks: CheckFrames, start: date, end: date) -> bool:
    """Whether the period has enough counts for the chart."""
    return count_total(checks, start, end) >= MIN_COUNTS


def plot_counts(ax: Axes, checks: CheckFrames, start: date, end: date) -> Axes:
    """Twitches per minute of each timed count in [start, end], one line per site and side."""
    ax.set_title("Timed twitch counts at rest: twitches per minute")
    ax.set_xlabel("Date of the count")
    ax.set_ylabel("Twitches per minute")
    date_axis(ax, start, end)
    places = count_series(checks.counts, start, end)
    if not places:
        empty_note(ax, EMPTY_TEXT)
        ax.set_ylim(0, 10)
        return ax
    handles: list[Line2D] = []
    highest = 0.0
    for index, place in enumerate(places):
        colour, marker = SERIES_STYLES[index % len(SERIES_STYLES)]
        style: dict[str, Any] = {
            "color": colour,
            "marker": marker,
            "markersize": 5,
            "linewidth": 1.3,
            "clip_on": False,
        }
        ax.plot(mdates.date2num(list(place.days)), place.per_minute, **style)
        where = wording.location(place.body_site, place.side)
        handles.append(
            Line2D([], [], label=f"{where} ({wording.plural(len(place.days), 'count')})", **style)
        )
        highest = max(highest, *place.per_minute)
    ax.set_ylim(0, highest * 1.2 + 1)
    legend_below(ax, handles, ncols=min(len(handles), 3))
    return ax
