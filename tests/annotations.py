"""Read ``# expect: CODE`` / ``# ok`` annotations from fixture files.

Annotations live in real comment tokens (found with ``tokenize``), so a
string that merely contains "# expect:" is not one.

* ``# expect: COR101`` or ``# expect: COR101, COR104``: exactly these codes
  are reported on this line.
* ``# ok`` (optionally ``# ok: anything``): no finding on this line.
* ``# cors-lint-options: {"select": ["ALL"]}``: JSON engine options for the
  whole file (keys: select, trusted_validators).
"""

from __future__ import annotations

import io
import json
import re
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>COR\d{3}(?:\s*,\s*COR\d{3})*)")
OK = re.compile(r"#\s*ok\b")
OPTIONS = re.compile(r"#\s*cors-lint-options:\s*(?P<json>\{.*\})")


@dataclass
class Annotations:
    expected: set[tuple[int, str]] = field(default_factory=set)
    ok_lines: set[int] = field(default_factory=set)
    options: dict = field(default_factory=dict)


def read_annotations(path: Path) -> Annotations:
    out = Annotations()
    data = path.read_bytes()
    for tok in tokenize.tokenize(io.BytesIO(data).readline):
        if tok.type != tokenize.COMMENT:
            continue
        line = tok.start[0]
        m = EXPECT.search(tok.string)
        if m:
            for code in re.split(r"\s*,\s*", m.group("codes")):
                out.expected.add((line, code))
            continue
        m = OPTIONS.search(tok.string)
        if m:
            out.options = json.loads(m.group("json"))
            continue
        if OK.search(tok.string):
            out.ok_lines.add(line)
    return out
