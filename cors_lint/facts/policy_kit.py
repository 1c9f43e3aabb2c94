"""The policy kit: what a library extractor uses to state what its library does.

This is the internal API for contributors who add a library under
``facts/libraries/`` (documented, not a promise to third-party plugins).
Every extractor turns one library's configuration into ``CorsPolicy`` and
``UnknownOption`` facts, and the steps are the same everywhere:

* find the configuring calls (``calls_to``, ``refers_to``, ``imports_any``)
  and read their options with resolved values (``read_options``: keyword
  arguments, dict literals, ``dict(...)`` calls and ``**mapping``);
* remember where each option was written (``setting``, ``default_setting``)
  so findings land on the line a ``noqa`` sits on;
* split an origins value into ``Element``s (``elements``) and collect them
  with an ``OriginsBuilder``: each element becomes an ``OriginEntry`` with
  the matching semantics the library applies (see ``OriginEntry.match``),
  or marks the policy as accepting every origin, with the reason;
* suggest the intended name of an option the library does not know
  (``unknown_option``).

Nothing here knows a particular library: the matching semantics and the
reasons are passed in by the caller.  Nothing here judges either: whether an
entry is a strong origin check is decided later, in ``checks/`` and the
rules.  The one question asked of a regex here, "does it let unrelated
origins through at all" (``.*``), is what the library does with it, and is
answered by running it through ``checks.matchers`` (screened, under a
deadline).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Iterator

import libcst as cst

from ..checks.matchers import GLOB_MODE, REGEX_MODES, accepts_every_origin, glob_crossing_dots_regex
from ..findings import Confidence, Span
from .context import ModuleContext
from .index import Scope, Site
from .literals import ForeignSpan, literal_spans
from .model import UNKNOWN, OriginEntry, Setting, UnknownOption, Value
from .value_ops import alternatives

__all__ = [
    # finding the configuring code
    "calls_to", "refers_to", "imports_any", "reexported", "positional", "assigned_call", "last_assignment", "dict_literal", "literal_of",
    # reading options and settings
    "Options", "read_options", "setting", "option_setting", "default_setting", "const_value", "param_default",
    "unknown_option", "suggest",
    # values
    "alternatives", "truth", "maybe_true", "is_defaulted", "confidence_for", "always_true_callable",
    # origins
    "Element", "elements", "string_for_list", "Built", "built_strings", "PLACEHOLDER_TLD", "entry", "lets_every_origin_in", "OriginsBuilder",
]



# ---------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------


def truth(value: Value | None) -> bool | None:
    """Python truthiness of a resolved value: True, False or None (unknown).

    An ``either`` is True only if every branch is truthy (and False only if
    every branch is falsy); a string from an environment default is judged by
    Python truthiness like the library would (``"False"`` is truthy)."""
    if value is None:
        return None
    results = set()
    for alt in alternatives(value):
        if alt.kind == "const":
            results.add(bool(alt.const))
        elif alt.kind == "seq":
            results.add(bool(alt.items))
        elif alt.kind == "regex":
            results.add(True)
        else:
            return None
    if len(results) == 1:
        return results.pop()
    return None


def maybe_true(value: Value | None) -> bool:
    """Some branch of the value is truthy."""
    if value is None:
        return False
    return any(truth(alt) is True for alt in alternatives(value))


def is_defaulted(value: Value | None) -> bool:
    """Does the value (or any part of it) come from a default such as
    ``os.getenv("X", "*")``?"""
    if value is None:
        return False
    if value.from_default:
        return True
    return any(is_defaulted(item) for item in value.items)


def confidence_for(*values: Value | None, partial: bool = False) -> Confidence:
    """Confidence of a verdict resting on these values: MEDIUM when one of
    them is an environment default or the verdict holds only on some
    branches (``partial``), LOW when both apply."""
    lowered = sum(1 for v in values if is_defaulted(v)) + (1 if partial else 0)
    if lowered == 0:
        return Confidence.HIGH
    if lowered == 1:
        return Confidence.MEDIUM
    return Confidence.LOW


@dataclass(frozen=True)
class Element:
    """One element of an origins value: a string, a compiled regex, or
    something unknown, with the span to report it at."""

    value: Value
    span: Span

    @property
    def text(self) -> str | None:
        if self.value.kind == "regex":
            return self.value.const if isinstance(self.value.const, str) else None
        return self.value.str_value()

    @property
    def is_regex(self) -> bool:
        return self.value.kind == "regex"

    @property
    def known(self) -> bool:
        return self.text is not None


def elements(
    value: Value,
    fallback: Span,
    ctx: ModuleContext | None = None,
    node: cst.BaseExpression | None = None,
    site: Site | None = None,
    literals: dict | None = None,
) -> Iterator[Element]:
    """The elements of a sequence value (through ``either`` branches); a
    scalar yields itself.

    Values carry no positions, so each element is reported at its literal
    when ``node`` (the expression the value came from) is, or names, a
    list/tuple/set literal written element for element; otherwise at
    ``fallback`` (the setting).  ``literals`` gives the places of the
    strings directly (text -> span), for a value whose literals are found
    another way (a setting inherited through ``import *``)."""
    spans = _element_spans(ctx, node, site, value) if ctx is not None and node is not None else None
    if spans is None and ctx is not None and node is not None and value.kind == "seq":
        rebuilt = _starred_literal(ctx, node, site)
        if rebuilt is not None:
            for item, item_span in rebuilt:
                for inner in alternatives(item):
                    yield Element(inner, inner.span or item_span)
            return
    # a list built in several statements, or a settings-class field: each
    # element at the literal that wrote it (literals.py), else the setting
    found = literal_spans(ctx, node, site) if spans is None and ctx is not None and node is not None else dict(literals or {})

    def located(inner: Value, default: Span) -> Span:
        if inner.span:
            return inner.span
        text = inner.const if inner.kind in ("const", "regex") and isinstance(inner.const, str) else None
        span = found.get(text, default) if text is not None else default
        return span.at(default) if isinstance(span, ForeignSpan) else span

    for alt in alternatives(value):
        span = alt.span or fallback
        if alt.kind == "seq":
            for i, item in enumerate(alt.items):
                item_span = spans[i] if spans is not None and i < len(spans) else span
                for inner in alternatives(item):
                    yield Element(inner, located(inner, item_span))
        else:
            yield Element(alt, spans[0] if spans is not None and len(spans) == 1 and value.kind != "seq" else located(alt, span))


def string_for_list(value: Value, option: Span, **where) -> Element:
    """A string passed where the library expects a list of origins (it then
    tests each character, or uses ``in`` as a substring test).  The mistake
    is passing it there, and the fix (``[ORIGIN]``) is made there, so it is
    reported at the option, not where a constant holding the string was
    defined: that string is a fine single origin on its own.  A literal
    written at the option itself (``("https://a.example.com")``, a tuple
    missing its comma) is reported at the literal, where the comma goes."""
    if isinstance(where.get("node"), (cst.SimpleString, cst.ConcatenatedString)):
        return next(elements(value, option, **where))
    return Element(value, option)


def _starred_literal(ctx: ModuleContext, node: cst.BaseExpression, site: Site | None) -> list[tuple[Value, Span]] | None:
    """Element by element, a list literal with starred parts
    (``[*BASE, "https://a.example.com"]``): each starred part expands to its
    items (or one unknown element), and the elements after an unknown part
    are still read."""
    literal = literal_of(ctx, node, site)
    if not isinstance(literal, (cst.List, cst.Tuple, cst.Set)) or not any(isinstance(el, cst.StarredElement) for el in literal.elements):
        return None
    out: list[tuple[Value, Span]] = []
    for el in literal.elements:
        span = ctx.span(el.value)
        value = ctx.evaluate(el.value, site)
        if not isinstance(el, cst.StarredElement):
            out.append((value, span))
        elif value.kind == "seq":
            out.extend((item, span) for item in value.items)
        else:
            out.append((UNKNOWN, span))
    return out


def _element_spans(ctx: ModuleContext, node: cst.BaseExpression, site: Site | None, value: Value) -> list[Span] | None:
    literal = literal_of(ctx, node, site)
    if literal is None:
        return None
    if isinstance(literal, (cst.List, cst.Tuple, cst.Set)):
        if value.kind != "seq" or any(isinstance(el, cst.StarredElement) for el in literal.elements):
            return None
        if len(literal.elements) != len(value.items):
            return None
        return [ctx.span(el.value) for el in literal.elements]
    if isinstance(literal, (cst.SimpleString, cst.ConcatenatedString)) and value.kind == "const":
        return [ctx.span(literal)]
    return None


def literal_of(ctx: ModuleContext, node: cst.BaseExpression, site: Site | None, depth: int = 0) -> cst.BaseExpression | None:
    """The literal an expression is, or that a plain name was last assigned
    (innermost scope first)."""
    if depth > 8:
        return None
    if isinstance(node, (cst.List, cst.Tuple, cst.Set, cst.SimpleString, cst.ConcatenatedString, cst.Dict)):
        return node
    if isinstance(node, cst.Name):
        assigned = last_assignment(ctx, node.value, site)
        if assigned is not None:
            return literal_of(ctx, assigned, site, depth + 1)
    return None


# ---------------------------------------------------------------------------
# Strings built by comprehensions
# ---------------------------------------------------------------------------

#: Top-level label of placeholder hosts (reserved by RFC 2606, never real).
PLACEHOLDER_TLD = "example"


@dataclass(frozen=True)
class Built:
    """One string a comprehension builds from an f-string template
    (``[f"^https://{d}" for d in DOMAINS]``).

    ``resolved``: the loop values are known and ``text`` is the real string;
    otherwise ``text`` is the template with each loop variable replaced by a
    placeholder host (``d-placeholder.example``), good only for judging what the
    template's own text does whatever the values are (a missing ``$``, an
    ``https?``)."""

    text: str
    span: Span
    resolved: bool
    template: str
    from_default: bool = False


def built_strings(ctx: ModuleContext, node: cst.BaseExpression, site: Site | None, *, regex: bool) -> list[Built]:
    """Strings built by comprehensions in a list value: the value itself
    (``[f"..." for d in X]``) or starred ones inside a list literal
    (``[*[f"..." for d in X], "other"]``), directly or through a name.

    Only the plain form is read: one ``for NAME in ITER`` clause and an
    f-string whose every placeholder is the loop variable.  With ``regex``
    the placeholder is escaped (``d-placeholder\\.example``), as a regex the template is."""
    literal = literal_of(ctx, node, site)
    if isinstance(node, (cst.ListComp, cst.SetComp, cst.GeneratorExp)):
        literal = node
    comps: list[cst.BaseExpression] = []
    if isinstance(literal, (cst.ListComp, cst.SetComp, cst.GeneratorExp)):
        comps = [literal]
    elif isinstance(literal, (cst.List, cst.Tuple, cst.Set)):
        comps = [el.value for el in literal.elements if isinstance(el, cst.StarredElement) and isinstance(el.value, (cst.ListComp, cst.SetComp, cst.GeneratorExp))]
    out: list[Built] = []
    for comp in comps:
        out.extend(_expand(ctx, comp, site, regex))
    return out


def _expand(ctx: ModuleContext, comp: cst.BaseExpression, site: Site | None, regex: bool) -> list[Built]:
    direct = ctx.evaluate(comp, site)
    if direct.kind == "seq" and direct.items and all(item.str_value() is not None for item in direct.items):
        return []  # the evaluator resolves it: its elements are read as usual
    clause = comp.for_in
    if clause.inner_for_in is not None or not isinstance(clause.target, cst.Name) or not isinstance(comp.elt, cst.FormattedString):
        return []
    var = clause.target.value
    pieces: list[str | None] = []  # text, or None for the loop variable
    for part in comp.elt.parts:
        if isinstance(part, cst.FormattedStringText):
            pieces.append(part.value)
        elif isinstance(part, cst.FormattedStringExpression) and isinstance(part.expression, cst.Name) and part.expression.value == var and part.format_spec is None and part.conversion is None:
            pieces.append(None)
        else:
            return []
    if comp.elt.prefix.lower().replace("f", "") not in ("r", ""):
        return []  # bytes and friends
    raw = "r" in comp.elt.prefix.lower()
    try:
        pieces = [p if p is None or raw else p.encode("latin-1", "backslashreplace").decode("unicode_escape") for p in pieces]
    except (UnicodeError, ValueError):
        return []
    span = ctx.span(comp)
    template = ctx.text(comp.elt, 80)
    iterable = ctx.evaluate(clause.iter, site)
    values = [item.str_value() for item in iterable.items] if iterable.kind == "seq" else []
    if iterable.kind == "seq" and iterable.items and not clause.ifs and all(v is not None for v in values):
        return [Built("".join(v if p is None else p for p in pieces), span, True, template, is_defaulted(iterable)) for v in values]
    label = re.sub(r"[^a-z0-9-]", "", var.lower()).strip("-") or "value"
    host = f"{label}-placeholder\\.{PLACEHOLDER_TLD}" if regex else f"{label}-placeholder.{PLACEHOLDER_TLD}"
    return [Built("".join(host if p is None else p for p in pieces), span, False, template)]


# ---------------------------------------------------------------------------
# Entries and settings
# ---------------------------------------------------------------------------


def entry(element: Element, match: str, *, flags: int = 0, admits_null: str = "") -> OriginEntry:
    text = element.text or ""
    return OriginEntry(
        value=text,
        match=match,
        span=element.span,
        flags=flags | (element.value.flags if element.is_regex else 0),
        admits_null=admits_null,
        from_default=is_defaulted(element.value),
    )


def lets_every_origin_in(value: str, match: str, flags: int = 0) -> bool:
    """Does a pattern entry under this matching mode let unrelated origins in
    (``.*``, ``https?://.*``, a glob of ``*``)?  A library given such an
    entry accepts every origin, which the policy says with ``any_origin``
    rather than as an entry.  The pattern runs screened and under a
    deadline; one that cannot be run counts as not letting everyone in."""
    if match in REGEX_MODES:
        return accepts_every_origin(value, REGEX_MODES[match], flags)
    if match == GLOB_MODE:
        return accepts_every_origin(glob_crossing_dots_regex(value), "fullmatch", flags)
    return False


@dataclass
class OriginsBuilder:
    """What a library does with the origins it is configured with, collected
    while an extractor reads them.

    ``add`` records an entry under the library's matching mode,
    ``accept_any`` records that the library accepts every origin (because of
    which setting, and why), ``add_patterns`` does either for each regex or
    glob element, and ``unknown`` marks a part that could not be read.
    ``policy_fields()`` gives the matching ``CorsPolicy`` fields.  The first
    setting that lets every origin in is the one findings point at."""

    unknown: bool = False
    entries: list[OriginEntry] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    any_from: Setting | None = None
    partial: bool = False  # every origin only on some branches of the value

    @property
    def any_origin(self) -> bool:
        return self.any_from is not None

    def add(self, element: Element, match: str, *, flags: int = 0, admits_null: str = "") -> None:
        self.entries.append(entry(element, match, flags=flags, admits_null=admits_null))

    def accept_any(self, source: Setting, reason: str = "", *, partial: bool = False) -> None:
        """The library accepts every origin because of ``source``."""
        if self.any_from is None:
            self.any_from = source
            self.partial = partial
        if reason:
            self.reasons.append(reason)

    def add_patterns(self, items: Iterable[Element], match: str, source: Setting, *, reason: str, partial: bool = False) -> None:
        """Regex (or glob) elements of ``source``: an unreadable one makes the
        origins unknown, one that lets every origin in makes the policy
        accept every origin (``reason``, where ``{text!r}`` names the
        pattern), the others become entries under ``match``."""
        for el in items:
            if el.text is None:
                self.unknown = True
            elif lets_every_origin_in(el.text, match, el.value.flags):
                self.accept_any(source, reason.format(text=el.text), partial=partial)
            else:
                self.add(el, match)

    def policy_fields(self) -> dict:
        """``entries``, ``any_origin``, ``any_reason`` and ``origins_unknown``
        for ``CorsPolicy(...)``."""
        return {
            "entries": tuple(self.entries),
            "any_origin": self.any_origin,
            "any_reason": "; ".join(self.reasons),
            "origins_unknown": self.unknown and not self.any_origin,
        }


def setting(ctx: ModuleContext, name: str, node: cst.CSTNode, value: Value, value_node: cst.CSTNode | None = None) -> Setting:
    """An explicit setting reported at ``node`` (a keyword ``Arg``, a dict
    element, an assignment target: the line flake8's ``noqa`` sits on).
    ``value_node`` gives the source text shown in messages."""
    if value_node is not None and not value.text:
        shown = ctx.text(value_node, 60)
        if "#" not in shown:  # comments inside parentheses are no value
            value = replace(value, text=shown)
    return Setting(name, value, ctx.span(node), explicit=True)


def option_setting(ctx: ModuleContext, options: "Options", name: str, default, span: Span) -> tuple[Setting, Value | None]:
    """An option as written, or the library's ``default`` (a Python value)
    reported at ``span`` (the configuring call): the ``Setting`` for
    messages, and the written value (None when left at the default)."""
    value = options.get(name)
    if value is None:
        return default_setting(name, const_value(default), span), None
    return setting(ctx, name, options.node(name), value), value


def default_setting(name: str, value: Value, span: Span) -> Setting:
    """The library default, reported at the configuring call."""
    return Setting(name, value, span, explicit=False)


def const_value(python_value, text: str = "") -> Value:
    """A constant ``Value`` for a library default."""
    if isinstance(python_value, (list, tuple)):
        return Value("seq", items=tuple(const_value(v) for v in python_value), text=text or repr(list(python_value)))
    return Value("const", python_value, text=text or repr(python_value))


# ---------------------------------------------------------------------------
# Option names
# ---------------------------------------------------------------------------


def suggest(name: str, known: Iterable[str], cutoff: float = 0.75) -> str:
    """The known option closest to ``name`` (difflib), or ``""``.

    Matching ignores case and ``-``/``_`` differences, so ``allowOrigins``
    still finds ``allow_origins``."""
    table = {_squash(k): k for k in known}
    import difflib  # only for a name that is not an option

    close = difflib.get_close_matches(_squash(name), list(table), n=1, cutoff=cutoff)
    return table[close[0]] if close else ""


def _squash(name: str) -> str:
    return name.lower().replace("-", "_")


def unknown_option(ctx: ModuleContext, library: str, option: str, node: cst.CSTNode, known: Iterable[str], reason: str = "", cutoff: float = 0.75) -> UnknownOption:
    return UnknownOption(library, option, ctx.span(node), suggest(option, known, cutoff), reason)


# ---------------------------------------------------------------------------
# Calls and dict literals
# ---------------------------------------------------------------------------


@dataclass
class Options:
    """The options of one configuring call or dict: name -> (node to report
    at, node of the value, resolved value).  ``opaque`` is true when some
    options could not be read (``**kwargs`` from an unknown mapping).
    ``labels`` name options that were written differently (a config key
    ``CORS_ORIGINS`` for the option ``origins``)."""

    values: dict[str, tuple[cst.CSTNode, cst.BaseExpression, Value]] = field(default_factory=dict)
    opaque: bool = False
    labels: dict[str, str] = field(default_factory=dict)  # how to name an option in messages (config keys)

    def label(self, name: str) -> str:
        return self.labels.get(name, name)

    def get(self, name: str) -> Value | None:
        got = self.values.get(name)
        return got[2] if got is not None else None

    def node(self, name: str) -> cst.CSTNode | None:
        got = self.values.get(name)
        return got[0] if got is not None else None

    def where(self, name: str, ctx: ModuleContext, site: Site | None) -> dict:
        """Keyword arguments for ``elements`` that report each element of
        option ``name`` at the literal that wrote it (the line of the entry,
        in a list spread over lines, or in a constant defined elsewhere);
        empty when the option is not written or has several alternatives."""
        got = self.values.get(name)
        if got is None or got[2].kind == "either":
            return {}
        return {"ctx": ctx, "node": got[1], "site": site}

    def merged_over(self, base: "Options") -> "Options":
        """These options taking precedence over ``base``."""
        out = Options(dict(base.values), base.opaque or self.opaque)
        out.values.update(self.values)
        out.labels = {k: v for k, v in base.labels.items() if k not in self.values}
        out.labels.update(self.labels)
        return out


def read_options(ctx: ModuleContext, node: cst.Call | cst.Dict, site: Site | None) -> Options:
    """The options a configuring call or mapping states, with resolved values.

    For a call (``CORS(app, origins=...)``, ``dict(origins=...)``): its
    keyword arguments; a parameter nobody in the module passes a value for
    stands for its default (``param_default``).  For a dict literal: its
    string-keyed entries.  ``**mapping`` is expanded when it is a dict
    literal (directly or through a name); an unreadable ``**mapping``, a
    ``*args`` or a key that does not resolve marks the options opaque."""
    out = Options()
    if isinstance(node, cst.Call):
        for arg in node.args:
            if arg.keyword is not None:
                value = ctx.evaluate(arg.value, site)
                if value.kind == "unknown":
                    value = param_default(ctx, arg.value, site) or value
                out.values[arg.keyword.value] = (arg, arg.value, value)
            elif arg.star == "**":
                _spread(ctx, out, arg.value, site)
            elif arg.star == "*":
                out.opaque = True
        return out
    for el in node.elements:
        if isinstance(el, cst.DictElement):
            key = ctx.evaluate(el.key, site).str_value()
            if key is None:
                out.opaque = True
                continue
            out.values[key] = (el, el.value, ctx.evaluate(el.value, site))
        else:  # **other
            _spread(ctx, out, el.value, site)
    return out


def _spread(ctx: ModuleContext, out: Options, node: cst.BaseExpression, site: Site | None) -> None:
    """Merge the options of ``**node`` into ``out`` (opaque when unreadable)."""
    literal = dict_literal(ctx, node, site)
    if literal is None:
        out.opaque = True
        return
    inner = read_options(ctx, literal, site)
    out.values.update(inner.values)
    out.opaque = out.opaque or inner.opaque


def dict_literal(ctx: ModuleContext, node: cst.BaseExpression, site: Site | None, depth: int = 0) -> cst.Dict | cst.Call | None:
    """The dict literal (or ``dict(...)`` call) an expression stands for:
    itself, or the last unconditional assignment of a plain name in the
    enclosing scopes."""
    if depth > 8:
        return None
    if isinstance(node, cst.Dict):
        return node
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "dict" and not any(a.keyword is None and a.star == "" for a in node.args):
        return node
    if isinstance(node, cst.Name):
        assigned = last_assignment(ctx, node.value, site)
        if assigned is not None:
            return dict_literal(ctx, assigned, site, depth + 1)
    return None


def imported_dict(ctx: ModuleContext, node: cst.BaseExpression, site: Site | None, depth: int = 0) -> tuple[ModuleContext, cst.Dict | cst.Call] | None:
    """The dict literal a name stands for when another project module
    binds it: ``from .config import *`` (or ``from .config import
    EXT_CONFIG``) then ``Extend(app, config=EXT_CONFIG)``.  Returns that
    module's context and the literal (read it with ``read_options(other,
    literal, None)``; ``foreign_options`` gives spans in this file).
    Standalone mode only; a name bound in this module is ``dict_literal``'s."""
    if not isinstance(node, cst.Name) or depth > 3:
        return None
    project = ctx.project
    if project is None or not hasattr(project, "context"):
        return None
    name = node.value
    if last_assignment(ctx, name, site) is not None:
        return None
    candidates = []
    for qualified in sorted(ctx.qualify(node)):
        module, _, attr = qualified.rpartition(".")
        if attr == name and module.strip("."):
            candidates.append(project.module_path(module, ctx.path))
    if not ctx.index.imports.is_imported(name):
        candidates += [project.module_path(star, ctx.path) for star in reversed(ctx.index.imports.star_imports)]
    for path in candidates:
        other = project.context(path) if path is not None else None
        if other is None or other is ctx:
            continue
        assigned = last_assignment(other, name, None)
        if assigned is not None:
            literal = dict_literal(other, assigned, None)
            return (other, literal) if literal is not None else None
        found = imported_dict(other, cst.Name(name), None, depth + 1)
        if found is not None:
            return found
    return None


