"""Neutral facts about CORS in one file.

The facts layer turns framework-specific code into these dataclasses; rules
read them and never look at the syntax tree.  Every fact carries the ``Span``
where a rule should report it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Union

from ..findings import Confidence, Span

# ---------------------------------------------------------------------------
# Abstract values
# ---------------------------------------------------------------------------

Scalar = Union[str, bytes, bool, int, float, None]


@dataclass(frozen=True)
class OriginFlow:
    """A value that carries (part of) the request's Origin.

    ``reflected`` is true when the value *is* the origin (possibly normalised,
    formatted or defaulted), false when it was only chosen by looking at it
    (``ALLOWED.get(origin)``, ``origin in X and "https://a" or ...``).
    ``guards`` are the conditions that hold wherever this value is produced,
    collected along the data flow (an ``if`` around an assignment, the test of
    a conditional expression, the guards at a helper's call site).
    """

    source: str  # human description of the source, e.g. 'request.headers.get("Origin")'
    span: Span
    reflected: bool = True
    guards: tuple["Guard", ...] = ()
    confidence: Confidence = Confidence.HIGH
    part: str = "origin"  # origin | host | netloc | scheme (after urlparse & co.)
    # which request value it came from: ``origin`` or ``referer`` (the
    # headers), else ``<kind>:<name>`` for another request-controlled value
    # (``query:origin``, ``header:X-Embed-Origin``, ``cookie:cors``; see
    # ``sources.request_value_key``)
    header: str = "origin"


@dataclass(frozen=True)
class Value:
    """What static evaluation knows about an expression.

    kind:
      ``const``   a scalar literal (``const`` holds it)
      ``seq``     a list/tuple/set of values (``items``)
      ``join``    a string joined from several values (``",".join(...)``)
      ``origin``  request-derived (``flow``)
      ``regex``   ``re.compile(...)`` of a literal (``const`` is the pattern)
      ``either``  one of several alternatives (``items``), e.g. ``x or "*"``
      ``container`` a collection of values the requester chooses
                  (``request.args``, ``request.headers``; ``const`` holds
                  its kind, see ``sources.REQUEST_CONTAINERS``)
      ``unknown`` anything else
    ``from_default`` marks values taken from a default such as
    ``os.getenv("X", "*")``; verdicts on them get lower confidence.
    """

    kind: str
    const: Scalar = None
    flags: int = 0  # re flags, for kind "regex" (a compiled pattern; const holds its text)
    items: tuple["Value", ...] = ()
    flow: OriginFlow | None = None
    from_default: bool = False
    span: Span | None = None
    text: str = ""  # source text of the expression, for messages
    # path conditions under which this alternative is the value (see conditions.py)
    conditions: frozenset = frozenset()
    # for a dict literal (``seq`` with text ``dict``, keys in ``items``): the
    # value stored under each key, in the same order
    values: tuple["Value", ...] = ()

    @property
    def is_str(self) -> bool:
        return self.kind == "const" and isinstance(self.const, (str, bytes))

    def str_value(self) -> str | None:
        if self.kind != "const":
            return None
        if isinstance(self.const, bytes):
            return self.const.decode("latin-1")
        if isinstance(self.const, str):
            return self.const
        return None

    @property
    def depends_on_origin(self) -> bool:
        if self.flow is not None:
            return True
        return any(item.depends_on_origin for item in self.items)


UNKNOWN = Value("unknown")


# ---------------------------------------------------------------------------
# Origin checks and guards
# ---------------------------------------------------------------------------


class CheckKind(str, Enum):
    EQUALS = "equals"  # origin == const  (patterns: the constants)
    NOT_EQUALS = "not-equals"  # origin != const used as the allowing branch
    IN_COLLECTION = "in-collection"  # origin in [..]  (patterns: entries, or () if unresolved)
    NOT_IN_COLLECTION = "not-in-collection"  # denylist
    IN_STRING = "in-string"  # origin in "a b c"
    CONTAINS = "contains"  # "example.com" in origin
    STARTSWITH = "startswith"
    ENDSWITH = "endswith"
    REGEX = "regex"  # matcher: match / search / fullmatch
    GLOB = "glob"  # fnmatch
    NEGATED = "negated"  # a denylist-style test: "not <check>" allows everything else
    VALIDATOR = "validator"  # a call to a function (patterns: (qualified name,))
    EXPRESSION = "expression"  # any other pure test, recorded whole in ``expr`` (see facts/expressions.py)
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class OriginCheck:
    """One test applied to an origin-derived value.

    ``subject`` says which part of the origin is tested: ``origin`` (the whole
    serialized origin), ``host`` (``urlparse(o).hostname``), ``netloc`` or
    ``scheme``.  ``matcher`` is the matching function for REGEX
    (``match``/``search``/``fullmatch``) and GLOB (``fnmatch``/``litestar``).
    ``flags`` are Python ``re`` flags.  For NEGATED checks ``matcher`` holds
    ``"<negated kind>:<its matcher>"`` so the analyser can run the inner test.
    """

    kind: CheckKind
    patterns: tuple[str, ...] = ()
    subject: str = "origin"
    matcher: str = ""
    flags: int = 0
    span: Span | None = None
    text: str = ""  # source text of the check, for messages
    resolved: bool = True  # False when the patterns could not be fully resolved
    library: str = ""  # for library patterns: whose matching semantics apply
    from_default: bool = False  # built from a default such as os.getenv("X", "...")
    source: str = "origin"  # the request header the tested value came from (OriginFlow.header)
    # EXPRESSION checks: the whole condition as an ``expressions`` tree whose
    # leaf ``("origin",)`` stands for the request value
    expr: tuple | None = None
    # unresolved patterns that come from configuration ("string": a str
    # setting tested with ``in``; "pattern": regexes from settings;
    # "prefix": startswith a setting; "switch": ``{"*", origin} & <collection
    # of unknown content>``, ``patterns`` holding the constants beside the origin)
    configured: str = ""
    # where each pattern was written (the list element the user edits), when known
    pattern_spans: tuple = field(default=(), compare=False)

    def pattern_span(self, pattern: str) -> "Span | None":
        return next((span for p, span in self.pattern_spans if p == pattern), None)


@dataclass(frozen=True)
class Guard:
    """A condition that holds on every path to a fact.

    ``checks`` are the origin tests the condition contains, already
    normalised so that all of them must hold (``conjunctive``) or at least one
    must hold (not ``conjunctive``).  A guard with no checks tests something
    other than the origin (``if origin:``, ``if DEBUG:``) and protects nothing.
    """

    checks: tuple[OriginCheck, ...]
    conjunctive: bool = True
    span: Span | None = None
    text: str = ""
    children: tuple["Guard", ...] = ()  # nested and/or groups


# ---------------------------------------------------------------------------
# Hand-written headers
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HeaderWrite:
    """One CORS-relevant header put on a response (or a request, see
    ``on_request``).  ``name`` is lower-case.  ``group`` identifies the
    response/header collection: writes with the same group end up on the same
    response.  ``typed`` marks setters that convert values themselves
    (Werkzeug's ``access_control_allow_credentials = True`` sends ``true``).
    """

    name: str
    value: Value
    span: Span
    group: int
    guards: tuple[Guard, ...] = ()
    on_request: bool = False
    typed: bool = False
    via: str = ""
    scope: str = ""  # the enclosing function (or class, or module) of the write
    conditions: frozenset = frozenset()  # atoms of every condition on the way (conditions.py)
    # the responses (one per path: a handler method, a route) the write ends
    # up on; a hook or helper run by several paths is on each (responses.py)
    responses: frozenset = frozenset()
    preflight: bool = False  # every one of them answers only OPTIONS requests
    # (group, conditions) of after-request hooks that replace this header
    # whenever those conditions hold (responses.py)
    replaced_by: frozenset = frozenset()

    def replaced_for(self, other: "HeaderWrite | VaryWrite") -> bool:
        """The hook that wrote ``other`` rewrites this header whenever it
        writes ``other``: the two values never leave together."""
        conditions = getattr(other, "conditions", None)
        return any(
            group == other.group and (not needed or (conditions is not None and needed <= conditions))
            for group, needed in self.replaced_by
        )

    def same_response(self, other: "HeaderWrite | VaryWrite") -> bool:
        if self.replaced_for(other) or (isinstance(other, HeaderWrite) and other.replaced_for(self)):
            return False  # the hook's value replaces this one: they never meet
        if self.responses and other.responses:
            return bool(self.responses & other.responses)
        return self.group == other.group


@dataclass(frozen=True)
class VaryWrite:
    """``Vary`` handled for a response group, with the names it adds."""

    group: int
    names: tuple[str, ...]
    span: Span | None = None
    scope: str = ""
    responses: frozenset = frozenset()
    conditions: frozenset = frozenset()  # atoms of the request tests on the way (conditions.py)
    # atoms of every condition on the way, origin tests or not
    path_conditions: frozenset = field(default=frozenset(), compare=False)

    def covers(self, write: HeaderWrite) -> bool:
        """This ``Vary: Origin`` reaches every response ``write`` is sent
        on: written in the same function (where the rules pair branches
        themselves), or under conditions that hold wherever ``write``
        happens.  A hook that adds Vary only for its own trusted origins
        leaves a view's reflection uncached-safe on every other path."""
        from .conditions import exclusive  # conditions.py needs libcst; the model must not

        if exclusive(self.conditions, write.conditions):
            return False  # Vary in the other branch of an origin test ("null" vs allowlisted)
        if self.scope == write.scope and exclusive(self.path_conditions, write.conditions):
            return False  # in the same function, on a branch the write never takes ("/public/" vs "/legacy/")
        return self.scope == write.scope or self.conditions <= write.conditions


# ---------------------------------------------------------------------------
# Library policies
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    """One option of a library configuration, with where it was written.

    ``value`` is the resolved abstract value; ``explicit`` is false when the
    library default applies (then ``span`` points at the configuring call).
    """

    name: str
    value: Value
    span: Span
    explicit: bool = True


@dataclass(frozen=True)
class OriginEntry:
    """One accepted-origin entry of a library policy.

    match: the matching semantics the library applies to this entry, named
    by what they do (the extractor chooses; ``checks.matchers`` holds the
    exact definition of each):
      ``exact``                    case-sensitive equality
      ``exact-ci``                 case-insensitive equality
      ``scheme-netloc``            scheme + netloc of ``urlsplit`` compared
      ``prefix-regex``             ``re.match``; ``fullmatch-regex``, ``search-regex``
      ``glob-crossing-dots``       ``*`` -> ``.*`` (crossing dots), fullmatch
      ``regex-if-metacharacters``  a regex (``re.match``, IGNORECASE) when the
                                   value holds one of ``* \\ ] ? $ ^ [ ( )``,
                                   else case-insensitive equality
      ``regex-if-wildcard-chars``  the same with only ``* \\ ] ?`` as markers
      ``substring``                a string passed where a list was expected
    ``admits_null`` is set (with a reason) when the library turns this entry
    into something that accepts ``Origin: null``.
    """

    value: str
    match: str
    span: Span
    flags: int = 0
    admits_null: str = ""
    from_default: bool = False
    shown: str = ""  # how to show the entry when ``value`` is a stand-in (a template judged with a placeholder)

    @property
    def label(self) -> str:
        return self.shown or self.value


@dataclass(frozen=True)
class CorsPolicy:
    """A normalised CORS configuration produced by a library.

    ``any_origin``: every origin is accepted (``*``, a match-all regex, the
    library default); ``any_reason`` says why in words.  ``reflects``: for
    ``any_origin`` the library copies the caller's origin into ACAO (rather
    than sending ``*``).  ``credentials``: True / False / None (unknown).
    ``vary``: the library sends ``Vary: Origin`` itself.  ``websocket``: the
    policy governs WebSocket handshakes (COR401 territory).
    ``origins_setting`` is where the origins were configured (or the call,
    when left at the library default).
    """

    library: str  # e.g. "starlette", "flask-cors", "django-cors-headers"
    span: Span  # the configuring call / settings block
    origins_setting: Setting | None = None
    entries: tuple[OriginEntry, ...] = ()
    any_origin: bool = False
    any_reason: str = ""
    reflects: bool = False
    origins_unknown: bool = False
    credentials: bool | None = False
    credentials_setting: Setting | None = None
    private_network: bool | None = False
    private_network_setting: Setting | None = None
    vary: bool = True
    # Does the ACAO of ordinary (cacheable) responses change with the request
    # origin?  None: judge from the entries (several origins or a pattern).
    varies_by_origin: bool | None = None
    websocket: bool = False
    confidence: Confidence = Confidence.HIGH
    preflight_wildcards: tuple[Setting, ...] = ()  # allow_headers/methods/expose set to "*"
    app: str = ""  # the name of the application/blueprint configured, when the code says (matches Route.app)
    paths: tuple[str, ...] = ()  # URL path patterns it is limited to, as written (flask-cors ``resources``); () = every path
    literal_wildcard_headers: bool = False  # library sends "*" literally (then COR204 applies)


@dataclass(frozen=True)
class UnknownOption:
    """An option a CORS library does not know or silently ignores."""

    library: str
    option: str
    span: Span
    suggestion: str = ""
    reason: str = ""  # e.g. "positional arguments are ignored"


@dataclass(frozen=True)
class GuardedChecks:
    """The origin checks found on one path that accepts a WebSocket
    handshake, with the guards they were read from: the guards taken
    together may hold only for exact origins even when one check alone
    would not (``origin.startswith("https://") and origin in ALLOWED``)."""

    guards: tuple[Guard, ...]
    checks: tuple[OriginCheck, ...]
    #: where the path accepts (its ``return True``), and the condition
    #: nearest to it when that condition tests no origin (``allow == "*"``):
    #: what lets through the origins a denylist-style check rejects
    accepted_at: Span | None = None
    accepted_when: str = ""


@dataclass(frozen=True)
class WebSocketCheck:
    """A hand-written WebSocket origin check (Tornado ``check_origin``):
    either it accepts every handshake (``always_true``), or ``groups`` hold
    the checks made on each accepting path."""

    span: Span
    always_true: bool = False
    groups: tuple[GuardedChecks, ...] = ()
    text: str = ""

    @property
    def checks(self) -> tuple[OriginCheck, ...]:
        """Every origin check of every accepting path, each once."""
        return unique_checks(c for group in self.groups for c in group.checks)


def unique_checks(checks) -> tuple[OriginCheck, ...]:
    """The checks in order, without repeats (same kind, patterns and place)."""
    seen = set()
    out = []
    for c in checks:
        key = (c.kind, c.patterns, c.span)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return tuple(out)


# ---------------------------------------------------------------------------
# Routes
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """A URL path the application serves, as the code declares it.

    ``path`` is the template as written, framework placeholders kept
    (``/items/{id}``, ``/users/<int:uid>``, ``/:id``).  ``methods`` are
    upper-case, empty when the framework's default applies.  ``handler`` is
    the qualified name of the function or class that answers, ``span`` where
    it is defined (decorators included), so a fact inside it belongs to the
    route.  Used by ``cors-lint probe`` to send a request where a finding
    shows; rules never judge routes.
    """

    path: str
    methods: tuple[str, ...]
    handler: str
    span: Span
    websocket: bool = False
    decorated_from: Span | None = None  # the first decorator: libcst's span of a def starts at ``def``
    app: str = ""  # the application/blueprint/router object it is declared on (``app``, ``bp``), when known

    def contains(self, line: int, col: int) -> bool:
        """Is this position inside the handler (its decorators included)?"""
        may_hold = getattr(self.span, "may_hold_line", None)
        if may_hold is not None and not may_hold(line):
            return False  # the handler's statement is elsewhere: its positions are not computed
        start = self.decorated_from or self.span
        return (start.line, start.col) <= (line, col) <= (self.span.end_line, self.span.end_col)


# ---------------------------------------------------------------------------
# Middleware stacks
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MiddlewareEntry:
    """One middleware in a stack, as the framework will run it.

    ``span`` is where the entry is listed or added in this file (None when it
    comes from another module, e.g. a star-imported settings module).
    ``answers`` says how the middleware can send a response by itself, without
    passing the request on to what it wraps (a redirect, a 400, a response
    returned before ``call_next``); empty when it always passes the request
    on.  ``answer`` is the short noun for that response (``the 301
    redirect``).  ``is_cors`` marks the stack library's CORS middleware.
    ``known`` is false for an entry whose name could not be resolved;
    ``certain`` is false when it answers only under configuration that is
    not visible from this file.
    """

    name: str
    span: Span | None = None
    answers: str = ""
    answer: str = ""
    is_cors: bool = False
    conditional: bool = False
    known: bool = True
    certain: bool = True  # False: it answers only under configuration the facts cannot see


@dataclass(frozen=True)
class MiddlewareStack:
    """The ordered middleware of one application, outermost first.

    ``span`` is where the stack is finally defined (the last assignment of a
    settings list, the application); ``complete`` is true when every entry of
    the whole stack is known (no unresolved import, condition or call).
    ``cors_middleware`` names the CORS middleware this stack's library needs;
    ``cors_configured`` says what configures CORS for this stack without
    depending on that middleware being present (empty when nothing does).
    ``extended_elsewhere``: another module builds its own stack on this one
    and may add what is missing here.  ``move_hint`` tells how to move the
    CORS middleware outward, with ``{cors}`` and ``{other}`` placeholders;
    ``order_note`` says which entry of the stack is the outermost one.
    """

    container: str
    entries: tuple[MiddlewareEntry, ...]
    span: Span
    complete: bool
    cors_middleware: str
    library: str
    cors_configured: str = ""
    extended_elsewhere: bool = False
    move_hint: str = ""
    order_note: str = ""

    def cors_entries(self) -> list[MiddlewareEntry]:
        return [e for e in self.entries if e.is_cors]


@dataclass(frozen=True)
class WebSocketEndpoint:
    """A WebSocket endpoint the application serves itself (a handler, not a
    library's configuration).

    ``credentials`` holds the source text of each read that authenticates
    the caller by ambient browser credentials (cookies, a session), found in
    the handler or in a dependency or helper it calls; empty when the
    endpoint reads none (token in the URL, first-message authentication, no
    authentication).  ``origin_checks`` are the origin tests made on the way
    to the endpoint (in the handler, its helpers and dependencies, an
    app-wide middleware); ``origin_checked_by`` names a server option that
    checks the Origin itself (``origins=[...]``).
    """

    span: Span
    name: str
    credentials: tuple[str, ...] = ()
    origin_checks: tuple[OriginCheck, ...] = ()
    origin_checked_by: str = ""
    confidence: Confidence = Confidence.HIGH


# ---------------------------------------------------------------------------
# All facts of one file
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OriginGate:
    """A request check on the Origin (or Referer) whose failing branch
    rejects the request with a client error: a CSRF defence, no CORS
    header involved.  ``guard`` is what must hold for the request to go on;
    ``span`` is the rejecting statement."""

    guard: Guard
    span: Span
    scope: str = ""
    rejection: str = ""  # how the request is rejected, e.g. "abort(403)"


@dataclass
class FileFacts:
    path: str
    header_writes: list[HeaderWrite] = field(default_factory=list)
    vary_writes: list[VaryWrite] = field(default_factory=list)
    policies: list[CorsPolicy] = field(default_factory=list)
    unknown_options: list[UnknownOption] = field(default_factory=list)
    websocket_checks: list[WebSocketCheck] = field(default_factory=list)
    origin_gates: list[OriginGate] = field(default_factory=list)
    websocket_endpoints: list[WebSocketEndpoint] = field(default_factory=list)
    middleware_stacks: list[MiddlewareStack] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)

    def vary_origin_groups(self, write: HeaderWrite | None = None) -> set[int]:
        """Groups and responses that get ``Vary: Origin`` (or ``*``);
        with ``write``, only from Vary writes that cover it."""
        out: set[int] = set()
        for v in self.vary_writes:
            if write is not None and not v.covers(write):
                continue
            if any(n.lower() == "origin" or n == "*" for n in v.names):
                out.add(v.group)
                out |= v.responses
        return out
