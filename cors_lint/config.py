"""Settings for the standalone CLI: ``[tool.cors-lint]`` plus rule selection.

Precedence is CLI flags > ``--config FILE`` / discovered ``pyproject.toml`` >
defaults.  Everything here is plain, frozen and picklable so a later process
pool can ship ``Settings`` and ``Selection`` to its workers unchanged.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

from .codes import default_enabled_by_code

TOOL_TABLE = "cors-lint"
FORMATS = ("text", "json", "sarif", "github")

# ruff's default exclude list plus ``build``.
DEFAULT_EXCLUDE: tuple[str, ...] = (
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".git-rewrite",
    ".hg",
    ".ipynb_checkpoints",
    ".mypy_cache",
    ".nox",
    ".pants.d",
    ".pyenv",
    ".pytest_cache",
    ".pytype",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    ".vscode",
    "__pycache__",
    "__pypackages__",
    "_build",
    "buck-out",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
)


class ConfigError(Exception):
    """Bad configuration or selectors; the CLI turns it into exit code 2."""


@dataclass(frozen=True)
class Settings:
    """The resolved configuration of one run (config file merged with flags)."""

    select: tuple[str, ...] | None = None  # None: the default set
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    force_exclude: bool = False
    format: str = "text"
    trusted_validators: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    config_path: Path | None = None

    @property
    def root(self) -> Path:
        """Base directory for path patterns: the config file's directory, else cwd."""
        return self.config_path.parent if self.config_path else Path.cwd()

    @property
    def all_excludes(self) -> tuple[str, ...]:
        return self.exclude + self.extend_exclude


# ---------------------------------------------------------------------------
# Rule selection
# ---------------------------------------------------------------------------


def normalize_selector(raw: str) -> str:
    return raw.strip().upper()


def validate_selectors(selectors: tuple[str, ...], origin: str) -> tuple[str, ...]:
    """Reject selectors that match no known code (``ALL`` is always valid)."""
    codes = list(default_enabled_by_code())
    out = []
    for raw in selectors:
        sel = normalize_selector(raw)
        if not sel:
            continue
        if sel != "ALL" and not any(code.startswith(sel) for code in codes):
            raise ConfigError(f"unknown rule code or prefix {raw.strip()!r} in {origin}")
        out.append(sel)
    return tuple(out)


def _select_strength(selector: str, code: str) -> int:
    """How specifically ``selector`` selects ``code``: -1 no match, else its length.

    Opt-in codes (``DEFAULT_ENABLED = False``) are matched only by ``ALL`` or by
    their full code, never by a prefix such as ``COR`` or ``COR2``."""
    if selector == "ALL":
        return 0
    if default_enabled_by_code().get(code) is False:
        return len(selector) if selector == code else -1
    return len(selector) if code.startswith(selector) else -1


def _ignore_strength(selector: str, code: str) -> int:
    if selector == "ALL":
        return 0
    return len(selector) if code.startswith(selector) else -1


@dataclass(frozen=True)
class Selection:
    """Which codes are enabled.  The most specific matching selector wins
    (``--select COR101 --ignore COR1`` keeps COR101); on a tie ignore wins."""

    select: tuple[str, ...] = ("COR",)
    ignore: tuple[str, ...] = ()

    def enabled(self, code: str) -> bool:
        if code not in default_enabled_by_code():
            return False
        best_select = max((_select_strength(s, code) for s in self.select), default=-1)
        if best_select < 0:
            return False
        best_ignore = max((_ignore_strength(s, code) for s in self.ignore), default=-1)
        return best_select > best_ignore

    def ignoring(self, extra: tuple[str, ...]) -> "Selection":
        return replace(self, ignore=self.ignore + extra) if extra else self


def selection_for(settings: Settings) -> Selection:
    base = settings.select if settings.select is not None else ("COR",)
    return Selection(select=base + settings.extend_select, ignore=settings.ignore)


# ---------------------------------------------------------------------------
# pyproject.toml
# ---------------------------------------------------------------------------

# TOML key -> Settings field, for the keys holding lists of strings
_LIST_KEYS = {
    "select": "select",
    "ignore": "ignore",
    "extend-select": "extend_select",
    "exclude": "exclude",
    "extend-exclude": "extend_exclude",
    "trusted-validators": "trusted_validators",
}
_KNOWN_KEYS = (*_LIST_KEYS, "format", "force-exclude", "per-file-ignores")


