"""A realistic, seeded sample diary, so a newcomer sees every feature at once.

Months of mostly benign calf twitching (and an eyelid now and then) whose daily rate goes up on days
with a lot of caffeine and after short nights; a magnesium course and a GP visit with normal blood
tests; then, in the last weeks, a stretch that raises a few flags: twitching every day, a second and
a third place, and night cramps that break sleep. The same seed always gives the same diary (the
dates move with ``today``), with three months of weekly self-checks (warning signs, strength, a
one-minute count). Everything goes through the same validation as typed input.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete
from sqlmodel import select

from diary import vocab, when
from diary.db import checks, store
from diary.db.backups import backup_name, snapshot
from diary.db.check_models import SignCheckCreate, StrengthCheckCreate, TwitchCountCreate
from diary.db.models import (
    DayCreate,
    EpisodeCreate,
    MedicationCreate,
    VisitCreate,
    validate,
)
from diary.db.tables import ALL_TABLES
from diary.errors import InvalidValue, StoreError

MIN_DAYS, MAX_DAYS = 60, 3650
#: How many weeks back the weekly self-checks go (a few months of them, not years).
CHECK_WEEKS = 12
#: How many of the last days form the later stretch that raises flags.
STRETCH_DAYS = 24


def _moment(day: date, hour: int, minute: int, zone: tzinfo) -> datetime:
    naive = datetime(day.year, day.month, day.day, hour, minute)
    try:
        return when.localize(naive, zone)
    except InvalidValue:  # a clock change skipped or repeated that hour: an hour later exists once
        return when.localize(naive + timedelta(hours=1), zone)


def generate(*, days: int, seed: int, now: datetime) -> dict[str, list[dict[str, Any]]]:
    """The sample's rows (validated later), ending today (``now`` is aware: it carries the zone)."""
    rng = random.Random(seed)
    zone = now.tzinfo
    assert zone is not None
    today = now.date()
    start = today - timedelta(days=days - 1)
    stretch_start = today - timedelta(days=STRETCH_DAYS - 1)
    episodes: list[dict[str, Any]] = []
    day_rows: list[dict[str, Any]] = []
    stress = 4.0

    def episode(day: date, hour: int, **fields: Any) -> None:
        moment = _moment(day, hour, rng.randrange(60), zone)
        if moment > now:
            return
        episodes.append({"started_at": moment, **fields})

    for offset in range(days):
        day = start + timedelta(days=offset)
        in_stretch = day >= stretch_start
        caffeine = rng.choice([95, 190, 190, 285, 285, 450, 500]) if rng.random() < 0.95 else None
        sleep = rng.choice([5.5, 6.0, 6.5, 7.0, 7.5, 7.5, 8.0, 8.0, 8.5])
        stress = min(9.0, max(1.0, stress + rng.uniform(-1.2, 1.2)))
        exercise = rng.choice([0, 0, 20, 30, 45, 60, 90])
        logged = in_stretch or rng.random() < 0.9
        rate = 0.45 * (2.2 if caffeine and caffeine >= 400 else 1) * (1.8 if sleep < 7 else 1)
        if in_stretch:
            rate += 1.2
        count = sum(rng.random() < rate / 4 for _ in range(4)) + (1 if in_stretch else 0)
        for _ in range(count):
            eyelid = not in_stretch and rng.random() < 0.2
            hour = rng.randrange(8, 23)
            strength = rng.choice([2, 2, 3, 3, 3, 4]) + (1 if in_stretch else 0)
            # As people log: a flicker of the eyelid often without a strength, and some twitches
            # too short to time (stored as unknown, never guessed).
            episode(
                day,
                hour,
                body_site="eyelid" if eyelid else "calf",
                side="right" if eyelid else "left",
                intensity=None if eyelid else strength,
                duration_s=rng.choice([None, 5, 5, 10, 20, 30]),
                kind="twitch",
                context=rng.choice([[], ["rest"], ["sitting"], ["after_exercise"]]),
            )
        if in_stretch and (today - day).days < 14 and offset % 2 == 0:
            episode(
                day,
                rng.randrange(9, 21),
                body_site="thigh",
                side="right",
                intensity=3,
                duration_s=10,
                kind="twitch",
                context=["rest"],
            )
        if in_stretch and (today - day).days in (4, 9, 15):
            episode(
                day,
                19,
                body_site="forearm",
                side="left",
                intensity=2,
                duration_s=5,
                kind="twitch",
                context=["sitting"],
            )
        if in_stretch and (today - day).days < 14 and rng.random() < 0.55:
            episode(
                day,
                1,
                body_site="calf",
                side="left",
                intensity=rng.choice([5, 6, 7]),
                duration_s=rng.choice([60, 90, 120]),
                kind="cramp",
                context=["during_sleep", "sleep_disrupted"],
            )
        if logged:
            day_rows.append(
                {
                    "date": day,
                    "water_ml": rng.choice([1200, 1500, 1800, 2000, 2200, 2500]),
                    "caffeine_mg": caffeine,
                    "alcohol_units": rng.choice([0, 0, 0, 1, 2]),
                    "exercise_min": exercise,
                    "exercise_intensity": "none"
                    if exercise == 0
                    else rng.choice(["light", "moderate", "vigorous"]),
                    "sleep_h": sleep,
                    "sleep_quality": 2 if sleep < 6 else rng.choice([3, 3, 4, 4, 5]),
                    "stress": round(stress),
                }
            )
    medication_start = start + timedelta(days=min(30, days // 4))
    visit_day = start + timedelta(days=min(45, days // 3))
    return {
        "episodes": episodes,
        "days": day_rows,
        **_self_checks(rng, today=today, now=now, weeks=min(CHECK_WEEKS, (days - 1) // 7)),
        "medications": [
            {
                "name": "magnesium",
                "drug_class": "supplement",
                "dose": "300 mg daily",
                "started_on": medication_start,
                "note": "for the cramps, suggested by a pharmacist",
            }
        ],
        "visits": [
            {
                "date": visit_day,
                "kind": "gp",
                "tests": ["blood_test", "electrolytes", "thyroid"],
                "outcome": "bloods normal; likely benign, come back if it changes or spreads",
            }
        ],
    }


def _self_checks(
    rng: random.Random, *, today: date, now: datetime, weeks: int
) -> dict[str, list[dict[str, Any]]]:
    """A weekly warning-sign check, strength check and twitch count over the last ``weeks``.

    Every warning sign is answered no, except what the later stretch shows: cramps that woke the
    person and twitching in new places are answered yes there. Strength is steady on both sides
    (about 25 single-leg heel raises, the clinical standard), the walks pass, and the one-minute
    calf count stays around ten.
    """
    zone = now.tzinfo
    assert zone is not None
    stretch_start = today - timedelta(days=STRETCH_DAYS - 1)
    signs, strength, counts = [], [], []
    for back in range(weeks, -1, -1):
        day = today - timedelta(days=7 * back)
        recent = day >= stretch_start and (today - day).days < 14
        answers = {sign: "no" for sign in vocab.SIGNS}
        answers.update(dict.fromkeys(("night_cramps", "spreading"), "yes" if recent else "no"))
        signs.append({"date": day, **answers})
        strength.append(
            {
                "date": day,
                "heel_raises_left": rng.randint(23, 27),
                "heel_raises_right": rng.randint(24, 28),
                **dict.fromkeys(("heel_walk_left", "heel_walk_right"), "pass"),
                **dict.fromkeys(("toe_walk_left", "toe_walk_right"), "pass"),
                "chair_stands": rng.randint(14, 16),
            }
        )
        counted_at = _moment(day, 21, rng.randrange(60), zone)
        if counted_at <= now:
            counts.append(
                {
                    "counted_at": counted_at,
                    "body_site": "calf",
                    "side": "left",
                    "seconds": 60,
                    "twitches": rng.randint(7, 13),
                }
            )
    return {"sign_checks": signs, "strength_checks": strength, "twitch_counts": counts}


def fill(
    engine: Engine, *, days: int, seed: int, now: datetime, force: bool = False
) -> dict[str, Any]:
    """Write the sample in one transaction; refuse a diary in use unless ``force``.

    The in-use check, the backup of what is there and its replacement all happen inside one write
    transaction (``BEGIN IMMEDIATE``): a ``twitch log`` racing the demo waits for it, so its entry
    is either in the backup or written after the sample, never deleted unsaved in between.
    """
    rows = generate(days=days, seed=seed, now=now)
    episodes = [validate(EpisodeCreate, e) for e in rows["episodes"]]
    day_rows = [validate(DayCreate, d) for d in rows["days"]]
    meds = [validate(MedicationCreate, m) for m in rows["medications"]]
    visits = [validate(VisitCreate, v) for v in rows["visits"]]
    signs = [validate(SignCheckCreate, c) for c in rows["sign_checks"]]
    strength = [validate(StrengthCheckCreate, c) for c in rows["strength_checks"]]
    counts = [validate(TwitchCountCreate, c) for c in rows["twitch_counts"]]
    saved = None
    with store.write_session(engine) as session:
        in_use = any(session.exec(select(table).limit(1)).first() for table in ALL_TABLES)
        if in_use and not force:
            raise StoreError(
                "this diary already holds entries; use `twitch --db OTHER.sqlite3 demo` for a "
                "sample diary, or --force to replace these (a backup is written first)"
            )
        if in_use:  # copied on its own connection while this one holds the write lock
            path = Path(engine.url.database or "")
            saved = snapshot(path, backup_name(path, "before-demo"))
        for table in ALL_TABLES:
            session.exec(delete(table))
        for episode in episodes:
            store.add_episode(session=session, episode=episode)
        for day in day_rows:
            store.upsert_day(session=session, day=day, merge=False)
        for medication in meds:
            store.add_medication(session=session, medication=medication)
        for visit in visits:
            store.add_visit(session=session, visit=visit)
        for sign_check in signs:
            checks.add_sign_check(session=session, check=sign_check)
        for strength_check in strength:
            checks.add_strength_check(session=session, check=strength_check)
        for count in counts:
            checks.add_twitch_count(session=session, count=count)
        store.set_profile(session=session, entries={"name": "Sample Diary", "birth_year": "1988"})
    return {
        "episodes": len(episodes),
        "days": len(day_rows),
        "medications": len(meds),
        "visits": len(visits),
        "sign_checks": len(signs),
        "strength_checks": len(strength),
        "twitch_counts": len(counts),
        "backup": saved,
    }
