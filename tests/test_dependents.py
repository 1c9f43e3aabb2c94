"""--with-dependents: importers of the changed files (one hop) and import-*
chains, found from raw text; plain runs stay single-file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cors_lint.dependents import find_dependents, project_root

MIDDLEWARE = (
    "from starlette.middleware.cors import CORSMiddleware\n{imp}\n\n"
    "def setup(app):\n    app.add_middleware(CORSMiddleware, allow_origins=ALLOWED_ORIGINS, allow_credentials=True)\n"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("")
    for pkg in ("proj", "proj/settings", "proj/app", "proj/unrelated"):
        (tmp_path / pkg).mkdir(exist_ok=True)
        (tmp_path / pkg / "__init__.py").write_text("")
    (tmp_path / "proj/settings/base.py").write_text('ALLOWED_ORIGINS = ["*"]\n')
    (tmp_path / "proj/settings/prod.py").write_text("from .base import *\nDEBUG = False\n")
    (tmp_path / "proj/settings/live.py").write_text("from proj.settings.prod import *\n")
    (tmp_path / "proj/app/main.py").write_text(MIDDLEWARE.format(imp="from proj.settings.live import ALLOWED_ORIGINS"))
    (tmp_path / "proj/app/relative.py").write_text("from ..settings import base\n")
    (tmp_path / "proj/app/modimport.py").write_text("import proj.settings.base as b\n")
    (tmp_path / "proj/app/parens.py").write_text("from proj.settings import (\n    DEBUG,\n    base,\n)\n")
    (tmp_path / "proj/unrelated/base_user.py").write_text("from proj.unrelated import base\nbase = 1\n")
    (tmp_path / "proj/unrelated/text.py").write_text('NOTE = "from proj.settings.base import nothing"  # not an import line?\n')
    return tmp_path


def names(paths: list[str], root: Path) -> set[str]:
    return {Path(p).resolve().relative_to(root.resolve()).as_posix() for p in paths}


def test_importers_and_star_chains(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    found = names(find_dependents(["proj/settings/base.py"], ()), project)
    assert {"proj/settings/prod.py", "proj/settings/live.py"} <= found  # star-import chain, any length
    assert {"proj/app/main.py", "proj/app/relative.py", "proj/app/modimport.py", "proj/app/parens.py"} <= found
    assert "proj/unrelated/base_user.py" not in found  # another module named base
    assert "proj/settings/base.py" not in found  # the changed file itself


def test_one_hop_only(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    (project / "proj/app/second.py").write_text("from proj.app.main import setup\n")
    found = names(find_dependents(["proj/settings/base.py"], ()), project)
    assert "proj/app/second.py" not in found


def test_project_root_is_the_nearest_marker(project: Path) -> None:
    assert project_root(project / "proj/settings/base.py") == project
    (project / "proj" / "setup.cfg").write_text("")
    assert project_root(project / "proj/settings/base.py") == project / "proj"


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cors_lint", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_cli_reports_the_finding_in_the_dependent(project: Path) -> None:
    plain = cli("proj/settings/base.py", cwd=project)
    assert plain.returncode == 0 and plain.stdout == ""  # plain runs stay single-file
    wide = cli("--with-dependents", "proj/settings/base.py", cwd=project)
    assert wide.returncode == 1
    assert wide.stdout.startswith("proj/app/main.py:5:") and " COR202 " in wide.stdout


def test_excluded_dependents_stay_excluded(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.cors-lint]\nextend-exclude = ["proj/app"]\n')
    proc = cli("--with-dependents", "proj/settings/base.py", cwd=project)
    assert proc.returncode == 0 and proc.stdout == ""
