"""Bad input never produces a traceback: one line naming the file and the
reason, and the run goes on with the other files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cors_lint import cli
from cors_lint.config import Selection
from cors_lint.engine import MAX_FILE_BYTES

REFLECTING = (
    'from flask import request\n\ndef f(resp):\n    resp.headers["Access-Control-Allow-Origin"] = request.origin\n'
)


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run(
        [sys.executable, "-m", "cors_lint", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=120
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "good.py").write_text(REFLECTING)
    return tmp_path


def assert_reported(proc: subprocess.CompletedProcess, name: str, reason: str) -> None:
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(f"{name}:")]
    assert len(lines) == 1, proc.stdout
    assert " COR900 " in lines[0] and reason in lines[0], lines[0]
    assert "good.py:4:5: COR101" in proc.stdout  # the run continued
    assert proc.returncode == 1


def test_syntax_error(tree: Path) -> None:
    (tree / "broken.py").write_text("CORS_ALLOWED_ORIGINS = [\n")
    proc = run_cli(".", cwd=tree)
    assert_reported(proc, "broken.py", "syntax error")


def test_undecodable_bytes(tree: Path) -> None:
    (tree / "latin.py").write_bytes(b"# CORS\n\nx = '\xff\xfe caf\xe9'\n")
    assert_reported(run_cli(".", cwd=tree), "latin.py", "cannot decode as utf-8")


def test_unknown_coding_cookie(tree: Path) -> None:
    (tree / "cookie.py").write_bytes(b"# -*- coding: klingon -*-\ncors = 1\n")
    assert_reported(run_cli(".", cwd=tree), "cookie.py", "encoding")


def test_binary_file(tree: Path) -> None:
    (tree / "blob.py").write_bytes(b"cors\x00\x01\x02\xff" * 100)
    assert_reported(run_cli(".", cwd=tree), "blob.py", "binary file")


def test_huge_file(tree: Path) -> None:
    with open(tree / "huge.py", "wb") as fh:
        fh.write(b"# cors\n")
        fh.write(b"x = 1\n" * (MAX_FILE_BYTES // 6 + 10))
    assert_reported(run_cli(".", cwd=tree), "huge.py", "file too large")


def test_empty_and_whitespace_files_are_clean(tree: Path) -> None:
    (tree / "empty.py").write_bytes(b"")
    (tree / "blank.py").write_bytes(b"\n\n   \n")
    proc = run_cli("empty.py", "blank.py", cwd=tree)
    assert proc.returncode == 0 and proc.stdout == "" and "Traceback" not in proc.stderr


def test_directory_named_like_a_python_file_is_walked(tree: Path) -> None:
    (tree / "pkg.py").mkdir()
    (tree / "pkg.py" / "inner.py").write_text(REFLECTING)
    proc = run_cli(".", cwd=tree)
    assert "pkg.py/inner.py:4:5: COR101" in proc.stdout


def test_directory_where_a_file_is_expected(tree: Path) -> None:
    (tree / "adir").mkdir()
    outcome = cli.lint_file(str(tree / "adir"), cli.LintJob(Selection()), None)
    assert outcome.error is not None and outcome.error.message == "is a directory"
    assert [f.code for f in outcome.findings] == ["COR900"]
    proc = run_cli("--config", "adir", "good.py", cwd=tree)
    assert proc.returncode == 2 and "config file not found: adir" in proc.stderr and "Traceback" not in proc.stderr


def test_special_file_is_not_read(tree: Path) -> None:
    fifo = tree / "pipe.py"
    os.mkfifo(fifo)
    proc = run_cli("pipe.py", "good.py", cwd=tree)
    assert_reported(proc, "pipe.py", "not a regular file")


def test_unreadable_file_in_process(tree: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """Permission errors, simulated (tests may run as root, who can read anything)."""
    (tree / "secret.py").write_text(REFLECTING)
    real_open = os.open  # cli.read_bytes opens with os.open, no file object

    def guarded_open(file, *args, **kwargs):
        if str(file).endswith("secret.py"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.chdir(tree)
    monkeypatch.setattr(os, "open", guarded_open)
    rc = cli.main(["--format", "json", "."])
    data = json.loads(capsys.readouterr().out)
    assert rc == 1
    assert {"path": "secret.py", "message": "cannot read file: Permission denied"} in data["errors"]
    assert ("secret.py", "COR900") in {(f["path"], f["code"]) for f in data["findings"]}
    assert ("good.py", "COR101") in {(f["path"], f["code"]) for f in data["findings"]}


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can read files without permission")
def test_unreadable_file_for_real(tree: Path) -> None:
    secret = tree / "secret.py"
    secret.write_text(REFLECTING)
    secret.chmod(0)
    try:
        assert_reported(run_cli(".", cwd=tree), "secret.py", "Permission denied")
    finally:
        secret.chmod(0o644)


def test_errors_in_json_and_cor900_findings(tree: Path) -> None:
    """JSON lists unanalysed files in "errors" and, while COR900 is enabled,
    also as COR900 findings (so "findings" equals the text output)."""
    (tree / "broken.py").write_text("cors = (\n")
    data = json.loads(run_cli("--format", "json", ".", cwd=tree).stdout)
    assert [e["path"] for e in data["errors"]] == ["broken.py"]
    assert data["errors"][0]["message"].startswith("syntax error")
    assert ("broken.py", "COR900") in {(f["path"], f["code"]) for f in data["findings"]}


def test_ignoring_cor900_keeps_a_warning_but_not_the_exit_code(tree: Path) -> None:
    (tree / "broken.py").write_text("cors = (\n")
    proc = run_cli("--ignore", "COR900", "broken.py", cwd=tree)
    assert proc.returncode == 0 and proc.stdout == ""
    assert "cors-lint: warning: broken.py: syntax error" in proc.stderr
    data = json.loads(run_cli("--ignore", "COR900", "--format", "json", "broken.py", cwd=tree).stdout)
    assert data["findings"] == [] and data["errors"][0]["path"] == "broken.py"


def test_file_without_cors_markers_is_not_parsed(tree: Path) -> None:
    """The pre-filter skips files that cannot matter, even broken ones."""
    (tree / "unrelated.py").write_text("def f(:\n")
    proc = run_cli("unrelated.py", cwd=tree)
    assert proc.returncode == 0 and proc.stdout == ""


def test_file_names_the_terminal_cannot_encode(tree: Path) -> None:
    (tree / "café.py").write_text(REFLECTING)
    os.rename(tree / "café.py", os.fsencode(tree) + b"/caf\xff.py")  # not valid UTF-8
    (tree / "naïve.py").write_text(REFLECTING)
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env["PYTHONIOENCODING"] = "ascii"
    proc = subprocess.run(
        [sys.executable, "-m", "cors_lint", "."], cwd=tree, capture_output=True, text=True, env=env, timeout=120
    )
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "caf\\udcff.py:4:5: COR101" in proc.stdout
    assert "na\\xefve.py:4:5: COR101" in proc.stdout
