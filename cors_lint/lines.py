"""Source lines as Python's tokenizer counts them.

``str.splitlines`` also breaks at form feeds, vertical tabs, ``\\x1c``-``\\x1e``,
``\\x85``, ``\\u2028`` and ``\\u2029``; Python's tokenizer (and so ``ast``,
libcst and every line number in a finding) breaks only at ``\\r\\n``, ``\\n``
and ``\\r``.  A line table built with ``splitlines`` is shifted after the
first form feed: ``--show-source`` would print the wrong line, a comment
would be judged against the wrong line, and SARIF fingerprints would hash the
wrong text.  Everything that maps a line number to text uses this instead.
"""

from __future__ import annotations

import re

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def physical_lines(text: str, keepends: bool = False) -> list[str]:
    """The lines of ``text``, numbered as in tracebacks and findings."""
    lines = _LINE.findall(text)
    if keepends:
        return lines
    return [line.rstrip("\r\n") for line in lines]
