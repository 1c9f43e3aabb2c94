"""The flake8 adapter: unit level, option handling, and real flake8 end to end."""

from __future__ import annotations

import argparse
import ast
import os
import subprocess
import sys
from pathlib import Path

import libcst
import pytest

from cors_lint import __version__
from cors_lint.flake8_plugin import CorsLintPlugin
from cors_lint.rules.base import REGISTRY, all_rules

VULNERABLE = '''\
from flask import Flask, request

app = Flask(__name__)


@app.after_request
def add_cors(resp):
    resp.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin")
    resp.headers["Vary"] = "Origin"
    return resp


@app.route("/session")
def session():
    resp = app.make_response("ok")
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


@pytest.fixture(autouse=True)
def reset_plugin_options():
    saved = (CorsLintPlugin.trusted_validators, CorsLintPlugin.explicitly_selected)
    yield
    CorsLintPlugin.trusted_validators, CorsLintPlugin.explicitly_selected = saved


def run_plugin(source: str, filename: str = "app.py") -> list[tuple]:
    lines = source.splitlines(keepends=True)
    return list(CorsLintPlugin(ast.parse(source), lines, filename).run())


def namespace(**kw) -> argparse.Namespace:
    base = {"select": None, "extend_select": None, "cors_trusted_validators": []}
    base.update(kw)
    return argparse.Namespace(**base)


def test_plugin_attributes_and_signature() -> None:
    assert CorsLintPlugin.name == "cors-lint"
    assert CorsLintPlugin.version == __version__
    import inspect

    # "tree" makes flake8 run the plugin once per file with the ast tree.
    assert list(inspect.signature(CorsLintPlugin.__init__).parameters) == ["self", "tree", "lines", "filename"]


def test_run_yields_flake8_tuples() -> None:
    CorsLintPlugin.parse_options(namespace())
    results = run_plugin(VULNERABLE)
    assert results, "expected findings"
    for line, col, text, kind in results:
        assert isinstance(line, int) and isinstance(col, int)
        assert text.split(" ", 1)[0].startswith("COR")
        assert kind is CorsLintPlugin
    assert (8, 4) in {(line, col) for line, col, text, _ in results if text.startswith("COR101 ")}
    assert 16 in {line for line, _, text, _ in results if text.startswith("COR201 ")}


def test_clean_file_yields_nothing() -> None:
    assert run_plugin("import os\nprint(os.getcwd())\n") == []


def test_cor900_when_libcst_fails_on_code_ast_accepts(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(source, *args, **kwargs):
        raise libcst.ParserSyntaxError("unsupported syntax", lines=["x"], raw_line=1, raw_column=0)

    monkeypatch.setattr(libcst, "parse_module", refuse)
    results = run_plugin(VULNERABLE)
    assert [(line, text.split()[0]) for line, _, text, _ in results] == [(1, "COR900")]


def test_parse_options_records_explicit_selection_and_validators() -> None:
    CorsLintPlugin.parse_options(
        namespace(select=["E", "COR"], extend_select=["cor203"], cors_trusted_validators=["app.sec.ok"])
    )
    assert CorsLintPlugin.explicitly_selected == {"E", "COR", "COR203"}
    assert CorsLintPlugin.trusted_validators == ("app.sec.ok",)


@pytest.fixture
def opt_in_code(monkeypatch: pytest.MonkeyPatch) -> str:
    all_rules()
    codes = [c for c, cls in REGISTRY.items() if not cls.DEFAULT_ENABLED]
    if not codes:
        pytest.skip("no opt-in rule registered yet")
    return codes[0]


@pytest.mark.parametrize(
    "select, extend_select, enabled",
    [
        (None, None, False),
        (["COR"], None, False),  # a prefix does not turn opt-in codes on
        (["COR2"], None, False),
        (None, ["COR"], False),
        ("CODE", None, True),
        (None, "CODE", True),
    ],
)
def test_opt_in_codes_only_when_named(opt_in_code: str, select, extend_select, enabled) -> None:
    select = [opt_in_code] if select == "CODE" else select
    extend_select = [opt_in_code] if extend_select == "CODE" else extend_select
    CorsLintPlugin.parse_options(namespace(select=select, extend_select=extend_select))
    assert CorsLintPlugin.enabled(opt_in_code) is enabled
    assert CorsLintPlugin.enabled("COR101")  # default-on codes always run; flake8 filters them


# --- real flake8 -------------------------------------------------------------


def _env() -> dict:
    return {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}


def flake8(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flake8", *args], cwd=cwd, capture_output=True, text=True, env=_env(), timeout=120
    )


def cli(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cors_lint", *args], cwd=cwd, capture_output=True, text=True, env=_env(), timeout=120
    )


def rows(stdout: str) -> list[tuple[int, int, str]]:
    out = []
    for line in stdout.splitlines():
        _path, row, col, rest = line.split(":", 3)
        out.append((int(row), int(col), rest.split()[0]))
    return sorted(out)


def test_flake8_matches_the_cli(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(VULNERABLE)
    f8 = flake8(tmp_path, "--isolated", "--select", "COR", "app.py")
    assert f8.returncode == 1, f8.stderr
    ours = cli(tmp_path, "--isolated", "app.py")
    assert ours.returncode == 1
    assert rows(f8.stdout) == rows(ours.stdout)
    assert {(8, "COR101"), (16, "COR201")} <= {(r, c) for r, _, c in rows(f8.stdout)}
    assert "app.py:8:5: COR101 " in f8.stdout  # 1-based column, like the CLI


def test_flake8_ignore_and_per_file_ignores_by_prefix(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(VULNERABLE)
    out = flake8(tmp_path, "--isolated", "--select", "COR", "--extend-ignore", "COR1", "app.py").stdout
    assert "COR201" in out and "COR101" not in out
    out = flake8(tmp_path, "--isolated", "--select", "COR", "--per-file-ignores", "app.py:COR2", "app.py").stdout
    assert "COR101" in out and "COR201" not in out


def test_flake8_opt_in_code_needs_explicit_selection(tmp_path: Path) -> None:
    all_rules()
    if "COR203" not in REGISTRY or REGISTRY["COR203"].DEFAULT_ENABLED:
        pytest.skip("COR203 is not an opt-in rule in this tree")
    (tmp_path / "public.py").write_text(PUBLIC_API)
    assert "COR203" not in flake8(tmp_path, "--isolated", "public.py").stdout
    assert "COR203" not in flake8(tmp_path, "--isolated", "--select", "COR", "public.py").stdout
    proc = flake8(tmp_path, "--isolated", "--select", "COR203", "public.py")
    assert proc.returncode == 1 and "public.py:5:" in proc.stdout and "COR203" in proc.stdout
    assert "COR203" in flake8(tmp_path, "--isolated", "--extend-select", "COR203", "public.py").stdout
    # the same from a config file
    (tmp_path / "setup.cfg").write_text("[flake8]\nextend-select = COR203\n")
    assert "COR203" in flake8(tmp_path, "public.py").stdout


def test_flake8_reads_trusted_validators_from_config(tmp_path: Path) -> None:
    """The option is registered with parse_from_config: flake8 accepts it in
    setup.cfg and rejects nothing; the value arrives as a list."""
    (tmp_path / "app.py").write_text(VULNERABLE)
    (tmp_path / "setup.cfg").write_text(
        "[flake8]\nselect = COR\ncors-trusted-validators = app.security.ok, app.security.also_ok\n"
    )
    probe = (
        "import sys\n"
        "from flake8.main.cli import main\n"
        "from cors_lint.flake8_plugin import CorsLintPlugin\n"
        "try:\n"
        "    main(['app.py'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('VALIDATORS', CorsLintPlugin.trusted_validators)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, env=_env(), timeout=120
    )
    assert "VALIDATORS ('app.security.ok', 'app.security.also_ok')" in proc.stdout, proc.stdout + proc.stderr


def test_flake8_gives_e999_not_cor900_for_syntax_errors(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("cors = 1\ndef f(:\n")
    proc = flake8(tmp_path, "--isolated", "--select", "COR,E999", "broken.py")
    assert "E999" in proc.stdout and "COR900" not in proc.stdout
    # the CLI reports the same file as COR900
    ours = cli(tmp_path, "broken.py")
    assert ours.returncode == 1 and "broken.py:2:" in ours.stdout and "COR900" in ours.stdout


def test_flake8_parallel_jobs_match_serial(tmp_path: Path) -> None:
    """No state is kept between files: worker processes give the serial result."""
    for i in range(4):
        (tmp_path / f"app{i}.py").write_text(VULNERABLE)
    (tmp_path / "public.py").write_text(PUBLIC_API)
    fmt = ["--format", "%(path)s:%(row)d:%(col)d:%(code)s"]
    serial = flake8(tmp_path, "--isolated", "--select", "COR", "-j", "1", *fmt, ".")
    parallel = flake8(tmp_path, "--isolated", "--select", "COR", "-j", "2", *fmt, ".")
    assert serial.returncode == parallel.returncode == 1
    assert sorted(serial.stdout.splitlines()) == sorted(parallel.stdout.splitlines())
    assert len(serial.stdout.splitlines()) >= 8
