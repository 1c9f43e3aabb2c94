"""The one thing every rule produces and every reporter consumes."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return ("low", "medium", "high", "critical").index(self.value)


class Confidence(str, Enum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return ("low", "medium", "high").index(self.value)


@dataclass(frozen=True)
class Span:
    """A source range: 1-based lines, 0-based columns (libcst's convention)."""

    line: int
    col: int
    end_line: int
    end_col: int


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    col: int  # 0-based; reporters add 1
    code: str
    message: str
    end_line: int = field(default=0, compare=False)
    end_col: int = field(default=0, compare=False)
    name: str = field(default="", compare=False)
    severity: Severity = field(default=Severity.MEDIUM, compare=False)
    confidence: Confidence = field(default=Confidence.HIGH, compare=False)
    # Structured data beside the message, for tools (exported in JSON and
    # SARIF): e.g. ``proof_origin``, ``credentialed`` and ``route``, which
    # ``cors-lint probe`` turns into the request that shows the finding.
    properties: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class FileError:
    """A file that could not be read or parsed."""

    path: str
    message: str
    line: int = 1
    col: int = 0
