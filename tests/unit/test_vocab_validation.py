"""The vocabularies and the validation rules: what people type, and what is stored."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from diary import validation, vocab
from diary.errors import InvalidValue
from diary.synonyms import SYNONYMS


def test_every_site_has_a_region_from_the_rules() -> None:
    assert set(vocab.SITE_REGIONS.values()) <= set(vocab.REGIONS)
    assert vocab.region_of("calf") == "lower_limb"
    assert vocab.region_of("tongue") == "bulbar"
    assert vocab.region_of("eyelid") == "eyelid"
    assert vocab.region_of("buttock") == "trunk"
    assert vocab.region_of("lip") == "head"
    assert vocab.region_of("finger") == "upper_limb"


@pytest.mark.parametrize(
    ("vocabulary", "typed", "canonical"),
    [
        ("kind", "fasciculation", "twitch"),
        ("kind", "Fasciculations", "twitch"),
        ("kind", "CRAMP", "cramp"),
        ("side", "L", "left"),
        ("side", "r", "right"),
        ("symptom", "tingly", "tingling"),
        ("symptom", "pins and needles", "tingling"),
        ("body_site", "Upper arm", "upper_arm"),
        ("body_site", "upper-arm", "upper_arm"),
        ("body_site", "calves", "calf"),
        ("context", "During Sleep", "during_sleep"),
        ("visit_kind", "GP", "gp"),
        ("test", "bloods", "blood_test"),
        ("family_history", "Multiple sclerosis", "ms"),
        ("family_history", "Huntington's", "huntingtons"),
        ("drug_class", "water pill", "diuretic"),
    ],
)
def test_synonyms_and_case_are_accepted(vocabulary: str, typed: str, canonical: str) -> None:
    assert vocab.lookup(vocabulary, typed) == canonical


@pytest.mark.parametrize("vocabulary", sorted(vocab.VOCABULARIES))
def test_every_canonical_word_maps_to_itself(vocabulary: str) -> None:
    for word in vocab.VOCABULARIES[vocabulary]:
        assert vocab.lookup(vocabulary, word.upper()) == word


def test_synonyms_point_at_real_words() -> None:
    for vocabulary, synonyms in SYNONYMS.items():
        for target in synonyms.values():
            assert target in vocab.VOCABULARIES[vocabulary]


def test_unknown_word_names_field_value_and_allowed() -> None:
    with pytest.raises(InvalidValue) as caught:
        validation.choice("kind", "kind", "itch")
    message = str(caught.value)
    assert message == "kind must be one of twitch, cramp, spasm, jerk, got 'itch'"


@pytest.mark.parametrize(
    ("vocabulary", "typed", "offered"),
    [
        ("body_site", "calff", "did you mean calf?"),
        ("body_site", "calvs", "did you mean calf?"),
        ("body_site", "elbow", "for example calf, eyelid, thigh, foot, hand, upper arm or other"),
        ("symptom", "tinglng", "did you mean tingling?"),
        ("symptom", "redness and warmth", "did you mean redness or warmth?"),
        ("context", "sleepin", "did you mean during sleep?"),
    ],
)
def test_an_unknown_word_of_a_long_list_offers_the_closest(
    vocabulary: str, typed: str, offered: str
) -> None:
    """Not all 25 sites: the close ones (misspelt, or a synonym misspelt), else a few common."""
    field = "site" if vocabulary == "body_site" else vocabulary
    with pytest.raises(InvalidValue) as caught:
        validation.choice(field, vocabulary, typed)
    message = str(caught.value)
    assert message.startswith(f"{field} {typed!r} is not a ")
    assert offered in message
    assert "`twitch log --help`" in message
    assert "_" not in message.replace("twitch log", "")  # no raw ids such as upper_arm
    assert message.count(",") <= 6 and "\n" not in message


def test_messages_show_words_not_ids_and_accept_them_back() -> None:
    with pytest.raises(InvalidValue) as caught:
        validation.choice("drug_class", "drug_class", "painkiller")
    assert "calcium channel blocker" in str(caught.value)
    assert "calcium_channel_blocker" not in str(caught.value)
    # what a message shows can be typed back
    assert vocab.lookup("symptom", "redness or warmth") == "redness_warmth"
    assert vocab.lookup("symptom", "loss of muscle size") == "muscle_loss"
    assert vocab.lookup("drug_class", "calcium channel blocker") == "calcium_channel_blocker"


def test_unknown_intensity_and_duration_are_none_not_a_default() -> None:
    assert validation.optional_intensity(None) is None
    assert validation.optional_intensity("") is None
    assert validation.optional_duration_s(None) is None
    assert validation.optional_duration_s(" ") is None
    assert validation.optional_duration_s("0") == 0  # a typed 0 s is kept
    assert validation.optional_intensity("3") == 3


@pytest.mark.parametrize(
    ("func", "typed", "question"),
    [
        (validation.water_ml, "2", "water '2' would be 2 ml: did you mean 2 l? Type 2l"),
        (validation.water_ml, "50", "water '50' would be 50 ml: give the unit: 50ml"),
        (
            validation.caffeine_mg,
            "3",
            "caffeine '3' would be 3 mg: did you mean 3 cups? Type 3cups",
        ),
        (validation.exercise_min, "1", "exercise '1' would be 1 min: did you mean 1 h? Type 1h"),
    ],
)
def test_implausible_bare_numbers_are_questioned(func, typed: str, question: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidValue) as caught:
        func(typed)
    assert str(caught.value).startswith(question)
    # with its unit the value is taken as typed; stored and imported numbers are never questioned
    unit = {"water": "ml", "caffeine": "mg", "exercise": "min"}[caught.value.field]
    assert func(f"{typed}{unit}") == int(typed)
    assert func(typed, question_bare=False) == int(typed)
    assert func("0") == 0  # none at all is plausible


@pytest.mark.parametrize(
    ("func", "typed", "value"),
    [
        (validation.water_ml, "2 litres", 2000),
        (validation.water_ml, "2 liters", 2000),
        (validation.water_ml, "2 L", 2000),
        (validation.water_ml, "1,5 l", 1500),
        (validation.exercise_min, "45 minutes", 45),
        (validation.exercise_min, "1 hour 30 minutes", 90),
        (validation.sleep_h, "6 hours", 6),
        (validation.duration_s, "2 minutes", 120),
        (validation.duration_s, "30 secs", 30),
    ],
)
def test_units_in_words(func, typed: str, value: float) -> None:  # type: ignore[no-untyped-def]
    assert func(typed) == value


@pytest.mark.parametrize(
    ("typed", "seconds"),
    [("45s", 45), ("2m", 120), ("1h30m", 5400), ("90", 90), (30, 30), ("0", 0), ("1.5m", 90)],
)
def test_durations(typed: object, seconds: int) -> None:
    assert validation.duration_s(typed) == seconds


@pytest.mark.parametrize("typed", ["-5s", "-1", "abc", "25h", "1x", "", True])
def test_bad_durations(typed: object) -> None:
    with pytest.raises(InvalidValue, match="^duration must be"):
        validation.duration_s(typed)


@pytest.mark.parametrize(("typed", "value"), [(1, 1), ("10", 10), ("4", 4), (7.0, 7)])
def test_intensity(typed: object, value: int) -> None:
    assert validation.intensity(typed) == value


@pytest.mark.parametrize("typed", [0, 11, 14, "4.5", "x", None, float("nan")])
def test_intensity_out_of_range(typed: object) -> None:
    with pytest.raises(InvalidValue, match="^intensity must be a whole number 1–10, got"):
        validation.intensity(typed)


def test_day_units() -> None:
    assert validation.water_ml("1.5l") == 1500
    assert validation.water_ml("1500ml") == 1500
    assert validation.water_ml("1500") == 1500
    assert validation.water_ml("") is None
    assert validation.caffeine_mg("200mg") == 200
    assert validation.caffeine_mg("2cups") == 2 * validation.MG_PER_CUP
    assert validation.caffeine_mg("2 cups") == 2 * validation.MG_PER_CUP
    assert validation.exercise_min("45m") == 45
    assert validation.exercise_min("1h30m") == 90
    assert validation.exercise_min("45") == 45
    assert validation.sleep_h("6.5h") == 6.5
    assert validation.sleep_h("6h30m") == 6.5
    assert validation.sleep_h("7") == 7
    assert validation.alcohol_units("2") == 2
    assert validation.stress("0") == 0
    assert validation.sleep_quality(None) is None


@pytest.mark.parametrize(
    ("func", "typed", "field"),
    [
        (validation.water_ml, "30l", "water"),
        (validation.water_ml, "1.5 gallons", "water"),
        (validation.caffeine_mg, "-1", "caffeine"),
        (validation.sleep_h, "25h", "sleep"),
        (validation.exercise_min, "25h", "exercise"),
        (validation.stress, "11", "stress"),
        (validation.sleep_quality, "0", "sleep_quality"),
        (validation.alcohol_units, "many", "alcohol"),
    ],
)
def test_day_values_out_of_range(func, typed: str, field: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidValue, match=f"^{field} must be"):
        func(typed)


def test_sets_are_canonical_and_ordered() -> None:
    assert validation.word_set("symptoms", "symptom", "Tingly; weakness") == "weakness;tingling"
    assert validation.word_set("symptoms", "symptom", ["numb", "numbness"]) == "numbness"
    assert validation.word_set("symptoms", "symptom", "") == ""
    with pytest.raises(InvalidValue, match="^symptoms 'itchy' is not a symptom"):
        validation.word_set("symptoms", "symptom", "weakness;itchy")


def test_start_in_the_future_is_refused() -> None:
    now = datetime(2025, 3, 4, 12, 0, tzinfo=UTC)
    assert validation.started_at(now + timedelta(minutes=4), now=now)
    with pytest.raises(InvalidValue, match="not in the future"):
        validation.started_at(now + timedelta(minutes=10), now=now)
    with pytest.raises(InvalidValue, match="UTC offset"):
        validation.started_at(datetime(2025, 3, 4, 12, 0), now=now)


def test_start_keeps_offset_and_drops_microseconds() -> None:
    moment = datetime(2025, 3, 4, 22, 15, 30, 999, tzinfo=timezone(timedelta(hours=1)))
    stored = validation.started_at(moment, now=moment + timedelta(days=1))
    assert stored.microsecond == 0
    assert stored.utcoffset() == timedelta(hours=1)


def test_course_cannot_stop_before_it_starts() -> None:
    validation.course_dates(date(2025, 3, 1), date(2025, 3, 1))
    with pytest.raises(InvalidValue, match="^stopped_on must be on or after"):
        validation.course_dates(date(2025, 3, 2), date(2025, 3, 1))


def test_notes_are_trimmed_and_limited() -> None:
    assert validation.text("note", "  hello \r\n world  ") == "hello \n world"
    assert validation.text("note", "   ") is None
    with pytest.raises(InvalidValue, match="at most"):
        validation.text("note", "x" * (validation.NOTE_MAX + 1))
    with pytest.raises(InvalidValue, match="control characters"):
        validation.text("note", "a\x00b")


@pytest.mark.parametrize(
    "hostile",
    ["a\u202eb", "a\u2066b", "a\u009bb", "a\u0085b", "a\x1bb", "a\x7fb", "a\u2028b"],
)
def test_terminal_controls_are_refused_in_notes_and_one_line_fields(hostile: str) -> None:
    if hostile != "a\u2028b":  # a line separator in a note is a line break
        with pytest.raises(InvalidValue, match="^note must be text without control characters"):
            validation.text("note", hostile)
    with pytest.raises(InvalidValue, match="^name must be one line of text without control"):
        validation.required_line("name", hostile)


def test_line_breaks_and_tabs_are_for_notes_only() -> None:
    assert validation.text("note", "one\ttwo\u2028three\r\nfour") == "one\ttwo\nthree\nfour"
    assert validation.line("dose", " 2.5 mg daily ") == "2.5 mg daily"
    for broken in ("2\nmg", "2\rmg", "2\tmg"):
        with pytest.raises(InvalidValue, match="^dose must be one line of text"):
            validation.line("dose", broken)


def test_printable_escapes_what_could_rewrite_a_terminal() -> None:
    from diary.errors import printable, printable_lines

    assert printable("Sam\u202e\u2066\x9b31m\x1b[2J\n\tx é 漢字") == (
        "Sam\\u202e\\u2066\\u009b31m\\u001b[2J\\n\\tx é 漢字"
    )
    assert printable_lines("a\n\tb\rc\u0085") == "a\n\tb\\rc\\u0085"


def test_dates_beyond_2100_are_refused_like_those_before_1900() -> None:
    with pytest.raises(InvalidValue, match="^started_on must be a date from 1900-01-01 to 2100"):
        validation.calendar_date("started_on", "2101-01-01")
    with pytest.raises(InvalidValue, match="^started_on must be a date from 1900-01-01 to 2100"):
        validation.calendar_date("started_on", "1899-12-31")
