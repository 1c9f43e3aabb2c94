"""Start-up stays light: nothing heavy is imported until a file passes the
pre-filter (a pre-commit call on a file without CORS code pays only for the
interpreter and the filter)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from cors_lint.codes import default_enabled_by_code
from cors_lint.rules.base import REGISTRY, all_rules


def test_code_table_matches_the_registry() -> None:
    all_rules()
    shipped = {code: rule.DEFAULT_ENABLED for code, rule in REGISTRY.items() if rule.__module__.startswith("cors_lint.")}
    assert default_enabled_by_code() == dict(sorted(shipped.items()))


def imported_after(code: str, cwd: Path) -> set[str]:
    probe = f"import sys\n{code}\nprint(' '.join(sorted(m for m in sys.modules if m.split('.')[0] == 'libcst')))\n"
    proc = subprocess.run([sys.executable, "-c", probe], cwd=cwd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return set(proc.stdout.split())


def test_cli_on_a_file_without_cors_code_does_not_import_libcst(tmp_path: Path) -> None:
    (tmp_path / "plain.py").write_text("import os\n\nprint(os.getcwd())\n")
    code = "from cors_lint import cli\ntry:\n    cli.main(['plain.py'])\nexcept SystemExit:\n    pass"
    assert imported_after(code, tmp_path) == set()


def test_cli_on_a_file_with_cors_code_imports_libcst(tmp_path: Path) -> None:
    """The probe above can fail: with a CORS file libcst is imported."""
    (tmp_path / "app.py").write_text('resp.headers["Access-Control-Allow-Origin"] = "*"\n')
    code = "from cors_lint import cli\ncli.main(['app.py'])"
    assert "libcst" in imported_after(code, tmp_path)


def test_plugin_and_project_modules_import_without_libcst(tmp_path: Path) -> None:
    code = "import cors_lint.flake8_plugin, cors_lint.project, cors_lint.engine, cors_lint.reporters"
    assert imported_after(code, tmp_path) == set()
