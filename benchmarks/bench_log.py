"""How long ``twitch log calf`` takes as a whole process, next to ``python -c pass`` and jrnl.

Why: quick logging has to feel instant at a shell, or people stop logging. ``twitch log`` therefore
writes through plain ``sqlite3`` and imports SQLAlchemy, SQLModel and Alembic only when the schema
must be created or migrated (see ``diary/db/open.py``). This script checks that promise the way a
user feels it -- wall time of a whole process, interpreter start included -- against two yardsticks:
a bare interpreter start (the floor) and jrnl adding one entry (a well-known journal CLI). The goal
is ``twitch log`` in at most half of jrnl's time, with a diary already holding 10,000 episodes.

Standalone and stdlib only::

    python benchmarks/bench_log.py [--runs N] [--keep] [--jrnl-venv DIR]

The ``twitch`` timed is the one beside the running interpreter (falling back to
``python -m diary``). jrnl is installed with pip into its own venv (default
``benchmarks/.venv-jrnl``, git-ignored) on first use; without network the jrnl row says why it is
missing and the rest still runs. The diary and the journal live in a temporary folder, removed at
the end unless ``--keep`` is given.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent
DEFAULT_JRNL_VENV = HERE / ".venv-jrnl"

EPISODES = 10_000
WARMUPS = 2
JRNL_TEXT = "Calf twitched again."
HEAVY_MODULES = ("sqlalchemy", "sqlmodel", "alembic", "pydantic", "pandas", "matplotlib", "textual")
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f"  # what diary.validation.db_timestamp writes
PIP_TIMEOUT_S = 240

# Runs the quick path in-process, then reports which heavy packages ended up imported.
IMPORT_PROBE = f"""
import json, sys
from diary.__main__ import main
status = main(["log", "calf"])
heavy = {HEAVY_MODULES!r}
found = sorted({{name.partition(".")[0] for name in sys.modules}} & set(heavy))
print(json.dumps({{"status": status, "heavy": found}}))
"""


class BenchError(Exception):
    """A command the benchmark needs did not do what it should."""


@dataclass
class Command:
    """One command line to time, with its own environment."""

    label: str
    argv: list[str]
    env: dict[str, str]
    timings_ms: list[float] = field(default_factory=list)
    problem: str | None = None  # set when the command is missing or failed

    @property
    def median_ms(self) -> float | None:
        return statistics.median(self.timings_ms) if self.timings_ms and not self.problem else None


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=21, help="timed runs per command (median taken; at least 15)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--jrnl-venv",
        type=Path,
        default=DEFAULT_JRNL_VENV,
        help=f"venv that holds jrnl, created when missing (default {DEFAULT_JRNL_VENV})",
    )
    args = parser.parse_args(argv)
    if args.runs < 15:
        parser.error("--runs must be at least 15 for a stable median")
    return args


def run_once(command: Command, cwd: Path) -> float:
    """Run ``command`` once with stdin from /dev/null; its wall time in milliseconds."""
    start = time.perf_counter()
    done = subprocess.run(
        command.argv,
        env=command.env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    elapsed_ms = (time.perf_counter() - start) * 1000
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise BenchError(f"exit {done.returncode}: {detail[-1] if detail else 'no output'}")
    return elapsed_ms


def measure(commands: Sequence[Command], runs: int, cwd: Path) -> None:
    """Warm every command up, then time them in turn (interleaved, so drift hits all alike)."""
    active = [c for c in commands if c.problem is None]
    for _ in range(WARMUPS):
        for command in active:
            try:
                run_once(command, cwd)
            except BenchError as exc:
                command.problem = f"warm-up failed ({exc})"
        active = [c for c in active if c.problem is None]
    for _ in range(runs):
        for command in active:
            try:
                command.timings_ms.append(run_once(command, cwd))
            except BenchError as exc:
                command.problem = f"run failed ({exc})"
        active = [c for c in active if c.problem is None]


# --- twitch ------------------------------------------------------------------------------------


def twitch_argv() -> list[str]:
    """The ``twitch`` script beside this interpreter, else ``python -m diary``."""
    script = Path(sys.executable).parent / ("twitch.exe" if os.name == "nt" else "twitch")
    return [str(script)] if script.exists() else [sys.executable, "-m", "diary"]


def fake_episodes(count: int, now: datetime, rng: random.Random) -> Iterator[tuple[object, ...]]:
    """``count`` past calf twitches spread over about three years, as ``episode`` rows."""
    span_s = 3 * 365 * 24 * 3600
    for _ in range(count):
        started = now - timedelta(seconds=rng.randrange(3600, span_s))
        stamp = started.strftime(TIMESTAMP_FORMAT)
        yield (str(uuid.uuid4()), stamp, 60, "calf", "left", 3, 5, "twitch", "", "", None, stamp)


def prepare_diary(db: Path, env: dict[str, str]) -> None:
    """Create the diary with one real ``twitch log``, then add the rest directly with sqlite3."""
    done = subprocess.run(
        [*twitch_argv(), "log", "calf"],
        env=env,
        cwd=REPO_ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise BenchError(f"twitch log failed while creating the diary: {done.stderr.strip()}")
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    rows = fake_episodes(EPISODES - 1, now, random.Random(20250304))
    conn = sqlite3.connect(db)
    try:
        with conn:  # one transaction
            conn.executemany(
                "INSERT INTO episode (id, started_at_utc, utc_offset_min, body_site, side,"
                " intensity, duration_s, kind, symptoms, context, note, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
        (count,) = conn.execute("SELECT count(*) FROM episode").fetchone()
    finally:
        conn.close()
    if count != EPISODES:
        raise BenchError(f"diary holds {count} episodes, expected {EPISODES}")


def heavy_imports(env: dict[str, str]) -> str:
    """Which heavy packages a ``twitch log`` imports, run in-process under this interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_PROBE],
        env=env,
        cwd=REPO_ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        detail = done.stderr.strip().splitlines()
        return f"unknown (probe failed: {detail[-1] if detail else f'exit {done.returncode}'})"
    report = json.loads(lines[-1])
    if report["status"] != 0:
        return f"unknown (twitch log returned {report['status']})"
    return ", ".join(report["heavy"]) or "none"


