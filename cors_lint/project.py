"""Standalone-mode knowledge of the whole project (not available under flake8).

``Project`` maps dotted module names to files under the project root and
loads other modules on demand, so facts can use constants imported from
sibling modules (``from .config import ALLOWED_ORIGINS``) and follow
``from .base import *`` chains of Django settings packages.

It is lazy and cheap on purpose: nothing is read until a linted file refers
to another module, questions that the names a module binds answer are
answered from Python's parser or the text alone (``outline.py``), each
module that must be analysed is parsed and indexed once (cached, failures
included), and no module is ever executed.  Each one is
parsed through ``parsing.parse_guarded``, with the same size, syntax and
nesting budgets as the files being linted: a sibling module is just as
able to crash or stall libcst's parser.  Cycles
(``a`` star-imports ``b`` which imports ``a``) end as "unknown".  Under
flake8 (one file at a time, in worker processes) no Project exists and such
values stay unknown.
"""

from __future__ import annotations

from collections import namedtuple
from pathlib import Path

# Every CLI run creates a Project, so importing this module must stay cheap:
# no dataclasses (they import ``inspect``), no typing at run time.
TYPE_CHECKING = False
if TYPE_CHECKING:  # the facts layer loads only when a file is analysed
    from typing import Callable, Iterable

    from .facts.model import Value

MAX_MODULE_BYTES = 2 * 1024 * 1024


class _Options:
    """The slice of ``EngineOptions`` a ``ModuleContext`` reads."""

    def __init__(self, project: Project, trusted_validators: tuple[str, ...] = ()) -> None:
        self.project = project
        self.trusted_validators = trusted_validators


class Inherited(namedtuple("Inherited", ("name", "value", "module"))):
    """A module-level value a module receives through ``import *``:
    ``module`` is the star-imported module as written (``.base``)."""

    __slots__ = ()


