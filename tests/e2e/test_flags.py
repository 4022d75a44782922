"""``twitch flags``, the at-entry guidance on ``log``/``day``, and ``twitch demo``, as a person runs them."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from diary import when
from diary.guidance import SEVERITY_RANK
from tests.conftest import SCENARIOS, table_dump, twitch_in_process

SCENARIO_NAMES = sorted(p.name for p in SCENARIOS.iterdir() if p.is_dir())
CONTRACT_FLAG_KEYS = [
    "rule",
    "severity",
    "title",
    "evidence",
    "guidance",
    "source",
    "first_date",
    "last_date",
]
#: After RULES.md's keys: the tests behind a statistical flag, for the doctor (None otherwise).
EXTRA_FLAG_KEYS = ["statistics", "p_value"]
P_VALUE = re.compile(r"\bp\s*[=<>]")


@pytest.mark.parametrize("scenario", SCENARIO_NAMES)
def test_shared_scenarios_give_exactly_their_expected_flags(cli, scenario: str) -> None:  # type: ignore[no-untyped-def]
    folder = SCENARIOS / scenario
    expected = json.loads((folder / "expected.json").read_text())
    assert cli("import", str(folder)).code == 0
    result = cli("flags", "--as-of", expected["as_of"], "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert list(data) == ["as_of", "coverage", "flags", "associations"]
    assert data["as_of"] == expected["as_of"]
    assert set(data["coverage"]) == {"first_day", "logged_days", "days"}
    fired = {f["rule"]: f["severity"] for f in data["flags"]}
    for flag in data["flags"]:
        assert list(flag) == CONTRACT_FLAG_KEYS + EXTRA_FLAG_KEYS
    for rule, severity in expected["must"].items():
        assert fired.get(rule) == severity, (rule, fired)
    for rule in expected["must_not"]:
        assert rule not in fired, rule
    claimed = {a["factor"] for a in data["associations"] if a["claim"] == "possible"}
    assert set(expected["associations_must"]) <= claimed
    assert not set(expected["associations_must_not"]) & claimed
    top = max((SEVERITY_RANK[s] for s in fired.values()), default=0)
    assert top <= SEVERITY_RANK[expected["max_severity"]]
    assert len(fired) == len(data["flags"]), "one flag per rule"


def test_flags_text_reads_calmly(cli) -> None:  # type: ignore[no-untyped-def]
    folder = SCENARIOS / "S4"
    cli("import", str(folder))
    text = cli("flags", "--as-of", "2025-04-27").out
    assert text.startswith("What your diary shows — as of Sun 27 Apr 2025")
    assert "not a diagnosis" in text
    assert "Book a doctor's appointment in the coming days" in text
    assert "More episodes since starting bendroflumethiazide" in text
    assert "Do not stop a prescribed medicine without medical advice." in text
    assert "Not enough data yet" in text
    assert "Logging: 56 of 56 days" in text
    # most severe first: the "soon" heading comes before the "discuss" one
    assert text.index("Book a doctor") < text.index("Worth discussing")


def test_empty_diary_and_as_of_before_anything(cli) -> None:  # type: ignore[no-untyped-def]
    text = cli("flags").out
    assert "No pattern that the guidance asks a doctor to look at." in text
    assert "Nothing logged yet" in text
    cli("import", str(SCENARIOS / "S3"))
    data = json.loads(cli("flags", "--as-of", "2025-01-01", "--json").out)
    assert data["flags"] == [] and data["coverage"]["logged_days"] == 0


def test_bad_as_of(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("flags", "--as-of", "soon")
    assert result.code == 2 and result.err.strip().count("\n") == 0
    assert "as_of must be a date like 2025-03-04" in result.err


@pytest.mark.parametrize(
    ("args", "rule_text"),
    [
        (["log", "calf", "--symptom", "chest_pain"], "needs immediate attention"),
        (["log", "calf", "--symptom", "slurred_speech"], "needs immediate attention"),
        (["log", "calf", "--kind", "cramp", "--duration", "11m"], "longer than 10 minutes"),
        (["log", "calf", "--kind", "cramp", "--symptom", "swelling"], "swollen, red or warm"),
        (["log", "back", "--symptom", "saddle_numbness"], "needs medical help today"),
        (["day", "--symptom", "seizure"], "needs immediate attention"),
    ],
)
def test_urgent_symptoms_show_guidance_at_once_and_are_stored(
    cli, db_path: Path, args: list[str], rule_text: str
) -> None:  # type: ignore[no-untyped-def]
    result = cli(*args)
    assert result.code == 0
    assert "Important — " in result.out and rule_text in result.out
    assert "Guidance:" in result.out and "Source:" in result.out
    dump = table_dump(db_path)
    assert dump["episode"] or dump["day"]


def test_gradual_speech_change_is_not_an_emergency_at_entry(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("log", "tongue", "--symptom", "slurred_speech", "--symptom", "gradual")
    assert result.code == 0 and "Important" not in result.out


def test_both_legs_fires_when_the_second_leg_is_logged(
    cli, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(
        when,
        "now_local",
        lambda zone=None: datetime(2025, 6, 1, 20, 0, tzinfo=ZoneInfo("Europe/Berlin")),
    )
    assert (
        "Important"
        not in cli("log", "calf", "--side", "left", "--symptom", "numbness", "--at", "-2h").out
    )
    second = cli("log", "thigh", "--side", "right", "--symptom", "weakness")
    assert "needs medical help today" in second.out
    assert "Important" not in cli("log", "calf", "--side", "left").out  # nothing new about legs


def test_ordinary_twitch_shows_no_alarm(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("log", "calf", "--symptom", "tingling")
    assert result.out.count("\n") == 1


def test_demo_fills_an_empty_diary_and_refuses_one_in_use(
    cli, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(
        when,
        "now_local",
        lambda zone=None: datetime(2025, 6, 1, 20, 0, tzinfo=ZoneInfo("Europe/Berlin")),
    )
    first = cli("demo", "--seed", "7")
    assert first.code == 0, first.err
    dump = table_dump(db_path)
    assert len(dump["episode"]) > 100 and len(dump["day"]) > 100
    assert len(dump["medication"]) == 1 and len(dump["visit"]) == 1
    refused = cli("demo")
    assert refused.code == 2 and "already holds entries" in refused.err
    assert table_dump(db_path) == dump
    flags = json.loads(cli("flags", "--json").out)
    rules = {f["rule"] for f in flags["flags"]}
    assert {"persistence", "multiple_sites", "new_region"} <= rules
    assert any(a["claim"] == "possible" for a in flags["associations"])
    # same seed, same diary (ids aside)
    replaced = cli("demo", "--seed", "7", "--force")
    assert replaced.code == 0 and "saved to" in replaced.out
    again = table_dump(db_path)
    # repr: unknown intensities and durations (None) do not order against numbers
    assert sorted((r[1:11] for r in again["episode"]), key=repr) == sorted(
        (r[1:11] for r in dump["episode"]), key=repr
    )
    assert list(db_path.parent.glob("*.bak-before-demo-*"))


def test_demo_bad_options(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("demo", "--days", "5")
    assert result.code == 2 and "days must be a whole number 60–3650" in result.err


def test_p_values_are_for_the_doctor_not_in_the_text(db_path: Path) -> None:
    assert twitch_in_process("import", str(SCENARIOS / "S3"), db=db_path).returncode == 0
    text = twitch_in_process("flags", "--as-of", "2025-05-11", db=db_path)
    assert text.returncode == 0, text.stderr
    assert "Twitches became more frequent" in text.stdout  # a statistical flag is shown …
    assert not P_VALUE.search(text.stdout), text.stdout  # … without its p-value
    data = json.loads(
        twitch_in_process("flags", "--as-of", "2025-05-11", "--json", db=db_path).stdout
    )
    stats = {f["rule"]: f for f in data["flags"]}
    for rule in ("frequency_rising", "intensity_rising"):
        assert P_VALUE.search(stats[rule]["statistics"]), stats[rule]
        assert not P_VALUE.search(stats[rule]["evidence"])
        assert 0 <= stats[rule]["p_value"] < 0.05
    assert stats["persistence"]["statistics"] is None and stats["persistence"]["p_value"] is None


def test_an_urgent_event_days_ago_is_not_sent_to_help_today(cli) -> None:  # type: ignore[no-untyped-def]
    logged = cli("log", "calf", "--kind", "cramp", "--duration", "15m", "--at", "2025-06-01 20:00")
    assert logged.code == 0, logged.err
    same_day = cli("flags", "--as-of", "2025-06-01").out
    assert "Get medical help today" in same_day and "the same day for a cramp" in same_day
    later = cli("flags", "--as-of", "2025-06-06").out
    assert "A cramp lasted longer than 10 minutes" in later
    assert "today" not in later.split("Patterns in your own records")[1], later
    assert "still present" in later and "the cramp was on 2025-06-01" in later


def test_logging_an_urgent_event_days_later_says_what_to_do_if_still_present(
    cli, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(
        when,
        "now_local",
        lambda zone=None: datetime(2025, 6, 6, 20, 0, tzinfo=ZoneInfo("Europe/Berlin")),
    )
    now = cli("log", "calf", "--kind", "cramp", "--duration", "15m")
    assert "needs medical advice today" in now.out and "the same day for a cramp" in now.out
    late = cli("log", "calf", "--kind", "cramp", "--duration", "15m", "--at", "2025-06-01 20:00")
    assert late.code == 0, late.err
    assert "Important — you logged a cramp that lasted longer than 10 minutes." in late.out
    assert "today" not in late.out and "still painful" in late.out, late.out
    day = cli("day", "2025-06-02", "--symptom", "chest_pain")
    assert day.code == 0, day.err
    assert "still present" in day.out and "today" not in day.out.split("Important")[1], day.out


def test_a_diary_of_weekly_checks_only_shows_their_flags_and_says_so(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("import", str(SCENARIOS / "C1-checks")).code == 0
    result = cli("flags", "--as-of", "2026-10-25")
    assert result.code == 0, result.err
    assert "Strength fell on your own checks" in result.out
    assert "yes on the weekly check of" in result.out
    assert "Only weekly checks so far." in result.out
    assert "Nothing logged yet" not in result.out
