"""The standalone command line: ``cors-lint [PATHS...]`` / ``python -m cors_lint``.

A thin adapter: arguments and ``[tool.cors-lint]`` -> ``Settings``; paths ->
files (``discovery``); each file -> ``lint_file`` (read, engine, noqa); then
one reporter.  ``lint_file`` is a pure function of its arguments, so the
loop in ``run`` can later become a process pool without other changes.

Exit codes: 0 clean, 1 findings (COR900 included), 2 usage or config error
(also when a path argument does not exist; the other paths are still checked).
stdout carries only the report; summaries and warnings go to stderr.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence, TextIO

from . import __version__
from .config import FORMATS, ConfigError, Selection, Settings, load_settings, merge_cli, selection_for, validated
from .discovery import discover, display_path, is_excluded, printable_path
from .engine import MAX_FILE_BYTES, EngineOptions, decode_source, error_finding, lint_source
from .findings import FileError, Finding
from .lines import physical_lines
from .noqa import filter_findings
from .project import Project
from .reporters import REPORTERS, ReportOptions, RunReport
from .runner import Progress, default_jobs, lint_files

PROG = "cors-lint"
STDIN = "-"


# ---------------------------------------------------------------------------
# One file (pure: everything it needs comes in through its arguments)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LintJob:
    """Per-run settings each file needs; frozen and picklable."""

    selection: Selection
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    trusted_validators: tuple[str, ...] = ()
    root: Path = Path(".")
    disable_noqa: bool = False

    def selection_for(self, path: str) -> Selection:
        extra: tuple[str, ...] = ()
        for glob, codes in self.per_file_ignores:
            if is_excluded(path, (glob,), self.root):
                extra += codes
        return self.selection.ignoring(extra)


@dataclass
class FileOutcome:
    path: str
    findings: list[Finding] = field(default_factory=list)
    error: FileError | None = None
    lines: list[str] = field(default_factory=list)  # source lines, only when there are findings


def read_bytes(path: str) -> bytes:
    """Read a file, refusing what cannot be source code.  Raises ``ValueError``
    with a one-line reason."""
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise ValueError("is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise ValueError("not a regular file")
        if info.st_size > MAX_FILE_BYTES:
            raise ValueError(f"file too large ({info.st_size} bytes, limit {MAX_FILE_BYTES})")
        with open(path, "rb") as fh:
            return fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ValueError(f"cannot read file: {exc.strerror or exc}") from None


def lint_file(path: str, job: LintJob, project: object | None, data: bytes | None = None) -> FileOutcome:
    """Lint one file (``data`` given for stdin).  Never raises for bad input."""
    selection = job.selection_for(path)
    outcome = FileOutcome(path)
    if data is None:
        try:
            data = read_bytes(path)
        except ValueError as exc:
            outcome.error = FileError(path, str(exc))
            if selection.enabled("COR900"):
                outcome.findings = [error_finding(outcome.error)]
            return outcome
    options = EngineOptions(enabled=selection.enabled, trusted_validators=job.trusted_validators, project=project)
    result = lint_source(data, path, options)
    outcome.error = result.error
    if not result.findings:
        return outcome
    try:
        text: str | None = decode_source(data)
    except ValueError:
        text = None
    findings = result.findings if job.disable_noqa else filter_findings(result.findings, text)
    outcome.findings = sorted(findings)
    if outcome.findings and text is not None:
        outcome.lines = physical_lines(text, keepends=True)
    return outcome


# ---------------------------------------------------------------------------
# Arguments
# ---------------------------------------------------------------------------


def _comma_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {value!r}")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Find dangerous CORS configurations in Python web code.",
        epilog="Exit status: 0 no findings, 1 findings, 2 usage or configuration error.",
    )
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="files or directories to check (default: .); - reads stdin"
    )
    codes = {"type": _comma_list, "metavar": "CODES"}
    sel = parser.add_argument_group("rule selection (comma-separated codes or prefixes; ALL means every code)")
    sel.add_argument("--select", **codes, help="check only these codes (replaces the default set)")
    sel.add_argument("--extend-select", **codes, action="append", help="add codes to the selection")
    sel.add_argument("--ignore", **codes, action="append", help="do not report these codes")
    globs = {"type": _comma_list, "metavar": "GLOBS", "action": "append"}
    files = parser.add_argument_group("files")
    files.add_argument("--exclude", **globs, help="replace the default excludes")
    files.add_argument("--extend-exclude", **globs, help="add to the excludes")
    files.add_argument(
        "--force-exclude", action="store_true", default=None, help="apply excludes to files named as arguments too"
    )
    files.add_argument("--stdin-filename", metavar="NAME", help="the name to report for input read from stdin (-)")
    out = parser.add_argument_group("output")
    out.add_argument("--format", choices=FORMATS, help="output format (default: text)")
    out.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    out.add_argument("--statistics", action="store_true", help="count findings per code (text format)")
    out.add_argument("--show-source", action="store_true", help="show the source line of each finding (text format)")
    out.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="colour text output")
    out.add_argument("--disable-noqa", action="store_true", help="ignore # noqa comments")
    files.add_argument(
        "--with-dependents",
        action="store_true",
        help="also check project files that import the given files (one hop, plus import-* chains); for pre-commit",
    )
    parser.add_argument(
        "--jobs", "-j", type=_positive_int, metavar="N", help="analyse in N processes (default: one per core; 1: in this process)"
    )
    cfg = parser.add_argument_group("configuration")
    cfg.add_argument("--config", metavar="PATH", help="read settings from this TOML file instead of pyproject.toml")
    cfg.add_argument("--isolated", action="store_true", help="ignore all configuration files")
    cfg.add_argument(
        "--trusted-validators", type=_comma_list, metavar="NAMES", help="dotted names of functions that check origins"
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    return parser


def _flatten(groups: list[list[str]] | None) -> tuple[str, ...] | None:
    return None if groups is None else tuple(item for group in groups for item in group)


def resolve_settings(args: argparse.Namespace) -> Settings:
    settings = load_settings(args.config, args.isolated)
    extend_select = _flatten(args.extend_select)
    extend_exclude = _flatten(args.extend_exclude)
    settings = merge_cli(
        settings,
        select=None if args.select is None else tuple(args.select),
        ignore=_flatten(args.ignore),
        extend_select=None if extend_select is None else settings.extend_select + extend_select,
        exclude=_flatten(args.exclude),
        extend_exclude=None if extend_exclude is None else settings.extend_exclude + extend_exclude,
        force_exclude=args.force_exclude,
        format=args.format,
        trusted_validators=None if args.trusted_validators is None else tuple(args.trusted_validators),
    )
    return validated(settings)


def use_color(choice: str, stream: TextIO) -> bool:
    """Flag first, then NO_COLOR, then FORCE_COLOR, then whether it is a TTY."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def project_root(settings: Settings, paths: Sequence[str]) -> Path:
    """The config file's directory, else the common parent of the paths."""
    if settings.config_path is not None:
        return settings.config_path.parent
    dirs = [os.path.abspath(p if os.path.isdir(p) else os.path.dirname(p) or ".") for p in paths if p != STDIN]
    existing = [d for d in dirs if os.path.isdir(d)]
    return Path(os.path.commonpath(existing)) if existing else Path.cwd()


