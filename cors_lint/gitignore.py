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
    """The nearest directory at or above ``directory`` holding ``.git``."""
    current = Path(directory)
    for candidate in (current, *current.parents):
        if (candidate / ".git").exists():
            return str(candidate)
    return None


class GitIgnore:
    """``ignored(path, is_dir)`` for paths inside a git working tree."""

    def ignored(self, path: str, is_dir: bool) -> bool:
        absolute = Path(os.path.abspath(path))
        root = repository_root(str(absolute.parent))
        if root is None:
            return False
        root_path = Path(root)
        try:
            relative = absolute.relative_to(root_path)
        except ValueError:
            return False
        result: bool | None = None
        sources = [(root_path / ".git" / "info" / "exclude", root_path)]
        directory = root_path
        sources.append((directory / ".gitignore", directory))
        for part in relative.parts[:-1]:
            directory = directory / part
            sources.append((directory / ".gitignore", directory))
        for ignore_file, base in sources:
            spec = _spec(str(ignore_file))
            if spec is None:
                continue
            rel = absolute.relative_to(base).as_posix() + ("/" if is_dir else "")
            check = spec.check_file(rel)
            if check.include is not None:
                result = check.include
        return bool(result)
