"""The standalone command line: ``cors-lint [PATHS...]`` / ``python -m cors_lint``.

A thin adapter: arguments and ``[tool.cors-lint]`` -> ``Settings``; paths ->
files (``discovery``); each file -> ``lint_file`` (read, engine, noqa); then
one reporter.  ``lint_file`` is a pure function of its arguments, so the
loop in ``run`` can later become a process pool without other changes.

Exit codes: 0 clean, 1 findings (COR900 included), 2 usage or config error
(also when a path argument does not exist; the other paths are still checked).
stdout carries only the report (or ``--output-file`` does); summaries and
warnings go to stderr.

``cors-lint --explain CODE`` and ``cors-lint rule CODE`` (when no path named
``rule`` exists, as in ruff) print a rule's page; ``cors-lint rule --all``
lists the rules.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import stat
import sys
from collections import namedtuple
from pathlib import Path

from . import __version__
from .config import (
    CONFIDENCES,
    FORMATS,
    LEVELS,
    ConfigError,
    Selection,
    Settings,
    did_you_mean,
    load_settings,
    merge_cli,
    selection_for,
    validated,
)
from .discovery import discover, display_path, is_excluded, printable_path
from .prefilter import MAX_FILE_BYTES
from .project import Project
from .runner import Progress, default_jobs, lint_files, start_server

# Start-up is part of every pre-commit call, and most of those are on files
# without CORS code: the engine, findings, noqa, the reporters but one, and
# everything they import (libcst, dataclasses, typing, ...) load only when a
# file passes the pre-filter or a report needs them.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Sequence, TextIO

    from . import noqa
    from .findings import FileError, Finding
    from .reporters import RunReport

PROG = "cors-lint"
STDIN = "-"


# ---------------------------------------------------------------------------
# One file (pure: everything it needs comes in through its arguments)
# ---------------------------------------------------------------------------


_JOB_FIELDS = {
    "selection": None,  # Selection (required)
    "per_file_ignores": (),  # ((glob, (code, ...)), ...)
    "trusted_validators": (),
    "root": Path("."),
    "disable_noqa": False,
    "min_severity": 0,  # Severity.rank of --severity-threshold
    "min_confidence": 0,  # Confidence.rank of --confidence-threshold
    "warn_unused_noqa": False,
    "known_codes": (),  # every registered code, for noqa audits
}


class LintJob(namedtuple("LintJob", _JOB_FIELDS, defaults=tuple(_JOB_FIELDS.values())[1:])):
    """Per-run settings each file needs; frozen and picklable."""

    __slots__ = ()

    def shown(self, finding: Finding) -> bool:
        return finding.severity.rank >= self.min_severity and finding.confidence.rank >= self.min_confidence

    def selection_for(self, path: str) -> Selection:
        extra: tuple[str, ...] = ()
        for glob, codes in self.per_file_ignores:
            if is_excluded(path, (glob,), self.root):
                extra += codes
        return self.selection.ignoring(extra)


class FileOutcome:
    """What one file gave: its findings, or why it was not analysed."""

    __slots__ = ("path", "findings", "error", "lines", "warnings", "unused_noqa")

    def __init__(
        self,
        path: str,
        findings: list[Finding] | None = None,
        error: FileError | None = None,
        lines: list[str] | None = None,
        warnings: list[str] | None = None,
        unused_noqa: list[str] | None = None,
    ) -> None:
        self.path = path
        self.findings = [] if findings is None else findings
        self.error = error
        self.lines = [] if lines is None else lines  # source lines, only when there are findings
        self.warnings = [] if warnings is None else warnings  # noqa naming unknown codes
        self.unused_noqa = [] if unused_noqa is None else unused_noqa  # with --warn-unused-noqa

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"FileOutcome({fields})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self.__slots__)

    __hash__ = None  # mutable: not hashable


# O_NONBLOCK: opening a FIFO named *.py must not wait for a writer (it is
# refused as "not a regular file" once open); it changes nothing for files.
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def read_bytes(path: str) -> bytes:
    """Read a file, refusing what cannot be source code.  Raises ``ValueError``
    with a one-line reason.

    Every file of a tree passes through here before the pre-filter, so it
    costs four system calls (open, fstat, read, close) and no file object:
    ``open()`` builds a buffered reader, which took as long as the read."""
    if os.name != "posix":  # opening a directory fails there: ask first
        try:
            if os.path.isdir(path):
                raise ValueError("is a directory")
        except OSError:
            pass
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError as exc:
        raise ValueError(f"cannot read file: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ValueError("is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise ValueError("not a regular file")
        if info.st_size > MAX_FILE_BYTES:
            raise ValueError(f"file too large ({info.st_size} bytes, limit {MAX_FILE_BYTES})")
        # One byte more than the size: a short read is the end of the file.
        # A file that grew since fstat is read on, up to one byte past the
        # limit (the engine then refuses it as too large).
        wanted = min(info.st_size + 1, MAX_FILE_BYTES + 1)
        data = os.read(fd, wanted)
        if len(data) == wanted and wanted <= MAX_FILE_BYTES:
            parts = [data]
            size = len(data)
            while size <= MAX_FILE_BYTES:
                chunk = os.read(fd, min(1 << 20, MAX_FILE_BYTES + 1 - size))
                if not chunk:
                    break
                parts.append(chunk)
                size += len(chunk)
            data = b"".join(parts)
        return data
    except OSError as exc:
        raise ValueError(f"cannot read file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def _filter_noqa(findings: list[Finding], path: str, text: str | None) -> list[Finding]:
    """``# noqa`` of the file each finding is in (an entry of another
    linted module is reported in that module)."""
    from . import noqa
    from .engine import decode_source

    mine = [f for f in findings if f.path == path]
    out = noqa.filter_findings(mine, text)
    others: dict[str, list[Finding]] = {}
    for f in findings:
        if f.path != path:
            others.setdefault(f.path, []).append(f)
    for other, found in others.items():
        try:
            other_text: str | None = decode_source(read_bytes(other))
        except (OSError, ValueError):
            other_text = None
        out += noqa.filter_findings(found, other_text)
    return out


def lint_file(
    path: str, job: LintJob, project: object | None, data: bytes | None = None, with_libcst: bool = True
) -> FileOutcome | None:
    """Lint one file (``data`` given for stdin).  Never raises for bad input.

    Without ``with_libcst``, None when the file needs libcst (see
    ``EngineOptions.with_libcst``): the outcome of every other file is
    exactly the one a full lint gives."""
    from . import noqa
    from .engine import EngineOptions, decode_source, error_finding, lint_source
    from .findings import FileError

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
    options = EngineOptions(
        enabled=selection.enabled, trusted_validators=job.trusted_validators, project=project, with_libcst=with_libcst
    )
    result = lint_source(data, path, options)
    if result.deferred:
        return None
    outcome.error = result.error
    audit = not job.disable_noqa and noqa.might_have_noqa(data)
    if not result.findings and not audit:
        return outcome
    try:
        text: str | None = decode_source(data)
    except ValueError:
        text = None
    findings = list(result.findings)
    if not job.disable_noqa and text is not None:
        # an entry of another linted module is reported there: its own noqa applies
        mine = [f for f in findings if f.path == path]
        suppressions = noqa.read_suppressions(text)
        findings = [f for f in mine if not suppressions.suppresses(f)] + _filter_noqa([f for f in findings if f.path != path], path, None)
        _audit_noqa(outcome, suppressions, mine, job)
    outcome.findings = sorted(f for f in findings if job.shown(f))
    if outcome.findings and text is not None:
        from .lines import physical_lines

        outcome.lines = physical_lines(text, keepends=True)
    return outcome


def _audit_noqa(outcome: FileOutcome, suppressions: noqa.Suppressions, raw: list[Finding], job: LintJob) -> None:
    """Warnings about the file's own noqa comments (see ``noqa.unknown_codes``)."""
    from . import noqa

    if suppressions.skip_file:
        return
    for directive, code in noqa.unknown_codes(suppressions, job.known_codes):
        hint = did_you_mean(code, job.known_codes)
        outcome.warnings.append(
            f"{outcome.path}:{directive.line}:{directive.col + 1}: unknown code {code} in noqa comment{hint}"
        )
    if job.warn_unused_noqa:
        known = [(d, c) for d, c in noqa.unused(suppressions, raw) if any(k.startswith(c) for k in job.known_codes)]
        for directive, code in known:
            outcome.unused_noqa.append(f"{outcome.path}:{directive.line}:{directive.col + 1}: unused noqa: {code}")


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


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter, told the terminal's width: left to find it, it
    imports ``shutil`` (and with it ``bz2`` and ``lzma``) as soon as an
    option is added, a sixth of a pre-commit call's start-up."""

    def __init__(self, prog: str, **kwargs) -> None:
        if kwargs.get("width") is None:
            try:
                columns = int(os.environ.get("COLUMNS", "0")) or os.get_terminal_size(sys.__stdout__.fileno()).columns
            except (AttributeError, OSError, ValueError):
                columns = 80
            kwargs["width"] = columns - 2  # as argparse computes it
        super().__init__(prog, **kwargs)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        formatter_class=_Formatter,
        description="Find dangerous CORS configurations in Python web code.",
        epilog=(
            "List the rules with 'cors-lint rule --all'; explain one with 'cors-lint --explain COR101'. "
            "Exit status: 0 no findings, 1 findings, 2 usage or configuration error."
        ),
    )
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="files or directories to check (default: .); - reads stdin"
    )
    codes = {"type": _comma_list, "metavar": "CODES"}
    sel = parser.add_argument_group("rule selection (comma-separated codes or prefixes; ALL means every code)")
    sel.add_argument(
        "--select", **codes, action="append", help="check only these codes (replaces the default set; repeatable)"
    )
    sel.add_argument("--extend-select", **codes, action="append", help="add codes to the selection")
    sel.add_argument("--ignore", **codes, action="append", help="do not report these codes")
    globs = {"type": _comma_list, "metavar": "GLOBS", "action": "append"}
    files = parser.add_argument_group("files")
    files.add_argument("--exclude", **globs, help="replace the default excludes")
    files.add_argument("--extend-exclude", **globs, help="add to the excludes")
    files.add_argument(
        "--force-exclude", action="store_true", default=None, help="apply excludes to files named as arguments too"
    )
    files.add_argument(
        "--no-respect-gitignore",
        dest="respect_gitignore",
        action="store_false",
        default=None,
        help="also check files that .gitignore or .git/info/exclude ignore",
    )
    files.add_argument("--stdin-filename", metavar="NAME", help="the name to report for input read from stdin (-)")
    out = parser.add_argument_group("output")
    out.add_argument("--format", choices=FORMATS, help="output format (default: text)")
    out.add_argument("--output-file", "-o", metavar="FILE", help="write the report to FILE instead of stdout")
    out.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    out.add_argument(
        "--statistics",
        action="store_true",
        help="count findings per code (a table; a 'statistics' object in json and sarif)",
    )
    out.add_argument(
        "--show-source", action="store_true", help="show each finding's source line and how to fix it (text format)"
    )
    out.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="colour text output")
    out.add_argument(
        "--severity-threshold", choices=LEVELS, help="report only findings of this severity or higher (default: low)"
    )
    out.add_argument(
        "--confidence-threshold",
        choices=CONFIDENCES,
        help="report only findings of this confidence or higher (default: low)",
    )
    sup = parser.add_argument_group("suppressions and baselines")
    sup.add_argument("--disable-noqa", action="store_true", help="ignore # noqa comments")
    sup.add_argument(
        "--warn-unused-noqa", action="store_true", help="report '# noqa: COR...' codes that suppress nothing (exit 1)"
    )
    sup.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in this baseline file")
    sup.add_argument(
        "--write-baseline", metavar="FILE", help="record the current findings in FILE (then --baseline FILE)"
    )
    fixing = parser.add_argument_group("fixes")
    fixing.add_argument(
        "--fix", action="store_true", help="apply the safe automatic fixes (COR104, COR302, COR303, COR305), then report the rest"
    )
    fixing.add_argument("--diff", action="store_true", help="print the fixes --fix would make as a diff; write nothing")
    docs = parser.add_argument_group("rules")
    docs.add_argument(
        "--explain", metavar="CODE", help="print the documentation of a rule (also: cors-lint rule CODE)"
    )
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
        select=_flatten(args.select),
        ignore=_flatten(args.ignore),
        extend_select=None if extend_select is None else settings.extend_select + extend_select,
        exclude=_flatten(args.exclude),
        extend_exclude=None if extend_exclude is None else settings.extend_exclude + extend_exclude,
        force_exclude=args.force_exclude,
        format=args.format,
        trusted_validators=None if args.trusted_validators is None else tuple(args.trusted_validators),
        severity_threshold=args.severity_threshold,
        confidence_threshold=args.confidence_threshold,
        respect_gitignore=args.respect_gitignore,
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
    from .codes import default_enabled_by_code  # the rules themselves load only if a file needs them

    job = LintJob(
        selection=selection_for(settings),
        per_file_ignores=settings.per_file_ignores,
        trusted_validators=settings.trusted_validators,
        root=root,
        disable_noqa=args.disable_noqa,
        min_severity=LEVELS.index(settings.severity_threshold),
        min_confidence=CONFIDENCES.index(settings.confidence_threshold),
        warn_unused_noqa=args.warn_unused_noqa,
        known_codes=tuple(default_enabled_by_code()),
    )
    project = Project(project_root(settings, paths))
    baseline = None
    if args.baseline and not args.write_baseline:
        from .baseline import Baseline, BaselineError

        try:
            baseline = Baseline.load(args.baseline)
        except BaselineError as exc:
            error(str(exc))
            return 2

    jobs = args.jobs if args.jobs is not None else default_jobs()
    # A directory walk: the workers' server loads the analysis meanwhile.
    # Files named one by one (pre-commit) start no process unless two pass.
    server_started = jobs > 1 and any(os.path.isdir(p) for p in paths if p != STDIN) and start_server()
    ignored = None
    if settings.respect_gitignore:
        from .gitignore import GitIgnore

        ignored = GitIgnore().ignored
    found = discover(
        [p for p in paths if p != STDIN], settings.all_excludes, root, settings.force_exclude, ignored=ignored
    )
    project.linted = found.real_paths  # realpath: no error on a link loop
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
    outcomes.extend(lint_files(found.files, job, project, jobs, Progress(len(found.files)), server_started=server_started))
    outcomes.extend(_unreadable_directory(directory, reason, job) for directory, reason in found.unreadable)
    if args.fix or args.diff:
        fixed = fix_files(outcomes, job, project, write=not args.diff)
        if args.diff:
            sys.stdout.write(fixed.diff)
            sys.stdout.flush()
            print(f"Would fix {plural(fixed.count, 'finding')} in {plural(fixed.files, 'file')}.", file=sys.stderr)
            return 2 if found.missing else (1 if fixed.count else 0)
        print(f"Fixed {plural(fixed.count, 'finding')} in {plural(fixed.files, 'file')}.", file=sys.stderr)
    report = collect(outcomes)
    for outcome in outcomes:
        for warning in outcome.warnings:
            print(f"{PROG}: warning: {warning}", file=sys.stderr)
    unused = [line for outcome in outcomes for line in outcome.unused_noqa]
    for line in unused:
        print(line, file=sys.stderr)

    if args.write_baseline:
        from . import baseline as baseline_file

        try:
            count = baseline_file.write(args.write_baseline, report.findings, report.sources)
        except OSError as exc:
            error(f"cannot write baseline {args.write_baseline}: {exc.strerror or exc}")
            return 2
        print(f"Wrote {plural(count, 'finding')} to baseline {args.write_baseline}.", file=sys.stderr)
        return 2 if found.missing else 0
    if baseline is not None:
        from .baseline import base_dir_of

        kept = len(report.findings)
        report.findings = baseline.new_findings(report.findings, report.sources, base_dir_of(args.baseline))
        report.baselined = kept - len(report.findings)

    _warn_unreported_errors(report)
    from .reporters import REPORTERS, ReportOptions

    reporter = REPORTERS[settings.format]
    to_file = args.output_file is not None
    options = ReportOptions(
        color=settings.format == "text" and not to_file and use_color(args.color, sys.stdout),
        show_source=args.show_source,
        show_help=args.show_source,
        statistics=args.statistics and settings.format in ("text", "json", "sarif"),
    )
    if to_file:
        try:
            write_report(args.output_file, lambda out: reporter(report, out, options))
        except OSError as exc:
            error(f"cannot write {args.output_file}: {exc.strerror or exc}")
            return 2
    else:
        reporter(report, sys.stdout, options)
        sys.stdout.flush()
    if args.statistics and not options.statistics:
        # github and gitlab output must stay machine-readable: the table goes to stderr
        from .reporters.text import statistics_lines

        for line in statistics_lines(report):
            print(line, file=sys.stderr)
    if settings.format in ("text", "github") or to_file:
        print(summary(report), file=sys.stderr)

    if found.missing:
        return 2
    return 1 if (report.findings or unused) and not args.exit_zero else 0


