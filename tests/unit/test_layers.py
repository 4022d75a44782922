"""The house's structure, checked: imports run downward and modules stay a size a person can read.

The layers and the two "forbidden" contracts live in ``pyproject.toml`` (``[tool.importlinter]``);
import-linter builds the whole import graph, imports inside functions included, so a back door
through a lazy import is caught as well as a module-level one.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: "No module over ~400 lines" (issue 11): a little slack, not a second limit to design to.
MAX_LINES = 420

LINT = (
    "from importlinter.cli import lint_imports; "
    "raise SystemExit(lint_imports(config_filename='pyproject.toml', no_cache=True, no_logo=True))"
)


def test_every_import_contract_is_kept() -> None:
    done = subprocess.run(
        [sys.executable, "-c", LINT], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 kept, 0 broken" in done.stdout, done.stdout


def test_no_module_is_longer_than_a_person_can_hold_in_their_head() -> None:
    sizes = {
        path.relative_to(ROOT).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in (ROOT / "diary").rglob("*.py")
    }
    assert sizes, "no modules found"
    too_long = {name: n for name, n in sizes.items() if n > MAX_LINES}
    assert not too_long, f"modules over {MAX_LINES} lines: {too_long}"
