"""Peak memory of the whole cors-lint command, workers included, and its time.

    python benchmarks/memory.py [--files 5000 10000 20000] [--cors 0.1] [--jobs N]

For each size, generates the synthetic tree (``generate.py``, fixed seed),
runs ``cors-lint`` on it in a fresh process and samples ``/proc`` every
20 ms for that process and all its descendants (the worker processes of the
pool).  It prints the peak of the summed resident set size (RSS, which
counts pages a forked worker still shares with its parent twice) and the
peak of the summed proportional set size (PSS: shared pages split between
the processes sharing them, so the sum is what the run really holds), with
the wall time, so the growth with the tree's size can be read off.

``/usr/bin/time -v`` reports the largest single process, not the sum, hence
this script.  Linux only (it reads ``/proc``).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

PAGE = os.sysconf("SC_PAGE_SIZE")


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(c) for c in fh.read().split()]
    except OSError:
        return []


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(_children(p))
    return out


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


def measure(cmd: list[str], interval: float = 0.02) -> tuple[float, int, int, int]:
    """(seconds, peak summed RSS, peak summed PSS, most processes at once)."""
    start = time.perf_counter()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # as installed: byte code cached
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    peak_rss = peak_pss = most = 0
    while proc.poll() is None:
        pids = _tree(proc.pid)
        most = max(most, len(pids))
        peak_rss = max(peak_rss, sum(_rss(p) for p in pids))
        peak_pss = max(peak_pss, sum(_pss(p) for p in pids))
        time.sleep(interval)
    return time.perf_counter() - start, peak_rss, peak_pss, most


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, nargs="+", default=[5000, 10000, 20000])
    parser.add_argument("--cors", type=float, default=0.1, help="fraction of files with CORS code")
    parser.add_argument("--jobs", type=int, help="passed to cors-lint (default: its own, the cores)")
    args = parser.parse_args()
    if not Path("/proc/self/statm").exists():
        parser.error("needs Linux /proc")
    mib = 1024 * 1024
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; synthetic trees, {args.cors:.0%} CORS files")
    with tempfile.TemporaryDirectory() as tmp:
        for files in args.files:
            tree = Path(tmp) / f"t{files}"
            generate(tree, files, args.cors)
            cmd = [sys.executable, "-m", "cors_lint", "--exit-zero", "--isolated", str(tree)]
            if args.jobs:
                cmd[3:3] = ["--jobs", str(args.jobs)]
            measure(cmd[:3] + ["--version"])  # warm pyc files
            seconds, rss, pss, most = measure(cmd)
            print(
                f"{files:6} files: {seconds:6.1f} s, {seconds / files * 1000:5.2f} ms a file; "
                f"peak of all {most} processes: RSS {rss / mib:5.0f} MiB, PSS {pss / mib:5.0f} MiB"
            )


if __name__ == "__main__":
    main()
