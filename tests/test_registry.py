"""The rule registry agrees with the catalog, the docs and the fixtures.

Codes end up in users' ``# noqa`` comments, ``select`` lists and baselines,
so a code must never change meaning.  These tests check every rule that is
registered at run time (rules land one module at a time), and fail as soon
as a registered rule lacks a catalog-conforming name, a docs page, an index
entry or a fixture that exercises it.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from annotations import read_annotations
from cors_lint.engine import EngineOptions, error_finding, lint_source
from cors_lint.findings import Confidence, FileError, Severity
from cors_lint.rules.base import REGISTRY, all_rules

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "rules"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

CODE_RE = re.compile(r"^COR\d{3}$")
SLUG_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")

# The product catalog (shared/rule-catalog.md), copied here so the test does
# not depend on a path outside the repository: code -> (name, on by default).
CATALOG: dict[str, tuple[str, bool]] = {
    "COR101": ("origin-reflected-without-allowlist", True),
    "COR102": ("weak-origin-check", True),
    "COR103": ("null-origin-allowed", True),
    "COR104": ("dynamic-origin-without-vary", True),
    "COR105": ("insecure-origin-trusted", True),
    "COR106": ("private-network-any-origin", True),
    "COR201": ("wildcard-origin-with-credentials", True),
    "COR202": ("any-origin-with-credentials", True),
    "COR203": ("wildcard-origin", False),
    "COR204": ("wildcard-in-credentialed-preflight", True),
    "COR301": ("multiple-origins-in-header", True),
    "COR302": ("malformed-origin", True),
    "COR303": ("invalid-credentials-value", True),
    "COR304": ("cors-header-on-request", True),
    "COR305": ("unknown-cors-option", True),
    "COR401": ("websocket-any-origin", True),
    "COR402": ("websocket-origin-not-checked", True),
    "COR900": ("file-not-analyzed", True),
}
FAMILIES = ("COR1", "COR2", "COR3", "COR4", "COR9")

# Rules that already shipped: the registry must never lose them (a broken
# auto-discovery would otherwise make every per-rule test vacuously pass).
SHIPPED = {"COR101", "COR102", "COR103", "COR104", "COR201", "COR204", "COR301", "COR302", "COR303", "COR304", "COR900"}

# Emitted by the engine for unreadable files; covered by the bad-input tests
# rather than by an annotated fixture (a fixture must parse).
NO_FIXTURE_NEEDED = {"COR900"}

RULES = all_rules()
RULE_IDS = [r.CODE for r in RULES]


# ---------------------------------------------------------------------------
# Checks as plain functions, so they can be tested against broken rules too
# ---------------------------------------------------------------------------


def metadata_problems(rule) -> list[str]:
    problems = []
    if not CODE_RE.match(rule.CODE):
        problems.append(f"code {rule.CODE!r} does not match {CODE_RE.pattern}")
    if not rule.CODE.startswith(FAMILIES):
        problems.append(f"code {rule.CODE} is outside the catalog's families {FAMILIES}")
    if not SLUG_RE.match(rule.NAME or ""):
        problems.append(f"NAME {rule.NAME!r} is not a kebab-case slug")
    summary = (rule.SUMMARY or "").strip()
    if not summary or "\n" in summary or not summary.endswith("."):
        problems.append(f"SUMMARY {rule.SUMMARY!r} must be one non-empty sentence ending with '.'")
    if rule.CODE in CATALOG:
        name, enabled = CATALOG[rule.CODE]
        if rule.NAME != name:
            problems.append(f"NAME {rule.NAME!r} differs from the catalog's {name!r}")
        if rule.DEFAULT_ENABLED != enabled:
            problems.append(f"DEFAULT_ENABLED={rule.DEFAULT_ENABLED} but the catalog says {'on' if enabled else 'off'}")
    return problems


def _metadata_row(text: str, code: str) -> dict[str, str] | None:
    """The metadata table row for ``code``, keyed by lower-case header."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if not line.startswith("|") or i + 2 >= len(lines):
            continue
        header = [c.strip().lower() for c in line.strip().strip("|").split("|")]
        if "code" not in header:
            continue
        for row_line in lines[i + 2 :]:
            if not row_line.startswith("|"):
                break
            cells = [c.strip().strip("`") for c in row_line.strip().strip("|").split("|")]
            if cells and cells[0] == code and len(cells) == len(header):
                return dict(zip(header, cells))
    return None


