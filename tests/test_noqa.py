"""``# noqa`` with flake8's semantics, read from comment tokens."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cors_lint.findings import Finding
from cors_lint.noqa import filter_findings, read_suppressions


def finding(line: int, code: str = "COR101") -> Finding:
    return Finding(path="x.py", line=line, col=0, code=code, message="m")


def kept(source: str, *found: tuple[int, str]) -> list[tuple[int, str]]:
    result = filter_findings([finding(line, code) for line, code in found], source)
    return [(f.line, f.code) for f in result]


@pytest.mark.parametrize(
    "comment, code, suppressed",
    [
        ("# noqa", "COR101", True),
        ("# NOQA", "COR101", True),
        ("# noqa: COR101", "COR101", True),
        ("# noqa:COR101", "COR101", True),
        ("# noqa: COR102", "COR101", False),
        ("# noqa: COR1", "COR101", True),  # listed codes match by prefix
        ("# noqa: COR", "COR101", True),  # flake8's regex needs digits: no code list, so a bare noqa
        ("# noqa: E501,COR101", "COR101", True),
        ("# noqa: E501 COR101", "COR101", True),
        ("# noqa: E501", "COR101", False),
        ("# noqa: cor101", "COR101", False),  # codes are compared as written, as in flake8
        ("# noqa : COR102", "COR101", True),  # not a code list: a bare noqa, as in flake8
        ("#noqa", "COR101", False),  # flake8 requires "# noqa"
        ("# some text # noqa: COR101", "COR101", True),
    ],
)
def test_inline_semantics(comment: str, code: str, suppressed: bool) -> None:
    source = f"x = 1  {comment}\n"
    assert kept(source, (1, code)) == ([] if suppressed else [(1, code)])


def test_noqa_colon_without_digits_is_bare() -> None:
    # "# noqa: COR" has no code list flake8 recognises, so it is a bare noqa.
    assert read_suppressions("x = 1  # noqa: COR\n").by_line[1] is None


def test_only_the_commented_line() -> None:
    source = "a = 1  # noqa\nb = 2\n"
    assert kept(source, (1, "COR101"), (2, "COR101")) == [(2, "COR101")]


def test_noqa_inside_a_string_is_not_a_comment() -> None:
    source = 'x = "# noqa"\ny = """\n# noqa\n"""\n'
    assert kept(source, (1, "COR101"), (3, "COR101")) == [(1, "COR101"), (3, "COR101")]


def test_multiline_string_is_covered_by_its_last_line() -> None:
    source = 'x = """\nAccess-Control-Allow-Origin\n"""  # noqa: COR101\ny = 1\n'
    assert kept(source, (1, "COR101"), (2, "COR101"), (3, "COR101"), (4, "COR101")) == [(4, "COR101")]


def test_bracketed_call_lines_are_separate() -> None:
    source = "f(\n    a=1,\n    b=2,  # noqa\n)\n"
    assert kept(source, (2, "COR101"), (3, "COR101")) == [(2, "COR101")]


def test_backslash_continuation_is_one_range() -> None:
    source = "x = 1 + \\\n    2  # noqa\n"
    assert kept(source, (1, "COR101"), (2, "COR101")) == []


@pytest.mark.parametrize("marker", ["# flake8: noqa", "# FLAKE8=noqa", "# cors-lint: noqa", "  # cors-lint:noqa"])
def test_file_level_noqa_on_its_own_line(marker: str) -> None:
    source = f"import os\n{marker}\nx = 1\n"
    assert read_suppressions(source).skip_file
    assert kept(source, (3, "COR201")) == []


def test_file_level_noqa_after_code_is_only_a_line_comment() -> None:
    source = "x = 1  # flake8: noqa\ny = 2\n"
    supp = read_suppressions(source)
    assert not supp.skip_file
    assert kept(source, (2, "COR101")) == [(2, "COR101")]


def test_broken_file_keeps_comments_before_the_error() -> None:
    source = 'x = 1  # noqa\ny = """unterminated\n'
    assert kept(source, (1, "COR101")) == []


def test_undecodable_source_suppresses_nothing() -> None:
    assert [f.line for f in filter_findings([finding(1)], None)] == [1]


# --- end to end, compared with flake8 ---------------------------------------

SOURCE = '''\
from flask import request


def a(resp):
    resp.headers["Access-Control-Allow-Origin"] = request.origin  # noqa
    return resp


def b(resp):
    resp.headers["Access-Control-Allow-Origin"] = request.origin  # noqa: COR101
    return resp


def c(resp):
    resp.headers["Access-Control-Allow-Origin"] = request.origin  # NOQA:COR1,E501
    return resp


def d(resp):
    resp.headers["Access-Control-Allow-Origin"] = request.origin  # noqa: E501
    return resp
'''


def _env() -> dict:
    return {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}


def cli_rows(path: Path, *args: str) -> set[tuple[int, str]]:
    proc = subprocess.run(
        [sys.executable, "-m", "cors_lint", *args, path.name],
        cwd=path.parent, capture_output=True, text=True, env=_env(), timeout=120,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return {(int(ln.split(":")[1]), ln.split()[1]) for ln in proc.stdout.splitlines()}


def flake8_rows(path: Path, *args: str) -> set[tuple[int, str]]:
    proc = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select", "COR", *args, "--format", "%(row)d:%(code)s",
         path.name],
        cwd=path.parent, capture_output=True, text=True, env=_env(), timeout=120,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return {(int(ln.split(":")[0]), ln.split(":")[1]) for ln in proc.stdout.splitlines()}


def test_cli_noqa_matches_flake8(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    path.write_text(SOURCE)
    raw = cli_rows(path, "--disable-noqa")
    assert {(5, "COR101"), (10, "COR101"), (15, "COR101"), (20, "COR101")} <= raw
    got = cli_rows(path)
    assert (20, "COR101") in got
    assert not {(5, "COR101"), (10, "COR101"), (15, "COR101")} & got
    assert {(5, c) for c in ("COR104",)} & got == set()  # bare noqa suppresses every code
    assert got == flake8_rows(path)
    assert raw == flake8_rows(path, "--disable-noqa")


def test_file_level_noqa_end_to_end(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    path.write_text("# cors-lint: noqa\n" + SOURCE)
    assert cli_rows(path) == set()
    assert cli_rows(path, "--disable-noqa")
