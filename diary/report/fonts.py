"""Fonts that can draw what the report prints, and a word when some character still cannot be drawn.

Why: a name or a medicine written in Chinese, Japanese, Korean or Arabic must reach the doctor as it
was typed. DejaVu (shipped with matplotlib) draws Latin, Greek, Cyrillic and Hebrew; for the rest
the report falls back, glyph by glyph, to Noto Sans Arabic (``fontpkg-noto-sans-arabic``) and Noto
Sans CJK (``noto-cjk-sans-jp-regular``, which holds the Han ideographs of all CJK languages, kana
and hangul). Both are PyPI packages, so nothing is fetched at run time. A fallback font is loaded
only when the text needs it: the CJK font is 16 MB and takes half a second to read. Right-to-left
and joined scripts also need shaping (uharfbuzz through fpdf2), switched on only when present so a
Latin-only report is laid out exactly as before. The CJK font has PostScript (CFF) outlines, which
fpdf2 embeds with a CID encoding that text extractors such as pypdf misread, so the PDF gets a
TrueType copy of just the glyphs it uses (fontTools: subset, then cu2qu; well under a second).
A character no font has is drawn as U+FFFD and named in one warning line, never dropped in silence.
"""

from __future__ import annotations

import io
import logging
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

#: What an undrawable character becomes (DejaVu has it): visibly not the original.
REPLACEMENT = "\ufffd"


@dataclass(frozen=True)
class Font:
    """A font file and the family name fpdf2 knows it by (its own, for matplotlib).

    ``pdf_data`` is a TrueType subset for the PDF when the file's outlines are CFF (else None).
    """

    family: str
    path: Path
    pdf_data: bytes | None = None


def _dejavu_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def base_fonts() -> dict[str, Path]:
    """DejaVu Sans by fpdf2 style: regular, bold, oblique."""
    folder = _dejavu_dir()
    return {
        "": folder / "DejaVuSans.ttf",
        "B": folder / "DejaVuSans-Bold.ttf",
        "I": folder / "DejaVuSans-Oblique.ttf",
    }


def _arabic() -> Path | None:
    try:
        import fontpkg_noto_sans_arabic as package
    except ImportError:
        return None
    return next(iter(sorted((Path(package.ROOT) / "files").glob("*.ttf"))), None)


def _cjk() -> Path | None:
    try:
        import noto_cjk_sans_jp_regular as package
    except ImportError:
        return None
    return Path(str(package.FONT_PATH))


@lru_cache(maxsize=1)
def fallback_fonts() -> tuple[Font, ...]:
    """The installed fallbacks, smallest first (each is tried only for glyphs DejaVu lacks)."""
    found = [("NotoArabic", _arabic()), ("NotoCJK", _cjk())]
    return tuple(Font(name, path) for name, path in found if path is not None and path.is_file())


