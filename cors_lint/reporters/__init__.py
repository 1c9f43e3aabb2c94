"""Output formats: each module exposes ``report(run, out, options)``.

``REPORTERS`` maps the ``--format`` name to that function.  Reporters only
format; selection, noqa and sorting happen before them.
"""

from __future__ import annotations

from collections import Counter
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
    baselined: int = 0  # findings dropped because the baseline records them

    def source_line(self, path: str, line: int) -> str:
        lines = self.sources.get(path, ())
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def fingerprints(self) -> list[str]:
        """``hash:occurrence`` per finding, in order (SARIF, GitLab, baselines)."""
        from ..fingerprint import fingerprint, occurrences

        hashes = [fingerprint(f, self.sources.get(f.path, ())) for f in self.findings]
        counts = occurrences((f.path, h) for f, h in zip(self.findings, hashes))
        return [f"{h}:{n}" for h, n in zip(hashes, counts)]

    def statistics(self) -> dict[str, dict]:
        """``code -> {"count", "name"}``, most frequent first."""
        counts = Counter(f.code for f in self.findings)
        names = {f.code: f.name for f in self.findings}
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return {code: {"count": count, "name": names[code]} for code, count in ordered}


@dataclass(frozen=True)
class ReportOptions:
    color: bool = False
    show_source: bool = False
    statistics: bool = False
    show_help: bool = False  # text: a ``help:`` line per finding (with --show-source)


Reporter = Callable[[RunReport, TextIO, ReportOptions], None]


def _load() -> dict[str, Reporter]:
    from . import github, gitlab, json, sarif, text

    return {
        "text": text.report,
        "json": json.report,
        "sarif": sarif.report,
        "github": github.report,
        "gitlab": gitlab.report,
    }


REPORTERS: dict[str, Reporter] = _load()
