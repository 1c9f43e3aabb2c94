"""``cors-lint --explain CODE``, ``cors-lint rule CODE`` and ``cors-lint rule --all``.

The text printed is the rule's page itself (``ruledocs.page``), so the
terminal, SARIF's ``help`` and the published docs can never disagree.
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from . import ruledocs
from .config import did_you_mean

PROG = "cors-lint"


def _rules():
    from .rules.base import all_rules

    return all_rules()


def explain(code: str, out=None) -> int:
    out = out or sys.stdout
    codes = [rule.CODE for rule in _rules()]
    wanted = code.strip().upper()
    if wanted not in codes:
        print(f"{PROG}: error: unknown rule code {code!r}{did_you_mean(wanted, codes)}", file=sys.stderr)
        return 2
    text = ruledocs.page(wanted)
    if text is None:  # a broken install: say so rather than print nothing
        print(f"{PROG}: error: the documentation of {wanted} is not installed", file=sys.stderr)
        return 2
    out.write(text if text.endswith("\n") else text + "\n")
    url = ruledocs.url(wanted)
    if url:
        out.write(f"\nOnline: {url}\n")
    return 0


def rule_table() -> list[tuple[str, str, str, str, str]]:
    """(code, name, default, severity, confidence) for every rule."""
    return [
        (
            rule.CODE,
            rule.NAME,
            "on" if rule.DEFAULT_ENABLED else "off",
            rule.SEVERITY.value,
            rule.CONFIDENCE.value,
        )
        for rule in _rules()
    ]


def list_rules(out=None) -> int:
    out = out or sys.stdout
    header = ("code", "name", "default", "severity", "confidence")
    rows = [header, *rule_table()]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for row in rows:
        out.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() + "\n")
    out.write(f"\nExplain one with: {PROG} rule CODE\n")
    return 0


def rule_command(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog=f"{PROG} rule", description="Explain a rule, or list every rule with --all."
    )
    parser.add_argument("code", nargs="?", metavar="CODE", help="a rule code such as COR101")
    parser.add_argument("--all", action="store_true", help="list every rule: code, name, default, severity")
    args = parser.parse_args(argv)
    if args.all:
        return list_rules()
    if not args.code:
        parser.print_usage(sys.stderr)
        print(f"{PROG} rule: error: name a rule code or use --all", file=sys.stderr)
        return 2
    return explain(args.code)
