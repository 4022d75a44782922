"""``twitch count``: a timed count of the twitches felt in one muscle at rest.

"How often" in an episode diary depends on how often one remembers to log; a count over a fixed
time, at rest, in one muscle, is a standard measure that can be compared week to week. On a
terminal the count runs here: a visible countdown, one key press per twitch. A count done
elsewhere (on paper, with a phone timer) is recorded with ``--twitches N``.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from diary.check_validation import COUNT_SECONDS_DEFAULT
from diary.check_wording import COUNT_HOW, count_result, where
from diary.cli.checks import options_named
from diary.cli.common import mark_saved, open_engine, subcommand
from diary.errors import UserError

if TYPE_CHECKING:
    from diary.db.check_models import TwitchCount

#: Fields of a count -> the options they are typed in, so a message names what was typed.
OPTIONS = {
    "seconds": "--seconds",
    "twitches": "--twitches",
    "counted_at": "--at",
    "body_site": "--site",
    "side": "--side",
}


EXAMPLES = f"""\
  twitch count --site calf --side left             a 60-second count here, one key per twitch
  twitch count --site calf --side left --seconds 120
  twitch count --site thigh --side right --twitches 14            counted elsewhere, 60 s
  twitch count --site calf --twitches 9 --seconds 30 --at "yesterday 21:30"

{textwrap.fill(COUNT_HOW, 99)}
"""


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``count``."""
    count = subcommand(
        sub, "count", "A timed count of the twitches in one muscle at rest.", EXAMPLES
    )
    count.add_argument(
        "--site",
        nargs="+",
        metavar="SITE",
        required=True,
        help="the muscle's body site: calf, thigh, eyelid, upper arm, …",
    )
    count.add_argument("-s", "--side", help="left, right, both or midline (L and R work too)")
    count.add_argument(
        "--seconds",
        metavar="S",
        help=f"how long the count lasts, in seconds (default {COUNT_SECONDS_DEFAULT})",
    )
    count.add_argument(
        "--twitches",
        metavar="N",
        help="record a count done elsewhere: the number of twitches felt in --seconds",
    )
    count.add_argument(
        "-a",
        "--at",
        metavar="WHEN",
        help="with --twitches: when the count was done (22:15, 'yesterday 21:30'; default now)",
    )
    count.add_argument("-n", "--note", help="a note in your own words")
    count.set_defaults(run=run_count)


def site_and_side(typed: list[str], side: str | None) -> tuple[str, str | None]:
    """The site (one or more words: ``upper arm``) and side; ``--site left calf`` reads as the
    left calf when no ``--side`` says otherwise."""
    from diary import validation, vocab

    whole = " ".join(typed)
    chosen = validation.optional_choice("side", "side", side)
    if vocab.lookup("body_site", whole) or len(typed) == 1:
        return validation.choice("site", "body_site", whole), chosen
    sides = [w for w in typed if vocab.lookup("side", w)]
    rest = " ".join(w for w in typed if w not in sides)
    site = vocab.lookup("body_site", rest) if rest else None
    named = vocab.lookup("side", sides[0]) if len(sides) == 1 else None
    if site and named:
        if chosen not in (None, named):
            raise UserError(
                f"--site says {named} and --side says {chosen}: give the side once, "
                f"e.g. --site {site} --side {chosen}"
            )
        return site, named
    return validation.choice("site", "body_site", whole), chosen


def run_count(args: argparse.Namespace) -> int:
    """Count here on a terminal, or record a count done elsewhere; then store it."""
    from diary import check_validation as rules
    from diary import validation, when

    with options_named(OPTIONS):
        site, side = site_and_side(args.site, args.side)
        seconds = rules.count_seconds(
            COUNT_SECONDS_DEFAULT if args.seconds is None else args.seconds
        )
        twitches = None if args.twitches is None else rules.twitches(args.twitches)
    note = validation.text("note", args.note)
    now = when.now_local()
    if twitches is not None:
        counted_at = now
        if args.at:
            typed = when.read_when(args.at, now=now, field="--at")[0]
            counted_at = validation.started_at(typed, now=now, field="--at")
    else:
        if args.at:
            raise UserError(
                "--at goes with --twitches (a count done elsewhere); a count here starts now"
            )
        if not sys.stdin.isatty():
            raise UserError(
                "a timed count needs a terminal to press keys on; to record a count done "
                "elsewhere give --twitches N (and --seconds S, default 60)"
            )
        from diary.cli.countdown import timed_count

        twitches, seconds = timed_count(seconds, where(site, side), minimum=rules.COUNT_SECONDS_MIN)
        counted_at = when.now_local() - timedelta(seconds=seconds)  # when the count began
    stored = save(
        args,
        {
            "counted_at": counted_at,
            "body_site": site,
            "side": side,
            "seconds": seconds,
            "twitches": twitches,
            "note": note,
        },
    )
    print(count_result(stored.twitches, stored.seconds, stored.body_site, stored.side))
    return 0


def save(args: argparse.Namespace, values: dict[str, Any]) -> TwitchCount:
    """Validate the count and store it in one transaction; the stored row."""
    from diary.db import checks, store
    from diary.db.check_models import TwitchCountCreate
    from diary.db.models import validate

    with options_named(OPTIONS):
        count = validate(TwitchCountCreate, values)
    with store.write_session(open_engine(args)) as session:
        row = checks.add_twitch_count(session=session, count=count)
    mark_saved(args)
    return row
