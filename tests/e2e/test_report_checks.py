"""The self-checks reach the doctor (issue 12): the demo diary's report has "Asked weekly" on
page 1 and a page with the strength and count charts; a diary without checks says none were
recorded and gets no empty chart."""

from __future__ import annotations

import struct
from pathlib import Path

from pypdf import PdfReader

from diary.report.check_content import NO_CHECKS
from tests.conftest import SCENARIOS

AS_OF = "2026-03-14"


def _squashed(text: str) -> str:
    return " ".join(text.split())


def _png_size(path: Path) -> tuple[int, int]:
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    return width, height


def _image_sizes(page: object) -> set[tuple[int, int]]:
    """The pixel sizes of the images drawn on a PDF page."""
    resources = page["/Resources"]  # type: ignore[index]
    images = resources.get("/XObject", {}) if "/XObject" in resources else {}
    sizes = set()
    for ref in images.values():
        image = ref.get_object()
        sizes.add((int(image["/Width"]), int(image["/Height"])))
    return sizes


def test_demo_report_shows_the_checks_and_their_charts(cli, tmp_path: Path) -> None:
    assert cli("demo", "--seed", "7", "--days", "120", "--end", AS_OF).code == 0
    assert cli("profile", "--onset", "2025-11-01").code == 0
    out, folder = tmp_path / "demo.pdf", tmp_path / "png"
    result = cli("report", "--as-of", AS_OF, "--out", str(out), "--png", str(folder))
    assert result.code == 0, result.err
    pages = PdfReader(out).pages
    first = _squashed(pages[0].extract_text() or "")
    assert "Asked weekly" in first
    assert "Twitching started around 1 Nov 2025. 13 weekly checks" in first
    assert "last check 14 Mar 2026" in first
    # the yeses of the later stretch come first, then every other sign with its noes
    assert first.index("twitching that has spread: yes on 2 of 13 checks (7 Mar, 14 Mar)") < (
        first.index("weakness: no on 13 of 13 checks")
    )
    assert "numbness: no on 13 of 13 checks" in first
    assert "Strength (13 checks, latest 14 Mar 2026): single-leg heel raises" in first
    assert "Timed twitch counts at rest: calf (left) 12 counts" in first

    names = {p.name for p in folder.iterdir()}
    assert {"strength.png", "counts.png"} <= names
    strength, counts = _png_size(folder / "strength.png"), _png_size(folder / "counts.png")
    assert strength != counts
    # the strength chart page: both charts drawn on one chart page of the PDF
    chart_pages = [i for i, page in enumerate(pages) if strength in _image_sizes(page)]
    assert len(chart_pages) == 1
    assert counts in _image_sizes(pages[chart_pages[0]])
    assert "Charts" in (pages[chart_pages[0]].extract_text() or "")


def test_a_diary_without_checks_says_none_were_recorded(cli, tmp_path: Path) -> None:
    assert cli("import", str(SCENARIOS / "S3")).code == 0
    folder = tmp_path / "png"
    out = tmp_path / "s3.pdf"
    result = cli("report", "--as-of", "2025-05-11", "--out", str(out), "--png", str(folder))
    assert result.code == 0, result.err
    first = _squashed(PdfReader(out).pages[0].extract_text() or "")
    assert "Asked weekly" in first and NO_CHECKS in first
    assert "Strength (" not in first and "Timed twitch counts" not in first
    assert not {"strength.png", "counts.png"} & {p.name for p in folder.iterdir()}
