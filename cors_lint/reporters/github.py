"""GitHub Actions workflow commands: one annotation per finding.

critical and high findings are ``::error``, medium ``::warning``, low
``::notice`` (the three levels GitHub shows).

Escaping follows actions/toolkit's ``command.ts``: ``%``, CR and LF in the
message; additionally ``:`` and ``,`` in property values.
"""

from __future__ import annotations

from typing import TextIO

from ..findings import Finding, Severity
from . import ReportOptions, RunReport

COMMAND = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning", Severity.LOW: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_annotation(f: Finding) -> str:
    end_line = f.end_line or f.line
    end_col = (f.end_col if f.end_line else f.col) + 1
    props = {
        "file": f.path,
        "line": str(f.line),
        "col": str(f.col + 1),
        "endLine": str(end_line),
        "endColumn": str(end_col),
        "title": f"cors-lint ({f.code})",
    }
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in props.items())
    return f"::{COMMAND[f.severity]} {joined}::{escape_data(f.message)}"


def report(run: RunReport, out: TextIO, options: ReportOptions) -> None:
    for finding in run.findings:
        out.write(format_annotation(finding) + "\n")
