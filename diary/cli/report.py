"""``twitch report``: the PDF (and PNGs) to bring to a doctor."""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta
from pathlib import Path

from diary.cli.common import db_path, subcommand
from diary.errors import InvalidValue, UserError
from diary.wording import plural

EXAMPLES = """\
  twitch report                                   the last 90 days, as twitch-report-<today>.pdf
                                                  (twitch-report-<today>-2.pdf if that exists)
  twitch report --from 2025-01-01 --to 2025-03-31 --out ~/Desktop/for-dr-smith.pdf
  twitch report --out for-dr-smith.pdf --force    replace that file if it exists
  twitch report --png report-pngs                 the PDF, plus the summary page and charts as PNG
  twitch report --png report-pngs --no-pdf        only the PNGs
  twitch report --paper letter --open             US Letter, opened in your PDF viewer
"""

#: The dates a report may cover: wide enough for any diary, narrow enough that adding a week or a
#: day to them never leaves what ``datetime.date`` can hold.
EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)


def _in_range(day: date, field: str) -> date:
    """``day`` if it lies from ``EARLIEST`` to ``LATEST``; a one-line mistake otherwise."""
    if not EARLIEST <= day <= LATEST:
        raise InvalidValue(field, day.isoformat(), f"a date from {EARLIEST} to {LATEST}")
    return day


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``report``."""
    report = subcommand(
        sub,
        "report",
        "Make the doctor's report: a one-page summary, charts, and the log.",
        EXAMPLES,
    )
    report.add_argument(
        "--from",
        dest="start",
        metavar="DATE",
        help="first day (default: 90 days up to --to, from the diary's first entry or the onset "
        "date if that is later)",
    )
    report.add_argument("--to", dest="end", metavar="DATE", help="last day (default: --as-of)")
    report.add_argument("--as-of", metavar="DATE", help="analyse as of this date (default today)")
    report.add_argument("-o", "--out", metavar="FILE.pdf", help="where to write the PDF")
    report.add_argument(
        "--png", metavar="DIR", help="also write the summary page and each chart as PNG"
    )
    report.add_argument("--no-pdf", action="store_true", help="with --png: write only the PNGs")
    report.add_argument("--paper", default="a4", help="a4 (default) or letter")
    report.add_argument("--open", action="store_true", help="open the PDF when it is written")
    report.add_argument(
        "--force",
        action="store_true",
        help="replace the file --out names (and the PNGs in --png DIR); without it an existing "
        "file is kept and the report gets a new name (-2, -3, …)",
    )
    report.set_defaults(run=run_report)


def run_report(args: argparse.Namespace) -> int:
    """Check the dates, write the files, say where they are."""
    from diary import when
    from diary.db.open import ensure_ready
    from diary.report.content import DEFAULT_PERIOD_DAYS, Period

    today = when.now_local().date()

    def parse(text: str | None, field: str) -> date | None:
        return _in_range(when.parse_date(text, today=today, field=field), field) if text else None

    as_of = parse(args.as_of, "as_of")
    end = parse(args.end, "to")
    as_of = as_of or end or today
    end = end or as_of
    start = parse(args.start, "from") or max(
        EARLIEST, end - timedelta(days=DEFAULT_PERIOD_DAYS - 1)
    )
    if end > as_of:
        raise InvalidValue("to", end.isoformat(), f"on or before as_of ({as_of})")
    if start > end:
        raise InvalidValue("from", start.isoformat(), f"on or before to ({end})")
    paper = args.paper.strip().lower()
    if paper not in ("a4", "letter"):
        raise InvalidValue("paper", args.paper, "a4 or letter")
    if args.no_pdf and not args.png:
        raise UserError("--no-pdf needs --png DIR (otherwise nothing would be written)")
    out = None if args.no_pdf else Path(args.out or f"twitch-report-{as_of.isoformat()}.pdf")
    if out is not None and out.suffix.lower() != ".pdf":
        raise InvalidValue("out", str(out), "a file name ending in .pdf")
    if out is not None and out.is_dir():
        raise UserError(f"--out is a folder, not a file: {out}")
    if args.force and not (args.out or args.png):
        raise UserError(
            "--force needs --out FILE (or --png DIR): a report under its default name never "
            "replaces an existing file"
        )

    path = db_path(args)
    ensure_ready(path)
    from diary.report.build import PNG_NAMES, free_name, make_report

    asked_out = out.expanduser() if out else None
    asked_png = Path(args.png).expanduser() if args.png else None
    force_out = args.force and args.out is not None
    force_png = args.force and args.png is not None
    # Never replace a file unasked: an existing one keeps its name and the new report gets -2, -3.
    final_out = asked_out if asked_out is None or force_out else free_name(asked_out)
    final_png = (
        asked_png if asked_png is None or force_png else free_name(asked_png, inside=PNG_NAMES)
    )
    result = make_report(
        path,
        as_of=as_of,
        period=Period(start, end),
        out=final_out,
        png_dir=final_png,
        paper=paper,
        replace=args.force,
    )
    for warning in result.warnings:
        print(f"twitch: {warning}", file=sys.stderr)
    period = result.period or Period(start, end)
    if result.pdf is not None:
        print(f"Wrote {result.pdf} ({plural(result.pages, 'page')}), {period.label()}")
    for png in result.pngs:
        print(f"Wrote {png}")
    for asked, final, named in ((asked_out, final_out, args.out), (asked_png, final_png, args.png)):
        if asked is not None and final != asked:
            hint = "; --force replaces it" if named else ""
            print(f"({asked} already exists and was kept{hint})")
    if args.open and result.pdf is not None:
        _open(result.pdf)
    return 0


def _open(path: Path) -> None:
    """Hand the PDF to the desktop's viewer (local only; nothing leaves the machine)."""
    import shutil  # here, not at the top: the parser loads this module on every command
    import subprocess
    import sys

    opener = "open" if sys.platform == "darwin" else "xdg-open"
    if shutil.which(opener) is None:
        print(f"(could not open it: no {opener} on this system)")
        return
    subprocess.Popen([opener, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
