"""The three statistical rules of RULES.md — ``frequency_rising``, ``intensity_rising`` and
``medication_onset`` — each on a diary where it must fire and on near misses where it must not.

The diaries are built from the specification, not from the code: every count is deterministic (a
closed-form ramp or a fixed numpy seed), so a failure always means the rule changed, never the
luck of a draw. Each near miss differs from a firing diary in one condition only, so it pins the
threshold RULES.md names (the weekly double look, the 30/24 logged-day floors, the fallback's
ratio ≥ 2 and p < 0.01, the +2 median rise, 15 episode days, 14 baseline days, ratio ≥ 2, three
episodes on three days, nothing after ``as_of``, and the visit interaction).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pytest

from diary.analysis import stats, trends
from diary.analysis.flags.interactions import analyse
from diary.analysis.flags.model import Flag
from diary.analysis.frames import Frames, make_frames

AS_OF = date(2025, 4, 30)
OFFSET_MIN = 120  # Berlin summer time, as in April


@pytest.fixture(autouse=True)
def _quiet_statsmodels() -> Iterable[None]:
    """Steep synthetic ramps make statsmodels warn about separation; the fits are still fine."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


# --- builders -------------------------------------------------------------------------------------


def d(offset: int) -> date:
    """The date ``offset`` days after AS_OF (negative = before)."""
    return AS_OF + timedelta(days=offset)


def ep(
    on: date,
    n: int = 0,
    *,
    site: str = "calf",
    side: str | None = "left",
    kind: str = "twitch",
    intensity: int = 3,
    symptoms: str = "",
    hour: int = 12,
) -> dict[str, Any]:
    """The ``n``-th episode of local day ``on`` (7 minutes apart from ``hour``), as a table row."""
    local = datetime(on.year, on.month, on.day, hour) + timedelta(minutes=7 * n)
    utc = local - timedelta(minutes=OFFSET_MIN)
    return {
        "id": f"{on}-{n}-{site}-{side}-{kind}",
        "started_at_utc": utc.strftime("%Y-%m-%d %H:%M:%S.000000"),
        "utc_offset_min": OFFSET_MIN,
        "body_site": site,
        "side": side,
        "intensity": intensity,
        "duration_s": 5,
        "kind": kind,
        "symptoms": symptoms,
        "context": "",
    }


def day(on: date, symptoms: str = "") -> dict[str, Any]:
    """A logged day with ordinary numbers."""
    return {
        "date": on,
        "water_ml": 2000,
        "caffeine_mg": 100,
        "alcohol_units": 0,
        "exercise_min": 20,
        "exercise_intensity": "moderate",
        "sleep_h": 7.5,
        "sleep_quality": 4,
        "stress": 3,
        "symptoms": symptoms,
    }


def logged(
    first: int = -59, last: int = 0, skip: Callable[[int], bool] | None = None
) -> list[dict[str, Any]]:
    """Day rows from ``d(first)`` to ``d(last)``, leaving out the offsets ``skip`` picks."""
    return [day(d(o)) for o in range(first, last + 1) if skip is None or not skip(o)]


def twitches(
    counts: Callable[[int], int], offsets: Iterable[int], **kw: Any
) -> list[dict[str, Any]]:
    """``counts(o)`` twitches on each day ``d(o)``."""
    return [ep(d(o), n, **kw) for o in offsets for n in range(counts(o))]


def medication(
    started: date, drug_class: str = "diuretic", name: str = "furosemide"
) -> dict[str, Any]:
    """A medication row started on ``started``."""
    return {
        "id": "m1",
        "name": name,
        "drug_class": drug_class,
        "dose": "40 mg",
        "started_on": started,
        "stopped_on": None,
    }


def visit(on: date) -> dict[str, Any]:
    """A GP visit row."""
    return {"id": "v1", "date": on, "kind": "gp", "tests": "", "outcome": None}


def frames_of(
    episodes: Sequence[dict[str, Any]],
    days: Sequence[dict[str, Any]],
    *,
    medications: Sequence[dict[str, Any]] = (),
    visits: Sequence[dict[str, Any]] = (),
    profile: dict[str, str] | None = None,
    as_of: date = AS_OF,
) -> Frames:
    """Frames cut at ``as_of``."""
    return make_frames(
        episodes=list(episodes),
        days=list(days),
        medications=list(medications),
        visits=list(visits),
        profile=profile,
        as_of=as_of,
    )


