"""The spread rules: twitching in several places, in a new area, on both sides, or with numbness.

Each looks at where the F-episodes (and, for ``sensory_symptoms``, any episode with numbness or
tingling) were logged within a window of days, and names the places and days it counted.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from diary import thresholds as T
from diary import wording as W
from diary.analysis.episode_index import to_dates
from diary.analysis.flags.context import Context, between, windows, within
from diary.analysis.flags.model import Flag, make_flag
from diary.analysis.flags.signs import recent_spread, with_checks


def multiple_sites(ctx: Context) -> Flag | None:
    """In the last 14 days, ≥ 2 locations (site, side) each with F-episodes on ≥ 2 days."""
    start = ctx.as_of - timedelta(days=T.MULTIPLE_SITES_WINDOW_DAYS - 1)
    recent = ctx.episodes[ctx.index.f & ctx.index.within(start, ctx.as_of)]
    recent = recent.assign(side=recent["side"].fillna(""))  # no side given = its own location
    if recent.empty:
        return None
    per_location = recent.groupby(["body_site", "side"], dropna=False)["diary_day"].nunique()
    busy = per_location[per_location >= T.MULTIPLE_SITES_MIN_DAYS_EACH]
    if len(busy) < T.MULTIPLE_SITES_MIN_LOCATIONS:
        return None
    parts = [f"{W.location(site, side)} on {n} days" for (site, side), n in busy.items()]
    keys = set(busy.index)
    used = recent[
        [(s, d) in keys for s, d in zip(recent["body_site"], recent["side"], strict=True)]
    ]
    return make_flag(
        "multiple_sites",
        "soon",
        f"Twitching in {len(busy)} places in the last 14 days",
        f"{'; '.join(parts)} ({start} to {ctx.as_of})",
        used["diary_day"],
    )


def new_region(ctx: Context) -> Flag | None:
    """A region first seen in the last 28 days (``_new_region_logged``), or a weekly check in
    those days that said twitching has spread to new places."""
    return with_checks(
        _new_region_logged(ctx),
        "new_region",
        "discuss",
        "You said twitching has spread to a new place",
        "twitching that has spread to new places",
        recent_spread(ctx),
    )


def _new_region_logged(ctx: Context) -> Flag | None:
    """With ≥ 28 days of history, a region first seen in the last 28 days, on ≥ 2 days."""
    first = ctx.frames.first_day
    window_start = ctx.as_of - timedelta(days=T.NEW_REGION_WINDOW_DAYS - 1)
    if first is None or (ctx.as_of - first).days + 1 < T.NEW_REGION_MIN_HISTORY_DAYS:
        return None
    ix = ctx.index
    placed = ix.f & ~ix.region.isin(["other"])
    before = placed & ix.within(None, window_start - timedelta(days=1))
    if not before.any():  # nothing to compare with: the first region ever seen is not "new"
        return None
    seen = {str(ix.region.values[code]) for code in np.unique(ix.region.codes[before])}
    recent = ctx.episodes[placed & ix.within(window_start, None) & ~ix.region.isin(seen)]
    per_region = recent.groupby("region")["diary_day"].nunique()
    new = per_region[per_region >= T.NEW_REGION_MIN_DAYS]
    if new.empty:
        return None
    if not ctx.covered("new_region", first, window_start - timedelta(days=1)):
        return None
    used = recent[recent["region"].isin(new.index)]
    parts = [
        f"{W.region(region)} "
        f"(first {min(used.loc[used['region'] == region, 'diary_day'])}, {n} days)"
        for region, n in new.items()
    ]
    return make_flag(
        "new_region",
        "discuss",
        "Twitching in a new area of the body",
        f"{'; '.join(parts)}; earlier only: {'; '.join(sorted(W.region(r) for r in seen))}",
        used["diary_day"],
    )


def bilateral(ctx: Context) -> Flag | None:
    """The same site with F-episodes on the left and on the right, each on ≥ 3 days within 28.

    Windows are anchored on their last day (an episode day, so never after ``as_of``) and the
    latest qualifying one wins; the evidence names the first and last days actually counted.
    """
    ix = ctx.index
    left_side, right_side = ix.side.isin(["left", "both"]), ix.side.isin(["right", "both"])
    best: tuple[int, int, int, int] | None = None  # site code, window end, days left, days right
    sites = np.unique(ix.site.codes[ix.f])
    for code in sorted(sites[sites >= 0], key=lambda c: str(ix.site.values[c])):  # as groupby
        at_site = ix.f & (ix.site.codes == code)
        found = _latest_window(
            np.unique(ix.day[at_site & left_side]), np.unique(ix.day[at_site & right_side])
        )
        if found is not None and (best is None or found[0] > best[1]):
            best = (int(code), *found)
    if best is None:
        return None
    site_code, end, n_left, n_right = best
    site = str(ix.site.values[site_code])
    counted = (
        ix.f
        & (ix.site.codes == site_code)
        & ix.side.isin(["left", "right", "both"])
        & (ix.day >= end - (T.BILATERAL_WINDOW_DAYS - 1))
        & (ix.day <= end)
    )
    days = to_dates(ix.day[counted])
    first, last = min(days), max(days)
    both = (
        "on both sides of the same place" if site == "other" else f"in both {W.site_plural(site)}"
    )
    return make_flag(
        "bilateral",
        "info",
        f"Twitching {both}",
        f"{W.word(site)}: left on {n_left} days, right on {n_right} days between {first} and "
        f"{last}",
        days,
    )


def _latest_window(left: np.ndarray, right: np.ndarray) -> tuple[int, int, int] | None:
    """The latest window of ``BILATERAL_WINDOW_DAYS`` ending on a day of either side (sorted
    ordinals) that holds enough days of each: (its last day, days left, days right)."""
    if min(len(left), len(right)) < T.BILATERAL_MIN_DAYS_EACH_SIDE:
        return None
    ends = np.union1d(left, right)[::-1]
    starts = ends - (T.BILATERAL_WINDOW_DAYS - 1)
    n_left = np.searchsorted(left, ends, "right") - np.searchsorted(left, starts, "left")
    n_right = np.searchsorted(right, ends, "right") - np.searchsorted(right, starts, "left")
    enough = np.flatnonzero(np.minimum(n_left, n_right) >= T.BILATERAL_MIN_DAYS_EACH_SIDE)
    if not len(enough):
        return None
    i = enough[0]
    return int(ends[i]), int(n_left[i]), int(n_right[i])


def sensory_symptoms(ctx: Context) -> Flag | None:
    """Numbness or tingling on episodes of the same region and side on ≥ 2 days within 14."""
    sensory = ctx.episodes[ctx.index.symptoms.has({"numbness", "tingling"})]
    for (region, side), group in sensory.groupby(["region", "side"], dropna=False):
        found = windows(group["diary_day"], T.SENSORY_WINDOW_DAYS, T.SENSORY_MIN_DAYS, ctx.as_of)
        if found:
            start, end, count = found[0]
            inside = group[within(group["diary_day"], start, end)]
            words = sorted(set().union(*inside["symptoms"]) & {"numbness", "tingling"})
            limb = W.location(W.region(str(region)), side)
            return make_flag(
                "sensory_symptoms",
                "soon",
                "Numbness or tingling in the same limb on several days",
                f"{' and '.join(words)} in the {limb} on {count} days "
                f"{between(inside['diary_day'])}",
                inside["diary_day"],
            )
    return None
