"""``twitch log``, ``edit``, ``delete`` and ``list``: the episodes themselves.

``log`` is the quick path: it validates with ``diary.validation`` and writes through
``diary.db.quick`` (plain ``sqlite3``), never importing SQLAlchemy. The other three are less
time-critical and use the SQLModel store.
"""

from __future__ import annotations

import argparse
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from diary import validation, vocab, wording
from diary.cli.common import (
    confirm,
    db_path,
    delete_command,
    diary_exists,
    mark_saved,
    open_engine,
    print_table,
    subcommand,
)
from diary.errors import StoreError, UserError
from diary.wording import UNKNOWN, duration, format_when, known, plural, stored_words, word

if TYPE_CHECKING:
    from diary.guidance import Alert

#: ``twitch list`` without dates shows this many days back.
DEFAULT_LIST_DAYS = 30

LOG_EXAMPLES = """\
  twitch log calf                                  a twitch in the calf, now
  twitch log calf --side left --intensity 5 --duration 30s
  twitch log eyelid -s r -i 2
  twitch log calf --kind cramp --duration 2m --at "yesterday 23:30" --context during_sleep
  twitch log thigh --at 14:05 --symptom tingling --note "after a long run"
  twitch log calf --at -2h                         two hours ago
  twitch log calf --at "10 Nov 20:00"              also: 2026-11-10 (noon), '3 days ago 14:00'

What is not given is stored as unknown (shown as —), never as a guess: side, intensity and
duration. The site comes first, then the options: twitch log calf --side left.
"""


def vocabulary_help() -> str:
    """Every body site, symptom and context in plain words, for ``twitch log --help``."""
    import textwrap

    from diary import vocab

    lines = []
    for title, vocabulary in (
        ("body sites", "body_site"),
        ("symptoms", "symptom"),
        ("context", "context"),
    ):
        listed = ", ".join(word(w) for w in vocab.VOCABULARIES[vocabulary])
        lines.append(textwrap.fill(f"{title}: {listed}", width=96, subsequent_indent="  "))
    return "\n".join(lines) + "\n"


