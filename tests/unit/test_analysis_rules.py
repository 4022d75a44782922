"""The flag rules against RULES.md: the shared example diaries, then one firing diary and one near
miss per rule, built in memory from the specification rather than from the code.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from diary.analysis.flags.interactions import RULES, analyse, evaluate
from diary.analysis.flags.model import Flag
from diary.analysis.frames import Frames, load_frames, make_frames

SCENARIOS = Path(__file__).parent.parent / "data" / "scenarios"
AS_OF = date(2025, 4, 30)


# --- builders -------------------------------------------------------------------------------------


def ep(
    when: str,
    site: str = "calf",
    side: str | None = "left",
    *,
    kind: str = "twitch",
    intensity: int = 3,
    duration_s: int = 5,
    symptoms: str = "",
    context: str = "",
    offset_min: int = 120,
) -> dict[str, Any]:
    """An episode row at local time ``when`` ('YYYY-MM-DD HH:MM') lived at ``offset_min``."""
    local = datetime.fromisoformat(when)
    utc = (local - timedelta(minutes=offset_min)).replace(tzinfo=UTC)
    return {
        "id": f"{when}-{site}-{side}-{kind}",
        "started_at_utc": utc,
        "utc_offset_min": offset_min,
        "body_site": site,
        "side": side,
        "intensity": intensity,
        "duration_s": duration_s,
        "kind": kind,
        "symptoms": symptoms,
        "context": context,
    }


def day(on: date | str, **values: Any) -> dict[str, Any]:
    """A logged day (``day`` row); unspecified numbers are missing."""
    return {"date": date.fromisoformat(on) if isinstance(on, str) else on, **values}


def d(offset: int) -> date:
    """The date ``offset`` days after AS_OF (negative = before)."""
    return AS_OF + timedelta(days=offset)


def at(offset: int, clock: str = "12:00") -> str:
    """Local time on day ``d(offset)``."""
    return f"{d(offset).isoformat()} {clock}"


def all_days(first: int = -60, last: int = 0, **values: Any) -> list[dict[str, Any]]:
    """A day row for every day from ``d(first)`` to ``d(last)``."""
    return [day(d(i), **values) for i in range(first, last + 1)]


def run(
    *,
    episodes: Sequence[dict[str, Any]] = (),
    days: Sequence[dict[str, Any]] | None = None,
    visits: Sequence[dict[str, Any]] = (),
    profile: dict[str, str] | None = None,
    as_of: date = AS_OF,
) -> dict[str, Flag]:
    """Analyse a diary (fully logged for 60 days unless ``days`` is given) -> rule: flag."""
    frames = make_frames(
        episodes=list(episodes),
        days=all_days() if days is None else days,
        visits=list(visits),
        profile=profile,
        as_of=as_of,
    )
    return {f.rule: f for f in analyse(frames, as_of)}


def severity(flags: dict[str, Flag], rule: str) -> str | None:
    """The severity a rule fired at, or None."""
    return flags[rule].severity if rule in flags else None


# --- the shared scenarios -------------------------------------------------------------------------


def _scenario(name: str, engine: Any) -> tuple[dict[str, Any], Frames]:
    from diary.csvio import import_path

    import_path(engine, SCENARIOS / name)
    expected = json.loads((SCENARIOS / name / "expected.json").read_text())
    return expected, load_frames(engine, date.fromisoformat(expected["as_of"]))


@pytest.mark.parametrize("name", ["S1", "S3", "S4", "S7"])
def test_scenario_must_fire(name: str, engine: Any) -> None:
    expected, frames = _scenario(name, engine)
    flags = {f.rule: f for f in analyse(frames, date.fromisoformat(expected["as_of"]))}
    must = expected["must"]
    assert {rule: severity(flags, rule) for rule in must} == must


@pytest.mark.parametrize("name", ["S1", "S3", "S4", "S7"])
def test_scenario_must_not_fire(name: str, engine: Any) -> None:
    expected, frames = _scenario(name, engine)
    flags = {f.rule for f in analyse(frames, date.fromisoformat(expected["as_of"]))}
    assert flags & set(expected["must_not"]) == set()


@pytest.mark.parametrize("name", ["S1", "S3", "S4", "S7"])
def test_scenario_max_severity_and_order(name: str, engine: Any) -> None:
    expected, frames = _scenario(name, engine)
    flags = analyse(frames, date.fromisoformat(expected["as_of"]))
    order = ["info", "discuss", "soon", "urgent"]
    ranks = [order.index(f.severity) for f in flags]
    assert ranks == sorted(ranks, reverse=True)
    assert all(r <= order.index(expected["max_severity"]) for r in ranks)
    assert len({f.rule for f in flags}) == len(flags)


def test_load_frames_from_a_path_matches_the_engine(engine: Any, db_path: Path) -> None:
    expected, frames = _scenario("S7", engine)
    from_path = load_frames(db_path, date.fromisoformat(expected["as_of"]))
    assert list(from_path.episodes["id"]) == list(frames.episodes["id"])
    assert list(from_path.days["date"]) == list(frames.days["date"])


# --- conventions ----------------------------------------------------------------------------------


def test_diary_day_is_local_time_minus_four_hours() -> None:
    frames = make_frames(
        episodes=[ep("2025-03-30 02:00", offset_min=60), ep("2025-03-30 05:00", offset_min=120)]
    )
    assert list(frames.episodes["diary_day"]) == [date(2025, 3, 29), date(2025, 3, 30)]
    assert list(frames.episodes["local_date"]) == [date(2025, 3, 30), date(2025, 3, 30)]


def test_night_kind_and_region_columns() -> None:
    frames = make_frames(
        episodes=[
            ep("2025-03-03 21:59", "tongue", "midline"),
            ep("2025-03-03 22:00", kind="jerk"),
            ep("2025-03-04 06:59", kind="cramp"),
            ep("2025-03-04 07:00", "eyelid", context="during_sleep"),
        ]
    )
    e = frames.episodes
    assert list(e["night"]) == [False, True, True, True]
    assert list(e["fc"]) == ["F", "F", "C", "F"]
    assert list(e["region"]) == ["bulbar", "lower_limb", "lower_limb", "eyelid"]
    assert e["context"].iloc[3] == frozenset({"during_sleep"})


def test_as_of_hides_everything_logged_later() -> None:
    frames = make_frames(
        episodes=[ep("2025-03-10 23:00"), ep("2025-03-11 01:00")],
        days=[day("2025-03-10"), day("2025-03-11")],
        visits=[{"id": "v", "date": "2025-03-11", "kind": "gp", "tests": "", "outcome": None}],
        medications=[
            {
                "id": "m",
                "name": "x",
                "drug_class": "statin",
                "dose": None,
                "started_on": "2025-03-11",
                "stopped_on": None,
            },
        ],
        as_of=date(2025, 3, 10),
    )
    assert len(frames.episodes) == 1
    assert list(frames.days["date"]) == [date(2025, 3, 10)]
    assert frames.visits.empty and frames.medications.empty


# --- persistence ----------------------------------------------------------------------------------


def test_persistence_fires_on_a_14_day_run_with_6_days() -> None:
    flags = run(episodes=[ep(at(i)) for i in (-13, -10, -8, -5, -2, 0)])
    assert severity(flags, "persistence") == "soon"
    assert flags["persistence"].first_date == d(-13)
    assert "disease" not in flags["persistence"].title.lower()


def test_persistence_needs_14_days_span() -> None:
    assert "persistence" not in run(episodes=[ep(at(i)) for i in (-12, -10, -8, -5, -2, 0)])


def test_persistence_needs_6_distinct_days() -> None:
    assert "persistence" not in run(episodes=[ep(at(i)) for i in (-13, -10, -5, -2, 0)])


def test_persistence_needs_a_recent_last_episode() -> None:
    days = (-21, -18, -16, -13, -10, -8)
    assert severity(run(episodes=[ep(at(i)) for i in days]), "persistence") is None
    assert severity(run(episodes=[ep(at(i + 1)) for i in days]), "persistence") == "soon"


def test_persistence_run_splits_on_a_gap_over_7_days() -> None:
    # -20 .. -12 then an 8-day gap: the latest run is -4 .. 0 only.
    episodes = [ep(at(i)) for i in (-20, -18, -16, -14, -12, -4, -2, 0)]
    assert "persistence" not in run(episodes=episodes)
    # a gap of exactly 7 keeps the run whole
    episodes = [ep(at(i)) for i in (-19, -18, -16, -14, -12, -5, -2, 0)]
    assert severity(run(episodes=episodes), "persistence") == "soon"


def test_persistence_counts_f_episodes_only() -> None:
    episodes = [ep(at(i), kind="cramp") for i in (-13, -10, -8, -5, -2, 0)]
    assert "persistence" not in run(episodes=episodes)


# --- multiple_sites / new_region / bilateral / bulbar -------------------------------------------


def test_multiple_sites_fires_on_two_locations_with_two_days_each() -> None:
    episodes = [ep(at(-10)), ep(at(-3)), ep(at(-9), side="right"), ep(at(-1), side="right")]
    assert severity(run(episodes=episodes), "multiple_sites") == "soon"


def test_multiple_sites_counts_a_site_without_side_as_its_own_location() -> None:
    episodes = [ep(at(-10)), ep(at(-3)), ep(at(-9), "back", None), ep(at(-1), "back", None)]
    flags = run(episodes=episodes)
    assert severity(flags, "multiple_sites") == "soon"
    assert (flags["multiple_sites"].first_date, flags["multiple_sites"].last_date) == (
        d(-10),
        d(-1),
    )


def test_multiple_sites_near_misses() -> None:
    one_day = [ep(at(-10)), ep(at(-3)), ep(at(-9), "hand"), ep(at(-9, "13:00"), "hand")]
    assert "multiple_sites" not in run(episodes=one_day)
    too_old = [ep(at(-14)), ep(at(-3)), ep(at(-9), "hand"), ep(at(-1), "hand")]
    assert "multiple_sites" not in run(episodes=too_old)


def test_new_region_fires_on_a_region_new_in_the_last_28_days() -> None:
    episodes = [ep(at(i)) for i in (-50, -40, -30)] + [ep(at(-20), "hand"), ep(at(-5), "hand")]
    assert severity(run(episodes=episodes), "new_region") == "discuss"


def test_new_region_near_misses() -> None:
    one_day = [ep(at(i)) for i in (-50, -40, -30)] + [ep(at(-5), "hand")]
    assert "new_region" not in run(episodes=one_day)
    seen_before = [ep(at(i)) for i in (-50, -40)] + [ep(at(i), "hand") for i in (-35, -20, -5)]
    assert "new_region" not in run(episodes=seen_before)
    short = [ep(at(-26)), ep(at(-20), "hand"), ep(at(-5), "hand")]
    assert "new_region" not in run(episodes=short, days=all_days(-26))


def test_new_region_reports_not_enough_data_when_history_is_thin() -> None:
    episodes = [ep(at(-50))] + [ep(at(-20), "hand"), ep(at(-5), "hand")]
    frames = make_frames(episodes=episodes, days=all_days(-27), as_of=AS_OF)
    result = evaluate(frames, AS_OF)
    assert "new_region" not in {f.rule for f in result.flags}
    assert [n.rule for n in result.not_enough_data] == ["new_region"]


def test_bilateral_fires_on_both_sides_three_days_each() -> None:
    episodes = [ep(at(i)) for i in (-20, -15, -10)] + [
        ep(at(i), side="right") for i in (-19, -14, -2)
    ]
    assert severity(run(episodes=episodes), "bilateral") == "info"


def test_bilateral_near_misses() -> None:
    two_right = [ep(at(i)) for i in (-20, -15, -10)] + [ep(at(i), side="right") for i in (-19, -2)]
    assert "bilateral" not in run(episodes=two_right)
    spread = [ep(at(i)) for i in (-40, -35, -30)] + [ep(at(i), side="right") for i in (-12, -5, 0)]
    assert "bilateral" not in run(episodes=spread)


def test_bulbar_twitching_on_two_days() -> None:
    assert (
        severity(run(episodes=[ep(at(-5), "tongue"), ep(at(-2), "jaw")]), "bulbar_twitching")
        == "soon"
    )
    same_day = [ep(at(-5), "tongue"), ep(at(-5, "18:00"), "tongue")]
    assert "bulbar_twitching" not in run(episodes=same_day)
    assert "bulbar_twitching" not in run(episodes=[ep(at(-5), "eyelid"), ep(at(-2), "face")])


# --- symptoms -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "word", ["seizure", "loss_of_consciousness", "breathlessness", "chest_pain"]
)
def test_emergency_symptoms_always_urgent(word: str) -> None:
    assert severity(run(episodes=[ep(at(-1), symptoms=word)]), "emergency_symptoms") == "urgent"


def test_emergency_fast_symptoms_sudden_or_unstated() -> None:
    assert (
        severity(run(days=[day(d(-1), symptoms="facial_droop")]), "emergency_symptoms") == "urgent"
    )
    sudden = run(episodes=[ep(at(-1), symptoms="slurred_speech;sudden_onset")])
    assert severity(sudden, "emergency_symptoms") == "urgent"


def test_gradual_speech_change_is_progressive_not_emergency() -> None:
    flags = run(episodes=[ep(at(-1), symptoms="difficulty_swallowing;gradual_onset")])
    assert "emergency_symptoms" not in flags
    assert severity(flags, "progressive_neuro_symptoms") == "soon"


@pytest.mark.parametrize(
    "word", ["difficulty_walking", "tripping_falls", "coordination_change", "hand_clumsiness"]
)
def test_progressive_neuro_symptoms(word: str) -> None:
    assert severity(run(days=[day(d(-3), symptoms=word)]), "progressive_neuro_symptoms") == "soon"


def test_no_symptoms_no_symptom_flags() -> None:
    flags = run(episodes=[ep(at(-1), symptoms="pain;tingling")])
    for rule in ("emergency_symptoms", "progressive_neuro_symptoms", "weakness", "muscle_loss"):
        assert rule not in flags


def test_weakness_and_muscle_loss_once() -> None:
    assert severity(run(days=[day(d(-3), symptoms="weakness")]), "weakness") == "soon"
    assert "weakness" not in run(days=[day(d(-3), symptoms="arm_weakness;gradual_onset")])
    assert severity(run(episodes=[ep(at(-9), symptoms="muscle_loss")]), "muscle_loss") == "soon"


def test_sensory_symptoms_same_limb_two_days_within_14() -> None:
    fires = [ep(at(-13), symptoms="numbness"), ep(at(0), symptoms="tingling")]
    assert severity(run(episodes=fires), "sensory_symptoms") == "soon"
    too_far = [ep(at(-14), symptoms="numbness"), ep(at(0), symptoms="tingling")]
    assert "sensory_symptoms" not in run(episodes=too_far)
    other_side = [ep(at(-3), symptoms="numbness"), ep(at(0), side="right", symptoms="numbness")]
    assert "sensory_symptoms" not in run(episodes=other_side)


def test_both_legs_or_bladder() -> None:
    legs = [
        ep(at(-2), symptoms="numbness"),
        ep(at(-2, "15:00"), "thigh", "right", symptoms="weakness"),
    ]
    assert severity(run(episodes=legs), "both_legs_or_bladder") == "urgent"
    apart = [ep(at(-2), symptoms="numbness"), ep(at(-1), "thigh", "right", symptoms="weakness")]
    assert "both_legs_or_bladder" not in run(episodes=apart)
    arms = [
        ep(at(-2), "hand", symptoms="numbness"),
        ep(at(-2), "hand", "right", symptoms="numbness"),
    ]
    assert "both_legs_or_bladder" not in run(episodes=arms)
    bladder = run(days=[day(d(-4), symptoms="bladder_bowel_change")])
    assert severity(bladder, "both_legs_or_bladder") == "urgent"


# --- cramps ---------------------------------------------------------------------------------------


def test_long_cramp_is_over_ten_minutes() -> None:
    assert (
        severity(run(episodes=[ep(at(-5), kind="cramp", duration_s=601)]), "long_cramp") == "urgent"
    )
    assert "long_cramp" not in run(episodes=[ep(at(-5), kind="cramp", duration_s=600)])
    assert "long_cramp" not in run(episodes=[ep(at(-5), kind="spasm", duration_s=900)])


def test_continuous_twitching_is_thirty_minutes_or_more() -> None:
    assert severity(run(episodes=[ep(at(-5), duration_s=1800)]), "continuous_twitching") == "soon"
    assert "continuous_twitching" not in run(episodes=[ep(at(-5), duration_s=1799)])
    assert "continuous_twitching" not in run(episodes=[ep(at(-5), kind="cramp", duration_s=1800)])


def test_swollen_red_calf() -> None:
    cramp = [ep(at(-1), kind="cramp", symptoms="swelling")]
    assert severity(run(episodes=cramp), "swollen_red_calf") == "urgent"
    painful = [ep(at(-1), "thigh", symptoms="redness_warmth;pain")]
    assert severity(run(episodes=painful), "swollen_red_calf") == "urgent"
    painless_twitch = [ep(at(-1), symptoms="swelling")]
    assert "swollen_red_calf" not in run(episodes=painless_twitch)
    shin = [ep(at(-1), "shin", kind="cramp", symptoms="swelling")]
    assert "swollen_red_calf" not in run(episodes=shin)


def _cramps(offsets: list[int], **kw: Any) -> list[dict[str, Any]]:
    return [ep(at(i, "15:00"), kind="cramp", **kw) for i in offsets]


def test_frequent_painful_cramps_two_consecutive_weeks() -> None:
    fires = _cramps([-13, -11, -9, -6, -4, -2], intensity=7)
    assert severity(run(episodes=fires), "frequent_painful_cramps") == "soon"
    by_sleep = _cramps([-13, -11, -9, -6, -4, -2], intensity=3, context="sleep_disrupted")
    assert severity(run(episodes=by_sleep), "frequent_painful_cramps") == "soon"
    one_short = _cramps([-13, -11, -9, -6, -4], intensity=7) + _cramps([-2], intensity=6)
    assert "frequent_painful_cramps" not in run(episodes=one_short)


def test_unexplained_cramps_four_days_within_14_without_exercise() -> None:
    cramps = _cramps([-13, -9, -5, 0])
    assert severity(run(episodes=cramps), "unexplained_cramps") == "discuss"
    days = all_days()
    days[60 - 6] = day(d(-6), exercise_min=45, exercise_intensity="vigorous")  # eve of d(-5)
    assert "unexplained_cramps" not in run(episodes=cramps, days=days)
    assert "unexplained_cramps" not in run(episodes=_cramps([-14, -9, -5, 0]))


def test_unexplained_cramps_not_enough_data_without_logged_days() -> None:
    frames = make_frames(episodes=_cramps([-13, -9, -5, 0]), days=[day(d(-30))], as_of=AS_OF)
    result = evaluate(frames, AS_OF)
    assert "unexplained_cramps" not in {f.rule for f in result.flags}
    assert [n.rule for n in result.not_enough_data] == ["unexplained_cramps"]


def test_walking_pain_three_days_within_28() -> None:
    ctx = "while_walking;relieved_by_rest"
    fires = _cramps([-27, -10, 0], context=ctx)
    assert severity(run(episodes=fires), "walking_pain") == "soon"
    assert "walking_pain" not in run(episodes=_cramps([-28, -10, 0], context=ctx))
    assert "walking_pain" not in run(episodes=_cramps([-20, -10, 0], context="while_walking"))
    pain = [ep(at(i), symptoms="pain", context=ctx) for i in (-20, -10, 0)]
    assert severity(run(episodes=pain), "walking_pain") == "soon"


# --- nights ---------------------------------------------------------------------------------------


def test_sleep_disruption_two_consecutive_weeks() -> None:
    nights = [ep(at(i, "02:00"), context="sleep_disrupted") for i in (-13, -11, -9, -6, -4, -2)]
    assert severity(run(episodes=nights), "sleep_disruption") == "soon"
    assert "sleep_disruption" not in run(episodes=nights[:-1])


def test_sleep_disruption_from_poor_sleep_the_next_morning() -> None:
    offsets = (-13, -11, -9, -6, -4, -2)
    nights = [ep(at(i, "23:00")) for i in offsets]
    days = [day(d(i), sleep_quality=2 if i - 1 in offsets else 4) for i in range(-30, 1)]
    assert severity(run(episodes=nights, days=days), "sleep_disruption") == "soon"
    days = [day(d(i), sleep_quality=3 if i - 1 in offsets else 4) for i in range(-30, 1)]
    assert "sleep_disruption" not in run(episodes=nights, days=days)


def test_cold_trigger_info_alone() -> None:
    cold = [ep(at(i, "23:00"), context="cold_exposure") for i in (-9, -5, -2)] + [
        ep(at(-1, "23:00"))
    ]
    assert severity(run(episodes=cold), "cold_trigger") == "info"
    two_days = [ep(at(i, "23:00"), context="cold_exposure") for i in (-5, -2)]
    assert "cold_trigger" not in run(episodes=two_days)
    mostly_warm = cold + [ep(at(i, "23:30")) for i in (-8, -7, -6)]
    assert "cold_trigger" not in run(episodes=mostly_warm)


def test_urge_to_move_pattern() -> None:
    ctx = "urge_to_move;relieved_by_movement"
    evening = [ep(at(i, "21:00"), context=ctx) for i in (-9, -7, -5, -3, -1)]
    assert severity(run(episodes=evening), "urge_to_move_pattern") == "discuss"
    assert "urge_to_move_pattern" not in run(episodes=evening[:4])
    daytime = evening[:3] + [ep(at(i, "14:00"), context=ctx) for i in (-2, -1)]
    assert "urge_to_move_pattern" not in run(episodes=daytime)
    unrelieved = evening[:3] + [ep(at(i, "21:00"), context="urge_to_move") for i in (-2, -1)]
    assert "urge_to_move_pattern" not in run(episodes=unrelieved)


# --- profile, reassurance, visits ----------------------------------------------------------------


def test_family_history_is_info_only() -> None:
    flags = run(profile={"family_history": "als"})
    assert severity(flags, "family_history") == "info"
    assert "family_history" not in run(profile={"name": "A"})


def _burst(start: int, span: int = 3) -> list[dict[str, Any]]:
    return [ep(at(start + i)) for i in range(span)]


def _exercise_days(on: int) -> list[dict[str, Any]]:
    days = all_days()
    days[60 + on] = day(d(on), exercise_min=90, exercise_intensity="moderate")
    return days


def test_short_post_exercise_burst_reassures() -> None:
    flags = run(episodes=_burst(-12), days=_exercise_days(-13))
    assert severity(flags, "short_post_exercise_burst") == "info"


def test_short_post_exercise_burst_near_misses() -> None:
    assert "short_post_exercise_burst" not in run(episodes=_burst(-12, 4), days=_exercise_days(-13))
    assert "short_post_exercise_burst" not in run(episodes=_burst(-12), days=_exercise_days(-14))
    assert "short_post_exercise_burst" not in run(episodes=_burst(-8), days=_exercise_days(-9))
    earlier = [ep(at(-35))] + _burst(-12)
    assert "short_post_exercise_burst" not in run(episodes=earlier, days=_exercise_days(-13))
    with_weakness = _burst(-12) + [ep(at(-11, "18:00"), symptoms="weakness")]
    assert "short_post_exercise_burst" not in run(episodes=with_weakness, days=_exercise_days(-13))
    # an info-only companion (family history) does not block it
    flags = run(episodes=_burst(-12), days=_exercise_days(-13), profile={"family_history": "ms"})
    assert severity(flags, "short_post_exercise_burst") == "info"


def _visit(offset: int) -> dict[str, Any]:
    return {"id": "v1", "date": d(offset), "kind": "gp", "tests": "", "outcome": None}


def test_visit_drops_reviewed_rules_to_info() -> None:
    episodes = [ep(at(i)) for i in (-13, -10, -8, -5, -2, 0)]
    flags = run(episodes=episodes, visits=[_visit(-4)])
    assert severity(flags, "persistence") == "info"
    assert "reviewed on" in flags["persistence"].title


def test_visit_after_as_of_is_not_seen() -> None:
    episodes = [ep(at(i)) for i in (-13, -10, -8, -5, -2, 0)]
    assert severity(run(episodes=episodes, visits=[_visit(1)]), "persistence") == "soon"


def test_new_symptom_after_visit_rearms() -> None:
    episodes = [ep(at(i)) for i in (-13, -10, -8, -5, -2)] + [ep(at(0), symptoms="numbness")]
    assert severity(run(episodes=episodes, visits=[_visit(-4)]), "persistence") == "soon"


def test_tingling_after_visit_does_not_rearm() -> None:
    episodes = [ep(at(i)) for i in (-13, -10, -8, -5, -2)] + [ep(at(0), symptoms="tingling")]
    assert severity(run(episodes=episodes, visits=[_visit(-4)]), "persistence") == "info"


def test_new_region_rearms_after_visit() -> None:
    episodes = [ep(at(i)) for i in range(-50, 1, 2)] + [ep(at(-3), "hand"), ep(at(-1), "hand")]
    flags = run(episodes=episodes, visits=[_visit(-10)])
    assert severity(flags, "new_region") == "discuss"
    assert severity(flags, "persistence") == "soon"


def test_flags_most_severe_first() -> None:
    episodes = [ep(at(i)) for i in (-13, -10, -8, -5, -2, 0)] + [
        ep(at(-1), kind="cramp", duration_s=900)
    ]
    flags = analyse(
        make_frames(
            episodes=episodes, days=all_days(), profile={"family_history": "ms"}, as_of=AS_OF
        ),
        AS_OF,
    )
    assert [f.rule for f in flags] == ["long_cramp", "persistence", "family_history"]


# --- the flag text is accurate and calm (issue 10, items 15, 17-20) -----------------------------

ISO_DATE = r"\d{4}-\d{2}-\d{2}"


def test_bilateral_evidence_window_ends_by_as_of_and_names_the_real_days() -> None:
    episodes = [ep(at(i)) for i in (-20, -15, -10)] + [
        ep(at(i), side="right") for i in (-19, -14, -2)
    ]
    flag = run(episodes=episodes)["bilateral"]
    import re

    dates = [date.fromisoformat(s) for s in re.findall(ISO_DATE, flag.evidence)]
    assert dates, flag.evidence  # the evidence does name its window
    assert max(dates) <= AS_OF, flag.evidence
    assert "24 days later" not in flag.evidence
    assert f"between {d(-20)} and {d(-2)}" in flag.evidence
    assert (flag.first_date, flag.last_date) == (d(-20), d(-2))


def test_bilateral_keeps_the_latest_window_when_an_older_one_also_qualifies() -> None:
    old = [ep(at(i)) for i in (-58, -55, -52)] + [ep(at(i), side="right") for i in (-57, -54, -51)]
    new = [ep(at(i)) for i in (-9, -6, -3)] + [ep(at(i), side="right") for i in (-8, -5, -1)]
    flag = run(episodes=old + new)["bilateral"]
    assert f"between {d(-9)} and {d(-1)}" in flag.evidence


def test_bilateral_title_spells_the_plural_of_the_site() -> None:
    calves = [ep(at(i)) for i in (-20, -15, -10)] + [
        ep(at(i), side="right") for i in (-19, -14, -2)
    ]
    assert run(episodes=calves)["bilateral"].title == "Twitching in both calves"
    feet = [{**e, "body_site": "foot", "id": e["id"] + "f"} for e in calves]
    assert run(episodes=feet)["bilateral"].title == "Twitching in both feet"
    arms = [{**e, "body_site": "upper_arm", "id": e["id"] + "a"} for e in calves]
    flag = run(episodes=arms)["bilateral"]
    assert flag.title == "Twitching in both upper arms"
    assert "upper_arm" not in flag.evidence


@pytest.mark.parametrize(
    ("seconds", "shown"), [(601, "10 min 1 s"), (660, "11 min"), (3725, "1 h 2 min 5 s")]
)
def test_long_cramp_duration_is_not_rounded_down(seconds: int, shown: str) -> None:
    flag = run(episodes=[ep(at(0), kind="cramp", duration_s=seconds)])["long_cramp"]
    assert f"longest {shown}" in flag.evidence, flag.evidence


def test_continuous_twitching_duration_is_exact() -> None:
    flag = run(episodes=[ep(at(0), duration_s=1859)])["continuous_twitching"]
    assert "longest 30 min 59 s" in flag.evidence, flag.evidence


def test_flag_text_shows_words_not_vocabulary_ids() -> None:
    flags = run(
        episodes=[
            ep(at(0), "thigh", symptoms="redness_warmth;pain"),
            ep(at(0, "13:00"), symptoms="loss_of_consciousness"),
            ep(at(-1), symptoms="muscle_loss"),
            ep(at(-50), "calf"),
            ep(at(-5), "tongue"),
            ep(at(-3), "tongue"),
        ],
        days=[*all_days(-60, -1), day(d(0), symptoms="bladder_bowel_change;tripping_falls")],
    )
    for rule in (
        "swollen_red_calf",
        "emergency_symptoms",
        "muscle_loss",
        "both_legs_or_bladder",
        "progressive_neuro_symptoms",
        "new_region",
    ):
        assert rule in flags, rule
    text = " ".join(f"{f.title} {f.evidence} {f.guidance}" for f in flags.values())
    assert "_" not in text, text
    assert "redness or warmth" in flags["swollen_red_calf"].evidence
    assert "bulbar" not in text
    assert "tongue, throat or jaw" in flags["new_region"].evidence


def test_not_enough_data_names_the_pattern_not_the_rule_id() -> None:
    frames = make_frames(episodes=_cramps([-13, -9, -5, 0]), days=[day(d(-30))], as_of=AS_OF)
    (note,) = evaluate(frames, AS_OF).not_enough_data
    assert note.rule == "unexplained_cramps"
    assert "unexplained_cramps" not in note.message and "_" not in note.message
    assert note.message.startswith("Cramps without an obvious cause: not enough data")


def test_a_reviewed_pattern_says_when_and_what_would_be_new() -> None:
    episodes = [ep(at(i)) for i in (-13, -10, -8, -5, -2, 0)]
    before = run(episodes=episodes)["persistence"]
    assert "see a doctor if" in before.guidance.lower()  # what the visit must replace
    flag = run(episodes=episodes, visits=[_visit(-4)])["persistence"]
    assert flag.severity == "info"
    assert "see a doctor" not in flag.guidance.lower()
    assert f"on {d(-4)}" in flag.guidance and "GP" in flag.guidance
    for new in ("new area", "weakness", "loss of muscle size", "numbness"):
        assert new in flag.guidance, new


def test_every_reviewed_rule_drops_its_see_a_doctor_guidance() -> None:
    episodes = [ep(at(i)) for i in (-13, -10, -8, -5, -2, 0)] + [
        ep(at(i), side="right") for i in (-12, -9, -3)
    ]
    flags = run(episodes=episodes, visits=[_visit(-1)])
    assert {"persistence", "multiple_sites", "bilateral"} <= set(flags)
    for rule in ("persistence", "multiple_sites", "bilateral"):
        assert flags[rule].severity == "info"
        assert "reviewed" in flags[rule].guidance.lower(), rule
        assert "see a doctor" not in flags[rule].guidance.lower(), rule


def test_urgent_guidance_for_today_says_get_help_today() -> None:
    flag = run(episodes=[ep(at(0), kind="cramp", duration_s=900)])["long_cramp"]
    assert "same day" in flag.guidance and "still" not in flag.guidance


@pytest.mark.parametrize(
    ("rule", "episode"),
    [
        ("long_cramp", ep(at(-5), kind="cramp", duration_s=900)),
        ("swollen_red_calf", ep(at(-5), kind="cramp", symptoms="swelling")),
        ("emergency_symptoms", ep(at(-5), symptoms="chest_pain")),
        ("both_legs_or_bladder", ep(at(-5), "back", None, symptoms="saddle_numbness")),
    ],
)
def test_urgent_guidance_for_an_event_days_ago_says_what_to_do_if_still_present(
    rule: str, episode: dict[str, Any]
) -> None:
    flag = run(episodes=[episode])[rule]
    assert flag.severity == "urgent" and flag.last_date == d(-5)
    assert "still" in flag.guidance, flag.guidance
    assert "today" not in flag.guidance and "same day for a" not in flag.guidance, flag.guidance
    assert str(d(-5)) in flag.guidance


def test_an_unknown_duration_is_missing_not_long_or_zero() -> None:
    from diary.guidance import episode_alerts

    assert (
        episode_alerts(kind="cramp", body_site="calf", side=None, duration_s=None, symptoms=())
        == []
    )
    long = episode_alerts(kind="cramp", body_site="calf", side=None, duration_s=601, symptoms=())
    assert [a.rule for a in long] == ["long_cramp"]


def test_rules_read_an_unknown_duration_or_intensity_as_missing() -> None:
    import numpy as np

    rows = [ep(at(i, "15:00"), kind="cramp", duration_s=900, intensity=8) for i in (-13, -11, -9)]
    rows += [ep(at(i, "15:00"), kind="cramp", intensity=8) for i in (-6, -4, -2)]
    rows += [ep(at(-1), duration_s=2000)]
    frames = make_frames(episodes=rows, days=all_days(), as_of=AS_OF)
    known = {f.rule for f in analyse(frames, AS_OF)}
    assert {"long_cramp", "continuous_twitching", "frequent_painful_cramps"} <= known
    unknown = frames.episodes.astype({"duration_s": "float64", "intensity": "float64"})
    unknown["duration_s"] = np.nan
    unknown["intensity"] = np.nan
    frames = Frames(unknown, frames.days, frames.medications, frames.visits, frames.profile)
    flags = {f.rule for f in analyse(frames, AS_OF)}
    assert not {"long_cramp", "continuous_twitching", "frequent_painful_cramps"} & flags


def test_every_rule_has_a_name_for_people() -> None:
    from diary.guidance import RULE_NAMES

    assert set(RULE_NAMES) == set(RULES)
    assert not any("_" in name for name in RULE_NAMES.values())


def test_every_body_site_has_a_spelled_plural() -> None:
    from diary import vocab, wording

    plurals = {site: wording.site_plural(site) for site in vocab.BODY_SITES}
    assert plurals["calf"] == "calves" and plurals["foot"] == "feet"
    assert plurals["upper_arm"] == "upper arms" and plurals["eyelid"] == "eyelids"
    assert not [p for p in plurals.values() if "_" in p or p.endswith(("fs", "oots"))]
