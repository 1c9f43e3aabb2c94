"""The stable JSON contract other tools consume.

``{"version", "findings": [...], "errors": [...]}``, plus ``"statistics"``
(code -> count and name) with ``--statistics``.  Columns are 1-based.  Each
finding names its rule page (``docs``) and, when the project publishes its
documentation, the page's ``url``; ``fix`` describes its automatic fix and
``confirm`` the curl request showing it (or null).  A finding may carry
``properties``: structured data behind its message (the attacker origin
that passes, whether credentials are claimed, the route; see
``rules/proof.py``), which ``cors-lint probe --findings`` reads back.
Files that could not be read or parsed are listed in ``errors``; when COR900
is enabled they are *also* in ``findings`` as COR900, so ``findings`` is
always exactly what the text format prints.
"""

from __future__ import annotations

import json
from typing import TextIO

from .. import __version__, ruledocs
from ..findings import FileError, Finding
from ..confirm import confirmation
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
        "docs": ruledocs.page_name(f.code),
        "url": ruledocs.url(f.code),
        "fix": f.fix.description if f.fix is not None else None,
        "confirm": _confirm(f),
    }
    if f.properties:  # optional: structured data behind the message (rules/proof.py)
        out["properties"] = f.properties
    return out


def _confirm(f: Finding) -> dict | None:
    found = confirmation(f.properties)
    return None if found is None else {"curl": found.curl, "expect": found.expect}


def error_dict(e: FileError) -> dict:
    return {"path": e.path, "message": e.message}


def as_dict(run: RunReport, statistics: bool = False) -> dict:
    data = {
        "version": __version__,
        "findings": [finding_dict(f) for f in run.findings],
        "errors": [error_dict(e) for e in run.errors],
    }
    if statistics:
        data["statistics"] = run.statistics()
    return data


def report(run: RunReport, out: TextIO, options: ReportOptions) -> None:
    json.dump(as_dict(run, options.statistics), out, indent=2)
    out.write("\n")
