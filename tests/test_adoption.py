"""Conventions for adopting cors-lint: selection, statistics, noqa audits,
config typos, explain, thresholds, output files, baselines, .gitignore."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cors_lint import ruledocs
from cors_lint.rules.base import all_rules

REFLECTING = (
    "from flask import request\n\n\ndef f(resp):\n"
    '    resp.headers["Access-Control-Allow-Origin"] = request.origin\n'
)
CREDS = (
    "def f(resp):\n"
    '    resp.headers["Access-Control-Allow-Origin"] = "*"\n'
    '    resp.headers["Access-Control-Allow-Credentials"] = "true"\n'
)
BAD_CREDS_VALUE = (
    "def f(resp):\n"
    '    resp.headers["Access-Control-Allow-Origin"] = "https://a.example.com"\n'
    '    resp.headers["Access-Control-Allow-Credentials"] = "True"\n'
)


def run_cli(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run(
        [sys.executable, "-m", "cors_lint", *args], cwd=cwd, input=stdin, capture_output=True, text=True, env=env,
        timeout=120,
    )


def codes(stdout: str) -> list[str]:
    return [line.split(": ", 1)[1].split()[0] for line in stdout.splitlines() if ": COR" in line]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(REFLECTING)
    (tmp_path / "creds.py").write_text(CREDS)
    (tmp_path / "value.py").write_text(BAD_CREDS_VALUE)
    return tmp_path


# --- selection, statistics ----------------------------------------------------


def test_repeated_select_and_ignore_accumulate(project: Path) -> None:
    both = run_cli("--select", "COR101", "--select", "COR303", ".", cwd=project)
    assert sorted(set(codes(both.stdout))) == ["COR101", "COR303"]
    ignored = run_cli("--ignore", "COR101", "--ignore", "COR303", ".", cwd=project)
    assert "COR101" not in codes(ignored.stdout) and "COR303" not in codes(ignored.stdout)
    assert "COR201" in codes(ignored.stdout)


def test_statistics_in_json_and_sarif_and_on_stderr_for_github(project: Path) -> None:
    data = json.loads(run_cli("--format", "json", "--statistics", ".", cwd=project).stdout)
    assert data["statistics"]["COR101"] == {"count": 1, "name": "origin-reflected-without-allowlist"}
    sarif = json.loads(run_cli("--format", "sarif", "--statistics", ".", cwd=project).stdout)
    assert sarif["runs"][0]["properties"]["statistics"]["COR303"]["count"] == 1
    gh = run_cli("--format", "github", "--statistics", ".", cwd=project)
    assert all(line.startswith("::") for line in gh.stdout.splitlines())  # stdout stays annotations only
    assert "COR101  origin-reflected-without-allowlist" in gh.stderr


# --- noqa audits ---------------------------------------------------------------


def test_noqa_with_an_unknown_cor_code_warns(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(REFLECTING.replace("request.origin\n", "request.origin  # noqa: COR999, E501\n"))
    proc = run_cli("a.py", cwd=tmp_path)
    assert "a.py:5:" in proc.stderr and "unknown code COR999 in noqa comment" in proc.stderr
    assert "E501" not in proc.stderr  # other tools' codes are theirs
    assert "COR101" in codes(proc.stdout)  # COR999 suppresses nothing


def test_noqa_audit_leaves_known_codes_and_prefixes_alone(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(REFLECTING.replace("request.origin\n", "request.origin  # noqa: COR1\n"))
    proc = run_cli("a.py", cwd=tmp_path)
    assert proc.returncode == 0 and "warning" not in proc.stderr


def test_warn_unused_noqa(tmp_path: Path) -> None:
    source = REFLECTING.replace("request.origin\n", "request.origin  # noqa: COR101, COR303\n")
    source += "x = 1  # noqa: COR201\ny = 2  # noqa\n"
    (tmp_path / "a.py").write_text(source)
    quiet = run_cli("--ignore", "COR104", "a.py", cwd=tmp_path)
    assert quiet.returncode == 0 and "unused" not in quiet.stderr  # off by default
    proc = run_cli("--ignore", "COR104", "--warn-unused-noqa", "a.py", cwd=tmp_path)
    assert proc.returncode == 1
    unused = sorted(line for line in proc.stderr.splitlines() if "unused noqa" in line)
    assert unused == ["a.py:5:67: unused noqa: COR303", "a.py:6:8: unused noqa: COR201"]


# --- configuration typos --------------------------------------------------------


@pytest.mark.parametrize("table", ["cors_lint", "corslint", "cors-linter", "Cors-Lint"])
def test_misspelt_tool_table_is_an_error(tmp_path: Path, table: str) -> None:
    (tmp_path / "pyproject.toml").write_text(f'[tool.{table}]\nignore = ["COR101"]\n')
    (tmp_path / "a.py").write_text(REFLECTING)
    proc = run_cli("a.py", cwd=tmp_path)
    assert proc.returncode == 2
    assert f"unknown table [tool.{table}]" in proc.stderr and "did you mean [tool.cors-lint]?" in proc.stderr


def test_unrelated_tool_tables_are_fine(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.ruff]\nline-length = 99\n[tool.coverage]\nx = 1\n')
    (tmp_path / "a.py").write_text("x = 1\n")
    assert run_cli("a.py", cwd=tmp_path).returncode == 0


def test_unknown_key_did_you_mean(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.cors-lint]\nignores = ["COR101"]\n')
    (tmp_path / "a.py").write_text("x = 1\n")
    proc = run_cli("a.py", cwd=tmp_path)
    assert proc.returncode == 2
    assert "unknown key 'ignores' in [tool.cors-lint] (did you mean 'ignore'?)" in proc.stderr


def test_threshold_keys_in_config(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.cors-lint]\nseverity-threshold = "critical"\n')
    (tmp_path / "a.py").write_text(REFLECTING)
    assert run_cli("a.py", cwd=tmp_path).returncode == 0  # COR101 here is high
    (tmp_path / "pyproject.toml").write_text('[tool.cors-lint]\nseverity-threshold = "severe"\n')
    proc = run_cli("a.py", cwd=tmp_path)
    assert proc.returncode == 2 and "severity-threshold must be one of" in proc.stderr


# --- explain ----------------------------------------------------------------------


def test_explain_prints_the_rule_page(tmp_path: Path) -> None:
    page = (Path(__file__).resolve().parent.parent / "docs" / "rules" / "COR102.md").read_text()
    for args in (("--explain", "COR102"), ("rule", "COR102"), ("rule", "cor102")):
        proc = run_cli(*args, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.startswith(page)


def test_rule_is_a_path_when_one_exists(tmp_path: Path) -> None:
    (tmp_path / "rule").mkdir()
    (tmp_path / "rule" / "a.py").write_text(REFLECTING)
    proc = run_cli("rule", cwd=tmp_path)
    assert proc.returncode == 1 and "rule/a.py:5:5: COR101" in proc.stdout


def test_explain_unknown_code(tmp_path: Path) -> None:
    proc = run_cli("--explain", "COR1O1", cwd=tmp_path)
    assert proc.returncode == 2
    assert "unknown rule code 'COR1O1' (did you mean 'COR101'?)" in proc.stderr


def test_rule_all_lists_every_rule(tmp_path: Path) -> None:
    proc = run_cli("rule", "--all", cwd=tmp_path)
    assert proc.returncode == 0
    rows = {line.split()[0]: line.split() for line in proc.stdout.splitlines() if line.startswith("COR")}
    for rule in all_rules():
        assert rows[rule.CODE][1:] == [
            rule.NAME, "on" if rule.DEFAULT_ENABLED else "off", rule.SEVERITY.value, rule.CONFIDENCE.value
        ]


def test_help_points_to_the_rule_list(tmp_path: Path) -> None:
    assert "cors-lint rule --all" in run_cli("--help", cwd=tmp_path).stdout


def test_every_rule_has_a_page_with_the_registry_name() -> None:
    for rule in all_rules():
        page = ruledocs.page(rule.CODE)
        assert page is not None, rule.CODE
        assert page.splitlines()[0] == f"# {rule.CODE}: {rule.NAME}"


def test_fix_sentences_of_the_pages_that_have_one() -> None:
    """A page's "How to fix" section opens with the one-sentence fix the text output quotes."""
    for rule in all_rules():
        body = ruledocs.section(ruledocs.page(rule.CODE) or "", "How to fix")
        if body is None:
            assert ruledocs.fix_sentence(rule.CODE) is None  # the help line points to --explain
            continue
        sentence = ruledocs.fix_sentence(rule.CODE)
        assert sentence and sentence[-1] in ".!?" and "`" not in sentence, (rule.CODE, sentence)