def flags_of(*args: Any, as_of: date = AS_OF, **kw: Any) -> dict[str, Flag]:
    """rule -> flag for a diary analysed at ``as_of``."""
    return {f.rule: f for f in analyse(frames_of(*args, as_of=as_of, **kw), as_of)}


def severity(flags: dict[str, Flag], rule: str) -> str | None:
    """The severity a rule fired at, or None."""
    return flags[rule].severity if rule in flags else None


# --- frequency_rising: the 42-day Poisson / Mann–Kendall test --------------------------------------


def growing(rate: float, start: int = -59) -> Callable[[int], int]:
    """About 2 a day at ``d(start)``, growing by ``rate`` a week."""
    return lambda o: int(round(2 * rate ** ((o - start) / 7)))


RISING = twitches(growing(1.3), range(-59, 1))


def test_frequency_rising_fires_as_discuss_on_a_steady_weekly_rise() -> None:
    flags = flags_of(RISING, logged())
    assert severity(flags, "frequency_rising") == "discuss"
    flag = flags["frequency_rising"]
    assert (flag.first_date, flag.last_date) == (d(-41), AS_OF)
    assert "intensity_rising" not in flags  # every twitch has intensity 3


@pytest.mark.parametrize(
    ("extra_days", "extra_episodes", "profile"),
    [
        ([day(d(-3), "weakness")], [], None),
        ([], [ep(d(-3), symptoms="muscle_loss", hour=18)], None),
        ([day(d(-3), "difficulty_walking")], [], None),
        ([], [ep(d(-9), site="tongue", hour=18), ep(d(-2), site="jaw", hour=18)], None),
        ([], [], {"family_history": "ms"}),
    ],
    ids=["weakness", "muscle_loss", "progressive", "bulbar", "family_history"],
)
def test_frequency_rising_rises_to_soon_with_companions(
    extra_days: list[dict[str, Any]],
    extra_episodes: list[dict[str, Any]],
    profile: dict[str, str] | None,
) -> None:
    days = [r for r in logged() if r["date"] not in {x["date"] for x in extra_days}] + extra_days
    flags = flags_of(RISING + extra_episodes, days, profile=profile)
    assert severity(flags, "frequency_rising") == "soon"


def test_frequency_rising_rises_to_soon_with_a_new_region() -> None:
    hands = [ep(d(-20), site="hand", hour=18), ep(d(-5), site="hand", hour=18)]
    flags = flags_of(RISING + hands, logged())
    assert severity(flags, "new_region") == "discuss"
    assert severity(flags, "frequency_rising") == "soon"


def test_frequency_rising_needs_the_rise_a_week_ago_too() -> None:
    # flat at 2 a day, then a steep rise over the last 18 days only
    counts = lambda o: 2 if o < -17 else int(round(2 * 1.6 ** ((o + 18) / 7)))  # noqa: E731
    frames = frames_of(twitches(counts, range(-59, 1)), logged())
    assert "frequency_rising" not in {f.rule for f in analyse(frames, AS_OF)}
    # the near miss is the weekly double look, not a weak rise: at as_of alone it would hold
    now = trends._frequency_look(frames, AS_OF)
    week_ago = trends._frequency_look(frames, d(-7))
    assert now is not None and now.rising
    assert week_ago is not None and not week_ago.rising


def test_frequency_rising_not_on_flat_counts_with_noise() -> None:
    noisy = np.random.default_rng(7).poisson(3, 60)
    counts = lambda o: int(noisy[o + 59])  # noqa: E731
    assert "frequency_rising" not in flags_of(twitches(counts, range(-59, 1)), logged())


def test_frequency_rising_under_30_logged_days_uses_the_fallback_not_the_trend() -> None:
    gentle = twitches(growing(1.25), range(-59, 1))
    assert severity(flags_of(gentle, logged()), "frequency_rising") == "discuss"
    # a third of the days missing: 28 logged days in the window; the 14-vs-14 ratio is only ~1.6
    every_third = lambda o: o % 3 == 0  # noqa: E731
    kept = [e for e in gentle if (date.fromisoformat(e["id"][:10]) - AS_OF).days % 3 != 0]
    assert "frequency_rising" not in flags_of(kept, logged(skip=every_third))


# --- frequency_rising: the 24–41 logged-day fallback ----------------------------------------------


def _every_third(o: int) -> bool:
    return o % 3 == 0


def _sparse(counts: Callable[[int], int], skip: Callable[[int], bool]) -> dict[str, Flag]:
    """Episodes on logged days only; days picked by ``skip`` are missing."""
    offsets = [o for o in range(-59, 1) if not skip(o)]
    return flags_of(twitches(counts, offsets), logged(skip=skip))


