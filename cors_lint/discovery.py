"""Turn command-line paths into the list of files to lint.

Directories are walked recursively for ``*.py`` files, skipping excluded
directories and files.  Files named explicitly are always linted, whatever
their extension, unless ``force_exclude`` is set (pre-commit passes every
staged file by name, so its hook needs it).

Exclude patterns are globs (``fnmatch``).  A pattern without ``/`` matches
any single path component (``.venv``, ``*_pb2.py``); a pattern with ``/``
matches the path relative to the project root (``tests/fixtures``,
``src/*/generated``), and also everything below a matching directory.

``ignored`` (``gitignore.GitIgnore().ignored``, unless
``--no-respect-gitignore``) prunes what git ignores from directory walks;
like excludes, it applies to explicitly named files only with
``force_exclude``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

Ignored = Callable[[str, bool], bool]  # (path, is_dir) -> skip it?

PYTHON_SUFFIXES = (".py",)


class Discovered:
    """The files to lint, and the arguments and directories that gave none.

    A plain class: every run imports this module, and ``dataclasses``
    would cost more than the walk of a pre-commit call."""

    def __init__(self) -> None:
        self.files: list[str] = []
        self.missing: list[str] = []  # arguments that do not exist
        self.unreadable: list[tuple[str, str]] = []  # (directory, reason)


def display_path(path: str, cwd: Path | None = None) -> str:
    """The path as the user should see it: relative to cwd when under it."""
    cwd = cwd or Path.cwd()
    if os.path.isabs(path):
        try:
            return Path(path).relative_to(cwd).as_posix()
        except ValueError:
            return Path(path).as_posix()
    return PurePosixPath(os.path.normpath(path).replace(os.sep, "/")).as_posix()


_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F)}
_CONTROL.update({ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"})


def printable_path(path: str) -> str:
    """``path`` with control characters escaped (``new\\nline.py``), so a
    file name with a line break still gives one line of text output."""
    return path.translate(_CONTROL) if not path.isprintable() else path


def _relative_to_root(path: str, root: Path) -> str:
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return absolute.as_posix()


def is_excluded(path: str, patterns: Iterable[str], root: Path, ancestors: bool = True) -> bool:
    """Does any pattern exclude ``path`` (a file or directory)?

    With ``ancestors=False`` component patterns test only the last component
    (the walk has already pruned excluded parents, and a directory named on
    the command line is linted even if its own name is excluded)."""
    patterns = tuple(patterns)
    if not ancestors and not any("/" in p.rstrip("/") for p in patterns):
        # the walk's common case: only the last component matters, and
        # making the path relative (pathlib) costs more than the matching
        name = os.path.basename(os.path.normpath(path))
        return any(fnmatchcase(name, p.rstrip("/")) for p in patterns if p.rstrip("/"))
    relative = _relative_to_root(path, root)
    parts = [p for p in relative.split("/") if p not in ("", ".")]
    if not ancestors:
        parts = parts[-1:]
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        if not pattern:
            continue
        if "/" in pattern:
            pattern = pattern[2:] if pattern.startswith("./") else pattern
            if fnmatchcase(relative, pattern) or fnmatchcase(relative, pattern + "/*"):
                return True
        elif any(fnmatchcase(part, pattern) for part in parts):
            return True
    return False


def _walk(
    directory: str, patterns: tuple[str, ...], root: Path, out: Discovered, ignored: Ignored | None = None
) -> Iterable[str]:
    """Python files below ``directory`` (symlinked directories are not followed,
    so link loops cannot trap the walk; a ``*.py`` name that is a link loop
    is listed and fails to read with its own COR900).  Unreadable
    directories are recorded."""

    def onerror(exc: OSError) -> None:
        out.unreadable.append((display_path(exc.filename or directory), exc.strerror or str(exc)))

    for current, dirnames, filenames in os.walk(directory, onerror=onerror):
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not is_excluded(os.path.join(current, d), patterns, root, ancestors=False)
            and not (ignored and ignored(os.path.join(current, d), True))
        )
        for name in sorted(filenames):
            if not name.endswith(PYTHON_SUFFIXES):
                continue
            full = os.path.join(current, name)
            # Not only regular files: a symlink loop, a dangling link, a file
            # that vanished since the listing or a FIFO is handed on too, so
            # reading it reports one clear line instead of silence.
            if not is_excluded(full, patterns, root, ancestors=False):
                if not (ignored and ignored(full, False)):
                    yield full


def discover(
    paths: Iterable[str],
    excludes: tuple[str, ...],
    root: Path,
    force_exclude: bool = False,
    ignored: Ignored | None = None,
) -> Discovered:
    out = Discovered()
    seen: set[str] = set()

    def add(path: str) -> None:
        shown = display_path(path)
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            out.files.append(shown)

    for arg in paths:
        if not os.path.lexists(arg):
            out.missing.append(arg)
            continue
        if os.path.isdir(arg):
            # The directory itself is only skipped when excludes are forced:
            # ``cors-lint build/`` means "lint build/".
            if force_exclude and is_excluded(arg, excludes, root):
                continue
            if force_exclude and ignored and ignored(arg, True):
                continue
            for found in _walk(arg, excludes, root, out, ignored):
                add(found)
        else:
            if force_exclude and (is_excluded(arg, excludes, root) or (ignored and ignored(arg, False))):
                continue
            add(arg)
    return out
