"""SARIF 2.1.0 for GitHub code scanning (see ecosystem-conventions.md §3).

Rule metadata comes from the rule registry, so a new rule appears here
without edits; each rule embeds its page (``docs/rules/CODE.md``) as
``help`` and links it as ``helpUri`` when the project's Documentation URL is
known.  ``partialFingerprints.primaryLocationLineHash`` is the fingerprint
baselines use (``fingerprint.py``: the code and the whitespace-normalised
source text of the finding), plus an occurrence counter, so alerts survive
lines moving up or down.
"""

from __future__ import annotations

from urllib.parse import quote

import json
from typing import TextIO

from .. import __version__, ruledocs
from ..fingerprint import line_hash  # noqa: F401  (re-exported: the hash SARIF uses)
from ..findings import Confidence, FileError, Finding, Severity
from ..confirm import confirmation
from . import ReportOptions, RunReport

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..rules.base import Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

LEVEL = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning", Severity.LOW: "note"}
# GitHub: >9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low.
SECURITY_SEVERITY = {Severity.CRITICAL: "9.5", Severity.HIGH: "8.0", Severity.MEDIUM: "5.5", Severity.LOW: "3.0"}
PRECISION = {Confidence.HIGH: "high", Confidence.MEDIUM: "medium", Confidence.LOW: "low"}


def rule_descriptor(rule: type[Rule]) -> dict:
    summary = rule.SUMMARY or rule.NAME or rule.CODE
    tags = ["security"]
    if rule.CWE:
        tags.append(f"external/cwe/cwe-{rule.CWE}")
    full = ruledocs.description(rule.CODE) or summary
    page = ruledocs.page(rule.CODE)
    if page:
        help_ = {"text": page, "markdown": page}
    else:
        help_ = {"text": f"{rule.CODE} {rule.NAME}: {summary}"}
    descriptor = {
        "id": rule.CODE,
        "name": rule.NAME or rule.CODE,
        "shortDescription": {"text": summary[:1024]},
        "fullDescription": {"text": full[:1024]},
        "help": help_,
    }
    url = ruledocs.url(rule.CODE)
    if url:
        descriptor["helpUri"] = url
    return descriptor | {
        "defaultConfiguration": {"level": LEVEL[rule.SEVERITY], "enabled": rule.DEFAULT_ENABLED},
        "properties": {
            "tags": tags,
            "precision": PRECISION[rule.CONFIDENCE],
            "security-severity": SECURITY_SEVERITY[rule.SEVERITY],
        },
    }


def _region(f: Finding) -> dict:
    end_line = f.end_line or f.line
    end_col = f.end_col if f.end_line else f.col
    if (end_line, end_col) <= (f.line, f.col):
        end_line, end_col = f.line, f.col + 1  # never an empty or inverted region
    return {"startLine": f.line, "startColumn": f.col + 1, "endLine": end_line, "endColumn": end_col + 1}


def _result(f: Finding, rule_index: dict[str, int], fingerprint: str) -> dict:
    result = {
        "ruleId": f.code,
        "level": LEVEL[f.severity],
        "message": {"text": _message(f)},
        "locations": [
            {"physicalLocation": {"artifactLocation": {"uri": _uri(f.path)}, "region": _region(f)}}
        ],
        "partialFingerprints": {"primaryLocationLineHash": fingerprint},
        "properties": {**f.properties, "severity": f.severity.value, "confidence": f.confidence.value},
    }
    if f.related:
        # an entry in another file: the other place (its use, or the entry)
        result["relatedLocations"] = [
            {
                "id": i,
                "physicalLocation": {"artifactLocation": {"uri": _uri(path)}, "region": {"startLine": line, "startColumn": col + 1}},
                "message": {"text": text},
            }
            for i, (path, line, col, text) in enumerate(f.related)
        ]
    if f.code in rule_index:
        result["ruleIndex"] = rule_index[f.code]
    return result


def _message(f: Finding) -> str:
    """The finding's message, plus how to confirm it when there is a concrete attacker origin."""
    found = confirmation(f.properties)
    if found is None:
        return f.message
    return f"{f.message}\n\nConfirm it: {found.curl}\nIf the bug is real, the response has {found.expect}."


def _notification(e: FileError) -> dict:
    return {
        "level": "error",
        "message": {"text": f"{e.path}: {e.message}"},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(e.path)}}}],
    }


def as_dict(run: RunReport, statistics: bool = False) -> dict:
    from ..rules.base import all_rules  # the registry (and the facts layer) only when SARIF is written

    rules = all_rules()
    rule_index = {rule.CODE: i for i, rule in enumerate(rules)}
    results = [_result(f, rule_index, fp) for f, fp in zip(run.findings, run.fingerprints())]
    sarif_run: dict = {
        "tool": {
            "driver": {
                "name": "cors-lint",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [rule_descriptor(rule) for rule in rules],
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": results,
        "invocations": [
            {
                "executionSuccessful": True,
                "toolExecutionNotifications": [_notification(e) for e in run.errors],
            }
        ],
    }
    if statistics:
        sarif_run["properties"] = {"statistics": run.statistics()}
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [sarif_run]}


def report(run: RunReport, out: TextIO, options: ReportOptions) -> None:
    json.dump(as_dict(run, options.statistics), out, indent=2)
    out.write("\n")


def _uri(path: str) -> str:
    """A relative URI reference: forward slashes, percent-encoded (spaces, #)."""
    return quote(path.replace("\\", "/"), safe="/:@!$&'()*+,;=-._~")
