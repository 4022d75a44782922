"""What the report says when something was not given (issue 10, item 1's side of the report).

An intensity, a duration or a side the person did not give is unknown, not 3 or 0 s: the report
shows "—" in its rows and leaves it out of the median, read back from the PDF's text.
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime

import numpy as np
from pypdf import PdfReader

from diary.analysis.frames import make_frames
from diary.analysis.insights import Coverage, Insights
from diary.report.content import Period, build_content, quoted_guidance
from diary.report.pdf import build_pdf
from diary.report.text import dated, day_text
from diary.wording import UNKNOWN

AS_OF = date(2026, 3, 14)


def _episode(n: int, hour: int) -> dict[str, object]:
    return {
        "id": f"e{n}",
        "started_at_utc": datetime(2026, 3, 10, hour),
        "utc_offset_min": 60,
        "body_site": "calf",
        "side": "left",
        "intensity": 4,
        "duration_s": 30,
        "kind": "twitch",
        "symptoms": "",
        "context": "",
    }


def _insights_with_unknowns() -> Insights:
    frames = make_frames(episodes=[_episode(1, 9), _episode(2, 10)], as_of=AS_OF)
    episodes = frames.episodes.copy()
    # the second episode as `twitch log calf` stores it once unknown is allowed
    episodes["intensity"] = [4.0, np.nan]
    episodes["duration_s"] = [30.0, np.nan]
    episodes["side"] = ["left", None]
    frames = replace(frames, episodes=episodes)
    return Insights(AS_OF, Coverage(date(2026, 3, 10), 0, 5), [], [], [], frames)


def test_unknown_intensity_duration_and_side_show_as_a_dash() -> None:
    content = build_content(
        _insights_with_unknowns(),
        Period(date(2026, 3, 1), AS_OF),
        episode_notes={"e2": "woke me up"},
    )
    known, unknown = content.episode_rows
    assert known[2:6] == ["left", "twitch", "4", "30 s"]
    assert unknown[2:6] == [UNKNOWN, "twitch", UNKNOWN, UNKNOWN]
    assert unknown[-1] == "woke me up"
    assert "median intensity 4 (range 4–4; not given for 1)" in content.logged
    assert "calf (left) 50%" in content.logged and "calf (side not given) 50%" in content.logged
    pdf, _ = build_pdf(content, [])
    text = " ".join(
        " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages).split()
    )
    assert f"10 Mar 2026 11:00 calf {UNKNOWN} twitch {UNKNOWN} {UNKNOWN}" in text
    assert "not given for 1" in text


def test_one_date_style() -> None:
    assert day_text(date(2026, 3, 1)) == "1 Mar 2026"
    assert dated("first 2025-11-15, last 2026-03-14") == "first 15 Nov 2025, last 14 Mar 2026"
    assert dated("id 2026-13-45 stays") == "id 2026-13-45 stays"


def test_guidance_is_quoted_for_the_doctor() -> None:
    line = quoted_guidance("Guidance: see a doctor if it lasts.", "NHS")
    assert line == "Guidance shown to the patient (NHS): “See a doctor if it lasts.”"
    note = quoted_guidance("For your doctor: both sides.", "MedlinePlus")
    assert note == "Note shown to the patient (MedlinePlus): “Both sides.”"
    plain = quoted_guidance("Reviewed on 2026-02-20; new would be weakness.", "")
    assert plain == "Shown to the patient: “Reviewed on 20 Feb 2026; new would be weakness.”"