class FixSummary:
    """What ``--fix`` / ``--diff`` did: findings fixed, files changed, the diff."""

    def __init__(self) -> None:
        self.count = 0
        self.files = 0
        self.diff = ""


def fix_files(outcomes: list[FileOutcome], job: LintJob, project: object | None, write: bool) -> FixSummary:
    """Apply safe fixes file by file (``fixes.fixer``); with ``write`` the file
    is replaced atomically and re-linted, else only the diff is collected."""
    import difflib

    from .engine import EngineOptions, lint_source
    from .fixes.fixer import fix_text

    summary = FixSummary()
    for index, outcome in enumerate(outcomes):
        if outcome.path == STDIN or not any(f.fix is not None for f in outcome.findings):
            continue
        try:
            data = read_bytes(outcome.path)
            if data.startswith(b"\xef\xbb\xbf"):
                raise ValueError("has a byte-order mark")
            text = data.decode("utf-8")
        except (ValueError, UnicodeDecodeError) as exc:
            print(f"{PROG}: warning: {outcome.path}: not fixed: {exc}", file=sys.stderr)
            continue
        options = EngineOptions(
            enabled=job.selection_for(outcome.path).enabled, trusted_validators=job.trusted_validators, project=project
        )
        result = fix_text(text, outcome.path, outcome.findings, lambda t: lint_source(t, outcome.path, options).findings)
        for finding, reason in result.refused:
            print(f"{PROG}: warning: {finding.path}:{finding.line}:{finding.col + 1}: {finding.code} not fixed: {reason}", file=sys.stderr)
        if not result.changed:
            continue
        summary.count += len(result.applied)
        summary.files += 1
        if not write:
            summary.diff += "".join(
                difflib.unified_diff(
                    text.splitlines(keepends=True),
                    result.text.splitlines(keepends=True),
                    fromfile=f"a/{outcome.path}",
                    tofile=f"b/{outcome.path}",
                )
            )
            continue
        try:
            replace_file(outcome.path, result.text.encode("utf-8"))
        except OSError as exc:
            print(f"{PROG}: warning: {outcome.path}: not fixed: {exc.strerror or exc}", file=sys.stderr)
            summary.count -= len(result.applied)
            summary.files -= 1
            continue
        outcomes[index] = lint_file(outcome.path, job, project)
    return summary


