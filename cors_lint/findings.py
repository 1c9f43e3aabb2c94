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


@dataclass(frozen=True)
class Edit:
    """Replace one literal token inside ``region`` (a finding's span).

    ``kind`` says what the token is: ``"name"`` (an identifier such as
    ``True``, compared by its text), ``"string"`` (a string or bytes
    literal, compared by its value; the replacement keeps the literal's
    prefix and quotes) or ``"option"`` (an option's name: a keyword
    argument, an assignment target, or a string key such as
    ``app.config["CORS_ORIGIN"]``), or ``"vary"``: add ``Vary: <new>`` in a
    statement of its own right after the header write that spans ``region``,
    in the framework's merging idiom (``old`` is how the write is made:
    ``subscript``, ``set_header``, ...).  Exactly one such
    token must sit in the region, or the edit is refused.  ``unique`` also
    requires the token to appear nowhere else in the file (a literal
    shared through a name is not rewritten for one of its uses).

    Rules compute edits from facts; applying them is ``fixes/``' job, so no
    rule ever needs the syntax tree.
    """

    region: Span
    kind: str  # "name" | "string" | "option" | "vary"
    old: str
    new: str
    unique: bool = False


@dataclass(frozen=True)
class Fix:
    """A safe automatic fix: what it does, in words, and its edits."""

    description: str
    edits: tuple[Edit, ...]


@dataclass(frozen=True)
class Confirm:
    """How to see the bug on a running server: the attacker's origin to send,
    and what the response then shows (``credentials``: ACAC true too).

    ``cookie``: the library reflects only for requests carrying a cookie
    (Starlette before 1.0, Litestar), so the request sends one.
    ``preflight``: only the preflight (OPTIONS) reflects.
    """

    origin: str
    credentials: bool = False
    cookie: bool = False
    preflight: bool = False

    def curl(self, route: str | None = None) -> str:
        """The request; ``route`` is the view's path when known."""
        url = f'"http://localhost:8000{route}"' if route else "<the view's URL>"
        parts = ["curl -i"]
        if self.preflight:
            parts.append('-X OPTIONS -H "Access-Control-Request-Method: PUT"')
        parts.append(f'-H "Origin: {self.origin}"')
        if self.cookie:
            parts.append('-H "Cookie: session=1"')
        parts.append(url)
        return " ".join(parts)

    def expected(self) -> str:
        shown = f"Access-Control-Allow-Origin: {self.origin}"
        if self.credentials:
            shown += " and Access-Control-Allow-Credentials: true"
        return shown


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
    fix: Fix | None = field(default=None, compare=False)
    confirm: Confirm | None = field(default=None, compare=False)


@dataclass(frozen=True)
class FileError:
    """A file that could not be read or parsed."""

    path: str
    message: str
    line: int = 1
    col: int = 0
