"""The rule registry agrees with the catalog, the docs, the docstrings and the fixtures.

Codes end up in users' ``# noqa`` comments, ``select`` lists and baselines,
so a code must never change meaning.  These tests check every rule that is
registered at run time (rules land one module at a time), and fail as soon
as a registered rule lacks a catalog-conforming name, a docs page, an index
entry or a fixture that exercises it.
"""

from __future__ import annotations

import functools
import re
import sys
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
    "COR306": ("cors-middleware-not-installed", True),
    "COR307": ("cors-middleware-not-outermost", True),
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
    headings = h2_headings(text)
    if headings != list(SECTIONS):
        problems.append(f"{page.name}: the sections must be exactly {', '.join(SECTIONS)}, in that order (found {', '.join(headings) or 'none'})")
    if _first_paragraph(text.split("\n", 1)[1] if "\n" in text else "") != rule.SUMMARY:
        problems.append(f"{page.name}: the paragraph under the title must be the rule's SUMMARY {rule.SUMMARY!r}")
    fix = _first_paragraph(_section(text, "How to fix").split("\n", 2)[-1])
    if not _one_sentence(fix):
        problems.append(f"{page.name}: '## How to fix' must open with one self-contained sentence (found {fix[:80]!r})")
    rst = [line for line in _outside_fences(text) if "``" in line or line.startswith(".. ") or re.search(r":(ref|class|func|mod|doc):`", line)]
    if rst:
        problems.append(f"{page.name}: reStructuredText markup in plain Markdown: {rst[0].strip()[:60]!r}")
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


#: The sections of every rule page, in order (``--explain`` and the
#: ``help:`` line read them; the first sentence of "How to fix" is the fix).
SECTIONS = ("What it does", "Why is this bad?", "Example", "How to fix", "References", "Fixtures")


def _outside_fences(text: str) -> list[str]:
    out, fence = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            fence = not fence
            continue
        if not fence:
            out.append(line)
    return out


def h2_headings(text: str) -> list[str]:
    return [line[3:].strip() for line in _outside_fences(text) if line.startswith("## ")]


def _first_paragraph(text: str) -> str:
    """The first paragraph (lines joined), skipping blank lines before it."""
    lines = []
    for line in text.strip("\n").splitlines():
        if not line.strip():
            break
        lines.append(line.strip())
    return " ".join(lines)


def _one_sentence(text: str) -> bool:
    """One sentence ending with a period (inline code and parentheses may
    hold anything)."""
    plain = re.sub(r"`[^`]*`", "x", text)
    plain = re.sub(r"\([^()]*\)", "x", plain)
    return bool(plain) and plain.endswith(".") and not plain.startswith(("`", "```", "|", "-")) and len(re.findall(r"[.!?](?:\s|$)", plain)) == 1


_LINK = re.compile(r"\]\((\.\./\.\./tests/fixtures/[^)]+)\)")


def fixture_section_problems(rule, docs: Path = DOCS) -> list[str]:
    """The "Fixtures" section links annotated fixture files that really
    exercise the rule (a ``# expect: CODE`` line)."""
    page = docs / f"{rule.CODE}.md"
    if not page.is_file():
        return []
    links = _LINK.findall(_section(page.read_text(encoding="utf-8"), "Fixtures"))
    if not links:
        return [f"{page.name}: '## Fixtures' links no fixture file"]
    problems = []
    for link in links:
        path = (page.parent / link).resolve()
        if not path.is_file():
            problems.append(f"{page.name}: fixture {link} does not exist")
        elif rule.CODE not in {code for _, code in read_annotations(path).expected}:
            problems.append(f"{page.name}: fixture {link} has no '# expect: {rule.CODE}' line")
    return problems


def docstring_problems(rule) -> list[str]:
    """The rule module's docstring: ``CODE name: SUMMARY``, then why the
    pattern is bad in a few lines; the rest of the prose lives on the page."""
    doc = sys.modules[rule.__module__].__doc__ or ""
    lines = doc.strip().splitlines()
    problems = []
    if not lines or lines[0] != f"{rule.CODE} {rule.NAME}: {rule.SUMMARY}":
        problems.append(f"{rule.__module__}: the docstring must start with {rule.CODE} {rule.NAME}: <SUMMARY>")
    why = _first_paragraph("\n".join(lines[2:])) if len(lines) > 2 and not lines[1].strip() else ""
    if not why or len(why) > 500:
        problems.append(f"{rule.__module__}: after a blank line the docstring must say why the pattern is bad in a few lines")
    if "## " in doc or "``" in doc:
        problems.append(f"{rule.__module__}: the docstring holds page prose or reStructuredText; the page docs/rules/{rule.CODE}.md is the single source")
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
    """The page's "Example" code must trigger the rule; no snippet under
    "How to fix" may.  Snippets are parsed, never run."""
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
    for code in _FENCE.findall(_section(text, "How to fix")):
        if rule.CODE in _codes_reported(code):
            problems.append(f"{page.name}: a 'How to fix' snippet still triggers {rule.CODE}")
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
def test_rule_docs_fixtures_exercise_the_rule(rule) -> None:
    problems = fixture_section_problems(rule)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("rule", RULES, ids=RULE_IDS)