def foreign_options(ctx: ModuleContext, other: ModuleContext, literal: cst.Dict | cst.Call, use: cst.CSTNode) -> dict[str, tuple[Span, Value, str]]:
    """The options of a dict literal written in another project module,
    each as (where: a ``ForeignSpan`` reported there when that file is
    linted too, else at ``use``; the value; its source text)."""
    from .dataflow import foreign_positions

    at = ctx.span(use)
    shown = getattr(ctx.project, "linted", {}).get(str(Path(other.path).resolve()))
    out = {}
    for key, (node, value_node, value) in read_options(other, literal, None).values.items():
        out[key] = (ForeignSpan(other.span(node), str(other.path), shown, at), foreign_positions(value, other, at), other.text(value_node, 60))
    return out


def last_assignment(ctx: ModuleContext, name: str, site: Site | None) -> cst.BaseExpression | None:
    """The value of the reaching plain assignment to ``name`` (innermost
    scope first), if it is a simple ``name = expr``."""
    scope: Scope | None = site.scope if site is not None else ctx.index.module_scope
    order = site.order if site is not None else 10**9
    while scope is not None:
        defs = scope.assignments.get(name)
        if defs:
            before = [d for d in defs if d.order < order] if scope is (site.scope if site else None) else defs
            if before:
                d = before[-1]
                return d.value if d.kind == "assign" else None
        scope = scope.parent
    return None


