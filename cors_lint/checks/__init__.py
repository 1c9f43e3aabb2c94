"""Judging origin checks: strong, weak (with a proof origin) or unknown.

Public API (rules and library fact helpers call these):

* ``judge(check, trusted_validators=()) -> Verdict`` for one ``OriginCheck``;
* ``judge_guard(guard, ...)`` / ``judge_guards(guards, ...)`` for conditions;
* ``judge_entry(value, match, flags=0) -> Verdict`` for one policy entry
  under its matching mode (``ENTRY_MODES``, named by what they do:
  ``EXACT_MODES``, ``REGEX_MODES`` with their ``re`` function,
  ``PATTERN_MODES``; ``entry_is_pattern`` says whether a mode treats one
  value as a pattern);
* ``describe(verdict)`` one line for messages;
* ``passes_check(check, origin) -> bool | None`` runs one check on one origin;
* ``guards_pass(guards, origin) -> bool | None`` runs guards that all hold;
* ``file_budget()`` context manager capping the time spent per file;
* ``safe_accepts(pattern, origin, matcher="match", flags=0)`` runs one
  scanned regex on one origin with screening and a deadline (None: refused);
  ``pattern_accepts`` is the same as a plain bool, ``accepts_every_origin``
  asks whether a regex lets unrelated origins through at all;
* ``glob_never_matches(value)`` why a ``glob-crossing-dots`` entry can match
  no browser origin.

Rules use this API only, never ``analyser`` or ``matchers`` directly.
"""

from .analyser import Strength, Verdict, describe, guards_pass, judge, judge_entry, judge_guard, judge_guards, passes_check, without_refuted_insecure
from .budget import file_budget
from .matchers import (
    ENTRY_MODES,
    EXACT_MODES,
    GLOB_MODE,
    PATTERN_MODES,
    REGEX_MODES,
    accepts_every_origin,
    entry_is_pattern,
    glob_never_matches,
    pattern_accepts,
    safe_accepts,
)

__all__ = [
    "ENTRY_MODES",
    "EXACT_MODES",
    "GLOB_MODE",
    "PATTERN_MODES",
    "REGEX_MODES",
    "accepts_every_origin",
    "entry_is_pattern",
    "glob_never_matches",
    "pattern_accepts",
    "Strength",
    "Verdict",
    "describe",
    "file_budget",
    "guards_pass",
    "judge",
    "judge_entry",
    "judge_guard",
    "judge_guards",
    "passes_check",
    "without_refuted_insecure",
    "safe_accepts",
]