class Project:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).resolve()
        self._contexts: dict[Path, object | None] = {}
        self._values: dict[tuple[Path, str], Value | None] = {}
        self._active: set[tuple[Path, str]] = set()
        self._paths: dict[tuple[str, str], Path | None] = {}  # (module, importing dir) -> file
        self._importers: dict[tuple[Path, str], list[Path]] = {}
        self._stores_found: dict[tuple[Path, str], list[Path]] = {}  # (directory, key) -> files storing it
        # files of this run (resolved path -> the path as shown): a finding
        # about an entry written in one of them is reported there
        self.linted: dict[str, str] = {}
        self._resolved: dict[object, Path] = {}
        self._outlines: dict[Path, object | None] = {}
        self._functions: dict[Path, set[str]] = {}  # names after "def" in a module's text
        # the text and ``ast`` tree of the module last outlined, handed to
        # ``context`` when it is asked for that module next (it usually is)
        self._parsed_ahead: tuple[Path, str, object] | None = None

    def _real(self, path: str | Path) -> Path:
        """``Path(path).resolve()``, cached: value tracing asks for the same
        few modules thousands of times, and each resolve is a system call
        per path component."""
        real = self._resolved.get(path)
        if real is None:
            real = self._resolved[path] = Path(path).resolve()
        return real

    # -- module names to files ---------------------------------------------
    def module_path(self, dotted: str, from_path: str | Path | None = None) -> Path | None:
        """The file of module ``dotted`` (``pkg.mod``, or relative
        ``.base`` / ``..conf`` resolved against ``from_path``).  Answers
        are cached: evaluators ask about every dotted name they meet
        (``request.headers`` included), and most are no project module."""
        key = (dotted, str(Path(from_path).parent) if from_path is not None else "")
        if key not in self._paths:
            self._paths[key] = self._module_path(dotted, from_path)
        return self._paths[key]

    def _module_path(self, dotted: str, from_path: str | Path | None) -> Path | None:
        dots = len(dotted) - len(dotted.lstrip("."))
        parts = [p for p in dotted[dots:].split(".") if p]
        if dots:
            if from_path is None:
                return None
            base = Path(from_path).resolve().parent
            for _ in range(dots - 1):
                base = base.parent
            return _module_file(base, parts)
        for root in self._search_roots(from_path):
            found = _module_file(root, parts)
            if found is not None:
                return found
        return _enclosing_package_module(parts, from_path)

    def _search_roots(self, from_path: str | Path | None) -> list[Path]:
        roots = [self.root, self.root / "src"]
        if from_path is not None:
            here = Path(from_path).resolve().parent
            roots.append(here)  # flat projects: "from config import X" next to app.py
            top = here
            while (top / "__init__.py").is_file() and top.parent != top:
                top = top.parent
                # a package inside a package-like directory ("apps/" with an
                # __init__.py next to manage.py): names resolve from each level
                roots.append(top)
        seen: list[Path] = []
        for r in roots:
            if r not in seen:
                seen.append(r)
        return seen

    # -- loading -------------------------------------------------------------
    def context(self, path: Path):
        """The ``ModuleContext`` of a project file (parsed once), or None
        when it cannot be read or parsed."""
        path = self._real(path)
        if path in self._contexts:
            return self._contexts[path]
        self._contexts[path] = None  # also stops re-entry while loading
        ctx = None
        from .parsing import ParseRefused, parse_guarded

        ahead, self._parsed_ahead = self._parsed_ahead, None
        try:
            if ahead is not None and ahead[0] == path:
                text, tree = ahead[1], ahead[2]  # read and checked by _outline
            else:
                text, tree = self._read(path), None
            if text is not None:
                from .facts.context import ModuleContext

                module, tree = parse_guarded(text, tree)
                ctx = ModuleContext(module, str(path), _Options(self), tree)
        except (OSError, ValueError, ParseRefused, RecursionError):
            ctx = None
        self._contexts[path] = ctx
        return ctx

    @staticmethod
    def _read(path: Path) -> str | None:
        """The text of a project module, or None when it is too large to
        load (raises ``OSError``/``ValueError`` when unreadable)."""
        from .engine import decode_source

        data = path.read_bytes()
        return decode_source(data) if len(data) <= MAX_MODULE_BYTES else None

    def _outline(self, path: Path):
        """The names ``path`` binds (``outline.Outline``, cached), from
        Python's parser and the same guards as ``context``; None when the
        module cannot be loaded, exactly when ``context`` gives None
        because it cannot be read or Python refuses it."""
        if path in self._outlines:
            return self._outlines[path]
        from .outline import Outline
        from .parsing import ParseRefused, check_guards

        outline = None
        try:
            text = self._read(path)
            if text is not None:
                tree = check_guards(text)
                outline = Outline(tree)
                self._parsed_ahead = (path, text, tree)
        except (OSError, ValueError, ParseRefused, RecursionError):
            outline = None
        self._outlines[path] = outline
        return outline

    def function_returns(self, path: Path, name: str) -> list | None:
        """The shapes of what top-level function ``name`` of module ``path``
        returns (``Outline.function_returns``), from Python's parser
        alone; None when the outline cannot tell or the module is loaded
        already (its index answers better)."""
        path = self._real(path)
        if path in self._contexts or not name.isascii():
            return None
        outline = self._outline(path)
        return outline.function_returns(name) if outline is not None else None

    def may_define_function(self, path: Path, name: str) -> bool:
        """False when module ``path`` certainly defines no function
        ``name`` (nothing to evaluate there, so it is not loaded), or
        cannot be loaded at all."""
        path = self._real(path)
        if path in self._contexts or not name.isascii():
            return True  # loaded already (the index answers at no cost), or a name the text test does not cover
        if path not in self._functions:
            from .outline import defined_functions

            try:
                text = self._read(path)
            except (OSError, ValueError):
                text = None
            self._functions[path] = defined_functions(text) if text is not None else set()
        return name in self._functions[path]

    # -- constants -----------------------------------------------------------
    def resolve_constant(self, qualified: str, from_path: str) -> Value | None:
        """The ``Value`` of a module-level constant ``pkg.mod.NAME`` (or
        relative ``.mod.NAME``) defined in a project file, or None when
        unknown.  The value carries no source positions: they would point
        into another file."""
        dots = len(qualified) - len(qualified.lstrip("."))
        parts = qualified[dots:].split(".")
        if not parts or not parts[-1]:
            return None
        name = parts[-1]
        module = "." * dots + ".".join(parts[:-1])
        if not module:
            return None
        path = self.module_path(module, from_path)
        if path is None:
            return None
        return self.module_constant(path, name)

    def module_constant(self, path: Path, name: str) -> Value | None:
        """A module-level name of a project file: its own assignment, an
        import (followed), or a name it receives through ``import *``."""
        key = (self._real(path), name)
        if key in self._values:
            return self._values[key]
        if key in self._active:
            return None  # a cycle
        self._active.add(key)
        try:
            value = self._module_constant(key[0], name)
        finally:
            self._active.discard(key)
        self._values[key] = value
        return value

    def _module_constant(self, path: Path, name: str) -> Value | None:
        if path not in self._contexts and name.isascii():
            # a class, a function or a name not bound there: unknown, and
            # no need to load the module to find that out (Python's parser
            # spells names in NFKC form, libcst as written: the same for
            # ASCII names)
            outline = self._outline(path)
            if outline is None or outline.constant_is_unknown(name):
                return None
            stmt = outline.literal_binding(name)
            if stmt is not None:
                value = self._literal_value(path, stmt, name)
                if value is not False:
                    return value
        ctx = self.context(path)
        if ctx is None:
            return None
        if name in ctx.index.module_scope.assignments:
            return _portable(ctx.evaluate(_name(name)))
        for star in reversed(ctx.index.imports.star_imports):
            target = self.module_path(star, path)
            if target is not None:
                value = self.module_constant(target, name)
                if value is not None:
                    return value
        return None

    def _literal_value(self, path: Path, stmt, name: str):
        """The value of ``name`` bound by the literal statement ``stmt``
        alone (``Outline.literal_binding``): that statement is parsed and
        evaluated by itself, which gives what the whole module would (a
        literal's value depends on nothing else, and positions are dropped
        anyway).  False when the statement cannot be taken on its own."""
        from .lines import physical_lines
        from .parsing import ParseRefused, parse_guarded

        try:
            text = self._read(path)
            if text is None:
                return False
            segment = "".join(physical_lines(text, keepends=True)[stmt.lineno - 1 : stmt.end_lineno])
            module, tree = parse_guarded(segment)
        except (OSError, ValueError, ParseRefused, RecursionError):
            return False
        from .facts.context import ModuleContext

        ctx = ModuleContext(module, str(path), _Options(self), tree)
        try:
            if name not in ctx.index.module_scope.assignments:
                return False
            return _portable(ctx.evaluate(_name(name)))
        finally:
            ctx.release()  # the value keeps no reference to it

    def star_imported_constant(self, from_path: str | Path, star_modules: Iterable[str], name: str) -> Value | None:
        """A name a module receives only through its ``import *`` lines (the
        last star import that provides it wins), or None.  For evaluators
        meeting a name that is bound nowhere in the module itself."""
        for star in reversed(list(star_modules)):
            target = self.module_path(star, from_path)
            if target is not None:
                value = self.module_constant(target, name)
                if value is not None:
                    return value
        return None

    # -- settings chains -------------------------------------------------------
    def settings_importers(self, path: Path, name: str) -> list[Path]:
        """Modules in the same directory that build on ``path``: they
        ``import *`` from it or import ``name`` from it (the production
        settings built on a base module).  Only files that mention ``import``
        and ``name`` (or ``import *``) are parsed; answers are cached."""
        path = path.resolve()
        key = (path, name)
        if key in self._importers:
            return self._importers[key]
        found: list[Path] = []
        try:
            siblings = sorted(p for p in path.parent.glob("*.py") if p.resolve() != path)
        except OSError:
            siblings = []
        for sibling in siblings:
            try:
                data = sibling.read_bytes()
            except OSError:
                continue
            if b"import *" not in data and name.encode() not in data:
                continue
            ctx = self.context(sibling)
            if ctx is None:
                continue
            imports = ctx.index.imports
            modules = list(imports.star_imports) + [q.rpartition(".")[0] for q in imports.qualify(_name(name)) if q != name]
            if any(m and self.module_path(m, sibling) == path for m in modules):
                found.append(sibling.resolve())
        self._importers[key] = found
        return found

    # -- request-scoped stores of other modules ---------------------------------
    def request_store_modules(self, from_path: str | Path, key: str) -> list:
        """Module contexts of the package around ``from_path`` that store
        the request-scoped ``key`` (``g.origin``, ``request.context.embed``:
        ``sources.stored_key``): the other modules of its directory and the
        ``__init__.py`` of each enclosing package, where middleware and
        ``before_request`` hooks live."""
        path = self._real(from_path)
        found = []
        for store in self._store_paths(path.parent, key):
            ctx = self.context(store) if store != path else None
            if ctx is not None:
                found.append(ctx)
        return found

    def _store_paths(self, directory: Path, key: str) -> list[Path]:
        """The files of ``request_store_modules`` for ``directory``, found
        by their text (only files that assign the attribute or key are
        parsed later); cached per directory and key, whoever asks."""
        cached = self._stores_found.get((directory, key))
        if cached is not None:
            return cached
        import re

        attr = re.escape((key[key.index("[") + 1 : -1] if key.endswith("]") else key.rsplit(".", 1)[-1]).encode())
        assigns = re.compile(rb"(?:\." + attr + rb"|\[\s*['\"]" + attr + rb"['\"]\s*\])\s*=(?!=)")
        try:
            candidates = sorted(directory.glob("*.py"))
        except OSError:
            candidates = []
        package = directory
        while (package / "__init__.py").is_file() and package != package.parent:
            package = package.parent
            if (package / "__init__.py").is_file():
                candidates.append(package / "__init__.py")
        found = []
        for candidate in candidates:
            try:
                if assigns.search(candidate.read_bytes()) is not None:
                    found.append(self._real(candidate))
            except OSError:
                continue
        self._stores_found[(directory, key)] = found
        return found

    def inherited_assignments(
        self,
        from_path: str | Path,
        star_modules: Iterable[str],
        accept: Callable[[str], bool] = lambda name: True,
    ) -> dict[str, Inherited]:
        """Module-level names a module receives from its ``import *`` lines
        (later star imports override earlier ones; each star-imported module
        contributes what it inherits itself, overridden by its own
        assignments).  Only names passing ``accept`` are evaluated."""
        out: dict[str, Inherited] = {}
        for star in star_modules:
            target = self.module_path(star, from_path)
            if target is None:
                continue
            for name, value in self._effective(target, accept, set()).items():
                out[name] = Inherited(name, value, star)
        return out

    def module_assignments_with_star_imports(self, path: str | Path, accept: Callable[[str], bool] = lambda name: True) -> dict[str, Value]:
        """The effective module-level values of a settings module: what it
        inherits through ``from .base import *`` chains, overridden by its
        own assignments."""
        return self._effective(Path(path).resolve(), accept, set())

    def _effective(self, path: Path, accept: Callable[[str], bool], seen: set[Path]) -> dict[str, Value]:
        path = path.resolve()
        if path in seen:
            return {}
        seen = seen | {path}
        ctx = self.context(path)
        if ctx is None:
            return {}
        out: dict[str, Value] = {}
        for star in ctx.index.imports.star_imports:
            target = self.module_path(star, path)
            if target is not None:
                out.update(self._effective(target, accept, seen))
        public = _dunder_all(ctx)
        for name, defs in ctx.index.module_scope.assignments.items():
            if not accept(name) or name.startswith("_") or (public is not None and name not in public):
                continue
            if not any(d.kind in ("assign", "aug", "import") for d in defs):
                continue
            value = self.module_constant(path, name)
            if value is not None:
                out[name] = value
        return out


