"""Output formats: each module exposes ``report(run, out, options)``.

``REPORTERS`` maps the ``--format`` name to that function.  Reporters only
format; selection, noqa and sorting happen before them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, TextIO

from ..findings import FileError, Finding


@dataclass
class RunReport:
    """Everything a reporter may show about one run."""

    findings: list[Finding] = field(default_factory=list)  # sorted by path, line, col
    errors: list[FileError] = field(default_factory=list)  # files not analysed
    files_checked: int = 0
    sources: dict[str, list[str]] = field(default_factory=dict)  # path -> lines, files with findings only

    def source_line(self, path: str, line: int) -> str:
        lines = self.sources.get(path, ())
        return lines[line - 1] if 0 < line <= len(lines) else ""


@dataclass(frozen=True)
class ReportOptions:
    color: bool = False
    show_source: bool = False
    statistics: bool = False


Reporter = Callable[[RunReport, TextIO, ReportOptions], None]


def _load() -> dict[str, Reporter]:
    from . import github, json, sarif, text

    return {"text": text.report, "json": json.report, "sarif": sarif.report, "github": github.report}


REPORTERS: dict[str, Reporter] = _load()
