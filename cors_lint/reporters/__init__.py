"""Output formats: each module exposes ``report(run, out, options)``.

``REPORTERS`` maps the ``--format`` name to that function.  Reporters only
format; selection, noqa and sorting happen before them.

Only the selected reporter is imported, when the report is written: SARIF
needs the rule registry (and so the facts layer), JSON and SARIF the rule
pages, GitLab ``hashlib``; a text report on a clean pre-commit call needs
none of it.  For the same reason the records here are plain classes, not
dataclasses (``dataclasses`` imports ``inspect``).
"""

from __future__ import annotations

from collections import Counter, namedtuple
from collections.abc import Mapping

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, Iterator, TextIO

    from ..findings import FileError, Finding

    Reporter = Callable[["RunReport", TextIO, "ReportOptions"], None]


class RunReport:
    """Everything a reporter may show about one run."""

    def __init__(
        self,
        findings: list[Finding] | None = None,
        errors: list[FileError] | None = None,
        files_checked: int = 0,
        sources: dict[str, list[str]] | None = None,
        baselined: int = 0,
    ) -> None:
        self.findings = [] if findings is None else findings  # sorted by path, line, col
        self.errors = [] if errors is None else errors  # files not analysed
        self.files_checked = files_checked
        self.sources = {} if sources is None else sources  # path -> lines, files with findings only
        self.baselined = baselined  # findings dropped because the baseline records them

    def __repr__(self) -> str:
        return (
            f"RunReport(findings={self.findings!r}, errors={self.errors!r}, files_checked={self.files_checked!r}, "
            f"sources={self.sources!r}, baselined={self.baselined!r})"
        )

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


class ReportOptions(namedtuple("ReportOptions", ("color", "show_source", "statistics", "show_help"), defaults=(False,) * 4)):
    """How to report: ``show_help`` adds a ``help:`` line per finding to the
    text format (with --show-source)."""

    __slots__ = ()


class _Reporters(Mapping):
    """``--format`` name -> ``report`` function, importing a reporter module
    the first time its format is asked for."""

    def __getitem__(self, name: str) -> Reporter:
        if name not in FORMAT_MODULES:
            raise KeyError(name)
        from importlib import import_module

        return import_module(f"{__name__}.{FORMAT_MODULES[name]}").report

    def __iter__(self) -> Iterator[str]:
        return iter(FORMAT_MODULES)

    def __len__(self) -> int:
        return len(FORMAT_MODULES)


#: ``--format`` name -> the module of this package that writes it
FORMAT_MODULES = {"text": "text", "json": "json", "sarif": "sarif", "github": "github", "gitlab": "gitlab"}

REPORTERS: Mapping[str, Reporter] = _Reporters()
