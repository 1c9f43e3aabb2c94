"""Text: ``path:line:col: CODE [severity/confidence] message`` (1-based column).

The location and code come first, as in flake8, so editors and ``grep``
that read flake8's layout still parse it; the bracket shows severity and
confidence the way bandit users read them.
"""

from __future__ import annotations

from ..discovery import printable_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

    from . import ReportOptions, RunReport

BOLD, RED, CYAN, DIM, RESET = "\033[1m", "\033[31m", "\033[36m", "\033[2m", "\033[0m"


def _paint(text: str, style: str, color: bool) -> str:
    return f"{style}{text}{RESET}" if color else text


def format_line(finding, color: bool = False) -> str:
    """One line per finding, always: line breaks in a message become spaces."""
    message = " ".join(finding.message.splitlines())
    where = f"{_paint(printable_path(finding.path), BOLD, color)}{_paint(':', CYAN, color)}{finding.line}{_paint(':', CYAN, color)}"
    rating = _paint(f"[{finding.severity.value}/{finding.confidence.value}]", DIM, color)
    code = _paint(finding.code, BOLD + RED, color)
    return f"{where}{finding.col + 1}{_paint(':', CYAN, color)} {code} {rating} {message}"


def help_line(code: str) -> str:
    """``help: <the fix in one sentence> (cors-lint --explain CODE)``."""
    from .. import ruledocs  # the rule pages, only with --show-source

    fix = ruledocs.fix_sentence(code)
    explain = f"cors-lint --explain {code}"
    return f"help: {fix} ({explain})" if fix else f"help: run `{explain}`"


def fix_line(finding) -> str:
    """Whether ``--fix`` can repair it: every finding says, either way."""
    if finding.fix is not None:
        return f"fix: {finding.fix.description} (safe; run cors-lint --fix)"
    return "fix: no automatic fix; change the code by hand"


def confirm_lines(finding) -> list[str]:
    """A ready-to-run request showing the bug, and what a vulnerable server answers."""
    from ..confirm import confirmation

    found = confirmation(finding.properties)
    if found is None:
        return []
    return [f"confirm: {found.curl}", f"  if vulnerable, the response has {found.expect}"]


def statistics_lines(run: RunReport) -> list[str]:
    """One line per code: count, code, rule name (most frequent first)."""
    return [f"{row['count']:>5}  {code}  {row['name']}" for code, row in run.statistics().items()]


def report(run: RunReport, out: TextIO, options: ReportOptions) -> None:
    for finding in run.findings:
        out.write(format_line(finding, options.color) + "\n")
        if options.show_source:
            source = run.source_line(finding.path, finding.line).rstrip("\r\n")
            if source:
                # As flake8 does: the line itself, then a caret under the
                # column (tabs kept so the caret lines up).
                pad = "".join(ch if ch == "\t" else " " for ch in source[: finding.col])
                out.write(f"{source}\n{pad}{_paint('^', RED, options.color)}\n")
        if options.show_help:
            out.write(f"  {_paint(help_line(finding.code), CYAN, options.color)}\n")
            out.write(f"  {_paint(fix_line(finding), CYAN, options.color)}\n")
            for line in confirm_lines(finding):
                out.write(f"  {_paint(line, CYAN, options.color)}\n")
    if options.statistics:
        for line in statistics_lines(run):
            out.write(line + "\n")
