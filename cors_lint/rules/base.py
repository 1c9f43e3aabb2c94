"""The rule contract and the registry.

A rule is a small class that judges ``FileFacts`` and yields ``Finding``s.
It never sees the syntax tree.  Subclasses register themselves by code;
registering the same code twice fails at import time.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import ClassVar, Iterable

from ..facts.model import FileFacts
from ..findings import Confidence, Finding, Fix, Severity, Span

REGISTRY: dict[str, type["Rule"]] = {}


@dataclass
class RuleOptions:
    """Per-run settings rules may read."""

    trusted_validators: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)


class Rule:
    CODE: ClassVar[str] = ""
    NAME: ClassVar[str] = ""  # the catalog's slug
    SUMMARY: ClassVar[str] = ""  # one sentence, for --help, SARIF and docs indexes
    SEVERITY: ClassVar[Severity] = Severity.MEDIUM
    CONFIDENCE: ClassVar[Confidence] = Confidence.HIGH
    DEFAULT_ENABLED: ClassVar[bool] = True
    CWE: ClassVar[int] = 942  # Permissive Cross-domain Policy with Untrusted Domains

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.CODE:
            return
        if cls.CODE in REGISTRY and REGISTRY[cls.CODE] is not cls:
            raise RuntimeError(f"rule code {cls.CODE} registered twice ({REGISTRY[cls.CODE].__name__}, {cls.__name__})")
        REGISTRY[cls.CODE] = cls
        if cls.__doc__ is None:
            # a rule is documented once, in its module's docstring (summary
            # and why; the page docs/rules/CODE.md holds the rest)
            cls.__doc__ = sys.modules[cls.__module__].__doc__

    def __init__(self, options: RuleOptions | None = None) -> None:
        self.options = options or RuleOptions()

    def check(self, facts: FileFacts) -> Iterable[Finding]:
        return ()

    def finding(
        self,
        facts: FileFacts,
        span: Span,
        message: str,
        *,
        severity: Severity | None = None,
        confidence: Confidence | None = None,
        properties: dict | None = None,
        fix: Fix | None = None,
    ) -> Finding:
        # an entry written in another linted file is reported there; one in
        # a file outside the run stays here and says where it is
        return Finding(
            path=getattr(span, "path", None) or facts.path,
            line=span.line,
            col=span.col,
            code=self.CODE,
            message=message + getattr(span, "note", ""),
            related=span.related(facts.path) if hasattr(span, "related") else (),
            end_line=span.end_line,
            end_col=span.end_col,
            name=self.NAME,
            severity=severity or self.SEVERITY,
            confidence=confidence or self.CONFIDENCE,
            properties=properties or {},
            fix=fix,
        )


def all_rules() -> list[type[Rule]]:
    """Every registered rule, sorted by code (imports the rule modules)."""
    from . import load_all

    load_all()
    return [REGISTRY[c] for c in sorted(REGISTRY)]

