"""Run the command in a project directory and read its text findings as
(path, line, code) rows, for tests that check where findings land across
modules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cors_lint", "--isolated", *args], cwd=cwd, capture_output=True, text=True)


def write_package(root: Path, name: str, modules: dict[str, str]) -> Path:
    """``root/name`` as a package of ``modules`` (file name -> text; an
    empty ``__init__.py`` unless given); returns ``root``, where the
    command then runs."""
    package = root / name
    package.mkdir()
    for file, text in {"__init__.py": "", **modules}.items():
        (package / file).write_text(text)
    return root


def rows(stdout: str) -> list[tuple[str, int, str]]:
    out = []
    for line in stdout.splitlines():
        if line.startswith("Found"):
            continue
        path, line_no, _col, rest = line.split(":", 3)
        out.append((path, int(line_no), rest.split()[0]))
    return out
