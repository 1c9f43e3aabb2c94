"""End-to-end: the CLI as a subprocess (``python -m cors_lint``) on temp files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cors_lint import __version__
from cors_lint.rules.base import REGISTRY, all_rules

REFLECTING = '''\
from flask import request


def add_cors(resp):
    resp.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin")
    resp.headers["Vary"] = "Origin"
    return resp
'''
WILDCARD_WITH_CREDENTIALS = '''\
def add_cors(resp):
    resp.headers["Access-Control-Allow-Origin"] = "*"
    resp.headers["Access-Control-Allow-Credentials"] = "true"
    return resp
'''
PUBLIC_API = '''\
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=["*"])
'''
SAFE = '''\
ALLOWED = {"https://app.example.com"}


def add_cors(resp, request):
    origin = request.headers.get("Origin")
    if origin in ALLOWED:
        resp.headers["Access-Control-Allow-Origin"] = origin
        resp.headers["Vary"] = "Origin"
    return resp
'''


def run_cli(*args: str, cwd: Path, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "cors_lint", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=120,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(REFLECTING)
    (tmp_path / "creds.py").write_text(WILDCARD_WITH_CREDENTIALS)
    (tmp_path / "safe.py").write_text(SAFE)
    return tmp_path


def codes_by_line(stdout: str) -> list[tuple[str, int, str]]:
    out = []
    for line in stdout.splitlines():
        path, row, _col, rest = line.split(":", 3)
        out.append((path, int(row), rest.split()[0]))
    return out


def test_clean_file_exits_0(project: Path) -> None:
    proc = run_cli("safe.py", cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert "No findings (1 file checked)." in proc.stderr


def test_findings_exit_1_with_flake8_style_lines(project: Path) -> None:
    proc = run_cli("app.py", cwd=project)
    assert proc.returncode == 1, proc.stderr
    first = proc.stdout.splitlines()[0]
    # column 5 = libcst's 0-based column 4 of the subscript target, plus one
    assert first.startswith("app.py:5:5: COR101 "), first
    assert "Found 1 finding in 1 file." in proc.stderr


def test_default_path_is_cwd_and_output_is_sorted(project: Path) -> None:
    proc = run_cli(cwd=project)
    assert proc.returncode == 1
    rows = codes_by_line(proc.stdout)
    assert ("app.py", 5, "COR101") in rows
    assert ("creds.py", 2, "COR201") in rows
    assert not any(path == "safe.py" for path, _, _ in rows)
    assert rows == sorted(rows)
    assert "Found" in proc.stderr and "Found" not in proc.stdout


def test_python_dash_m_and_version(project: Path) -> None:
    proc = run_cli("--version", cwd=project)
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"cors-lint {__version__}"


def test_missing_path_reports_and_checks_the_rest(project: Path) -> None:
    proc = run_cli("nope.py", "app.py", cwd=project)
    assert proc.returncode == 2
    assert "cors-lint: error: path does not exist: nope.py" in proc.stderr.splitlines()
    assert "app.py:5:5: COR101" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_exit_zero(project: Path) -> None:
    proc = run_cli("--exit-zero", "app.py", cwd=project)
    assert proc.returncode == 0
    assert "COR101" in proc.stdout


@pytest.mark.parametrize(
    "args, expected",
    [
        (["--select", "COR2"], {"COR201"}),
        (["--select", "COR101"], {"COR101"}),
        (["--ignore", "COR1"], {"COR201"}),
        (["--select", "COR201", "--extend-select", "COR101"], {"COR101", "COR201"}),
        (["--select", "COR101", "--ignore", "COR1"], {"COR101"}),  # the more specific selector wins
        (["--select", "ALL", "--ignore", "COR2"], {"COR101"}),
    ],
)
def test_selection_by_prefix(project: Path, args: list[str], expected: set[str]) -> None:
    proc = run_cli(*args, "app.py", "creds.py", cwd=project)
    assert {code for _, _, code in codes_by_line(proc.stdout)} == expected, proc.stdout


@pytest.mark.parametrize("flag", ["--select", "--ignore", "--extend-select"])
def test_unknown_code_is_a_usage_error(project: Path, flag: str) -> None:
    proc = run_cli(flag, "COR999", "app.py", cwd=project)
    assert proc.returncode == 2
    assert "unknown rule code or prefix 'COR999'" in proc.stderr
    assert proc.stdout == ""


def test_bad_flag_value_is_a_usage_error(project: Path) -> None:
    proc = run_cli("--format", "xml", "app.py", cwd=project)
    assert proc.returncode == 2
    assert "invalid choice" in proc.stderr


def test_opt_in_codes_need_explicit_selection(tmp_path: Path) -> None:
    opt_in = [cls.CODE for cls in all_rules() if not cls.DEFAULT_ENABLED]
    if "COR203" not in opt_in:
        pytest.skip("COR203 (opt-in wildcard-origin) is not implemented yet")
    (tmp_path / "public.py").write_text(PUBLIC_API)
    assert run_cli("public.py", cwd=tmp_path).returncode == 0
    assert run_cli("--select", "COR2", "public.py", cwd=tmp_path).returncode == 0
    for args in (["--select", "COR203"], ["--extend-select", "COR203"], ["--select", "ALL"]):
        proc = run_cli(*args, "public.py", cwd=tmp_path)
        assert proc.returncode == 1 and "COR203" in proc.stdout, (args, proc.stdout)


def test_json_format(project: Path) -> None:
    proc = run_cli("--format", "json", "app.py", "safe.py", cwd=project)
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert data["version"] == __version__
    assert data["errors"] == []
    f = next(f for f in data["findings"] if f["code"] == "COR101")
    assert set(f) == {
        "path", "line", "column", "end_line", "end_column", "code", "name", "message", "severity", "confidence",
        "docs", "url", "fix", "confirm", "properties",
    }
    # the claim behind the message, for `cors-lint probe --findings`
    assert f["properties"]["proof_origin"] == "https://attacker.example"
    assert (f["path"], f["line"], f["column"]) == ("app.py", 5, 5)
    all_rules()  # the registry fills as the rule modules are imported; in this process, maybe not yet
    assert f["name"] == REGISTRY["COR101"].NAME == "origin-reflected-without-allowlist"
    assert f["end_line"] == 5 and f["end_column"] > f["column"]
    assert f["severity"] in ("low", "medium", "high", "critical")
    assert proc.stderr == ""  # no summary in machine formats


def test_sarif_format(project: Path) -> None:
    proc = run_cli("--format", "sarif", "app.py", cwd=project)
    assert proc.returncode == 1
    log = json.loads(proc.stdout)
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    result = next(r for r in run["results"] if r["ruleId"] == "COR101")
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (5, 5)
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "app.py"
    assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "COR101"


def test_github_format(project: Path) -> None:
    proc = run_cli("--format", "github", "app.py", cwd=project)
    assert proc.returncode == 1
    line = next(ln for ln in proc.stdout.splitlines() if "COR101" in ln)
    assert line.startswith("::error file=app.py,line=5,col=5,endLine=5,endColumn=")
    assert ",title=cors-lint (COR101)::" in line


def test_stdin_with_filename(project: Path) -> None:
    proc = run_cli("-", "--stdin-filename", "pkg/view.py", cwd=project, stdin=REFLECTING)
    assert proc.returncode == 1
    assert proc.stdout.startswith("pkg/view.py:5:5: COR101")
    proc = run_cli("-", cwd=project, stdin=SAFE)
    assert proc.returncode == 0


def test_directory_discovery_and_default_excludes(project: Path) -> None:
    for excluded in (".venv", "build", "node_modules", "__pycache__", ".tox", ".nox", "site-packages"):
        (project / excluded).mkdir()
        (project / excluded / "vendored.py").write_text(REFLECTING)
    (project / "pkg").mkdir()
    (project / "pkg" / "views.py").write_text(REFLECTING)
    (project / "pkg" / "notes.txt").write_text(REFLECTING)
    proc = run_cli(".", cwd=project)
    paths = {path for path, _, _ in codes_by_line(proc.stdout)}
    assert paths == {"app.py", "creds.py", "pkg/views.py"}


def test_extend_exclude_and_force_exclude(project: Path) -> None:
    (project / "gen").mkdir()
    (project / "gen" / "api.py").write_text(REFLECTING)
    paths = lambda proc: {p for p, _, _ in codes_by_line(proc.stdout)}  # noqa: E731
    assert paths(run_cli("--extend-exclude", "gen,creds.py", ".", cwd=project)) == {"app.py"}
    # explicit files are linted unless --force-exclude (pre-commit passes names)
    assert paths(run_cli("--extend-exclude", "gen", "gen/api.py", cwd=project)) == {"gen/api.py"}
    proc = run_cli("--extend-exclude", "gen", "--force-exclude", "gen/api.py", "app.py", cwd=project)
    assert paths(proc) == {"app.py"}
    # --exclude replaces the defaults
    (project / "build").mkdir()
    (project / "build" / "x.py").write_text(REFLECTING)
    assert "build/x.py" in paths(run_cli("--exclude", "gen", ".", cwd=project))


def test_statistics_and_show_source(project: Path) -> None:
    proc = run_cli("--statistics", "--show-source", "app.py", "creds.py", cwd=project)
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("app.py:5:5: COR101")
    assert lines[1] == '    resp.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin")'
    assert lines[2] == " " * 4 + "^"
    stats = [ln.split() for ln in lines if ln.startswith(" ") and ln.split()[0].isdigit()]
    assert ["1", "COR101", "origin-reflected-without-allowlist"] in stats


@pytest.mark.parametrize(
    "args, env, colored",
    [
        ([], {}, False),  # a pipe is not a TTY
        (["--color", "always"], {}, True),
        (["--color", "always"], {"NO_COLOR": "1"}, True),  # the flag beats NO_COLOR
        ([], {"FORCE_COLOR": "1"}, True),
        ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        (["--color", "never"], {"FORCE_COLOR": "1"}, False),
    ],
)
def test_color(project: Path, args: list[str], env: dict, colored: bool) -> None:
    proc = run_cli(*args, "app.py", cwd=project, env=env)
    assert ("\033[" in proc.stdout) is colored


def test_json_is_never_colored(project: Path) -> None:
    proc = run_cli("--color", "always", "--format", "json", "app.py", cwd=project)
    json.loads(proc.stdout)


def test_examples_show_real_findings() -> None:
    root = Path(__file__).resolve().parent.parent
    proc = run_cli("examples/", cwd=root)
    assert proc.returncode == 1, proc.stderr
    rows = codes_by_line(proc.stdout)
    codes = {code for _, _, code in rows}
    assert {"COR101", "COR201"} <= codes
    assert {path for path, _, _ in rows} >= {"examples/flask_app.py", "examples/fastapi_app.py"}


def test_readme_table_lists_every_registered_code() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    for rule in all_rules():
        default = "yes" if rule.DEFAULT_ENABLED else "no (opt-in)"
        row = f"| [{rule.CODE}](docs/rules/{rule.CODE}.md) | {rule.NAME} | {default} |"
        assert row in readme, f"README.md 'What it finds' is missing or stale for {rule.CODE}: {row}"


def test_usage_doc_mentions_every_flag() -> None:
    from cors_lint.cli import build_parser

    usage = (Path(__file__).resolve().parent.parent / "docs" / "usage.md").read_text()
    for action in build_parser()._actions:
        for flag in action.option_strings:
            if flag.startswith("--") and flag != "--help":
                assert f"`{flag}" in usage, f"docs/usage.md does not document {flag}"


def test_standalone_mode_passes_a_project_for_cross_module_settings(tmp_path: Path) -> None:
    """``from .base import *``: the CLI (with a Project) sees base.py's value;
    flake8 (one file at a time) cannot, and stays silent."""
    settings = tmp_path / "mysite" / "settings"
    settings.mkdir(parents=True)
    (tmp_path / "mysite" / "__init__.py").write_text("")
    (settings / "__init__.py").write_text("")
    (settings / "base.py").write_text('INSTALLED_APPS = ["corsheaders"]\nCORS_ALLOW_ALL_ORIGINS = True\n')
    (settings / "prod.py").write_text("from .base import *\n\nCORS_ALLOW_CREDENTIALS = True\n")
    proc = run_cli("mysite/settings/prod.py", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert codes_by_line(proc.stdout) == [("mysite/settings/prod.py", 1, "COR202")]
    flake8 = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select", "COR", "mysite/settings/prod.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert flake8.returncode == 0 and flake8.stdout == ""
