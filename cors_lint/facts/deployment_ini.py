"""Values of Pyramid/PasteDeploy deployment settings, read from the ini files
next to the code.

``request.registry.settings["app.cors.origins"]`` holds what the
``[app:main]`` section of the deployment's ini file says, as a string.
When the project ships that file (``production.ini``, ``development.ini``),
a test against the setting can be judged on the real value instead of a
hypothetical one.  The files are only read as text (``configparser`` with
interpolation off), never executed.  Which file a deployment uses is not
known, so a ``production`` file is preferred, then the others by name.
"""

from __future__ import annotations

import configparser
import os
from functools import lru_cache

#: directories looked at: the module's own and this many above it
LEVELS = 3
MAX_INI_BYTES = 256 * 1024


def ini_setting(module_path: str, key: str) -> str | None:
    """The value of ``key`` in an application section of an ini file near
    ``module_path``, or None."""
    here = os.path.dirname(os.path.abspath(module_path))
    for _ in range(LEVELS + 1):
        value = _settings_in(here).get(key)
        if value is not None:
            return value
        parent = os.path.dirname(here)
        if parent == here:
            break
        here = parent
    return None


@lru_cache(maxsize=256)
def _settings_in(directory: str) -> dict[str, str]:
    try:
        names = sorted(n for n in os.listdir(directory) if n.endswith(".ini"))
    except OSError:
        return {}
    names.sort(key=lambda n: "production" not in n.lower())
    found: dict[str, str] = {}
    for name in names:
        path = os.path.join(directory, name)
        try:
            if os.path.getsize(path) > MAX_INI_BYTES:
                continue
            parser = configparser.RawConfigParser(strict=False, interpolation=None)
            parser.optionxform = str  # keys keep their case, as PasteDeploy's do
            with open(path, encoding="utf-8", errors="replace") as handle:
                parser.read_file(handle)
        except (OSError, configparser.Error, UnicodeError):
            continue
        for section in parser.sections():
            if not section.startswith(("app:", "pipeline:", "composite:")) and section != "app":
                continue
            for key, value in parser.items(section, raw=True):
                found.setdefault(key, value.strip())
    return found
