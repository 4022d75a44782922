"""The flag rules fed by the self-checks: each fires on its pattern and stays quiet on a near miss.

A weekly "yes" is symptom evidence on the check's date, "not asked" is never "no", strength is
judged against each side's own baseline, and timed counts are frequency_rising's second series.
Every diary is built in memory at fixed dates; only the last test reads a real diary file.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from diary import thresholds as T
from diary.analysis.check_summary import sign_summary
from diary.analysis.flags.interactions import evaluate
from diary.analysis.flags.model import Flag
from diary.analysis.frames import load_frames, make_frames
from diary.db import checks
from diary.db.check_models import SignCheckCreate
from diary.db.models import validate
from diary.db.store import write_session
from tests.unit.test_analysis_rules import ep

AS_OF = date(2026, 11, 30)

# --- builders -------------------------------------------------------------------------------------


def d(offset: int) -> date:
    """The date ``offset`` days after AS_OF (negative = before)."""
    return AS_OF + timedelta(days=offset)


def sign(offset: int, **answers: int | None) -> dict[str, Any]:
    """A sign-check row on ``d(offset)``; signs left out are not asked (None)."""
    return {"date": d(offset), **answers}


def strength_row(
    offset: int, left: float | None = None, right: float | None = None, **walks: int | None
) -> dict[str, Any]:
    """A strength-check row: heel raises per side, walks as 1 pass / 0 fail (absent: not done)."""
    return {"date": d(offset), "heel_raises_left": left, "heel_raises_right": right, **walks}


def count(offset: int, twitches: int, side: str = "left") -> tuple[Any, ...]:
    """A one-minute calf count at 20:00 local (CET) on ``d(offset)``: per_minute = twitches."""
    utc = datetime.combine(d(offset), datetime.min.time()) + timedelta(hours=19)
    return (utc.isoformat() + "+00:00", 60, "calf", side, 60, twitches)


def flags(**rows: Any) -> dict[str, Flag]:
    """rule -> flag for the rows (make_frames keywords) analysed at AS_OF."""
    return {f.rule: f for f in evaluate(make_frames(**rows, as_of=AS_OF), AS_OF).flags}


def visit(offset: int) -> dict[str, Any]:
    """A GP visit on ``d(offset)``."""
    return {"id": "v1", "date": d(offset), "kind": "gp", "tests": "", "outcome": None}


# --- 1. a "yes" is symptom evidence on the check's date --------------------------------------------


@pytest.mark.parametrize(
    ("answer", "rule", "severity"),
    [
        ("weakness", "weakness", "soon"),
        ("muscle_loss", "muscle_loss", "soon"),
        # No onset is asked on the check: unstated onset counts as sudden, as for a logged symptom.
        ("slurred_speech", "emergency_symptoms", "urgent"),
        ("difficulty_swallowing", "emergency_symptoms", "urgent"),
        ("breathlessness", "emergency_symptoms", "urgent"),
        ("tripping_falls", "progressive_neuro_symptoms", "soon"),
        ("clumsiness", "progressive_neuro_symptoms", "soon"),
    ],
)
def test_a_yes_raises_its_symptom_flag(answer: str, rule: str, severity: str) -> None:
    found = flags(signs=[sign(-3, **{answer: 1})])
    assert set(found) == {rule}  # and nothing else (no progressive flag for an unstated onset)
    flag = found[rule]
    assert flag.severity == severity
    assert (flag.first_date, flag.last_date) == (d(-3), d(-3))
    assert f"weekly check of {d(-3)}" in flag.evidence  # says where the evidence came from


def test_a_yes_on_several_checks_names_them() -> None:
    flag = flags(signs=[sign(-10, weakness=1), sign(-3, weakness=1)])["weakness"]
    assert f"yes on 2 weekly checks, latest {d(-3)}" in flag.evidence
    assert (flag.first_date, flag.last_date) == (d(-10), d(-3))


@pytest.mark.parametrize("answer", ["numbness", "tingling"])
def test_numbness_or_tingling_yes_raises_no_flag_as_when_logged_on_a_day(answer: str) -> None:
    # sensory_symptoms reads episodes (a limb and a side); a check names neither, and a day row
    # with the same symptom raises nothing either: the check adds no alarm a day would not.
    assert flags(signs=[sign(-3, **{answer: 1})]) == {}
    assert flags(days=[{"date": d(-3), "symptoms": answer}]) == {}


@pytest.mark.parametrize("answer", ["weakness", "slurred_speech", "breathlessness", "clumsiness"])
@pytest.mark.parametrize("value", [0, None], ids=["no", "not_asked"])
def test_a_no_or_not_asked_raises_nothing(answer: str, value: int | None) -> None:
    assert flags(signs=[sign(-3, **{answer: value}, tingling=0)]) == {}


def test_not_asked_is_counted_apart_from_no() -> None:
    frames = make_frames(
        signs=[sign(-14, weakness=1), sign(-7, weakness=0), sign(-3, tingling=0)], as_of=AS_OF
    )
    weakness = {a.sign: a for a in sign_summary(frames.checks.signs).answers}["weakness"]
    assert (weakness.yes, weakness.no, weakness.not_asked) == (1, 1, 1)
    assert weakness.yes_dates == (d(-14),)


# --- 2. the same guidance as a logged symptom ------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "symptom", "rule"),
    [
        ("weakness", "weakness", "weakness"),
        ("muscle_loss", "muscle_loss", "muscle_loss"),
        ("clumsiness", "hand_clumsiness", "progressive_neuro_symptoms"),
        ("slurred_speech", "slurred_speech", "emergency_symptoms"),
        ("breathlessness", "breathlessness", "emergency_symptoms"),
    ],
)
@pytest.mark.parametrize("offset", [0, -5], ids=["today", "days_ago"])
def test_guidance_is_that_of_the_logged_symptom(
    answer: str, symptom: str, rule: str, offset: int
) -> None:
    # days ago matters for urgent flags: their guidance becomes "if it is still present".
    checked = flags(signs=[sign(offset, **{answer: 1})])[rule]
    logged = flags(days=[{"date": d(offset), "symptoms": symptom}])[rule]
    assert checked.guidance == logged.guidance
    assert (checked.severity, checked.source) == (logged.severity, logged.source)


# --- 3. a "yes" after a doctor's visit re-arms the reviewed patterns -------------------------------

PERSISTENT = [ep(f"{d(i)} 12:00") for i in (-13, -10, -8, -5, -2, 0)]  # persistence: soon


@pytest.mark.parametrize(
    ("check", "expected"),
    [
        (sign(-1, weakness=1), "soon"),  # new weakness after the visit: counts again
        (sign(-1, numbness=1), "soon"),  # numbness re-arms, though it raises no flag itself
        (sign(-1, weakness=0), "info"),  # a "no" is nothing new
        (sign(-1, weakness=None, tingling=1), "info"),  # tingling does not re-arm (as logged)
        (sign(-4, weakness=1), "info"),  # on the visit day itself: the doctor saw it
    ],
    ids=["weakness_yes", "numbness_yes", "no", "tingling_yes", "yes_on_visit_day"],
)
def test_a_yes_after_a_visit_rearms_review(check: dict[str, Any], expected: str) -> None:
    found = flags(episodes=PERSISTENT, visits=[visit(-4)], signs=[check])
    assert found["persistence"].severity == expected


# --- 4. spreading: new_region --------------------------------------------------------------------


def test_spreading_yes_in_the_window_raises_new_region() -> None:
    offset = -(T.SIGN_SPREAD_WINDOW_DAYS - 1)  # the window's first day
    flag = flags(signs=[sign(offset, spreading=1)])["new_region"]
    assert flag.severity == "discuss"
    assert f"weekly check of {d(offset)}" in flag.evidence
    assert (flag.first_date, flag.last_date) == (d(offset), d(offset))


def test_spreading_yes_a_day_before_the_window_does_not() -> None:
    assert flags(signs=[sign(-T.SIGN_SPREAD_WINDOW_DAYS, spreading=1)]) == {}
    assert flags(signs=[sign(-1, spreading=0)]) == {}


# --- 5. night cramps on consecutive checks: sleep_disruption -------------------------------------

GAP = T.SIGN_NIGHT_CRAMPS_MAX_GAP_DAYS


@pytest.mark.parametrize(
    "rows",
    [
        [sign(-GAP, night_cramps=1), sign(0, night_cramps=1)],
        # A check that did not ask is skipped, not a break in the run.
        [sign(-GAP, night_cramps=1), sign(-GAP // 2, weakness=0), sign(0, night_cramps=1)],
    ],
    ids=["max_gap", "not_asked_between"],
)
def test_night_cramps_on_consecutive_checks_raise_sleep_disruption(
    rows: list[dict[str, Any]],
) -> None:
    flag = flags(signs=rows)["sleep_disruption"]
    assert flag.severity == "soon"
    assert (flag.first_date, flag.last_date) == (d(-GAP), d(0))
    assert "cramps that woke you: yes on 2 weekly checks" in flag.evidence


@pytest.mark.parametrize(
    "rows",
    [
        [sign(-GAP - 1, night_cramps=1), sign(0, night_cramps=1)],
        [sign(-14, night_cramps=1), sign(-7, night_cramps=0), sign(0, night_cramps=1)],
        [sign(0, night_cramps=1)],
    ],
    ids=["gap_too_long", "yes_no_yes", "single_yes"],
)
def test_night_cramps_near_misses(rows: list[dict[str, Any]]) -> None:
    assert "sleep_disruption" not in flags(signs=rows)


# --- 6. strength_change --------------------------------------------------------------------------

BASE = 20.0
DROPPED = BASE * (1 - T.STRENGTH_MIN_DROP)  # exactly 25% below: counts
NEARLY = BASE * (1 - T.STRENGTH_MIN_DROP + 0.01)  # 24% below: does not
APART = T.STRENGTH_MIN_DAYS_APART
BASELINE = [strength_row(o, BASE, BASE) for o in (-42, -35, -28)]


def test_one_side_below_its_baseline_on_two_checks_a_week_apart() -> None:
    rows = [*BASELINE, strength_row(-7, DROPPED, BASE), strength_row(-7 + APART, DROPPED, BASE)]
    flag = flags(strength=rows)["strength_change"]
    assert flag.severity == "soon"
    assert "left heel raises 15 on" in flag.evidence and "baseline of 20" in flag.evidence
    assert "right heel raises 20 on" not in flag.evidence  # the right side held
    assert (flag.first_date, flag.last_date) == (d(-7), d(-7 + APART))


@pytest.mark.parametrize(
    "rows",
    [
        [*BASELINE, strength_row(-14, NEARLY, BASE), strength_row(0, NEARLY, BASE)],
        [*BASELINE, strength_row(-6, DROPPED, BASE), strength_row(-6 + APART - 1, DROPPED, BASE)],
        [*BASELINE, strength_row(-14, BASE, BASE), strength_row(0, DROPPED, BASE)],
        # The third check is part of the baseline, so only one low check is left after it.
        [strength_row(o, v) for o, v in ((-28, BASE), (-21, BASE), (-14, 10), (0, 10))],
        [strength_row(-14, BASE), strength_row(0, 5)],  # two checks: no baseline at all
        [strength_row(o, 26, 19) for o in (-42, -35, -28, -7, 0)],  # apart from the start
        # Walks: never passed = nothing lost; not done (None) is never a failure.
        [strength_row(o, toe_walk_left=v) for o, v in ((-21, 0), (-14, 0), (-7, 1))],
        [strength_row(o, toe_walk_left=v) for o, v in ((-21, 1), (-14, None), (-7, None))],
        [strength_row(o, toe_walk_left=v) for o, v in ((-21, None), (-14, 1), (-7, None))],
    ],
    ids=["24_pct", "6_days", "one_low", "3rd_is_base", "2_checks", "apart_at_base"]
    + ["walk_never_passed", "walk_none_after", "walk_none_first"],
)
def test_strength_change_near_misses(rows: list[dict[str, Any]]) -> None:
    assert "strength_change" not in flags(strength=rows)


def test_sides_drifting_apart() -> None:
    # Left a little up, right a little down: neither side drops 25%, yet they are 27% apart.
    rows = [*BASELINE, strength_row(-7, 26, 19), strength_row(0, 26, 19)]
    flag = flags(strength=rows)["strength_change"]
    assert "left vs right heel raises 26 vs 19" in flag.evidence
    assert "at baseline 20 vs 20" in flag.evidence


def test_a_walk_failing_after_passing() -> None:
    rows = [
        strength_row(-21, heel_walk_left=1, toe_walk_right=1),
        strength_row(-14, heel_walk_left=1),
        strength_row(-7, heel_walk_left=0),
    ]
    flag = flags(strength=rows)["strength_change"]
    assert f"heel walk on the left failed on {d(-7)} after passing on {d(-21)}" in flag.evidence
    assert (flag.first_date, flag.last_date) == (d(-7), d(-7))


# --- 7. strength_steady --------------------------------------------------------------------------

STEADY = (-T.STEADY_MIN_SPAN_DAYS, -14, -7, 0)


@pytest.mark.parametrize("shift", [0, -T.STEADY_MAX_DAYS_SINCE_LAST], ids=["today", "28_days_ago"])
def test_strength_steady_fires_on_unchanged_checks(shift: int) -> None:
    rows = [strength_row(o + shift, BASE, BASE) for o in STEADY]
    flag = flags(strength=rows)["strength_steady"]
    assert flag.severity == "info"
    assert "4 strength checks" in flag.evidence and "left 20–20" in flag.evidence
    assert (flag.first_date, flag.last_date) == (d(STEADY[0] + shift), d(shift))


@pytest.mark.parametrize(
    "offsets",
    [
        (-T.STEADY_MIN_SPAN_DAYS, -7, 0),
        (-T.STEADY_MIN_SPAN_DAYS + 1, -14, -7, 0),
        tuple(o - T.STEADY_MAX_DAYS_SINCE_LAST - 1 for o in STEADY),
    ],
    ids=["three_checks", "span_20_days", "latest_29_days_ago"],
)
def test_strength_steady_near_misses(offsets: tuple[int, ...]) -> None:
    assert flags(strength=[strength_row(o, BASE, BASE) for o in offsets]) == {}


def test_no_steady_beside_a_change() -> None:
    rows = [*BASELINE, strength_row(-7, DROPPED, BASE), strength_row(0, DROPPED, BASE)]
    assert set(flags(strength=rows)) == {"strength_change"}


@pytest.mark.parametrize(
    ("left", "right"), [(DROPPED, BASE), (BASE, DROPPED)], ids=["one_low_check", "sides_apart_once"]
)
def test_one_check_showing_a_change_is_neither_a_change_nor_steady(left: int, right: int) -> None:
    # One low check is not yet a change (it must show twice, a week apart), but "steady" would
    # not be true either: both stay silent until the next check tells.
    rows = [*BASELINE, strength_row(-7, BASE, BASE), strength_row(0, left, right)]
    assert flags(strength=rows) == {}


def test_steady_never_claims_a_walk_passed_that_always_failed() -> None:
    rows = [strength_row(o, BASE, BASE, heel_walk_left=0) for o in STEADY]
    flag = flags(strength=rows)["strength_steady"]
    assert "passed 0 of 4 times" in flag.evidence
    assert "all 0" not in flag.evidence and "every" not in flag.evidence


# --- 8. frequency_rising from timed counts -------------------------------------------------------

DAYS = (-40, -35, -30, -25, -20, -10, -5, 0)  # five before the last 14 days, three in them


def counts(offsets: tuple[int, ...], values: tuple[int, ...], **kw: Any) -> list[tuple[Any, ...]]:
    """One count per offset, of ``values`` twitches in a minute."""
    return [count(o, n, **kw) for o, n in zip(offsets, values, strict=True)]


RISING = counts(DAYS, (8, 9, 10, 11, 12, 13, 15, 17))  # median 15 in the last 14 days, 10 before


def test_rising_counts_raise_frequency_rising() -> None:
    flag = flags(counts=RISING)["frequency_rising"]
    assert flag.severity == "discuss"
    assert flag.title == "Your timed twitch counts rose"
    assert "timed counts in the calf (left)" in flag.evidence.lower()
    assert "median 15 a minute in the last 14 days against 10 before (1.5×)" in flag.evidence
    assert "Mann–Kendall" in flag.statistics
    assert flag.p_value is not None and flag.p_value < T.TREND_P
    assert (flag.first_date, flag.last_date) == (d(-40), AS_OF)


@pytest.mark.parametrize(
    "rows",
    [
        # Each fails one condition only: with it relaxed, the same counts would rise.
        counts(DAYS, (8, 9, 10, 11, 12, 13, 14, 15)),  # 1.4×, though the trend is significant
        counts(DAYS, (10,) * 8),  # flat
        counts(DAYS[3:], (8, 10, 12, 20, 30)),  # 5 counts
        counts((-20, -18, -16, -14, -7, 0), (8, 9, 10, 20, 25, 30)),  # span 20 days
        # 4 + 4 counts of two places: each too few, though together they would rise
        counts(DAYS[::2], (8, 10, 12, 25), side="right") + counts(DAYS[1::2], (9, 11, 20, 30)),
    ],
    ids=["ratio_1_4", "flat", "five_counts", "span_20_days", "two_places"],
)
def test_count_near_misses(rows: list[tuple[Any, ...]]) -> None:
    assert "frequency_rising" not in flags(counts=rows)


def test_counts_are_added_to_a_rise_in_the_episodes() -> None:
    # About 2 twitches a day growing 30% a week for 60 logged days: the episodes alone rise.
    per_day = {o: round(2 * 1.3 ** ((o + 59) / 7)) for o in range(-59, 1)}
    episodes = [ep(f"{d(o)} 12:{n:02d}") for o, k in per_day.items() for n in range(k)]
    days = [{"date": d(o), "symptoms": ""} for o in range(-59, 1)]
    alone = flags(episodes=episodes, days=days)["frequency_rising"]
    assert "timed counts" not in alone.evidence
    flag = flags(episodes=episodes, days=days, counts=RISING)["frequency_rising"]
    assert flag.evidence.startswith(alone.evidence)
    assert "Also timed counts in the calf (left)" in flag.evidence
    assert flag.statistics.startswith(alone.statistics) and "timed counts" in flag.statistics


# --- 9. frames read from a real diary carry the checks -------------------------------------------


def test_load_frames_reads_the_checks_cut_at_as_of(engine: Engine, db_path: Path) -> None:
    with write_session(engine) as session:
        for on, weakness in ((d(-7), "yes"), (d(1), "no")):  # the second is after as_of
            checks.add_sign_check(
                session=session,
                check=validate(SignCheckCreate, {"date": on.isoformat(), "weakness": weakness}),
            )
    frames = load_frames(db_path, AS_OF)
    signs = frames.checks.signs
    assert [t.date() for t in signs["date"]] == [d(-7)]
    assert bool(signs.loc[0, "weakness"]) is True
    assert signs["tingling"].isna().all()  # not asked stays missing, never "no"
    assert "weakness" in {f.rule for f in evaluate(frames, AS_OF).flags}
    later = load_frames(db_path, d(1)).checks.signs
    assert [t.date() for t in later["date"]] == [d(-7), d(1)]