@lru_cache(maxsize=8)
def coverage(path: Path) -> frozenset[int]:
    """The code points ``path`` has a glyph for (cached: the CJK font's table takes 0.5 s)."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), lazy=True)
    try:
        return frozenset(font.getBestCmap() or {})
    finally:
        font.close()


def _has_cff_outlines(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(4) == b"OTTO"


def truetype_subset(path: Path, text: str) -> tuple[bytes, frozenset[int]]:
    """The glyphs of ``text`` that ``path`` has, as a small TrueType font; and its code points."""
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    options = subset.Options()
    options.notdef_outline = True
    options.name_IDs = ["*"]
    font = TTFont(str(path), lazy=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for name in order:  # cubic CFF curves to quadratic TrueType ones, within 1 font unit
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    font["glyf"], font["loca"] = glyf, newTable("loca")
    font["maxp"] = _maxp_v1()
    font["head"].indexToLocFormat = 0
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 2.0
    font["post"].extraNames, font["post"].mapping = [], {}
    font.sfntVersion = "\x00\x01\x00\x00"
    cmap = frozenset(font.getBestCmap() or {})
    buffer = io.BytesIO()
    font.save(buffer)  # recomputes the maxp counts and the glyph offsets
    font.close()
    return buffer.getvalue(), cmap


def _maxp_v1() -> object:
    """An empty TrueType ``maxp`` table (CFF fonts carry the short version 0.5)."""
    from fontTools.ttLib import newTable

    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for name in [
        "numGlyphs",
        "maxPoints",
        "maxContours",
        "maxCompositePoints",
        "maxCompositeContours",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
        "maxComponentDepth",
    ]:
        setattr(maxp, name, 0)
    maxp.maxZones = 1
    return maxp


def _ignorable(char: str) -> bool:
    """Line breaks, tabs and invisible format characters need no glyph."""
    return char in "\n\r\t" or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")


def _needs_shaping(char: str) -> bool:
    """Right-to-left letters, combining marks, and scripts whose letters join or reorder."""
    if unicodedata.bidirectional(char) in ("R", "AL", "AN") or unicodedata.combining(char):
        return True
    return unicodedata.category(char) == "Mc" or 0x0900 <= ord(char) <= 0x109F


@dataclass(frozen=True)
class FontPlan:
    """Which fallbacks a report needs, whether to shape, and what no font can draw."""

    fallbacks: tuple[Font, ...] = ()
    shaping: bool = False
    missing: frozenset[str] = field(default_factory=frozenset)

    def drawable(self, text: str) -> str:
        """``text`` with every character no font can draw replaced by U+FFFD."""
        if not self.missing or not any(c in self.missing for c in text):
            return text
        return "".join(REPLACEMENT if c in self.missing else c for c in text)


def choose_fonts(texts: Iterable[str]) -> FontPlan:
    """The fonts that cover every character of ``texts`` (loading a fallback only if needed)."""
    chars = {c for text in texts for c in text if not _ignorable(c)}
    bases = [coverage(path) for path in base_fonts().values()]
    # A character counts as covered by DejaVu only in all three styles, so bold text finds it too.
    rest = {c for c in chars if not all(ord(c) in base for base in bases)}
    needed: list[Font] = []
    for font in fallback_fonts():
        if not rest:
            break
        if _has_cff_outlines(font.path):
            data, cmap = truetype_subset(font.path, "".join(sorted(rest)))
            font = Font(font.family, font.path, data)
        else:
            cmap = coverage(font.path)
        covered = {c for c in rest if ord(c) in cmap}
        if covered:
            needed.append(font)
            rest -= covered
    missing = frozenset(c for c in rest if ord(c) not in bases[0])
    return FontPlan(tuple(needed), any(_needs_shaping(c) for c in chars), missing)


def describe_missing(plan: FontPlan, fields: Iterable[tuple[str, str]]) -> str | None:
    """One line naming the characters no font has and where they are, or None if all can be drawn.

    ``fields`` are (what, text) pairs such as ("name", "Sam 𓀀"); the first few are named.
    """
    if not plan.missing:
        return None
    places: list[str] = []
    for what, text in fields:
        chars = sorted({c for c in text if c in plan.missing})
        if chars and len(places) < 3:
            shown = ", ".join(f"U+{ord(c):04X}" for c in chars)
            places.append(f"{what} {_quote(text)} ({shown})")
    count = len(plan.missing)
    noun = "character" if count == 1 else "characters"
    return (
        f"the report has no font for {count} {noun}, drawn as {REPLACEMENT} instead: "
        + "; ".join(places)
    )


def _quote(text: str) -> str:
    """Short and printable: control characters escaped, long text cut."""
    short = text if len(text) <= 60 else text[:57] + "..."
    return repr(short)


def register_with_matplotlib(fonts: Iterable[Font]) -> list[str]:
    """Make matplotlib know the fallback fonts; their family names, for ``font.family``."""
    return [_matplotlib_family(font.path) for font in fonts]


@lru_cache(maxsize=8)
def _matplotlib_family(path: Path) -> str:
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def quiet_font_loggers() -> None:
    """Our own check names missing glyphs in one line: keep the libraries' multi-line notes out."""
    logging.getLogger("fpdf.output").setLevel(logging.ERROR)
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
