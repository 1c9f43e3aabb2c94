"""COR900 file-not-analyzed: The file could not be read or parsed, so it was not checked.

Not a CORS problem but a silent gap: a file that is not analysed can hide
any other finding, so it is reported to keep "no findings" honest. The
engine emits it; the rule is registered for selection, docs and SARIF.

The full description, examples and fix: docs/rules/COR900.md.
"""

from ..findings import Severity
from .base import Rule


class FileNotAnalyzed(Rule):
    CODE = "COR900"
    NAME = "file-not-analyzed"
    SUMMARY = "The file could not be read or parsed, so it was not checked."
    SEVERITY = Severity.LOW
    CWE = 0
