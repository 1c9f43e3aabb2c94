"""COR305 unknown-cors-option: A CORS library option is unknown or ignored, so the library falls back to its default.

The library falls back to its default for the option that was meant, and
the defaults are often "every origin" (flask-cors) or "no credentials", so
a line that reads as a restriction allows everything.

The full description, examples and fix: docs/rules/COR305.md.
"""

from __future__ import annotations

from ..display import library_name
from ..findings import Edit, Fix, Severity
from .base import Rule
from .common import any_origin_with_credentials_at

# an unknown option meant to be one of these leaves the origin policy open
RISKY_WORDS = ("origin", "credential", "private", "resource", "wildcard", "allow_all", "regex", "whitelist")


class UnknownCorsOption(Rule):
    CODE = "COR305"
    NAME = "unknown-cors-option"
    SUMMARY = "A CORS library option is unknown or ignored, so the library falls back to its default."
    SEVERITY = Severity.MEDIUM

    def check(self, facts):
        for opt in facts.unknown_options:
            if not opt.option.isidentifier() and any_origin_with_credentials_at(facts, opt.span):
                # a dropped positional origin that leaves every origin in with
                # credentials: COR202 reports it there (a misspelt keyword
                # stays reported here too, with its rename fix)
                continue
            lib = library_name(opt.library)
            meant = opt.suggestion or opt.option
            risky = any(w in meant.lower() for w in RISKY_WORDS) or not opt.option.isidentifier()
            if not opt.option.isidentifier():
                message = f"{lib} ignores {opt.option}" + (f": {opt.reason}" if opt.reason else "")
            else:
                hint = f" (did you mean {opt.suggestion!r}?)" if opt.suggestion else ""
                message = f"{lib} has no option {opt.option!r}{hint}" + (f"; {opt.reason}" if opt.reason else "")
            fix = None
            if opt.suggestion and opt.option.isidentifier() and opt.suggestion.isidentifier():
                fix = Fix(f"rename {opt.option} to {opt.suggestion}", (Edit(opt.span, "option", opt.option, opt.suggestion),))
            yield self.finding(facts, opt.span, message, severity=Severity.MEDIUM if risky else Severity.LOW, fix=fix)
