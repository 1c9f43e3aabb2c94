"""Every fixture file is checked exactly against its annotations."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations import read_annotations
from cors_lint.engine import EngineOptions, lint_source
from cors_lint.prefilter import may_matter
from cors_lint.rules.base import REGISTRY, all_rules

FIXTURES = Path(__file__).parent / "fixtures"
FILES = sorted(p for p in FIXTURES.rglob("*.py") if not p.name.startswith("_"))


def options_for(opts: dict) -> EngineOptions:
    all_rules()
    select = opts.get("select")
    if select is None:
        enabled = lambda code: REGISTRY[code].DEFAULT_ENABLED  # noqa: E731
    else:
        chosen = set(select)
        enabled = lambda code: "ALL" in chosen or any(code.startswith(s) for s in chosen)  # noqa: E731
    return EngineOptions(enabled=enabled, trusted_validators=tuple(opts.get("trusted_validators", ())))


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(FIXTURES)) for p in FILES])
def test_fixture(path: Path) -> None:
    ann = read_annotations(path)
    assert ann.expected, f"{path.name}: a fixture needs at least one '# expect:' line"
    assert ann.ok_lines, f"{path.name}: a fixture needs at least one '# ok' line (a negative case)"
    assert may_matter(path.read_bytes()), f"{path.name}: the pre-filter would skip a file with expected findings"
    result = lint_source(path.read_bytes(), str(path), options_for(ann.options))
    expects_error = any(code == "COR900" for _, code in ann.expected)
    assert (result.error is not None) == expects_error, result.error
    got = {(f.line, f.code) for f in result.findings}
    messages = {(f.line, f.code): f.message for f in result.findings}
    missing = sorted(ann.expected - got)
    unexpected = sorted(got - ann.expected)
    assert not missing and not unexpected, (
        f"\nmissing: {missing}\nunexpected: {[(l, c, messages[(l, c)]) for l, c in unexpected]}"
    )
    clash = sorted(line for line, _ in ann.expected if line in ann.ok_lines)
    assert not clash, f"lines marked both ok and expect: {clash}"


def test_fixture_corpus_is_not_empty() -> None:
    assert len(FILES) >= 1
