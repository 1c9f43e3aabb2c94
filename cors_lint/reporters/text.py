"""flake8-compatible text: ``path:line:col: CODE message`` (1-based column)."""

from __future__ import annotations

from collections import Counter
from typing import TextIO

from ..discovery import printable_path
from . import ReportOptions, RunReport

BOLD, RED, CYAN, RESET = "\033[1m", "\033[31m", "\033[36m", "\033[0m"


def _paint(text: str, style: str, color: bool) -> str:
    return f"{style}{text}{RESET}" if color else text


def format_line(finding, color: bool = False) -> str:
    """One line per finding, always: line breaks in a message become spaces."""
    message = " ".join(finding.message.splitlines())
    where = f"{_paint(printable_path(finding.path), BOLD, color)}{_paint(':', CYAN, color)}{finding.line}{_paint(':', CYAN, color)}"
    return f"{where}{finding.col + 1}{_paint(':', CYAN, color)} {_paint(finding.code, BOLD + RED, color)} {message}"


def statistics_lines(run: RunReport) -> list[str]:
    """One line per code: count, code, rule name (most frequent first)."""
    counts = Counter(f.code for f in run.findings)
    names = {f.code: f.name for f in run.findings}
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [f"{count:>5}  {code}  {names[code]}" for code, count in ordered]


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
    if options.statistics:
        for line in statistics_lines(run):
            out.write(line + "\n")
