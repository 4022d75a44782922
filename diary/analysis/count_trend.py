"""The timed twitch counts as ``frequency_rising``'s second series.

A count is a rate a person measured (twitches in one muscle at rest, per minute), not a tally of
what they happened to notice and log, so it is standardised by construction; counts of different
muscles are not comparable, so only the place counted most often in the window is tested. The rise
must be a trend (Hamed–Rao Mann–Kendall, p < ``TREND_P``, with a positive Sen slope) and large
(the median of the last ``COUNT_RECENT_DAYS`` days at least ``COUNT_MIN_RATIO`` times the median
before), on at least ``COUNT_MIN_COUNTS`` counts spread over ``COUNT_MIN_SPAN_DAYS`` days.
"""

from __future__ import annotations

from datetime import date, timedelta
from statistics import median

import pandas as pd

from diary import thresholds as T
from diary import wording as W
from diary.analysis import stats
from diary.analysis.trends import Finding, p_text


def _rate(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def counts_rising(counts: pd.DataFrame, as_of: date) -> Finding | None:
    """The most-counted place's twitches per minute rising over the ``COUNT_WINDOW_DAYS`` days to
    ``as_of``, or None (too few counts, too short a span, no trend, or too small a rise)."""
    if counts.empty:
        return None
    start = as_of - timedelta(days=T.COUNT_WINDOW_DAYS - 1)
    inside = counts[[start <= d <= as_of for d in counts["diary_day"]]]
    if len(inside) < T.COUNT_MIN_COUNTS:
        return None
    places = inside.assign(side=inside["side"].fillna("")).groupby(["body_site", "side"], sort=True)
    site, side = max(places.groups, key=lambda key: len(places.groups[key]))
    place = inside[(inside["body_site"] == site) & (inside["side"].fillna("") == side)]
    days = list(place["diary_day"])
    if len(place) < T.COUNT_MIN_COUNTS or (days[-1] - days[0]).days < T.COUNT_MIN_SPAN_DAYS:
        return None
    rates = place["per_minute"].to_numpy(dtype=float)
    positions = (place["local"] - pd.Timestamp(start)).dt.total_seconds().to_numpy() / 86400
    trend = stats.mann_kendall_hamed_rao(rates)
    slope = stats.sen_slope(rates, positions)
    recent_from = as_of - timedelta(days=T.COUNT_RECENT_DAYS - 1)
    recent = [r for d, r in zip(days, rates, strict=True) if d >= recent_from]
    before = [r for d, r in zip(days, rates, strict=True) if d < recent_from]
    if not (recent and before and trend.p < T.TREND_P and slope > 0):
        return None
    now, then = float(median(recent)), float(median(before))
    if now < T.COUNT_MIN_RATIO * then or now == 0:
        return None
    where = W.location(str(site), side or None)
    ratio = "up from none" if then == 0 else f"{now / then:.1f}×"
    return Finding(
        title="Your timed twitch counts rose",
        evidence=(
            f"Timed counts in the {where}: median {_rate(now)} a minute in the last "
            f"{T.COUNT_RECENT_DAYS} days against {_rate(then)} before ({ratio}); "
            f"{W.plural(len(place), 'count')} from {days[0]} to {days[-1]}."
        ),
        statistics=(
            f"Mann–Kendall trend test, Hamed–Rao correction, on {len(place)} timed counts "
            f"(twitches per minute, {where}): {p_text(trend.p)} (two-sided); Sen slope "
            f"{slope:.2f} a minute per day."
        ),
        p_value=trend.p,
        first_date=days[0],
        last_date=days[-1],
    )
