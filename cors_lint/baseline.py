"""Baselines: adopt cors-lint on an existing codebase, then report only new findings.

``--write-baseline FILE`` records every current finding; ``--baseline FILE``
drops the findings it records.  An entry is matched by its code, its path
relative to the baseline file's directory (so the file can be committed and
used from any working directory) and the fingerprint of the offending source
text (``fingerprint.py``, the SARIF ``partialFingerprints`` hash), never by
line number: code added above a finding keeps it matched.  Entries count as
a multiset: two identical findings need two entries, so copying a bad line
reports the copy.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .findings import Finding
from .fingerprint import fingerprint, source_text

FORMAT_VERSION = 1

Key = tuple[str, str, str]  # (code, relative path, fingerprint)


class BaselineError(Exception):
    """A baseline file that cannot be read or is not a cors-lint baseline."""


def _relative(path: str, base_dir: Path) -> str:
    return Path(os.path.relpath(os.path.abspath(path), base_dir)).as_posix()


@dataclass
class Baseline:
    entries: Counter[Key]

    @classmethod
    def load(cls, file: str) -> "Baseline":
        try:
            with open(file, encoding="utf-8") as fh:
                data = json.load(fh)
        except OSError as exc:
            raise BaselineError(f"cannot read baseline {file}: {exc.strerror or exc}") from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise BaselineError(f"baseline {file} is not valid JSON: {exc}") from None
        if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION or not isinstance(data.get("findings"), list):
            raise BaselineError(f"{file} is not a cors-lint baseline (version {FORMAT_VERSION})")
        entries: Counter[Key] = Counter()
        for entry in data["findings"]:
            try:
                entries[(str(entry["code"]), str(entry["path"]), str(entry["fingerprint"]))] += 1
            except (KeyError, TypeError):
                raise BaselineError(f"baseline {file} has a malformed entry: {entry!r}") from None
        return cls(entries)

    def new_findings(
        self, findings: list[Finding], sources: dict[str, list[str]], base_dir: Path
    ) -> list[Finding]:
        """``findings`` minus those the baseline records (each entry used once)."""
        left = Counter(self.entries)
        out = []
        for f in findings:
            key = (f.code, _relative(f.path, base_dir), fingerprint(f, sources.get(f.path, ())))
            if left[key] > 0:
                left[key] -= 1
            else:
                out.append(f)
        return out


def write(file: str, findings: list[Finding], sources: dict[str, list[str]]) -> int:
    """Record ``findings`` (sorted, stable) and return how many."""
    base_dir = Path(os.path.abspath(file)).parent
    entries = []
    for f in findings:
        lines = sources.get(f.path, ())
        entries.append(
            {
                "code": f.code,
                "path": _relative(f.path, base_dir),
                "fingerprint": fingerprint(f, lines),
                # for the reader of a diff; matching never looks at these
                "source": " ".join(source_text(f, lines).split())[:200],
                "message": f.message,
            }
        )
    entries.sort(key=lambda e: (e["path"], e["code"], e["fingerprint"], e["message"]))
    data = {"version": FORMAT_VERSION, "tool": "cors-lint", "findings": entries}
    base_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(file).with_name(f".{Path(file).name}.tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, file)
    return len(entries)


def base_dir_of(file: str) -> Path:
    return Path(os.path.abspath(file)).parent
