"""Fix one file's text: apply each fix, keep it only if re-linting agrees.

A fix is kept when the fixed text still compiles, the finding it targets is
gone, and no rule reports more findings of any code than before (renaming
``allow_credential=True`` to ``allow_credentials=True`` next to
``allow_origins=["*"]`` would create a critical COR202, so that rename is
refused).  Fixes are tried one at a time, in source order.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from ..findings import Finding

Lint = Callable[[str], list[Finding]]


@dataclass
class FixResult:
    text: str
    applied: list[Finding] = field(default_factory=list)
    refused: list[tuple[Finding, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.applied)


def _counts(findings: list[Finding]) -> Counter[str]:
    return Counter(f.code for f in findings)


def fix_text(text: str, path: str, findings: list[Finding], lint: Lint) -> FixResult:
    import libcst as cst

    from .apply import FixError, apply_fix

    result = FixResult(text)
    fixable = sorted((f for f in findings if f.fix is not None), key=lambda f: (f.line, f.col), reverse=True)
    if not fixable:
        return result
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError:
        result.refused = [(f, "the file does not parse") for f in fixable]
        return result
    current = lint(text)
    counts = _counts(current)
    for finding in fixable:
        # An earlier fix may already have silenced this finding (one Vary
        # added in a function covers the rule's whole scope); its own fix is
        # still applied when safe, since only it covers its own code path.
        still_reported = any((f.code, f.line, f.col) == (finding.code, finding.line, finding.col) for f in current)
        assert finding.fix is not None
        try:
            candidate = apply_fix(module, finding.fix)
        except FixError as exc:
            result.refused.append((finding, str(exc)))
            continue
        new_text = candidate.code
        if new_text == result.text:
            continue
        try:
            compile(new_text, path, "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as exc:
            result.refused.append((finding, f"the fixed file would not compile ({exc.__class__.__name__})"))
            continue
        new_findings = lint(new_text)
        new_counts = _counts(new_findings)
        grown = sorted(code for code in new_counts if new_counts[code] > counts[code])
        if grown:
            result.refused.append((finding, f"the fix would add {', '.join(grown)}"))
            continue
        if still_reported and new_counts[finding.code] >= counts[finding.code]:
            result.refused.append((finding, "the fix does not remove the finding"))
            continue
        module, result.text, counts, current = candidate, new_text, new_counts, new_findings
        result.applied.append(finding)
    return result
