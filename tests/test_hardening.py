"""The bad-input corpus of issue 11: every case runs the real CLI in a
subprocess (a crash in libcst's native parser would kill an in-process
test run).  The timeouts are a safety net against hangs, never a timing
assertion; each case reports one COR900 line naming the file and the reason,
and the run goes on with the other files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cors_lint.engine import MAX_FILE_BYTES
from cors_lint.parsing import DEPTH_REASON, MAX_NODES

SAFETY_NET = 600  # seconds; the cases finish in a few seconds each

REFLECTING = 'from flask import request\n\ndef f(resp):\n    resp.headers["Access-Control-Allow-Origin"] = request.origin\n'
USES_SIBLING = (
    "from starlette.middleware.cors import CORSMiddleware\n"
    "from {module} import ORIGINS\n\n"
    "app.add_middleware(CORSMiddleware, allow_origins=ORIGINS, allow_credentials=True)\n"
)


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "CORS_LINT_DEBUG")}
    return subprocess.run(
        [sys.executable, "-m", "cors_lint", "--format", "json", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=SAFETY_NET,
    )


def outcome(proc: subprocess.CompletedProcess) -> dict:
    assert proc.returncode in (0, 1), (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    return json.loads(proc.stdout)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "good.py").write_text(REFLECTING)
    return tmp_path


def assert_refused(data: dict, name: str, reason: str) -> None:
    errors = {e["path"]: e["message"] for e in data["errors"]}
    assert errors.get(name) == reason, errors
    lines = [f for f in data["findings"] if f["path"] == name]
    assert [f["code"] for f in lines] == ["COR900"]
    assert ("good.py", "COR101") in {(f["path"], f["code"]) for f in data["findings"]}  # the run went on


@pytest.mark.parametrize(
    "sibling",
    [
        "ORIGINS = " + "(" * 2000 + "'*'" + ")" * 2000 + "\n",
        "ORIGINS = ['*']\nX = " + "-" * 20000 + "1\n",
        "ORIGINS = ['*']\nX = " + " + ".join(["1"] * 50000) + "\n",
        "ORIGINS = ['*']\nX = a" + ".b()" * 2900 + "\n",
    ],
    ids=["nested-parentheses", "unary-minus", "plus-chain", "call-chain"],
)
def test_module_parsed_on_demand_goes_through_the_same_guards(tree: Path, sibling: str) -> None:
    """Before: a segfault (parentheses, unary minus) or a hang (chains) in
    the sibling module killed the whole run.  Now the sibling is refused by
    the same guards, its constant stays unknown (no finding invented), and
    the sibling itself, when linted, gets its own COR900."""
    (tree / "deepconf.py").write_text(sibling)
    (tree / "app.py").write_text(USES_SIBLING.format(module="deepconf"))
    data = outcome(run_cli("app.py", "good.py", cwd=tree))
    assert [f["code"] for f in data["findings"] if f["path"] == "app.py"] == []
    assert ("good.py", "COR101") in {(f["path"], f["code"]) for f in data["findings"]}


def test_module_parsed_on_demand_within_budget_is_followed(tree: Path) -> None:
    """The guard above is no blanket refusal: a sane sibling is followed."""
    (tree / "conf.py").write_text("ORIGINS = ['*']\n")
    (tree / "app.py").write_text(USES_SIBLING.format(module="conf"))
    data = outcome(run_cli("app.py", cwd=tree))
    assert "COR202" in {f["code"] for f in data["findings"] if f["path"] == "app.py"}


@pytest.mark.parametrize(
    "body",
    [
        "x = " + " + ".join(["1"] * 50000) + "\n",
        "x = a" + ".b()" * 2900 + "\n",
        "x = a" + ".b()" * 2000 + "\n",
        "x = " + "-" * 20000 + "1\n",
    ],
    ids=["plus-chain-50000", "call-chain-2900", "call-chain-2000", "unary-minus-20000"],
)
def test_linted_file_past_the_depth_budget(tree: Path, body: str) -> None:
    (tree / "deep.py").write_text("CORS_ENABLED = True\n" + body)
    assert_refused(outcome(run_cli(".", cwd=tree)), "deep.py", DEPTH_REASON)


@pytest.mark.parametrize("size", [100_000, 4 * 1024 * 1024], ids=["100KB", "4MB"])
def test_huge_acao_literal(tree: Path, size: int) -> None:
    """The COR301 separator regex was quadratic: 73 s on 100 KB."""
    (tree / "literal.py").write_text(f'def f(resp):\n    resp.headers["Access-Control-Allow-Origin"] = "{"a" * size}"\n')
    data = outcome(run_cli(".", cwd=tree))
    assert "literal.py" not in {e["path"] for e in data["errors"]}
    findings = [f for f in data["findings"] if f["path"] == "literal.py"]
    assert [f["code"] for f in findings] == ["COR302"]
    assert len(findings[0]["message"]) < 500  # the literal is not echoed whole


def test_many_origins_in_a_huge_literal_still_found(tree: Path) -> None:
    origins = " ".join(f"https://a{i}.example" for i in range(5000))
    (tree / "many.py").write_text(f'def f(resp):\n    resp.headers["Access-Control-Allow-Origin"] = "{origins}"\n')
    data = outcome(run_cli(".", cwd=tree))
    assert "COR301" in {f["code"] for f in data["findings"] if f["path"] == "many.py"}


def test_file_just_under_the_size_limit_full_of_header_writes(tree: Path) -> None:
    """Before: 2 GB of memory.  Now refused by the node budget, after only
    Python's parser has seen it."""
    line = 'resp.headers["Access-Control-Allow-Origin"] = "https://a.example"\n'
    (tree / "writes.py").write_text(line * ((MAX_FILE_BYTES - 100) // len(line)))
    data = outcome(run_cli(".", cwd=tree))
    assert_refused(data, "writes.py", f"file too large to analyze (more than {MAX_NODES} syntax nodes)")


def test_pyproject_not_utf8(tree: Path) -> None:
    (tree / "pyproject.toml").write_bytes(b'[tool.cors-lint]\nignore = ["\xff"]\n')
    proc = subprocess.run(
        [sys.executable, "-m", "cors_lint", "good.py"], cwd=tree, capture_output=True, text=True, timeout=SAFETY_NET
    )
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.strip().splitlines() == [
        f"cors-lint: error: invalid TOML in {tree / 'pyproject.toml'}: not valid UTF-8 (byte 28)"
    ]


@pytest.mark.parametrize("breaker", ["\x0c", "\x0b", "\x1c", "\x85", "\u2028", "\u2029"])
def test_line_breaks_python_does_not_count(tree: Path, breaker: str) -> None:
    """Python's tokenizer breaks lines only at \\n, \\r\\n and \\r; the line
    table used by --show-source, noqa and SARIF fingerprints agrees."""
    text = f"x = 1  # {breaker} note\ny = 2  # flake8: noqa is not on a line of its own\n" + REFLECTING.replace(
        "    resp.headers", "    resp.headers"
    )
    (tree / "ff.py").write_text(text, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "cors_lint", "--show-source", "ff.py"],
        cwd=tree,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=SAFETY_NET,
    )
    out = proc.stdout.splitlines()  # str.splitlines, fine: the breaker is in no reported line
    assert out[0].startswith("ff.py:6:5: COR101 ")
    assert out[1] == '    resp.headers["Access-Control-Allow-Origin"] = request.origin'


def test_form_feed_before_a_trailing_noqa_does_not_skip_the_file(tree: Path) -> None:
    (tree / "ff.py").write_text("x = 1\x0c\nz = 3  # flake8: noqa\n" + REFLECTING)
    data = outcome(run_cli("ff.py", cwd=tree))
    assert ("ff.py", 6, "COR101") in {(f["path"], f["line"], f["code"]) for f in data["findings"]}


def test_sarif_fingerprint_hashes_the_reported_line(tree: Path) -> None:
    from cors_lint.reporters.sarif import line_hash

    (tree / "ff.py").write_text("x = 1  # \x0c\n" + REFLECTING)
    proc = subprocess.run(
        [sys.executable, "-m", "cors_lint", "--format", "sarif", "ff.py"],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=SAFETY_NET,
    )
    result = json.loads(proc.stdout)["runs"][0]["results"][0]
    expected = line_hash(result["ruleId"], '    resp.headers["Access-Control-Allow-Origin"] = request.origin\n')
    assert list(result["partialFingerprints"].values())[0].startswith(expected)


def test_path_vanishing_during_the_run(tree: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from cors_lint import cli, discovery

    (tree / "gone.py").write_text(REFLECTING)
    real = discovery.discover

    def discover_then_delete(*args, **kwargs):
        found = real(*args, **kwargs)
        (tree / "gone.py").unlink()
        return found

    monkeypatch.chdir(tree)
    monkeypatch.setattr(cli, "discover", discover_then_delete)
    assert cli.main(["--format", "json", "."]) == 1
    data = json.loads(capsys.readouterr().out)
    assert {"path": "gone.py", "message": "cannot read file: No such file or directory"} in data["errors"]


def test_file_name_with_a_newline(tree: Path) -> None:
    (tree / "new\nline.py").write_text(REFLECTING)
    proc = subprocess.run(
        [sys.executable, "-m", "cors_lint", "."], cwd=tree, capture_output=True, text=True, timeout=SAFETY_NET
    )
    assert "new\\nline.py:4:5: COR101 " in proc.stdout.splitlines()[2]
    assert all(":" in line for line in proc.stdout.splitlines())  # every line a finding


def test_symlink_loop_while_walking(tree: Path) -> None:
    (tree / "pkg").mkdir()
    os.symlink("b.py", tree / "pkg" / "a.py")
    os.symlink("a.py", tree / "pkg" / "b.py")
    os.symlink("..", tree / "pkg" / "up")  # a directory loop: never followed
    data = outcome(run_cli(".", cwd=tree))
    errors = {e["path"]: e["message"] for e in data["errors"]}
    assert errors == {
        "pkg/a.py": "cannot read file: Too many levels of symbolic links",
        "pkg/b.py": "cannot read file: Too many levels of symbolic links",
    }
    assert ("good.py", "COR101") in {(f["path"], f["code"]) for f in data["findings"]}



def test_alternatives_stay_bounded_and_keep_request_values() -> None:
    """Values fed by call sites whose arguments are fed by call sites
    multiply at every hop (fastapi's routing.py, whose router methods
    forward dozens of parameters to one another, reached 24 GB).  Bounded
    alternatives keep the request-derived ones."""
    from cors_lint.facts.model import OriginFlow, Value
    from cors_lint.facts.value_ops import MAX_ALTERNATIVES, alternatives, either, flow_of

    origin = Value("origin", flow=OriginFlow(source="request.headers.get('Origin')", span=None))
    level = either(*(Value("const", f"v{i}") for i in range(10)))
    for hop in range(6):  # 10**6 alternatives if each hop multiplied them
        level = either(*(either(level, Value("const", f"h{hop}-{i}")) for i in range(10)), origin)
    assert len(alternatives(level)) <= MAX_ALTERNATIVES
    assert flow_of(level) is not None
    assert either(origin, origin) is origin  # the same alternative twice is one
