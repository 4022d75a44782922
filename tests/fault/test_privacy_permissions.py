"""Private by construction: no network, owner-only files, durable pragmas, anonymous PDF metadata.

The commands run in a separate Python whose sockets refuse to connect or resolve from before the
first import, each under the permissive ``umask 022`` most shells have: the app must still make
everything 0600/0700 itself. One Python runs them all, one after another as a person would (a
Python for each command cost seconds, most of it importing the same libraries again).
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from diary.db import sqlite
from tests.conftest import TEST_TZ, twitch_in_process

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
NO_NETWORK = """
import os, socket, sys
def deny(*a, **k):
    raise OSError("network blocked")
socket.socket.connect = deny
socket.socket.connect_ex = deny
socket.socket.sendto = deny
socket.create_connection = deny
socket.getaddrinfo = deny
"""
#: Runs each ``twitch`` command line of the JSON list in ``argv[1]`` (under umask 022, output
#: captured, a traceback kept as the command's error output) and prints what each said, as JSON.
COMMANDS = (
    NO_NETWORK
    + """
import io, json, traceback
from diary.__main__ import main
said = []
for argv in json.loads(sys.argv[1]):
    os.umask(0o022)
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    sys.stdout, sys.stderr = out, err
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        out.flush()
        err.flush()
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    texts = [stream.buffer.getvalue().decode() for stream in (out, err)]
    said.append({"args": argv, "code": code, "out": texts[0], "err": texts[1]})