def assigned_call(ctx: ModuleContext, node: cst.BaseExpression, site: Site | None, *qualified: str) -> cst.Call | None:
    """The call an expression is, following plain names to their reaching
    assignment (a few hops at most): ``app = AuthMiddlewareStack(...)`` then
    ``{"websocket": app}``.  With ``qualified`` names, only a call to one of
    them counts."""
    for _ in range(5):
        if isinstance(node, cst.Call):
            return node if not qualified or ctx.is_name(node.func, *qualified) else None
        if not isinstance(node, cst.Name):
            return None
        assigned = last_assignment(ctx, node.value, site)
        if assigned is None:
            return None
        node = assigned
    return None


def calls_to(ctx: ModuleContext, *qualified: str) -> Iterator[Site]:
    """Call sites whose callee is one of these qualified names (aliases and
    ``from x import y as z`` resolved through the import table)."""
    for site in ctx.index.calls:
        if ctx.is_name(site.node.func, *qualified):
            yield site


def refers_to(ctx: ModuleContext, node: cst.BaseExpression, *qualified: str) -> bool:
    """``ctx.is_name`` that also sees names brought in by ``from lib import *``
    (common in tests and small scripts): a bare ``CORS`` that nothing else
    binds refers to ``flask_cors.CORS`` when the module star-imports
    ``flask_cors``."""
    if ctx.is_name(node, *qualified):
        return True
    if not isinstance(node, cst.Name) or not ctx.index.imports.star_imports:
        return False
    name = node.value
    if ctx.index.imports.is_imported(name) or name in ctx.index.module_scope.assignments:
        return False
    if any(f"{star}.{name}" in qualified for star in ctx.index.imports.star_imports if not star.startswith(".")):
        return True
    return bool(qualified) and _matches_any(_star_qualified(ctx, name), qualified)


