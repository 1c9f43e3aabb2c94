"""Benchmark cors-lint against baselines measured in the same run.

    python benchmarks/bench.py [TREE ...]   (default: the installed stdlib)

Reports wall time for, over the same files:
  * ``ast.parse`` of every file (the baseline: what any Python linter pays),
  * ``libcst.parse_module`` of every file (what a naive libcst linter pays),
  * cors-lint's engine (pre-filter, then parse + facts + rules where needed),
and the ratios engine/ast and engine/libcst.  Ratios, not seconds, are what
to compare across machines.  Files are read into memory first so disk
caching does not favour whichever step runs second.
"""

from __future__ import annotations

import argparse
import ast
import sys
import sysconfig
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cors_lint.engine import EngineOptions, lint_source  # noqa: E402
from cors_lint.prefilter import may_matter  # noqa: E402


def load(trees: list[str], limit: int | None) -> list[tuple[str, bytes]]:
    files: list[tuple[str, bytes]] = []
    for tree in trees:
        for path in sorted(Path(tree).rglob("*.py")):
            try:
                files.append((str(path), path.read_bytes()))
            except OSError:
                continue
            if limit and len(files) >= limit:
                return files
    return files


def timed(fn, files) -> tuple[float, int]:
    start = time.perf_counter()
    count = 0
    for path, data in files:
        count += fn(path, data)
    return time.perf_counter() - start, count


def ast_parse(path: str, data: bytes) -> int:
    try:
        ast.parse(data)
    except (SyntaxError, ValueError):
        return 0
    return 1


def cst_parse(path: str, data: bytes) -> int:
    import libcst

    try:
        libcst.parse_module(data)
    except Exception:
        return 0
    return 1


def run_engine(path: str, data: bytes) -> int:
    return len(lint_source(data, path, EngineOptions()).findings)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("trees", nargs="*", default=[sysconfig.get_paths()["stdlib"]])
    parser.add_argument("--limit", type=int, default=None, help="at most this many files")
    parser.add_argument("--skip-libcst", action="store_true", help="skip the (slow) libcst baseline")
    args = parser.parse_args()

    files = load(args.trees, args.limit)
    total_bytes = sum(len(d) for _, d in files)
    candidates = sum(1 for _, d in files if may_matter(d))
    print(f"{len(files)} files, {total_bytes / 1e6:.1f} MB; {candidates} pass the pre-filter ({100 * candidates / max(1, len(files)):.1f}%)")

    t_ast, _ = timed(ast_parse, files)
    print(f"ast.parse (baseline)      {t_ast:8.2f} s")
    t_cst = None
    if not args.skip_libcst:
        t_cst, _ = timed(cst_parse, files)
        print(f"libcst.parse_module       {t_cst:8.2f} s")
    t_engine, findings = timed(run_engine, files)
    print(f"cors-lint engine          {t_engine:8.2f} s   ({findings} findings)")
    print(f"ratio engine / ast.parse  {t_engine / t_ast:8.2f}")
    if t_cst:
        print(f"ratio engine / libcst     {t_engine / t_cst:8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
