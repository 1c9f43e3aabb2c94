"""The floor plan holds: each kind of knowledge stays in its room.

Static checks over the package's own source (parsed, never imported):

* rules read facts through ``checks``' public API and ``display``: no rule
  imports another rule, a library extractor, or ``checks`` internals;
* facts record what the code says: no module under ``facts/`` takes a
  verdict (``checks.analyser``, ``judge*``); the one thing it may use from
  ``checks`` is the screened regex runner in ``checks.matchers``;
* ``checks/`` and ``rules/`` never name a library in code;
* only ``facts/`` reaches into ``facts/libraries/``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "cors_lint"
LIBRARY_WORDS = (
    "flask", "django", "corsheaders", "starlette", "fastapi", "litestar", "sanic", "aiohttp", "falcon",
    "tornado", "chalice", "robyn", "masonite", "blacksheep", "quart", "socketio", "engineio", "channels", "responder",
)


def modules(sub: str) -> list[Path]:
    return sorted((PACKAGE / sub).rglob("*.py"))


def import_statements(path: Path) -> list[list[str]]:
    """Per import statement of ``path``: the absolute dotted names it may
    bring in (the module, and each ``module.name`` of a ``from`` import,
    which may itself be a module)."""
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.extend([alias.name] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            out.append([module] + [f"{module}.{alias.name}" for alias in node.names])
    return out


def imported(path: Path) -> list[str]:
    return [name for statement in import_statements(path) for name in statement]


def code_strings(path: Path) -> list[str]:
    """String constants that are not docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings]


def rule_problems(path: Path) -> list[str]:
    problems = []
    for statement in import_statements(path):
        if any(n.startswith("cors_lint.rules.cor") and not n.startswith(f"cors_lint.rules.{path.stem}") for n in statement):
            problems.append(f"{path.name} imports another rule ({statement[0]}); shared words live in cors_lint.display")
        if any(n.startswith(("cors_lint.facts.libraries", "cors_lint.facts.policy_kit")) for n in statement):
            problems.append(f"{path.name} imports an extractor helper ({statement[0]})")
        if any(n.startswith(("cors_lint.checks.analyser", "cors_lint.checks.matchers", "cors_lint.checks.candidates", "cors_lint.checks.regex_safety")) for n in statement):
            problems.append(f"{path.name} reaches past the checks API ({statement[-1]})")
    return problems


def names_a_library(path: Path) -> list[str]:
    return [s for s in code_strings(path) if any(word in s.lower() for word in LIBRARY_WORDS)]


@pytest.mark.parametrize("path", modules("rules"), ids=lambda p: p.name)
def test_rules_use_public_apis_only(path: Path) -> None:
    problems = rule_problems(path)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", modules("checks") + modules("rules"), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_checks_and_rules_name_no_library(path: Path) -> None:
    found = names_a_library(path)
    assert not found, f"{path.name} names a library in code: {found[:3]} (matching modes are named by what they do; library names come from facts)"


@pytest.mark.parametrize("path", modules("facts"), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_facts_take_no_verdicts(path: Path) -> None:
    for name in imported(path):
        if name.startswith("cors_lint.checks"):
            assert name.startswith("cors_lint.checks.matchers"), f"{path.name} imports {name}: judging happens in checks/ and rules/, after the facts"


def test_only_facts_reach_into_extractors() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if "facts" not in path.relative_to(PACKAGE).parts
        for name in imported(path)
        if name.startswith("cors_lint.facts.libraries")
    ]
    assert not offenders, offenders


def test_the_checks_can_fail(tmp_path: Path) -> None:
    rules = tmp_path / "cors_lint" / "rules"
    rules.mkdir(parents=True)
    bad = rules / "cor999.py"
    bad.write_text(
        "from .cor202 import any_origin_message\n"
        "from ..facts.libraries._common import describe\n"
        "from ..checks import analyser\n"
        "MODE = 'flask-cors'\n",
        encoding="utf-8",
    )
    global PACKAGE
    saved, PACKAGE = PACKAGE, tmp_path / "cors_lint"
    try:
        problems = rule_problems(bad)
    finally:
        PACKAGE = saved
    assert len(problems) == 3, problems
    assert names_a_library(bad) == ["flask-cors"]