def _enclosing_package_module(parts: list[str], from_path: str | Path | None) -> Path | None:
    """``crm.widget_middleware`` named from ``<somewhere>/crm/settings.py``:
    the top package is a directory the naming file itself lives in, so the
    module is looked up from that directory's parent.  This covers projects
    linted from above their import root (``cors-lint services/``) and
    namespace packages without ``__init__.py``, where the walk up through
    ``__init__.py`` files in ``_search_roots`` stops early."""
    if from_path is None or not parts:
        return None
    for directory in Path(from_path).resolve().parents:
        if directory.name == parts[0]:
            return _module_file(directory.parent, parts)
    return None


def _module_file(base: Path, parts: list[str]) -> Path | None:
    target = base.joinpath(*parts) if parts else base
    candidates = [target / "__init__.py"] if not parts else [target.with_name(target.name + ".py"), target / "__init__.py"]
    for c in candidates:
        if c.is_file():
            return c.resolve()
    return None


def _portable(value: Value) -> Value | None:
    """Drop positions (they belong to the other file); unknown is None."""
    from .facts.value_ops import strip_spans

    if value.kind == "unknown":
        return None
    return strip_spans(value)


def _dunder_all(ctx) -> set[str] | None:
    defs = ctx.index.module_scope.assignments.get("__all__")
    if not defs:
        return None
    value = ctx.evaluate(_name("__all__"))
    if value.kind != "seq":
        return None
    names = {i.str_value() for i in value.items}
    if None in names:
        return None
    return {n for n in names if n}


def _name(name: str):
    import libcst as cst

    return cst.Name(name)