# ---------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------


def error(message: str) -> None:
    print(f"{PROG}: error: {message}", file=sys.stderr)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def run(args: argparse.Namespace, settings: Settings) -> int:
    paths = args.paths or ["."]
    root = settings.root
    job = LintJob(
        selection=selection_for(settings),
        per_file_ignores=settings.per_file_ignores,
        trusted_validators=settings.trusted_validators,
        root=root,
        disable_noqa=args.disable_noqa,
    )
    project = Project(project_root(settings, paths))

    found = discover([p for p in paths if p != STDIN], settings.all_excludes, root, settings.force_exclude)
    for missing in found.missing:
        error(f"path does not exist: {printable_path(missing)}")
    if args.with_dependents:
        from .dependents import with_dependents

        found.files = with_dependents(found.files, settings.all_excludes)

    outcomes: list[FileOutcome] = []
    if STDIN in paths:
        name = display_path(args.stdin_filename) if args.stdin_filename else STDIN
        if not (settings.force_exclude and args.stdin_filename and is_excluded(name, settings.all_excludes, root)):
            outcomes.append(lint_file(name, job, project, sys.stdin.buffer.read()))
    # The pre-filter here, analysis in a process pool (runner.py).
    jobs = args.jobs if args.jobs is not None else default_jobs()
    outcomes.extend(lint_files(found.files, job, project, jobs, Progress(len(found.files))))
    outcomes.extend(_unreadable_directory(directory, reason, job) for directory, reason in found.unreadable)
    report = collect(outcomes)

    _warn_unreported_errors(report)
    reporter = REPORTERS[settings.format]
    options = ReportOptions(
        color=settings.format == "text" and use_color(args.color, sys.stdout),
        show_source=args.show_source,
        statistics=args.statistics and settings.format == "text",
    )
    reporter(report, sys.stdout, options)
    sys.stdout.flush()
    if settings.format in ("text", "github"):
        print(summary(report), file=sys.stderr)

    if found.missing:
        return 2
    return 1 if report.findings and not args.exit_zero else 0


def collect(outcomes: list[FileOutcome]) -> RunReport:
    """Merge per-file outcomes into one sorted report."""
    report = RunReport(files_checked=len(outcomes))
    for outcome in outcomes:
        report.findings.extend(outcome.findings)
        if outcome.error is not None:
            report.errors.append(outcome.error)
        if outcome.findings:
            report.sources[outcome.path] = outcome.lines
    report.findings.sort()
    report.errors.sort(key=lambda e: e.path)
    return report


def _unreadable_directory(directory: str, reason: str, job: LintJob) -> FileOutcome:
    err = FileError(directory, f"cannot read directory: {reason}")
    findings = [error_finding(err)] if job.selection_for(directory).enabled("COR900") else []
    return FileOutcome(directory, findings=findings, error=err)


def _warn_unreported_errors(report: RunReport) -> None:
    """Files not analysed whose COR900 is not selected still get one line on stderr."""
    shown = {f.path for f in report.findings if f.code == "COR900"}
    for err in report.errors:
        if err.path not in shown:
            print(f"{PROG}: warning: {printable_path(err.path)}: {err.message}", file=sys.stderr)


def summary(report: RunReport) -> str:
    if not report.findings:
        return f"No findings ({plural(report.files_checked, 'file')} checked)."
    files = len({f.path for f in report.findings})
    return f"Found {plural(len(report.findings), 'finding')} in {plural(files, 'file')}."


def _tolerant_streams() -> None:
    """Never fail on a path the terminal cannot encode (undecodable file names,
    an ASCII-only locale): escape such characters instead."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    _tolerant_streams()
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["probe"]:  # the one subcommand; a path named "probe" is "./probe"
        from .probe import main as probe_main

        return probe_main(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.stdin_filename and not args.paths:
        args.paths = [STDIN]  # like ruff: a stdin name alone means "read stdin"
    try:
        settings = resolve_settings(args)
    except ConfigError as exc:
        error(str(exc))
        return 2
    try:
        return run(args, settings)
    except BrokenPipeError:
        # The reader went away (``cors-lint | head``): stop quietly, and keep
        # the interpreter from failing again while flushing stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