def _string_list(value: Any, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"[tool.{TOOL_TABLE}] {key} must be a list of strings")
    return tuple(value)


def read_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML in {path}: {exc}") from None
    except UnicodeDecodeError as exc:  # tomllib decodes the whole file first
        raise ConfigError(f"invalid TOML in {path}: not valid UTF-8 (byte {exc.start})") from None


def _tool_table(data: dict) -> Any:
    """``data["tool"]["cors-lint"]``, or None when absent (or ``tool`` is no table)."""
    tool = data.get("tool")
    return tool.get(TOOL_TABLE) if isinstance(tool, dict) else None


def find_pyproject(start: Path) -> tuple[Path, Any] | None:
    """The nearest ``pyproject.toml`` at or above ``start`` that has a
    ``[tool.cors-lint]`` table, with that table (files without one are passed
    over, as ruff does)."""
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            table = _tool_table(read_toml(candidate))
            if table is not None:
                return candidate, table
    return None


def settings_from_table(table: Any, path: Path | None) -> Settings:
    """Validate a ``[tool.cors-lint]`` table; unknown keys and wrong types fail."""
    if not isinstance(table, dict):
        raise ConfigError(f"[tool.{TOOL_TABLE}] must be a table")
    values: dict[str, Any] = {"config_path": path}
    for key, value in table.items():
        if key not in _KNOWN_KEYS:
            known = ", ".join(sorted(_KNOWN_KEYS))
            raise ConfigError(f"unknown key {key!r} in [tool.{TOOL_TABLE}] (known keys: {known})")
        if key in _LIST_KEYS:
            values[_LIST_KEYS[key]] = _string_list(value, key)
        elif key == "format":
            if value not in FORMATS:
                raise ConfigError(f"[tool.{TOOL_TABLE}] format must be one of {', '.join(FORMATS)}")
            values["format"] = value
        elif key == "force-exclude":
            if not isinstance(value, bool):
                raise ConfigError(f"[tool.{TOOL_TABLE}] force-exclude must be true or false")
            values["force_exclude"] = value
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise ConfigError(f"[tool.{TOOL_TABLE}] per-file-ignores must be a table of glob = [codes]")
            values["per_file_ignores"] = tuple(
                (glob, _string_list(codes, f"per-file-ignores.{glob!r}")) for glob, codes in value.items()
            )
    return Settings(**values)


def load_settings(config: str | None, isolated: bool, cwd: Path | None = None) -> Settings:
    """Settings from ``--config``, else the discovered pyproject, else defaults."""
    if isolated:
        return Settings()
    if config is not None:
        path = Path(config)
        if not path.is_file():
            raise ConfigError(f"config file not found: {config}")
        data = read_toml(path)
        # A pyproject.toml keeps options under [tool.cors-lint]; a dedicated
        # file may hold them at top level.
        table = (_tool_table(data) or {}) if "tool" in data else data
        return settings_from_table(table, path.resolve())
    found = find_pyproject((cwd or Path.cwd()).resolve())
    if found is None:
        return Settings()
    path, table = found
    return settings_from_table(table, path)


def merge_cli(settings: Settings, **overrides: Any) -> Settings:
    """Apply command-line values (``None`` means "not given") over the file's."""
    given = {k: v for k, v in overrides.items() if v is not None}
    return replace(settings, **given)


def validated(settings: Settings) -> Settings:
    """Check every selector (select, ignore, extend-select, per-file-ignores)."""
    pfi = tuple(
        (glob, validate_selectors(codes, f"per-file-ignores for {glob!r}")) for glob, codes in settings.per_file_ignores
    )
    return replace(
        settings,
        select=None if settings.select is None else validate_selectors(settings.select, "select"),
        ignore=validate_selectors(settings.ignore, "ignore"),
        extend_select=validate_selectors(settings.extend_select, "extend-select"),
        per_file_ignores=pfi,
    )


__all__ = [
    "ConfigError",
    "DEFAULT_EXCLUDE",
    "FORMATS",
    "Selection",
    "Settings",
    "load_settings",
    "merge_cli",
    "selection_for",
    "validated",
]
