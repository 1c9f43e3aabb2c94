"""The one engine behind the CLI, the flake8 plugin and pre-commit.

bytes -> pre-filter -> guarded libcst parse (once) -> facts -> rules ->
findings.  Nothing here knows about frameworks or output formats.

Importing this module is cheap: libcst, the facts layer and the rules are
imported only when a file passes the pre-filter, so a run over files without
CORS code (most pre-commit calls) never pays for them.
"""

from __future__ import annotations

import io
import os
import tokenize
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .codes import on_by_default
from .findings import Confidence, FileError, Finding, Severity
from .prefilter import GATES_ONLY, MAX_FILE_BYTES, verdict


def default_enabled(code: str) -> bool:
    """Codes on by default (read without importing the rules)."""
    return on_by_default(code)


@dataclass
class EngineOptions:
    """What the engine needs from configuration."""

    enabled: Callable[[str], bool] = default_enabled
    trusted_validators: tuple[str, ...] = ()
    project: object | None = None  # cors_lint.project.Project in standalone mode
    #: False: stop where libcst would be needed and say so (``FileResult.deferred``).
    #: The runner's own process screens files this way while no worker can
    #: take them yet, and never imports libcst itself.
    with_libcst: bool = True


@dataclass
class FileResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    error: FileError | None = None
    parsed: bool = False  # False when the pre-filter skipped the file
    deferred: bool = False  # needs libcst, and ``EngineOptions.with_libcst`` was False


def error_finding(error: FileError) -> Finding:
    return Finding(
        path=error.path,
        line=error.line,
        col=error.col,
        code="COR900",
        message=f"file not analyzed: {error.message}",
        end_line=error.line,
        end_col=error.col,
        name="file-not-analyzed",
        severity=Severity.LOW,
        confidence=Confidence.HIGH,
    )


def decode_source(data: bytes) -> str:
    """Decode like Python does (BOM, coding cookie, UTF-8 default).

    Raises ``ValueError`` with a one-line reason for binary or undecodable
    input."""
    if b"\x00" in data[:8192]:
        raise ValueError("binary file (contains NUL bytes)")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        # detect_encoding also fails on invalid UTF-8 in the first two lines
        if "invalid or missing encoding declaration" in str(exc):
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as err:
                raise ValueError(f"cannot decode as utf-8: {err.reason} at byte {err.start}") from None
        raise ValueError(f"unknown encoding: {exc}") from None
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        reason = exc.reason if isinstance(exc, UnicodeDecodeError) else str(exc)
        raise ValueError(f"cannot decode as {encoding}: {reason}") from None


def _rules_for(options: EngineOptions) -> list:
    from .rules.base import RuleOptions, all_rules

    rule_options = RuleOptions(trusted_validators=options.trusted_validators)
    return [cls(rule_options) for cls in all_rules() if cls.CODE != "COR900" and options.enabled(cls.CODE)]


def lint_source(source: bytes | str, path: str, options: EngineOptions | None = None) -> FileResult:
    """Lint one file's content.  Never raises for bad input."""
    options = options or EngineOptions()
    result = FileResult(path)
    raw = source if isinstance(source, bytes) else None
    size = len(raw) if raw is not None else len(source)
    if size > MAX_FILE_BYTES:
        result.error = FileError(path, f"file too large ({size} {'bytes' if raw is not None else 'characters'}, limit {MAX_FILE_BYTES})")
    elif (passed := verdict(source)) is None:
        return result
    else:
        try:
            text = decode_source(raw) if raw is not None else source
        except ValueError as exc:
            result.error = FileError(path, str(exc))
        else:
            result = lint_text(text, path, options, gates_only=passed == GATES_ONLY)
    if result.error is not None and options.enabled("COR900"):
        result.findings.append(error_finding(result.error))
    return result


def _may_hold_origin_gate(tree, text: str, path: str, options: EngineOptions) -> bool:
    from .gate_screen import helper_judge, may_hold_origin_gate
    from .lines import physical_lines

    try:
        return may_hold_origin_gate(tree, physical_lines(text, keepends=True), helper_judge(options.project, path))
    except Exception:  # a bug in the screen: analyse the file in full
        if os.environ.get("CORS_LINT_DEBUG"):
            raise
        return True


def lint_text(text: str, path: str, options: EngineOptions, gates_only: bool = False) -> FileResult:
    """``gates_only``: the pre-filter passed the file on its origin-gate
    markers alone (``prefilter.GATES_ONLY``); Python's tree then decides
    whether libcst is needed at all (``gate_screen``)."""
    from .parsing import ParseRefused, check_budgets, check_guards, check_with_python, parse_guarded

    result = FileResult(path, parsed=True)
    if not gates_only and not options.with_libcst:  # only a gates-only file can be settled by Python's tree
        result.deferred = True
        return result
    try:
        if gates_only:
            # The budgets guard libcst: a file the screen settles never meets it.
            tree = check_with_python(text)
            if not _may_hold_origin_gate(tree, text, path, options):
                return result
            check_budgets(tree)
        else:
            tree = check_guards(text)
        if not options.with_libcst:
            result.deferred = True
            return result
        module, tree = parse_guarded(text, tree)
    except ParseRefused as refused:
        result.error = FileError(path, refused.reason, refused.line, refused.col)
        return result
    from .checks import file_budget
    from .facts import extract_facts

    try:
        with file_budget():  # caps the time scanned regexes may take per file
            facts = extract_facts(module, path, options, tree)
            findings: set[Finding] = set()
            for rule in _rules_for(options):
                findings.update(rule.check(facts))
    except RecursionError:
        result.error = FileError(path, "expression too deeply nested to analyze")
        return result
    except Exception as exc:  # a bug in cors-lint must not stop the run
        if os.environ.get("CORS_LINT_DEBUG"):
            raise
        import traceback

        where = traceback.extract_tb(exc.__traceback__)[-1]
        result.error = FileError(
            path,
            f"internal error ({type(exc).__name__}: {exc} at {Path(where.filename).name}:{where.lineno}); "
            "please report it, with CORS_LINT_DEBUG=1 for the traceback",
        )
        return result
    result.findings = sorted(findings)
    return result
