"""--fix / --diff: the guarantees, on every fixture that has a fixable finding.

A fixed file compiles, differs from the original only in the replaced
literal tokens (whitespace, comments and every other token kept), has fewer
findings of the fixed codes and no new ones; a second --fix changes nothing;
files are replaced atomically (a new inode, no temporary file left, mode
kept) and only when something changed; --diff writes nothing.
"""

from __future__ import annotations

import difflib
import io
import os
import re
import shutil
import stat
import tokenize
from collections import Counter
from pathlib import Path

import pytest

from cors_lint import cli
from cors_lint.config import Selection
from cors_lint.engine import EngineOptions, lint_source
from cors_lint.fixes.fixer import fix_text
from cors_lint.fixes.origin_text import canonical_origin

FIXTURES = Path(__file__).parent / "fixtures"
SELECT_ALL = Selection(select=("ALL",))


def lint(text: str, path: str = "x.py"):
    return lint_source(text, path, EngineOptions(enabled=SELECT_ALL.enabled)).findings


def fixable_fixtures() -> list[Path]:
    out = []
    for path in sorted(FIXTURES.rglob("*.py")):
        if any(f.fix is not None for f in lint(path.read_text(encoding="utf-8"), str(path))):
            out.append(path)
    return out


FIXABLE = fixable_fixtures()
# fixtures whose every offered fix is refused, and why (at least these)
ALL_REFUSED = {
    "headers/idioms_misc.py",  # the malformed origin literal is used in more than one place
    "sanic/sanic_cors_config.py",  # CORS_ORIGIN -> CORS_ORIGINS = "*" would add a COR202
    "paths/exclusive_branches.py",  # COR104 on Django-style response[...] with no framework import
    "vary/sibling_helpers.py",  # COR104 in a file importing no framework: which Vary idiom?
    "middleware_order/django_unresolved.py",  # CORS_ALLOWED_ORIGIN -> CORS_ALLOWED_ORIGINS is already set
}


def test_refusals_are_the_exception() -> None:
    """The known refusals are refused, and most fixtures' fixes do apply."""
    applied = set()
    for path in FIXABLE:
        text = path.read_text(encoding="utf-8")
        result = fix_text(text, str(path), lint(text, str(path)), lambda t, p=str(path): lint(t, p))
        if result.changed:
            applied.add(path.relative_to(FIXTURES).as_posix())
    assert not (ALL_REFUSED & applied)
    assert len(applied) >= 0.75 * len(FIXABLE), sorted(applied)


def test_there_are_fixable_fixtures_for_each_fixable_code() -> None:
    codes = {f.code for path in FIXABLE for f in lint(path.read_text(encoding="utf-8"), str(path)) if f.fix}
    assert codes == {"COR104", "COR302", "COR303", "COR305"}


VARY_LINE = re.compile(
    r"\s*[\w.]+\.(vary\.add\(\"Origin\"\)|add_vary_header\(\"Origin\"\)"
    r"|(add_header|append_header|send_header)\(\"Vary\", \"Origin\"\))\n"
)


def assert_only_fix_edits(original: str, fixed: str) -> None:
    """Formatting and comments kept: no line deleted; a changed line differs
    only in NAME/STRING tokens (whitespace and comments identical); an added
    line is a Vary statement (COR104)."""
    old_lines, new_lines = original.splitlines(keepends=True), fixed.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        assert op in ("replace", "insert"), (op, old_lines[a1:a2])
        if op == "insert":
            assert all(VARY_LINE.fullmatch(line) for line in new_lines[b1:b2]), new_lines[b1:b2]
            continue
        assert a2 - a1 == b2 - b1, (old_lines[a1:a2], new_lines[b1:b2])
        old_tokens = tokens("".join(old_lines[a1:a2]))
        new_tokens = tokens("".join(new_lines[b1:b2]))
        assert len(old_tokens) == len(new_tokens)
        for a, b in zip(old_tokens, new_tokens):
            if a.string == b.string:
                continue
            # only `True` -> "true" changes a token's type
            assert a.type == b.type or (a.string == "True" and b.string == '"true"'), (a, b)
            assert a.type in (tokenize.NAME, tokenize.STRING), (a, b)
        assert [t.string for t in old_tokens if t.type == tokenize.COMMENT] == [
            t.string for t in new_tokens if t.type == tokenize.COMMENT
        ]


