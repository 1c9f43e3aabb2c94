"""flake8 adapter: ``flake8 --select COR`` (entry point ``COR`` in pyproject).

flake8 hands us its ``ast`` tree; we ignore it and give the file's text to
the engine, which pre-filters and parses once with libcst.  flake8 itself
applies select/ignore, per-file-ignores and ``# noqa``.

Two things flake8 cannot do for us:

* Opt-in codes (rules with ``DEFAULT_ENABLED = False``, e.g. COR203): flake8
  reports every plugin code unless told otherwise, so ``parse_options``
  records which codes the user named *in full* in ``--select`` or
  ``--extend-select`` (config files included), and only those opt-in rules
  run.  ``--select COR`` keeps them off, as in the standalone CLI.
* Settings: ``--cors-trusted-validators`` (also ``cors-trusted-validators =``
  in the ``[flake8]`` config section).

Configuration lives in class attributes set by ``parse_options``: flake8's
worker processes either inherit them (fork) or call ``parse_options`` again.
"""

from __future__ import annotations

import ast
from typing import Any, ClassVar, Iterator

from . import __version__
from .codes import default_enabled_by_code
from .engine import EngineOptions, lint_source


class CorsLintPlugin:
    name = "cors-lint"
    version = __version__

    trusted_validators: ClassVar[tuple[str, ...]] = ()
    explicitly_selected: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, tree: ast.AST, lines: list[str], filename: str) -> None:
        # ``tree`` must stay in the signature: it makes flake8 treat this as
        # a once-per-file plugin.  It is not used (libcst parses instead).
        self.lines = lines
        self.filename = filename

    @classmethod
    def add_options(cls, manager: Any) -> None:
        manager.add_option(
            "--cors-trusted-validators",
            default="",
            parse_from_config=True,
            comma_separated_list=True,
            help="cors-lint: dotted names of functions that validate an origin against an allowlist "
            "(comma-separated)",
        )

    @classmethod
    def parse_options(cls, options: Any) -> None:
        cls.trusted_validators = tuple(getattr(options, "cors_trusted_validators", None) or ())
        chosen = [*(getattr(options, "select", None) or ()), *(getattr(options, "extend_select", None) or ())]
        cls.explicitly_selected = frozenset(code.strip().upper() for code in chosen)

    @classmethod
    def enabled(cls, code: str) -> bool:
        """Default-on codes always run (flake8 filters them); opt-in codes only
        when named in full."""
        default = default_enabled_by_code().get(code)
        if default is None:
            return False
        return default or code in cls.explicitly_selected

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        options = EngineOptions(enabled=self.enabled, trusted_validators=self.trusted_validators, project=None)
        result = lint_source("".join(self.lines), self.filename, options)
        for finding in result.findings:
            yield finding.line, finding.col, f"{finding.code} {finding.message}", type(self)
