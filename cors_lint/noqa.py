"""Inline suppressions with flake8's semantics, read from comment tokens.

* ``# noqa`` suppresses every finding on its line; ``# noqa: COR101,COR2``
  suppresses the listed codes and the codes they prefix.  The regular
  expression is flake8's own (``noqa`` is case-insensitive, the codes are
  compared as written, so ``# noqa: cor101`` suppresses nothing, as in flake8).
* A line's comment covers exactly the lines flake8 would cover: the physical
  lines between two NEWLINE/NL tokens, i.e. all lines of a multi-line string
  or a backslash continuation, but not the earlier lines of a bracketed call.
* ``# flake8: noqa`` or ``# cors-lint: noqa`` on a line of its own skips the
  whole file.

Unlike flake8, which searches the raw physical line, only real comments
count: ``"# noqa"`` inside a string literal suppresses nothing.

Two checks on the comments themselves (the CLI reports them on stderr):
``unknown_codes`` finds ``COR`` codes no rule has (other tools' codes are
left alone), and ``unused`` finds ``COR`` codes that suppressed nothing
(``--warn-unused-noqa``).
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from .findings import Finding
from .lines import physical_lines

# flake8's NOQA_INLINE_REGEXP (src/flake8/defaults.py), same flags.
NOQA_INLINE = re.compile(r"# noqa(?::[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+))?", re.I)
NOQA_FILE = re.compile(r"\s*# (?:flake8|cors-lint)[:=]\s*noqa", re.I)
_SPLIT = re.compile(r"[,\s]+")
_NOQA_WORD = re.compile(r"noqa", re.I)  # every directive above holds it

ALL_CODES = None  # marker: a bare ``# noqa``


OWN_CODE = re.compile(r"COR[0-9]+\Z")


@dataclass(frozen=True)
class Directive:
    """One ``# noqa`` comment: where it is and what it names (None: bare)."""

    line: int
    col: int
    codes: frozenset[str] | None
    first: int  # the lines it covers
    last: int


@dataclass
class Suppressions:
    """``line -> None`` (bare noqa) or ``line -> codes`` for one file."""

    by_line: dict[int, frozenset[str] | None] = field(default_factory=dict)
    skip_file: bool = False
    directives: list[Directive] = field(default_factory=list)

    def suppresses(self, finding: Finding) -> bool:
        if self.skip_file:
            return True
        if finding.line not in self.by_line:
            return False
        codes = self.by_line[finding.line]
        if codes is ALL_CODES:
            return True
        return finding.code in codes or finding.code.startswith(tuple(codes))


def _tokens(text: str) -> Iterator[tokenize.TokenInfo]:
    """Tokens up to the first tokenizer error (a broken file keeps the
    comments before the error)."""
    try:
        # newline=None: a lone \r ends a line, as in Python's own tokenizer
        yield from tokenize.generate_tokens(io.StringIO(text, newline=None).readline)
    except (tokenize.TokenError, SyntaxError):
        return


def _codes_of(comment_text: str) -> frozenset[str] | None | bool:
    """None for a bare noqa, a set of codes, or False when there is no noqa."""
    match = NOQA_INLINE.search(comment_text)
    if match is None:
        return False
    codes = match.group("codes")
    if codes is None:
        return ALL_CODES
    return frozenset(c for c in _SPLIT.split(codes) if c)


def read_suppressions(text: str) -> Suppressions:
    out = Suppressions()
    if _NOQA_WORD.search(text) is None:
        return out  # no directive without the word: nothing to tokenize
    lines = physical_lines(text)
    group_lines: list[int] = []
    group_comments: list[str] = []

    group_starts: list[tuple[int, int]] = []

    def close_group() -> None:
        if group_comments:
            codes = _codes_of(" ".join(group_comments))
            if codes is not False:
                first, last = min(group_lines), max(group_lines)
                for line in range(first, last + 1):
                    out.by_line[line] = codes
                row, col = group_starts[0]
                out.directives.append(Directive(row, col, codes, first, last))
        group_lines.clear()
        group_comments.clear()
        group_starts.clear()

    for tok in _tokens(text):
        if tok.type in (tokenize.ENDMARKER, tokenize.DEDENT):
            continue
        group_lines.extend((tok.start[0], tok.end[0]))
        if tok.type == tokenize.COMMENT:
            group_comments.append(tok.string)
            group_starts.append(tok.start)
            row, col = tok.start
            if row <= len(lines) and not lines[row - 1][:col].strip() and NOQA_FILE.match(tok.string):
                out.skip_file = True
        if tok.type in (tokenize.NL, tokenize.NEWLINE):
            close_group()
    close_group()
    return out


def filter_findings(findings: Iterable[Finding], text: str | None) -> list[Finding]:
    """Drop suppressed findings.  ``text`` is the decoded source, or None when
    the file could not be decoded (then nothing can be suppressed)."""
    findings = list(findings)
    if not findings or text is None:
        return findings
    suppressions = read_suppressions(text)
    return [f for f in findings if not suppressions.suppresses(f)]


_NAMES_OWN_CODE = re.compile(rb"(?i:noqa)[^\n]*COR[0-9]")


def might_have_noqa(data: bytes) -> bool:
    """Cheap byte test before tokenizing a file only to audit its comments:
    does any line hold ``noqa`` followed by a ``COR`` code?"""
    return b"COR" in data and _NAMES_OWN_CODE.search(data) is not None


def unknown_codes(suppressions: Suppressions, known: "Iterable[str]") -> list[tuple[Directive, str]]:
    """``COR`` codes named in a noqa that match no rule (not even as a prefix)."""
    known = tuple(known)
    out = []
    for directive in suppressions.directives:
        for code in sorted(directive.codes or ()):
            if code.upper().startswith("COR") and not any(k.startswith(code) for k in known):
                out.append((directive, code))
    return out


def unused(suppressions: Suppressions, findings: Iterable[Finding]) -> list[tuple[Directive, str]]:
    """``COR`` codes in noqa comments that suppressed none of ``findings``
    (the findings before suppression).  Bare ``# noqa`` and other tools'
    codes are left alone: cors-lint cannot know what they are for."""
    findings = list(findings)
    out = []
    for directive in suppressions.directives:
        for code in sorted(directive.codes or ()):
            if not OWN_CODE.match(code):
                continue
            if not any(
                directive.first <= f.line <= directive.last and f.code.startswith(code) for f in findings
            ):
                out.append((directive, code))
    return out