def tokens(text: str) -> list[tokenize.TokenInfo]:
    try:
        return list(tokenize.generate_tokens(io.StringIO(text).readline))
    except tokenize.TokenError:  # a changed line inside a bracket: compare what tokenizes
        out = []
        gen = tokenize.generate_tokens(io.StringIO(text).readline)
        try:
            for tok in gen:
                out.append(tok)
        except tokenize.TokenError:
            pass
        return out


def run_fix(*args: str, cwd: Path, capsys: pytest.CaptureFixture) -> tuple[int, str, str]:
    """The command in this process, analysing in this process too: these
    tests are about what a fix writes (the pool's --fix and --diff are
    tested in test_runner.py), and starting a worker server for each of
    three runs per fixture was most of their time."""
    old = os.getcwd()
    os.chdir(cwd)
    try:
        code = cli.main(["--isolated", "--select", "ALL", "--jobs", "1", *args])
    finally:
        os.chdir(old)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("fixture", FIXABLE, ids=[str(p.relative_to(FIXTURES)) for p in FIXABLE])
def test_fix_guarantees(fixture: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    original = fixture.read_text(encoding="utf-8")
    target = tmp_path / fixture.name
    shutil.copyfile(fixture, target)
    os.chmod(target, 0o640)
    bystander = tmp_path / "zz_untouched.py"
    bystander.write_text('resp.headers["Access-Control-Allow-Origin"] = request.origin\n')  # findings, no fix
    before_bystander = os.stat(bystander)
    before = os.stat(target)

    # --diff writes nothing, and shows what --fix will do
    code, diff, err = run_fix("--diff", ".", cwd=tmp_path, capsys=capsys)
    assert target.read_text(encoding="utf-8") == original
    assert os.stat(target).st_mtime_ns == before.st_mtime_ns
    if diff == "":
        # every fix offered was refused, each with a reason: the file is never touched
        offered = sum(1 for f in lint(original, str(target)) if f.fix is not None)
        refusals = [line for line in err.splitlines() if line.startswith(f"cors-lint: warning: {fixture.name}:")]
        assert code == 0 and len(refusals) == offered and all("not fixed:" in line for line in refusals), err
        run_fix("--fix", ".", cwd=tmp_path, capsys=capsys)
        assert target.read_text(encoding="utf-8") == original and os.stat(target).st_ino == before.st_ino
        return
    assert code == 1 and diff.startswith(f"--- a/{fixture.name}")

    run_fix("--fix", ".", cwd=tmp_path, capsys=capsys)
    fixed = target.read_text(encoding="utf-8")
    assert fixed != original
    compile(fixed, str(target), "exec")  # parses

    assert_only_fix_edits(original, fixed)

    # the fixed findings are gone and nothing new appeared
    old_counts = Counter(f.code for f in lint(original, str(target)))
    new_counts = Counter(f.code for f in lint(fixed, str(target)))
    assert all(new_counts[c] <= old_counts[c] for c in new_counts)
    assert sum(new_counts.values()) < sum(old_counts.values())

    # atomic: a new file renamed over the old one, no leftovers, mode kept
    after = os.stat(target)
    assert after.st_ino != before.st_ino
    assert stat.S_IMODE(after.st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([fixture.name, bystander.name])
    # untouched files untouched
    assert os.stat(bystander).st_mtime_ns == before_bystander.st_mtime_ns
    assert os.stat(bystander).st_ino == before_bystander.st_ino

    # idempotent: a second --fix changes nothing and does not rewrite the file
    run_fix("--fix", ".", cwd=tmp_path, capsys=capsys)
    assert target.read_text(encoding="utf-8") == fixed
    assert os.stat(target).st_ino == after.st_ino and os.stat(target).st_mtime_ns == after.st_mtime_ns


# --- individual fixes -------------------------------------------------------------------


def fixed(text: str) -> tuple[str, list[tuple[str, str]]]:
    result = fix_text(text, "x.py", lint(text), lint)
    return result.text, [(f.code, why) for f, why in result.refused]


def test_cor303_spellings() -> None:
    src = (
        "def f(resp, handler):\n"
        "    resp.headers['Access-Control-Allow-Credentials'] = 'TRUE'  # c\n"
        "    handler.set_header(b'Access-Control-Allow-Credentials', True)\n"
        "    resp.headers['Access-Control-Allow-Credentials'] = 'yes'\n"
    )
    out, refused = fixed(src)
    assert out.splitlines()[1] == "    resp.headers['Access-Control-Allow-Credentials'] = 'true'  # c"
    assert out.splitlines()[2] == "    handler.set_header(b'Access-Control-Allow-Credentials', \"true\")"
    assert out.splitlines()[3].endswith("= 'yes'")  # what was meant is not certain: no fix
    assert refused == []


def test_cor305_rename_refused_when_it_creates_a_new_finding() -> None:
    src = (
        "from fastapi.middleware.cors import CORSMiddleware\n"
        "app.add_middleware(CORSMiddleware, allow_origins=['*'], allow_credential=True)\n"
    )
    out, refused = fixed(src)
    assert out == src
    assert refused == [("COR305", "the fix would add COR202")]


def test_cor305_rename_of_a_keyword_whose_value_has_the_same_name() -> None:
    src = "from flask_cors import CORS\norigin = 'https://a.example.com'\nCORS(app, origin=origin)\n"
    out, _ = fixed(src)
    assert out.splitlines()[2] == "CORS(app, origins=origin)"


def test_cor305_rename_refused_when_the_name_is_already_there() -> None:
    src = (
        "CORS = {\n"
        '    "allowed_origins": ["https://app.example.com"],\n'
        '    "allow_origins": ["https://admin.example.com"],\n'
        "}\n"
    )
    src = "from masonite.middleware import CorsMiddleware\n" + src
    findings = [f for f in lint(src) if f.code == "COR305"]
    if not findings:
        pytest.skip("this spelling of a Masonite config is not recognised")
    out, refused = fixed(src)
    assert out == src and refused == [("COR305", "'allowed_origins' is already set here")]


def test_cor302_only_a_literal_used_in_one_place() -> None:
    once = "def f(resp):\n    resp.headers['Access-Control-Allow-Origin'] = 'https://a.example.com/'\n"
    assert "'https://a.example.com'" in fixed(once)[0]
    twice = once + "HOME = 'https://a.example.com/'\n"
    out, refused = fixed(twice)
    assert out == twice and refused == [("COR302", "'https://a.example.com/' is used in more than one place")]


@pytest.mark.parametrize(
    "literal, expected",
    [
        ("https://a.example.com/", "https://a.example.com"),
        ("https://a.example.com:443", "https://a.example.com"),
        ("http://a.example.com:80/api/", "http://a.example.com"),
        ("https://a.example.com:8443/", "https://a.example.com:8443"),
        ("https://*.example.com/", None),  # a pattern, not an origin
        ("a.example.com/", None),  # no scheme: which one was meant?
        ("https://a.example.com/?x=1", None),
        ("HTTPS://a.example.com/", None),
    ],
)
def test_canonical_origin(literal: str, expected: str | None) -> None:
    assert canonical_origin(literal) == expected


VARY_CASES = {
    "flask": (
        "from flask import request\n\n\ndef f(resp):\n"
        "    resp.headers['Access-Control-Allow-Origin'] = request.headers.get('Origin')  # c\n",
        "    resp.vary.add(\"Origin\")\n",
    ),
    "starlette": (
        "from starlette.responses import Response\n\n\ndef f(request, response):\n"
        "    response.headers['Access-Control-Allow-Origin'] = request.headers['origin']\n",
        "    response.headers.add_vary_header(\"Origin\")\n",
    ),
    "tornado": (
        "import tornado.web\n\n\nclass H(tornado.web.RequestHandler):\n    def prepare(self):\n"
        "        self.set_header('Access-Control-Allow-Origin', self.request.headers.get('Origin'))\n",
        "        self.add_header(\"Vary\", \"Origin\")\n",
    ),
    "falcon": (
        "import falcon\n\n\nclass R:\n    def on_get(self, req, resp):\n"
        "        resp.set_header('Access-Control-Allow-Origin', req.get_header('Origin'))\n",
        "        resp.append_header(\"Vary\", \"Origin\")\n",
    ),
    "http.server": (
        "from http.server import BaseHTTPRequestHandler\n\n\nclass H(BaseHTTPRequestHandler):\n    def do_GET(self):\n"
        "        self.send_header('Access-Control-Allow-Origin', self.headers['Origin'])\n",
        "        self.send_header(\"Vary\", \"Origin\")\n",
    ),
}


@pytest.mark.parametrize("framework", sorted(VARY_CASES))
def test_cor104_adds_vary_in_the_frameworks_idiom(framework: str) -> None:
    src, added = VARY_CASES[framework]
    if "COR104" not in {f.code for f in lint(src)}:
        pytest.skip(f"no COR104 for this {framework} spelling")
    out, refused = fixed(src)
    assert refused == []
    assert out == src + added
    assert "COR104" not in {f.code for f in lint(out)}


def test_cor104_not_offered_when_the_response_already_has_a_vary() -> None:
    src = (
        "from flask import request\n\n\ndef f(resp):\n"
        "    resp.headers['Access-Control-Allow-Origin'] = request.headers.get('Origin')\n"
        "    resp.headers['Vary'] = 'Cookie'\n"  # a later assignment would overwrite an added Vary
    )
    findings = [f for f in lint(src) if f.code == "COR104"]
    assert findings and all(f.fix is None for f in findings)


def test_cor104_refused_without_a_known_framework() -> None:
    src = "def f(request, resp):\n    resp.headers['Access-Control-Allow-Origin'] = request.headers.get('Origin')\n"
    out, refused = fixed(src)
    assert out == src and refused == [("COR104", "no known way to add Vary for this framework or write")]


def test_noqa_suppressed_findings_are_not_fixed(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    src = "def f(resp):\n    resp.headers['Access-Control-Allow-Credentials'] = 'True'  # noqa: COR303\n"
    (tmp_path / "a.py").write_text(src)
    run_fix("--fix", "a.py", cwd=tmp_path, capsys=capsys)
    assert (tmp_path / "a.py").read_text() == src


def test_crlf_line_endings_are_kept(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    src = b"def f(resp):\r\n    resp.headers['Access-Control-Allow-Credentials'] = 'True'\r\n"
    (tmp_path / "a.py").write_bytes(src)
    code, _, err = run_fix("--fix", "a.py", cwd=tmp_path, capsys=capsys)
    assert (tmp_path / "a.py").read_bytes() == src.replace(b"'True'", b"'true'")
    assert code == 0 and "Fixed 1 finding in 1 file." in err


def test_show_source_says_whether_a_fix_exists(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    src = (
        "def f(resp, request):\n"
        "    resp.headers['Access-Control-Allow-Credentials'] = 'True'\n"
        "    resp.headers['Access-Control-Allow-Origin'] = request.headers['Origin']\n"
    )
    (tmp_path / "a.py").write_text(src)
    _, out, _ = run_fix("--show-source", "a.py", cwd=tmp_path, capsys=capsys)
    assert "  fix: send \"true\" in lower case (safe; run cors-lint --fix)" in out
    assert "  fix: no automatic fix; change the code by hand" in out
