"""The spread rules: twitching in several places, in a new area, on both sides, or with numbness.

Each looks at where the F-episodes (and, for ``sensory_symptoms``, any episode with numbness or
tingling) were logged within a window of days, and names the places and days it counted.
"""

from __future__ import annotations

from datetime import date, timedelta

from diary import thresholds as T
from diary import wording as W
from diary.analysis.flags.context import Context, between, count_between, has, windows, within
from diary.analysis.flags.model import Flag, make_flag


def multiple_sites(ctx: Context) -> Flag | None:
    """In the last 14 days, ≥ 2 locations (site, side) each with F-episodes on ≥ 2 days."""
    start = ctx.as_of - timedelta(days=T.MULTIPLE_SITES_WINDOW_DAYS - 1)
    f = ctx.f_episodes
    recent = f[within(f["diary_day"], start, ctx.as_of)]
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
    """With ≥ 28 days of history, a region first seen in the last 28 days, on ≥ 2 days."""
    first = ctx.frames.first_day
    window_start = ctx.as_of - timedelta(days=T.NEW_REGION_WINDOW_DAYS - 1)
    if first is None or (ctx.as_of - first).days + 1 < T.NEW_REGION_MIN_HISTORY_DAYS:
        return None
    f = ctx.f_episodes
    f = f[f["region"] != "other"]
    before = f[within(f["diary_day"], None, window_start - timedelta(days=1))]
    if before.empty:  # nothing to compare with: the first region ever seen is not "new"
        return None
    seen = set(before["region"])
    recent = f[within(f["diary_day"], window_start, None) & ~f["region"].isin(seen)]
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
    f = ctx.f_episodes
    best: tuple[str, date, int, int] | None = None  # site, window end, days left, days right
    for site, group in f.groupby("body_site"):
        left = sorted(set(group.loc[group["side"].isin(["left", "both"]), "diary_day"]))
        right = sorted(set(group.loc[group["side"].isin(["right", "both"]), "diary_day"]))
        if (
            len(left) < T.BILATERAL_MIN_DAYS_EACH_SIDE
            or len(right) < T.BILATERAL_MIN_DAYS_EACH_SIDE
        ):
            continue
        for end in sorted(set(left) | set(right), reverse=True):
            start = end - timedelta(days=T.BILATERAL_WINDOW_DAYS - 1)
            n_left = count_between(left, start, end)
            n_right = count_between(right, start, end)
            if min(n_left, n_right) >= T.BILATERAL_MIN_DAYS_EACH_SIDE:
                if best is None or end > best[1]:
                    best = (str(site), end, n_left, n_right)
                break
    if best is None:
        return None
    site, end, n_left, n_right = best
    start = end - timedelta(days=T.BILATERAL_WINDOW_DAYS - 1)
    days = [
        d
        for s, side, d in zip(f["body_site"], f["side"], f["diary_day"], strict=True)
        if s == site and side in ("left", "right", "both") and start <= d <= end
    ]
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


def sensory_symptoms(ctx: Context) -> Flag | None:
    """Numbness or tingling on episodes of the same region and side on ≥ 2 days within 14."""
    e = ctx.episodes
    sensory = e[has(e["symptoms"], {"numbness", "tingling"})]
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
