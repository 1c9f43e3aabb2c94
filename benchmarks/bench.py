"""Benchmark the whole cors-lint command against baselines, in one run.

    python benchmarks/bench.py [--django DIR] [--site-packages DIR] [--rounds 5]

Each scenario runs the real ``cors-lint`` command in a fresh process (start-up,
configuration, discovery, project resolution and the process pool included)
and, alternating with it round by round, the baselines named in issue 11:

* ``precommit-plain``: one ordinary 300-line file without CORS code, against
  ``python -c pass`` (target: at most 4x);
* ``precommit-finding``: one small file with a finding, against
  ``python -c "import libcst"`` (target: at most 1.5x);
* ``django``: an unpacked Django sdist (``pip download --no-binary :all:
  --no-deps django==5.2.19``), against ``ruff check --select S`` when ruff is
  installed (target 1.5x), ``ast.parse`` of every file in one process and
  reading every file.  ruff is the one on ``PATH``, else the one beside the
  Python running this script, and always runs with ``--no-cache
  --isolated``: cold against cold, as cors-lint keeps no cache;
* ``site-packages``: a virtual environment's site-packages built from
  ``benchmarks/site-packages.txt``, against ``ast.parse`` of every file
  (target 0.5x);
* ``synthetic-10pct``: 5,000 generated files, 10% with CORS code
  (``generate.py``, fixed seed), against ``ast.parse`` (target 1x);
* ``cors-dense``: 300 generated files that all hold CORS code, against
  ``libcst.parse_module`` of the same files in one process (target 2x);
* ``flake8``: ``flake8 --select E9,COR`` against the same flake8 with the
  cors-lint plugin filtered out of its plugin list (target: at most 1.05x).

Only ratios measured in the same run are comparable (the machine may be
shared); seconds are printed for orientation.  Medians over the rounds.
Targets are judged on wall-clock time; the CPU ratio (user and system time
of each command and the processes it waited for, the pool's workers
included) is printed beside it, because on a machine other jobs load it
stays meaningful when wall-clock time does not.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

PY = sys.executable
AST_ALL = (
    "import ast, pathlib, sys\n"
    "for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.py')):\n"
    "    try:\n        ast.parse(p.read_bytes())\n"
    "    except (SyntaxError, ValueError, RecursionError, MemoryError, OSError):\n        pass\n"
)
LIBCST_ALL = (
    "import libcst, pathlib, sys\n"
    "for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.py')):\n"
    "    try:\n        libcst.parse_module(p.read_bytes())\n"
    "    except Exception:\n        pass\n"
)
READ_ALL = "import pathlib, sys\nfor p in pathlib.Path(sys.argv[1]).rglob('*.py'):\n    p.read_bytes()\n"
FLAKE8_WITHOUT_PLUGIN = (
    "import sys\nimport flake8.plugins.finder as finder\n"
    "orig = finder.find_plugins\n"
    "finder.find_plugins = lambda *a, **k: [p for p in orig(*a, **k) if p.package != 'cors-lint']\n"
    "from flake8.main.cli import main\nsys.exit(main())\n"
)

PLAIN_FILE = "".join(
    f"def handler_{i}(request, items):\n    total = sum(len(str(x)) for x in items)\n"
    f"    return {{'id': {i}, 'total': total, 'path': request.path}}\n\n\n"
    for i in range(60)
)
FINDING_FILE = (
    "from flask import Flask, request\n\napp = Flask(__name__)\n\n\n@app.after_request\n"
    "def add_cors(response):\n"
    '    response.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin")\n'
    '    response.headers["Access-Control-Allow-Credentials"] = "true"\n    return response\n'
)


@dataclass
class Scenario:
    name: str
    subject: list[str]
    baselines: dict[str, list[str]]
    target: tuple[str, float] | None = None  # (baseline, at most this ratio)
    times: dict[str, list[float]] = field(default_factory=dict)


def cors_lint(*args: str) -> list[str]:
    return [PY, "-m", "cors_lint", "--exit-zero", "--isolated", *args]


# Commands run as an installed tool runs: with its modules' byte code cached
# (pip writes it at install time), even when this shell disables writing it.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds of the command and every process it
    waited for: the pool's workers included)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=ENV)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def scenarios(args, work: Path) -> list[Scenario]:
    out: list[Scenario] = []
    plain = work / "plain.py"
    plain.write_text(PLAIN_FILE)
    finding = work / "finding.py"
    finding.write_text(FINDING_FILE)
    out.append(Scenario("precommit-plain", cors_lint(str(plain)), {"python -c pass": [PY, "-c", "pass"]}, ("python -c pass", 4.0)))
    out.append(
        Scenario(
            "precommit-finding",
            cors_lint(str(finding)),
            {"python -c 'import libcst'": [PY, "-c", "import libcst"]},
            ("python -c 'import libcst'", 1.5),
        )
    )
    ruff = shutil.which("ruff") or (str(Path(PY).with_name("ruff")) if Path(PY).with_name("ruff").exists() else None)

    def tree_baselines(tree: Path, ast_target: float | None, with_ruff: bool) -> tuple[dict, tuple | None]:
        base = {"ast.parse all": [PY, "-c", AST_ALL, str(tree)], "read all": [PY, "-c", READ_ALL, str(tree)]}
        target = ("ast.parse all", ast_target) if ast_target else None
        if with_ruff and ruff:
            base["ruff --select S"] = [ruff, "check", "--select", "S", "--exit-zero", "--no-cache", "--isolated", "-q", str(tree)]
            target = ("ruff --select S", 1.5)
        return base, target

    if args.django:
        base, target = tree_baselines(args.django, None, True)
        out.append(Scenario("django", cors_lint(str(args.django)), base, target))
    if args.site_packages:
        base, target = tree_baselines(args.site_packages, 0.5, False)
        out.append(Scenario("site-packages", cors_lint(str(args.site_packages)), base, target))
    if args.synthetic:
        tree = work / "synthetic"
        generate(tree, args.synthetic, 0.1)
        base, target = tree_baselines(tree, 1.0, False)
        out.append(Scenario(f"synthetic-10pct ({args.synthetic} files)", cors_lint(str(tree)), base, target))
    dense = work / "dense"
    generate(dense, 300, 1.0)
    out.append(
        Scenario(
            "cors-dense (300 files)",
            cors_lint(str(dense)),
            {"libcst.parse_module all": [PY, "-c", LIBCST_ALL, str(dense)], "ast.parse all": [PY, "-c", AST_ALL, str(dense)]},
            ("libcst.parse_module all", 2.0),
        )
    )
    if args.django and args.flake8:
        flake8 = [PY, "-m", "flake8", "--select", "E9,COR", "--exit-zero", "--isolated", str(args.django)]
        out.append(
            Scenario(
                "flake8 on django",
                flake8,
                {"flake8 without the plugin": [PY, "-c", FLAKE8_WITHOUT_PLUGIN, *flake8[3:]]},
                ("flake8 without the plugin", 1.05),
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--django", type=Path, help="an unpacked Django sdist")
    parser.add_argument("--site-packages", type=Path, help="a site-packages directory")
    parser.add_argument("--synthetic", type=int, default=5000, help="files in the 10%% tree (0: skip)")
    parser.add_argument("--flake8", action="store_true", help="also time flake8 with and without the plugin")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", help="run only scenarios whose name starts with this")
    args = parser.parse_args()
    for name in ("django", "site_packages"):  # commands run in a scratch directory
        if getattr(args, name) is not None:
            path = getattr(args, name).resolve()
            if not path.is_dir():
                parser.error(f"not a directory: {path}")
            setattr(args, name, path)

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"python {sys.version.split()[0]}, {cores} cores, {args.rounds} rounds, medians")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for sc in scenarios(args, work):
            if args.only and not sc.name.startswith(args.only):
                continue
            commands = {"cors-lint": sc.subject, **sc.baselines}
            timed(sc.subject, work)  # warm the disk cache and any pyc files
            ratios: dict[str, list[float]] = {name: [] for name in sc.baselines}
            cpu_ratios: dict[str, list[float]] = {name: [] for name in sc.baselines}
            cpu: dict[str, list[float]] = {}
            for _ in range(args.rounds):
                # alternate: each round times every command once, in turn
                this_round = {name: timed(cmd, work) for name, cmd in commands.items()}
                for name, (seconds, cpu_seconds) in this_round.items():
                    sc.times.setdefault(name, []).append(seconds)
                    cpu.setdefault(name, []).append(cpu_seconds)
                for name in sc.baselines:
                    ratios[name].append(this_round["cors-lint"][0] / this_round[name][0])
                    cpu_ratios[name].append(this_round["cors-lint"][1] / max(this_round[name][1], 1e-6))
            median = {name: statistics.median(ts) for name, ts in sc.times.items()}
            median_cpu = {name: statistics.median(ts) for name, ts in cpu.items()}
            print(f"\n{sc.name}: cors-lint {median['cors-lint']:.3f} s (CPU {median_cpu['cors-lint']:.3f} s)")
            for name in sc.baselines:
                ratio = statistics.median(ratios[name])
                mark = ""
                if sc.target and sc.target[0] == name:
                    mark = f"  (target <= {sc.target[1]:g}x: {'met' if ratio <= sc.target[1] else 'NOT met'})"
                print(
                    f"  vs {name:28} {median[name]:8.3f} s   ratio {ratio:5.2f}x"
                    f"   CPU ratio {statistics.median(cpu_ratios[name]):5.2f}x{mark}"
                )


if __name__ == "__main__":
    main()
