"""The stable JSON contract other tools consume.

``{"version", "findings": [...], "errors": [...]}``, plus ``"statistics"``
(code -> count and name) with ``--statistics``.  Columns are 1-based.  Each
finding names its rule page (``docs``) and, when the project publishes its
documentation, the page's ``url``.
Files that could not be read or parsed are listed in ``errors``; when COR900
is enabled they are *also* in ``findings`` as COR900, so ``findings`` is
always exactly what the text format prints.
"""

from __future__ import annotations

import json
from typing import TextIO

from .. import __version__, ruledocs
from ..findings import FileError, Finding
from ..routes import route_of
from . import ReportOptions, RunReport


def finding_dict(f: Finding, lines: list[str] | None = None) -> dict:
    end_line = f.end_line or f.line
    end_col = f.end_col if f.end_line else f.col
    return {
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
        "docs": ruledocs.page_name(f.code),
        "url": ruledocs.url(f.code),
        "fix": f.fix.description if f.fix is not None else None,
        "confirm": None
        if f.confirm is None
        else {"origin": f.confirm.origin, "curl": f.confirm.curl(route_of(lines, f.line) if lines else None), "expect": f.confirm.expected()},
    }


def error_dict(e: FileError) -> dict:
    return {"path": e.path, "message": e.message}


def as_dict(run: RunReport, statistics: bool = False) -> dict:
    data = {
        "version": __version__,
        "findings": [finding_dict(f, run.sources.get(f.path)) for f in run.findings],
        "errors": [error_dict(e) for e in run.errors],
    }
    if statistics:
        data["statistics"] = run.statistics()
    return data


def report(run: RunReport, out: TextIO, options: ReportOptions) -> None:
    json.dump(as_dict(run, options.statistics), out, indent=2)
    out.write("\n")
