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


#: The hash of every span (see ``Span.__hash__``).
SPAN_HASH = 0x5BA2


@dataclass(frozen=True)
class Span:
    """A source range: 1-based lines, 0-based columns (libcst's convention)."""

    line: int
    col: int
    end_line: int
    end_col: int

    def __hash__(self) -> int:
        # One hash for every span: a ``LazySpan`` (facts/context.py) equals
        # the ``Span`` it resolves to, and hashing it must not compute its
        # position (values are hashed wherever alternatives are merged).
        # Containers that hold spans tell them apart with ``==``.
        return SPAN_HASH


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

    def __post_init__(self) -> None:
        # Rules pass the fact's span, which may look its numbers up lazily
        # in the syntax tree; an edit keeps plain numbers, so a finding with
        # a fix travels from a worker process (pickles) and outlives the tree.
        region = self.region
        if type(region) is not Span:
            object.__setattr__(self, "region", Span(region.line, region.col, region.end_line, region.end_col))


@dataclass(frozen=True)
class Fix:
    """A safe automatic fix: what it does, in words, and its edits."""

    description: str
    edits: tuple[Edit, ...]


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
    fix: Fix | None = field(default=None, compare=False)  # a safe automatic fix (fixes/)
    # the other place of a finding about an entry written in another file:
    # ((path, line, col, what is there), ...); SARIF shows it as a related location
    related: tuple = field(default=(), compare=False)


@dataclass(frozen=True)
class FileError:
    """A file that could not be read or parsed."""

    path: str
    message: str
    line: int = 1
    col: int = 0
