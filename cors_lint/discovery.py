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

import fnmatch
import os
import re
from collections.abc import Callable
from fnmatch import fnmatchcase
from functools import lru_cache
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
        # each file's real path (symlinks resolved) -> the path shown for it
        self.real_paths: dict[str, str] = {}


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


def _shown(path: str, cwd: str) -> str:
    """``display_path`` for a path found by the walk, with string operations
    (pathlib costs more than the rest of the walk)."""
    if os.path.isabs(path):
        prefix = cwd.rstrip(os.sep) + os.sep
        if path.startswith(prefix):
            return path[len(prefix):].replace(os.sep, "/")
        return display_path(path, Path(cwd))
    return display_path(path)


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


@lru_cache(maxsize=64)
def _name_matcher(patterns: tuple[str, ...]) -> Callable[[str], object] | None:
    """One compiled regular expression for a set of component patterns
    (``fnmatchcase`` of each, as one ``match``), or None when a pattern has
    a ``/`` and needs the relative path."""
    stripped = [p.rstrip("/") for p in patterns]
    if any("/" in p for p in stripped):
        return None
    alternatives = [fnmatch.translate(p) for p in stripped if p]
    if not alternatives:
        return lambda name: None
    return re.compile("|".join(f"(?:{a})" for a in alternatives)).match


def is_excluded(path: str, patterns: Iterable[str], root: Path, ancestors: bool = True) -> bool:
    """Does any pattern exclude ``path`` (a file or directory)?

    With ``ancestors=False`` component patterns test only the last component
    (the walk has already pruned excluded parents, and a directory named on
    the command line is linted even if its own name is excluded)."""
    patterns = tuple(patterns)
    if not ancestors:
        name_matcher = _name_matcher(patterns)
        if name_matcher is not None:
            # the walk's common case: only the last component matters, and
            # making the path relative (pathlib) costs more than the matching
            return name_matcher(os.path.basename(os.path.normpath(path))) is not None
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
) -> Iterable[tuple[str, bool]]:
    """(path, is a symlink) for the Python files below ``directory``, in
    sorted order, directory by directory (``os.walk``'s order).  Symlinked
    directories are not followed, so link loops cannot trap the walk; a
    ``*.py`` name that is a link loop is listed and fails to read with its
    own COR900.  Unreadable directories are recorded.  ``os.scandir`` says
    what each entry is without another system call per file.

    The walk costs a few microseconds a file, as much as reading it: when
    no exclude pattern needs the relative path, an entry's name is matched
    as it is, without building or normalising a path."""
    name_matcher = _name_matcher(patterns)

    def excluded(full: str, name: str) -> bool:
        if name_matcher is not None:
            return name_matcher(name) is not None
        return is_excluded(full, patterns, root, ancestors=False)

    stack = [directory]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as listing:
                entries = list(listing)
        except OSError as exc:
            out.unreadable.append((display_path(exc.filename or current), exc.strerror or str(exc)))
            continue
        files: list[tuple[str, bool]] = []
        subdirectories: list[str] = []
        for entry in entries:
            name = entry.name
            try:
                is_dir = entry.is_dir()
            except OSError:  # a link loop: handed on as a file when named *.py
                is_dir = False
            if is_dir:
                if entry.is_symlink():
                    continue  # not followed
                full = os.path.join(current, name)
                if not excluded(full, name) and not (ignored and ignored(full, True)):
                    subdirectories.append(full)
            elif name.endswith(PYTHON_SUFFIXES):
                # Not only regular files: a symlink loop, a dangling link, a
                # file that vanished since the listing or a FIFO is handed on
                # too, so reading it reports one clear line instead of silence.
                full = os.path.join(current, name)
                if not excluded(full, name) and not (ignored and ignored(full, False)):
                    files.append((full, entry.is_symlink()))
        files.sort()
        yield from files
        subdirectories.sort(reverse=True)
        stack.extend(subdirectories)


def discover(
    paths: Iterable[str],
    excludes: tuple[str, ...],
    root: Path,
    force_exclude: bool = False,
    ignored: Ignored | None = None,
) -> Discovered:
    out = Discovered()
    cwd = os.getcwd()

    def add(path: str, key: str) -> None:
        if key not in out.real_paths:
            shown = _shown(path, cwd)
            out.real_paths[key] = shown
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
            # The same file reached twice (overlapping arguments, a
            # symlinked directory named beside its target, a link to a
            # file) is linted once.  The walk follows no symlinked
            # directory, so below the argument only links to files need
            # resolving.
            # Every path the walk yields is the argument joined with names,
            # so its real path and the path shown for it are made from the
            # argument's, with string operations (pathlib and relpath cost
            # more per file than the rest of the walk).
            real = os.path.join(os.path.realpath(arg), "")
            shown = display_path(arg)
            shown = "" if shown == "." else shown if shown.endswith("/") else shown + "/"
            prefix = len(os.path.join(arg, ""))
            for found, is_link in _walk(arg, excludes, root, out, ignored):
                relative = found[prefix:]
                key = os.path.realpath(found) if is_link else real + relative
                if key not in out.real_paths:
                    out.real_paths[key] = shown + relative.replace(os.sep, "/")
                    out.files.append(out.real_paths[key])
        else:
            if force_exclude and (is_excluded(arg, excludes, root) or (ignored and ignored(arg, False))):
                continue
            add(arg, os.path.realpath(arg))
    return out
