"""What the record commands (``twitch med``, ``visit``, ``profile``) share.

Dates as typed (``--start yesterday``), options that clear with '' and the add, list, edit and
delete flows: a medication course and a visit are added, listed, edited and deleted the same way,
so they say the same things at the same moments, written once here.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from typing import Any, NamedTuple

from diary.cli import common
from diary.errors import InvalidValue, StoreError, UserError

#: A stored course or visit, turned into the words a person reads.
Describe = Callable[[Any], str]


def command_group(
    sub: argparse._SubParsersAction, name: str, summary: str
) -> argparse._SubParsersAction:
    """A command with actions (``twitch med add``); the command alone prints its help."""
    group = common.subcommand(sub, name, summary)
    actions = group.add_subparsers(
        title=f"{name} commands", metavar="ACTION", parser_class=common.Parser
    )

    def run(args: argparse.Namespace) -> int:
        group.print_help()
        return 0

    group.set_defaults(run=run)
    return actions


def today() -> date:
    """Today in the diary's local time."""
    from diary import when

    return when.now_local().date()


def typed_date(text: str | None, field: str) -> date | None:
    """A date option as typed (``2025-03-04``, ``yesterday``, ``-3d``); None when not given."""
    from diary import when

    return when.parse_date(text, today=today(), field=field) if text else None


def required_date(text: str, field: str, owner: str) -> date:
    """A date option that changes a date but cannot clear it ('' is refused: ``owner`` has one)."""
    from diary import when

    if not text.strip():
        raise InvalidValue(field, text, f"a date like 2025-03-04 ({owner} has one)")
    return when.parse_date(text, today=today(), field=field)


def text_change(value: str | None) -> str | None:
    """An option's new text: '' clears it (stored as unknown)."""
    return value if value and value.strip() else None


def split_words(values: list[str] | None) -> list[str]:
    """Repeated options that may also hold comma-separated words: ``--test emg,ncs --test mri``."""
    return [part for value in values or [] for part in value.split(",")]


def refuse_missing_diary(args: argparse.Namespace, what: str) -> None:
    """A lookup in a diary that does not exist finds nothing, and must not create the file."""
    if not common.diary_exists(args):
        raise StoreError(f"{what}: there is no diary at {common.db_path(args)} yet")


class Kind(NamedTuple):
    """One kind of stored record the commands add, edit and delete (a course, a visit).

    A ``NamedTuple`` rather than a dataclass: this module is imported on every command, and
    ``dataclasses`` (with the ``inspect`` it loads) would add a tenth to ``twitch log``'s time.
    """

    #: The table's name; the store names its functions after it (``find_medication``).
    table: str
    #: What a lookup in a missing diary finds, with ``{ident!r}`` for what was typed.
    missing: str
    #: An edit option, suggested when an edit changes nothing.
    example: str
    describe: Describe
    #: How ``edit`` and ``delete`` take the record they want: the argument, its metavar, its help.
    ident: tuple[str, str, str]
    #: Before the description in "Deleted …": "the " reads "Deleted the gp visit on …".
    article: str = ""

    def store(self, action: str) -> Callable[..., Any]:
        """The store's ``{action}_{table}`` function (SQLAlchemy is imported only when it runs)."""
        from diary.db import store

        return getattr(store, f"{action}_{self.table}")


def add(args: argparse.Namespace, kind: Kind, model: type[Any], values: dict[str, Any]) -> int:
    """Validate ``values`` with ``model`` and store them as a new record."""
    from diary.db import store
    from diary.db.models import validate

    item = validate(model, values)
    with store.write_session(common.open_engine(args)) as session:
        row = kind.store("add")(session=session, **{kind.table: item})
    common.mark_saved(args)
    print(f"Added {kind.describe(row)} — id {row.id[:8]}")
    return 0


def show(
    args: argparse.Namespace,
    listing: Callable[..., list[Any]],
    empty: str,
    headers: list[str],
    cells: Callable[[Any], list[str]],
) -> int:
    """Print every stored row of a kind as a table (``empty`` when there is none)."""
    from diary.db import store

    with store.read_session(common.open_engine(args)) as session:
        rows = listing(session=session)
    if not rows:
        print(empty)
        return 0
    common.print_table(headers, [cells(row) for row in rows])
    return 0


def edit(args: argparse.Namespace, kind: Kind, ident: str, changes: dict[str, Any]) -> int:
    """Apply ``changes`` to one stored record; the whole record is validated again."""
    from diary.db import store

    if not changes:
        raise UserError(f"nothing to change: give a new value, e.g. {kind.example}")
    refuse_missing_diary(args, kind.missing.format(ident=ident))
    with store.write_session(common.open_engine(args)) as session:
        row = kind.store("update")(session=session, ident=ident, changes=changes)
    common.mark_saved(args)
    print(f"Changed {kind.describe(row)} — id {row.id[:8]}")
    return 0


def delete(args: argparse.Namespace, kind: Kind, ident: str) -> int:
    """Delete one stored record after confirming (or with ``--yes``)."""
    from diary.db import store

    refuse_missing_diary(args, kind.missing.format(ident=ident))
    engine = common.open_engine(args)
    with store.read_session(engine) as session:
        row = kind.store("find")(session=session, ident=ident)
        found, shown = row.id, kind.describe(row)
    if not args.yes and not common.confirm(f"Delete {shown}?"):
        raise UserError("not deleted (confirm at the prompt, or pass --yes)")
    with store.write_session(engine) as session:
        kind.store("delete")(session=session, ident=found)
    common.mark_saved(args)
    print(f"Deleted {kind.article}{shown} — id {found[:8]}")
    return 0


def add_edit_command(
    sub: argparse._SubParsersAction, kind: Kind, summary: str, examples: str
) -> argparse.ArgumentParser:
    """The ``edit`` action of a record command, with the argument naming which record."""
    parser = common.subcommand(sub, "edit", summary, examples)
    name, metavar, help_text = kind.ident
    parser.add_argument(name, metavar=metavar, help=help_text)
    return parser


def add_delete_command(
    sub: argparse._SubParsersAction, kind: Kind, what: str, examples: str
) -> None:
    """The ``delete`` action of a record command: which record, and ``--yes``."""
    name = kind.ident[0]
    common.delete_command(
        sub, what, examples, kind.ident, lambda args: delete(args, kind, getattr(args, name))
    )