def test_rule_docstring_agrees_with_registry(rule) -> None:
    problems = docstring_problems(rule)
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
    summary = "Something was found.\n"
    sections = (
        "\n## What it does\nx\n## Why is this bad?\ny\n## Example\nz\n"
        "## How to fix\n\nDo the right thing (not `x.y`).\n\nMore words. Many sentences.\n"
        "## References\nr\n## Fixtures\nf\n"
    )
    table = "\n| Code | Name | Default | Severity | Confidence |\n|---|---|---|---|---|\n| COR199 | made-up-rule | on | medium | high |\n"
    title = "# COR199: made-up-rule\n\n"
    page.write_text(title + summary + table + sections, encoding="utf-8")
    assert docs_problems(rule, tmp_path) == []

    page.write_text("# COR199: something-else\n\n" + summary + table + sections, encoding="utf-8")
    assert any("first line" in p for p in docs_problems(rule, tmp_path))

    page.write_text(title + summary + table.replace("| on |", "| off |") + sections, encoding="utf-8")
    assert any("default" in p for p in docs_problems(rule, tmp_path))

    page.write_text(title + summary + table + sections.replace("## Example", "## Sample"), encoding="utf-8")
    assert any("sections" in p for p in docs_problems(rule, tmp_path))

    page.write_text(title + summary + table + sections.replace("## How to fix", "## Use instead"), encoding="utf-8")
    assert any("sections" in p for p in docs_problems(rule, tmp_path))

    page.write_text(title + summary + table + sections + "## Notes\nn\n", encoding="utf-8")
    assert any("sections" in p for p in docs_problems(rule, tmp_path))

    page.write_text(title + "Something else.\n" + table + sections, encoding="utf-8")
    assert any("SUMMARY" in p for p in docs_problems(rule, tmp_path))

    page.write_text(title + summary + table + sections.replace("Do the right thing (not `x.y`).", "Do this. Then that."), encoding="utf-8")
    assert any("one self-contained sentence" in p for p in docs_problems(rule, tmp_path))

    page.write_text(title + summary + table + sections.replace("Do the right thing (not `x.y`).", "```python\nx = 1\n```"), encoding="utf-8")
    assert any("one self-contained sentence" in p for p in docs_problems(rule, tmp_path))

    page.write_text(title + summary + table + sections.replace("\nx\n", "\nUse ``origin`` here.\n", 1), encoding="utf-8")
    assert any("reStructuredText" in p for p in docs_problems(rule, tmp_path))

    page.write_text(title + summary + sections, encoding="utf-8")
    assert any("metadata table" in p for p in docs_problems(rule, tmp_path))


def test_fixture_section_problems_detects(tmp_path: Path) -> None:
    rule = _fake(CODE="COR303", NAME="invalid-credentials-value")
    docs = tmp_path / "docs" / "rules"
    docs.mkdir(parents=True)
    fixtures = tmp_path / "tests" / "fixtures"
    fixtures.mkdir(parents=True)
    (fixtures / "good.py").write_text('r["Access-Control-Allow-Credentials"] = "yes"  # expect: COR303\n', encoding="utf-8")
    (fixtures / "other.py").write_text('r["Access-Control-Allow-Origin"] = "*"  # expect: COR203\n', encoding="utf-8")
    page = docs / "COR303.md"

    def write(links: str) -> list[str]:
        page.write_text(f"# COR303\n\n## Fixtures\n\n{links}\n", encoding="utf-8")
        return fixture_section_problems(rule, docs)

    assert write("- [`good.py`](../../tests/fixtures/good.py)") == []
    assert any("links no fixture" in p for p in write("none"))
    assert any("does not exist" in p for p in write("- [`gone.py`](../../tests/fixtures/gone.py)"))
    assert any("expect: COR303" in p for p in write("- [`other.py`](../../tests/fixtures/other.py)"))


def test_docstring_problems_detects(monkeypatch) -> None:
    module = SimpleNamespace(__doc__="COR303 invalid-credentials-value: Something was found.\n\nBecause it breaks.\n")
    monkeypatch.setitem(sys.modules, "fake_rule_module", module)
    rule = _fake(CODE="COR303", NAME="invalid-credentials-value", __module__="fake_rule_module")
    assert docstring_problems(rule) == []
    module.__doc__ = "COR303 invalid-credentials-value.\n\nBecause it breaks.\n"
    assert any("must start with" in p for p in docstring_problems(rule))
    module.__doc__ = "COR303 invalid-credentials-value: Something was found.\n"
    assert any("why the pattern is bad" in p for p in docstring_problems(rule))
    module.__doc__ = "COR303 invalid-credentials-value: Something was found.\n\nBecause ``true``.\n\n## What it does\nx\n"
    assert any("single source" in p for p in docstring_problems(rule))


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
            f"# COR303\n\n## Example\n\n```python\n{example}```\n\n## How to fix\n\nFix it.\n\n```python\n{use_instead}```\n",
            encoding="utf-8",
        )
        return example_problems(rule, tmp_path)

    assert write(bad, good) == []
    assert any("does not trigger" in p for p in write(good, good))
    assert any("still triggers" in p for p in write(bad, bad))
