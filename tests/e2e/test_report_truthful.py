"""The report fits the diary it comes from (issue 10, items 21, 24, 25 and the onset date).

Read from the PDF's extracted text, as a doctor's PDF viewer would show it: the period starts where
the diary's story starts (its first entry, or the onset date the patient gave), a week nobody
logged is not "0 episodes", pages with nothing to show are left out, page 1 names every site, the
sensory symptoms and the visit's note in one date style, the guidance is quoted as what the
patient was shown, and the doctor gets the p-values the patient's text leaves out.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from diary import wording
from tests.conftest import copy_diary, private_for_a_fixture, twitch_in_process
from tests.e2e.conftest import MadeReport

AS_OF = "2026-03-14"
SITES = ("calf", "thigh", "eyelid", "forearm", "foot")
VISIT_NOTE = "come back if it spreads to the other leg"
EPISODE_NOTE = "after a long run uphill"


def _pages(pdf: Path) -> list[str]:
    return [
        " ".join((p.extract_text() or "").replace("\xa0", " ").split())
        for p in PdfReader(pdf).pages
    ]


#: Two weeks from 1 Mar 2026: five sites, a tingling day, a visit with a note, a gap week.
TWO_WEEKS = [
    ["day", "2026-03-01", "--water", "1.5l"],
    ["day", "2026-03-02", "--water", "1.5l", "--symptom", "tingling"],
    ["log", "calf", "--side", "left", "--at", "2026-03-01 10:00", "--intensity", "3"],
    ["log", "calf", "--side", "left", "--at", "2026-03-02 10:00", "--intensity", "4"],
    ["log", "thigh", "--side", "right", "--at", "2026-03-02 11:00", "--intensity", "2"],
    ["log", "eyelid", "--side", "right", "--at", "2026-03-02 12:00", "--intensity", "2"],
    ["log", "forearm", "--side", "left", "--at", "2026-03-13 12:00", "--intensity", "2"],
    [
        "log", "foot", "--side", "left", "--at", "2026-03-13 18:00", "--intensity", "3",
        "--context", "after_exercise", "--note", EPISODE_NOTE,
    ],
    ["day", "2026-03-13", "--water", "2l"],
    ["visit", "add", "2026-03-05", "--kind", "gp", "--outcome", "normal", "--note", VISIT_NOTE],
]  # fmt: skip


@pytest.fixture(scope="module")
def two_weeks(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The ``TWO_WEEKS`` diary and the pages of its default report, made once for the tests that
    read them (a report costs seconds; none of them changes the diary)."""
    folder = tmp_path_factory.mktemp("two-weeks")
    db, pdf = folder / "diary" / "diary.sqlite3", folder / "r.pdf"
    (folder / "home").mkdir()
    with private_for_a_fixture(folder / "home"):
        for args in TWO_WEEKS:
            result = twitch_in_process(*args, db=db)
            assert result.returncode == 0, (args, result.stderr)
        made = twitch_in_process("report", "--as-of", AS_OF, "--out", str(pdf), db=db)
    assert made.returncode == 0, made.stderr
    return db, _pages(pdf)


def _s3_flags(s3_report: MadeReport) -> str:
    """``twitch flags --json`` on the S3 diary the report was made of, as of the report's day."""
    said = twitch_in_process("flags", "--as-of", s3_report.as_of, "--json", db=s3_report.db)
    assert said.returncode == 0, said.stderr
    return said.stdout


def _report(cli, out: Path, *args: str) -> list[str]:  # type: ignore[no-untyped-def]
    result = cli("report", "--as-of", AS_OF, "--out", str(out), *args)
    assert result.code == 0, result.err
    return _pages(out)


