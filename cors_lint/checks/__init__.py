"""Judging origin checks: strong, weak (with a proof origin) or unknown.

Public API (rules and library fact helpers call these):

* ``judge(check, trusted_validators=()) -> Verdict`` for one ``OriginCheck``;
* ``judge_guard(guard, ...)`` / ``judge_guards(guards, ...)`` for conditions;
* ``judge_entry(value, match, flags=0) -> Verdict`` for one library policy
  entry under that library's matching function (``ENTRY_MODES``);
* ``describe(verdict)`` one line for messages;
* ``passes_check(check, origin) -> bool | None`` runs one check on one origin;
* ``file_budget()`` context manager capping the time spent per file;
* ``safe_accepts(pattern, origin, matcher="match", flags=0)`` runs one
  scanned regex on one origin with screening and a deadline (None: refused).
"""

from .analyser import Strength, Verdict, describe, judge, judge_entry, judge_guard, judge_guards, passes_check
from .budget import file_budget
from .matchers import ENTRY_MODES, safe_accepts

__all__ = [
    "ENTRY_MODES",
    "Strength",
    "Verdict",
    "describe",
    "file_budget",
    "judge",
    "judge_entry",
    "judge_guard",
    "judge_guards",
    "passes_check",
    "safe_accepts",
]
