"""Names and medicines in Chinese, Japanese, Korean and Arabic reach the doctor as they were typed.

Before: CJK characters vanished (DejaVu has none), and Arabic was drawn letter by letter, left to
right and unjoined. Now fallback fonts draw them, Arabic is shaped and laid right to left inside the
English lines, and a character no font has is named in one line on stderr.
"""

from __future__ import annotations

from pathlib import Path
from subprocess import CompletedProcess

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from tests.conftest import private_for_a_fixture, twitch_in_process

NAME = "山田 太郎 · محمد عبد الله"
MEDICINES = ("布洛芬", "ميتفورمين", "아세트아미노펜")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, CompletedProcess[str]]:
    """A diary in these scripts and its report (made once: the tests read different things)."""
    folder = tmp_path_factory.mktemp("scripts")
    db, out = folder / "diary" / "diary.sqlite3", folder / "r.pdf"
    (folder / "home").mkdir()
    with private_for_a_fixture(folder / "home"):
        steps = [
            ["log", "calf", "--at", "-1h"],
            ["profile", "--name", NAME],
            *(["med", "add", medicine, "--dose", "200 mg"] for medicine in MEDICINES),
            ["visit", "add", "--kind", "gp", "--outcome", "正常 — طبيعي"],
        ]
        for args in steps:
            result = twitch_in_process(*args, db=db)
            assert result.returncode == 0, (args, result.stderr)
        made = twitch_in_process("report", "--out", str(out), db=db)
    return out, made


def _first_page(pdf: Path) -> str:
    return PdfReader(pdf).pages[0].extract_text() or ""


def test_cjk_and_arabic_survive_in_the_pdf_text(
    report: tuple[Path, CompletedProcess[str]],
) -> None:
    out, result = report
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    text = _first_page(out)
    for expected in (*MEDICINES, "山田 太郎", "محمد عبد الله", "正常", "طبيعي"):
        assert expected in text, (expected, text)


def _arabic_forms(pdf: Path) -> dict[str, int]:
    """How many different glyphs each Arabic letter of page 1 was drawn with (from ToUnicode)."""
    forms: dict[str, set[str]] = {}
    fonts = PdfReader(pdf).pages[0]["/Resources"]["/Font"]
    for ref in fonts.values():
        font = ref.get_object()
        if "/ToUnicode" not in font:
            continue
        cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
        for line in cmap.splitlines():
            parts = line.strip().split()
            if len(parts) == 2 and all(p.startswith("<") for p in parts):
                char = chr(int(parts[1].strip("<>")[:4], 16))
                if "\u0600" <= char <= "\u06ff":
                    forms.setdefault(char, set()).add(f"{ref}:{parts[0]}")
    return {char: len(glyphs) for char, glyphs in forms.items()}


def test_arabic_is_shaped_and_right_to_left(report: tuple[Path, CompletedProcess[str]]) -> None:
    out, result = report
    assert result.returncode == 0, result.stderr
    # Shaped: "محمد" starts and continues with meem, so meem is drawn in two joined forms.
    assert _arabic_forms(out).get("م", 0) >= 2
    # Right to left: the first letter of "محمد" stands to the right of its last.
    document = pdfium.PdfDocument(str(out))
    try:
        page = document[0].get_textpage()
        chars = [page.get_text_range(i, 1) for i in range(page.count_chars())]
        text = "".join(chars)
        at = text.find("عبد")
        assert at >= 0, text
        first, last = page.get_charbox(at), page.get_charbox(at + 2)
        assert first[0] > last[0], (first, last)
    finally:
        document.close()


def test_a_character_no_font_has_is_named_in_one_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("log", "calf", "--at", "-1h").code == 0
    assert cli("profile", "--name", "Sam \U00013000 Doe").code == 0  # an Egyptian hieroglyph
    out = tmp_path / "r.pdf"
    result = cli("report", "--out", str(out))
    assert result.code == 0
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("twitch: "), result.err
    assert "name" in lines[0] and "U+13000" in lines[0]
    assert "Sam \ufffd Doe" in _first_page(out)  # marked, not silently dropped
