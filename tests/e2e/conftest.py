"""The report of scenario S3, made once for the tests that only read it.

Making a report costs one to three seconds; several tests each read something different from the
same default report of the same diary. They share one (made once a worker), and none of them
changes the diary or the file. A test that makes a report with other options makes its own.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SCENARIOS, private_for_a_fixture, twitch_in_process


@dataclass(frozen=True)
class MadeReport:
    """A diary, the report ``twitch report --as-of AS_OF --out PDF`` made of it, and what it said."""

    db: Path
    as_of: str
    pdf: Path
    said: subprocess.CompletedProcess[str]
    expected: dict[str, Any]


@pytest.fixture(scope="session")
def s3_report(tmp_path_factory: pytest.TempPathFactory) -> MadeReport:
    """Scenario S3 imported into a new diary, and its report with the default options."""
    folder = tmp_path_factory.mktemp("s3-report")
    expected = json.loads((SCENARIOS / "S3" / "expected.json").read_text())
    db, pdf = folder / "diary" / "diary.sqlite3", folder / "out" / "report.pdf"
    (folder / "home").mkdir()
    with private_for_a_fixture(folder / "home"):
        imported = twitch_in_process("import", str(SCENARIOS / "S3"), db=db)
        assert imported.returncode == 0, imported.stderr
        said = twitch_in_process("report", "--as-of", expected["as_of"], "--out", str(pdf), db=db)
    assert said.returncode == 0, said.stderr
    return MadeReport(db, expected["as_of"], pdf, said, expected)