print(json.dumps(said))
"""
)
SECRET_NAME = "Sam Secretname"


def _twitch_offline(*commands: list[str], cwd: Path) -> list[dict[str, object]]:
    """Run the ``twitch`` command lines in one offline Python; each must succeed cleanly."""
    env = {**os.environ, "TZ": TEST_TZ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
    env.pop("TWITCH_DIARY_DB", None)
    done = subprocess.run(
        [sys.executable, "-c", COMMANDS, json.dumps(commands)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "network blocked" not in done.stderr, done.stderr
    said: list[dict[str, object]] = json.loads(done.stdout)
    assert [command["args"] for command in said] == list(commands)
    for command in said:
        assert command["code"] == 0, command
        assert "Traceback" not in command["err"] and "network blocked" not in command["err"]
    return said


def test_the_wrapper_really_blocks_the_network(tmp_path: Path) -> None:
    probe = NO_NETWORK + (
        "try:\n    socket.create_connection(('127.0.0.1', 9))\nexcept OSError as e:\n    print(e)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=30)
    assert done.stdout.strip() == "network blocked"


def _modes(top: Path) -> tuple[dict[str, int], dict[str, int]]:
    files, folders = {}, {}
    for path in [top, *top.rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        (folders if path.is_dir() else files)[str(path.relative_to(top.parent))] = mode
    return files, folders


def _check_pragmas(db: Path) -> None:
    conn = sqlite.connect(db)
    try:
        values = sqlite.pragmas(conn)
    finally:
        conn.close()
    assert str(values["journal_mode"]).lower() == "wal"
    assert values["synchronous"] == 2
    assert values["foreign_keys"] == 1
    assert int(values["busy_timeout"]) >= 5000  # type: ignore[call-overload]

    from diary.db.open import make_engine

    engine = make_engine(db)
    try:
        with engine.connect() as conn2:
            got = [
                conn2.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
            ]
    finally:
        engine.dispose()
    assert got[0] == "wal" and got[1] == 2 and got[2] == 1 and got[3] >= 5000


def test_every_command_offline_private_and_durable(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    app = tmp_path / "app"  # everything under here is created by the app
    db = app / "diary" / "nested" / "diary.sqlite3"
    export = app / "exports" / "one"
    demo = app / "demo" / "demo.sqlite3"
    pdf = app / "reports" / "for-the-doctor.pdf"
    on_diary, on_demo = ["--db", str(db)], ["--db", str(demo)]

    said = _twitch_offline(
        [*on_diary, "log", "calf", "--side", "left", "--intensity", "4", "--note", "private"],
        [*on_diary, "day", "--water", "1.5l", "--caffeine", "2cups", "--sleep", "6h"],
        [*on_diary, "med", "add", "magnesium", "--class", "supplement"],
        [*on_diary, "visit", "add", "--kind", "gp", "--test", "ck", "--outcome", "normal"],
        [*on_diary, "profile", "--name", SECRET_NAME],
        [*on_diary, "list"],
        [*on_diary, "export", "--out", str(export)],
        [*on_diary, "import", str(export)],
        [*on_diary, "flags"],
        [*on_demo, "demo", "--seed", "3", "--days", "60"],
        [*on_demo, "profile", "--name", SECRET_NAME],
        [*on_demo, "flags"],
        [*on_demo, "report", "--out", str(pdf), "--png", str(app / "reports" / "png")],
        cwd=work,
    )
    assert "calf" in str(said[5]["out"])
    assert "already there" in str(said[7]["out"])

    files, folders = _modes(app)
    assert any(name.endswith(".pdf") for name in files)
    assert any(name.endswith(".png") for name in files)
    assert sum(name.endswith(".csv") for name in files) == 8  # every file of the export
    assert {name: mode for name, mode in files.items() if mode != 0o600} == {}
    created_folders = {name: mode for name, mode in folders.items() if name != "app"}
    assert {name: mode for name, mode in created_folders.items() if mode != 0o700} == {}
    assert list(work.iterdir()) == []  # nothing dropped in the working folder

    for path in (db, demo):
        _check_pragmas(path)

    from pypdf import PdfReader

    metadata = PdfReader(pdf).metadata or {}
    text = " ".join(f"{key}={value}" for key, value in metadata.items())
    for secret in (
        SECRET_NAME,
        "Secretname",
        str(tmp_path),
        tmp_path.name,
        os.environ.get("USER") or "\0",
    ):
        assert secret not in text, text
    assert "/" not in "".join(str(v) for v in metadata.values()), text


def _export(db: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return twitch_in_process("export", "--out", str(out), db=db)


def _diary_with_a_secret(tmp_path: Path) -> Path:
    db = tmp_path / "diary.sqlite3"
    made = twitch_in_process("log", "calf", "--note", SECRET_NAME, db=db)
    assert made.returncode == 0, made.stderr
    return db


def test_a_planted_symlink_at_the_temporary_name_is_not_followed(tmp_path: Path) -> None:
    """``.episodes.csv.partial`` pointing at another file: that file must stay as it was."""
    db = _diary_with_a_secret(tmp_path)
    out = tmp_path / "shared"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    (out / ".episodes.csv.partial").symlink_to(victim)
    done = _export(db, out)
    assert done.returncode == 0, done.stderr
    assert SECRET_NAME in (out / "episodes.csv").read_text()  # the export did happen
    assert victim.read_text() == "precious\n"
    assert (out / ".episodes.csv.partial").is_symlink()  # left alone, not written through
    assert stat.S_IMODE((out / "episodes.csv").lstat().st_mode) == 0o600


def test_a_planted_fifo_at_the_temporary_name_receives_nothing(tmp_path: Path) -> None:
    """In a shared folder a FIFO at the old predictable name handed the export to its reader."""
    db = _diary_with_a_secret(tmp_path)
    out = tmp_path / "shared"
    out.mkdir()
    fifo = out / ".episodes.csv.partial"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # the attacker listening
    try:
        done = _export(db, out)
        try:
            leaked = os.read(reader, 1 << 16)
        except BlockingIOError:
            leaked = b""
    finally:
        os.close(reader)
    assert done.returncode == 0, done.stderr
    assert SECRET_NAME in (out / "episodes.csv").read_text()
    assert SECRET_NAME.encode() not in leaked
    assert leaked == b""
    assert not [p.name for p in out.iterdir() if p.name.endswith(".partial") and p != fifo]