def test_noqa_prefilter() -> None:
    from cors_lint.noqa import might_have_noqa

    assert might_have_noqa(b"x = 1  # noqa: COR101\n")
    assert might_have_noqa(b"x = 1  # NOQA:COR9\n")
    assert not might_have_noqa(b"x = 1  # noqa: E501\n")
    assert not might_have_noqa(b"x = 1  # noqa\nCOR = 2\n")


def test_fix_sentence_comes_from_how_to_fix() -> None:
    text = "# X\n\n## How to fix\n\nUse a `set` of origins. Then more.\n\n```python\nx\n```\n\n## References\n"
    assert ruledocs.first_sentence(ruledocs.section(text, "How to fix")) == "Use a set of origins."
    assert ruledocs.section(text, "Nope") is None


def test_plain_strips_markdown_but_keeps_code_text() -> None:
    assert ruledocs.plain("Reports `*` in [COR102](COR102.md) *and* `a_b_c`") == "Reports * in COR102 and a_b_c"


def test_wheel_ships_the_rule_pages_unchanged(tmp_path: Path) -> None:
    """The installed copy is byte-for-byte docs/rules (force-include)."""
    import zipfile

    pytest.importorskip("hatchling", reason="hatchling is needed to build the wheel offline")
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(root)],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    (wheel,) = tmp_path.glob("*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        for page in sorted((root / "docs" / "rules").glob("COR*.md")):
            member = f"cors_lint/_docs/rules/{page.name}"
            assert member in names
            assert zf.read(member).decode("utf-8") == page.read_text(encoding="utf-8")
        assert any(name.endswith("licenses/LICENSE") for name in names)


# --- thresholds, output file ------------------------------------------------------


def test_severity_and_confidence_thresholds(project: Path) -> None:
    every = codes(run_cli(".", cwd=project).stdout)
    assert "COR303" in every  # medium
    high = codes(run_cli("--severity-threshold", "high", ".", cwd=project).stdout)
    assert "COR303" not in high and "COR101" in high
    assert run_cli("--severity-threshold", "critical", "app.py", cwd=project).returncode == 0


def test_output_file(project: Path) -> None:
    proc = run_cli("--format", "json", "--output-file", "reports/out.json", ".", cwd=project)
    assert proc.returncode == 1
    assert proc.stdout == ""
    data = json.loads((project / "reports" / "out.json").read_text())
    assert {f["code"] for f in data["findings"]} >= {"COR101", "COR201", "COR303"}
    assert "Found" in proc.stderr


def test_output_file_unwritable(project: Path) -> None:
    (project / "blocker").write_text("")
    proc = run_cli("--output-file", "blocker/out.txt", ".", cwd=project)
    assert proc.returncode == 2 and "cannot write blocker/out.txt" in proc.stderr


# --- baselines -----------------------------------------------------------------


def test_baseline_round_trip(project: Path) -> None:
    wrote = run_cli("--write-baseline", "ci/baseline.json", ".", cwd=project)
    assert wrote.returncode == 0 and "Wrote 4 findings" in wrote.stderr, wrote.stderr
    data = json.loads((project / "ci" / "baseline.json").read_text())
    assert {e["path"] for e in data["findings"]} == {"../app.py", "../creds.py", "../value.py"}

    clean = run_cli("--baseline", "ci/baseline.json", ".", cwd=project)
    assert clean.returncode == 0 and clean.stdout == "", clean.stdout
    assert "4 in the baseline" in clean.stderr

    # Lines inserted above a finding: still matched.  From another directory: still matched.
    (project / "app.py").write_text("import os\n\n\n" + REFLECTING)
    assert run_cli("--baseline", "ci/baseline.json", ".", cwd=project).returncode == 0
    assert run_cli("--baseline", "baseline.json", "..", cwd=project / "ci").returncode == 0

    # A copy of a baselined line is new (multiset), and so is a new bug.
    (project / "app.py").write_text(
        REFLECTING + '    resp.headers["Access-Control-Allow-Origin"] = request.origin\n'
    )
    proc = run_cli("--baseline", "ci/baseline.json", ".", cwd=project)
    assert proc.returncode == 1
    assert {tuple(line.split(":")[:2]) for line in proc.stdout.splitlines()} == {("app.py", "6")}
    assert "COR101" in codes(proc.stdout)


def test_baseline_fingerprint_is_the_sarif_one(project: Path) -> None:
    run_cli("--write-baseline", "b.json", "app.py", cwd=project)
    entry = json.loads((project / "b.json").read_text())["findings"][0]
    sarif = json.loads(run_cli("--format", "sarif", "app.py", cwd=project).stdout)
    fp = sarif["runs"][0]["results"][0]["partialFingerprints"]["primaryLocationLineHash"]
    assert fp == f"{entry['fingerprint']}:1"


@pytest.mark.parametrize("content", ["", "{", '{"version": 99, "findings": []}', '{"version": 1, "findings": [1]}'])
def test_bad_baseline_is_a_usage_error(project: Path, content: str) -> None:
    (project / "b.json").write_text(content)
    proc = run_cli("--baseline", "b.json", ".", cwd=project)
    assert proc.returncode == 2 and proc.stderr.startswith("cors-lint: error: ") and "Traceback" not in proc.stderr


def test_missing_baseline_is_a_usage_error(project: Path) -> None:
    proc = run_cli("--baseline", "nope.json", ".", cwd=project)
    assert proc.returncode == 2 and "cannot read baseline nope.json" in proc.stderr


# --- .gitignore -----------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / ".git" / "info").mkdir(parents=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("local_*.py\n")
    (tmp_path / ".gitignore").write_text("generated/\n*_gen.py\n!keep_gen.py\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / ".gitignore").write_text("scratch.py\n")
    for name in ("app.py", "generated/x.py", "a_gen.py", "keep_gen.py", "local_try.py", "src/scratch.py", "src/ok.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(REFLECTING)
    return tmp_path


def paths(stdout: str) -> set[str]:
    return {line.split(":")[0] for line in stdout.splitlines()}


def test_gitignored_files_are_skipped(repo: Path) -> None:
    assert paths(run_cli(".", cwd=repo).stdout) == {"app.py", "keep_gen.py", "src/ok.py"}
    every = paths(run_cli("--no-respect-gitignore", ".", cwd=repo).stdout)
    assert every == {"app.py", "generated/x.py", "a_gen.py", "keep_gen.py", "local_try.py", "src/scratch.py", "src/ok.py"}


def test_named_gitignored_files_are_linted_unless_force_exclude(repo: Path) -> None:
    assert paths(run_cli("a_gen.py", "src/scratch.py", cwd=repo).stdout) == {"a_gen.py", "src/scratch.py"}
    forced = run_cli("--force-exclude", "a_gen.py", "src/scratch.py", "app.py", cwd=repo)
    assert paths(forced.stdout) == {"app.py"}


def test_gitignore_outside_a_repository_is_not_read(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.py\n")  # no .git: not a working tree
    (tmp_path / "a.py").write_text(REFLECTING)
    assert paths(run_cli(".", cwd=tmp_path).stdout) == {"a.py"}
