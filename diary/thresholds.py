"""Every number the flag rules depend on, in one place so they can be reviewed against RULES.md.

The values are product defaults from ``shared/RULES.md``; the rule code refers to these names only,
so changing a default here changes it everywhere and nowhere else.
"""

from __future__ import annotations

#: A diary day starts at 04:00 local time: a 02:00 episode belongs to the previous evening.
DIARY_DAY_SHIFT_H = 4
#: Night = local 22:00–06:59 (or context ``during_sleep``).
NIGHT_START_H = 22
NIGHT_END_H = 7
#: A night is dated by the evening it began: local date of (t − 12 h), so 01:30 and 06:30 on the
#: 6th both belong to the night of the 5th, whose "next morning" is the day row of the 6th.
NIGHT_DATE_SHIFT_H = 12

#: Where a rule needs coverage, fewer logged days than this share of its window = not enough data.
MIN_COVERAGE = 0.60

# persistence (and the runs of short_post_exercise_burst)
RUN_SPLIT_GAP_DAYS = 7  # a new run starts where consecutive days are more than this apart
PERSISTENCE_MIN_SPAN_DAYS = 14  # calendar days covered, first and last included
PERSISTENCE_MIN_DISTINCT_DAYS = 6
PERSISTENCE_MAX_DAYS_SINCE_LAST = 7

# multiple_sites
MULTIPLE_SITES_WINDOW_DAYS = 14
MULTIPLE_SITES_MIN_LOCATIONS = 2
MULTIPLE_SITES_MIN_DAYS_EACH = 2

# new_region
NEW_REGION_MIN_HISTORY_DAYS = 28
NEW_REGION_WINDOW_DAYS = 28
NEW_REGION_MIN_DAYS = 2

# bilateral
BILATERAL_WINDOW_DAYS = 28
BILATERAL_MIN_DAYS_EACH_SIDE = 3

# bulbar_twitching
BULBAR_MIN_DAYS = 2

# sensory_symptoms
SENSORY_WINDOW_DAYS = 14
SENSORY_MIN_DAYS = 2

# urgent rules: an event this many days before as_of (or fewer) is current, and its guidance says
# "the same day"; an older one gets guidance for "if it is still present"
URGENT_CURRENT_DAYS = 1

# long_cramp / continuous_twitching
LONG_CRAMP_MIN_S = 10 * 60  # strictly longer than this
CONTINUOUS_TWITCH_MIN_S = 30 * 60  # this long or longer

# frequent_painful_cramps
PAINFUL_CRAMP_MIN_INTENSITY = 7
PAINFUL_CRAMP_WINDOW_DAYS = 7
PAINFUL_CRAMP_MIN_BAD_DAYS = 3

# unexplained_cramps (and the exercise used by short_post_exercise_burst)
UNEXPLAINED_CRAMPS_WINDOW_DAYS = 14
UNEXPLAINED_CRAMPS_MIN_DAYS = 4
EXERCISE_MIN_MINUTES = 60  # ≥ this many minutes, or intensity "vigorous"
EXERCISE_VIGOROUS = "vigorous"

# sleep_disruption
POOR_SLEEP_MAX_QUALITY = 2
SLEEP_DISRUPTION_WINDOW_DAYS = 7
SLEEP_DISRUPTION_MIN_NIGHTS = 3

# urge_to_move_pattern
URGE_MIN_EPISODES = 5
URGE_MIN_RELIEVED_SHARE = 0.80
URGE_MIN_EVENING_SHARE = 0.75
URGE_EVENING_START_H = 18  # 18:00 … 06:00 local, both ends included
URGE_EVENING_END_H = 6

# cold_trigger
COLD_MIN_DAYS = 3
COLD_MIN_NIGHT_SHARE = 0.50

# walking_pain
WALKING_PAIN_WINDOW_DAYS = 28
WALKING_PAIN_MIN_DAYS = 3

# short_post_exercise_burst
BURST_MAX_SPAN_DAYS = 3
BURST_MIN_DAYS_SINCE_END = 7
BURST_QUIET_BEFORE_DAYS = 28