def docs_problems(rule, docs: Path = DOCS) -> list[str]:
    page = docs / f"{rule.CODE}.md"
    if not page.is_file():
        return [f"no docs page {page.relative_to(ROOT) if page.is_relative_to(ROOT) else page}"]
    text = page.read_text(encoding="utf-8")
    first = text.splitlines()[0] if text else ""
    problems = []
    if not first.startswith("# ") or rule.CODE not in first or rule.NAME not in first:
        problems.append(f"{page.name}: first line {first!r} must be a title naming {rule.CODE} and {rule.NAME}")
    positions = [text.find(h) for h in ("\n## What it does", "\n## Why is this bad?", "\n## Example")]
    if -1 in positions or positions != sorted(positions):
        problems.append(f"{page.name}: needs the sections 'What it does', 'Why is this bad?', 'Example', in that order")
    row = _metadata_row(text, rule.CODE)
    if row is None:
        problems.append(f"{page.name}: no metadata table row starting with | {rule.CODE} |")
    else:
        default = row.get("default", "")
        if default.split()[:1] != (["on"] if rule.DEFAULT_ENABLED else ["off"]):
            problems.append(f"{page.name}: metadata says default {default!r}, the rule says {'on' if rule.DEFAULT_ENABLED else 'off'}")
        if not row.get("severity", "").startswith(rule.SEVERITY.value):
            problems.append(f"{page.name}: metadata severity {row.get('severity')!r}, the rule says {rule.SEVERITY.value}")
        if not row.get("confidence", "").startswith(rule.CONFIDENCE.value):
            problems.append(f"{page.name}: metadata confidence {row.get('confidence')!r}, the rule says {rule.CONFIDENCE.value}")
        cwe = row.get("cwe")
        if cwe is not None and cwe != (f"CWE-{rule.CWE}" if rule.CWE else "—"):
            problems.append(f"{page.name}: metadata CWE {cwe!r}, the rule says {rule.CWE or 'none'}")
    return problems


_FENCE = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def _section(text: str, heading: str) -> str:
    start = text.find(f"\n## {heading}\n")
    if start < 0:
        return ""
    end = text.find("\n## ", start + 1)
    return text[start : end if end >= 0 else len(text)]


def _codes_reported(snippet: str) -> set[str]:
    options = EngineOptions(enabled=lambda code: code in REGISTRY)
    return {f.code for f in lint_source(snippet.encode("utf-8"), "example.py", options).findings}


def example_problems(rule, docs: Path = DOCS) -> list[str]:
    """The page's "Example" code must trigger the rule; no "Use instead"
    snippet may.  Snippets are parsed, never run."""
    page = docs / f"{rule.CODE}.md"
    if not page.is_file():
        return []  # docs_problems reports the missing page
    text = page.read_text(encoding="utf-8")
    problems = []
    bad = _FENCE.findall(_section(text, "Example"))
    if not bad:
        problems.append(f"{page.name}: '## Example' has no ```python block")
    elif not any(rule.CODE in _codes_reported(code) for code in bad):
        problems.append(f"{page.name}: the Example does not trigger {rule.CODE}")
    for heading in ("Use instead", "How to fix"):
        for code in _FENCE.findall(_section(text, heading)):
            if rule.CODE in _codes_reported(code):
                problems.append(f"{page.name}: a '{heading}' snippet still triggers {rule.CODE}")
    return problems


def expected_codes(fixtures: Path = FIXTURES) -> set[str]:
    """Every code some fixture line expects (read from comment tokens)."""
    codes = set()
    for path in fixtures.rglob("*.py"):
        codes |= {code for _, code in read_annotations(path).expected}
    return codes


_FIXTURE_CODES = functools.cache(expected_codes)


# ---------------------------------------------------------------------------
# The registry itself
# ---------------------------------------------------------------------------


def test_shipped_rules_are_registered() -> None:
    missing = SHIPPED - set(REGISTRY)
    assert not missing, f"rules missing from the registry (discovery broken?): {sorted(missing)}"


def test_codes_and_names_are_unique() -> None:
    codes = [r.CODE for r in RULES]
    names = [r.NAME for r in RULES]
    assert len(codes) == len(set(codes)), codes
    assert len(names) == len(set(names)), f"two rules share a NAME: {sorted(n for n in names if names.count(n) > 1)}"
    for code, cls in REGISTRY.items():
        assert cls.CODE == code


def test_only_catalog_codes_are_opt_in() -> None:
    """Opt-in codes are rare and deliberate: a new one must be in the catalog."""
    opt_in = {r.CODE for r in RULES if not r.DEFAULT_ENABLED}
    assert opt_in <= {code for code, (_, on) in CATALOG.items() if not on}


def test_engine_error_finding_matches_cor900() -> None:
    finding = error_finding(FileError("x.py", "syntax error"))
    rule = REGISTRY["COR900"]
    assert (finding.code, finding.name) == (rule.CODE, rule.NAME)


