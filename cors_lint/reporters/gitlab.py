"""GitLab code quality report: a JSON array of issues (CodeClimate subset).

GitLab reads ``description``, ``check_name``, ``fingerprint`` (unique per
issue), ``severity`` (``info``/``minor``/``major``/``critical``/``blocker``)
and ``location.path`` with ``location.lines.begin``.  The fingerprint is the
baseline/SARIF one with its occurrence counter, so an issue keeps its
identity across merge requests when lines move.  Files that could not be
analysed appear only as their COR900 findings (when COR900 is enabled).
"""

from __future__ import annotations

import hashlib
import json
from typing import TextIO

from ..findings import Finding, Severity
from . import ReportOptions, RunReport

SEVERITY = {Severity.CRITICAL: "critical", Severity.HIGH: "major", Severity.MEDIUM: "minor", Severity.LOW: "info"}


def issue(f: Finding, fingerprint: str) -> dict:
    unique = hashlib.sha256(f"{f.path}\0{f.code}\0{fingerprint}".encode("utf-8", "surrogatepass")).hexdigest()
    return {
        "type": "issue",
        "check_name": f.code,
        "description": f"{f.code} {' '.join(f.message.split())}",
        "categories": ["Security"],
        "severity": SEVERITY[f.severity],
        "fingerprint": unique,
        "location": {"path": f.path, "lines": {"begin": f.line, "end": max(f.end_line or f.line, f.line)}},
        "engine_name": "cors-lint",
    }


def as_list(run: RunReport) -> list[dict]:
    return [issue(f, fp) for f, fp in zip(run.findings, run.fingerprints())]


def report(run: RunReport, out: TextIO, options: ReportOptions) -> None:
    json.dump(as_list(run), out, indent=2)
    out.write("\n")
