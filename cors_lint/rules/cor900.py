"""COR900 file-not-analyzed: emitted by the engine, registered here for
selection, docs and SARIF metadata."""

from ..findings import Severity
from .base import Rule


class FileNotAnalyzed(Rule):
    CODE = "COR900"
    NAME = "file-not-analyzed"
    SUMMARY = "The file could not be read or parsed, so it was not checked."
    SEVERITY = Severity.LOW
    CWE = 0