def _episode_options(parser: argparse.ArgumentParser, *, editing: bool) -> None:
    default = None
    unknown = "; '' makes it unknown" if editing else "; unknown unless given"
    parser.add_argument(
        "-s", "--side", help="left, right, both or midline (L and R work too)" + unknown
    )
    parser.add_argument(
        "-i",
        "--intensity",
        default=default,
        help="1 (barely noticeable) to 10 (worst imaginable)" + unknown,
    )
    parser.add_argument(
        "-d",
        "--duration",
        default=default,
        help="how long: 45s, 2m, 1h30m" + unknown,
    )
    parser.add_argument(
        "-k",
        "--kind",
        default=default,
        help="twitch, cramp, spasm or jerk" + ("" if editing else "; default twitch"),
    )
    parser.add_argument(
        "-a",
        "--at",
        metavar="WHEN",
        help="when it started: 22:15 (today), 'yesterday 22:30', '10 Nov 20:00', "
        "'2 days ago 14:00', -2h, '3 weeks ago', 2025-03-04 (a day alone: noon)"
        + ("" if editing else "; default now"),
    )
    parser.add_argument(
        "--symptom",
        action="append",
        metavar="S",
        help="a symptom that came with it (repeat for more): weakness, numbness, tingling, pain, …",
    )
    parser.add_argument(
        "--context",
        action="append",
        metavar="C",
        help="what was going on (repeat for more): rest, after_exercise, during_sleep, "
        "cold_exposure, …",
    )
    parser.add_argument("-n", "--note", help="a note in your own words")


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``log``, ``edit``, ``delete`` and ``list``."""
    log = subcommand(
        sub,
        "log",
        "Log an episode (a twitch, cramp, spasm or jerk).",
        LOG_EXAMPLES + "\n" + vocabulary_help(),
    )
    # Several words are taken so that "upper arm" works unquoted and "left calf" is explained.
    log.add_argument(
        "site", metavar="SITE", nargs="+", help="body site: calf, eyelid, thigh, hand, …"
    )
    _episode_options(log, editing=False)
    log.set_defaults(run=run_log)

    edit = subcommand(
        sub,
        "edit",
        "Change an episode: give only what changes (symptoms and context are replaced).",
        "  twitch edit 3f2a5c1e --intensity 6\n"
        "  twitch edit 3f2a5c1e thigh --side right --at '2025-03-04 21:10'\n"
        "  twitch edit 3f2a5c1e --no-symptoms\n",
    )
    edit.add_argument("id", metavar="ID", help="the episode's id (the first 8 characters will do)")
    edit.add_argument("site", metavar="SITE", nargs="?", help="a new body site")
    _episode_options(edit, editing=True)
    edit.add_argument("--no-symptoms", action="store_true", help="remove all symptoms")
    edit.add_argument("--no-context", action="store_true", help="remove all context")
    edit.set_defaults(run=run_edit)

    delete_command(
        sub,
        "an episode",
        "  twitch delete 3f2a5c1e\n  twitch delete 3f2a5c1e --yes\n",
        ("id", "ID", "the episode's id (the first 8 characters will do)"),
        run_delete,
    )

    listing = subcommand(
        sub,
        "list",
        f"Show episodes as a table (default: the last {DEFAULT_LIST_DAYS} days).",
        "  twitch list\n  twitch list --since 2025-03-01 --until 2025-03-31\n"
        "  twitch list --site calf --all\n",
    )
    listing.add_argument("--since", metavar="DATE", help="first local date to show (YYYY-MM-DD)")
    listing.add_argument("--until", metavar="DATE", help="last local date to show (YYYY-MM-DD)")
    listing.add_argument("--site", help="only this body site")
    listing.add_argument("--all", action="store_true", help="every episode ever logged")
    listing.set_defaults(run=run_list)


def _sets(values: list[str] | None) -> list[str]:
    """Repeated options, each possibly comma-separated, as one list."""
    return [part for value in values or [] for part in value.split(",")]


def describe(episode: dict[str, Any]) -> str:
    """One line about an episode: ``twitch · calf (left) · intensity 4 · 30 s · Sun 22 …``.

    What was never given reads ``—`` ("intensity —", "duration —"), so the line never claims a
    number nobody typed.
    """

    where = word(episode["body_site"])
    if episode.get("side"):
        where += f" ({episode['side']})"
    seconds = episode.get("duration_s")
    parts = [
        episode["kind"],
        where,
        f"intensity {known(episode.get('intensity'))}",
        duration(seconds) if seconds is not None else f"duration {UNKNOWN}",
        format_when(episode["started_at"]),
    ]
    if episode.get("symptoms"):
        parts.append(stored_words(episode["symptoms"]))
    return " · ".join(parts)


def site_from_words(typed: list[str]) -> str:
    """The body site typed after ``twitch log`` (one or more words, e.g. ``upper arm``).

    ``twitch log left calf`` is the commonest slip: a side among the words gets one line that
    shows the order (site first, then ``--side``) instead of argparse's "unrecognized arguments".
    """
    from diary import vocab

    whole = " ".join(typed)
    if vocab.lookup("body_site", whole) or len(typed) == 1:
        return validation.choice("site", "body_site", whole)
    sides = [w for w in typed if vocab.lookup("side", w)]
    rest = " ".join(w for w in typed if w not in sides)
    site = vocab.lookup("body_site", rest) if rest else None
    if sides and site:
        side = vocab.lookup("side", sides[0])
        raise UserError(
            f"the site comes first, then the side as an option: twitch log {site} --side {side}"
            f" (got {whole!r})"
        )
    first = vocab.lookup("body_site", typed[0])
    if first:
        raise UserError(
            f"one site per episode, then options: twitch log {first} --side left --intensity 4 "
            f'(got {whole!r}; a note goes in quotes: --note "...")'
        )
    return validation.choice("site", "body_site", whole)


def run_log(args: argparse.Namespace) -> int:
    """Validate, store in one transaction, confirm in one line."""
    from diary import guidance, when
    from diary.db import quick
    from diary.db.open import open_current

    now = when.now_local()
    started, time_note = when.read_when(args.at, now=now, field="--at") if args.at else (now, "")
    episode: dict[str, Any] = {
        "started_at": validation.started_at(started, now=now, field="--at"),
        "body_site": site_from_words(args.site),
        "side": validation.optional_choice("side", "side", args.side),
        # Only what was said: an intensity or duration not given is unknown (None), not 3 or 0 s.
        "intensity": validation.optional_intensity(args.intensity),
        "duration_s": validation.optional_duration_s(args.duration),
        "kind": validation.choice("kind", "kind", args.kind or "twitch"),
        "symptoms": validation.word_set("symptom", "symptom", _sets(args.symptom)),
        "context": validation.word_set("context", "context", _sets(args.context)),
        "note": validation.text("note", args.note),
    }
    conn = open_current(db_path(args))
    try:
        ident = quick.insert_episode(conn, episode)
        mark_saved(args)
        symptoms = wording.split_set(episode["symptoms"])
        # Other legs that day matter only when this episode is a leg with numbness or weakness.
        legs = (
            quick.leg_sides_on_diary_day(conn, episode["started_at"], exclude=ident)
            if episode["body_site"] in vocab.LEG_SITES and {"numbness", "weakness"} & set(symptoms)
            else set()
        )
        alerts = guidance.episode_alerts(
            kind=episode["kind"],
            body_site=episode["body_site"],
            side=episode["side"],
            duration_s=episode["duration_s"],
            symptoms=symptoms,
            same_day_leg_sides=legs,
            event_day=started.date(),  # days ago: guidance for "if it is still present"
            today=now.date(),
        )
    finally:
        conn.close()
    said = f" ({time_note})" if time_note else ""
    print(f"Logged {describe(episode)}{said} — id {ident[:8]}")
    show_alerts(alerts)
    return 0


def show_alerts(alerts: list[Alert]) -> None:
    """Urgent guidance for what was just stored, right after the confirmation (it is stored)."""
    for alert in alerts:
        print()
        print("\n".join(alert.lines()))


def run_edit(args: argparse.Namespace) -> int:
    """Apply the given changes; the whole episode is validated again."""
    from diary import when
    from diary.db import store

    changes: dict[str, Any] = {}
    time_note = ""
    if args.at is not None:
        now = when.now_local()
        started, time_note = when.read_when(args.at, now=now, field="--at")
        changes["started_at"] = validation.started_at(started, now=now, field="--at")
    if args.site is not None:
        changes["body_site"] = validation.choice("site", "body_site", args.site)
    for option, field in (
        ("side", "side"),
        ("intensity", "intensity"),
        ("duration", "duration_s"),
        ("kind", "kind"),
        ("note", "note"),
    ):
        value = getattr(args, option)
        if value is not None:
            changes[field] = value
    if args.symptom is not None or args.no_symptoms:
        changes["symptoms"] = _sets(args.symptom)
    if args.context is not None or args.no_context:
        changes["context"] = _sets(args.context)
    if not changes:
        raise UserError("nothing to change: give a new value, e.g. --intensity 5")
    _refuse_missing_diary(args)
    with store.write_session(open_engine(args)) as session:
        episode = store.update_episode(session=session, ident=args.id, changes=changes)
        shown = store.episode_values(episode)
    mark_saved(args)
    said = f" ({time_note})" if time_note else ""
    print(f"Changed {episode.id[:8]}: {describe(shown)}{said}")
    return 0


def run_delete(args: argparse.Namespace) -> int:
    """Delete after confirming (or with ``--yes``)."""
    from diary.db import store

    _refuse_missing_diary(args)
    engine = open_engine(args)
    with store.read_session(engine) as session:
        shown = store.episode_values(store.find_episode(session=session, ident=args.id))
    if not args.yes and not confirm(f"Delete {describe(shown)}?"):
        raise UserError("not deleted (confirm at the prompt, or pass --yes)")
    with store.write_session(engine) as session:
        store.delete_episode(session=session, ident=shown["id"])
    mark_saved(args)
    print(f"Deleted {describe(shown)} — id {shown['id'][:8]}")
    return 0


def _refuse_missing_diary(args: argparse.Namespace) -> None:
    """A lookup in a diary that does not exist finds nothing, and must not create the file."""
    if not diary_exists(args):
        raise StoreError(f"no episode has id {args.id!r}: there is no diary at {db_path(args)} yet")


def run_list(args: argparse.Namespace) -> int:
    """Print the episodes of a period as a table."""
    from diary import when
    from diary.db import store

    today = when.now_local().date()
    since = when.parse_date(args.since, today=today, field="--since") if args.since else None
    until = when.parse_date(args.until, today=today, field="--until") if args.until else None
    if since is None and until is None and not args.all:
        since = today - timedelta(days=DEFAULT_LIST_DAYS - 1)
    if since and until and until < since:
        raise validation.InvalidValue(
            "--until", until.isoformat(), f"on or after --since ({since})"
        )
    site = validation.choice("site", "body_site", args.site) if args.site else None
    with store.read_session(open_engine(args)) as session:
        found = store.list_episodes(session=session, since=since, until=until, site=site)
    period = f"{since or 'the start'} to {until or today}"
    if not found:
        print(f"No episodes from {period}{f' at the {site}' if site else ''}.")
        return 0
    rows = []
    for episode in found:
        local: datetime = episode.started_at
        rows.append(
            [
                local.strftime("%Y-%m-%d %H:%M"),
                word(episode.body_site),
                known(episode.side),
                episode.kind,
                known(episode.intensity),
                duration(episode.duration_s),
                stored_words(episode.symptoms),
                episode.id[:8],
            ]
        )
    print_table(["when", "site", "side", "kind", "int", "duration", "symptoms", "id"], rows)
    days = len({row[0][:10] for row in rows})
    print(f"\n{plural(len(rows), 'episode')} on {plural(days, 'day')}, {period}.")
    return 0
