"""``[tool.cors-lint]`` discovery, validation, precedence; rule selection logic."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cors_lint import cli
from cors_lint.config import (
    DEFAULT_EXCLUDE,
    ConfigError,
    Selection,
    Settings,
    load_settings,
    selection_for,
    settings_from_table,
    validated,
)
from cors_lint.rules.base import REGISTRY, Rule, all_rules

REFLECTING = (
    'from flask import request\n\ndef f(resp):\n    resp.headers["Access-Control-Allow-Origin"] = request.origin\n'
)


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run(
        [sys.executable, "-m", "cors_lint", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=120
    )


def write_pyproject(directory: Path, body: str) -> Path:
    path = directory / "pyproject.toml"
    path.write_text(body)
    return path


# --- selection --------------------------------------------------------------


@pytest.fixture
def opt_in_rule(monkeypatch: pytest.MonkeyPatch) -> str:
    """A throwaway opt-in rule, removed from the registry afterwards."""
    all_rules()

    class OptIn(Rule):
        DEFAULT_ENABLED = False

    OptIn.CODE = "COR899"
    monkeypatch.setitem(REGISTRY, "COR899", OptIn)
    return "COR899"


def test_default_selection_is_every_default_enabled_rule(opt_in_rule: str) -> None:
    sel = selection_for(Settings())
    assert sel.enabled("COR101")
    assert sel.enabled("COR900")
    assert not sel.enabled(opt_in_rule)
    assert not sel.enabled("COR999")  # unknown codes are never enabled


@pytest.mark.parametrize(
    "select, ignore, code, expected",
    [
        (("COR1",), (), "COR101", True),
        (("COR1",), (), "COR201", False),
        (("COR",), ("COR1",), "COR101", False),
        (("COR101",), ("COR1",), "COR101", True),  # more specific select wins
        (("COR1",), ("COR101",), "COR101", False),
        (("COR101",), ("COR101",), "COR101", False),  # tie: ignore wins
        (("ALL",), ("ALL",), "COR101", False),
        (("ALL",), (), "COR899", True),
        (("COR",), (), "COR899", False),  # opt-in codes are not matched by prefixes
        (("COR8",), (), "COR899", False),
        (("COR899",), (), "COR899", True),
    ],
)
def test_selection_precedence(opt_in_rule: str, select, ignore, code, expected) -> None:
    assert Selection(select=select, ignore=ignore).enabled(code) is expected


def test_extend_select_adds_opt_in_to_defaults(opt_in_rule: str) -> None:
    sel = selection_for(Settings(extend_select=(opt_in_rule,)))
    assert sel.enabled(opt_in_rule) and sel.enabled("COR101")


def test_selectors_are_validated_and_normalised() -> None:
    s = validated(Settings(select=(" cor1 ",), ignore=("ALL",)))
    assert s.select == ("COR1",) and s.ignore == ("ALL",)
    with pytest.raises(ConfigError, match="'COR7' in ignore"):
        validated(Settings(ignore=("COR7",)))
    with pytest.raises(ConfigError, match="per-file-ignores"):
        validated(Settings(per_file_ignores=(("tests/*", ("XYZ1",)),)))


# --- the [tool.cors-lint] table --------------------------------------------


def test_table_keys_map_to_settings(tmp_path: Path) -> None:
    s = settings_from_table(
        {
            "select": ["COR1"],
            "ignore": ["COR104"],
            "extend-select": ["COR2"],
            "exclude": ["a"],
            "extend-exclude": ["b"],
            "format": "json",
            "trusted-validators": ["app.security.is_allowed"],
            "force-exclude": True,
            "per-file-ignores": {"tests/*": ["COR101"]},
        },
        tmp_path / "pyproject.toml",
    )
    assert s.select == ("COR1",) and s.ignore == ("COR104",) and s.extend_select == ("COR2",)
    assert s.exclude == ("a",) and s.all_excludes == ("a", "b")
    assert s.format == "json" and s.force_exclude is True
    assert s.trusted_validators == ("app.security.is_allowed",)
    assert s.per_file_ignores == (("tests/*", ("COR101",)),)
    assert s.root == tmp_path


@pytest.mark.parametrize(
    "table, message",
    [
        ({"selct": ["COR1"]}, "unknown key 'selct'"),
        ({"select": "COR1"}, "select must be a list of strings"),
        ({"ignore": [1]}, "ignore must be a list of strings"),
        ({"format": "xml"}, "format must be one of"),
        ({"force-exclude": "yes"}, "force-exclude must be true or false"),
        ({"per-file-ignores": ["x"]}, "per-file-ignores must be a table"),
        ({"per-file-ignores": {"x": "COR1"}}, "per-file-ignores"),
        ({"trusted-validators": "a.b"}, "trusted-validators must be a list of strings"),
    ],
)
def test_bad_table_is_a_clear_error(table: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        settings_from_table(table, None)


def test_default_excludes() -> None:
    assert Settings().exclude == DEFAULT_EXCLUDE
    assert {".git", ".venv", "venv", "node_modules", "__pycache__", "build", "dist", ".tox", "site-packages", ".nox",
            ".eggs", ".mypy_cache"} <= set(DEFAULT_EXCLUDE)


def test_nearest_pyproject_with_table_wins(tmp_path: Path) -> None:
    write_pyproject(tmp_path, '[tool.cors-lint]\nformat = "json"\n')
    sub = tmp_path / "pkg" / "sub"
    sub.mkdir(parents=True)
    write_pyproject(tmp_path / "pkg", '[project]\nname = "pkg"\n')  # no table: passed over
    (tmp_path / "pkg" / "sub" / "pyproject.toml").write_text('tool = "not a table"\n')  # passed over too
    s = load_settings(None, isolated=False, cwd=sub)
    assert s.format == "json" and s.config_path == (tmp_path / "pyproject.toml").resolve()
    assert load_settings(None, isolated=True, cwd=sub) == Settings()


# --- end to end ---------------------------------------------------------------


def test_config_discovered_from_subdirectory(tmp_path: Path) -> None:
    write_pyproject(tmp_path, '[tool.cors-lint]\nformat = "github"\n')
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(REFLECTING)
    proc = run_cli("app.py", cwd=tmp_path / "src")
    assert proc.returncode == 1
    assert proc.stdout.startswith("::error file=app.py,line=4,col=5")


def test_cli_flags_win_over_config(tmp_path: Path) -> None:
    write_pyproject(tmp_path, '[tool.cors-lint]\nformat = "github"\nignore = ["COR101"]\n')
    (tmp_path / "app.py").write_text(REFLECTING)
    proc = run_cli("--format", "text", "--ignore", "COR104", "app.py", cwd=tmp_path)
    assert proc.stdout.startswith("app.py:4:5: COR101"), proc.stdout
    assert "COR104" not in proc.stdout


def test_isolated_ignores_config(tmp_path: Path) -> None:
    write_pyproject(tmp_path, '[tool.cors-lint]\nselect = ["COR2"]\n')
    (tmp_path / "app.py").write_text(REFLECTING)
    assert run_cli("app.py", cwd=tmp_path).returncode == 0
    assert run_cli("--isolated", "app.py", cwd=tmp_path).returncode == 1


def test_explicit_config_file(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(REFLECTING)
    (tmp_path / "ci.toml").write_text('select = ["COR2"]\n')
    assert run_cli("--config", "ci.toml", "app.py", cwd=tmp_path).returncode == 0
    (tmp_path / "other.toml").write_text('[tool.cors-lint]\nselect = ["COR2"]\n')
    assert run_cli("--config", "other.toml", "app.py", cwd=tmp_path).returncode == 0
    proc = run_cli("--config", "missing.toml", "app.py", cwd=tmp_path)
    assert proc.returncode == 2 and "config file not found: missing.toml" in proc.stderr


@pytest.mark.parametrize(
    "body, message",
    [
        ('[tool.cors-lint]\nselct = ["COR1"]\n', "unknown key 'selct' in [tool.cors-lint]"),
        ('[tool.cors-lint]\nselect = "COR1"\n', "select must be a list of strings"),
        ('[tool.cors-lint]\nselect = ["COR77"]\n', "unknown rule code or prefix 'COR77' in select"),
        ("[tool.cors-lint\n", "invalid TOML"),
        ("[tool]\ncors-lint = 3\n", "[tool.cors-lint] must be a table"),
    ],
)
def test_bad_config_exits_2_with_one_line(tmp_path: Path, body: str, message: str) -> None:
    write_pyproject(tmp_path, body)
    (tmp_path / "app.py").write_text(REFLECTING)
    proc = run_cli("app.py", cwd=tmp_path)
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert proc.stdout == ""


def test_config_excludes_and_per_file_ignores(tmp_path: Path) -> None:
    write_pyproject(
        tmp_path,
        '[tool.cors-lint]\nextend-exclude = ["generated"]\n'
        '[tool.cors-lint.per-file-ignores]\n"tests/*" = ["COR1"]\n',
    )
    for rel in ("app.py", "generated/api.py", "tests/test_app.py"):
        (tmp_path / rel).parent.mkdir(exist_ok=True)
        (tmp_path / rel).write_text(REFLECTING)
    proc = run_cli(".", cwd=tmp_path)
    assert {line.split(":")[0] for line in proc.stdout.splitlines()} == {"app.py"}


def test_trusted_validators_reach_the_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine gets the configured validators (their effect is tested by the fixtures)."""
    write_pyproject(tmp_path, '[tool.cors-lint]\ntrusted-validators = ["app.security.ok"]\n')
    (tmp_path / "app.py").write_text(REFLECTING)
    from cors_lint import engine

    seen = []
    real = engine.lint_source

    def spy(data, path, options):
        seen.append(options)
        return real(data, path, options)

    monkeypatch.setattr(engine, "lint_source", spy)  # cli imports it when a file needs it
    monkeypatch.chdir(tmp_path)
    cli.main(["app.py"])
    assert seen[0].trusted_validators == ("app.security.ok",)
    assert seen[0].project is not None and seen[0].project.root == tmp_path.resolve()
    cli.main(["--trusted-validators", "x.y,z.w", "app.py"])
    assert seen[1].trusted_validators == ("x.y", "z.w")
