"""The stable JSON contract other tools consume.

``{"version", "findings": [...], "errors": [...]}``.  Columns are 1-based.
A finding may carry ``properties``: structured data behind its message (the
attacker origin that passes, whether credentials are claimed, the route;
see ``rules/proof.py``), which ``cors-lint probe --findings`` reads back.
Files that could not be read or parsed are listed in ``errors``; when COR900
is enabled they are *also* in ``findings`` as COR900, so ``findings`` is
always exactly what the text format prints.
"""

from __future__ import annotations

import json
from typing import TextIO

from .. import __version__
from ..findings import FileError, Finding
from . import ReportOptions, RunReport


def finding_dict(f: Finding) -> dict:
    end_line = f.end_line or f.line
    end_col = f.end_col if f.end_line else f.col
    out = {
        "path": f.path,
        "line": f.line,
        "column": f.col + 1,
        "end_line": end_line,
        "end_column": end_col + 1,
        "code": f.code,
        "name": f.name,
        "message": f.message,
        "severity": f.severity.value,
        "confidence": f.confidence.value,
    }
    if f.properties:  # optional: structured data behind the message (rules/proof.py)
        out["properties"] = f.properties
    return out


def error_dict(e: FileError) -> dict:
    return {"path": e.path, "message": e.message}


def as_dict(run: RunReport) -> dict:
    return {
        "version": __version__,
        "findings": [finding_dict(f) for f in run.findings],
        "errors": [error_dict(e) for e in run.errors],
    }


def report(run: RunReport, out: TextIO, options: ReportOptions) -> None:
    json.dump(as_dict(run), out, indent=2)
    out.write("\n")