def _matches_any(names: set[str], qualified: tuple[str, ...]) -> bool:
    return any(q == s or q.endswith("." + s) for q in names for s in qualified)


def _star_modules(ctx: ModuleContext, depth: int = 0):
    """The project modules this module star-imports (standalone mode only;
    under flake8 there is no project and nothing is followed)."""
    project = ctx.project
    if project is None or not hasattr(project, "context") or depth > 3:
        return
    for star in reversed(ctx.index.imports.star_imports):
        path = project.module_path(star, ctx.path)
        other = project.context(path) if path is not None else None
        if other is not None and other is not ctx:
            yield other


def _star_qualified(ctx: ModuleContext, name: str, depth: int = 0) -> set[str]:
    """What a bare ``name`` stands for when a star-imported project module
    brings it in: ``from endpoints import *`` where ``endpoints`` has
    ``from flask_cors import cross_origin`` (followed through further star
    imports, a few levels deep)."""
    for other in _star_modules(ctx, depth):
        if other.index.imports.is_imported(name):
            return other.qualify(cst.Name(name))
        if name in other.index.module_scope.assignments or name in other.index.functions or name in other.index.classes:
            return set()  # defined there: not a library name
        libs = {f"{star}.{name}" for star in other.index.imports.star_imports if not star.startswith(".")}
        deeper = _star_qualified(other, name, depth + 1)
        if deeper or libs:
            return deeper | libs
    return set()


