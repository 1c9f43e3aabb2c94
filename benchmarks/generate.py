"""Generate a synthetic source tree for benchmarks, deterministically.

    python benchmarks/generate.py OUT --files 5000 --cors 0.1 [--seed 11]

Every file is an ordinary module of about 200 lines (classes, functions,
loops, string handling); a fraction ``--cors`` of them also hold CORS code
of the kinds real projects have: hand-written header writes with and
without an allowlist, Flask-CORS, Starlette middleware, django-cors-headers
settings, constants imported from a sibling settings module.  The same
seed always gives the same tree, byte for byte.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

PLAIN_FUNCTION = '''
def {name}(items, factor={n}):
    """Summarise {name} records."""
    total = 0
    seen = {{}}
    for index, item in enumerate(items):
        key = str(item).strip().lower()
        if key in seen:
            seen[key] += 1
            continue
        seen[key] = 1
        if index % {m} == 0:
            total += len(key) * factor
        elif key.startswith("{word}"):
            total -= factor
        else:
            total += sum(ord(ch) for ch in key[:8])
    return {{"total": total, "distinct": len(seen), "label": "{word}-%d" % total}}
'''

PLAIN_CLASS = '''
class {name}:
    """A small record type."""

    def __init__(self, value, tags=()):
        self.value = value
        self.tags = list(tags)

    def describe(self):
        parts = [self.__class__.__name__, repr(self.value)]
        parts.extend(sorted(self.tags))
        return " ".join(parts)

    def merge(self, other):
        if not isinstance(other, {name}):
            raise TypeError("cannot merge %r" % (other,))
        return {name}(self.value + other.value, self.tags + other.tags)
'''

CORS_SNIPPETS = [
    '''
from flask import request


def cors_reflect_{n}(response):
    response.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin")
    response.headers["Access-Control-Allow-Credentials"] = "true"
    return response
''',
    '''
from flask import request

ALLOWED_{n} = {{"https://app.example.com", "https://admin.example.com"}}


def cors_checked_{n}(response):
    origin = request.headers.get("Origin", "")
    if origin in ALLOWED_{n}:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"
    return response
''',
    '''
def cors_suffix_{n}(request, response):
    origin = request.headers.get("Origin", "")
    if origin.endswith("example.com"):
        response["Access-Control-Allow-Origin"] = origin
        response["Vary"] = "Origin"
    return response
''',
    '''
from starlette.middleware.cors import CORSMiddleware


def install_cors_{n}(app):
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["https://app.example.com"],
        allow_credentials=True,
        allow_methods=["GET", "POST"],
    )
''',
    '''
from flask_cors import CORS


def setup_cors_{n}(app):
    CORS(app, origins="*", supports_credentials=False)
''',
    '''
CORS_ALLOWED_ORIGINS = ["https://app.example.com", "http://localhost:3000"]
CORS_ALLOW_CREDENTIALS = True
''',
    '''
import re

TRUSTED_{n} = re.compile(r"^https://[a-z0-9-]+\\.example\\.com$")


def cors_regex_{n}(request, response):
    origin = request.headers.get("Origin", "")
    if TRUSTED_{n}.match(origin):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"
''',
]

WORDS = ["alpha", "beta", "gamma", "delta", "omega", "kappa", "sigma", "theta"]


def module_text(rng: random.Random, cors: bool) -> str:
    parts = ['"""Generated module."""\n', "import os\nimport json\n"]
    pieces = rng.randint(7, 11)
    cors_at = rng.randrange(pieces) if cors else -1
    for i in range(pieces):
        word = rng.choice(WORDS)
        n = rng.randint(2, 9)
        if i == cors_at:
            for _ in range(rng.randint(1, 3)):
                parts.append(rng.choice(CORS_SNIPPETS).format(n=rng.randint(0, 10**6)))
        elif rng.random() < 0.6:
            parts.append(PLAIN_FUNCTION.format(name=f"{word}_{i}", n=n, m=n + 1, word=word))
        else:
            parts.append(PLAIN_CLASS.format(name=f"{word.title()}{i}"))
    return "".join(parts)


def generate(out: Path, files: int, cors_fraction: float, seed: int = 11) -> list[Path]:
    rng = random.Random(seed)
    written = []
    for i in range(files):
        package = out / f"pkg{i // 100:03}"
        package.mkdir(parents=True, exist_ok=True)
        path = package / f"mod{i % 100:02}.py"
        path.write_text(module_text(rng, rng.random() < cors_fraction), encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--cors", type=float, default=0.1, help="fraction of files with CORS code (0-1)")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    generate(args.out, args.files, args.cors, args.seed)


if __name__ == "__main__":
    main()
