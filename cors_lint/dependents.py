"""``--with-dependents``: the project files a change can affect, found from raw text.

pre-commit passes only the changed files.  A change that widens a constant
in ``settings.py`` (``ALLOWED_ORIGINS = ["*"]``) produces its finding in the
module that hands that constant to the CORS middleware, which did not
change.  So, besides the given files, this lints:

* the files that import a changed module (one hop): ``import pkg.settings``,
  ``from pkg import settings``, ``from pkg.settings import X``,
  ``from .settings import X``, ``from . import settings``;
* settings star-import chains: a module that does ``from .base import *``
  of a changed module inherits every name of it, so it counts as changed
  itself (followed to any length), and its importers are dependents too.

Nothing is parsed: files are read as bytes, skipped unless they contain the
changed module's last name, and import lines are matched with a regular
expression.  The project root is the nearest directory above the changed
files holding ``pyproject.toml``, ``setup.cfg`` or ``.git``.  Dependents
still go through the pre-filter like every other file, so the ones without
CORS code cost only the read.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .discovery import discover

TYPE_CHECKING = False  # the pre-commit hook imports this module on every call
if TYPE_CHECKING:
    from typing import Iterable

ROOT_MARKERS = ("pyproject.toml", "setup.cfg", ".git")

_FROM = re.compile(rb"^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(\(?)([^\n#]*)", re.M)
_IMPORT = re.compile(rb"^[ \t]*import[ \t]+([^\n#;]+)", re.M)


def project_root(start: str | Path) -> Path:
    """The nearest directory at or above ``start`` with a root marker, else
    ``start``'s directory."""
    here = Path(os.path.abspath(start))
    if not here.is_dir():
        here = here.parent
    for candidate in (here, *here.parents):
        if any((candidate / marker).exists() for marker in ROOT_MARKERS):
            return candidate
    return here


def module_names(path: Path, root: Path) -> set[str]:
    """Dotted names under which ``path`` can be imported: relative to the
    root, to ``root/src``, and to the top of its package (``__init__.py``
    chain)."""
    path = Path(os.path.abspath(path))
    parts_of = []
    for base in (root, root / "src"):
        try:
            parts_of.append(path.relative_to(base).with_suffix("").parts)
        except ValueError:
            pass
    top = path.parent
    while (top / "__init__.py").is_file() and top.parent != top:
        top = top.parent
    parts_of.append(path.relative_to(top).with_suffix("").parts)
    names = set()
    for parts in parts_of:
        if parts and parts[-1] == "__init__":
            parts = parts[:-1]
        if parts and all(p.isidentifier() for p in parts):
            names.add(".".join(parts))
    return names


def _key(dots: int, dotted: str, importer: Path) -> str:
    """How an import line names a module: absolute imports as the dotted
    name, relative ones as ``<directory>:<last name>`` (``from ..conf
    import settings`` and ``conf/settings.py`` meet on the same key)."""
    if not dots:
        return dotted
    base = importer.parent
    for _ in range(dots - 1):
        base = base.parent
    parts = [p for p in dotted.split(".") if p]
    if not parts:
        return f"{base}:"
    return f"{base.joinpath(*parts[:-1])}:{parts[-1]}"


def _imported_modules(data: bytes, importer: Path) -> set[str]:
    """Every module an import line of ``data`` may refer to (a ``from X
    import a, b`` line names ``X``, ``X.a`` and ``X.b``, since ``a`` may be
    a submodule)."""
    found: set[str] = set()
    for match in _FROM.finditer(data):
        dots = len(match.group(1))
        module = match.group(2).decode("ascii", "replace")
        names = match.group(4)
        if match.group(3):  # parenthesised: names may continue on later lines
            names = data[match.start(4) : match.start(4) + 2000].split(b")", 1)[0]
        found.add(_key(dots, module, importer))
        for raw in re.split(rb"[,\s()]+", names):
            name = raw.decode("ascii", "replace")
            if name.isidentifier() and name != "as":
                found.add(_key(dots, f"{module}.{name}" if module else name, importer))
    for match in _IMPORT.finditer(data):
        for item in match.group(1).split(b","):
            words = item.split()
            if words:
                found.add(words[0].decode("ascii", "replace"))
    return found


def _star_imports(data: bytes, importer: Path) -> set[str]:
    return {
        _key(len(m.group(1)), m.group(2).decode("ascii", "replace"), importer)
        for m in _FROM.finditer(data)
        if m.group(4).strip().startswith(b"*")
    }


def _keys(path: Path, root: Path) -> set[str]:
    """How import lines may name ``path``: dotted names, and the
    directory-relative forms ``_resolve`` produces."""
    keys = set(module_names(path, root))
    stem = path.parent if path.name == "__init__.py" else path.with_suffix("")
    keys.add(f"{stem.parent}:{stem.name}")
    if path.name == "__init__.py":
        keys.add(f"{path.parent}:")
    return keys


def find_dependents(changed: Iterable[str], excludes: tuple[str, ...], root: Path | None = None) -> list[str]:
    """Project files (display paths) that import a changed file, or inherit
    from one through ``import *`` chains; the changed files excluded."""
    changed_paths = [Path(os.path.abspath(p)) for p in changed if p.endswith((".py", ".pyi"))]
    if not changed_paths:
        return []
    root = root or project_root(changed_paths[0])
    files = discover([str(root)], excludes, root).files
    texts: dict[Path, bytes] = {}
    for shown in files:
        path = Path(os.path.abspath(shown))
        try:
            texts[path] = path.read_bytes()
        except OSError:
            continue

    # changed modules, grown along star-import chains
    affected = set(changed_paths)
    keys: set[str] = set().union(*(_keys(p, root) for p in affected))
    grew = True
    while grew:
        grew = False
        for path, data in texts.items():
            if path in affected or b"*" not in data:
                continue
            if _star_imports(data, path) & keys:
                affected.add(path)
                keys |= _keys(path, root)
                grew = True

    last_names = {k.rsplit(".", 1)[-1].rsplit(":", 1)[-1].encode() for k in keys}
    last_names.discard(b"")
    out = set(affected) - set(changed_paths)
    for path, data in texts.items():
        if path in affected or not any(name in data for name in last_names):
            continue
        if _imported_modules(data, path) & keys:
            out.add(path)
    shown = {Path(os.path.abspath(f)): f for f in files}
    return sorted(shown[p] for p in out if p in shown)


def with_dependents(files: list[str], excludes: tuple[str, ...]) -> list[str]:
    """``files`` followed by their dependents (each file once)."""
    seen = {os.path.realpath(f) for f in files}
    out = list(files)
    roots: dict[Path, list[str]] = {}
    for f in files:
        roots.setdefault(project_root(f), []).append(f)
    for root, changed in roots.items():
        for dependent in find_dependents(changed, excludes, root):
            key = os.path.realpath(dependent)
            if key not in seen:
                seen.add(key)
                out.append(dependent)
    return out