# --- jrnl --------------------------------------------------------------------------------------


def venv_bin(venv: Path, name: str) -> Path:
    folder = venv / ("Scripts" if os.name == "nt" else "bin")
    return folder / (f"{name}.exe" if os.name == "nt" else name)


def ensure_jrnl(venv: Path) -> Path:
    """The ``jrnl`` executable in ``venv``, creating the venv and pip-installing jrnl if needed."""
    jrnl = venv_bin(venv, "jrnl")
    if jrnl.exists():
        return jrnl
    steps = []
    if not venv_bin(venv, "python").exists():
        steps.append([sys.executable, "-m", "venv", "--clear", str(venv)])
    steps.append([str(venv_bin(venv, "python")), "-m", "pip", "install", "--quiet", "jrnl"])
    print(f"installing jrnl into {venv} ...", file=sys.stderr)
    for step in steps:
        try:
            done = subprocess.run(
                step,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=PIP_TIMEOUT_S,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise BenchError(f"cannot install jrnl: {exc}") from None
        if done.returncode != 0:
            errors = [ln for ln in done.stderr.splitlines() if ln.startswith("ERROR")]
            detail = errors or done.stderr.strip().splitlines() or [f"exit {done.returncode}"]
            raise BenchError(f"cannot install jrnl: {detail[-1]}")
    if not jrnl.exists():
        raise BenchError(f"pip finished but {jrnl} is missing")
    return jrnl


def jrnl_version(venv: Path) -> str:
    """jrnl's own version string; the config must carry it or jrnl rewrites the file and says so."""
    done = subprocess.run(
        [str(venv_bin(venv, "python")), "-c", "from jrnl import __version__; print(__version__)"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise BenchError(f"cannot read jrnl's version: {done.stderr.strip()}")
    return done.stdout.strip()


def jrnl_config(journal: Path, version: str) -> str:
    """A complete jrnl 4.x config (the keys of ``jrnl.config.get_default_config``), as YAML.

    Strings are written JSON-quoted, which YAML reads as double-quoted scalars. A complete config
    with the current version means jrnl neither runs its install prompts nor rewrites the file.
    """
    q = json.dumps
    lines = [
        f"version: {q(version)}",
        "journals:",
        "  default:",
        f"    journal: {q(str(journal))}",
        'editor: ""',
        "encrypt: false",
        "template: false",
        "default_hour: 9",
        "default_minute: 0",
        f"timeformat: {q('%F %r')}",
        f"tagsymbols: {q('#@')}",
        "highlight: false",
        "linewrap: 79",
        f"indent_character: {q('|')}",
        "colors:",
        "  body: none",
        "  date: none",
        "  tags: none",
        "  title: none",
    ]
    return "\n".join(lines) + "\n"


def prepare_jrnl(venv: Path, folder: Path, base_env: dict[str, str]) -> tuple[Command, Path]:
    """A jrnl command that appends one entry to a fresh journal in ``folder``, never prompting.

    jrnl 4.x has no config-path variable; it reads ``$XDG_CONFIG_HOME/jrnl/jrnl.yaml`` (through
    pyxdg), so the child gets its own XDG folders and the config is written there beforehand.
    """
    jrnl = ensure_jrnl(venv)
    config_dir = folder / "xdg-config" / "jrnl"
    config_dir.mkdir(parents=True)
    journal = folder / "journal.txt"
    journal.touch()  # else the first run announces "Journal 'default' created"
    (config_dir / "jrnl.yaml").write_text(jrnl_config(journal, jrnl_version(venv)), "utf-8")
    env = {
        **base_env,
        "XDG_CONFIG_HOME": str(folder / "xdg-config"),
        "XDG_DATA_HOME": str(folder / "xdg-data"),
        "XDG_CACHE_HOME": str(folder / "xdg-cache"),
    }
    for name in ("VISUAL", "EDITOR", "JRNL_CONFIG"):
        env.pop(name, None)
    return Command('jrnl "entry" (one entry)', [str(jrnl), JRNL_TEXT], env), journal


def check_journal(command: Command, journal: Path) -> None:
    """Every run that succeeded must have left exactly one entry in the journal."""
    if command.problem:
        return
    written = journal.read_text("utf-8").count(JRNL_TEXT)
    expected = WARMUPS + len(command.timings_ms)
    if written != expected:
        command.problem = f"journal holds {written} entries, expected {expected}"


# --- report ------------------------------------------------------------------------------------


def ratio(value: float | None, base: float | None) -> str:
    return f"{value / base:.2f}x" if value is not None and base else "-"


def table(commands: Sequence[Command], baseline: Command, jrnl: Command) -> str:
    widths = (36, 11, 9, 20, 9)
    headers = ("command", "median ms", "min ms", "vs python -c pass", "vs jrnl")
    out = [_row(headers, widths)]
    for command in commands:
        median = command.median_ms
        if median is None:
            out.append(f"{command.label:<{widths[0]}}  not measured: {command.problem}")
            continue
        cells = (
            command.label,
            f"{median:.1f}",
            f"{min(command.timings_ms):.1f}",
            ratio(median, baseline.median_ms),
            ratio(median, jrnl.median_ms),
        )
        out.append(_row(cells, widths))
    return "\n".join(out)


def _row(cells: Sequence[str], widths: Sequence[int]) -> str:
    first, *rest = cells
    return f"{first:<{widths[0]}}" + "".join(
        f"{cell:>{width}}" for cell, width in zip(rest, widths[1:], strict=True)
    )


def goal_line(twitch: Command, jrnl: Command) -> str:
    if twitch.median_ms is None:
        return "goal: twitch log <= 0.5 x jrnl  -> unknown (twitch not measured)"
    if jrnl.median_ms is None:
        return "goal: twitch log <= 0.5 x jrnl  -> unknown (jrnl not measured)"
    met = twitch.median_ms <= 0.5 * jrnl.median_ms
    return f"goal: twitch log <= 0.5 x jrnl  -> {'met' if met else 'not met'}"


def child_env(folder: Path) -> dict[str, str]:
    """The environment every timed process gets: Berlin time, and bytecode cached in ``folder``.

    An installed app runs from cached bytecode. With ``PYTHONDONTWRITEBYTECODE`` set (as in some
    dev shells and CI) and no ``__pycache__`` in the source tree, every run would compile the
    ``diary`` package from source again, which costs more than 20 ms. So the children may write
    bytecode, but into the temporary folder (``PYTHONPYCACHEPREFIX``), never the source tree; the
    warm-up runs fill that cache for all three commands alike.
    """
    env = {**os.environ, "TZ": "Europe/Berlin", "PYTHONPYCACHEPREFIX": str(folder / "pycache")}
    for name in ("PYTHONDONTWRITEBYTECODE", "PYTHONSTARTUP"):
        env.pop(name, None)
    return env


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="bench-log-"))
    try:
        base_env = child_env(folder)
        db = folder / "diary" / "diary.sqlite3"
        twitch_env = {**base_env, "TWITCH_DIARY_DB": str(db)}

        baseline = Command("python -c pass", [sys.executable, "-c", "pass"], base_env)
        twitch = Command(
            f"twitch log calf ({EPISODES:,} episodes)", [*twitch_argv(), "log", "calf"], twitch_env
        )
        prepare_diary(db, twitch_env)
        journal: Path | None = None
        try:
            jrnl, journal = prepare_jrnl(args.jrnl_venv, folder / "jrnl", base_env)
        except (BenchError, OSError) as exc:
            jrnl = Command('jrnl "entry" (one entry)', [], base_env, problem=str(exc))

        commands = [baseline, twitch, jrnl]
        measure(commands, args.runs, cwd=REPO_ROOT)
        if journal is not None:
            check_journal(jrnl, journal)

        print(f"interpreter: {sys.executable} (Python {sys.version.split()[0]})")
        print(f"twitch:      {' '.join(twitch.argv[:-2])}")
        print(f"runs:        median of {args.runs} per command after {WARMUPS} warm-ups")
        print(f"bytecode:    cached under {folder / 'pycache'} (PYTHONPYCACHEPREFIX)")
        print()
        print(table(commands, baseline, jrnl))
        print(goal_line(twitch, jrnl))
        print(f"heavy modules imported: {heavy_imports(twitch_env)}")
        return 1 if baseline.problem or twitch.problem else 0
    except BenchError as exc:
        print(f"bench_log: {exc}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"kept:        {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