def reexported(ctx: ModuleContext, *modules: str, depth: int = 0) -> bool:
    """Does a project module this one star-imports import one of these
    packages (so that its names, ``CORS`` or ``cross_origin``, arrive here
    through ``from app import *``)?"""
    if not ctx.index.imports.star_imports:
        return False
    return any(imports_any(other, *modules) or reexported(other, *modules, depth=depth + 1) for other in _star_modules(ctx, depth))


def imports_any(ctx: ModuleContext, *modules: str) -> bool:
    """Does the module import anything from one of these packages?"""
    prefixes = tuple(m + "." for m in modules)
    if any(star in modules or star.startswith(prefixes) for star in ctx.index.imports.star_imports):
        return True
    for q in ctx.index.imports.imported_modules():
        if q in modules or q.startswith(prefixes):
            return True
    return False


def always_true_callable(ctx: ModuleContext, node: cst.BaseExpression, site: Site | None) -> str:
    """When ``node`` is a callable that returns a constant truthy value on
    every path, its source text for messages (else ``""``): a lambda
    (``lambda origin, environ: True``), or the name of a module function
    whose every return is an unconditional truthy constant.  Libraries that
    accept an origin predicate treat such a callable like ``"*"``."""
    if isinstance(node, cst.Lambda):
        value = ctx.evaluate(node.body, site)
        return ctx.text(node, 60) if value.kind == "const" and truth(value) is True else ""
    if not isinstance(node, cst.Name):
        return ""
    scopes = ctx.index.functions.get(node.value, [])
    if len(scopes) != 1 or scopes[0].in_class or not isinstance(scopes[0].node, cst.FunctionDef):
        return ""
    scope = scopes[0]
    returns = [r for r in scope.returns if _returns_of(ctx, r.node, scope.node)]
    if not returns or not _ends_in_return(scope.node):
        return ""  # falling off the end returns None: rejected
    for ret in returns:
        if ret.guards or ret.node.value is None:
            return ""
        value = ctx.evaluate_in(ret.node.value, scope, ret.order)
        if value.kind != "const" or truth(value) is not True:
            return ""
    return f"{node.value}()"