def test_default_period_starts_at_the_first_entry_or_the_earlier_onset(
    cli, two_weeks: tuple[Path, list[str]], db_path: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    shared, pages = two_weeks
    assert "Period 1 Mar 2026 – 14 Mar 2026 (from the diary's first entry)" in pages[0]
    assert "twitching started" not in pages[0]

    copy_diary(shared, db_path)  # the onset is given in a copy: the others read the original
    assert cli("profile", "--onset", "2026-02-20").code == 0
    pages = _report(cli, tmp_path / "b.pdf")
    assert "Period 20 Feb 2026 – 14 Mar 2026 (from the onset date)" in pages[0]
    assert "twitching started around 20 Feb 2026" in pages[0]
    assert "Logged 3 of 23 days" in pages[0]  # the days before the diary began were not logged
    weeks = " ".join(pages).split("Appendix B")[1]
    assert "20 Feb 2026 0/3 —" in weeks  # before the first entry: not logged, not 0 episodes


def test_a_week_without_check_in_or_episode_shows_a_dash(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for args in (
        ["day", "2026-02-02", "--water", "1l"],
        ["log", "calf", "--at", "2026-02-02 10:00"],
        ["day", "2026-02-23", "--water", "1l"],
    ):
        assert cli(*args).code == 0
    out = tmp_path / "r.pdf"
    pages = _report(cli, out, "--from", "2026-02-02", "--to", "2026-03-01")
    weeks = " ".join(pages).split("Appendix B")[1]
    assert "9 Feb 2026 – 22 Feb 2026 0/14 —" in weeks
    assert "23 Feb 2026 1/7 0 " in weeks  # checked in, nothing logged: a real 0


def test_pages_with_nothing_to_show_are_left_out(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("day").code == 0  # a diary with one check-in and no episode
    out = tmp_path / "empty.pdf"
    result = cli("report", "--out", str(out), "--png", str(tmp_path / "png"))
    assert result.code == 0, result.err
    pages = _pages(out)
    assert not any(p.startswith("Charts") for p in pages)
    assert len(pages) == 2, pages  # the summary and the appendix
    assert "No episodes in this period" in pages[1]
    assert sorted(p.name for p in (tmp_path / "png").iterdir()) == ["summary.png"]


def test_a_chart_of_not_enough_data_only_gets_no_page(s3_report: MadeReport) -> None:
    flags = json.loads(_s3_flags(s3_report))
    assert all(a["claim"] == "insufficient_data" for a in flags["associations"])
    reader = PdfReader(s3_report.pdf)
    chart_pages = [p for p in reader.pages if (p.extract_text() or "").startswith("Charts")]
    assert len(chart_pages) == 2
    assert sum(len(p.images) for p in chart_pages) == 4  # the factor chart is left out


def test_page_one_names_every_site_symptoms_and_the_visit_note(
    two_weeks: tuple[Path, list[str]],
) -> None:
    first = two_weeks[1][0]
    logged = first.split("What was logged:")[1].split("Patterns")[0]
    for site in SITES:
        assert wording.word(site) in logged, site
    assert "other" not in logged  # no unnamed remainder
    assert "calf (left) 33%" in logged and "thigh (right) 17%" in logged
    assert "Symptoms logged: tingling on 1 day." in first
    assert VISIT_NOTE in first
    assert "5 Mar 2026 GP — normal — note: come back" in first
    assert not re.search(r"\d{4}-\d{2}-\d{2}", first), "one date style on page 1"


def test_no_sensory_symptom_is_said_so(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("log", "calf", "--at", "2026-03-10 10:00", "--symptom", "pain").code == 0
    first = _report(cli, tmp_path / "r.pdf")[0]
    assert "Symptoms logged: pain on 1 day; no numbness or tingling." in first


def test_appendix_has_context_and_note_columns(two_weeks: tuple[Path, list[str]]) -> None:
    appendix = " ".join(two_weeks[1]).split("Appendix A")[1]
    assert "Date and time Site Side Kind Int. Duration Symptoms Context Note" in appendix
    row = appendix.split("13 Mar 2026 18:00")[1][:120]
    assert "foot left twitch 3" in row
    assert "after exercise" in row and "after a long run" in row
    assert not re.search(r"\d{4}-\d{2}-\d{2}", appendix), "one date style in the appendix"


def test_guidance_is_quoted_as_what_the_patient_was_shown(s3_report: MadeReport) -> None:
    flags = json.loads(_s3_flags(s3_report))["flags"]
    assert flags
    text = " ".join(_pages(s3_report.pdf))
    for flag in flags:
        body = flag["guidance"].split(":", 1)[1].strip() if ":" in flag["guidance"] else ""
        body = " ".join(body.split())
        assert f"shown to the patient ({flag['source']}): “{body[:1].upper()}{body[1:40]}" in text
    assert " Guidance: " not in text  # never as if the report itself advised the reader


def test_the_doctor_gets_the_p_values(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("demo", "--seed", "7", "--days", "120", "--end", AS_OF).code == 0
    data = json.loads(cli("flags", "--as-of", AS_OF, "--json").out)
    out = tmp_path / "demo.pdf"
    assert cli("report", "--as-of", AS_OF, "--out", str(out)).code == 0
    text = " ".join(_pages(out))
    statistics = text.split("Appendix C — statistics behind the patterns and factors")[1]
    tested = [a for a in data["associations"] if a["p_adjusted"] is not None]
    assert tested
    for association in tested:
        exposure = association["exposure"].replace(">=", "≥")
        assert f"{exposure}: rate ratio {association['rate_ratio']:.2f}" in statistics
    assert statistics.count("Holm-adjusted p") == len(tested)
    for flag in data["flags"]:
        if flag.get("statistics"):
            assert " ".join(flag["statistics"].split())[:60] in statistics


def test_what_was_not_given_shows_as_a_dash(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("log", "calf", "--at", "2026-03-10 10:00").code == 0  # no side, intensity, duration
    assert (
        cli("log", "calf", "--side", "left", "--intensity", "4", "--at", "2026-03-10 11:00").code
        == 0
    )
    pages = _report(cli, tmp_path / "r.pdf")
    assert "calf (side not given) 50%" in pages[0]
    assert "median intensity 4 (range 4–4; not given for 1)" in pages[0]
    appendix = " ".join(pages).split("Appendix A")[1]
    assert "10 Mar 2026 10:00 calf — twitch — —" in appendix