def replace_file(path: str, data: bytes) -> None:
    """Write ``data`` over ``path`` atomically (a temporary file in the same
    directory, renamed over it), keeping the file's permission bits."""
    import shutil
    import tempfile

    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".cors-lint-fix", dir=directory)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        shutil.copymode(path, tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_report(path: str, render) -> None:
    """Write the whole report or nothing: a temporary file renamed over ``path``."""
    import tempfile

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            render(out)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def collect(outcomes: list[FileOutcome]) -> RunReport:
    """Merge per-file outcomes into one sorted report."""
    from .reporters import RunReport

    report = RunReport(files_checked=len(outcomes))
    for outcome in outcomes:
        report.findings.extend(outcome.findings)
        if outcome.error is not None:
            report.errors.append(outcome.error)
        if outcome.findings:
            report.sources[outcome.path] = outcome.lines
    # an entry written in another linted file is reported there, once,
    # however many files use it (the users' messages may word it apart)
    seen: set[tuple] = set()
    once: list[Finding] = []
    foreign = {f for o in outcomes for f in o.findings if f.path != o.path}
    for f in sorted(set(report.findings), key=lambda f: (f in foreign, f)):
        key = (f.path, f.line, f.col, f.code)
        if f in foreign and key in seen:
            continue
        seen.add(key)
        once.append(f)
    report.findings = sorted(once)
    for path in {f.path for f in report.findings} - set(report.sources):
        from .engine import decode_source

        try:
            report.sources[path] = decode_source(read_bytes(path)).splitlines(keepends=True)
        except (OSError, ValueError):
            report.sources[path] = []
    report.errors.sort(key=lambda e: e.path)
    return report


def _unreadable_directory(directory: str, reason: str, job: LintJob) -> FileOutcome:
    from .engine import error_finding
    from .findings import FileError

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
    baselined = f"; {report.baselined} in the baseline" if report.baselined else ""
    if not report.findings:
        return f"No findings ({plural(report.files_checked, 'file')} checked{baselined})."
    files = len({f.path for f in report.findings})
    return f"Found {plural(len(report.findings), 'finding')} in {plural(files, 'file')}{baselined}."


def _tolerant_streams() -> None:
    """Never fail on a path the terminal cannot encode (undecodable file names,
    an ASCII-only locale): escape such characters instead."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    _tolerant_streams()
    try:
        return _main(list(sys.argv[1:] if argv is None else argv))
    except BrokenPipeError:
        # The reader went away (``cors-lint | head``): stop quietly, and keep
        # the interpreter from failing again while flushing stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


def _main(argv: list[str]) -> int:
    if argv[:1] == ["probe"]:  # a subcommand; a path named "probe" is "./probe"
        from .probe import main as probe_main

        return probe_main(argv[1:])
    if argv[:1] == ["rule"] and not os.path.lexists("rule"):  # as in ruff: a path named "rule" wins
        from .explain import rule_command

        return rule_command(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.explain is not None:
        from .explain import explain

        return explain(args.explain)
    if args.stdin_filename and not args.paths:
        args.paths = [STDIN]  # like ruff: a stdin name alone means "read stdin"
    try:
        settings = resolve_settings(args)
    except ConfigError as exc:
        error(str(exc))
        return 2
    return run(args, settings)