def _returns_of(ctx: ModuleContext, node: cst.CSTNode, function: cst.CSTNode) -> bool:
    """A return statement of ``function`` itself, not of a nested one."""
    for parent in ctx.index.ancestors(node):
        if isinstance(parent, (cst.FunctionDef, cst.Lambda)):
            return parent is function
    return False


def _ends_in_return(function: cst.FunctionDef) -> bool:
    body = function.body
    if not isinstance(body, cst.IndentedBlock) or not body.body:
        return False
    last = body.body[-1]
    return isinstance(last, cst.SimpleStatementLine) and any(isinstance(s, cst.Return) for s in last.body)


def param_default(ctx: ModuleContext, node: cst.BaseExpression, site: Site | None) -> Value | None:
    """The default of the parameter ``node`` names, marked as a default.

    ``def use_cors(self, origins=["*"]): app.add_middleware(CORSMiddleware,
    allow_origins=origins, ...)`` configures ``["*"]`` unless a caller
    passes something else, which the evaluator cannot see when the callers
    live in other modules.  Like an ``os.getenv`` default, the value is
    judged with lower confidence.  Only a name bound by the parameter alone
    (never reassigned in the function before the use) counts."""
    if site is None or not isinstance(node, cst.Name):
        return None
    scope: Scope | None = site.scope
    while scope is not None and node.value not in scope.assignments:
        scope = scope.parent
    if scope is None or scope.kind != "function":
        return None
    defs = scope.assignments[node.value]
    if len(defs) != 1 or defs[0].kind != "param" or not isinstance(defs[0].node, cst.Param):
        return None  # reassigned (origins = origins or [...]) or not a parameter
    param: cst.Param = defs[0].node
    if param.default is None or scope.parent is None:
        return None
    value = ctx.evaluate_in(param.default, scope.parent, defs[0].order)
    if value.kind == "unknown" or value.depends_on_origin:
        return None
    shown = ctx.text(param.default, 40)
    return replace(_defaulted(value), text=f"{node.value} (parameter default {shown})")


def _defaulted(value: Value) -> Value:
    return replace(value, from_default=True, items=tuple(_defaulted(i) for i in value.items))


def positional(call: cst.Call) -> list[cst.Arg]:
    return [a for a in call.args if a.keyword is None and not a.star]