# frequency_rising (looked at once a week: as_of and as_of − 7 d must both hold)
FREQUENCY_WINDOW_DAYS = 42
FREQUENCY_MIN_LOGGED_DAYS = 30
FREQUENCY_MIN_EPISODES = 20
FREQUENCY_HAC_LAGS = 7
FREQUENCY_MIN_WEEKLY_RATIO = 1.2
FREQUENCY_MIN_LOWER_BOUND = 1.05  # one-sided 95% lower bound of the weekly rate ratio
# With 24–41 logged days (never 42) and the main test not applicable: last 14 vs prior 14 days
FREQUENCY_FALLBACK_MIN_LOGGED_DAYS = 24
FREQUENCY_FALLBACK_DAYS = 14
FREQUENCY_FALLBACK_MIN_RATIO = 2.0
FREQUENCY_FALLBACK_P = 0.01
#: Mann–Kendall (Hamed–Rao) significance for frequency_rising and intensity_rising.
TREND_P = 0.05

# intensity_rising
INTENSITY_MIN_EPISODE_DAYS = 15
INTENSITY_MIN_SLOPE_PER_DAY = 0.05
INTENSITY_RECENT_DAYS = 14
INTENSITY_MIN_RISE = 2

# medication_onset
MEDICATION_WINDOW_DAYS = 28
MEDICATION_MIN_BASELINE_DAYS = 14
MEDICATION_MIN_EPISODES = 3
MEDICATION_MIN_EPISODE_DAYS = 3
MEDICATION_MIN_RATIO = 2.0
MEDICATION_P = 0.05

# factor associations
CAFFEINE_HIGH_MG = 400  # FDA: up to 400 mg a day for most healthy adults
SHORT_SLEEP_H = 7.0  # AASM: at least 7 hours for adults
HIGH_STRESS = 7
LOW_WATER_ML = 1600  # EFSA: about 2.0 l (women) to 2.5 l (men) a day, 80% from drinks
ASSOC_MIN_LOGGED_DAYS = 42
ASSOC_MIN_EPISODES = 20
ASSOC_MIN_DAYS_EACH = 7
ASSOC_MIN_WEEKS = 3
ASSOC_P = 0.05
ASSOC_MIN_RATIO = 1.5

# The weekly sign check (a "yes" is evidence of its symptom on the check's date)
#: A "yes" to twitching that has spread counts toward new_region when the check is this recent.
SIGN_SPREAD_WINDOW_DAYS = NEW_REGION_WINDOW_DAYS
#: Cramps that woke you: "yes" on this many checks in a row (answered, not skipped) ...
SIGN_NIGHT_CRAMPS_MIN_CHECKS = 2
#: ... each no more than this many days after the one before raise sleep_disruption.
SIGN_NIGHT_CRAMPS_MAX_GAP_DAYS = 14

# strength_change and "strength steady" (heel raises per side, heel and toe walks)
#: A side's baseline is the median of its first this many checks with a heel-raise count.
STRENGTH_BASELINE_CHECKS = 3
#: A fall of at least this share below a side's own baseline counts as a drop ...
STRENGTH_MIN_DROP = 0.25
#: ... and so does a gap between the sides of at least this share of the stronger side ...
STRENGTH_MIN_SIDE_GAP = 0.25
#: ... when it shows on this many checks after the baseline ...
STRENGTH_MIN_CHECKS = 2
#: ... the first and the last of them at least this many days apart.
STRENGTH_MIN_DAYS_APART = 7
#: "Strength steady": at least this many strength checks ...
STEADY_MIN_CHECKS = 4
#: ... spanning at least this many days (first to last) ...
STEADY_MIN_SPAN_DAYS = 21
#: ... the latest of them no older than this at the analysis date.
STEADY_MAX_DAYS_SINCE_LAST = 28

# timed twitch counts as frequency_rising's second series (twitches per minute, one place)
COUNT_WINDOW_DAYS = FREQUENCY_WINDOW_DAYS
COUNT_MIN_COUNTS = 6
COUNT_MIN_SPAN_DAYS = 21
#: The counts of the last this many days against those before them in the window ...
COUNT_RECENT_DAYS = 14
#: ... whose median they must reach at least this many times.
COUNT_MIN_RATIO = 1.5