@pytest.mark.parametrize("rule", RULES, ids=RULE_IDS)
def test_rule_metadata(rule) -> None:
    assert isinstance(rule.SEVERITY, Severity) and isinstance(rule.CONFIDENCE, Confidence)
    problems = metadata_problems(rule)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("rule", RULES, ids=RULE_IDS)
def test_rule_has_docs_page(rule) -> None:
    problems = docs_problems(rule)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("rule", RULES, ids=RULE_IDS)
def test_rule_docs_examples_are_accurate(rule) -> None:
    problems = example_problems(rule)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("rule", RULES, ids=RULE_IDS)
def test_rule_is_in_docs_index(rule) -> None:
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    assert f"({rule.CODE}.md)" in index, f"docs/rules/README.md does not link {rule.CODE}.md"


@pytest.mark.parametrize("rule", [r for r in RULES if r.CODE not in NO_FIXTURE_NEEDED], ids=[c for c in RULE_IDS if c not in NO_FIXTURE_NEEDED])
def test_rule_has_fixture(rule) -> None:
    assert rule.CODE in _FIXTURE_CODES(), f"no fixture line under tests/fixtures/ has '# expect: {rule.CODE}'"


# ---------------------------------------------------------------------------
# The checks above can fail
# ---------------------------------------------------------------------------


def _fake(**overrides) -> SimpleNamespace:
    """A rule-shaped object that is *not* registered (subclassing Rule would
    register it for the whole session)."""
    base = dict(
        CODE="COR101",
        NAME="origin-reflected-without-allowlist",
        SUMMARY="Something was found.",
        DEFAULT_ENABLED=True,
        SEVERITY=Severity.HIGH,
        CONFIDENCE=Confidence.HIGH,
    )
    base.update(overrides)
    return SimpleNamespace(**base)


@pytest.mark.parametrize(
    "overrides, needle",
    [
        ({"CODE": "CORS101"}, "does not match"),
        ({"CODE": "COR501"}, "outside the catalog"),
        ({"NAME": "OriginReflected"}, "kebab-case"),
        ({"NAME": "origin-reflected"}, "differs from the catalog"),
        ({"SUMMARY": ""}, "one non-empty sentence"),
        ({"DEFAULT_ENABLED": False}, "catalog says on"),
    ],
)
def test_metadata_problems_detects(overrides, needle) -> None:
    assert any(needle in p for p in metadata_problems(_fake(**overrides)))


def test_docs_problems_detects(tmp_path: Path) -> None:
    rule = _fake(CODE="COR199", NAME="made-up-rule", SEVERITY=Severity.MEDIUM)
    assert any("no docs page" in p for p in docs_problems(rule, tmp_path))

    page = tmp_path / "COR199.md"
    sections = "\n## What it does\nx\n## Why is this bad?\ny\n## Example\nz\n"
    table = "\n| Code | Name | Default | Severity | Confidence |\n|---|---|---|---|---|\n| COR199 | made-up-rule | on | medium | high |\n"
    page.write_text("# COR199: made-up-rule\n" + table + sections, encoding="utf-8")
    assert docs_problems(rule, tmp_path) == []

    page.write_text("# COR199: something-else\n" + table + sections, encoding="utf-8")
    assert any("first line" in p for p in docs_problems(rule, tmp_path))

    page.write_text("# COR199: made-up-rule\n" + table.replace("| on |", "| off |") + sections, encoding="utf-8")
    assert any("default" in p for p in docs_problems(rule, tmp_path))

    page.write_text("# COR199: made-up-rule\n" + table + sections.replace("## Example", "## Sample"), encoding="utf-8")
    assert any("sections" in p for p in docs_problems(rule, tmp_path))

    page.write_text("# COR199: made-up-rule\n" + sections, encoding="utf-8")
    assert any("metadata table" in p for p in docs_problems(rule, tmp_path))


def test_expected_codes_reads_comments_only(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text('x = "# expect: COR301"  # expect: COR302\n# ok\n', encoding="utf-8")
    assert expected_codes(tmp_path) == {"COR302"}


def test_example_problems_detects(tmp_path: Path) -> None:
    rule = _fake(CODE="COR303", NAME="invalid-credentials-value")
    bad = 'r["Access-Control-Allow-Credentials"] = "yes"\n'
    good = 'r["Access-Control-Allow-Credentials"] = "true"\n'
    page = tmp_path / "COR303.md"

    def write(example: str, use_instead: str) -> list[str]:
        page.write_text(
            f"# COR303\n\n## Example\n\n```python\n{example}```\n\n## Use instead\n\n```python\n{use_instead}```\n",
            encoding="utf-8",
        )
        return example_problems(rule, tmp_path)

    assert write(bad, good) == []
    assert any("does not trigger" in p for p in write(good, good))
    assert any("still triggers" in p for p in write(bad, bad))