def _step(o: int) -> int:
    return 1 if o <= -21 else 3 if o <= -14 else 6


def test_fallback_fires_on_a_doubling_with_28_logged_days() -> None:
    assert len([r for r in logged(-41, skip=_every_third)]) == 28
    assert severity(_sparse(_step, _every_third), "frequency_rising") == "discuss"


def test_fallback_misses_when_the_rise_is_under_2x_though_significant() -> None:
    counts = lambda o: 5 if o <= -14 else 9  # noqa: E731
    offsets = [o for o in range(-59, 1) if not _every_third(o)]
    recent = sum(counts(o) for o in offsets if o > -14)
    prior = sum(counts(o) for o in offsets if -28 < o <= -14)
    n_recent = len([o for o in offsets if o > -14])
    n_prior = len([o for o in offsets if -28 < o <= -14])
    assert stats.poisson_rate_test(recent, n_recent, prior, n_prior) < 0.01
    assert "frequency_rising" not in _sparse(counts, _every_third)


def test_fallback_misses_when_p_is_not_under_0_01() -> None:
    # 1 twitch in the prior 14 days, 5 in the last 14: a 5× ratio on too few to be sure
    picked = {-25, -13, -11, -8, -5, -2}
    counts = lambda o: 1 if o in picked else 0  # noqa: E731
    assert "frequency_rising" not in _sparse(counts, _every_third)


def test_fewer_than_24_logged_days_is_no_test_at_all() -> None:
    every_other = lambda o: o % 2 == 0  # noqa: E731  -> 21 logged days in 42
    frames = frames_of(
        twitches(_step, [o for o in range(-59, 1) if o % 2]), logged(skip=every_other)
    )
    assert "frequency_rising" not in {f.rule for f in analyse(frames, AS_OF)}
    assert trends._frequency_look(frames, AS_OF) is None


# --- frequency_rising and visits -------------------------------------------------------------------


def test_a_visit_drops_frequency_rising_to_info_reviewed() -> None:
    flags = flags_of(RISING, logged(), visits=[visit(d(-3))])
    assert severity(flags, "frequency_rising") == "info"
    assert f"reviewed on {d(-3)}" in flags["frequency_rising"].title


def test_weakness_before_the_visit_stays_reviewed() -> None:
    days = [r for r in logged() if r["date"] != d(-10)] + [day(d(-10), "weakness")]
    flags = flags_of(RISING, days, visits=[visit(d(-3))])
    assert severity(flags, "weakness") == "soon"
    assert severity(flags, "frequency_rising") == "info"


def test_weakness_after_the_visit_rearms_frequency_rising() -> None:
    days = [r for r in logged() if r["date"] != d(-1)] + [day(d(-1), "weakness")]
    flags = flags_of(RISING, days, visits=[visit(d(-3))])
    # re-armed, and weakness firing raises the trend rule to soon
    assert severity(flags, "frequency_rising") == "soon"
    assert "reviewed" not in flags["frequency_rising"].title


# --- intensity_rising -----------------------------------------------------------------------------


def strengths(intensity: Callable[[int], int], offsets: Iterable[int]) -> list[dict[str, Any]]:
    """One twitch a day at the given intensity."""
    return [ep(d(o), intensity=intensity(o)) for o in offsets]


def _ramp(o: int) -> int:
    return 2 + (o + 41) * 6 // 41  # 2 … 8 over the 42 days


def _steps_then(recent: int) -> Callable[[int], int]:
    """3, 4, 5 in the earlier 28 days (median 4), then ``recent`` in the last 14."""
    return lambda o: (3 if o <= -33 else 4 if o <= -23 else 5) if o <= -14 else recent


def test_intensity_rising_fires_as_discuss() -> None:
    flags = flags_of(strengths(_ramp, range(-41, 1)), logged())
    assert severity(flags, "intensity_rising") == "discuss"
    assert "frequency_rising" not in flags  # one twitch a day throughout


def test_intensity_rising_rises_to_soon_with_weakness() -> None:
    days = [r for r in logged() if r["date"] != d(-4)] + [day(d(-4), "weakness")]
    flags = flags_of(strengths(_ramp, range(-41, 1)), days)
    assert severity(flags, "intensity_rising") == "soon"


