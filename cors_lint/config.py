"""Settings for the standalone CLI: ``[tool.cors-lint]`` plus rule selection.

Precedence is CLI flags > ``--config FILE`` / discovered ``pyproject.toml`` >
defaults.  Everything here is plain, frozen and picklable so the process
pool can ship ``Settings`` and ``Selection`` to its workers unchanged.

Every run imports this module, including a pre-commit call on a file
without CORS code, whose whole budget is a few times the interpreter's own
start-up.  So the records are named tuples (``dataclasses`` imports
``inspect``, about 9 ms), and the TOML parser and ``difflib`` load only when
a configuration file is read or a near miss is explained.
"""

from __future__ import annotations

import re
import sys
from collections import namedtuple
from pathlib import Path

from .codes import default_enabled_by_code

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

TOOL_TABLE = "cors-lint"
FORMATS = ("text", "json", "sarif", "github", "gitlab")
LEVELS = ("low", "medium", "high", "critical")  # severity threshold values, lowest first
CONFIDENCES = ("low", "medium", "high")

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


_SETTINGS_FIELDS = {
    "select": None,  # tuple[str, ...] | None; None: the default set
    "ignore": (),
    "extend_select": (),
    "exclude": DEFAULT_EXCLUDE,
    "extend_exclude": (),
    "force_exclude": False,
    "format": "text",
    "trusted_validators": (),
    "per_file_ignores": (),  # ((glob, (code, ...)), ...)
    "severity_threshold": "low",
    "confidence_threshold": "low",
    "respect_gitignore": True,
    "config_path": None,  # Path | None
}


class Settings(namedtuple("Settings", _SETTINGS_FIELDS, defaults=tuple(_SETTINGS_FIELDS.values()))):
    """The resolved configuration of one run (config file merged with flags)."""

    __slots__ = ()

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
            raise ConfigError(f"unknown rule code or prefix {raw.strip()!r} in {origin}{did_you_mean(sel, codes)}")
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


class Selection(namedtuple("Selection", ("select", "ignore"), defaults=(("COR",), ()))):
    """Which codes are enabled.  The most specific matching selector wins
    (``--select COR101 --ignore COR1`` keeps COR101); on a tie ignore wins."""

    __slots__ = ()

    def enabled(self, code: str) -> bool:
        if code not in default_enabled_by_code():
            return False
        best_select = max((_select_strength(s, code) for s in self.select), default=-1)
        if best_select < 0:
            return False
        best_ignore = max((_ignore_strength(s, code) for s in self.ignore), default=-1)
        return best_select > best_ignore

    def ignoring(self, extra: tuple[str, ...]) -> "Selection":
        return self._replace(ignore=self.ignore + extra) if extra else self


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
# TOML key -> (Settings field, allowed values) for the keys holding one choice
_CHOICE_KEYS = {
    "format": ("format", FORMATS),
    "severity-threshold": ("severity_threshold", LEVELS),
    "confidence-threshold": ("confidence_threshold", CONFIDENCES),
}
# TOML key -> Settings field, for the booleans
_BOOL_KEYS = {"force-exclude": "force_exclude", "respect-gitignore": "respect_gitignore"}
_KNOWN_KEYS = (*_LIST_KEYS, *_CHOICE_KEYS, *_BOOL_KEYS, "per-file-ignores")


def did_you_mean(word: str, choices: "tuple[str, ...] | list[str]") -> str:
    """`` (did you mean 'x'?)`` for a close match, else an empty string."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _string_list(value: Any, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"[tool.{TOOL_TABLE}] {key} must be a list of strings")
    return tuple(value)


def read_toml(path: Path) -> dict:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib

    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML in {path}: {exc}") from None
    except UnicodeDecodeError as exc:  # tomllib decodes the whole file first
        raise ConfigError(f"invalid TOML in {path}: not valid UTF-8 (byte {exc.start})") from None


def _squashed(name: str) -> str:
    return re.sub(r"[-_.\s]", "", name.lower())


def _tool_table(data: dict, path: Path | None = None) -> Any:
    """``data["tool"]["cors-lint"]``, or None when absent (or ``tool`` is no table).

    A near miss (``[tool.cors_lint]``, ``[tool.corslint]``, ``[tool.cors-linter]``)
    is an error rather than a table silently ignored."""
    tool = data.get("tool")
    if not isinstance(tool, dict):
        return None
    import difflib

    for name in tool:
        if name == TOOL_TABLE:
            continue
        if _squashed(name) == _squashed(TOOL_TABLE) or difflib.get_close_matches(name, [TOOL_TABLE], cutoff=0.8):
            where = f" in {path}" if path is not None else ""
            raise ConfigError(f"unknown table [tool.{name}]{where} (did you mean [tool.{TOOL_TABLE}]?)")
    return tool.get(TOOL_TABLE)


def find_pyproject(start: Path) -> tuple[Path, Any] | None:
    """The nearest ``pyproject.toml`` at or above ``start`` that has a
    ``[tool.cors-lint]`` table, with that table (files without one are passed
    over, as ruff does)."""
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            table = _tool_table(read_toml(candidate), candidate)
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
            hint = did_you_mean(key, _KNOWN_KEYS)
            if not hint:
                hint = f" (known keys: {', '.join(sorted(_KNOWN_KEYS))})"
            raise ConfigError(f"unknown key {key!r} in [tool.{TOOL_TABLE}]{hint}")
        if key in _LIST_KEYS:
            values[_LIST_KEYS[key]] = _string_list(value, key)
        elif key in _CHOICE_KEYS:
            name, allowed = _CHOICE_KEYS[key]
            if value not in allowed:
                raise ConfigError(f"[tool.{TOOL_TABLE}] {key} must be one of {', '.join(allowed)}")
            values[name] = value
        elif key in _BOOL_KEYS:
            if not isinstance(value, bool):
                raise ConfigError(f"[tool.{TOOL_TABLE}] {key} must be true or false")
            values[_BOOL_KEYS[key]] = value
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
        table = (_tool_table(data, path) or {}) if "tool" in data else data
        return settings_from_table(table, path.resolve())
    found = find_pyproject((cwd or Path.cwd()).resolve())
    if found is None:
        return Settings()
    path, table = found
    return settings_from_table(table, path)


def merge_cli(settings: Settings, **overrides: Any) -> Settings:
    """Apply command-line values (``None`` means "not given") over the file's."""
    given = {k: v for k, v in overrides.items() if v is not None}
    return settings._replace(**given)


def validated(settings: Settings) -> Settings:
    """Check every selector (select, ignore, extend-select, per-file-ignores)."""
    pfi = tuple(
        (glob, validate_selectors(codes, f"per-file-ignores for {glob!r}")) for glob, codes in settings.per_file_ignores
    )
    return settings._replace(
        select=None if settings.select is None else validate_selectors(settings.select, "select"),
        ignore=validate_selectors(settings.ignore, "ignore"),
        extend_select=validate_selectors(settings.extend_select, "extend-select"),
        per_file_ignores=pfi,
    )


__all__ = [
    "ConfigError",
    "DEFAULT_EXCLUDE",
    "CONFIDENCES",
    "FORMATS",
    "LEVELS",
    "Selection",
    "Settings",
    "load_settings",
    "merge_cli",
    "selection_for",
    "validated",
]
