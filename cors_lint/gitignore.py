"""What git ignores, so directory walks skip it (as ruff and black do).

Rules come from ``.git/info/exclude`` and every ``.gitignore`` from the
repository root down to the file's directory; a deeper file's rules come
later, and the last matching rule wins (``!pattern`` re-includes).  Matching
is ``pathspec``'s ``GitIgnoreSpec``, which implements git's wildmatch rules;
nothing here is hand-written glob logic.  The global excludes file
(``core.excludesFile``) is not read: cors-lint does not run git.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


@lru_cache(maxsize=None)
def _spec(path: str):
    """The compiled rules of one ignore file (None when absent or empty)."""
    import pathspec  # lazily: only directory walks need it

    lines = _read_lines(Path(path))
    return pathspec.GitIgnoreSpec.from_lines(lines) if any(l.strip() for l in lines) else None


@lru_cache(maxsize=None)
def repository_root(directory: str) -> str | None:
    """The nearest directory at or above ``directory`` holding ``.git``.
    Cached per directory and asked of the parent, so a walk stats one
    ``.git`` per directory rather than one per ancestor of every file."""
    if os.path.exists(os.path.join(directory, ".git")):
        return directory
    parent = os.path.dirname(directory)
    return None if parent == directory else repository_root(parent)


@lru_cache(maxsize=None)
def _sources(directory: str) -> tuple[tuple[object, str], ...]:
    """(compiled rules, the directory they are relative to) that apply to
    the entries of ``directory``: ``.git/info/exclude`` and the
    ``.gitignore`` files from the repository root down, outermost first.
    Cached per directory, and built from the parent's, so a walk reads
    each ignore file once and a tree without any costs one lookup a file."""
    root = repository_root(directory)
    if root is None:
        return ()
    if directory == root:
        found = [(_spec(os.path.join(root, ".git", "info", "exclude")), root)]
    else:
        found = list(_sources(os.path.dirname(directory)))
    found.append((_spec(os.path.join(directory, ".gitignore")), directory))
    return tuple((spec, base) for spec, base in found if spec is not None)


class GitIgnore:
    """``ignored(path, is_dir)`` for paths inside a git working tree.

    A walk asks once per file; the rules that apply are looked up once per
    directory (the path as given -> its absolute form and rules), so a tree
    outside any repository costs one dictionary lookup a file."""

    def __init__(self) -> None:
        self._directories: dict[str, tuple[str, tuple[tuple[object, str], ...]]] = {}

    def ignored(self, path: str, is_dir: bool) -> bool:
        directory, name = os.path.split(path)
        if name in ("", os.curdir, os.pardir):  # "build/", "src/..": normalised first
            directory, name = os.path.split(os.path.abspath(path))
        known = self._directories.get(directory)
        if known is None:
            absolute_dir = os.path.abspath(directory)
            known = self._directories[directory] = (absolute_dir, _sources(absolute_dir))
        absolute_dir, sources = known
        if not sources:
            return False
        absolute = os.path.join(absolute_dir, name)
        result: bool | None = None
        for spec, base in sources:
            rel = os.path.relpath(absolute, base).replace(os.sep, "/") + ("/" if is_dir else "")
            check = spec.check_file(rel)  # type: ignore[attr-defined]
            if check.include is not None:
                result = check.include
        return bool(result)
