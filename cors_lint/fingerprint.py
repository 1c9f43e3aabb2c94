"""One fingerprint for a finding, shared by baselines, SARIF and GitLab.

It hashes the code and the offending source text (the finding's lines, all
whitespace removed), never the line number: code inserted above a finding
keeps it matched.  Identical findings in one file get the same hash; callers
that need unique values count occurrences (``occurrences``), and baselines
compare them as a multiset.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Iterable, Iterator

from .findings import Finding

MAX_LINES = 20  # a span longer than this is fingerprinted by its first lines


def source_text(finding: Finding, lines: list[str] | tuple[str, ...]) -> str:
    """The finding's lines (whole lines, ``line`` to ``end_line``)."""
    last = max(finding.end_line or finding.line, finding.line)
    last = min(last, finding.line + MAX_LINES - 1)
    return "".join(lines[finding.line - 1 : last]) if 0 < finding.line <= len(lines) else ""


def line_hash(code: str, text: str) -> str:
    normalised = "".join(text.split())
    return hashlib.sha256(f"{code}\0{normalised}".encode("utf-8", "surrogatepass")).hexdigest()[:16]


def fingerprint(finding: Finding, lines: list[str] | tuple[str, ...]) -> str:
    return line_hash(finding.code, source_text(finding, lines))


def occurrences(keyed: Iterable[tuple[str, str]]) -> Iterator[int]:
    """1, 2, ... for each repeat of the same (path, fingerprint)."""
    seen: Counter[tuple[str, str]] = Counter()
    for key in keyed:
        seen[key] += 1
        yield seen[key]