def test_intensity_rising_needs_a_two_point_rise_of_the_median() -> None:
    assert severity(
        flags_of(strengths(_steps_then(6), range(-41, 1)), logged()), "intensity_rising"
    )
    one_point = strengths(_steps_then(5), range(-41, 1))
    # trend and slope alone would pass: only the +1 (not +2) median rise holds it back
    medians = np.array([_steps_then(5)(o) for o in range(-41, 1)], dtype=float)
    assert stats.mann_kendall_hamed_rao(medians).p < 0.05
    assert stats.sen_slope(medians, np.arange(42)) >= 0.05
    assert "intensity_rising" not in flags_of(one_point, logged())


def test_intensity_rising_needs_15_episode_days() -> None:
    every_third = [o for o in range(-41, 1) if (o + 41) % 3 == 0]  # 14 days, -41 … -2
    ramp = lambda o: 2 + (o + 41) * 7 // 41  # noqa: E731
    assert len(every_third) == 14
    assert "intensity_rising" not in flags_of(strengths(ramp, every_third), logged())
    fifteen = strengths(ramp, every_third) + [ep(d(-1), intensity=9)]
    assert severity(flags_of(fifteen, logged()), "intensity_rising") == "discuss"


# --- medication_onset -----------------------------------------------------------------------------


def cramps(offsets: Iterable[int], per_day: int = 1) -> list[dict[str, Any]]:
    """``per_day`` afternoon cramps on each day ``d(o)``."""
    return [ep(d(o), n, kind="cramp", hour=15) for o in offsets for n in range(per_day)]


AFTER_START = cramps([-45, -38, -31, -24]) + cramps(range(-20, 1))  # started on d(-20)


def test_medication_onset_fires_as_soon_and_names_a_diuretic() -> None:
    flags = flags_of(AFTER_START, logged(), medications=[medication(d(-20))])
    assert severity(flags, "medication_onset") == "soon"
    flag = flags["medication_onset"]
    assert "Do not stop a prescribed medicine without medical advice" in flag.guidance
    assert "diuretic" in flag.guidance
    assert "furosemide" in flag.title or "furosemide" in flag.evidence
    assert flag.first_date == d(-20)


def test_medication_onset_does_not_name_a_class_the_guidance_does_not_list() -> None:
    meds = [medication(d(-20), "antihistamine", "cetirizine")]
    flag = flags_of(AFTER_START, logged(), medications=meds)["medication_onset"]
    assert flag.severity == "soon"
    assert "antihistamine" not in flag.guidance
    assert "Do not stop a prescribed medicine without medical advice" in flag.guidance


def test_medication_onset_needs_14_logged_baseline_days() -> None:
    episodes = cramps([-30]) + cramps(range(-20, 1))
    meds = [medication(d(-20))]
    # d(-33) … d(-21): 13 logged days before the start; d(-34) makes 14
    assert "medication_onset" not in flags_of(episodes, logged(-33), medications=meds)
    assert severity(flags_of(episodes, logged(-34), medications=meds), "medication_onset") == "soon"


def test_medication_onset_needs_a_doubling() -> None:
    meds = [medication(d(-27))]
    before = cramps(range(-55, -27), 2)
    one_and_half = before + cramps(range(-27, 1), 3)
    assert stats.poisson_rate_test(84, 28, 56, 28) < 0.05  # significant, but only 1.5×
    assert "medication_onset" not in flags_of(one_and_half, logged(), medications=meds)
    double = before + cramps(range(-27, 1), 4)
    assert severity(flags_of(double, logged(), medications=meds), "medication_onset") == "soon"


def test_medication_onset_needs_three_episodes_on_three_days() -> None:
    meds = [medication(d(-6))]  # nothing in the 28 days before: any episode is "more"
    assert "medication_onset" not in flags_of(cramps([-5, -2]), logged(), medications=meds)
    two_days = cramps([-5]) + cramps([-2], 2)
    assert "medication_onset" not in flags_of(two_days, logged(), medications=meds)
    three = cramps([-5, -3, -1])
    assert severity(flags_of(three, logged(), medications=meds), "medication_onset") == "soon"


def test_medication_started_after_as_of_is_not_seen() -> None:
    meds = [medication(d(1))]
    assert "medication_onset" not in flags_of(AFTER_START, logged(), medications=meds)
    uncut = make_frames(episodes=AFTER_START, days=logged(), medications=meds)
    assert trends.medication_onset(uncut, AS_OF) is None


# --- frequency_rising: which test applies (issue 10, item 16) ---------------------------------------


