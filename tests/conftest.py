"""Shared fixtures: every test runs in Berlin time with a private home and data folder.

Keeping the real home folder out means no test can read or write a developer's actual diary; the
fixed zone makes the daylight-saving tests mean the same thing on every machine. Commands run in
this process (``twitch_in_process``, ``cli``: a new Python a command made the suite minutes
slower) unless the test is about the process itself (``twitch_process``).
"""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
import traceback
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import pytest

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

TEST_TZ = "Europe/Berlin"
SCENARIOS = Path(__file__).parent / "data" / "scenarios"
#: A diary written by the real command line at revision 0001 (see ``make_fixtures.py``).
DIARY_0001 = Path(__file__).parent / "data" / "fixtures" / "diary-0001.sqlite3"
#: A diary the app wrote at revision 0003, before the self-check tables (``make_fixtures.py 0003``).
DIARY_0003 = Path(__file__).parent / "data" / "fixtures" / "diary-0003.sqlite3"


def make_private(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """Point home and the data folder at ``home``, and the time zone at Berlin."""
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv("TWITCH_DIARY_DB", raising=False)
    monkeypatch.setenv("TZ", TEST_TZ)
    time.tzset()
    import tzlocal

    tzlocal.reload_localzone()


@contextmanager
def private_for_a_fixture(home: Path) -> Iterator[None]:
    """``make_private`` for a module- or session-scoped fixture, which is set up before (and so
    outside) the first test's ``private_environment``; afterwards the zone is read again."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        make_private(monkeypatch, home)
        yield
    time.tzset()
    import tzlocal

    tzlocal.reload_localzone()


def pytest_configure(config: pytest.Config) -> None:
    """Under ``-n`` with no ``--dist`` asked for, share the tests out by work stealing.

    xdist's default ("load") deals tests out in rounds; with "worksteal" a worker that runs out
    takes tests from the end of the other's queue, and a module's tests mostly stay together (a
    module-scoped fixture is made once): the whole suite took 13 % less time here. Set
    here rather than in ``addopts``, where ``--dist`` would make ``-p no:xdist`` fail.
    """
    asked = [*config.invocation_params.args, *os.environ.get("PYTEST_ADDOPTS", "").split()]
    if getattr(config.option, "dist", "no") == "load" and not any(
        arg == "-d" or arg.startswith("--dist") for arg in asked
    ):
        config.option.dist = "worksteal"


@pytest.fixture(autouse=True)
def private_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """A fresh home, data folder and time zone for every test."""
    make_private(monkeypatch, tmp_path_factory.mktemp("home"))
    yield
    time.tzset()


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A new diary brought to the head revision by the real migrations, as bytes: once a worker."""
    from diary.db.migrate import ensure_current

    path = tmp_path_factory.mktemp("template") / "diary.sqlite3"
    ensure_current(path)
    assert not list(path.parent.glob("diary.sqlite3-*")), "the template must be one closed file"
    return path.read_bytes()


@pytest.fixture
def real_migrations() -> None:
    """Ask for this (``pytest.mark.usefixtures``) where a new diary must run Alembic itself."""


@pytest.fixture(autouse=True)
def new_diaries_from_a_template(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A diary file the app creates in this process starts as a copy of ``migrated_template``.

    Running the migrations costs 50–100 ms a new diary and hundreds of tests make one; the copy
    costs a millisecond. The app still creates the file itself (folder 0700, file 0600), and then
    finds it at the head revision, as it finds every diary after the first run. Files that exist
    already (old revisions, foreign or damaged files) and diaries made by a separate ``twitch``
    process are migrated for real, and so is every new diary in a test that asks for
    ``real_migrations`` (those about creating and migrating a diary).
    """
    if "real_migrations" in request.fixturenames:
        return
    template: bytes = request.getfixturevalue("migrated_template")
    from diary.db import open as opening

    create = opening.prepare_db_file

    def prepare_db_file(path: Path) -> bool:
        new = create(path)
        if new:
            path.write_bytes(template)
        return new

    monkeypatch.setattr(opening, "prepare_db_file", prepare_db_file)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a test's diary lives (not created yet)."""
    return tmp_path / "diary" / "diary.sqlite3"


@pytest.fixture
def engine(db_path: Path) -> Iterator[Engine]:
    """A migrated diary and its engine."""
    from diary.db.open import make_engine

    engine = make_engine(db_path)
    yield engine
    engine.dispose()


def private_copy(fixture: Path, folder: Path) -> Path:
    """A copy of the fixture diary ``fixture`` as the app keeps one: ``folder/diary/diary.sqlite3``
    in a private folder, readable by the owner only (not upgraded)."""
    target = folder / "diary" / "diary.sqlite3"
    target.parent.mkdir(mode=0o700)
    shutil.copyfile(fixture, target)
    target.chmod(0o600)
    return target


def assert_healthy(path: Path) -> None:
    """The SQLite file passes its integrity and foreign-key checks."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


@pytest.fixture
def diary_0001(tmp_path: Path) -> Path:
    """A private copy of ``DIARY_0001``, a diary the app wrote at revision 0001 (not upgraded)."""
    return private_copy(DIARY_0001, tmp_path)


@pytest.fixture
def diary_0003(tmp_path: Path) -> Path:
    """A private copy of ``DIARY_0003``, a diary the app wrote at revision 0003 (not upgraded)."""
    return private_copy(DIARY_0003, tmp_path)


#: The body of a revision that rebuilds a table (batch mode copies it), as a later schema change
#: would do: for ``migrations_with``.
REBUILD_EPISODE_TABLE = """
with op.batch_alter_table("episode", recreate="always") as batch:
    batch.add_column(sa.Column("extra", sa.Integer(), nullable=True))
"""


@pytest.fixture
def migrations_with(tmp_path: Path) -> Callable[..., Path]:
    """Make a copy of the real migrations plus one revision ``test`` after the head.

    Call it with the statements of that revision's ``upgrade()`` (``sa`` and ``op`` are imported),
    one block of code per argument; it returns the folder to pass as ``script_location``.
    """
    from diary.db import migrate
    from diary.db.schema import HEAD_REVISION

    def make(*upgrade: str) -> Path:
        location = tmp_path / "migrations"
        shutil.copytree(
            migrate.migrations_dir(), location, ignore=shutil.ignore_patterns("__pycache__")
        )
        header = textwrap.dedent(
            f"""\
            import sqlalchemy as sa
            from alembic import op

            revision = "test"
            down_revision = "{HEAD_REVISION}"
            branch_labels = None
            depends_on = None


            def upgrade():
            """
        )
        body = "".join(
            textwrap.indent(textwrap.dedent(step).strip("\n") + "\n", "    ") for step in upgrade
        )
        (location / "versions" / "test_revision.py").write_text(header + body)
        return location

    return make


@dataclass
class Result:
    """What a command printed and returned."""

    code: int
    out: str
    err: str


@pytest.fixture
def cli(db_path: Path) -> Callable[..., Result]:
    """Run ``twitch ARGS`` in this process against the test's database."""

    def run(*args: str) -> Result:
        done = twitch_in_process("--db", str(db_path), *args)
        return Result(done.returncode, done.stdout, done.stderr)

    return run


def twitch_process(
    *args: str, db: Path, env: dict[str, str] | None = None, **kwargs: Any
) -> subprocess.CompletedProcess[str]:
    """Run ``twitch`` as a separate process (what a person at a shell runs).

    For what needs a process of its own: signals and kills, several processes at once, what is
    imported, the terminal, encodings and ``TZ``, closed or full output, resource limits. Anything
    else runs faster through ``twitch_in_process``.
    """
    full_env = {**os.environ, "TZ": TEST_TZ, "TWITCH_DIARY_DB": str(db), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "diary", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=120,
        **kwargs,
    )


def twitch_in_process(
    *args: str,
    db: Path | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``twitch ARGS`` in this process, the way ``twitch_process`` runs it in a new one.

    A new Python costs 0.3–1.5 s a command (most of it importing the libraries again); here they
    are imported once. What a process has to itself is set for the call and put back afterwards:
    the environment (``TWITCH_DIARY_DB`` from ``db``, then ``env``), the working folder, the
    umask, the standard streams (input empty and not a terminal, as under pytest; output UTF-8,
    read back with universal newlines as ``text=True`` reads it), a fresh interpreter's warning
    filters (a warning is printed on stderr, as it would be), and the exit status (argparse's
    ``SystemExit``; 1 and a traceback on stderr for an uncaught exception). The database
    connections a command leaves open are closed, as exit would close them. ``TZ`` is refused:
    the zone is cached (tzlocal, ``time.tzset``) for the test's Berlin time.
    """
    if env and "TZ" in env:
        raise ValueError("a TZ of its own needs a fresh process: use twitch_process")
    from diary.__main__ import main

    changes = {**({"TWITCH_DIARY_DB": str(db)} if db is not None else {}), **(env or {})}
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace")
    streams = (sys.stdin, sys.stdout, sys.stderr)
    umask = os.umask(0o077)
    os.umask(umask)
    folder = os.getcwd()
    with _environment(changes), _fresh_warnings(), _connections_closed_at_exit():
        sys.stdin, sys.stdout, sys.stderr = io.StringIO(), out, err
        try:
            if cwd is not None:
                os.chdir(cwd)
            try:
                code = main(list(args))
            except SystemExit as exc:
                code = _exit_status(exc.code)
            except Exception:
                traceback.print_exc()
                code = 1
            for stream in (out, err):
                with suppress(OSError, ValueError):
                    stream.flush()
        finally:
            sys.stdin, sys.stdout, sys.stderr = streams
            os.chdir(folder)
            os.umask(umask)
    return subprocess.CompletedProcess(
        ["twitch", *args], code, _as_text_mode_reads(out), _as_text_mode_reads(err)
    )


def _exit_status(code: object) -> int:
    """The status ``sys.exit(code)`` gives a process: None is 0, a message is printed and 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def _as_text_mode_reads(stream: io.TextIOWrapper) -> str:
    """What ``subprocess.run(text=True)`` would read from this stream (universal newlines)."""
    raw = stream.buffer
    assert isinstance(raw, io.BytesIO)
    return io.TextIOWrapper(io.BytesIO(raw.getvalue()), encoding="utf-8").read()


@contextmanager
def _environment(changes: dict[str, str]) -> Iterator[None]:
    """``os.environ`` with ``changes`` for the block; afterwards exactly as before."""
    before = dict(os.environ)
    os.environ.update(changes)
    try:
        yield
    finally:
        for name in set(os.environ) - set(before):
            del os.environ[name]
        for name, value in before.items():
            if os.environ.get(name) != value:
                os.environ[name] = value


@contextmanager
def _connections_closed_at_exit() -> Iterator[None]:
    """Close the SQLite connections a command leaves in its engine's pool, as exit would.

    Until then the diary keeps its ``-wal`` file and the next command meets an open file.
    Closing them here costs nothing; collecting the engines (``gc.collect``) took 0.2 s a call.
    """
    from sqlalchemy import event
    from sqlalchemy.pool import Pool

    opened: list[Any] = []

    def remember(connection: Any, _record: Any) -> None:
        opened.append(connection)

    event.listen(Pool, "connect", remember)
    try:
        yield
    finally:
        event.remove(Pool, "connect", remember)
        for connection in opened:
            connection.close()


@contextmanager
def _fresh_warnings() -> Iterator[None]:
    """A new interpreter's warning filters, with warnings printed on (the current) stderr."""
    with warnings.catch_warnings():
        warnings.resetwarnings()
        for quiet in (
            DeprecationWarning,
            PendingDeprecationWarning,
            ImportWarning,
            ResourceWarning,
        ):
            warnings.simplefilter("ignore", quiet, append=True)

        def show(
            message: Warning | str,
            category: type[Warning],
            filename: str,
            lineno: int,
            file: TextIO | None = None,
            line: str | None = None,
        ) -> None:
            sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))

        warnings.showwarning = show
        yield


def copy_diary(source: Path, target: Path) -> None:
    """A private copy (folder 0700, file 0600) of the diary at ``source``, for a test to change
    where others read the original: SQLite's backup, consistent and in one file."""
    import sqlite3

    target.parent.mkdir(mode=0o700, exist_ok=True)
    reading, writing = sqlite3.connect(source), sqlite3.connect(target)
    try:
        reading.backup(writing)
    finally:
        reading.close()
        writing.close()
    target.chmod(0o600)


def table_dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every diary table, for before/after comparisons."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        names = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
        ]
        return {n: sorted(conn.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr) for n in names}
    finally:
        conn.close()
