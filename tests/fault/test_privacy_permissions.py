"""Private by construction: no network, owner-only files, durable pragmas, anonymous PDF metadata.

Every command runs in a separate Python whose sockets refuse to connect or resolve, under the
permissive ``umask 022`` most shells have: the app must still make everything 0600/0700 itself.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from diary.db import sqlite
from tests.conftest import TEST_TZ

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
os.umask(0o022)
import runpy
sys.argv = ["twitch", *sys.argv[1:]]
runpy.run_module("diary", run_name="__main__", alter_sys=True)
"""
SECRET_NAME = "Sam Secretname"


def _twitch(*args: str, db: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TZ": TEST_TZ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
    env.pop("TWITCH_DIARY_DB", None)
    done = subprocess.run(
        [sys.executable, "-c", NO_NETWORK, "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=180,
    )
    assert done.returncode == 0, (args, done.stderr)
    assert "Traceback" not in done.stderr and "network blocked" not in done.stderr
    return done


def test_the_wrapper_really_blocks_the_network(tmp_path: Path) -> None:
    probe = NO_NETWORK.split("import runpy")[0] + (
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

    _twitch(
        "log", "calf", "--side", "left", "--intensity", "4", "--note", "private", db=db, cwd=work
    )
    _twitch("day", "--water", "1.5l", "--caffeine", "2cups", "--sleep", "6h", db=db, cwd=work)
    _twitch("med", "add", "magnesium", "--class", "supplement", db=db, cwd=work)
    _twitch("visit", "add", "--kind", "gp", "--test", "ck", "--outcome", "normal", db=db, cwd=work)
    _twitch("profile", "--name", SECRET_NAME, db=db, cwd=work)
    assert "calf" in _twitch("list", db=db, cwd=work).stdout
    export = app / "exports" / "one"
    _twitch("export", "--out", str(export), db=db, cwd=work)
    assert "already there" in _twitch("import", str(export), db=db, cwd=work).stdout
    _twitch("flags", db=db, cwd=work)

    demo = app / "demo" / "demo.sqlite3"
    _twitch("demo", "--seed", "3", "--days", "60", db=demo, cwd=work)
    _twitch("profile", "--name", SECRET_NAME, db=demo, cwd=work)
    _twitch("flags", db=demo, cwd=work)
    pdf = app / "reports" / "for-the-doctor.pdf"
    _twitch("report", "--out", str(pdf), "--png", str(app / "reports" / "png"), db=demo, cwd=work)

    files, folders = _modes(app)
    assert any(name.endswith(".pdf") for name in files)
    assert any(name.endswith(".png") for name in files)
    assert sum(name.endswith(".csv") for name in files) == 5
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
    env = {**os.environ, "TZ": TEST_TZ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "diary", "--db", str(db), "export", "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def _diary_with_a_secret(tmp_path: Path) -> Path:
    db = tmp_path / "diary.sqlite3"
    _twitch("log", "calf", "--note", SECRET_NAME, db=db, cwd=tmp_path)
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
