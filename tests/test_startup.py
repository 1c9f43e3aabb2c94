"""Start-up stays light: nothing heavy is imported until a file passes the
pre-filter (a pre-commit call on a file without CORS code pays only for the
interpreter, argparse and the filter; its budget is 4x ``python -c pass``,
measured by ``benchmarks/bench.py --only precommit``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from cors_lint.codes import CODES, default_enabled_by_code
from cors_lint.rules.base import REGISTRY, all_rules


def test_code_table_matches_the_registry() -> None:
    """``codes.CODES`` is written out by hand (reading the rule modules costs
    start-up time); it must list every shipped rule, with its default."""
    all_rules()
    shipped = {code: rule.DEFAULT_ENABLED for code, rule in REGISTRY.items() if rule.__module__.startswith("cors_lint.")}
    assert CODES == dict(sorted(shipped.items()))
    assert list(CODES) == sorted(CODES)
    assert default_enabled_by_code() == CODES


# What a run on a file without CORS code may import of cors-lint, and what it
# must not import at all.  The heavy list names what each costs here: libcst
# ~150 ms; dataclasses (with inspect, ast, dis, tokenize) ~9 ms; tomllib ~8 ms;
# typing ~4 ms; the rest a few ms each, or modules only findings need.
LIGHT_PATH = {
    "cors_lint",
    "cors_lint.__main__",
    "cors_lint.cli",
    "cors_lint.codes",
    "cors_lint.config",
    "cors_lint.dependents",  # --with-dependents, as the pre-commit hook runs it
    "cors_lint.discovery",
    "cors_lint.gitignore",
    "cors_lint.prefilter",
    "cors_lint.project",
    "cors_lint.reporters",
    "cors_lint.reporters.text",
    "cors_lint.runner",
}
HEAVY = {
    "libcst",
    "dataclasses",
    "inspect",
    "typing",
    "tomllib",
    "tomli",
    "ast",
    "tokenize",
    "difflib",
    "hashlib",
    "json",
    "tempfile",
    "importlib.resources",
    "importlib.metadata",
    "multiprocessing",
    "pathspec",
}


def modules_after(code: str, cwd: Path) -> set[str]:
    """The modules a fresh interpreter has imported after running ``code``."""
    probe = f"import sys\n{code}\nprint('MODULES', ' '.join(sorted(sys.modules)))\n"
    proc = subprocess.run([sys.executable, "-c", probe], cwd=cwd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return set(proc.stdout.rsplit("MODULES ", 1)[1].split())


def heavy(modules: set[str]) -> set[str]:
    """The entries of ``HEAVY`` that ``modules`` (or a submodule of one) holds."""
    return {h for h in HEAVY for m in modules if m == h or m.startswith(h + ".")}


CONSOLE_SCRIPT = "from cors_lint.cli import main\nmain({argv!r})"  # what the cors-lint script runs
PYTHON_M = (  # python -m cors_lint
    "import runpy\nsys.argv = ['cors_lint', *{argv!r}]\ntry:\n"
    "    runpy.run_module('cors_lint', run_name='__main__', alter_sys=True)\nexcept SystemExit:\n    pass"
)


def test_a_run_on_a_file_without_cors_code_imports_nothing_heavy(tmp_path: Path) -> None:
    (tmp_path / "plain.py").write_text("import os\n\n\ndef handler(request):\n    return {'path': request.path}\n")
    interpreter = modules_after("", tmp_path)
    assert not heavy(interpreter), "the interpreter alone imports these; the test cannot judge them"
    for shape in (CONSOLE_SCRIPT, PYTHON_M):
        for argv in (["plain.py"], ["--isolated", "--exit-zero", "plain.py"], ["--force-exclude", "--with-dependents", "plain.py"]):
            extra = modules_after(shape.format(argv=argv), tmp_path) - interpreter
            assert heavy(extra) == set(), (shape, argv)
            assert {m for m in extra if m.startswith("cors_lint")} <= LIGHT_PATH, (shape, argv)


def test_a_pyproject_costs_only_the_toml_parser(tmp_path: Path) -> None:
    """A pyproject.toml is parsed whole (an invalid one is an error even
    without a [tool.cors-lint] table), which needs tomllib and, through it,
    typing, and difflib for near-miss table names; nothing else heavy."""
    (tmp_path / "plain.py").write_text("import os\n")
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n\n[tool.cors-lint]\nextend-exclude = ['gen']\n")
    interpreter = modules_after("", tmp_path)
    extra = modules_after(CONSOLE_SCRIPT.format(argv=["plain.py"]), tmp_path) - interpreter
    assert heavy(extra) - {"tomllib", "tomli", "typing", "difflib"} == set()
    assert {m for m in extra if m.startswith("cors_lint")} <= LIGHT_PATH


def test_the_heavy_module_probe_can_fail(tmp_path: Path) -> None:
    """With a finding, the same probe sees the engine and its imports."""
    (tmp_path / "app.py").write_text('resp.headers["Access-Control-Allow-Origin"] = "*"\n')
    interpreter = modules_after("", tmp_path)
    extra = modules_after(CONSOLE_SCRIPT.format(argv=["--format", "json", "app.py"]), tmp_path) - interpreter
    assert {"libcst", "dataclasses", "json"} <= heavy(extra)
    assert {"cors_lint.engine", "cors_lint.findings", "cors_lint.reporters.json"} <= extra


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