def _burst_after_exercise(per_day: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A 3-day burst (d(-10) … d(-8)) the day after a 90-minute workout; every day logged."""
    episodes = twitches(lambda o: per_day, range(-10, -7))
    days = [r for r in logged() if r["date"] != d(-11)]
    days.append({**day(d(-11)), "exercise_min": 90, "exercise_intensity": "vigorous"})
    return episodes, days


def test_a_burst_that_ended_a_week_ago_is_not_more_frequent_on_a_fully_logged_diary() -> None:
    episodes, days = _burst_after_exercise(5)  # 15 twitches: under the main test's 20
    frames = frames_of(episodes, days)
    # The case that matters: the 14-vs-14 comparison alone would call this a significant rise,
    # now and a week ago (15 twitches against none).
    assert stats.poisson_rate_test(15, 14, 0, 14) < 0.01
    assert len(trends._logged_in(frames, d(-41), AS_OF)) == 42
    assert trends._frequency_look(frames, AS_OF) is None  # 42 logged days: no fallback
    flags = {f.rule: f for f in analyse(frames, AS_OF)}
    assert "frequency_rising" not in flags
    # … so it no longer hides the reassurance RULES.md gives for exactly this diary
    assert severity(flags, "short_post_exercise_burst") == "info"


def test_the_fallback_still_runs_with_41_logged_days() -> None:
    episodes, days = _burst_after_exercise(5)
    days = [r for r in days if r["date"] != d(-30)]
    frames = frames_of(episodes, days)
    assert len(trends._logged_in(frames, d(-41), AS_OF)) == 41
    look = trends._frequency_look(frames, AS_OF)
    assert look is not None and look.rising


def test_the_main_test_alone_decides_a_fully_logged_window_with_enough_twitches() -> None:
    episodes, days = _burst_after_exercise(8)  # 24 twitches: the main test applies
    frames = frames_of(episodes, days)
    look = trends._frequency_look(frames, AS_OF)
    assert look is not None and not look.rising
    assert "frequency_rising" not in {f.rule for f in analyse(frames, AS_OF)}


# --- statistics for the doctor, not in the patient's text (issue 10, item 20) ---------------------

P_VALUE = r"\bp\s*[=<>]"


def _assert_statistics_apart(flag: Flag) -> None:
    import re

    for text in (flag.title, flag.evidence, flag.guidance):
        assert not re.search(P_VALUE, text), text
    assert re.search(P_VALUE, flag.statistics), flag.statistics
    assert flag.p_value is not None and 0 <= flag.p_value < 0.05


def test_frequency_rising_keeps_its_p_value_out_of_the_evidence() -> None:
    flag = flags_of(RISING, logged())["frequency_rising"]
    _assert_statistics_apart(flag)
    assert "Mann–Kendall" in flag.statistics and "Poisson" in flag.statistics


def test_the_fallback_keeps_its_p_value_out_of_the_evidence() -> None:
    flag = _sparse(_step, _every_third)["frequency_rising"]
    _assert_statistics_apart(flag)
    assert "exact" in flag.statistics.lower()


def test_intensity_rising_keeps_its_p_value_out_of_the_evidence() -> None:
    _assert_statistics_apart(
        flags_of(strengths(_ramp, range(-41, 1)), logged())["intensity_rising"]
    )


def test_medication_onset_keeps_its_p_value_out_of_the_evidence() -> None:
    flag = flags_of(AFTER_START, logged(), medications=[medication(d(-20))])["medication_onset"]
    _assert_statistics_apart(flag)


def test_a_reviewed_trend_keeps_its_statistics() -> None:
    flag = flags_of(RISING, logged(), visits=[visit(d(-3))])["frequency_rising"]
    assert flag.severity == "info"
    _assert_statistics_apart(flag)


def test_intensity_rising_treats_unknown_intensity_as_missing_not_zero() -> None:
    ramp = strengths(_ramp, range(-41, 1))
    unknown = [ep(d(o), 1) for o in range(-13, 1)]  # 14 recent twitches, intensity not given
    frames = frames_of(ramp + unknown, logged())
    episodes = frames.episodes.astype({"intensity": "float64"})
    episodes.loc[episodes["id"].isin({e["id"] for e in unknown}), "intensity"] = float("nan")
    frames = Frames(episodes, frames.days, frames.medications, frames.visits, frames.profile)
    assert int(episodes["intensity"].isna().sum()) == 14
    flag = {f.rule: f for f in analyse(frames, AS_OF)}["intensity_rising"]
    # as 0 they would pull the recent median down below the +2 rise; as missing they change nothing
    assert flag.evidence == flags_of(ramp, logged())["intensity_rising"].evidence
