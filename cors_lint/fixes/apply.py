"""Apply one ``Fix`` to a module's text with libcst (see ``findings.Edit``)."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from ..findings import Edit, Fix, Span


class FixError(Exception):
    """The fix cannot be applied safely; the message says why."""


def _within(pos, region: Span) -> bool:
    start = (pos.start.line, pos.start.column)
    end = (pos.end.line, pos.end.column)
    return (region.line, region.col) <= start and end <= (region.end_line, region.end_col)


def _string_value(node: cst.SimpleString) -> str | None:
    try:
        value = node.evaluated_value
    except Exception:  # noqa: BLE001 - an odd literal is simply not a match
        return None
    if isinstance(value, bytes):
        try:
            return value.decode("latin-1")
        except UnicodeDecodeError:  # pragma: no cover - latin-1 decodes everything
            return None
    return value


class _Collect(cst.CSTVisitor):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self) -> None:
        super().__init__()
        self.names: list[tuple[cst.Name, object, str]] = []  # node, position, role
        self.strings: list[tuple[cst.SimpleString, object]] = []
        self._role: dict[int, str] = {}  # id(Name) -> "keyword" | "target"
        self.dict_keys: dict[int, set[str]] = {}  # id(string key) -> every key of its dict
        self.subscript_keys: set[str] = set()  # strings used as subscripts: config["KEY"]
        self.subscript_nodes: set[int] = set()
        self.targets: set[str] = set()  # names assigned anywhere

    def visit_Dict(self, node: cst.Dict) -> None:
        keys = [el.key for el in node.elements if isinstance(el, cst.DictElement)]
        values = {v for v in (_string_value(k) for k in keys if isinstance(k, cst.SimpleString)) if v is not None}
        for key in keys:
            self.dict_keys[id(key)] = values

    def visit_SubscriptElement(self, node: cst.SubscriptElement) -> None:
        if isinstance(node.slice, cst.Index) and isinstance(node.slice.value, cst.SimpleString):
            value = _string_value(node.slice.value)
            if value is not None:
                self.subscript_keys.add(value)
                self.subscript_nodes.add(id(node.slice.value))

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._role[id(node.keyword)] = "keyword"

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        if isinstance(node.target, cst.Name):
            self._role[id(node.target)] = "target"
            self.targets.add(node.target.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if isinstance(node.target, cst.Name):
            self._role[id(node.target)] = "target"

    def visit_Name(self, node: cst.Name) -> None:
        self.names.append((node, self.get_metadata(PositionProvider, node), self._role.get(id(node), "")))

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        self.strings.append((node, self.get_metadata(PositionProvider, node)))


class _Replace(cst.CSTTransformer):
    def __init__(self, replacements: dict[int, cst.BaseExpression]) -> None:
        self.replacements = replacements

    def on_leave(self, original_node, updated_node):
        replacement = self.replacements.get(id(original_node))
        return replacement if replacement is not None else updated_node


def _target(edit: Edit, found: _Collect) -> cst.CSTNode:
    if edit.kind == "option":
        names = [n for n, pos, role in found.names if n.value == edit.old and _within(pos, edit.region)]
        strings = [n for n, pos in found.strings if _string_value(n) == edit.old and _within(pos, edit.region)]
        if names and strings:
            raise FixError(f"{edit.old!r} appears both as a name and as a string in the finding's span")
        edit = Edit(edit.region, "name" if names or not strings else "string", edit.old, edit.new, edit.unique)
    if edit.kind == "name":
        candidates = [(n, role) for n, pos, role in found.names if n.value == edit.old and _within(pos, edit.region)]
        if len(candidates) > 1:  # `origin=origin`: the name being renamed is the keyword or the target
            candidates = [(n, role) for n, role in candidates if role in ("keyword", "target")]
        nodes = [n for n, _ in candidates]
    elif edit.kind == "string":
        nodes = [n for n, pos in found.strings if _string_value(n) == edit.old and _within(pos, edit.region)]
        if edit.unique and sum(1 for n, _ in found.strings if _string_value(n) == edit.old) != 1:
            raise FixError(f"{edit.old!r} is used in more than one place")
    else:
        raise FixError(f"unknown edit kind {edit.kind!r}")
    if len(nodes) != 1:
        raise FixError(f"{'no' if not nodes else 'more than one'} {edit.old!r} in the finding's span")
    return nodes[0]


def _replacement(edit: Edit, node: cst.CSTNode) -> cst.BaseExpression:
    if edit.kind == "name":
        if edit.new.isidentifier():
            return node.with_changes(value=edit.new)
        return cst.parse_expression(edit.new)
    assert isinstance(node, cst.SimpleString)
    if any(ch in edit.new for ch in "\\'\"\r\n"):
        raise FixError("the replacement would need escaping")
    prefix, quote = node.prefix, node.quote
    return node.with_changes(value=f"{prefix}{quote}{edit.new}{quote}")


def _already_set(node: cst.CSTNode, new: str, found: _Collect) -> bool:
    """Would renaming ``node`` to ``new`` collide with an existing option?

    A repeated keyword argument does not compile (checked after the fix);
    a repeated dict key, setting or config key would silently win."""
    if isinstance(node, cst.Name):
        role = next((role for n, _, role in found.names if n is node), "")
        return role != "keyword" and new in found.targets
    if id(node) in found.dict_keys:
        return new in found.dict_keys[id(node)]
    if id(node) in found.subscript_nodes:
        return new in found.subscript_keys
    return any(_string_value(n) == new for n, _ in found.strings)


class _Statements(cst.CSTVisitor):
    """Simple statement lines of one small statement, with their positions."""

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[tuple[cst.SimpleStatementLine, object]] = []

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        if len(node.body) == 1:
            self.lines.append((node, self.get_metadata(PositionProvider, node.body[0])))


class _InsertAfter(cst.CSTTransformer):
    def __init__(self, anchor: cst.SimpleStatementLine, new: cst.SimpleStatementLine) -> None:
        self.anchor, self.new, self.done = anchor, new, False

    def _insert(self, body):
        out = []
        for stmt in body:
            out.append(stmt)
            if stmt is self.anchor:
                out.append(self.new)
                self.done = True
        return out

    def leave_IndentedBlock(self, original_node, updated_node):
        if any(stmt is self.anchor for stmt in original_node.body):
            return updated_node.with_changes(body=self._insert(original_node.body))
        return updated_node

    def leave_Module(self, original_node, updated_node):
        if any(stmt is self.anchor for stmt in original_node.body):
            return updated_node.with_changes(body=self._insert(original_node.body))
        return updated_node


def _add_vary(wrapper: MetadataWrapper, edit: Edit) -> cst.Module:
    from .vary import vary_statement

    statements = _Statements()
    wrapper.visit(statements)
    region = edit.region
    lines = [
        line for line, pos in statements.lines
        if (pos.start.line, pos.start.column, pos.end.line, pos.end.column)
        == (region.line, region.col, region.end_line, region.end_col)
    ]
    if len(lines) != 1:
        raise FixError("the header write is not a statement of its own")
    code = vary_statement(wrapper.module, lines[0].body[0], edit.new)
    if code is None:
        raise FixError("no known way to add Vary for this framework or write")
    inserter = _InsertAfter(lines[0], cst.parse_statement(code))
    module = wrapper.module.visit(inserter)
    if not inserter.done:
        raise FixError("the header write is not in a block")
    return module


def apply_fix(module: cst.Module, fix: Fix) -> cst.Module:
    """The module with ``fix`` applied; raises ``FixError`` when it cannot be."""
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    if any(edit.kind == "vary" for edit in fix.edits):
        if len(fix.edits) != 1:
            raise FixError("a Vary fix is one edit")
        return _add_vary(wrapper, fix.edits[0])
    found = _Collect()
    wrapper.visit(found)
    replacements = {}
    for edit in fix.edits:
        node = _target(edit, found)
        if edit.kind == "option" and _already_set(node, edit.new, found):
            # a second `allowed_origins` key would silently override the first
            raise FixError(f"{edit.new!r} is already set here")
        if edit.kind == "option":
            edit = Edit(edit.region, "name" if isinstance(node, cst.Name) else "string", edit.old, edit.new)
        replacements[id(node)] = _replacement(edit, node)
    return wrapper.module.visit(_Replace(replacements))
